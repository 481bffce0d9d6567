/* handlers/watched.c - WatchedFileHandler: a file handler that opens its
 * path again when the file was moved or removed (logrotate, newsyslog).
 *
 * Python 3.11's reopenIfNeeded(): before each record, stat() the path and
 * compare device and inode with those of the open descriptor; if the path
 * is gone or names another file, close and open again. One stat() per
 * record, as in Python. Writes are as the FileHandler's (file.c). */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <logtree/handler.h>
#include <logtree/handlers.h>

#define TERMINATOR_MAX 16

struct watched_state {
    char *path; /* absolute, as Python's baseFilename */
    int fd;     /* -1 until opened (delay), or after a reopen failed */
    /* With "w", O_TRUNC stays: Python reopens a replaced file with the
     * handler's mode, so the new file starts empty too. */
    int open_flags;
    dev_t dev; /* of fd */
    ino_t ino;
    char terminator[TERMINATOR_MAX];
};

struct watched_args {
    const char *path;
    const char *mode;
    unsigned flags;
};

/* Python keeps os.path.abspath(filename): a program that changes directory
 * later still watches the file it started with. Without a current
 * directory (removed), the path stays relative. */
static char *absolute_path(const char *path)
{
    size_t size = 256;
    char *cwd = NULL, *abs;

    if (path[0] == '/')
        return strdup(path);
    for (;;) {
        char *more = realloc(cwd, size);

        if (!more) {
            free(cwd);
            return NULL;
        }
        cwd = more;
        if (getcwd(cwd, size))
            break;
        if (errno != ERANGE) {
            free(cwd);
            return strdup(path);
        }
        size *= 2;
    }
    size = strlen(cwd) + strlen(path) + 2;
    abs = malloc(size);
    if (abs)
        snprintf(abs, size, "%s%s%s", cwd, strcmp(cwd, "/") == 0 ? "" : "/", path);
    free(cwd);
    return abs;
}

/* Open the path in place of the current descriptor, and remember what it
 * is. Every open records device and inode: Python forgets to after a
 * delayed open, so the second record reopens, which with "w" truncates away
 * the first. */
static int open_file(struct watched_state *w, int flags)
{
    struct stat st;
    int fd = open(w->path, flags, 0666);

    if (fd < 0 || fstat(fd, &st) < 0) {
        int r = -errno;

        if (fd >= 0)
            close(fd);
        return r;
    }
    if (w->fd >= 0)
        close(w->fd);
    w->fd = fd;
    w->dev = st.st_dev;
    w->ino = st.st_ino;
    return 0;
}

static int watched_open(void *state, const void *arg)
{
    const struct watched_args *a = arg;
    struct watched_state *w = state;
    int r;

    w->fd = -1;
    strcpy(w->terminator, "\n");
    w->open_flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;
    if (strcmp(a->mode, "w") == 0)
        w->open_flags |= O_TRUNC;
    if (!(w->path = absolute_path(a->path)))
        return LT_ENOMEM;
    if (a->flags & LT_FILE_DELAY)
        return 0;
    if ((r = open_file(w, w->open_flags)) < 0)
        free(w->path);
    return r;
}

/* reopenIfNeeded(). A reopen that fails leaves no descriptor, as in Python
 * (rather than writing on into a file that was moved away): the record is
 * lost and reported, and the next one tries again. */
static int reopen_if_needed(struct watched_state *w)
{
    struct stat st;
    int r;

    if (stat(w->path, &st) < 0) {
        if (errno != ENOENT)
            return -errno;
    } else if (st.st_dev == w->dev && st.st_ino == w->ino) {
        return 0;
    }
    if ((r = open_file(w, w->open_flags)) < 0) {
        close(w->fd);
        w->fd = -1;
    }
    return r;
}

static int watched_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    struct watched_state *w = state;
    int r;

    (void)rec;
    if (w->fd >= 0 && (r = reopen_if_needed(w)) < 0)
        return r;
    if (w->fd < 0 && (r = open_file(w, w->open_flags)) < 0)
        return r;
    lt_buf_puts(msg, w->terminator);
    if (lt_buf_error(msg))
        return lt_buf_error(msg);
    return lt_write_all(w->fd, lt_buf_data(msg), lt_buf_len(msg));
}

static void watched_close(void *state)
{
    struct watched_state *w = state;

    if (w->fd >= 0)
        close(w->fd);
    free(w->path);
}

static int watched_control(void *state, int op, void *arg)
{
    struct watched_state *w = state;

    switch (op) {
    case LT_HANDLER_CTL_REOPEN:
        /* Asked for, not forced by a replaced file: keep what is there. */
        return w->fd >= 0 ? open_file(w, w->open_flags & ~O_TRUNC) : 0;
    case LT_HANDLER_CTL_SET_TERMINATOR:
        if (!arg)
            return LT_EINVAL;
        if (strlen(arg) >= sizeof(w->terminator))
            return LT_ERANGE;
        strcpy(w->terminator, arg);
        return 0;
    default:
        return LT_ENOTSUP;
    }
}

static const lt_handler_type watched_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "watched",
    .state_size = sizeof(struct watched_state),
    .open = watched_open,
    .emit = watched_emit,
    .close = watched_close,
    .control = watched_control,
};

int lt_watched_file_handler_new(lt_handler **ret, const char *path, const char *mode,
                                unsigned flags)
{
    struct watched_args a = {path, mode ? mode : "a", flags};

    if (!path || (strcmp(a.mode, "a") != 0 && strcmp(a.mode, "w") != 0) || (flags & ~LT_FILE_DELAY))
        return LT_EINVAL;
    return lt_handler_new(ret, &watched_type, &a);
}
