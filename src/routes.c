/* src/routes.c - where records go: the handlers and filters attached to each
 * logger, and the way of a record up the tree (Python's Logger.handle and
 * callHandlers), down to the last resort.
 *
 * A reader-writer lock guards the handler and filter lists of every logger.
 * A record holds it for reading from the logger's filters to the last
 * handler, so that a configuration swap (which holds it for writing) is
 * atomic for records: each meets the old handlers or the new ones, and no
 * handler is closed while a record is inside it. The lock prefers writers, so
 * threads that log without pause cannot starve a reconfiguration; each thread
 * counts what it holds, so a handler or filter that logs again nests without
 * locking twice, and a change of routes from inside one is refused
 * (LT_EDEADLK) instead of deadlocking. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* glibc's writer-preferring rwlock initializer */
#endif
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "sys.h"

#if defined(PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP)
#define ROUTES_LOCK_INITIALIZER PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP
#else
#define ROUTES_LOCK_INITIALIZER PTHREAD_RWLOCK_INITIALIZER
#endif

static pthread_rwlock_t routes_lock = ROUTES_LOCK_INITIALIZER;

/* What this thread holds of routes_lock: nested reads, or the write lock. */
static _Thread_local unsigned reads_held;
static _Thread_local unsigned writes_held;

void lt__routes_rdlock(void)
{
    if (reads_held++ == 0 && writes_held == 0)
        pthread_rwlock_rdlock(&routes_lock);
}

void lt__routes_rdunlock(void)
{
    if (--reads_held == 0 && writes_held == 0)
        pthread_rwlock_unlock(&routes_lock);
}

int lt__routes_wrlock(const struct timespec *deadline)
{
    if (writes_held > 0) {
        writes_held++;
        return 0;
    }
    if (reads_held > 0)
        return LT_EDEADLK; /* a handler or filter of this thread is on a record's way */
    if (deadline ? pthread_rwlock_timedwrlock(&routes_lock, deadline) != 0
                 : pthread_rwlock_wrlock(&routes_lock) != 0)
        return LT_EAGAIN;
    writes_held = 1;
    return 0;
}

void lt__routes_wrunlock(void)
{
    if (--writes_held == 0)
        pthread_rwlock_unlock(&routes_lock);
}

void lt__routes_atfork_prepare(void)
{
    pthread_rwlock_wrlock(&routes_lock);
}

void lt__routes_atfork_parent(void)
{
    pthread_rwlock_unlock(&routes_lock);
}

/* Not an unlock: glibc's rwlock remembers the writer by thread id, and the
 * child's one thread has a new id. */
void lt__routes_atfork_child(void)
{
    pthread_rwlock_t fresh = ROUTES_LOCK_INITIALIZER;

    routes_lock = fresh;
}

/* ---- handlers ---- */

int lt__logger_add_handler_locked(lt_logger *lg, lt_handler *h)
{
    for (size_t i = 0; i < lg->nhandlers; i++)
        if (lg->handlers[i] == h)
            return 0;
    if (lg->nhandlers == lg->handlers_cap) {
        size_t cap = lg->handlers_cap ? lg->handlers_cap * 2 : 4;
        lt_handler **hs = lt__realloc(lg->handlers, cap * sizeof(*hs));

        if (!hs)
            return LT_ENOMEM;
        lg->handlers = hs;
        lg->handlers_cap = cap;
    }
    lg->handlers[lg->nhandlers++] = lt_handler_ref(h);
    return 0;
}

int lt_logger_add_handler(lt_logger *lg, lt_handler *h)
{
    int r;

    LT__RETURN_IF(!lg || !h, LT_EINVAL);
    if ((r = lt__routes_wrlock(NULL)) < 0)
        return r;
    r = lt__logger_add_handler_locked(LT__BASE(lg), h);
    lt__routes_wrunlock();
    return r;
}

int lt_logger_remove_handler(lt_logger *lg, lt_handler *h)
{
    lt_handler *found = NULL;
    int r;

    LT__RETURN_IF(!lg || !h, LT_EINVAL);
    lg = LT__BASE(lg);
    if ((r = lt__routes_wrlock(NULL)) < 0)
        return r;
    for (size_t i = 0; i < lg->nhandlers; i++) {
        if (lg->handlers[i] == h) {
            found = h;
            memmove(&lg->handlers[i], &lg->handlers[i + 1],
                    (lg->nhandlers - i - 1) * sizeof(lg->handlers[0]));
            lg->nhandlers--;
            break;
        }
    }
    lt__routes_wrunlock();
    /* The last reference may close the handler: not under the lock. */
    lt_handler_unref(found);
    return found ? 0 : LT_ENOENT;
}

void lt__logger_detach_handlers_locked(lt_logger *lg, void (*fn)(lt_handler *h, void *ud),
                                       void *ud)
{
    for (size_t i = 0; i < lg->nhandlers; i++)
        fn(lg->handlers[i], ud);
    lg->nhandlers = 0;
}

struct detach_args {
    void (*fn)(lt_handler *h, void *ud);
    void *ud;
};

static void detach_one(lt_logger *lg, void *ud)
{
    const struct detach_args *a = ud;

    lt__logger_detach_handlers_locked(lg, a->fn, a->ud);
}

void lt__tree_detach_all_handlers_locked(void (*fn)(lt_handler *h, void *ud), void *ud)
{
    struct detach_args a = {fn, ud};

    lt__logger_detach_handlers_locked(lt__root(), fn, ud);
    lt__logger_for_each_locked(detach_one, &a);
}

size_t lt__logger_handler_count_locked(const lt_logger *lg)
{
    return lg->nhandlers;
}

void lt_logger_clear_handlers(lt_logger *lg)
{
    struct lt__detached d = {0};

    if (!lg)
        return;
    if (lt__routes_wrlock(NULL) < 0) {
        lt__report("lt_logger_clear_handlers() from inside a handler or filter: ignored");
        return;
    }
    lt__logger_detach_handlers_locked(LT__BASE(lg), lt__detached_keep, &d);
    lt__routes_wrunlock();
    for (size_t i = 0; i < d.n; i++)
        lt_handler_unref(d.items[i]);
    free(d.items);
}

bool lt_logger_has_handlers(const lt_logger *lg)
{
    bool found = false;

    lt__routes_rdlock();
    for (const lt_logger *c = LT__BASE(lg); c && !found;
         c = lt__logger_propagates(c) ? lt__logger_parent(c) : NULL)
        found = c->nhandlers > 0;
    lt__routes_rdunlock();
    return found;
}

/* ---- filters ---- */

int lt_logger_add_filter(lt_logger *lg, lt_filter *f)
{
    int r;

    LT__RETURN_IF(!lg || !f, LT_EINVAL);
    if ((r = lt__routes_wrlock(NULL)) < 0)
        return r;
    r = lt__filters_add(&LT__BASE(lg)->filters, f);
    lt__routes_wrunlock();
    return r;
}

int lt_logger_remove_filter(lt_logger *lg, lt_filter *f)
{
    int r;

    LT__RETURN_IF(!lg || !f, LT_EINVAL);
    if ((r = lt__routes_wrlock(NULL)) < 0)
        return r;
    r = lt__filters_take(&LT__BASE(lg)->filters, f);
    lt__routes_wrunlock();
    /* Its last reference may run the program's free_userdata, which may log. */
    if (r == 0)
        lt_filter_unref(f);
    return r;
}

/* ---- the way up ---- */

/* Python's lastResort: WARNING and above, as the default formatter renders
 * them (the message, and an LT_ERRNO() record's strerror), to stderr. */
static void last_resort(const lt_record *rec)
{
    lt_buf line = {0};

    if (rec->levelno < LT_LEVEL_WARNING)
        return;
    (void)lt_formatter_format(lt__default_formatter(), rec, &line);
    lt_buf_putc(&line, '\n');
    if (!lt_buf_error(&line))
        (void)lt_write_all(STDERR_FILENO, lt_buf_data(&line), lt_buf_len(&line));
    lt__buf_release(&line);
}

void lt__dispatch(lt_logger *lg, lt_record *rec)
{
    size_t found = 0;

    lt__routes_rdlock();
    if (!lt__filters_pass(&lg->filters, rec)) {
        lt__routes_rdunlock();
        return;
    }
    for (lt_logger *c = lg; c; c = lt__logger_propagates(c) ? lt__logger_parent(c) : NULL) {
        for (size_t i = 0; i < c->nhandlers; i++) {
            lt_handler *h = c->handlers[i];

            found++;
            if (rec->levelno >= lt_handler_level(h))
                lt__handler_handle(h, rec);
        }
    }
    lt__routes_rdunlock();
    if (!found)
        last_resort(rec);
}
