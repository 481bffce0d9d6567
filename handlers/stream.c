/* handlers/stream.c - StreamHandler: records to a FILE * or a file
 * descriptor, each followed by its terminator and flushed at once. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <logtree/handler.h>
#include <logtree/handlers.h>

#include "sys.h"

#define TERMINATOR_MAX 16

struct stream_state {
    FILE *fp; /* NULL: write to fd */
    int fd;
    char terminator[TERMINATOR_MAX];
};

static int set_terminator(struct stream_state *s, const char *terminator)
{
    if (!terminator)
        return LT_EINVAL;
    if (strlen(terminator) >= sizeof(s->terminator))
        return LT_ERANGE;
    strcpy(s->terminator, terminator);
    return 0;
}

static int stream_open(void *state, const void *arg)
{
    struct stream_state *s = state;

    s->fp = (FILE *)(void *)(uintptr_t)arg;
    s->fd = -1;
    return set_terminator(s, "\n");
}

static int fd_open(void *state, const void *arg)
{
    struct stream_state *s = state;

    s->fd = *(const int *)arg;
    return set_terminator(s, "\n");
}

/* One fwrite and a flush under stdio's own lock, so that a printf() of the
 * program on another thread never lands inside a record. */
static int write_stream(FILE *fp, const char *data, size_t len)
{
    struct lt__sigpipe g;
    int r = 0;

    lt__sigpipe_block(&g); /* stdout into a pipe whose reader died */
    flockfile(fp);
    if (fwrite(data, 1, len, fp) != len || fflush(fp) != 0) {
        r = errno ? -errno : LT_EIO;
        clearerr(fp); /* so that the next record tries again */
    }
    funlockfile(fp);
    lt__sigpipe_unblock(&g, r == -EPIPE);
    return r;
}

static int stream_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    struct stream_state *s = state;

    (void)rec;
    lt_buf_puts(msg, s->terminator);
    if (lt_buf_error(msg))
        return lt_buf_error(msg);
    errno = 0;
    if (s->fp)
        return write_stream(s->fp, lt_buf_data(msg), lt_buf_len(msg));
    return lt_write_all(s->fd, lt_buf_data(msg), lt_buf_len(msg));
}

static int stream_flush(void *state)
{
    struct stream_state *s = state;

    if (s->fp && fflush(s->fp) != 0) {
        clearerr(s->fp);
        return -errno;
    }
    return 0;
}

static int stream_control(void *state, int op, void *arg)
{
    struct stream_state *s = state;

    if (op == LT_HANDLER_CTL_SET_TERMINATOR)
        return set_terminator(state, arg);
    if (op == LT_HANDLER_CTL_DESCRIBE) {
        if (s->fp == stdout || s->fp == stderr)
            lt_buf_puts(arg, s->fp == stdout ? "<stdout>" : "<stderr>");
        else if (s->fp)
            lt_buf_printf(arg, "<FILE %d>", fileno(s->fp));
        else
            lt_buf_printf(arg, "<fd %d>", s->fd);
        return 0;
    }
    return LT_ENOTSUP;
}

static const lt_handler_type stream_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "stream",
    .state_size = sizeof(struct stream_state),
    .open = stream_open,
    .emit = stream_emit,
    .flush = stream_flush,
    .control = stream_control,
};

static const lt_handler_type fd_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "fd",
    .state_size = sizeof(struct stream_state),
    .open = fd_open,
    .emit = stream_emit,
    .control = stream_control,
};

int lt_stream_handler_new(lt_handler **ret, FILE *stream)
{
    return lt_handler_new(ret, &stream_type, stream ? stream : stderr);
}

int lt_fd_handler_new(lt_handler **ret, int fd)
{
    if (fd < 0)
        return LT_EBADF;
    return lt_handler_new(ret, &fd_type, &fd);
}
