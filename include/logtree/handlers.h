/* logtree/handlers.h - the handlers logtree brings, and how to make them.
 *
 * Each constructor gives the caller one reference; attach the handler to
 * loggers (lt_logger_add_handler() takes its own reference) and drop yours
 * with lt_handler_unref(). Python's class names are given for each; config
 * files use those names. The generic API (level, formatter, filters, flush,
 * close, errors) is in handler.h. */
#ifndef LOGTREE_HANDLERS_H
#define LOGTREE_HANDLERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

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
 * RotatingFileHandler: a FileHandler (see lt_file_handler_new(): modes, the
 * terminator, LT_FILE_DELAY) that begins a new file when the current one
 * would grow past @max_bytes, keeping @backup_count old ones: @path.1 (the
 * newest) ... @path.N (the oldest; what was there before is overwritten).
 *
 * The check is Python 3.11's shouldRollover(), made before each record: the
 * file's size in bytes, read with fstat() from the open file (so what other
 * processes append counts), plus the record's length in characters (UTF-8
 * code points, as Python's len()) plus the terminator's, reaches @max_bytes.
 * The record then goes to the new file; a record longer than @max_bytes
 * still rotates an empty file, as in Python. Files that are not regular
 * files (a FIFO, /dev/stdout) never rotate. @max_bytes 0 or @backup_count 0
 * never rotates. @max_bytes > 0 makes @mode "a" whatever was asked, as
 * Python does: truncating would lose the earlier runs' records.
 *
 * A relative @path is made absolute at once (Python's baseFilename), so a
 * program that changes directory later still rotates the same files.
 * Rotation runs in emit under this handler's lock; other handlers are not
 * held up. If a rename fails, the record goes to the current file all the
 * same: the failure is reported (once per streak) and counted in
 * lt_handler_get_stats()'s errors, and the next record tries again.
 *
 * Returns: 0 and *@ret set; the open(2) error (LT_ENOENT, LT_EACCES, ...);
 * LT_EINVAL for a NULL @ret or @path, a @mode other than "a" and "w", or a
 * flag other than LT_FILE_DELAY; LT_ENOMEM.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_rotating_file_handler_new(lt_handler **ret, const char *path, const char *mode,
                                        uint64_t max_bytes, unsigned backup_count,
                                        unsigned flags);

/* lt_timed_rotating_file_handler_new() flags, besides LT_FILE_DELAY */
#define LT_ROTATE_UTC 0x2u /* times and file names in UTC, not local time (Python's utc=True) */

/* The clock of a timed rotating handler (LT_TIMED_CTL_SET_CLOCK). */
typedef struct lt_timed_clock {
    time_t (*now)(void *arg); /* the current time in seconds since the epoch */
    void *arg;
} lt_timed_clock;

/* lt_handler_control() operations of timed rotating handlers. */
/* arg: const lt_timed_clock * (copied), or NULL for time(). The next rollover
 * is computed again as at creation: from the file's modification time if the
 * file existed then, else from the new clock's now. For tests, which must not
 * sleep until midnight. */
#define LT_TIMED_CTL_SET_CLOCK     1201
#define LT_TIMED_CTL_NEXT_ROLLOVER 1202 /* arg: time_t *, set to the next rollover time */

/**
 * TimedRotatingFileHandler: append records to @path (mode "a"), and at fixed
 * times rename it to @path.SUFFIX and begin a new one, keeping the newest
 * @backup_count renamed files (0: keep all).
 *
 * @when, case-insensitive, as Python's: "S", "M", "H", "D" (every @interval
 * seconds, minutes, hours, days, counted from the file's modification time
 * if it exists, else from now), "MIDNIGHT" (every @interval days, first at
 * the next midnight) or "W0" ... "W6" (weekly, at the midnight that ends that
 * day, Monday = 0: Python 3.11's reckoning). NULL means "H". SUFFIX is the start of the
 * period, "%Y-%m-%d_%H-%M-%S" for "S", "%Y-%m-%d_%H-%M" for "M",
 * "%Y-%m-%d_%H" for "H", "%Y-%m-%d" otherwise, in local time (with Python's
 * hour of correction across a DST change) or in UTC with LT_ROTATE_UTC.
 * Old files are found as Python's getFilesToDelete() finds them: names
 * beginning with @path's file name, then its stem and a dot, with one of the
 * dot-separated parts after that shaped like SUFFIX; sorted by name, all but
 * the last @backup_count are removed. A failed removal is tried again at the
 * next rollover; after a failed rename the record goes to the current file
 * (reported once per streak, counted as an error) and the next record tries
 * again. Python's atTime is not supported.
 *
 * The time is read once per record (time(), or the clock set with
 * LT_TIMED_CTL_SET_CLOCK); the rest runs only at a rollover, under this
 * handler's lock. @path is made absolute at once, as for
 * lt_rotating_file_handler_new().
 *
 * Returns: 0 and *@ret set; the open(2) error; LT_EINVAL for a NULL @ret or
 * @path, an unknown @when, an @interval below 1 (Python would loop forever)
 * or above 2^31 - 1, an unknown flag; LT_ENOMEM.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_timed_rotating_file_handler_new(lt_handler **ret, const char *path,
                                              const char *when, long interval,
                                              unsigned backup_count, unsigned flags);

/**
 * WatchedFileHandler: a FileHandler (see lt_file_handler_new(): modes, the
 * terminator, LT_FILE_DELAY) that notices when its file was moved or removed
 * (logrotate, newsyslog) and opens @path again.
 *
 * Before each record the path is stat()ed, as Python's reopenIfNeeded():
 * when it is gone or names another file (device or inode differ from the
 * open descriptor's), the descriptor is closed and @path opened anew, created
 * if need be, with @mode ("w" truncates the new file, as in Python). The
 * record goes to the new file. One stat() per record is the cost.
 *
 * Returns: 0 and *@ret set; the open(2) error; LT_EINVAL for a NULL @ret or
 * @path, a @mode other than "a" and "w", or a flag other than LT_FILE_DELAY;
 * LT_ENOMEM.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_watched_file_handler_new(lt_handler **ret, const char *path, const char *mode,
                                       unsigned flags);

/* ---- file handlers with options ----
 *
 * The _new_opts() constructors take what the positional ones take, with the
 * mode and flags moved into lt_file_options, and more besides. A zeroed
 * lt_file_options (or NULL) gives exactly what the positional constructor
 * gives. docs/files.md tells the whole story: what a crash loses, several
 * processes, logrotate, full disks. */

/* Python's namer: append to @name the name the backup @default_name gets
 * instead ("app.log.1" -> "app.log.1.gz"); leave @name empty to keep the
 * default. Called with the handler's lock held. Return 0 or a negative
 * LT_E* code (that rotation fails, and is reported). */
typedef int (*lt_file_namer)(void *arg, const char *default_name, lt_buf *name);

/* Python's rotator: move the file @source to @dest (after the namer), as
 * rename(2) does when there is none; compress it, say. Without
 * multiprocess it runs on a thread of the handler, not holding the
 * handler's lock: under the lock the file is only renamed to
 * "<file>.rotating.N" and a new one begun, so records never wait for the
 * rotator. With multiprocess it runs under the lock (every process's
 * records wait for it): keep it quick there. Return 0 or a negative LT_E*
 * code (reported; a @source it leaves is renamed to @dest as it is). */
typedef int (*lt_file_rotator)(void *arg, const char *source, const char *dest);

/* Options of the file handlers. Zero is the default for every field. */
typedef struct lt_file_options {
    const char *mode; /* "a" (also NULL) or "w" */
    unsigned flags;   /* LT_FILE_DELAY; LT_ROTATE_UTC for timed rotation */

    /* Several processes write the same rotating file: each record and each
     * rollover takes flock() on "<file>.lock", and after taking it the file
     * is opened again if another process rotated it; so exactly one process
     * rotates at each threshold and no line is lost, torn or put in a file
     * over the limit. Rotating kinds only (one write(2) per record to an
     * O_APPEND file needs no lock: the other kinds accept it and do nothing
     * more). Not with flush_records above 1. */
    bool multiprocess;

    /* The flush policy. Records wait in memory and are written together
     * (one write(2)) when flush_records wait, when a record at flush_level
     * or above arrives (it and all before it), when buffer_bytes wait, when
     * a record arrives and the oldest waiting one is flush_ms old or more,
     * before a rollover, on lt_handler_flush() and lt_flush(), and at close
     * and lt_shutdown(). flush_records 0 or 1: no waiting, each record is
     * written at once (the default). Records waiting when the process is
     * killed are lost. */
    unsigned flush_records;
    unsigned flush_ms;   /* 0: no age limit */
    int flush_level;     /* 0: LT_LEVEL_WARNING */
    size_t buffer_bytes; /* 0: 64 KiB */

    /* fsync() the file at each rollover (and its directory after the
     * renames), on lt_handler_flush() and at close: what is written then
     * survives a power cut, not only a crash of the process. */
    bool fsync;

    /* Rotation, rotating kinds only (LT_EINVAL elsewhere). */
    lt_file_namer namer;
    lt_file_rotator rotator;
    void *hook_arg; /* passed to namer and rotator */
} lt_file_options;

/**
 * FileHandler with options: lt_file_handler_new() with the mode and flags
 * of @opts (NULL: defaults), its flush policy and fsync.
 *
 * Returns: as lt_file_handler_new(); LT_EINVAL also for a namer or rotator,
 * a flag other than LT_FILE_DELAY, multiprocess with flush_records above 1.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_file_handler_new_opts(lt_handler **ret, const char *path,
                                    const lt_file_options *opts);

/**
 * WatchedFileHandler with options: lt_watched_file_handler_new() with the
 * mode and flags of @opts (NULL: defaults), its flush policy and fsync.
 *
 * Returns: as lt_watched_file_handler_new(); LT_EINVAL also for a namer or
 * rotator, a flag other than LT_FILE_DELAY, multiprocess with flush_records
 * above 1.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_watched_file_handler_new_opts(lt_handler **ret, const char *path,
                                            const lt_file_options *opts);

/**
 * RotatingFileHandler with options: lt_rotating_file_handler_new() with the
 * mode and flags of @opts (NULL: defaults), multiprocess, Python's namer and
 * rotator, the flush policy and fsync. Waiting records count towards
 * @max_bytes, so files keep their limit.
 *
 * Returns: as lt_rotating_file_handler_new(); LT_EINVAL also for a flag
 * other than LT_FILE_DELAY, multiprocess with flush_records above 1; the
 * open(2) error of the lock file (multiprocess).
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_rotating_file_handler_new_opts(lt_handler **ret, const char *path, uint64_t max_bytes,
                                             unsigned backup_count, const lt_file_options *opts);

/**
 * TimedRotatingFileHandler with options: lt_timed_rotating_file_handler_new()
 * with the flags of @opts (NULL: defaults; the mode is always "a"),
 * multiprocess, Python's namer and rotator, the flush policy and fsync.
 * With multiprocess, a process that takes the lock and finds the file
 * rotated by another follows to the new file and counts its next rollover
 * from that file's modification time; so each period is rotated once. A
 * waiting record is written to the file of the period it was logged in.
 *
 * Returns: as lt_timed_rotating_file_handler_new(); LT_EINVAL also for a
 * mode other than "a", multiprocess with flush_records above 1; the open(2)
 * error of the lock file (multiprocess).
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_timed_rotating_file_handler_new_opts(lt_handler **ret, const char *path,
                                                   const char *when, long interval,
                                                   unsigned backup_count,
                                                   const lt_file_options *opts);

/**
 * Have every file handler (file, rotating, timed rotating, watched) open its
 * path again before its next record, after writing what it holds to the
 * old file: what logrotate's postrotate asks with a signal. Safe in a signal
 * handler: it only bumps a lock-free counter that each handler reads with
 * every record, so a handler that gets no record keeps its old descriptor
 * until it does. To reopen at once from a normal thread, use
 * lt_handlers_control(LT_HANDLER_CTL_REOPEN, NULL).
 *
 * Returns: nothing; a reopen that fails is reported by the handler, which
 * writes on into the old file.
 * Threads: any thread. Async-signal-safe: yes.
 * Since: 0.1
 */
LT_API void lt_reopen_files(void);

/**
 * MemoryHandler: keep copies of records (lt_record_copy()) and pass them on
 * to @target as a batch, with lt_handler_handle() (Python's target.handle():
 * the target's filters apply, its level does not).
 *
 * The batch goes when @capacity records are held or a record at @flush_level
 * or above arrives (that record included), on lt_handler_flush(), and when
 * the handler is closed (lt_handler_close(), lt_shutdown(): the target is
 * still open then). Closing also drops the handler's reference to the target.
 * @capacity 0 passes every record on at once.
 *
 * Without a target (@target NULL, or until lt_memory_handler_set_target()),
 * at most @capacity records are kept: each record beyond that drops the
 * oldest one, which counts as a lost record of this handler and is reported
 * on stderr once per streak (Python keeps them all, without limit or word).
 * Records still held when a handler without a target is closed are dropped.
 *
 * The handler takes its own reference to @target. Records pass to the target
 * with this handler's lock held, so the target must not log back into it
 * from another thread (on the same thread, such a record is refused and
 * counted). Python's flushOnClose=False is not offered: closing always
 * flushes, as Python 3.11's shutdown() does anyway.
 *
 * Returns: 0 and *@ret set, LT_EINVAL (a NULL @ret, @flags other than 0),
 * LT_ENOMEM.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_memory_handler_new(lt_handler **ret, size_t capacity, int flush_level,
                                 lt_handler *target, unsigned flags);

/**
 * Give the memory handler @h the target @target (NULL: none), replacing its
 * reference to the one before. Held records stay until the next flush, as
 * with Python's setTarget(). A target that would pass records back to @h
 * (@h itself, or a memory handler whose chain of targets leads to @h) is
 * refused: records would go round forever.
 *
 * Returns: 0; LT_EINVAL for a NULL @h or a target that loops back to @h;
 * LT_ENOTSUP if @h is not a memory handler; LT_ECLOSED if @h is closed.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_memory_handler_set_target(lt_handler *h, lt_handler *target);

/**
 * The target of the memory handler @h, as Python's MemoryHandler.target: set
 * *@ret to a new reference to it (release it with lt_handler_unref()), or to
 * NULL when @h has none. lt_dump_tree() shows it nested under @h.
 * Returns: 0; LT_EINVAL for a NULL @h or @ret; LT_ENOTSUP if @h is not a
 * memory handler; LT_ECLOSED if @h is closed (*@ret is NULL on failure).
 * Threads: any thread. Since: 0.1
 */
LT_API int lt_memory_handler_get_target(lt_handler *h, lt_handler **ret);

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
