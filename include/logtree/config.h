/* logtree/config.h - setting logging up in one call: basicConfig, and
 * Python's fileConfig INI files.
 *
 * A configuration is checked completely before anything changes: a call that
 * fails leaves the running configuration exactly as it was, and fills an
 * lt_error that says where (file, line, column) and what was wrong. */
#ifndef LOGTREE_CONFIG_H
#define LOGTREE_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <logtree/common.h>

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
#define LT_CONFIG_KEEP_EXISTING 0x1u /* disable_existing_loggers=False */

/**
 * Load a Python fileConfig INI file, as logging.config.fileConfig(@path,
 * disable_existing_loggers=!(@flags & LT_CONFIG_KEEP_EXISTING)) does.
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
 * As lt_config_file(), reading the configuration from @len bytes of @text.
 * @name is used as the file name in @err (NULL: "<string>").
 *
 * Returns: as lt_config_file().
 * Threads: any thread; serialized with other configuration calls.
 * Since: 0.1
 */
LT_API int lt_config_string(const char *text, size_t len, const char *name, unsigned flags,
                            lt_error *err);

#ifdef __cplusplus
}
#endif

#endif /* LOGTREE_CONFIG_H */
