/* logtree/async.h - asynchronous logging: the call copies its arguments into
 * a per-thread lock-free ring and returns; a backend thread rebuilds the
 * record, formats it and runs the handlers.
 *
 * Nothing changes at the call sites: lt_async_start() switches every logger
 * (or, with lt_logger_set_async(), a subtree) to the asynchronous path.
 * Handlers, formatters and filters behave exactly as in synchronous mode, on
 * the backend thread. Records of one thread come out in call order; records
 * of different threads come out ordered by their timestamps (see
 * docs/async.md for the exact guarantee). */
#ifndef LOGTREE_ASYNC_H
#define LOGTREE_ASYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <logtree/common.h>
#include <logtree/logger.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What a full ring does to the logging thread. */
typedef enum lt_async_overflow {
    LT_ASYNC_BLOCK = 0, /* wait (with backoff) until the backend made room: nothing is lost */
    LT_ASYNC_DROP,      /* drop the record, count it; the backend logs one notice per streak */
    LT_ASYNC_GROW       /* chain a ring twice the size, up to grow_limit, then block */
} lt_async_overflow;

/* Options of lt_async_start(). Zero means the default for each. */
typedef struct lt_async_options {
    size_t ring_size;     /* bytes of each thread's ring (rounded up to a power of two;
                             a thread keeps the ring it made in an earlier start); 0: 1 MiB */
    lt_async_overflow overflow; /* LT_ASYNC_BLOCK (0), LT_ASYNC_DROP or LT_ASYNC_GROW */
    size_t grow_limit;    /* GROW: the most bytes of rings per thread; 0: 64 MiB */
    bool per_subtree;     /* false: every logger goes async; true: only the subtrees
                             lt_logger_set_async() turned on */
    bool crash_handler;   /* drain the rings on SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT */
} lt_async_options;

/**
 * Start the backend thread and make logging asynchronous: for every logger,
 * or only for the subtrees turned on with lt_logger_set_async() when
 * @opts->per_subtree is true.
 *
 * @opts NULL means all defaults (every logger, 1 MiB rings, block). Calling
 * it while async mode runs changes nothing and returns LT_EEXIST.
 *
 * Returns: 0; LT_EEXIST; LT_EINVAL for a ring_size below 4 KiB or an unknown
 * overflow policy; the error of pthread_create().
 * Threads: any thread; serialized with other configuration calls.
 * Since: 0.1
 */
LT_API int lt_async_start(const lt_async_options *opts);

/**
 * Drain every ring, stop the backend thread, and log synchronously again.
 * lt_shutdown() and exit do this first.
 *
 * Returns: 0, or LT_ENOENT if async mode was not running.
 * Threads: any thread but the backend's (a handler calling it would wait for
 * itself: LT_EDEADLK).
 * Since: 0.1
 */
LT_API int lt_async_stop(void);

/**
 * Return once every record logged (by any thread) before the call has been
 * handed to its handlers and those handlers were flushed. In synchronous
 * mode: flush every handler.
 *
 * Returns: 0, or the first error a handler's flush returned.
 * Threads: any thread; from a handler on the backend thread it only flushes.
 * Since: 0.1
 */
LT_API int lt_flush(void);

/* Per-subtree switch for lt_logger_set_async(). */
#define LT_ASYNC_INHERIT 0 /* as the parent (the root: as lt_async_start() said) */
#define LT_ASYNC_ON      1
#define LT_ASYNC_OFF     2

/**
 * Make records of @lg and the loggers below it asynchronous (LT_ASYNC_ON),
 * synchronous (LT_ASYNC_OFF), or as @lg's parent (LT_ASYNC_INHERIT, the
 * default). Takes effect while async mode runs.
 *
 * Returns: 0, LT_EINVAL for another @mode or a NULL @lg.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_logger_set_async(lt_logger *lg, int mode);

/* Counters of the asynchronous path, from lt_async_stats(). */
typedef struct lt_async_stats {
    uint64_t enqueued;   /* records put into rings */
    uint64_t dropped;    /* records dropped by LT_ASYNC_DROP */
    uint64_t blocked_ns; /* time logging threads waited for room */
    uint64_t handled;    /* records the backend handed to handlers (counted per batch) */
    uint64_t rings;      /* rings alive now (one per logging thread) */
    uint64_t ring_bytes; /* bytes of all those rings */
} lt_async_stats;

/**
 * Read the counters of the asynchronous path, summed over all threads since
 * lt_async_start().
 *
 * Returns: 0, LT_EINVAL if @ret is NULL, LT_ENOENT if async mode never ran.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_async_stats_get(lt_async_stats *ret);

#ifdef __cplusplus
}
#endif

#endif /* LOGTREE_ASYNC_H */
