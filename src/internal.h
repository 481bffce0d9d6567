/* src/internal.h - what the files of the core share and nobody else sees.
 *
 * Everything declared here is lt__-prefixed and hidden from the shared
 * library's exports (the whole build uses -fvisibility=hidden; only LT_API
 * symbols are exported). */
#ifndef LOGTREE_INTERNAL_H
#define LOGTREE_INTERNAL_H

#include <limits.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <logtree/logtree.h>

#define LT__ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Thread-locals a logging call reads: at a fixed offset from the thread
 * pointer, not through __tls_get_addr() (the library is position-independent
 * code). The cost: they take static TLS space, which a dlopen()ed copy of
 * the library finds in glibc's surplus (they are a few dozen bytes). */
#if defined(__GNUC__)
#define LT__NOINLINE __attribute__((noinline))
#define LT__ALWAYS_INLINE __attribute__((always_inline))
#define LT__HOT_TLS _Thread_local __attribute__((tls_model("initial-exec")))
#else
#define LT__NOINLINE
#define LT__ALWAYS_INLINE
#define LT__HOT_TLS _Thread_local
#endif

/* Argument checks at the public API (systemd's assert_return). */
#define LT__RETURN_IF(cond, code)                                                                  \
    do {                                                                                           \
        if (cond)                                                                                  \
            return (code);                                                                         \
    } while (0)

/* A growable set of filters, kept by loggers and handlers. */
struct lt__filters {
    lt_filter **items;
    size_t n;
    size_t cap;
};

#include "buf.h"

/* Add to a counter others only read, written by one thread at a time (its
 * owner, or under a lock): a plain add, not a locked one, which would be a
 * good part of a logging call's or a record's cost. */
static inline void lt__count_alone(_Atomic uint64_t *counter, uint64_t n)
{
    atomic_store_explicit(counter, atomic_load_explicit(counter, memory_order_relaxed) + n,
                          memory_order_relaxed);
}

/* The message of a printf-style call as vsnprintf() would write it, made
 * with the call site's argument types (replay.c: faster, same bytes).
 * Returns false, having appended nothing, when it cannot promise the same
 * bytes (no types, a format that is not a literal, a %n): use vsnprintf(). */
bool lt__format_message(const lt_callsite *site, const char *fmt, va_list ap, int saved_errno,
                        lt_buf *out) LT_PRINTF(2, 0);
/* The same for lt_log_args_at()'s arguments; there is no va_list to fall
 * back on, so the text is appended whatever it returns. */
bool lt__format_args(const lt_callsite *site, const char *fmt, const lt_arg *args, int saved_errno,
                     lt_buf *out);

/* ---- records (record.c) ------------------------------------------------ */

/* Blocks a record owns (copied fields), freed with it. */
struct lt__owned {
    struct lt__owned *next;
};

/* A record lives on the logging thread's stack for the length of one call
 * (sync mode), or on the heap when copied. Strings it points to are borrowed
 * (logger name, call site, thread name, fields) unless the record is a copy,
 * which owns them. lt__record_init() sets every member before levelname_buf,
 * one by one: a new member needs its line there. */
struct lt_record {
    const char *name;
    size_t name_len;
    int levelno;
    const char *levelname;
    size_t levelname_len;
    const char *pathname;
    const char *funcname;
    int lineno;
    struct timespec created;
    const char *msg; /* the printf format, or the text itself */
    const char *message;
    size_t message_len;
    bool message_plain; /* known to be printable ASCII only (lt__record_message_plain()) */
    int errnum;           /* 0 unless logged with LT_ERRNO() */
    const char *strerror; /* "" unless errnum */
    unsigned long thread;
    const char *thread_name;
    const char *process_name;
    long process;
    lt_field *fields;      /* keys valid and distinct */
    size_t nfields;
    size_t fields_cap;     /* 0 while @fields is borrowed (the caller's array) */
    struct lt__owned *owned; /* copied fields, a copy's strings */
    char levelname_buf[24];  /* "Level N" for unnamed levels */
    char strerror_buf[128];
};

/* Fill @rec for a call on @lg (log.c; the backend passes what the call's
 * thread and time were). */
void lt__record_init(lt_record *rec, lt_logger *lg, int level, const lt_callsite *site,
                     struct timespec created, unsigned long thread, const char *thread_name);
void lt__record_set_errno(lt_record *rec, int errnum);
/* Keep call-site fields whose keys are not valid under "_" + the key, in
 * copies @rec owns (what LT_F() promises); drop one if memory runs out.
 * Returns how many remain at the front of @fields. */
size_t lt__record_fix_keys(lt_record *rec, lt_field *fields, size_t n);

/* Free what the record owns besides itself: a stack record's added fields. */
void lt__record_release(lt_record *rec);

/* The names Python gives the record's attributes; true if @name is one. */
bool lt__is_record_attr(const char *name);

/* ---- fields (fields.c) --------------------------------------------------- */

/* A key of the documented set that names no attribute. */
bool lt__key_valid(const char *key);

/* One block holding a copy of @n fields, their keys (fixed as LT_F() says)
 * and string values; lt__fields_free() frees it, or lt__owned_add() hands it
 * to a record's list. NULL if out of memory. */
lt_field *lt__fields_dup(const lt_field *src, size_t n);
void lt__fields_free(lt_field *fields);
void lt__owned_add(struct lt__owned **list, lt_field *fields);
void lt__owned_free(struct lt__owned **list);

/* Append @src to @dst (room for *@n + @m), a key already there keeping its
 * place and taking the new value. */
void lt__fields_merge(lt_field *dst, size_t *n, const lt_field *src, size_t m);
/* Past LT_MAX_FIELDS, the last field says how many were left out (record.h). */
void lt__fields_cap(lt_field *fields, size_t *n);

/* The fields pushed on this thread (context.c): the newest push last. */
/* The number of fields the calling thread's context holds (context.c keeps
 * it; read inline by every call). */
extern LT__HOT_TLS size_t lt__context_n;
static inline size_t lt__context_count(void)
{
    return lt__context_n;
}
size_t lt__context_collect(lt_field *dst, size_t n);

/* ---- levels (level.c) -------------------------------------------------- */

/* The name of @level for a record, "Level N" written into @buf if unnamed;
 * its length in *@len. */
const char *lt__level_name_or_number(int level, char *buf, size_t size, size_t *len);

/* ---- the process, threads and time (process.c) ------------------------- */

/* Run once before anything else touches the library's state. */
void lt__init(void);
const char *lt__process_name(void);
long lt__pid(void);
const char *lt__thread_name(void);
struct timespec lt__start_time(void);

/* Report a problem of the library itself on stderr: the one place besides
 * handler failures where logtree prints. */
void lt__report(const char *fmt, ...) LT_PRINTF(1, 2);

/* ---- records from signal handlers (signal_log.c) ------------------------ */

/* Log what lt_log_signal_safe() left, if anything (one relaxed load when
 * nothing): from every record of a normal context, lt_flush() and
 * lt_shutdown(). */
void lt__signal_log_drain_slow(void);
/* Set by signal handlers (slots ready, records refused); read inline by every
 * call, written only when a signal handler logs. */
extern atomic_uint lt__signal_pending, lt__signal_lost;
static inline bool lt__signal_log_waiting(void)
{
    return atomic_load_explicit(&lt__signal_pending, memory_order_relaxed) ||
           atomic_load_explicit(&lt__signal_lost, memory_order_relaxed);
}
static inline void lt__signal_log_drain(void)
{
    if (lt__signal_log_waiting())
        lt__signal_log_drain_slow();
}
void lt__signal_log_atfork_child(void);

/* ---- the tree (logger.c) ------------------------------------------------ */

/* Above every int level: nothing is logged. */
#define LT__THRESHOLD_NONE ((int64_t)INT_MAX + 1)

/* A logger of the tree, or a view of one made by lt_bind() (@base set). */
struct lt_logger {
    int64_t threshold; /* first: read inline by lt_logger_is_enabled_for() */
    int level;
    bool propagate;
    bool disabled;
    char *name;
    size_t name_len;
    lt_logger *parent;
    lt_handler **handlers;
    size_t nhandlers;
    size_t handlers_cap;
    struct lt__filters filters;
    lt_logger *next; /* in its hash bucket; for a view, in the list of views */
    lt_logger *base; /* a view's logger, NULL for a logger of the tree */
    lt_field *bound; /* a view's fields (lt__fields_dup()) */
    size_t nbound;
    int async_mode;  /* LT_ASYNC_INHERIT, _ON or _OFF, as set */
    bool async_on;   /* its records go to rings while async mode runs (atomic reads) */
};

/* The logger of the tree that @lg is, or is a view of. */
#define LT__BASE(lg) ((lg)->base ? (lg)->base : (lg))

/* With the state locked: give every view its logger's threshold (bind.c). */
void lt__views_refresh_locked(void);

/* The state lock (logger.c) guards names, parents, levels, flags and views;
 * the routes lock (routes.c) guards the handler and filter lists, read-held
 * by a record on its way. Order: config lock, routes, state, a handler's
 * lock, the handler registry. */
void lt__state_lock(void);
void lt__state_unlock(void);
void lt__routes_rdlock(void);
void lt__routes_rdunlock(void);
/* 0; LT_EDEADLK when called from a handler or filter on a record's way;
 * LT_EAGAIN when @deadline (NULL: none) passed. Nests on one thread. */
int lt__routes_wrlock(const struct timespec *deadline);
void lt__routes_wrunlock(void);

lt_logger *lt__root(void);
/* Atomic reads, for records on their way up while the tree changes. */
lt_logger *lt__logger_parent(const lt_logger *lg);
bool lt__logger_propagates(const lt_logger *lg);

/* Deliver @rec, logged on @lg, to the handlers on its way up (log.c).
 * Called with nothing locked. */
void lt__dispatch(lt_logger *lg, lt_record *rec);

/* With the routes write-locked and the state locked: remove every handler of
 * every logger, handing their references to the caller through @fn. */
void lt__tree_detach_all_handlers_locked(void (*fn)(lt_handler *h, void *ud), void *ud);

/* With the state locked: the loggers by name, for config loaders. */
lt_logger *lt__logger_lookup_locked(const char *name);
/* NULL for a name too long or too deep (or out of memory). */
lt_logger *lt__get_logger_locked(const char *name);
/* NULL if @name is within LT_MAX_LOGGER_NAME and LT_MAX_LOGGER_DEPTH; else
 * why not, written into @buf. */
const char *lt__logger_name_problem(const char *name, char *buf, size_t size);
size_t lt__logger_count_locked(void); /* not counting the root */
void lt__logger_for_each_locked(void (*fn)(lt_logger *lg, void *ud), void *ud);

/* With the state locked: the setters without the locking. Thresholds are
 * stale until lt__tree_refresh_locked(). Handlers: with the routes
 * write-locked. */
void lt__logger_set_level_locked(lt_logger *lg, int level);
void lt__logger_set_propagate_locked(lt_logger *lg, bool propagate);
void lt__logger_set_disabled_locked(lt_logger *lg, bool disabled);
void lt__tree_refresh_locked(void);
/* Whether loggers whose subtree says nothing go async (lt_async_start()). */
void lt__logger_set_async_default_locked(bool on);
int lt__logger_add_handler_locked(lt_logger *lg, lt_handler *h);
void lt__logger_detach_handlers_locked(lt_logger *lg, void (*fn)(lt_handler *h, void *ud),
                                       void *ud);
size_t lt__logger_handler_count_locked(const lt_logger *lg);

/* Fork safety (process.c runs them in lock order). */
void lt__routes_atfork_prepare(void);
void lt__routes_atfork_parent(void);
void lt__routes_atfork_child(void);
void lt__state_atfork_child(void);
void lt__levels_atfork_prepare(void);
void lt__levels_atfork_parent(void);
void lt__levels_atfork_child(void);

/* ---- asynchronous mode (async.c, backend.c) ------------------------------ */

/* The hot path: true if the call went to the thread's ring (or was dropped
 * by the overflow policy); false: log it synchronously. */
bool lt__async_log(lt_logger *lg, int level, const lt_callsite *site, int errnum,
                   const char *fmt, va_list ap) LT_PRINTF(5, 0);
bool lt__async_text(lt_logger *lg, int level, const lt_callsite *site, const char *text,
                    size_t len);
/* The same for lt_log_args_at()'s calls its short path does not take
 * (lt__async_short(), async.h). */
bool lt__async_log_args(lt_logger *lg, int level, const lt_callsite *site, const char *fmt,
                        const lt_arg *args, int saved_errno);
/* lt_async_start() and lt_async_stop() with the config lock held. */
int lt__async_start_locked(const lt_async_options *opts);
int lt__async_stop_locked(void);
/* Whether the calling thread consumes the rings (the backend, or a thread
 * draining them): it logs synchronously. backend.c sets it. */
extern LT__HOT_TLS bool lt__is_backend;
static inline bool lt__on_backend_thread(void)
{
    return lt__is_backend;
}
/* lt_async_stop() for the shutdown at exit: gives up at @deadline. */
void lt__async_stop_until(const struct timespec *deadline);
void lt__async_atfork_prepare(void);
void lt__async_atfork_parent(void);
void lt__async_atfork_child(void);

/* ---- handlers (handler.c) ------------------------------------------------ */

/* Filters, format, emit, under the handler's lock; no level check. Returns as
 * lt_handler_handle(). */
int lt__handler_handle(lt_handler *h, lt_record *rec);

/* lt_handler_close(), giving up at @deadline (NULL: wait); false then. */
bool lt__handler_close_until(lt_handler *h, const struct timespec *deadline);

/* What lt_dump_tree() shows of a handler; @formatter is a reference of the
 * caller's (or NULL). */
struct lt__handler_view {
    const char *kind;
    bool named; /* a name of its own, not the kind's */
    int level;
    lt_formatter *formatter;
    lt_buf *filters; /* the caller's: one "name='x'" per filter, '\n' after each */
};
void lt__handler_describe(lt_handler *h, struct lt__handler_view *v);
/* Append what @f is: name='app.db' for a name filter. */
void lt__filter_describe(const lt_filter *f, lt_buf *out);

/* Flush every live handler, newest first. Returns 0 or the first error. */
int lt__handlers_flush_all(void);

/* A batch of records on the calling thread (the async backend): kinds may
 * hold what they write until lt__batch_end() (lt_handler_batch_hold()). */
void lt__batch_begin(void);
void lt__batch_end(void);

/* Flush then close every live handler, newest first (lt_shutdown()); a
 * handler still locked at @deadline is skipped (NULL: wait for each). */
void lt__handlers_shutdown(const struct timespec *deadline);

/* lt_shutdown() for atexit(): gives up on locks still held after 2 s, so
 * that a thread stuck in a handler cannot keep the process from exiting. */
void lt__shutdown_at_exit(void);

void lt__handlers_atfork_prepare(void);
void lt__handlers_atfork_parent(void);
void lt__handlers_atfork_child(void);

/* Handlers taken off the tree (shutdown, a new configuration), kept to be
 * closed once the tree lock is released (lifecycle.c). */
struct lt__detached {
    lt_handler **items;
    size_t n;
    size_t cap;
};
void lt__detached_keep(lt_handler *h, void *ud); /* an lt__tree_detach_all_handlers_locked() callback */
/* Close, unref, and empty @d; a handler still locked at @deadline (NULL:
 * wait) keeps its reference, never to be freed. */
void lt__detached_close(struct lt__detached *d, const struct timespec *deadline);

/* ---- filters (filter.c) -------------------------------------------------- */


int lt__filters_add(struct lt__filters *fs, lt_filter *f);
/* Remove @f and hand its reference to the caller (who drops it once no lock
 * is held: its free_userdata may log). 0 or LT_ENOENT. */
int lt__filters_take(struct lt__filters *fs, lt_filter *f);
void lt__filters_clear(struct lt__filters *fs);
bool lt__filters_pass(const struct lt__filters *fs, lt_record *rec);

/* ---- formatting helpers (formatter.c) ------------------------------------ */

/* The formatter of handlers that have none: "%(message)s". */
lt_formatter *lt__default_formatter(void);

/* ---- configuration (config_*.c) ------------------------------------------ */

/* Serializes configuration calls (basic config, config files, shutdown). */
void lt__config_lock(void);
void lt__config_unlock(void);
void lt__config_atfork_child(void); /* fresh locks in a child: see process.c */

/* Fill @err (may be NULL) and return @code. */
int lt__error_set(lt_error *err, int code, const char *file, int line, int column,
                  const char *fmt, ...) LT_PRINTF(6, 7);

#endif /* LOGTREE_INTERNAL_H */
