/* handlers/logfile.h - the file underneath the file handlers (file.c,
 * rotating.c, timed_rotating.c, watched.c): an absolute path, an O_APPEND
 * descriptor opened at once or on the first record, a terminator, one
 * write(2) per record (completed after a write that stopped halfway), the
 * flush policy, the multi-process lock, failures reported with the path.
 * Internal to handlers/; built on the public API only. docs/files.md says
 * what users get from it. */
#ifndef LOGTREE_HANDLERS_LOGFILE_H
#define LOGTREE_HANDLERS_LOGFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <logtree/handler.h>
#include <logtree/handlers.h>

#define LT__TERMINATOR_MAX 16
/* lt_file_options.permissions 0: rw-r----- (before the umask). */
#define LT__DEFAULT_PERMISSIONS 0640

struct lt__logfile {
    char *path;     /* absolute, as Python's baseFilename */
    int fd;         /* -1 until opened (delay), or after a failed reopen */
    int open_flags; /* O_TRUNC until the first open, unless keep_truncating;
                       O_NOFOLLOW with lt_file_options.nofollow */
    unsigned perm;  /* creation mode: lt_file_options.permissions, or 0640 */
    bool keep_truncating; /* "w" again for a replaced file (WatchedFileHandler) */
    dev_t dev;            /* of fd */
    ino_t ino;
    char terminator[LT__TERMINATOR_MAX];
    size_t terminator_len;
    void *state; /* the kind's state, for lt_handler_report() */

    /* Bytes of a record a failed write() cut short: written before anything
     * else, so that a line is never torn (disk full, then freed). */
    char *tail;
    size_t tail_len;

    /* The flush policy (lt_file_options): records wait in `held` and go out
     * in one write(2). */
    unsigned flush_records; /* 0 or 1: no holding */
    unsigned flush_ms;
    int flush_level;
    size_t buffer_bytes;
    char *held;
    size_t held_len, held_cap;
    unsigned held_n;
    int64_t held_since_ms; /* CLOCK_MONOTONIC of the oldest record held */

    bool fsync;           /* fsync() at rotation, flush and close */
    uint64_t bytes;       /* written, for lt_handler_get_stats() */
    unsigned reopen_seen; /* the lt_reopen_files() generation acted on */

    /* multiprocess: flock() on "<path>.lock" around each record */
    bool multiprocess;
    int lock_fd;
};

/* Set @f up for @path ("a" or "w" as @truncate says) with @opts (NULL: the
 * defaults) and open it, unless @delay. @state is the kind's state. Returns
 * 0, or -errno of open(2) / LT_ENOMEM (nothing to release). */
int lt__logfile_init(struct lt__logfile *f, void *state, const char *path, bool truncate,
                     bool delay, const lt_file_options *opts);

/* Open the path (again), replacing the descriptor. Returns 0 or -errno. */
int lt__logfile_open(struct lt__logfile *f);

/* Close the descriptor, keeping the path: rotation renames the file next. */
void lt__logfile_close_fd(struct lt__logfile *f);

/* Begin a record: take the multi-process lock (and reopen if another
 * process rotated the file), reopen if lt_reopen_files() asked. Returns 1
 * if the file now open is another than before (followed another process's
 * rotation), 0, or -errno of a failed open (the lock is released then). */
int lt__logfile_begin(struct lt__logfile *f);

/* Then open the file if it is not open (delay). Returns 0, or -errno of
 * open(2), the lock released. */
int lt__logfile_ensure_open(struct lt__logfile *f);

/* End a record: release the multi-process lock. */
void lt__logfile_end(struct lt__logfile *f);

/* Append the terminator to @msg and write it, or hold it as the flush
 * policy says (@level decides). Returns 0, LT_EMIT_PENDING (held, or the
 * kind reported a problem), or -errno when the record is lost. */
int lt__logfile_write(struct lt__logfile *f, int level, lt_buf *msg);

/* Write what is held now. Returns 0 or -errno (the held records are lost,
 * and reported so). */
int lt__logfile_flush(struct lt__logfile *f);

/* The flush slot: lt__logfile_flush(), then fsync() if asked. */
int lt__logfile_flush_slot(struct lt__logfile *f);

/* The current file is about to be renamed away: write what is held, and
 * fsync() it if asked. */
void lt__logfile_retire(struct lt__logfile *f);

/* Report a failure that lost no record (@code < 0): "@what @path: error". */
void lt__logfile_report(struct lt__logfile *f, int code, const char *what, const char *path);

/* Write what is held, close and free. */
void lt__logfile_free(struct lt__logfile *f);

/* LT_HANDLER_CTL_REOPEN, _SET_TERMINATOR, _DESCRIBE, _STATS, _AFTER_FORK;
 * LT_ENOTSUP else. */
int lt__logfile_control(struct lt__logfile *f, int op, void *arg);

/* The emit of file.c and watched.c: begin, write, end. */
int lt__logfile_emit(struct lt__logfile *f, const lt_record *rec, lt_buf *msg);

/* Python's rotation_filename(): the namer's name for @default_name, or a
 * copy of it. NULL with *@err set if the namer failed or memory ran out. */
char *lt__backup_name(const lt_file_options *o, const char *default_name, int *err);

/* Python's rotate(): the rotator, or a rename that skips a @source that
 * does not exist. Returns 0 or a negative code. */
int lt__rotate_file(const lt_file_options *o, const char *source, const char *dest);

/* Check @o (NULL: fine): mode, flags within @flags_allowed, multiprocess
 * without holding, rotation hooks only if @rotating. 0 or LT_EINVAL. */
int lt__file_options_check(const lt_file_options *o, bool rotating, unsigned flags_allowed);

#endif /* LOGTREE_HANDLERS_LOGFILE_H */
