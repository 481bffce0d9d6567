/* handlers/rotating.c - RotatingFileHandler: a file that is renamed to .1
 * (and .1 to .2, ...) when the next record would make it too big.
 *
 * Python 3.11's rules (logging/handlers.py, shouldRollover and doRollover):
 * the check comes before each record, compares the file's size in bytes plus
 * the record's length in characters with maxBytes, and skips files that are
 * not regular files. The size is fstat()ed from our descriptor, so records
 * other processes append to the same file count too. Writes are as the
 * FileHandler's (file.c). With multiprocess, logfile.c's lock on
 * "<path>.lock" is held from the check to the write, and a process that
 * finds the file renamed by another opens the new one before it checks: so
 * one process rotates at each threshold. The rotator runs on rotation.c's
 * thread. */
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
#include "rotation.h"
#include "sys.h"

struct rotating_state {
    struct lt__logfile file;
    uint64_t max_bytes;
    unsigned backup_count;
    lt_file_options opts; /* namer, rotator, hook_arg */
    struct lt__rotation rot;
    bool resume;        /* the last rollover failed: */
    unsigned resume_at; /* the backup it had to shift next (0: all were) */
};

struct rotating_args {
    const char *path;
    uint64_t max_bytes;
    unsigned backup_count;
    const lt_file_options *opts;
};

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
 * which is the same with the default one. Records waiting to be written
 * (a flush policy) count as if they were in the file. */
static int should_rollover(const struct rotating_state *s, const lt_buf *msg)
{
    const struct lt__logfile *f = &s->file;
    struct stat st;
    uint64_t len;

    if (s->max_bytes == 0 || s->backup_count == 0)
        return 0;
    if (fstat(f->fd, &st) < 0)
        return -errno;
    if (!S_ISREG(st.st_mode))
        return 0; /* bpo-45401: never rotate /dev/stdout, a FIFO, ... */
    len = count_chars(lt_buf_data(msg), lt_buf_len(msg)) +
          count_chars(f->terminator, f->terminator_len);
    return (uint64_t)st.st_size + f->held_len + f->tail_len + len >= s->max_bytes;
}

/* "<path>.<i>", after the namer. */
static char *numbered(const struct rotating_state *s, unsigned i, int *err)
{
    size_t size = strlen(s->file.path) + 16;
    char *name = lt__malloc(size), *out;

    if (!name) {
        *err = LT_ENOMEM;
        return NULL;
    }
    snprintf(name, size, "%s.%u", s->file.path, i);
    out = lt__backup_name(&s->opts, name, err);
    free(name);
    return out;
}

/* .N-1 to .N, ..., .1 to .2 (Python's loop; rename() replaces in one step
 * where Python removes first), from @from down. A missing one is skipped.
 * Returns 0, or -errno with *@stopped the one that failed. */
static int shift_backups(const struct rotating_state *s, unsigned from, unsigned *stopped)
{
    int r = 0;

    for (unsigned i = from; i > 0; i--) {
        char *src = numbered(s, i, &r), *to = src ? numbered(s, i + 1, &r) : NULL;

        if (to && lt__sys_rename(src, to) < 0 && errno != ENOENT)
            r = -errno;
        free(src);
        free(to);
        if (r < 0) {
            *stopped = i;
            return r;
        }
    }
    return 0;
}

/* What the rotation thread does for a renamed file (rotation.h): shift the
 * older backups, then the rotator from the parked name to .1. */
static int finish_parked(void *kind, const char *parked, const char *unused)
{
    struct rotating_state *s = kind;
    char *dest;
    int r;

    (void)unused;
    if ((r = shift_backups(s, s->backup_count - 1, &(unsigned){0})) < 0)
        return r;
    if (!(dest = numbered(s, 1, &r)))
        return r;
    (void)unlink(dest); /* Python: if os.path.exists(dfn): os.remove(dfn) */
    r = lt__rotate_file(&s->opts, parked, dest);
    /* A failed rotator: the file still becomes the backup, uncompressed. */
    if (r < 0 && access(parked, F_OK) == 0)
        (void)lt__sys_rename(parked, dest);
    free(dest);
    return r;
}

/* doRollover(). The file is renamed while still open, and the new one
 * opened before the old descriptor is let go, so that a failure anywhere
 * leaves records going into the current file (and is reported). */
static int do_rollover(struct rotating_state *s)
{
    struct lt__logfile *f = &s->file;
    char *dest;
    int r;

    lt__logfile_retire(f);
    if (s->opts.rotator && !f->multiprocess) {
        /* Only the rename here; the rotator runs on the rotation thread. */
        if ((r = lt__rotation_park(&s->rot, f->path, NULL)) < 0)
            return r;
    } else {
        /* A rollover that failed before resumes where it stopped: shifting
         * again from the top would push each backup one further per try. */
        unsigned from = s->resume ? s->resume_at : s->backup_count - 1;

        s->resume = true;
        if ((r = shift_backups(s, from, &s->resume_at)) < 0)
            return r;
        s->resume_at = 0;
        if (!(dest = numbered(s, 1, &r)))
            return r;
        if (s->opts.rotator)
            (void)unlink(dest);
        r = lt__rotate_file(&s->opts, f->path, dest);
        free(dest);
        if (r < 0)
            return r;
    }
    s->resume = false;
    lt__rotation_sync_dir(f);
    return lt__logfile_open(f);
}

static int rotating_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    struct rotating_state *s = state;
    struct lt__logfile *f = &s->file;
    int r;

    if ((r = lt__logfile_begin(f)) < 0 || (r = lt__logfile_ensure_open(f)) < 0)
        return r; /* delayed open, or reopen after a rotation, failed: tried again next time */
    lt__rotation_poll(&s->rot, f);
    if ((r = should_rollover(s, msg)) > 0)
        r = do_rollover(s);
    if (r < 0) /* the record goes to the current file all the same */
        lt__logfile_report(f, r, "rotate", NULL);
    r = lt__logfile_write(f, lt_record_level(rec), msg);
    lt__logfile_end(f);
    return r;
}

static int rotating_open(void *state, const void *arg)
{
    const struct rotating_args *a = arg;
    struct rotating_state *s = state;
    const lt_file_options *o = a->opts;
    int r;

    s->max_bytes = a->max_bytes;
    s->backup_count = a->backup_count;
    s->opts = *o;
    /* Python forces 'a' when maxBytes > 0: truncating at each start would
     * throw away the previous runs' records that rotation exists to keep. */
    r = lt__logfile_init(&s->file, state, a->path,
                         o->mode && strcmp(o->mode, "w") == 0 && a->max_bytes == 0,
                         (o->flags & LT_FILE_DELAY) != 0, o);
    if (r < 0)
        return r;
    if (o->rotator && !o->multiprocess &&
        (r = lt__rotation_init(&s->rot, s->file.path, finish_parked, s)) < 0)
        lt__logfile_free(&s->file);
    return r;
}

/* Also waits for the rotator's work: what lt_handler_flush() promises is
 * that the files are as they will stay. */
static int rotating_flush(void *state)
{
    struct rotating_state *s = state;

    lt__rotation_wait(&s->rot);
    lt__rotation_poll(&s->rot, &s->file);
    return lt__logfile_flush_slot(&s->file);
}

static void rotating_close(void *state)
{
    struct rotating_state *s = state;

    lt__rotation_wait(&s->rot);
    lt__rotation_poll(&s->rot, &s->file);
    lt__rotation_free(&s->rot); /* its thread reads the path and options */
    lt__logfile_free(&s->file);
}

static int rotating_control(void *state, int op, void *arg)
{
    struct rotating_state *s = state;

    if (op == LT_HANDLER_CTL_AFTER_FORK)
        lt__rotation_after_fork(&s->rot);
    return lt__logfile_control(&s->file, op, arg);
}

static const lt_handler_type rotating_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "rotating",
    .flags = LT_HANDLER_ESCAPE, /* a line-oriented file: record text escaped by default */
    .state_size = sizeof(struct rotating_state),
    .open = rotating_open,
    .emit = rotating_emit,
    .flush = rotating_flush,
    .close = rotating_close,
    .control = rotating_control,
};

int lt_rotating_file_handler_new_opts(lt_handler **ret, const char *path, uint64_t max_bytes,
                                      unsigned backup_count, const lt_file_options *opts)
{
    static const lt_file_options defaults;
    struct rotating_args a = {path, max_bytes, backup_count, opts ? opts : &defaults};

    if (!path || lt__file_options_check(opts, true, LT_FILE_DELAY) < 0)
        return LT_EINVAL;
    return lt_handler_new(ret, &rotating_type, &a);
}

int lt_rotating_file_handler_new(lt_handler **ret, const char *path, const char *mode,
                                 uint64_t max_bytes, unsigned backup_count, unsigned flags)
{
    lt_file_options o = {.mode = mode, .flags = flags};

    return lt_rotating_file_handler_new_opts(ret, path, max_bytes, backup_count, &o);
}
