/* logtree/logger.h - the tree of named loggers, levels, and the logging calls.
 *
 * Loggers are named with dots, "app.db.pool", and form a tree through those
 * names exactly as in Python's logging: the same name always gives the same
 * logger, "" (or NULL) is the root, a logger created before its parent is
 * re-attached when the parent appears, and a logger whose level is NOTSET
 * uses the nearest ancestor's. Loggers belong to the tree: the pointers
 * lt_get_logger() returns stay valid until the process ends and are never
 * freed by the program.
 *
 * A record logged on a logger goes to that logger's handlers, then, while
 * propagate is on, to the handlers of each ancestor up to the root. Only the
 * originating logger's level (and lt_disable()) decide whether it is logged at
 * all; the levels of the ancestors are not consulted on the way up. */
#ifndef LOGTREE_LOGGER_H
#define LOGTREE_LOGGER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <logtree/common.h>

/* Python's level numbers. Any int is a valid level; these have names. */
#define LT_LEVEL_NOTSET   0
#define LT_LEVEL_DEBUG    10
#define LT_LEVEL_INFO     20
#define LT_LEVEL_WARNING  30
#define LT_LEVEL_ERROR    40
#define LT_LEVEL_CRITICAL 50

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lt_logger lt_logger;
typedef struct lt_handler lt_handler;
typedef struct lt_filter lt_filter;

/* Where a logging call is in the source. The LT_<LEVEL>() macros make one
 * static instance per call site, so a call passes one pointer. */
typedef struct lt_callsite {
    const char *file; /* __FILE__ */
    const char *func; /* __func__ */
    int line;         /* __LINE__ */
} lt_callsite;

/**
 * The logger called @name, created (with level NOTSET) if it does not exist.
 *
 * @name is dotted, "app.db"; NULL, "" and "root" all name the root logger,
 * whose level starts at WARNING. The name is copied.
 *
 * Returns: the logger, never NULL. The pointer stays valid for the life of the
 * process and is the same for every call with the same name. (If memory runs
 * out while creating a new logger, the root logger is returned instead and the
 * failure is reported once on stderr: logging must never crash the program.)
 * Threads: any thread.
 * Since: 0.1
 */
LT_API lt_logger *lt_get_logger(const char *name);

/**
 * The logger named "<name of @lg>.<suffix>", as Python's Logger.getChild().
 *
 * Returns: the child logger, with the same guarantees as lt_get_logger().
 * Threads: any thread.
 * Since: 0.1
 */
LT_API lt_logger *lt_logger_get_child(lt_logger *lg, const char *suffix);

/**
 * The full dotted name of @lg; "root" for the root logger.
 *
 * Returns: a string owned by the logger, valid for the life of the process.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API const char *lt_logger_name(const lt_logger *lg);

/**
 * The nearest existing ancestor of @lg.
 *
 * Returns: the parent, or NULL for the root logger. It can change when a
 * logger between @lg and its current parent is created later.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API lt_logger *lt_logger_parent(const lt_logger *lg);

/**
 * Set the level of @lg: records below it are not logged.
 *
 * LT_LEVEL_NOTSET makes @lg use its nearest ancestor's level. The change is
 * seen at once by every logger below @lg that inherits it.
 *
 * Returns: nothing; this cannot fail.
 * Threads: any thread, also while other threads log.
 * Since: 0.1
 */
LT_API void lt_logger_set_level(lt_logger *lg, int level);

/**
 * The level set on @lg itself, LT_LEVEL_NOTSET if none.
 *
 * Returns: the level.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_logger_level(const lt_logger *lg);

/**
 * The level that decides for @lg: its own, or the nearest ancestor's that is
 * not NOTSET (LT_LEVEL_NOTSET if every level up to the root is NOTSET).
 *
 * Returns: the effective level.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_logger_effective_level(const lt_logger *lg);

/**
 * Whether records of @lg also go to the handlers of its ancestors (default on).
 *
 * Returns: nothing; this cannot fail.
 * Threads: any thread, also while other threads log.
 * Since: 0.1
 */
LT_API void lt_logger_set_propagate(lt_logger *lg, bool propagate);

/**
 * Whether records of @lg go on to its ancestors' handlers.
 *
 * Returns: the propagate flag.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API bool lt_logger_propagate(const lt_logger *lg);

/**
 * Switch @lg off entirely (Python's Logger.disabled), or back on.
 *
 * A disabled logger logs nothing of its own; records of its children still
 * pass through its handlers. Configuration loaders use this for
 * disable_existing_loggers.
 *
 * Returns: nothing; this cannot fail.
 * Threads: any thread, also while other threads log.
 * Since: 0.1
 */
LT_API void lt_logger_set_disabled(lt_logger *lg, bool disabled);

/**
 * Whether @lg was switched off with lt_logger_set_disabled().
 *
 * Returns: the disabled flag.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API bool lt_logger_disabled(const lt_logger *lg);

/**
 * Send the records that reach @lg to @h as well.
 *
 * Takes its own reference to @h; drop yours with lt_handler_unref() when you
 * no longer need it. Adding a handler the logger already has does nothing.
 *
 * Returns: 0, LT_EINVAL if @lg or @h is NULL, LT_ENOMEM.
 * Threads: any thread, also while other threads log through @lg.
 * Since: 0.1
 */
LT_API int lt_logger_add_handler(lt_logger *lg, lt_handler *h);

/**
 * Stop sending records of @lg to @h, and drop the logger's reference to it.
 *
 * Returns: 0, LT_ENOENT if @h is not attached to @lg, LT_EINVAL if NULL.
 * Threads: any thread, also while other threads log through @lg.
 * Since: 0.1
 */
LT_API int lt_logger_remove_handler(lt_logger *lg, lt_handler *h);

/**
 * Remove every handler of @lg (Python's `logger.handlers = []`).
 *
 * Returns: nothing; this cannot fail.
 * Threads: any thread, also while other threads log through @lg.
 * Since: 0.1
 */
LT_API void lt_logger_clear_handlers(lt_logger *lg);

/**
 * Whether a record of @lg would find any handler: on @lg or, while propagate
 * is on, on an ancestor (Python's Logger.hasHandlers()).
 *
 * Returns: true if a handler would be found.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API bool lt_logger_has_handlers(const lt_logger *lg);

/**
 * Check the records logged on @lg itself with @f (records of its children that
 * pass through are not checked, as in Python).
 *
 * Takes its own reference to @f. Adding a filter twice does nothing.
 *
 * Returns: 0, LT_EINVAL if @lg or @f is NULL, LT_ENOMEM.
 * Threads: any thread, also while other threads log through @lg.
 * Since: 0.1
 */
LT_API int lt_logger_add_filter(lt_logger *lg, lt_filter *f);

/**
 * Remove @f from @lg and drop the logger's reference to it.
 *
 * Returns: 0, LT_ENOENT if @f is not on @lg, LT_EINVAL if NULL.
 * Threads: any thread, also while other threads log through @lg.
 * Since: 0.1
 */
LT_API int lt_logger_remove_filter(lt_logger *lg, lt_filter *f);

/**
 * Ignore every record at @level or below, on every logger (logging.disable()).
 *
 * lt_disable(LT_LEVEL_NOTSET) undoes it. Records at level 0 or below are never
 * logged in any case, as in Python.
 *
 * Returns: nothing; this cannot fail.
 * Threads: any thread, also while other threads log.
 * Since: 0.1
 */
LT_API void lt_disable(int level);

/**
 * Give @level a name, printed as %(levelname)s and accepted in config files
 * (Python's addLevelName). A level without a name prints as "Level 25".
 *
 * @name is copied; it replaces any earlier name of @level, and names @level
 * when looked up. Standard names may be renamed, as in Python.
 *
 * Returns: 0, LT_EINVAL if @name is NULL or empty, LT_ENOMEM.
 * Threads: any thread, also while other threads log.
 * Since: 0.1
 */
LT_API int lt_add_level_name(int level, const char *name);

/**
 * The name of @level: "DEBUG" ... "CRITICAL", "NOTSET", or one given with
 * lt_add_level_name().
 *
 * Returns: the name (valid for the life of the process), or NULL when @level
 * has none; records print such a level as "Level N".
 * Threads: any thread.
 * Since: 0.1
 */
LT_API const char *lt_level_name(int level);

/**
 * The level called @name: a name from lt_level_name(), or "WARN" / "FATAL"
 * (Python's aliases for WARNING and CRITICAL). Case matters, as in Python.
 *
 * Returns: 0 and *@ret set, LT_ELEVEL if no level has that name, LT_EINVAL if
 * @name or @ret is NULL.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_level_from_name(const char *name, int *ret);

/**
 * Used by the LT_<LEVEL>() macros: log a printf-style message at @level on @lg.
 *
 * Call the macros instead; they skip the call (and the evaluation of the
 * arguments) when @level is disabled, and fill in @site. @site may be NULL when
 * the caller's location is unknown. errno is preserved.
 *
 * Returns: nothing: logging never fails from the caller's point of view.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API void lt_log_at(lt_logger *lg, int level, const lt_callsite *site, const char *fmt, ...)
    LT_PRINTF(4, 5);

/**
 * The va_list form of lt_log_at(), for writing wrappers around logtree.
 *
 * Returns: nothing; logging never fails from the caller's point of view.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API void lt_vlog_at(lt_logger *lg, int level, const lt_callsite *site, const char *fmt,
                       va_list ap) LT_PRINTF(4, 0);

/**
 * Used by LT_ERRNO(): as lt_log_at(), and the record also carries @errnum and
 * its strerror() text as the attributes errno and strerror. Formatters that do
 * not print those attributes themselves append ": <strerror text>" to the line.
 *
 * Returns: nothing; logging never fails from the caller's point of view.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API void lt_log_errno_at(lt_logger *lg, int level, const lt_callsite *site, int errnum,
                            const char *fmt, ...) LT_PRINTF(5, 6);

/**
 * Log @len bytes of @text as the message, as they are: no printf formatting
 * (Python's logger.log(level, msg) without arguments). For text that is not a
 * format string, such as a line read from a file.
 *
 * Returns: nothing; logging never fails from the caller's point of view.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API void lt_log_text_at(lt_logger *lg, int level, const lt_callsite *site, const char *text,
                           size_t len);

/**
 * Whether a record at @level on @lg would be logged at all.
 *
 * Inlined: one relaxed load of the logger's threshold and one compare. The
 * threshold, the first member of every logger (an int64_t, so that "nothing"
 * lies above every int level), already folds in the effective level,
 * lt_disable() and lt_logger_set_disabled(). This is the one part of a
 * logger's layout that is ABI.
 *
 * Returns: true if a record at @level would be created.
 * Threads: any thread.
 * Since: 0.1
 */
static inline bool lt_logger_is_enabled_for(const lt_logger *lg, int level)
{
    const int64_t *threshold = (const int64_t *)(const void *)lg;
#if defined(__GNUC__)
    return (int64_t)level >= __atomic_load_n(threshold, __ATOMIC_RELAXED);
#else
    return (int64_t)level >= *(const volatile int64_t *)threshold;
#endif
}

/* The calls. printf-style, checked by the compiler; the arguments are not
 * evaluated when the level is disabled; @lg and @level are evaluated once.
 *
 *     LT_INFO(lg, "request %d from %s took %.3f ms", id, ip, ms);
 *     LT_LOG(lg, 25, "custom level %d", 25);
 *     if (fd < 0) LT_ERRNO(lg, LT_LEVEL_ERROR, "cannot open %s", path);
 */
#define LT_LOG(lg, level, ...)                                                                     \
    do {                                                                                           \
        lt_logger *lt__lg = (lg);                                                                  \
        int lt__level = (level);                                                                   \
        if (lt_logger_is_enabled_for(lt__lg, lt__level)) {                                         \
            static const lt_callsite lt__site = {__FILE__, __func__, __LINE__};                    \
            lt_log_at(lt__lg, lt__level, &lt__site, __VA_ARGS__);                                  \
        }                                                                                          \
    } while (0)

#define LT_DEBUG(lg, ...)    LT_LOG((lg), LT_LEVEL_DEBUG, __VA_ARGS__)
#define LT_INFO(lg, ...)     LT_LOG((lg), LT_LEVEL_INFO, __VA_ARGS__)
#define LT_WARNING(lg, ...)  LT_LOG((lg), LT_LEVEL_WARNING, __VA_ARGS__)
#define LT_ERROR(lg, ...)    LT_LOG((lg), LT_LEVEL_ERROR, __VA_ARGS__)
#define LT_CRITICAL(lg, ...) LT_LOG((lg), LT_LEVEL_CRITICAL, __VA_ARGS__)

/* As LT_LOG(), and the record carries errno as it was before the call
 * (the C counterpart of Python's logger.exception()). */
#define LT_ERRNO(lg, level, ...)                                                                   \
    do {                                                                                           \
        int lt__errnum = errno;                                                                    \
        lt_logger *lt__lg = (lg);                                                                  \
        int lt__level = (level);                                                                   \
        if (lt_logger_is_enabled_for(lt__lg, lt__level)) {                                         \
            static const lt_callsite lt__site = {__FILE__, __func__, __LINE__};                    \
            lt_log_errno_at(lt__lg, lt__level, &lt__site, lt__errnum, __VA_ARGS__);                \
        }                                                                                          \
        errno = lt__errnum;                                                                        \
    } while (0)

/**
 * Flush and close every handler, once, and detach them from their loggers.
 *
 * Handlers are flushed first, all of them, newest first, so that a buffering
 * handler (MemoryHandler) can still hand its records to its target; then they
 * are closed, newest first. Loggers keep their levels; records logged later
 * find no handler and go to the last resort (stderr, WARNING and above) until
 * logging is configured again. Registered with atexit() on first use, so a
 * program need not call it; calling it twice is harmless.
 *
 * Returns: nothing.
 * Threads: call it when no other thread is configuring logging; threads that
 * still log meanwhile are safe, their records go to the last resort.
 * Since: 0.1
 */
LT_API void lt_shutdown(void);

#ifdef __cplusplus
}
#endif

#endif /* LOGTREE_LOGGER_H */
