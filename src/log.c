/* src/log.c - the logging calls: build the record on the caller's stack,
 * with the fields of the thread's context, of a bound logger and of the call
 * site, then send it up the tree (logger.c) to the handlers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "async.h"
#include "internal.h"
#include "sys.h"

/* Messages up to this size are formatted on the stack; longer ones once more
 * on the heap. So many fields fit on the stack too. */
#define MESSAGE_STACK_SIZE 512
#define FIELDS_STACK_SIZE  16

static const lt_callsite unknown_site = {.file = "(unknown file)", .func = "(unknown function)"};

void lt__record_init(lt_record *rec, lt_logger *lg, int level, const lt_callsite *site,
                     struct timespec created, unsigned long thread, const char *thread_name)
{
    if (!site)
        site = &unknown_site;
    /* Every member in the order declared, not a memset() first: the
     * backend makes a record per entry, and the compiler's memset() of the
     * members (rep stos) cost as much as the rest of this function. */
    rec->name = LT__BASE(lg)->name;
    rec->name_len = LT__BASE(lg)->name_len;
    rec->levelno = level;
    rec->levelname = lt__level_name_or_number(level, rec->levelname_buf,
                                              sizeof(rec->levelname_buf), &rec->levelname_len);
    rec->pathname = site->file ? site->file : unknown_site.file;
    rec->funcname = site->func ? site->func : unknown_site.func;
    rec->lineno = site->line;
    rec->created = created;
    rec->msg = NULL;
    rec->message = NULL;
    rec->message_len = 0;
    rec->message_plain = false;
    rec->errnum = 0;
    rec->strerror = "";
    rec->thread = thread;
    rec->thread_name = thread_name;
    rec->process_name = lt__process_name();
    rec->process = lt__pid();
    rec->fields = NULL;
    rec->nfields = 0;
    rec->fields_cap = 0;
    rec->owned = NULL;
}

/* A record made here and now, on the calling thread. */
static void record_init(lt_record *rec, lt_logger *lg, int level, const lt_callsite *site)
{
    struct timespec now;

    clock_gettime(CLOCK_REALTIME, &now);
    lt__record_init(rec, lg, level, site, now, (unsigned long)pthread_self(), lt__thread_name());
}

void lt__record_set_errno(lt_record *rec, int errnum)
{
    rec->errnum = errnum;
    if (strerror_r(errnum, rec->strerror_buf, sizeof(rec->strerror_buf)) != 0)
        snprintf(rec->strerror_buf, sizeof(rec->strerror_buf), "Unknown error %d", errnum);
    rec->strerror = rec->strerror_buf;
}

/* ---- fields ---- */

static size_t count_site_fields(const lt_callsite *site)
{
    size_t n = 0;

    if (site && site->argtypes)
        for (int i = 0; i < site->nargs; i++)
            n += site->argtypes[i] == LT_ARG_FIELD;
    return n;
}

/* Walk the arguments after the format by their types, keeping the fields. */
static size_t take_site_fields(const lt_callsite *site, va_list ap, lt_field *out)
{
    size_t n = 0;

    for (int i = 0; i < site->nargs; i++) {
        switch (site->argtypes[i]) {
        case LT_ARG_INT: (void)va_arg(ap, int); break;
        case LT_ARG_UINT: (void)va_arg(ap, unsigned); break;
        case LT_ARG_LONG: (void)va_arg(ap, long); break;
        case LT_ARG_ULONG: (void)va_arg(ap, unsigned long); break;
        case LT_ARG_LLONG: (void)va_arg(ap, long long); break;
        case LT_ARG_ULLONG: (void)va_arg(ap, unsigned long long); break;
        case LT_ARG_DOUBLE: (void)va_arg(ap, double); break;
        case LT_ARG_LDOUBLE: (void)va_arg(ap, long double); break;
        case LT_ARG_STRING: (void)va_arg(ap, const char *); break;
        case LT_ARG_FIELD: out[n++] = va_arg(ap, lt_field); break;
        default: (void)va_arg(ap, void *); break;
        }
    }
    return n;
}

/* A call-site key outside the documented set is kept, renamed, in a copy the
 * record owns; out of memory, the field is dropped. */
size_t lt__record_fix_keys(lt_record *rec, lt_field *fields, size_t n)
{
    size_t kept = 0;

    for (size_t i = 0; i < n; i++) {
        lt_field *copy;

        if (!fields[i].key || !lt__key_valid(fields[i].key)) {
            if (!(copy = lt__fields_dup(&fields[i], 1)))
                continue;
            lt__owned_add(&rec->owned, copy);
            fields[i] = copy[0];
        }
        fields[kept++] = fields[i];
    }
    return kept;
}

/* Context first, then the bound logger's, then the call site's: a later value
 * of a key wins and keeps the key's first place. */
static void attach_fields(lt_record *rec, const lt_logger *lg, const lt_callsite *site,
                          va_list *args, lt_field *small)
{
    size_t nsite = count_site_fields(site), nbound = lg->base ? lg->nbound : 0;
    size_t total = lt__context_count() + nbound + nsite, n, at;
    lt_field *all = small;

    if (total == 0)
        return;
    if (total > FIELDS_STACK_SIZE && !(all = lt__malloc(total * sizeof(*all))))
        return; /* out of memory: the message still goes out */
    n = lt__context_collect(all, total);
    lt__fields_merge(all, &n, lg->bound, nbound);
    if (nsite) {
        at = total - nsite; /* at or past n: merging into all[..n] never overwrites them */
        nsite = lt__record_fix_keys(rec, all + at, take_site_fields(site, *args, all + at));
        lt__fields_merge(all, &n, all + at, nsite);
    }
    lt__fields_cap(all, &n);
    rec->fields = all;
    rec->nfields = n;
    rec->fields_cap = all == small ? 0 : total;
}

/* ---- the calls ---- */

static void deliver(lt_logger *lg, lt_record *rec)
{
    lt__dispatch(LT__BASE(lg), rec);
    lt__record_release(rec);
}

static void log_formatted(lt_logger *lg, lt_record *rec, const lt_callsite *site, const char *fmt,
                          va_list ap, int saved_errno) LT_PRINTF(4, 0);

/* The message in a stack buffer, or the heap when it does not fit. */
static void log_formatted(lt_logger *lg, lt_record *rec, const lt_callsite *site, const char *fmt,
                          va_list ap, int saved_errno)
{
    char small[MESSAGE_STACK_SIZE], *big = NULL;
    lt_buf fast;
    va_list again;
    bool taken;
    int n;

    rec->msg = fmt;
    lt__buf_on(&fast, small, sizeof(small));
    va_copy(again, ap);
    taken = lt__format_message(site, fmt, again, saved_errno, &fast);
    va_end(again);
    if (taken) {
        rec->message = lt_buf_data(&fast);
        rec->message_len = lt_buf_len(&fast);
        deliver(lg, rec);
        lt__buf_release(&fast);
        return;
    }
    lt__buf_release(&fast);
    va_copy(again, ap);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    rec->message = small;
    if (n < 0) {
        /* An encoding error: keep the format itself rather than lose the record. */
        rec->message = fmt;
        n = (int)strlen(fmt);
    } else if ((size_t)n >= sizeof(small) && (big = lt__malloc((size_t)n + 1)) != NULL) {
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

/* The common path of the printf-style calls; @errnum < 0: no errno. */
static void log_va(lt_logger *lg, int level, const lt_callsite *site, int errnum, const char *fmt,
                   va_list ap) LT_PRINTF(5, 0);

static void log_va(lt_logger *lg, int level, const lt_callsite *site, int errnum, const char *fmt,
                   va_list ap)
{
    lt_field fields[FIELDS_STACK_SIZE];
    int saved = errno;
    lt_record rec;
    va_list scan;

    if (!lg || !fmt || !lt_logger_is_enabled_for(lg, level))
        return;
    lt__signal_log_drain(); /* a signal handler's records come before this one */
    if (lt__async_log(lg, level, site, errnum, fmt, ap)) {
        errno = saved; /* waiting for room in the ring may have set it */
        return;
    }
    record_init(&rec, lg, level, site);
    if (errnum >= 0)
        lt__record_set_errno(&rec, errnum);
    va_copy(scan, ap);
    attach_fields(&rec, lg, site, &scan, fields);
    va_end(scan);
    log_formatted(lg, &rec, site, fmt, ap, saved);
    errno = saved;
}

void lt_vlog_at(lt_logger *lg, int level, const lt_callsite *site, const char *fmt, va_list ap)
{
    log_va(lg, level, site, -1, fmt, ap);
}

void lt_log_at(lt_logger *lg, int level, const lt_callsite *site, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_va(lg, level, site, -1, fmt, ap);
    va_end(ap);
}

/* lt_log_args_at() on the calling thread. */
LT__NOINLINE static void log_args_sync(lt_logger *lg, int level, const lt_callsite *site,
                                       const char *fmt, const lt_arg *args, int saved)
{
    char small[MESSAGE_STACK_SIZE];
    lt_field fields[FIELDS_STACK_SIZE];
    lt_record rec;
    lt_buf message;

    record_init(&rec, lg, level, site);
    attach_fields(&rec, lg, NULL, NULL, fields);
    lt__buf_on(&message, small, sizeof(small));
    lt__format_args(site, fmt, args, saved, &message);
    rec.msg = fmt;
    rec.message = lt_buf_data(&message);
    rec.message_len = lt_buf_len(&message);
    deliver(lg, &rec);
    lt__buf_release(&message);
}

/* lt_log_args_at() past its short path. */
LT__NOINLINE static void log_args_slow(lt_logger *lg, int level, const lt_callsite *site,
                                       const char *fmt, const lt_arg *args)
{
    int saved = errno;

    lt__signal_log_drain(); /* a signal handler's records come before this one */
    if (!lt__async_log_args(lg, level, site, fmt, args, saved))
        log_args_sync(lg, level, site, fmt, args, saved);
    errno = saved; /* either way: waiting for room in a ring may set it, as may a handler */
}

/* Never inlined into the caller, even by LTO: the call macros' disabled path
 * must stay one load and one compare, with no frame set up for this body. */
LT__NOINLINE void lt_log_args_at(lt_logger *lg, int level, const lt_callsite *site,
                                 const char *fmt, const lt_arg *args)
{
    if (!lg || !site || !fmt || !lt_logger_is_enabled_for(lg, level))
        return;
    if (!lt__async_short(lg, level, site, fmt, args))
        log_args_slow(lg, level, site, fmt, args);
}

void lt_log_errno_at(lt_logger *lg, int level, const lt_callsite *site, int errnum,
                     const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    log_va(lg, level, site, errnum < 0 ? 0 : errnum, fmt, ap);
    va_end(ap);
}

void lt_log_text_at(lt_logger *lg, int level, const lt_callsite *site, const char *text,
                    size_t len)
{
    char small[MESSAGE_STACK_SIZE], *copy = small;
    lt_field fields[FIELDS_STACK_SIZE];
    int saved = errno;
    lt_record rec;

    if (!lg || (!text && len) || !lt_logger_is_enabled_for(lg, level))
        return;
    lt__signal_log_drain();
    if (lt__async_text(lg, level, site, text ? text : "", len)) {
        errno = saved; /* waiting for room in the ring may have set it */
        return;
    }
    /* Records promise a NUL-terminated message; @text need not have one. */
    if (len >= sizeof(small) && !(copy = lt__malloc(len + 1))) {
        copy = small;
        len = sizeof(small) - 1; /* out of memory: deliver what fits */
    }
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    record_init(&rec, lg, level, site);
    attach_fields(&rec, lg, NULL, NULL, fields);
    rec.msg = copy;
    rec.message = copy;
    rec.message_len = len;
    deliver(lg, &rec);
    if (copy != small)
        free(copy);
    errno = saved;
}
