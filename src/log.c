/* src/log.c - the logging calls: build the record on the caller's stack,
 * then send it up the tree (logger.c) to the handlers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Messages up to this size are formatted on the stack; longer ones once more
 * on the heap. */
#define MESSAGE_STACK_SIZE 512

static const lt_callsite unknown_site = {"(unknown file)", "(unknown function)", 0};

static void record_init(lt_record *rec, lt_logger *lg, int level, const lt_callsite *site)
{
    memset(rec, 0, offsetof(lt_record, levelname_buf));
    clock_gettime(CLOCK_REALTIME, &rec->created);
    if (!site)
        site = &unknown_site;
    rec->name = lt_logger_name(lg);
    rec->levelno = level;
    rec->levelname = lt__level_name_or_number(level, rec->levelname_buf,
                                              sizeof(rec->levelname_buf));
    rec->pathname = site->file ? site->file : unknown_site.file;
    rec->funcname = site->func ? site->func : unknown_site.func;
    rec->lineno = site->line;
    rec->strerror = "";
    rec->thread = (unsigned long)pthread_self();
    rec->thread_name = lt__thread_name();
    rec->process = lt__pid();
    rec->process_name = lt__process_name();
}

static void set_errno(lt_record *rec, int errnum)
{
    rec->errnum = errnum;
    if (strerror_r(errnum, rec->strerror_buf, sizeof(rec->strerror_buf)) != 0)
        snprintf(rec->strerror_buf, sizeof(rec->strerror_buf), "Unknown error %d", errnum);
    rec->strerror = rec->strerror_buf;
}

static void deliver(lt_logger *lg, lt_record *rec)
{
    lt__dispatch(lg, rec);
    lt__record_release_fields(rec);
}

static void log_formatted(lt_logger *lg, lt_record *rec, const char *fmt, va_list ap)
    LT_PRINTF(3, 0);

/* printf into a stack buffer, or the heap when it does not fit. */
static void log_formatted(lt_logger *lg, lt_record *rec, const char *fmt, va_list ap)
{
    char small[MESSAGE_STACK_SIZE], *big = NULL;
    va_list again;
    int n;

    va_copy(again, ap);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    rec->msg = fmt;
    rec->message = small;
    if (n < 0) {
        /* An encoding error: keep the format itself rather than lose the record. */
        rec->message = fmt;
        n = (int)strlen(fmt);
    } else if ((size_t)n >= sizeof(small) && (big = malloc((size_t)n + 1)) != NULL) {
        vsnprintf(big, (size_t)n + 1, fmt, again);
        rec->message = big;
    } else if ((size_t)n >= sizeof(small)) {
        n = (int)sizeof(small) - 1; /* out of memory: deliver what fits */
    }
    va_end(again);
    rec->message_len = (size_t)n;
    deliver(lg, rec);
    free(big);
}

void lt_vlog_at(lt_logger *lg, int level, const lt_callsite *site, const char *fmt, va_list ap)
{
    int saved = errno;
    lt_record rec;

    if (!lg || !fmt || !lt_logger_is_enabled_for(lg, level))
        return;
    record_init(&rec, lg, level, site);
    log_formatted(lg, &rec, fmt, ap);
    errno = saved;
}

void lt_log_at(lt_logger *lg, int level, const lt_callsite *site, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    lt_vlog_at(lg, level, site, fmt, ap);
    va_end(ap);
}

void lt_log_errno_at(lt_logger *lg, int level, const lt_callsite *site, int errnum,
                     const char *fmt, ...)
{
    int saved = errno;
    lt_record rec;
    va_list ap;

    if (!lg || !fmt || !lt_logger_is_enabled_for(lg, level))
        return;
    record_init(&rec, lg, level, site);
    set_errno(&rec, errnum);
    va_start(ap, fmt);
    log_formatted(lg, &rec, fmt, ap);
    va_end(ap);
    errno = saved;
}

void lt_log_text_at(lt_logger *lg, int level, const lt_callsite *site, const char *text,
                    size_t len)
{
    char small[MESSAGE_STACK_SIZE], *copy = small;
    int saved = errno;
    lt_record rec;

    if (!lg || (!text && len) || !lt_logger_is_enabled_for(lg, level))
        return;
    /* Records promise a NUL-terminated message; @text need not have one. */
    if (len >= sizeof(small) && !(copy = malloc(len + 1))) {
        copy = small;
        len = sizeof(small) - 1; /* out of memory: deliver what fits */
    }
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    record_init(&rec, lg, level, site);
    rec.msg = copy;
    rec.message = copy;
    rec.message_len = len;
    deliver(lg, &rec);
    if (copy != small)
        free(copy);
    errno = saved;
}
