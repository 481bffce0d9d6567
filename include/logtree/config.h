/* logtree/config.h - setting logging up in one call: basicConfig, Python's
 * fileConfig INI files and dictConfig JSON files; reloading them while the
 * program runs; the environment's overrides; the tree as text.
 *
 * A configuration is checked completely before anything changes: a call that
 * fails leaves the running configuration exactly as it was, and fills an
 * lt_error that says where (file, line, column) and what was wrong.
 *
 * The environment: LOGTREE_CONFIG=path is loaded (lt_config_file()) at the
 * first lt_get_logger() when the program has configured nothing by then;
 * LOGTREE_LEVEL=debug (the root's level) or
 * LOGTREE_LEVEL=app.db=debug,app.http=warning is applied after every
 * configuration and at the first lt_get_logger(), so it wins over config
 * files. docs/config.md has the details. */
#ifndef LOGTREE_CONFIG_H
#define LOGTREE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <logtree/common.h>

/* The largest configuration, INI or JSON, in bytes: real ones are a few
 * kilobytes. A longer file or string is refused (LT_EFBIG) before it is
 * parsed, the lt_error naming the line and column of its first byte past the
 * limit; of a file, no more than that is read. */
#define LT_MAX_CONFIG_BYTES ((size_t)1 << 20)

#ifdef __cplusplus
extern "C" {
#endif

/* Options of lt_basic_config(), Python's basicConfig() keywords. Zero means
 * Python's default for each. */
typedef struct lt_basic_options {
    const char *format;   /* NULL: "%(levelname)s:%(name)s:%(message)s" (in the style) */
    const char *datefmt;  /* NULL: the default time format */
    char style;           /* '%' (also 0), '{' or '$' */
    int level;            /* root's level; LT_LEVEL_NOTSET (0) leaves it alone */
    FILE *stream;         /* StreamHandler on this stream (stderr if no filename) */
    const char *filename; /* FileHandler on this file instead; not with stream */
    const char *filemode; /* "a" (NULL) or "w" */
    bool force;           /* remove and close root's handlers first */
} lt_basic_options;

/**
 * Python's logging.basicConfig(): give the root logger one handler with a
 * formatter, unless it has handlers already (and @opts->force is false), in
 * which case nothing changes, the level included.
 *
 * @opts NULL means all defaults: WARNING and above to stderr as
 * "LEVEL:name:message".
 *
 * Returns: 0; LT_EINVAL for stream and filename both given, or a bad style or
 * mode; LT_EFORMAT for a malformed format; the error opening the file; in all
 * these cases @err (may be NULL) says why and nothing changed.
 * Threads: any thread; serialized with other configuration calls.
 * Since: 0.1
 */
LT_API int lt_basic_config(const lt_basic_options *opts, lt_error *err);

/* lt_config_file() flags */
#define LT_CONFIG_KEEP_EXISTING 0x1u /* disable_existing_loggers=False (default of a JSON config) */
#define LT_CONFIG_CHECK_ONLY    0x2u /* read and check everything, open nothing, change nothing */
/* Apply the config, but every file handler is made as with delay=True: no
 * file is created, opened or truncated until a record reaches it (and the
 * files are not checked first). For inspecting a config: `logtree tree`. */
#define LT_CONFIG_DELAY_OPEN 0x4u

/**
 * Load a config file: a Python dictConfig JSON file (when its first
 * character after white space is '{'; see lt_config_json_file()) or else a
 * fileConfig INI file, as logging.config.fileConfig(@path,
 * disable_existing_loggers=!(@flags & LT_CONFIG_KEEP_EXISTING)) does.
 *
 * The file is remembered for lt_config_reload(). With
 * LT_CONFIG_CHECK_ONLY, the file is read and checked completely (files the
 * handlers would write are checked for writing) and nothing changes: what
 * `logtree check` does.
 *
 * The format is Python's: [loggers] [handlers] [formatters] key lists,
 * [logger_X] (level, handlers, propagate, qualname), [handler_X] (class,
 * level, formatter, args, kwargs, target), [formatter_X] (format, datefmt,
 * style, class), read with ConfigParser's syntax and %(key)s interpolation.
 * Handler classes are Python's names (StreamHandler, FileHandler,
 * NullHandler, in any of the spellings X, logging.X, handlers.X,
 * logging.handlers.X that Python resolves), and args/kwargs are read from the
 * Python literal forms real configs use: (sys.stdout,), ('app.log', 'a'),
 * {'filename': 'x.log'}, None, True, False, integers and products of them.
 * docs/config.md lists every rule.
 *
 * Everything is parsed and checked first; only then are handlers created and
 * swapped in, and the handlers of the previous configuration flushed and
 * closed. A file handler that cannot be opened fails the load, and the
 * handlers made so far are closed again.
 *
 * Returns: 0; LT_ESYNTAX or LT_ECONFIG (or another LT_E* code) with @err (may
 * be NULL) naming the file, the line and column when there is one, and what
 * was wrong; LT_EDEADLK from a handler or filter handling a record. On
 * failure nothing changed (every file is checked for writing before any is
 * opened, so a mode 'w' file is not truncated by a load that fails).
 * Threads: any thread; serialized with other configuration calls.
 * Since: 0.1
 */
LT_API int lt_config_file(const char *path, unsigned flags, lt_error *err);

/**
 * As lt_config_file(), reading the configuration (INI or JSON, by its
 * first character) from @len bytes of @text. @name is used as the file name
 * in @err (NULL: "<string>"); nothing is remembered for lt_config_reload().
 *
 * Returns: as lt_config_file().
 * Threads: any thread; serialized with other configuration calls.
 * Since: 0.1
 */
LT_API int lt_config_string(const char *text, size_t len, const char *name, unsigned flags,
                            lt_error *err);

/**
 * Load a Python dictConfig configuration written as JSON, as
 * logging.config.dictConfig(json.load(f)) does: "version": 1, "formatters"
 * (format, datefmt, style, validate, class, and "()" naming
 * logtree.JSONFormatter, logtree.LogfmtFormatter or logtree.AccessFormatter
 * with their keys), "filters" (name), "handlers" (class, level, formatter,
 * filters, and the class's own keyword arguments: "stream":
 * "ext://sys.stdout", filename, mode, maxBytes, backupCount, when, ...),
 * "loggers" (level, handlers, filters, propagate), "root",
 * "disable_existing_loggers" (default true, or false with
 * LT_CONFIG_KEEP_EXISTING; the file's key wins), "incremental" (levels and
 * propagate only, as Python), and logtree's own "logtree" object (async,
 * ring_size, overflow, grow_limit, crash_handler). docs/config.md has every
 * rule.
 *
 * The JSON parser is strict RFC 8259 (no comments, no trailing commas, no
 * NaN, UTF-8 only; duplicate keys: the last wins, as in Python). As with INI
 * files, everything is checked before anything changes.
 *
 * Returns: 0; LT_ESYNTAX for malformed JSON, LT_ECONFIG, LT_EUNKNOWN,
 * LT_ELEVEL, LT_EUNSUPPORTED, LT_EFORMAT (or another LT_E* code) with @err
 * (may be NULL) naming the file, line and column of the value at fault. On
 * failure nothing changed.
 * Threads: any thread; serialized with other configuration calls.
 * Since: 0.1
 */
LT_API int lt_config_json_file(const char *path, unsigned flags, lt_error *err);

/**
 * As lt_config_json_file(), reading the JSON from @len bytes of @text; @name
 * is the file name in @err (NULL: "<string>").
 *
 * Returns: as lt_config_json_file().
 * Threads: any thread; serialized with other configuration calls.
 * Since: 0.1
 */
LT_API int lt_config_json_string(const char *text, size_t len, const char *name,
                                 unsigned flags, lt_error *err);

/**
 * Load again the file the last successful lt_config_file() loaded (or
 * LOGTREE_CONFIG's), with the same flags.
 *
 * The new file is read and checked completely first; only then are its
 * handlers opened and swapped in. Logger objects stay the same (pointers the
 * program holds stay valid); handlers that are gone are flushed and closed;
 * a record logged during the swap goes to the old handlers or to the new
 * ones, never nowhere. A file that fails to load leaves the running
 * configuration untouched.
 *
 * Returns: 0; LT_ENOENT with @err saying so when no file was loaded yet;
 * otherwise as lt_config_file().
 * Threads: any thread (not a signal handler: use lt_config_reload_request());
 * serialized with other configuration calls.
 * Since: 0.1
 */
LT_API int lt_config_reload(lt_error *err);

/**
 * Start logtree's config watcher thread: it calls lt_config_reload() when
 * lt_config_reload_request() asks, and, if @interval_ms > 0, when the file
 * changes (checked with stat() every @interval_ms: a new inode, size or
 * modification time). A reload that fails is reported on stderr and the
 * running configuration is kept.
 *
 * Returns: 0; LT_EEXIST if it is running; LT_EINVAL for a negative
 * interval; the system's error creating the pipe or the thread.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_config_watch_start(int interval_ms);

/**
 * Stop the watcher thread (lt_shutdown() stops it too), waiting for a
 * reload in progress.
 *
 * Returns: 0, or LT_ENOENT if it was not running.
 * Threads: any thread but a signal handler.
 * Since: 0.1
 */
LT_API int lt_config_watch_stop(void);

/**
 * Ask the watcher thread to reload the config file: one write(2) to its
 * self-pipe, so this is the call for a SIGHUP handler.
 *
 * Returns: 0; LT_ENOENT if the watcher is not running
 * (lt_config_watch_start()).
 * Threads: any thread. Async-signal-safe: yes (errno is preserved).
 * Since: 0.1
 */
LT_API int lt_config_reload_request(void);

/**
 * Print the logger tree to @out, as Python's logging_tree package prints
 * it: each logger (placeholders in brackets) with its level and effective
 * level, propagate, disabled, filters, and its handlers with their name
 * (when given), level, filters, formatter (lt_formatter_describe(), as
 * "Formatter fmt='%(message)s' datefmt=None") and, for a memory handler, its
 * target nested under "Flushes output to:". See docs/config.md.
 *
 * Returns: 0, or the error writing to @out (LT_EIO).
 * Threads: any thread; a consistent snapshot while others log.
 * Since: 0.1
 */
LT_API int lt_dump_tree(FILE *out);

#ifdef __cplusplus
}
#endif

#endif /* LOGTREE_CONFIG_H */
