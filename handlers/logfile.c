/* handlers/logfile.c - see logfile.h. */
#define _DEFAULT_SOURCE /* flock() */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "flush_timer.h"
#include "logfile.h"
#include "sys.h"

/* Python keeps os.path.abspath(filename): a program that changes directory
 * later still writes (and rotates) the file it started with. Without a
 * current directory (removed), the path stays relative. */
static char *absolute_path(const char *path)
{
    size_t size = 256;
    char *cwd = NULL, *abs;

    if (path[0] == '/')
        return lt__strdup(path);
    for (;;) {
        char *more = lt__realloc(cwd, size);

        if (!more) {
            free(cwd);
            return NULL;
        }
        cwd = more;
        if (getcwd(cwd, size))
            break;
        if (errno != ERANGE) {
            free(cwd);
            return lt__strdup(path);
        }
        size *= 2;
    }
    size = strlen(cwd) + strlen(path) + 2;
    abs = lt__malloc(size);
    if (abs)
        snprintf(abs, size, "%s%s%s", cwd, strcmp(cwd, "/") == 0 ? "" : "/", path);
    free(cwd);
    return abs;
}

/* lt_reopen_files() bumps it (from a signal handler, say); each handler
 * compares it with the generation it last acted on, at its next record. */
static atomic_uint reopen_generation;

void lt_reopen_files(void)
{
    atomic_fetch_add_explicit(&reopen_generation, 1, memory_order_relaxed);
}

static int open_lock(struct lt__logfile *f)
{
    size_t size = strlen(f->path) + sizeof(".lock");
    char *name = lt__malloc(size);

    if (!name)
        return LT_ENOMEM;
    snprintf(name, size, "%s.lock", f->path);
    /* The open flags of the log file: a link refused there is refused
     * here too (the lock is only flock()ed, but O_CREAT through a planted
     * link would create the file it names). */
    f->lock_fd =
        lt__sys_open(name, O_RDWR | O_CREAT | O_CLOEXEC | (f->open_flags & O_NOFOLLOW), f->perm);
    free(name);
    return f->lock_fd < 0 ? -errno : 0;
}

int lt__logfile_init(struct lt__logfile *f, void *state, const char *path, bool truncate,
                     bool delay, const lt_file_options *opts)
{
    int r;

    f->fd = -1;
    f->lock_fd = -1;
    f->state = state;
    strcpy(f->terminator, "\n");
    f->terminator_len = 1;
    f->open_flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0);
    f->reopen_seen = atomic_load_explicit(&reopen_generation, memory_order_relaxed);
    f->perm = LT__DEFAULT_PERMISSIONS;
    if (opts) {
        if (opts->permissions)
            f->perm = opts->permissions;
        if (opts->nofollow)
            f->open_flags |= O_NOFOLLOW;
        f->multiprocess = opts->multiprocess;
        f->fsync = opts->fsync;
        f->flush_records = opts->flush_records > 1 ? opts->flush_records : 0;
        f->flush_ms = opts->flush_ms;
        f->flush_level = opts->flush_level ? opts->flush_level : LT_LEVEL_WARNING;
        f->buffer_bytes = opts->buffer_bytes ? opts->buffer_bytes : 64 * 1024;
    }
    if (!(f->path = absolute_path(path)))
        return LT_ENOMEM;
    if (f->multiprocess && (r = open_lock(f)) < 0) {
        free(f->path);
        return r;
    }
    if (delay)
        return 0;
    if ((r = lt__logfile_open(f)) < 0) {
        if (f->lock_fd >= 0)
            close(f->lock_fd);
        free(f->path);
    }
    return r;
}

int lt__logfile_open(struct lt__logfile *f)
{
    struct stat st;
    int fd = lt__sys_open(f->path, f->open_flags, f->perm);

    if (fd < 0 || fstat(fd, &st) < 0) {
        int r = -errno;

        if (fd >= 0)
            close(fd);
        return r;
    }
    lt__logfile_close_fd(f);
    f->fd = fd;
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    /* "w" truncates the first time only: a reopen must not lose lines. */
    if (!f->keep_truncating)
        f->open_flags &= ~O_TRUNC;
    return 0;
}

void lt__logfile_close_fd(struct lt__logfile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

void lt__logfile_report(struct lt__logfile *f, int code, const char *what, const char *path)
{
    char text[1024];

    snprintf(text, sizeof(text), "%s %s", what, path ? path : f->path);
    lt_handler_report(f->state, code, 0, text);
}

/* A reopen asked for (lt_reopen_files(), LT_HANDLER_CTL_REOPEN): what is
 * held goes to the old file first; a failed open keeps the old file. */
static int reopen(struct lt__logfile *f)
{
    int flags = f->open_flags, r;

    (void)lt__logfile_flush(f);
    f->open_flags &= ~O_TRUNC; /* keep whatever is there now */
    r = lt__logfile_open(f);
    f->open_flags = flags;
    if (r < 0)
        lt__logfile_report(f, r, "reopen", NULL);
    return r;
}

/* After taking the lock: if the path names another file than ours (another
 * process rotated it), open the path. 1 if it did. */
static int follow(struct lt__logfile *f)
{
    struct stat st;
    int r;

    if (f->fd < 0)
        return 0;
    if (stat(f->path, &st) == 0 && st.st_dev == f->dev && st.st_ino == f->ino)
        return 0;
    if ((r = lt__logfile_open(f)) < 0)
        return r;
    return 1;
}

int lt__logfile_begin(struct lt__logfile *f)
{
    unsigned gen = atomic_load_explicit(&reopen_generation, memory_order_relaxed);
    int moved = 0;

    if (f->lock_fd >= 0) {
        while (flock(f->lock_fd, LOCK_EX) < 0 && errno == EINTR)
            ;
        if ((moved = follow(f)) < 0) {
            lt__logfile_end(f);
            return moved;
        }
    }
    if (gen != f->reopen_seen) {
        f->reopen_seen = gen;
        if (f->fd >= 0)
            (void)reopen(f);
    }
    return moved;
}

int lt__logfile_ensure_open(struct lt__logfile *f)
{
    int r;

    if (f->fd < 0 && (r = lt__logfile_open(f)) < 0) {
        lt__logfile_end(f);
        return r; /* a delayed open failed: reported, and tried again next time */
    }
    return 0;
}

void lt__logfile_end(struct lt__logfile *f)
{
    if (f->lock_fd >= 0)
        (void)flock(f->lock_fd, LOCK_UN);
}

/* write(2) all of @p, as lt_write_all(), but say how far it got. */
static int write_some(int fd, const char *p, size_t len, size_t *done)
{
    *done = 0;
    while (*done < len) {
        ssize_t n = lt__sys_write(fd, p + *done, len - *done);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && lt__wait_writable(fd))
            continue;
        if (n < 0)
            return -errno;
        *done += (size_t)n;
    }
    return 0;
}

/* The rest of a record cut short, first. */
static int write_tail(struct lt__logfile *f)
{
    size_t done;
    int r;

    if (f->tail_len == 0)
        return 0;
    r = write_some(f->fd, f->tail, f->tail_len, &done);
    f->bytes += done;
    memmove(f->tail, f->tail + done, f->tail_len - done);
    f->tail_len -= done;
    return r;
}

/* EBADF: someone closed our descriptor (a daemon closing every fd, say).
 * It is not ours any more, so it is not closed again: forgotten, and the
 * next record opens the path anew. */
static int forget_if_closed(struct lt__logfile *f, int r)
{
    if (r == LT_EBADF)
        f->fd = -1;
    return r;
}

/* Write @len bytes of whole records. 0; LT_EMIT_PENDING when some of them
 * got in and the rest waits in the tail (so they are not lost, but the
 * failure is reported); -errno when none of it got in. */
static int write_records(struct lt__logfile *f, const char *p, size_t len)
{
    size_t done;
    int r;

    if (f->fd < 0)
        return LT_EBADF;
    if ((r = write_tail(f)) < 0)
        return forget_if_closed(f, r);
    r = write_some(f->fd, p, len, &done);
    f->bytes += done;
    if (r == 0 || done == 0)
        return forget_if_closed(f, r);
    if (f->lock_fd >= 0) {
        struct stat st;

        /* Under the lock nobody else appended since: cut the torn line off
         * rather than let another process's record follow its first half. */
        if (fstat(f->fd, &st) == 0 && ftruncate(f->fd, st.st_size - (off_t)done) == 0) {
            f->bytes -= done;
            return r;
        }
    }
    if (!(f->tail = lt__malloc(len - done)))
        return LT_ENOMEM; /* the line stays torn: nothing better to do */
    memcpy(f->tail, p + done, len - done);
    f->tail_len = len - done;
    lt__logfile_report(f, r, "write (the rest of the record waits)", NULL);
    return LT_EMIT_PENDING;
}

static int hold(struct lt__logfile *f, const char *p, size_t len)
{
    if (f->held_len + len > f->held_cap) {
        size_t cap = f->held_cap ? f->held_cap : 4096;
        char *more;

        while (cap < f->held_len + len)
            cap *= 2;
        if (!(more = lt__realloc(f->held, cap)))
            return LT_ENOMEM;
        f->held = more;
        f->held_cap = cap;
    }
    if (f->held_n == 0)
        f->held_since_ms = lt__monotonic_ms();
    memcpy(f->held + f->held_len, p, len);
    f->held_len += len;
    f->held_n++;
    return 0;
}

int lt__logfile_flush(struct lt__logfile *f)
{
    unsigned n = f->held_n;
    int r;

    if (n == 0) /* the rest of a record cut short belongs to this file too */
        return f->fd >= 0 ? write_tail(f) : 0;
    r = write_records(f, f->held, f->held_len);
    f->held_len = 0;
    f->held_n = 0;
    if (r < 0) {
        char text[1024];

        snprintf(text, sizeof(text), "write %s (%u records that waited)", f->path, n);
        lt_handler_report(f->state, r, n, text);
    }
    return r < 0 ? r : 0;
}

/* What a batch of the async backend holds at most before it writes. */
#define BATCH_BYTES (256u * 1024)

static void write_out_batch(void *arg)
{
    (void)lt__logfile_flush(arg); /* a failure is reported there */
}

int lt__logfile_write(struct lt__logfile *f, int level, lt_buf *msg)
{
    int r;

    lt__buf_put(msg, f->terminator, f->terminator_len);
    if (lt_buf_error(msg))
        return lt_buf_error(msg);
    if (f->flush_records == 0 && !f->multiprocess &&
        lt_handler_batch_hold(f->state, write_out_batch, f)) {
        /* The async backend's batch: one write(2) for many records. */
        if ((r = hold(f, lt_buf_data(msg), lt_buf_len(msg))) < 0)
            return r;
        if (f->held_len >= BATCH_BYTES)
            (void)lt__logfile_flush(f); /* a failure is reported there, for every record */
        return LT_EMIT_PENDING;
    }
    if (f->flush_records == 0 && f->held_n == 0)
        return write_records(f, lt_buf_data(msg), lt_buf_len(msg));
    if ((r = hold(f, lt_buf_data(msg), lt_buf_len(msg))) < 0)
        return r;
    if (f->held_n >= f->flush_records || level >= f->flush_level ||
        f->held_len >= f->buffer_bytes ||
        (f->flush_ms && lt__monotonic_ms() - f->held_since_ms >= (int64_t)f->flush_ms)) {
        unsigned n = f->held_n;

        /* This record's loss is the emit's failure; the others' are reported */
        r = write_records(f, f->held, f->held_len);
        f->held_len = 0;
        f->held_n = 0;
        if (r < 0 && n > 1) {
            char text[1024];

            snprintf(text, sizeof(text), "write %s (%u records that waited)", f->path, n - 1);
            lt_handler_report(f->state, r, n - 1, text);
        }
        return r;
    }
    /* The first record held under a time limit: the flush timer writes it
     * out by then if no record, flush or close does. */
    if (f->held_n == 1 && f->flush_ms)
        lt__flush_timer_wake(f->held_since_ms + (int64_t)f->flush_ms);
    return LT_EMIT_PENDING;
}

int lt__logfile_emit(struct lt__logfile *f, const lt_record *rec, lt_buf *msg)
{
    int r;

    if ((r = lt__logfile_begin(f)) < 0 || (r = lt__logfile_ensure_open(f)) < 0)
        return r;
    r = lt__logfile_write(f, lt_record_level(rec), msg);
    lt__logfile_end(f);
    return r;
}

int lt__logfile_flush_slot(struct lt__logfile *f)
{
    int r = lt__logfile_flush(f);

    if (r == 0 && f->fsync && f->fd >= 0 && fsync(f->fd) < 0 && errno != EINVAL)
        r = -errno; /* EINVAL: a FIFO or a terminal, nothing to sync */
    return r;
}

void lt__logfile_retire(struct lt__logfile *f)
{
    (void)lt__logfile_flush(f);
    if (f->fsync && f->fd >= 0)
        (void)fsync(f->fd);
}

void lt__logfile_free(struct lt__logfile *f)
{
    if (f->fd >= 0) {
        (void)lt__logfile_flush(f);
        (void)write_tail(f);
        if (f->fsync)
            (void)fsync(f->fd);
    }
    lt__logfile_close_fd(f);
    if (f->lock_fd >= 0)
        close(f->lock_fd);
    free(f->held);
    free(f->tail);
    free(f->path);
}

int lt__logfile_control(struct lt__logfile *f, int op, void *arg)
{
    size_t len;

    switch (op) {
    case LT_HANDLER_CTL_REOPEN:
        return f->fd < 0 ? 0 : reopen(f);
    case LT_HANDLER_CTL_SET_TERMINATOR:
        if (!arg)
            return LT_EINVAL;
        if ((len = strlen(arg)) >= sizeof(f->terminator))
            return LT_ERANGE;
        memcpy(f->terminator, arg, len + 1);
        f->terminator_len = len;
        return 0;
    case LT_HANDLER_CTL_DESCRIBE:
        lt_buf_printf(arg, "'%s'", f->path);
        return 0;
    case LT_HANDLER_CTL_STATS:
        ((lt_handler_stats *)arg)->bytes += f->bytes;
        return 0;
    case LT_HANDLER_CTL_FLUSH_DUE:
        /* Only records held by the flush policy: an async batch (held with
         * flush_records 0) is written by the batch's end. */
        if (f->held_n > 0 && f->flush_records > 0 && f->flush_ms) {
            int64_t due = f->held_since_ms + (int64_t)f->flush_ms;

            if (lt__monotonic_ms() >= due)
                (void)lt__logfile_flush(f); /* a failure is reported there */
            else if (due < *(int64_t *)arg)
                *(int64_t *)arg = due;
        }
        return 0;
    case LT_HANDLER_CTL_AFTER_FORK:
        /* flock() belongs to the open file description, which the child
         * shares with the parent: the child needs its own to be excluded. */
        if (f->lock_fd >= 0) {
            close(f->lock_fd);
            if (open_lock(f) < 0)
                f->lock_fd = -1;
        }
        return 0;
    default:
        return LT_ENOTSUP;
    }
}

char *lt__backup_name(const lt_file_options *o, const char *default_name, int *err)
{
    lt_buf *b;
    char *out;
    int r;

    if (o->namer) {
        if ((r = lt_buf_new(&b)) < 0) {
            *err = r;
            return NULL;
        }
        if ((r = o->namer(o->hook_arg, default_name, b)) < 0 || (r = lt_buf_error(b)) < 0) {
            lt_buf_free(b);
            *err = r;
            return NULL;
        }
        out = lt__strdup(lt_buf_len(b) > 0 ? lt_buf_data(b) : default_name);
        lt_buf_free(b);
    } else {
        out = lt__strdup(default_name);
    }
    if (!out)
        *err = LT_ENOMEM;
    return out;
}

int lt__rotate_file(const lt_file_options *o, const char *source, const char *dest)
{
    if (o->rotator)
        return o->rotator(o->hook_arg, source, dest);
    if (lt__sys_rename(source, dest) == 0 || errno == ENOENT)
        return 0;
    return -errno;
}

int lt__file_options_check(const lt_file_options *o, bool rotating, unsigned flags_allowed)
{
    if (!o)
        return 0;
    if (o->mode && strcmp(o->mode, "a") != 0 && strcmp(o->mode, "w") != 0)
        return LT_EINVAL;
    if ((o->flags & ~flags_allowed) || (o->multiprocess && o->flush_records > 1) ||
        o->permissions > 07777)
        return LT_EINVAL;
    if (!rotating && (o->namer || o->rotator))
        return LT_EINVAL;
    return 0;
}
