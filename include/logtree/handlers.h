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
 * Record text is written as it is, as in Python (a multi-line message stays
 * multi-line on a terminal); lt_handler_set_escape(h, LT_ESCAPE_CONTROLS)
 * escapes its control characters, as the file handlers do by default.
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
 * Record text is escaped (LT_ESCAPE_CONTROLS: a record is one line, whatever
 * its message holds), as for every file handler below and SysLogHandler;
 * lt_handler_set_escape(h, LT_ESCAPE_NONE) writes it as Python does.
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
     * the oldest waiting one is flush_ms old (a record arrives then, or
     * the library's flush timer thread writes them out about flush_ms
     * after the first of them waited, though nothing else is logged),
     * before a rollover, on lt_handler_flush() and lt_flush(), and at close
     * and lt_shutdown(). flush_records 0 or 1: no waiting, each record is
     * written at once (the default). Records waiting when the process is
     * killed are lost. */
    unsigned flush_records;
    /* 0: no age limit, records wait for one of the other events. Else
     * records wait at most about this long: one thread per process (started
     * with the first record held under a time limit, stopped by
     * lt_shutdown() and at exit; a child of fork() starts its own) wakes at
     * the earliest deadline of all handlers and writes out, under each
     * handler's lock, what is due. */
    unsigned flush_ms;
    int flush_level;     /* 0: LT_LEVEL_WARNING */
    size_t buffer_bytes; /* 0: 64 KiB */

    /* fsync() the file at each rollover (and its directory after the
     * renames), on lt_handler_flush() and at close: what is written then
     * survives a power cut, not only a crash of the process. */
    bool fsync;

    /* The permission bits the log file (and its "<file>.lock" with
     * multiprocess) is created with; 0: 0640 (owner reads and writes,
     * group reads, others nothing). Python creates with 0666; logtree
     * does not, as logs often hold what others must not read. The umask
     * applies on top, as for any open(2); a file that exists keeps its
     * bits, and a backup made by rename keeps the file's. Above 07777:
     * LT_EINVAL. */
    unsigned permissions;

    /* Refuse a symbolic link as the log file itself (O_NOFOLLOW on the
     * last component, for the file and "<file>.lock"): opening it fails
     * with LT_ELOOP, reported as any failed open. For logs in a directory
     * others may write to. Backups are never written through a link in
     * any case: rotation renames and unlinks, which act on a link, not on
     * what it names (docs/security.md, "Files"). */
    bool nofollow;

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

/* ---- network handlers: syslog, journald, Python's socket handlers ----
 *
 * What they share. A record is sent from the thread that logs, under the
 * handler's lock, and never blocks it longer than the timeout (connect and
 * send alike; a name to resolve, unless numeric, may take the resolver's own
 * time). SIGPIPE is never raised (MSG_NOSIGNAL), whatever the program does
 * with the signal. While the peer is away (not started, restarting, gone, or
 * too slow to take a record within the timeout) records wait in a queue of
 * queue_size records, and the connection is tried again with Python's
 * SocketHandler backoff: at once after a connection is lost, then
 * retry_start seconds after a failed attempt, times retry_factor after each
 * further failure, at most retry_max. When the queue is full, the oldest or
 * the newest record is dropped (overflow); each drop is a lost record of the
 * handler (lt_handler_error_count(), reported on stderr once per streak), and
 * when the connection is back the peer first receives one notice, a WARNING
 * "N records dropped" in the handler's own format, where the records were
 * missing. Queued records go out before the next record, or on
 * lt_handler_flush(), which also tries to connect at once; records still
 * queued when the handler is closed are lost, reported on stderr and counted
 * (lt_handler_error_count()). A stream connection the peer
 * closed is noticed before the next write (so a receiver that was restarted
 * loses nothing); bytes the kernel accepted just before the peer died cannot
 * be known lost. After fork() the child opens its own connection and starts
 * with an empty queue (the parent's queued records are the parent's). */

/* Which record a full queue drops. */
typedef enum lt_overflow {
    LT_OVERFLOW_DROP_OLDEST = 0, /* the oldest queued record (the default) */
    LT_OVERFLOW_DROP_NEWEST = 1  /* the record that arrives */
} lt_overflow;

/* Options every network handler has. Zero means the default. */
typedef struct lt_net_options {
    size_t queue_size;    /* records kept while the peer is away: 0 is 1000 */
    lt_overflow overflow; /* which record a full queue drops */
    double timeout;       /* seconds a connect or a send may block a record: 0 is 1.0 */
    double retry_start;   /* Python's SocketHandler.retryStart: 0 is 1.0 seconds */
    double retry_factor;  /* retryFactor: 0 is 2.0 */
    double retry_max;     /* retryMax: 0 is 30.0 seconds */
} lt_net_options;

/* lt_handler_control() operations of the network handlers. */
#define LT_NET_CTL_DROPPED 1301 /* arg: uint64_t *, records the queue dropped so far */
#define LT_NET_CTL_QUEUED  1302 /* arg: size_t *, records waiting in the queue now */

/* The message format of a syslog handler. */
typedef enum lt_syslog_format {
    LT_SYSLOG_FORMAT_AUTO = 0, /* RFC 3164 on a Unix socket, RFC 5424 over UDP and TCP */
    LT_SYSLOG_FORMAT_PYTHON,   /* Python's: "<PRI>" ident message NUL, byte for byte */
    LT_SYSLOG_FORMAT_RFC3164,  /* "<PRI>Mmm dd hh:mm:ss host tag[pid]: message" */
    LT_SYSLOG_FORMAT_RFC5424   /* "<PRI>1 time host app pid msgid [sd] message" */
} lt_syslog_format;

/* How messages are delimited on a stream (TCP, a Unix stream socket). */
typedef enum lt_syslog_framing {
    LT_SYSLOG_FRAMING_AUTO = 0,      /* octet counting on TCP, newline on a Unix stream;
                                        none for the Python format (its NUL) */
    LT_SYSLOG_FRAMING_OCTET_COUNTING, /* RFC 6587: "LEN " before each message */
    LT_SYSLOG_FRAMING_NEWLINE,        /* "\n" after each; newlines inside become "#012" */
    LT_SYSLOG_FRAMING_NONE            /* nothing: Python's own TCP output */
} lt_syslog_framing;

/* Options of lt_syslog_handler_new(). Zero means the default. */
typedef struct lt_syslog_options {
    const char *path;     /* a Unix socket; NULL (and no host): "/dev/log" */
    const char *host;     /* a server over UDP or TCP, by name or address */
    int port;             /* its port: 0 is 514 */
    int socktype;         /* 0: UDP for a host; for a Unix socket datagram, then stream
                             when that fails (Python's socktype=None); or SOCK_DGRAM,
                             SOCK_STREAM (TCP) */
    const char *facility; /* Python's facility name ("user", "daemon", "local0" ...
                             "local7", "solaris-cron", ...) or number ("16"); NULL: "user" */
    lt_syslog_format format;
    lt_syslog_framing framing;
    const char *ident;    /* Python's SysLogHandler.ident: text put before the message
                             (all formats); NULL: none */
    const char *app_name; /* RFC 3164 tag, RFC 5424 APP-NAME; NULL: the program's name */
    const char *hostname; /* RFC 3164 and 5424 HOSTNAME; NULL: gethostname() */
    const char *msgid;    /* RFC 5424 MSGID; NULL: "-" */
    const char *sd_id;    /* the SD-ID the record's fields go under (RFC 5424); NULL:
                             "logtree@32473" (32473 is the documentation enterprise
                             number: use your own) */
    size_t max_size;      /* octets a datagram may have, the message cut to fit (at a
                             UTF-8 boundary): 0 is 2048 for UDP (RFC 5424's), 8192 for a
                             Unix socket (rsyslog's default); no limit on streams */
    int utc;              /* nonzero: timestamps in UTC, not local time */
    lt_net_options net;
} lt_syslog_options;

/**
 * SysLogHandler: send records to a syslog daemon, over a local Unix socket
 * (/dev/log), UDP or TCP.
 *
 * The priority is Python's: the facility, and the severity of the record's
 * level (CRITICAL crit, ERROR err, WARNING warning, INFO info, DEBUG debug;
 * any other level that of the nearest standard level below it, debug below
 * DEBUG). The message is the handler's formatter's rendering, after @ident;
 * its record text is escaped by default (LT_ESCAPE_CONTROLS, see
 * lt_handler_set_escape()), and so are structured-data values, before
 * RFC 5424's own escapes.
 * RFC 5424 puts the record's fields in one SD-ELEMENT [sd_id key="value" ...]
 * (names cut to 32 printable ASCII characters, other bytes '_'; values UTF-8
 * with '"', '\' and ']' escaped; an errno as errno="N"), and its timestamp has
 * microseconds and the UTC offset. RFC 3164 has no year or zone, and leaves
 * out the host name on a Unix socket, as glibc's syslog() does (rsyslog's
 * local parser mangles RFC 5424 headers, hence the default there). A
 * datagram longer than max_size is cut inside the message, never in the
 * header. The notice of dropped records is a WARNING from the same
 * app-name, with dropped="N" in its structured data.
 *
 * Python resolves a host when the handler is made, and so does this: a name
 * that does not resolve fails here. Unlike Python, a TCP server that is not
 * up yet is not an error: records wait for it (see above). rsyslog, syslog-ng
 * (its syslog() source) and Vector read the default TCP framing as they are;
 * Fluent Bit's syslog input needs `format octet_counting` (its default is
 * newline framing, which LT_SYSLOG_FRAMING_NEWLINE sends).
 *
 * Returns: 0 and *@ret set; LT_EINVAL (a NULL @ret, an unknown facility,
 * format, framing, socktype or overflow, a port above 65535, a negative
 * timeout); LT_ENAMETOOLONG for a socket path too long; LT_EUNKNOWN for a
 * host that does not resolve; LT_ENOMEM. @opts may be NULL (Python's default,
 * /dev/log here); its strings are copied.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_syslog_handler_new(lt_handler **ret, const lt_syslog_options *opts);

/* What a socket handler sends. */
typedef enum lt_wire {
    LT_WIRE_PICKLE = 0, /* Python's SocketHandler.makePickle(): length, then pickle */
    LT_WIRE_LINES = 1   /* the formatter's output and "\n" (JSON Lines for log shippers) */
} lt_wire;

/* Options of lt_socket_handler_new() and lt_datagram_handler_new(). Zero
 * means the default. */
typedef struct lt_socket_options {
    lt_wire wire;
    lt_net_options net;
} lt_socket_options;

/**
 * SocketHandler: send records over TCP (or a Unix stream socket, @port 0 and
 * @host its path, as Python's port=None) to @host:@port.
 *
 * With LT_WIRE_PICKLE (the default) the bytes are Python's: a 4-byte
 * big-endian length and a protocol-1 pickle of the record's attribute dict,
 * which the receiver of Python's logging cookbook turns back into a
 * LogRecord (pickle.loads(), logging.makeLogRecord()): name, msg (the
 * message), args None, levelname, levelno, pathname, filename, module,
 * exc_info, exc_text and stack_info None, lineno, funcName, created, msecs,
 * relativeCreated, thread, threadName, processName, process; errno and
 * strerror when the record has an errno; then the record's fields as further
 * attributes, with their types. Text that is not valid UTF-8 is sent with
 * U+FFFD in place of each invalid sequence (Python's unpickler would fail on
 * it). The handler's formatter is not used, as in Python. The notice of
 * dropped records is a WARNING record of logger "logtree" with dropped=N.
 *
 * With LT_WIRE_LINES each record is the formatter's output and "\n", for
 * Fluent Bit (tcp input), Vector (socket source), Logstash (json_lines): use a
 * JSON formatter. A newline inside the output is sent as the two characters
 * "\n", so one record stays one line. The notice of dropped records is a
 * JSON line, {"time": ..., "level": "WARNING", "logger": "logtree",
 * "message": "N records dropped", "dropped": N}.
 *
 * As in Python, nothing is resolved or connected until the first record.
 *
 * Returns: 0 and *@ret set; LT_EINVAL (NULL @ret or @host, a port above
 * 65535, an unknown wire or overflow, a negative timeout);
 * LT_ENAMETOOLONG; LT_ENOMEM. @opts may be NULL; @host is copied.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_socket_handler_new(lt_handler **ret, const char *host, int port,
                                 const lt_socket_options *opts);

/**
 * DatagramHandler: as lt_socket_handler_new(), each record one UDP datagram
 * (IPv4, as Python's) to @host:@port, or one datagram to the Unix socket
 * @host when @port is 0. A UDP datagram that cannot be sent is a lost
 * record; nothing is queued (UDP cannot tell whether anyone listens). Over a
 * Unix socket records wait in the queue while the socket is away.
 *
 * Returns: as lt_socket_handler_new().
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_datagram_handler_new(lt_handler **ret, const char *host, int port,
                                   const lt_socket_options *opts);

/* Options of lt_journal_handler_new(). Zero means the default. */
typedef struct lt_journal_options {
    const char *path;       /* journald's socket: NULL is "/run/systemd/journal/socket" */
    const char *identifier; /* SYSLOG_IDENTIFIER: NULL is the program's name */
    lt_net_options net;
} lt_journal_options;

/**
 * JournalHandler: send records to systemd's journal with its native
 * protocol, one datagram per record, without libsystemd.
 *
 * Each record is MESSAGE (the formatter's rendering), PRIORITY (the syslog
 * severity of its level, as lt_syslog_handler_new() maps it),
 * SYSLOG_IDENTIFIER, LOGGER, CODE_FILE, CODE_LINE, CODE_FUNC, THREAD_NAME,
 * ERRNO when set, and each field of the record under its key upper-cased
 * (other characters than A-Z, 0-9 and '_' become '_'; a key that would begin
 * with '_' or a digit, or clash with those above, gets "F_" in front; 64
 * characters at most). Values holding a newline use the protocol's binary
 * form. A record too big for one datagram goes in a sealed memfd, as
 * sd_journal_send() does. The notice of dropped records is a PRIORITY=4
 * entry with LOGTREE_DROPPED=N.
 *
 * Returns: 0 and *@ret set; LT_EINVAL (NULL @ret, an unknown overflow, a
 * negative timeout); LT_ENAMETOOLONG; LT_ENOMEM. @opts may be NULL; its
 * strings are copied.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_journal_handler_new(lt_handler **ret, const lt_journal_options *opts);

#ifdef __cplusplus
}
#endif

#endif /* LOGTREE_HANDLERS_H */
