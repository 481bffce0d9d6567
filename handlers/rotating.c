/* handlers/rotating.c - RotatingFileHandler: a file that is renamed to .1
 * (and .1 to .2, ...) when the next record would make it too big.
 *
 * Python 3.11's rules (logging/handlers.py, shouldRollover and doRollover):
 * the check comes before each record, compares the file's size in bytes plus
 * the record's length in characters with maxBytes, and skips files that are
 * not regular files. The size is fstat()ed from our descriptor, so records
 * other processes append to the same file count too. Writes are as the
 * FileHandler's (file.c): one write(2) per record on an O_APPEND descriptor. */
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

struct rotating_state {
    struct lt__logfile file;
    uint64_t max_bytes;
    unsigned backup_count;
};

struct rotating_args {
    const char *path;
    const char *mode;
    uint64_t max_bytes;
    unsigned backup_count;
    unsigned flags;
};

static int rotating_open(void *state, const void *arg)
{
    const struct rotating_args *a = arg;
    struct rotating_state *s = state;

    s->max_bytes = a->max_bytes;
    s->backup_count = a->backup_count;
    /* Python forces 'a' when maxBytes > 0: truncating at each start would
     * throw away the previous runs' records that rotation exists to keep. */
    return lt__logfile_init(&s->file, a->path, strcmp(a->mode, "w") == 0 && a->max_bytes == 0,
                            (a->flags & LT_FILE_DELAY) != 0);
}

/* Python's len() of the text: UTF-8 code points, that is every byte that is
 * not a continuation byte. */
static uint64_t count_chars(const char *p, size_t len)
{
    uint64_t n = 0;

    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)p[i] & 0xC0) != 0x80;
    return n;
}

/* shouldRollover(): 1 if the record must start a new file. Python counts a
 * "\n" after the record; the terminator actually written is counted here,
 * which is the same with the default one. */
static int should_rollover(const struct rotating_state *s, const lt_buf *msg)
{
    struct stat st;
    uint64_t len;

    if (s->max_bytes == 0 || s->backup_count == 0)
        return 0;
    if (fstat(s->file.fd, &st) < 0)
        return -errno;
    if (!S_ISREG(st.st_mode))
        return 0; /* bpo-45401: never rotate /dev/stdout, a FIFO, ... */
    len = count_chars(lt_buf_data(msg), lt_buf_len(msg)) +
          count_chars(s->file.terminator, strlen(s->file.terminator));
    return (uint64_t)st.st_size + len >= s->max_bytes;
}

/* A missing source is not an error, as Python checks os.path.exists()
 * first. rename() replaces the destination in one step, where Python
 * removes it first. */
static int rename_if_exists(const char *from, const char *to)
{
    if (rename(from, to) == 0 || errno == ENOENT)
        return 0;
    return -errno;
}

/* doRollover(): .N-1 to .N, ..., .1 to .2, the file to .1; then a new file.
 * On failure the file is reopened as it is, so that the next record tries
 * again. */
static int do_rollover(struct rotating_state *s)
{
    const char *path = s->file.path;
    size_t size = strlen(path) + 16;
    char *from = malloc(size), *to = malloc(size);
    int r = (from && to) ? 0 : LT_ENOMEM;

    lt__logfile_close_fd(&s->file);
    for (unsigned i = s->backup_count - 1; r == 0 && i > 0; i--) {
        snprintf(from, size, "%s.%u", path, i);
        snprintf(to, size, "%s.%u", path, i + 1);
        r = rename_if_exists(from, to);
    }
    if (r == 0) {
        snprintf(to, size, "%s.1", path);
        r = rename_if_exists(path, to);
    }
    free(from);
    free(to);
    if (r < 0) {
        (void)lt__logfile_open(&s->file);
        return r;
    }
    return lt__logfile_open(&s->file);
}

static int rotating_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    struct rotating_state *s = state;
    int r;

    (void)rec;
    if (s->file.fd < 0 && (r = lt__logfile_open(&s->file)) < 0)
        return r; /* delayed open, or reopen after a rotation, failed: tried again next time */
    if ((r = should_rollover(s, msg)) > 0)
        r = do_rollover(s);
    if (r < 0)
        return r;
    return lt__logfile_write(&s->file, msg);
}

static void rotating_close(void *state)
{
    struct rotating_state *s = state;

    lt__logfile_free(&s->file);
}

static int rotating_control(void *state, int op, void *arg)
{
    struct rotating_state *s = state;

    return lt__logfile_control(&s->file, op, arg);
}

static const lt_handler_type rotating_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "rotating",
    .state_size = sizeof(struct rotating_state),
    .open = rotating_open,
    .emit = rotating_emit,
    .close = rotating_close,
    .control = rotating_control,
};

int lt_rotating_file_handler_new(lt_handler **ret, const char *path, const char *mode,
                                 uint64_t max_bytes, unsigned backup_count, unsigned flags)
{
    struct rotating_args a = {path, mode ? mode : "a", max_bytes, backup_count, flags};

    if (!path || (strcmp(a.mode, "a") != 0 && strcmp(a.mode, "w") != 0) || (flags & ~LT_FILE_DELAY))
        return LT_EINVAL;
    return lt_handler_new(ret, &rotating_type, &a);
}
