/* handlers/file.c - FileHandler: append records to a file.
 *
 * One write(2) per record on an O_APPEND descriptor: processes sharing the
 * file never interleave inside a line, and nothing waits in a user-space
 * buffer when the process dies, unless a flush policy asks records to wait
 * (logfile.c). */
#include <stdbool.h>
#include <string.h>

#include <logtree/handler.h>
#include <logtree/handlers.h>

#include "logfile.h"

struct file_args {
    const char *path;
    const lt_file_options *opts;
};

static int file_open(void *state, const void *arg)
{
    const struct file_args *a = arg;
    lt_file_options o = *a->opts;

    o.multiprocess = false; /* appends of whole records need no lock */
    return lt__logfile_init(state, state, a->path, o.mode && strcmp(o.mode, "w") == 0,
                            (o.flags & LT_FILE_DELAY) != 0, &o);
}

static int file_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    return lt__logfile_emit(state, rec, msg);
}

static int file_flush(void *state)
{
    return lt__logfile_flush_slot(state);
}

static void file_close(void *state)
{
    lt__logfile_free(state);
}

static int file_control(void *state, int op, void *arg)
{
    return lt__logfile_control(state, op, arg);
}

static const lt_handler_type file_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "file",
    .flags = LT_HANDLER_ESCAPE, /* a line-oriented file: record text escaped by default */
    .state_size = sizeof(struct lt__logfile),
    .open = file_open,
    .emit = file_emit,
    .flush = file_flush,
    .close = file_close,
    .control = file_control,
};

int lt_file_handler_new_opts(lt_handler **ret, const char *path, const lt_file_options *opts)
{
    static const lt_file_options defaults;
    struct file_args a = {path, opts ? opts : &defaults};

    if (!path || lt__file_options_check(opts, false, LT_FILE_DELAY) < 0)
        return LT_EINVAL;
    return lt_handler_new(ret, &file_type, &a);
}

int lt_file_handler_new(lt_handler **ret, const char *path, const char *mode, unsigned flags)
{
    lt_file_options o = {.mode = mode, .flags = flags};

    /* The flags were never checked here; keep accepting what was accepted. */
    o.flags &= LT_FILE_DELAY;
    return lt_file_handler_new_opts(ret, path, &o);
}
