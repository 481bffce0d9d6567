/* handlers/file.c - FileHandler: append records to a file.
 *
 * One write(2) per record on an O_APPEND descriptor: processes sharing the
 * file never interleave inside a line, and nothing waits in a user-space
 * buffer when the process dies, so this kind has no flush. */
#include <stdbool.h>
#include <string.h>

#include <logtree/handler.h>
#include <logtree/handlers.h>

#include "logfile.h"

struct file_args {
    const char *path;
    bool truncate;
    bool delay;
};

static int file_open(void *state, const void *arg)
{
    const struct file_args *a = arg;

    return lt__logfile_init(state, a->path, a->truncate, a->delay);
}

static int file_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    (void)rec; /* the handler's formatter already rendered it into msg */
    return lt__logfile_write(state, msg);
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
    .state_size = sizeof(struct lt__logfile),
    .open = file_open,
    .emit = file_emit,
    .close = file_close,
    .control = file_control,
};

int lt_file_handler_new(lt_handler **ret, const char *path, const char *mode, unsigned flags)
{
    struct file_args a = {path, mode && strcmp(mode, "w") == 0, (flags & LT_FILE_DELAY) != 0};

    if (!path || (mode && strcmp(mode, "a") != 0 && strcmp(mode, "w") != 0))
        return LT_EINVAL;
    return lt_handler_new(ret, &file_type, &a);
}
