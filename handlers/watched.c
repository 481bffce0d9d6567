/* handlers/watched.c - WatchedFileHandler: a file handler that opens its
 * path again when the file was moved or removed (logrotate, newsyslog).
 *
 * Python 3.11's reopenIfNeeded(): before each record, stat() the path and
 * compare device and inode with those of the open descriptor; if the path
 * is gone or names another file, close and open again. One stat() per
 * record, as in Python. Writes are as the FileHandler's (file.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <logtree/handler.h>
#include <logtree/handlers.h>

#include "logfile.h"

struct watched_args {
    const char *path;
    const lt_file_options *opts;
};

/* With "w", O_TRUNC stays: Python reopens a replaced file with the
 * handler's mode, so the new file starts empty too. */
static int watched_open(void *state, const void *arg)
{
    const struct watched_args *a = arg;
    struct lt__logfile *f = state;
    lt_file_options o = *a->opts;

    o.multiprocess = false; /* appends of whole records need no lock */
    f->keep_truncating = true;
    return lt__logfile_init(f, state, a->path, o.mode && strcmp(o.mode, "w") == 0,
                            (o.flags & LT_FILE_DELAY) != 0, &o);
}

/* reopenIfNeeded(). Records waiting (a flush policy) go to the old file
 * first, where they belong. A reopen that fails leaves no descriptor, as in
 * Python (rather than writing on into a file that was moved away): the
 * record is lost and reported, and the next one tries again. */
static int reopen_if_needed(struct lt__logfile *f)
{
    struct stat st;
    int r;

    if (stat(f->path, &st) < 0) {
        if (errno != ENOENT)
            return -errno;
    } else if (st.st_dev == f->dev && st.st_ino == f->ino) {
        return 0;
    }
    (void)lt__logfile_flush(f);
    if ((r = lt__logfile_open(f)) < 0)
        lt__logfile_close_fd(f);
    return r;
}

static int watched_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    struct lt__logfile *f = state;
    int r;

    if (f->fd >= 0 && (r = reopen_if_needed(f)) < 0)
        return r;
    return lt__logfile_emit(f, rec, msg);
}

static int watched_flush(void *state)
{
    return lt__logfile_flush_slot(state);
}

static void watched_close(void *state)
{
    lt__logfile_free(state);
}

static int watched_control(void *state, int op, void *arg)
{
    return lt__logfile_control(state, op, arg);
}

static const lt_handler_type watched_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "watched",
    .flags = LT_HANDLER_ESCAPE, /* a line-oriented file: record text escaped by default */
    .state_size = sizeof(struct lt__logfile),
    .open = watched_open,
    .emit = watched_emit,
    .flush = watched_flush,
    .close = watched_close,
    .control = watched_control,
};

int lt_watched_file_handler_new_opts(lt_handler **ret, const char *path,
                                     const lt_file_options *opts)
{
    static const lt_file_options defaults;
    struct watched_args a = {path, opts ? opts : &defaults};

    if (!path || lt__file_options_check(opts, false, LT_FILE_DELAY) < 0)
        return LT_EINVAL;
    return lt_handler_new(ret, &watched_type, &a);
}

int lt_watched_file_handler_new(lt_handler **ret, const char *path, const char *mode,
                                unsigned flags)
{
    lt_file_options o = {.mode = mode, .flags = flags};

    return lt_watched_file_handler_new_opts(ret, path, &o);
}
