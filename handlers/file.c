/* handlers/file.c - FileHandler: append records to a file.
 *
 * One write(2) per record on an O_APPEND descriptor: processes sharing the
 * file never interleave inside a line, and nothing waits in a user-space
 * buffer when the process dies, so this kind has no flush. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <logtree/handler.h>
#include <logtree/handlers.h>

#define TERMINATOR_MAX 16

struct file_state {
    char *path;
    int fd; /* -1 until opened (delay) */
    int open_flags;
    char terminator[TERMINATOR_MAX];
};

struct file_args {
    const char *path;
    const char *mode;
    unsigned flags;
};

static int reopen(struct file_state *f)
{
    int fd = open(f->path, f->open_flags, 0666);

    if (fd < 0)
        return -errno;
    if (f->fd >= 0)
        close(f->fd);
    f->fd = fd;
    /* "w" truncates the first time only; reopening must not lose lines. */
    f->open_flags &= ~O_TRUNC;
    return 0;
}

static int file_open(void *state, const void *arg)
{
    const struct file_args *a = arg;
    struct file_state *f = state;
    int r;

    f->fd = -1;
    strcpy(f->terminator, "\n");
    f->open_flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;
    if (strcmp(a->mode, "w") == 0)
        f->open_flags |= O_TRUNC;
    f->path = strdup(a->path);
    if (!f->path)
        return LT_ENOMEM;
    if (a->flags & LT_FILE_DELAY)
        return 0;
    r = reopen(f);
    if (r < 0)
        free(f->path);
    return r;
}

static int file_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    struct file_state *f = state;
    int r;

    (void)rec;
    if (f->fd < 0 && (r = reopen(f)) < 0)
        return r; /* delayed open failed: reported, and tried again next time */
    lt_buf_puts(msg, f->terminator);
    if (lt_buf_error(msg))
        return lt_buf_error(msg);
    return lt_write_all(f->fd, lt_buf_data(msg), lt_buf_len(msg));
}

static void file_close(void *state)
{
    struct file_state *f = state;

    if (f->fd >= 0)
        close(f->fd);
    free(f->path);
}

static int file_control(void *state, int op, void *arg)
{
    struct file_state *f = state;

    switch (op) {
    case LT_HANDLER_CTL_REOPEN:
        return f->fd >= 0 ? reopen(f) : 0;
    case LT_HANDLER_CTL_SET_TERMINATOR:
        if (!arg)
            return LT_EINVAL;
        if (strlen(arg) >= sizeof(f->terminator))
            return LT_ERANGE;
        strcpy(f->terminator, arg);
        return 0;
    default:
        return LT_ENOTSUP;
    }
}

static const lt_handler_type file_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "file",
    .state_size = sizeof(struct file_state),
    .open = file_open,
    .emit = file_emit,
    .close = file_close,
    .control = file_control,
};

int lt_file_handler_new(lt_handler **ret, const char *path, const char *mode, unsigned flags)
{
    struct file_args a = {path, mode ? mode : "a", flags};

    if (!path || (strcmp(a.mode, "a") != 0 && strcmp(a.mode, "w") != 0))
        return LT_EINVAL;
    return lt_handler_new(ret, &file_type, &a);
}
