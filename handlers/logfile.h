/* handlers/logfile.h - the file underneath the file handlers (file.c,
 * rotating.c, timed_rotating.c, watched.c): an absolute path, an O_APPEND
 * descriptor opened at once or on the first record, a terminator, and one
 * write(2) per record. Internal to handlers/; built on the public API only. */
#ifndef LOGTREE_HANDLERS_LOGFILE_H
#define LOGTREE_HANDLERS_LOGFILE_H

#include <stdbool.h>
#include <sys/types.h>

#include <logtree/handler.h>

#define LT__TERMINATOR_MAX 16

struct lt__logfile {
    char *path;     /* absolute, as Python's baseFilename */
    int fd;         /* -1 until opened (delay), or after a failed reopen */
    int open_flags; /* O_TRUNC until the first open, unless keep_truncating */
    bool keep_truncating; /* "w" again for a replaced file (WatchedFileHandler) */
    dev_t dev;            /* of fd */
    ino_t ino;
    char terminator[LT__TERMINATOR_MAX];
};

/* Set @f up for @path ("a" or "w" as @truncate says) and open it, unless
 * @delay. Returns 0, or -errno of open(2) / LT_ENOMEM (nothing to release). */
int lt__logfile_init(struct lt__logfile *f, const char *path, bool truncate, bool delay);

/* Open the path (again), replacing the descriptor. Returns 0 or -errno. */
int lt__logfile_open(struct lt__logfile *f);

/* Close the descriptor, keeping the path: rotation renames the file next. */
void lt__logfile_close_fd(struct lt__logfile *f);

/* Open if not open, append the terminator to @msg, write it whole. */
int lt__logfile_write(struct lt__logfile *f, lt_buf *msg);

/* Close and free. */
void lt__logfile_free(struct lt__logfile *f);

/* LT_HANDLER_CTL_REOPEN and LT_HANDLER_CTL_SET_TERMINATOR; LT_ENOTSUP else. */
int lt__logfile_control(struct lt__logfile *f, int op, void *arg);

#endif /* LOGTREE_HANDLERS_LOGFILE_H */
