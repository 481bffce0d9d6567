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
#include <logtree/record.h>

/* Python's level numbers. Any int is a valid level; these have names. */
#define LT_LEVEL_NOTSET   0
#define LT_LEVEL_DEBUG    10
#define LT_LEVEL_INFO     20
#define LT_LEVEL_WARNING  30
#define LT_LEVEL_ERROR    40
#define LT_LEVEL_CRITICAL 50

/* The longest logger name, in bytes (without the NUL), and the most parts a
 * dotted name may have ("a.b.c" has 3; "a..b" has 3 too). Python sets no
 * limit; these keep a hostile or runaway name (one made from request data)
 * from costing unbounded memory and time in the tree. Past either,
 * lt_get_logger() returns the root logger and says so once on stderr, and a
 * config file naming such a logger is refused with its file:line:column. */
#define LT_MAX_LOGGER_NAME  1024
#define LT_MAX_LOGGER_DEPTH 64

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lt_logger lt_logger;
typedef struct lt_handler lt_handler;
typedef struct lt_filter lt_filter;

/* The C type of each argument of a logging call after the format, as the
 * call macros see it at compile time (after the default promotions). */
enum lt_arg_type {
    LT_ARG_INT = 1,  /* int and every type that promotes to it */
    LT_ARG_UINT,     /* unsigned int */
    LT_ARG_LONG,     /* long */
    LT_ARG_ULONG,    /* unsigned long */
    LT_ARG_LLONG,    /* long long */
    LT_ARG_ULLONG,   /* unsigned long long */
    LT_ARG_DOUBLE,   /* double and float */
    LT_ARG_LDOUBLE,  /* long double */
    LT_ARG_STRING,   /* char *, const char * */
    LT_ARG_POINTER,  /* any other pointer */
    LT_ARG_FIELD     /* an lt_field, from LT_F() */
};

/* Where a logging call is in the source, and what it passes. The
 * LT_<LEVEL>() macros make one static instance per call site, so a call
 * passes one pointer. A call made by hand (a wrapper around logtree) may
 * leave nargs 0 and argtypes NULL: its record then has no call-site fields. */
typedef struct lt_callsite {
    const char *file;              /* __FILE__ */
    const char *func;              /* __func__ */
    int line;                      /* __LINE__ */
    int nargs;                     /* arguments after the format, printf's and fields (<= 32) */
    const unsigned char *argtypes; /* nargs lt_arg_type codes */
    bool fmt_static;               /* the format is a string literal: asynchronous mode
                                      keeps its address instead of copying it */
    /* Which arguments are strings, for the short path of lt_log_args_at(),
     * which then never reads argtypes: bit i set when argtypes[i] is
     * LT_ARG_STRING, and LT_CALLSITE_STRINGS_SET beside them. A site made by
     * hand may leave it 0; its calls then take the general path. */
    uint64_t strings;
} lt_callsite;

/* In lt_callsite.strings: the bits below were filled in. */
#define LT_CALLSITE_STRINGS_SET ((uint64_t)1 << 32)

/**
 * The logger called @name, created (with level NOTSET) if it does not exist.
 *
 * @name is dotted, "app.db"; NULL, "" and "root" all name the root logger,
 * whose level starts at WARNING. The name is copied.
 *
 * Returns: the logger, never NULL. The pointer stays valid for the life of the
 * process and is the same for every call with the same name. (If memory runs
 * out while creating a new logger, or @name is longer than LT_MAX_LOGGER_NAME
 * bytes or has more than LT_MAX_LOGGER_DEPTH dotted parts, the root logger is
 * returned instead and the failure is reported once on stderr: logging must
 * never crash the program.)
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
 * Returns: 0, LT_EINVAL if @lg or @h is NULL, LT_ENOMEM, LT_EDEADLK when
 * called from a handler or filter while it handles a record (the change
 * would wait for that very record).
 * Threads: any thread, also while other threads log through @lg.
 * Since: 0.1
 */
LT_API int lt_logger_add_handler(lt_logger *lg, lt_handler *h);

/**
 * Stop sending records of @lg to @h, and drop the logger's reference to it.
 *
 * Returns: 0, LT_ENOENT if @h is not attached to @lg, LT_EINVAL if NULL,
 * LT_EDEADLK from a handler or filter handling a record.
 * Threads: any thread, also while other threads log through @lg.
 * Since: 0.1
 */
LT_API int lt_logger_remove_handler(lt_logger *lg, lt_handler *h);

/**
 * Remove every handler of @lg (Python's `logger.handlers = []`).
 *
 * Returns: nothing. From a handler or filter handling a record it does
 * nothing and says so on stderr (see lt_logger_add_handler()).
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
 * Returns: 0, LT_EINVAL if @lg or @f is NULL, LT_ENOMEM, LT_EDEADLK from a
 * handler or filter handling a record.
 * Threads: any thread, also while other threads log through @lg.
 * Since: 0.1
 */
LT_API int lt_logger_add_filter(lt_logger *lg, lt_filter *f);

/**
 * Remove @f from @lg and drop the logger's reference to it.
 *
 * Returns: 0, LT_ENOENT if @f is not on @lg, LT_EINVAL if NULL, LT_EDEADLK
 * from a handler or filter handling a record.
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

/* One argument of a logging call, evaluated once by the call macros and
 * read by the type its call site lists (lt_callsite.argtypes). */
typedef union lt_arg {
    int64_t i;     /* LT_ARG_INT, LT_ARG_LONG, LT_ARG_LLONG */
    uint64_t u;    /* LT_ARG_UINT, LT_ARG_ULONG, LT_ARG_ULLONG */
    double d;      /* LT_ARG_DOUBLE */
    const char *s; /* LT_ARG_STRING */
    const void *p; /* LT_ARG_POINTER */
} lt_arg;

/**
 * As lt_log_at(), with the printf arguments already evaluated into @args,
 * one per entry of @site->argtypes (@site->nargs of them), none of which may
 * be LT_ARG_LDOUBLE or LT_ARG_FIELD (lt_log_at() takes those); @site->strings,
 * if it has LT_CALLSITE_STRINGS_SET, names exactly the LT_ARG_STRING ones.
 * The LT_LOG() macros call it for a literal format: in asynchronous mode the
 * arguments go into the thread's ring without a va_list, the short path of
 * the call (docs/async.md). @fmt must stay valid for the life of the
 * process, as a literal does.
 *
 * Returns: nothing; logging never fails from the caller's point of view.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API void lt_log_args_at(lt_logger *lg, int level, const lt_callsite *site, const char *fmt,
                           const lt_arg *args);

/**
 * Log @text (at most 255 bytes of it; the rest is cut) from a signal
 * handler: the one logging call that is async-signal-safe. It takes no
 * lock and allocates nothing: the text is copied into one of 32 fixed
 * slots with lock-free atomics, and logged for real through @lg, with the
 * ordinary path (filters, handlers, propagation, asynchronous mode), by the
 * next enabled record any thread logs, by lt_flush() or by lt_shutdown();
 * so the record's time, thread and call site are those of that moment, and
 * the record's function is "(signal handler)". Every other logging call
 * must not be made from a signal handler: it may deadlock on a lock the
 * interrupted thread holds. Other async-signal-safe calls: lt_reopen_files(),
 * lt_config_reload_request(). docs/security.md, "Signals and fork".
 *
 * Returns: 0 (queued, or @level disabled for @lg); LT_EINVAL for a NULL
 * @lg or @text; LT_EAGAIN when all 32 slots wait to be logged (the record
 * is lost, and the loss reported on stderr at the next drain).
 * Threads: any thread, and signal handlers. Async-signal-safe: yes.
 * Since: 0.1
 */
LT_API int lt_log_signal_safe(lt_logger *lg, int level, const char *text);

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

/* The calls. printf-style, checked by the compiler; then any number of
 * fields (LT_F(), record.h); the arguments are not evaluated when the level
 * is disabled; @lg and @level are evaluated once. At most 32 arguments
 * follow the format.
 *
 *     LT_INFO(lg, "request %d from %s took %.3f ms", id, ip, ms);
 *     LT_INFO(lg, "user %s logged in", name, LT_F("uid", uid), LT_F("admin", is_admin));
 *     LT_LOG(lg, 25, "custom level %d", 25);
 *     if (fd < 0) LT_ERRNO(lg, LT_LEVEL_ERROR, "cannot open %s", path);
 *
 * The compiler checks the printf arguments against the format (a missing
 * argument, a wrong type); the fields after them are not printf's business,
 * so the macros switch off only -Wformat-extra-args for the call. In C++ the
 * macros take printf arguments only. */
#ifndef __cplusplus
#define LT_ARG_TYPE(x)                                                                             \
    _Generic((x),                                                                                  \
        _Bool: LT_ARG_INT,                                                                         \
        char: LT_ARG_INT,                                                                          \
        signed char: LT_ARG_INT,                                                                   \
        unsigned char: LT_ARG_INT,                                                                 \
        short: LT_ARG_INT,                                                                         \
        unsigned short: LT_ARG_INT,                                                                \
        int: LT_ARG_INT,                                                                           \
        unsigned: LT_ARG_UINT,                                                                     \
        long: LT_ARG_LONG,                                                                         \
        unsigned long: LT_ARG_ULONG,                                                               \
        long long: LT_ARG_LLONG,                                                                   \
        unsigned long long: LT_ARG_ULLONG,                                                         \
        float: LT_ARG_DOUBLE,                                                                      \
        double: LT_ARG_DOUBLE,                                                                     \
        long double: LT_ARG_LDOUBLE,                                                               \
        char *: LT_ARG_STRING,                                                                     \
        const char *: LT_ARG_STRING,                                                               \
        lt_field: LT_ARG_FIELD,                                                                    \
        default: LT_ARG_POINTER)
#else
#define LT_ARG_TYPE(x) LT_ARG_POINTER
#endif

/* The number of arguments after the first (the format), 0 to 32. */
#define LT__ARGC(...) LT__PICK(__VA_ARGS__, 32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, ~)
#define LT__PICK(_0, _1, _2, _3, _4, _5, _6, _7, _8, _9, _10, _11, _12, _13, _14, _15, _16, _17, _18, _19, _20, _21, _22, _23, _24, _25, _26, _27, _28, _29, _30, _31, _32, n, ...) n
#define LT__CAT(a, b)  LT__CAT_(a, b)
#define LT__CAT_(a, b) a##b

/* LT__EACH(M, fmt, args...): M(i, arg) for each argument after the format,
 * i counting from 0. */
#define LT__EACH(M, ...)                                                                           \
    LT__CAT(LT__EACH_, LT__ARGC(__VA_ARGS__))(M, LT__ARGC(__VA_ARGS__), __VA_ARGS__)
#define LT__EACH_0(M, n, f)
#define LT__EACH_1(M, n, f, a) M((n) - 1, a)
#define LT__EACH_2(M, n, f, a, ...) M((n) - 2, a) LT__EACH_1(M, n, f, __VA_ARGS__)
#define LT__EACH_3(M, n, f, a, ...) M((n) - 3, a) LT__EACH_2(M, n, f, __VA_ARGS__)
#define LT__EACH_4(M, n, f, a, ...) M((n) - 4, a) LT__EACH_3(M, n, f, __VA_ARGS__)
#define LT__EACH_5(M, n, f, a, ...) M((n) - 5, a) LT__EACH_4(M, n, f, __VA_ARGS__)
#define LT__EACH_6(M, n, f, a, ...) M((n) - 6, a) LT__EACH_5(M, n, f, __VA_ARGS__)
#define LT__EACH_7(M, n, f, a, ...) M((n) - 7, a) LT__EACH_6(M, n, f, __VA_ARGS__)
#define LT__EACH_8(M, n, f, a, ...) M((n) - 8, a) LT__EACH_7(M, n, f, __VA_ARGS__)
#define LT__EACH_9(M, n, f, a, ...) M((n) - 9, a) LT__EACH_8(M, n, f, __VA_ARGS__)
#define LT__EACH_10(M, n, f, a, ...) M((n) - 10, a) LT__EACH_9(M, n, f, __VA_ARGS__)
#define LT__EACH_11(M, n, f, a, ...) M((n) - 11, a) LT__EACH_10(M, n, f, __VA_ARGS__)
#define LT__EACH_12(M, n, f, a, ...) M((n) - 12, a) LT__EACH_11(M, n, f, __VA_ARGS__)
#define LT__EACH_13(M, n, f, a, ...) M((n) - 13, a) LT__EACH_12(M, n, f, __VA_ARGS__)
#define LT__EACH_14(M, n, f, a, ...) M((n) - 14, a) LT__EACH_13(M, n, f, __VA_ARGS__)
#define LT__EACH_15(M, n, f, a, ...) M((n) - 15, a) LT__EACH_14(M, n, f, __VA_ARGS__)
#define LT__EACH_16(M, n, f, a, ...) M((n) - 16, a) LT__EACH_15(M, n, f, __VA_ARGS__)
#define LT__EACH_17(M, n, f, a, ...) M((n) - 17, a) LT__EACH_16(M, n, f, __VA_ARGS__)
#define LT__EACH_18(M, n, f, a, ...) M((n) - 18, a) LT__EACH_17(M, n, f, __VA_ARGS__)
#define LT__EACH_19(M, n, f, a, ...) M((n) - 19, a) LT__EACH_18(M, n, f, __VA_ARGS__)
#define LT__EACH_20(M, n, f, a, ...) M((n) - 20, a) LT__EACH_19(M, n, f, __VA_ARGS__)
#define LT__EACH_21(M, n, f, a, ...) M((n) - 21, a) LT__EACH_20(M, n, f, __VA_ARGS__)
#define LT__EACH_22(M, n, f, a, ...) M((n) - 22, a) LT__EACH_21(M, n, f, __VA_ARGS__)
#define LT__EACH_23(M, n, f, a, ...) M((n) - 23, a) LT__EACH_22(M, n, f, __VA_ARGS__)
#define LT__EACH_24(M, n, f, a, ...) M((n) - 24, a) LT__EACH_23(M, n, f, __VA_ARGS__)
#define LT__EACH_25(M, n, f, a, ...) M((n) - 25, a) LT__EACH_24(M, n, f, __VA_ARGS__)
#define LT__EACH_26(M, n, f, a, ...) M((n) - 26, a) LT__EACH_25(M, n, f, __VA_ARGS__)
#define LT__EACH_27(M, n, f, a, ...) M((n) - 27, a) LT__EACH_26(M, n, f, __VA_ARGS__)
#define LT__EACH_28(M, n, f, a, ...) M((n) - 28, a) LT__EACH_27(M, n, f, __VA_ARGS__)
#define LT__EACH_29(M, n, f, a, ...) M((n) - 29, a) LT__EACH_28(M, n, f, __VA_ARGS__)
#define LT__EACH_30(M, n, f, a, ...) M((n) - 30, a) LT__EACH_29(M, n, f, __VA_ARGS__)
#define LT__EACH_31(M, n, f, a, ...) M((n) - 31, a) LT__EACH_30(M, n, f, __VA_ARGS__)
#define LT__EACH_32(M, n, f, a, ...) M((n) - 32, a) LT__EACH_31(M, n, f, __VA_ARGS__)

/* ", LT_ARG_TYPE(a)" for each argument after the format. */
#define LT__TYPE_OF(i, a) , LT_ARG_TYPE(a)
#define LT__TYPES(...)    LT__EACH(LT__TYPE_OF, __VA_ARGS__)

/* lt_callsite.strings: a bit for each string argument. */
#define LT__STRING_BIT(i, a) | ((uint64_t)(LT_ARG_TYPE(a) == LT_ARG_STRING) << (i))
#define LT__STRINGS(...)     (LT_CALLSITE_STRINGS_SET LT__EACH(LT__STRING_BIT, __VA_ARGS__))

#if defined(__GNUC__)
#define LT__FIELDS_ARE_NOT_PRINTF_ARGS                                                             \
    _Pragma("GCC diagnostic push") _Pragma("GCC diagnostic ignored \"-Wformat-extra-args\"")
#define LT__END_FIELDS _Pragma("GCC diagnostic pop")
#else
#define LT__FIELDS_ARE_NOT_PRINTF_ARGS
#define LT__END_FIELDS
#endif

/* Whether the format (the first argument) is a string literal. */
#define LT__FIRST(...)     LT__FIRST_(__VA_ARGS__, ~)
#define LT__FIRST_(a, ...) a
#if defined(__GNUC__)
#define LT__IS_LITERAL(x) __builtin_constant_p(x)
#else
#define LT__IS_LITERAL(x) 0
#endif

/* The static description of one call site. */
#ifndef __cplusplus
#define LT__SITE(name, ...)                                                                        \
    static const unsigned char name##_types[] = {0 LT__TYPES(__VA_ARGS__)};                        \
    static const lt_callsite name = {__FILE__, __func__, __LINE__, LT__ARGC(__VA_ARGS__),          \
                                     name##_types + 1,                                             \
                                     LT__IS_LITERAL(LT__FIRST(__VA_ARGS__)),                        \
                                     LT__STRINGS(__VA_ARGS__)}
#else
#define LT__SITE(name, ...)                                                                        \
    static const lt_callsite name = {__FILE__, __func__, __LINE__, 0, 0,                           \
                                     LT__IS_LITERAL(LT__FIRST(__VA_ARGS__))}
#endif

/* The call itself. A literal format with no field and no long double among
 * its arguments (known at compile time) has them evaluated into an array and
 * goes to lt_log_args_at(); any other call to lt_log_at(). Either branch
 * evaluates each argument once; the compiler drops the other. */
#if !defined(__cplusplus) && defined(__GNUC__)
static inline lt_arg lt__arg_i(long long x)
{
    lt_arg a;
    a.i = x;
    return a;
}
static inline lt_arg lt__arg_u(unsigned long long x)
{
    lt_arg a;
    a.u = x;
    return a;
}
static inline lt_arg lt__arg_d(double x)
{
    lt_arg a;
    a.d = x;
    return a;
}
static inline lt_arg lt__arg_s(const char *x)
{
    lt_arg a;
    a.s = x;
    return a;
}
static inline lt_arg lt__arg_p(const void *x)
{
    lt_arg a;
    a.p = x;
    return a;
}
/* Never called: the calls with such arguments take lt_log_at(). */
static inline lt_arg lt__arg_ld(long double x)
{
    return lt__arg_d((double)x);
}
static inline lt_arg lt__arg_field(lt_field f)
{
    return lt__arg_s(f.key);
}
#define LT__ARG(x)                                                                                 \
    _Generic((x),                                                                                  \
        _Bool: lt__arg_i,                                                                          \
        char: lt__arg_i,                                                                           \
        signed char: lt__arg_i,                                                                    \
        unsigned char: lt__arg_i,                                                                  \
        short: lt__arg_i,                                                                          \
        unsigned short: lt__arg_i,                                                                 \
        int: lt__arg_i,                                                                            \
        unsigned: lt__arg_u,                                                                       \
        long: lt__arg_i,                                                                           \
        unsigned long: lt__arg_u,                                                                  \
        long long: lt__arg_i,                                                                      \
        unsigned long long: lt__arg_u,                                                             \
        float: lt__arg_d,                                                                          \
        double: lt__arg_d,                                                                         \
        long double: lt__arg_ld,                                                                   \
        char *: lt__arg_s,                                                                         \
        const char *: lt__arg_s,                                                                   \
        lt_field: lt__arg_field,                                                                   \
        default: lt__arg_p)(x)
#define LT__PUT_ARG(i, a) lt__args[i] = LT__ARG(a);
#define LT__IS_SLOW(i, a) +_Generic((a), lt_field: 1, long double: 1, default: 0)
#define LT__SEND(lg, level, site, ...)                                                             \
    if (LT__IS_LITERAL(LT__FIRST(__VA_ARGS__)) && (0 LT__EACH(LT__IS_SLOW, __VA_ARGS__)) == 0) {   \
        lt_arg lt__args[LT__ARGC(__VA_ARGS__) + 1];                                                \
        lt__args[LT__ARGC(__VA_ARGS__)].u = 0;                                                     \
        LT__EACH(LT__PUT_ARG, __VA_ARGS__)                                                         \
        lt_log_args_at(lg, level, site, LT__FIRST(__VA_ARGS__), lt__args);                         \
    } else                                                                                         \
        lt_log_at(lg, level, site, __VA_ARGS__)
#else
#define LT__SEND(lg, level, site, ...) lt_log_at(lg, level, site, __VA_ARGS__)
#endif

#define LT_LOG(lg, level, ...)                                                                     \
    do {                                                                                           \
        lt_logger *lt__lg = (lg);                                                                  \
        int lt__level = (level);                                                                   \
        if (lt_logger_is_enabled_for(lt__lg, lt__level)) {                                         \
            LT__SITE(lt__site, __VA_ARGS__);                                                       \
            LT__FIELDS_ARE_NOT_PRINTF_ARGS                                                         \
            LT__SEND(lt__lg, lt__level, &lt__site, __VA_ARGS__);                                   \
            LT__END_FIELDS                                                                         \
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
            LT__SITE(lt__site, __VA_ARGS__);                                                       \
            LT__FIELDS_ARE_NOT_PRINTF_ARGS                                                         \
            lt_log_errno_at(lt__lg, lt__level, &lt__site, lt__errnum, __VA_ARGS__);                \
            LT__END_FIELDS                                                                         \
        }                                                                                          \
        errno = lt__errnum;                                                                        \
    } while (0)

/**
 * A logger that adds @fields to every record it logs (Python's LoggerAdapter,
 * structlog's bind): a view of @lg, not a new logger in the tree.
 *
 * The view logs as @lg does (same name, levels, handlers, filters); every
 * function that takes a logger accepts a view and acts on @lg. Binding a view
 * again makes a view of @lg with both sets of fields; a key bound again takes
 * the newer value. Call-site fields override bound ones, which override the
 * thread's context. The fields (keys and string values) are copied. Binding
 * costs an allocation and a brief lock that records never take; free the
 * view with lt_unbind().
 *
 *     lt_logger *req = lt_bind(lg, (lt_field[]){LT_F("request_id", id)}, 1);
 *     LT_INFO(req, "started");
 *     lt_unbind(req);
 *
 * Returns: the view, or NULL if @lg is NULL, @n > 0 with @fields NULL, or
 * memory runs out. Keys outside the documented set are renamed as LT_F() says.
 * Threads: any thread; the view may be used from any thread.
 * Since: 0.1
 */
LT_API lt_logger *lt_bind(lt_logger *lg, const lt_field *fields, size_t n);

/**
 * Free a view made by lt_bind(). NULL is ignored; passing a logger from
 * lt_get_logger() does nothing (loggers are never freed).
 *
 * Returns: nothing.
 * Threads: any thread, once no other thread uses the view any more.
 * Since: 0.1
 */
LT_API void lt_unbind(lt_logger *view);

/* lt_bind() with the fields written in place:
 *     lt_logger *req = LT_BIND(lg, LT_F("request_id", id), LT_F("user", name)); */
#define LT_BIND(lg, ...)                                                                           \
    lt_bind((lg), (lt_field[]){__VA_ARGS__}, sizeof((lt_field[]){__VA_ARGS__}) / sizeof(lt_field))

/**
 * Add @fields to every record logged on this thread from now until the
 * matching lt_context_pop() (log4j's MDC, Python's contextvars): a request
 * id set once per request. Pushes nest; a key pushed again hides the older
 * value until the newer is popped.
 *
 * The fields are copied. They are captured when a record is made, on the
 * logging thread, so they stay right wherever the record is formatted later.
 *
 * Returns: the depth after the push (1 for the first), to hand to
 * lt_context_restore(); LT_EINVAL if @n > 0 and @fields is NULL; LT_ENOMEM.
 * Threads: acts on the calling thread's context only.
 * Since: 0.1
 */
LT_API int lt_context_push(const lt_field *fields, size_t n);

/**
 * Remove the fields of the latest lt_context_push() of this thread.
 *
 * Returns: the depth after the pop, or LT_ENOENT if nothing was pushed.
 * Threads: acts on the calling thread's context only.
 * Since: 0.1
 */
LT_API int lt_context_pop(void);

/**
 * Pop until the depth is @depth (a value lt_context_push() returned minus
 * one, or 0 for none): the way back after an early return or a longjmp.
 *
 * Returns: nothing.
 * Threads: acts on the calling thread's context only.
 * Since: 0.1
 */
LT_API void lt_context_restore(int depth);

/* lt_context_push() with the fields written in place. */
#define LT_CONTEXT_PUSH(...)                                                                       \
    lt_context_push((lt_field[]){__VA_ARGS__}, sizeof((lt_field[]){__VA_ARGS__}) / sizeof(lt_field))

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
