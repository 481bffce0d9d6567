/* logtree/handlers.h - the handlers logtree brings, and how to make them.
 *
 * Each constructor gives the caller one reference; attach the handler to
 * loggers (lt_logger_add_handler() takes its own reference) and drop yours
 * with lt_handler_unref(). Python's class names are given for each; config
 * files use those names. The generic API (level, formatter, filters, flush,
 * close, errors) is in handler.h. */
#ifndef LOGTREE_HANDLERS_H
#define LOGTREE_HANDLERS_H

#include <stdio.h>

#include <logtree/common.h>
#include <logtree/handler.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * StreamHandler: write each record, then its terminator ("\n" by default),
 * to @stream and flush it, so nothing waits in stdio's buffer.
 *
 * @stream NULL means stderr, as in Python. The stream is borrowed: it must
 * stay open while the handler lives, and closing the handler does not close
 * it. Writes share stdio's locking, so they interleave cleanly with the
 * program's own printf()s. Change the terminator with
 * lt_handler_control(h, LT_HANDLER_CTL_SET_TERMINATOR, "\r\n") (copied).
 *
 * Returns: 0 and *@ret set, LT_EINVAL, LT_ENOMEM.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_stream_handler_new(lt_handler **ret, FILE *stream);

/**
 * StreamHandler over a file descriptor: as lt_stream_handler_new(), written
 * with write(2) and no stdio. @fd is borrowed and not closed.
 *
 * Returns: 0 and *@ret set, LT_EBADF if @fd is negative, LT_ENOMEM.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_fd_handler_new(lt_handler **ret, int fd);

/* lt_file_handler_new() flags */
#define LT_FILE_DELAY 0x1u /* open on the first record, not at once (Python's delay=True) */

/**
 * FileHandler: append records to the file @path, one write(2) per record.
 *
 * @mode is "a" (append, the default when NULL) or "w" (truncate on open).
 * The file is opened with O_APPEND | O_CLOEXEC and created 0666 & ~umask, so
 * processes sharing it never interleave inside a line and nothing is left in
 * a user-space buffer when the program dies. With LT_FILE_DELAY the file is
 * opened when the first record arrives (and not created at all if none
 * does); an open that fails then is reported and retried at the next record.
 * @path is copied. The terminator is "\n" (see lt_stream_handler_new()).
 *
 * Returns: 0 and *@ret set; the open(2) error (LT_ENOENT, LT_EACCES, ...);
 * LT_EINVAL for a NULL @path or a @mode other than "a" and "w"; LT_ENOMEM.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_file_handler_new(lt_handler **ret, const char *path, const char *mode,
                               unsigned flags);

/**
 * NullHandler: takes records and does nothing with them. It still counts as
 * a handler, so records that reach it do not go to the last resort (the use
 * Python's documentation gives it: libraries that must not print).
 *
 * Returns: 0 and *@ret set, LT_EINVAL, LT_ENOMEM.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_null_handler_new(lt_handler **ret);

#ifdef __cplusplus
}
#endif

#endif /* LOGTREE_HANDLERS_H */
