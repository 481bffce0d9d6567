/* handlers/timed_rotating.c - TimedRotatingFileHandler: a file renamed to
 * FILE.DATE at fixed times, old ones removed beyond a count.
 *
 * Python 3.11.7's rules (logging/handlers.py), kept to the second, bugs of
 * reckoning included, so that a Python user's files get the same names at
 * the same times: computeRollover() (with its hour of correction when DST
 * changes before a weekly rollover), doRollover() (the suffix names the start
 * of the period, corrected for DST the same way) and getFilesToDelete()
 * (which files count as old ones). Per record the cost is reading the clock;
 * the rest runs at a rollover only, in emit, under this handler's lock.
 * Writes are as the FileHandler's (file.c). */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <logtree/handler.h>
#include <logtree/handlers.h>

#include "logfile.h"
#include "rotation.h"
#include "sys.h"

#define DAY            (24 * 60 * 60)
#define MAX_INTERVAL   2147483647L

enum when { WHEN_SECOND, WHEN_MINUTE, WHEN_HOUR, WHEN_DAY, WHEN_MIDNIGHT, WHEN_WEEKDAY };

/* Python's suffix (the strftime() format of the date in old files' names:
 * see format_suffix()) and extMatch, for each kind of interval. */
struct when_rule {
    const char *name;
    enum when when;
    long seconds;
    const char *shape; /* extMatch: 'd' a digit, anything else itself */
};

static const struct when_rule rules[] = {
    {"S", WHEN_SECOND, 1, "dddd-dd-dd_dd-dd-dd"},
    {"M", WHEN_MINUTE, 60, "dddd-dd-dd_dd-dd"},
    {"H", WHEN_HOUR, 60 * 60, "dddd-dd-dd_dd"},
    {"D", WHEN_DAY, DAY, "dddd-dd-dd"},
    {"MIDNIGHT", WHEN_MIDNIGHT, DAY, "dddd-dd-dd"},
    {"W", WHEN_WEEKDAY, 7 * DAY, "dddd-dd-dd"}, /* last: W0-W6 */
};

#define RULE_COUNT (sizeof(rules) / sizeof(rules[0]))

struct timed_state {
    struct lt__logfile file;
    const struct when_rule *rule;
    int weekday;     /* W0-W6: 0 is Monday */
    time_t interval; /* seconds */
    unsigned backup_count;
    bool utc;
    bool file_existed; /* at creation: the rollovers count from its mtime */
    time_t file_mtime;
    time_t rollover_at;
    lt_timed_clock clock;
    lt_file_options opts; /* namer, rotator, hook_arg */
    struct lt__rotation rot;
};

struct timed_args {
    const char *path;
    const struct when_rule *rule;
    int weekday;
    long interval;
    unsigned backup_count;
    const lt_file_options *opts;
};

/* ---- time, as Python's time module sees it ---- */

static time_t now(const struct timed_state *s)
{
    return s->clock.now ? s->clock.now(s->clock.arg) : time(NULL);
}

/* time.localtime() or time.gmtime(); tzset() first, as Python's localtime()
 * does, so that a changed TZ is seen. */
static void broken_down(time_t t, bool utc, struct tm *tm)
{
    memset(tm, 0, sizeof(*tm));
    if (utc) {
        gmtime_r(&t, tm);
    } else {
        tzset();
        localtime_r(&t, tm);
    }
}

static bool is_dst(time_t t)
{
    struct tm tm;

    broken_down(t, false, &tm);
    return tm.tm_isdst > 0;
}

/* The hour Python adds or takes when DST starts or ends between two times:
 * -3600 if it starts (the wall clock jumps ahead), +3600 if it ends. */
static long dst_correction(bool dst_before, time_t after)
{
    if (dst_before == is_dst(after))
        return 0;
    return dst_before ? 3600 : -3600;
}

/* computeRollover(): the next rollover after @t. For MIDNIGHT and Wn it is
 * the next midnight (counted as the seconds left in the day, so a day with
 * a DST change ends an hour off, as in Python), plus the days to wait for
 * Wn. The atTime branch (a rotation time earlier than now) is left out: there
 * is no atTime. */
static time_t compute_rollover(const struct timed_state *s, time_t t)
{
    struct tm tm;
    int day, wait;
    time_t result;

    if (s->rule->when != WHEN_MIDNIGHT && s->rule->when != WHEN_WEEKDAY)
        return t + s->interval;
    broken_down(t, s->utc, &tm);
    result = t + DAY - ((tm.tm_hour * 60 + tm.tm_min) * 60 + tm.tm_sec);
    if (s->rule->when != WHEN_WEEKDAY)
        return result;
    day = (tm.tm_wday + 6) % 7; /* Python counts from Monday */
    if (day == s->weekday)
        return result;
    wait = day < s->weekday ? s->weekday - day : 6 - day + s->weekday + 1;
    result += (time_t)wait * DAY;
    if (!s->utc)
        result += dst_correction(tm.tm_isdst > 0, result);
    return result;
}

/* What __init__ does: count from the file's mtime if there was a file. */
static void start_counting(struct timed_state *s)
{
    s->rollover_at = compute_rollover(s, s->file_existed ? s->file_mtime : now(s));
}

/* ---- finding old files: getFilesToDelete() ---- */

/* extMatch.match(part): the shape, then the end (re's '$' also matches
 * before a last newline). The "(\.\w+)?" of Python's pattern never matches
 * within a part, which has no dot. */
static bool part_matches(const char *part, size_t len, const char *shape)
{
    size_t n = strlen(shape);

    if (len == n + 1 && part[n] == '\n')
        len = n;
    if (len != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        bool digit = part[i] >= '0' && part[i] <= '9';

        if (shape[i] == 'd' ? !digit : part[i] != shape[i])
            return false;
    }
    return true;
}

/* Any of the dot-separated parts of @suffix shaped like a date (bpo-45628:
 * the date may be anywhere in it). */
static bool has_date_part(const char *suffix, const char *shape)
{
    for (const char *p = suffix;; p++) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);

        if (part_matches(p, len, shape))
            return true;
        if (!dot)
            return false;
        p = dot;
    }
}

/* os.path.splitext(name)[0]'s length: up to the last dot, unless only dots
 * come before it (".log" has no extension). */
static size_t stem_length(const char *name)
{
    const char *dot = strrchr(name, '.');

    if (dot)
        for (const char *p = name; p < dot; p++)
            if (*p != '.')
                return (size_t)(dot - name);
    return strlen(name);
}

struct names {
    char **items;
    size_t n;
    size_t cap;
};

static int add_name(struct names *l, const char *name)
{
    char *copy;

    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **more = lt__realloc(l->items, cap * sizeof(*more));

        if (!more)
            return LT_ENOMEM;
        l->items = more;
        l->cap = cap;
    }
    if (!(copy = lt__strdup(name)))
        return LT_ENOMEM;
    l->items[l->n++] = copy;
    return 0;
}

static void free_names(struct names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The old files in @dir: names that begin with @base, then (after the stem
 * of @base and a dot) have a date part. */
static int list_old_files(const struct timed_state *s, const char *dir, const char *base,
                          struct names *found)
{
    size_t base_len = strlen(base), stem = stem_length(base);
    struct dirent *e;
    DIR *d = opendir(dir);
    int r = 0;

    if (!d)
        return -errno;
    while (r == 0 && (e = readdir(d)) != NULL) {
        const char *name = e->d_name;

        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        if (strncmp(name, base, base_len) != 0 || strncmp(name, base, stem) != 0 ||
            name[stem] != '.')
            continue;
        if (has_date_part(name + stem + 1, s->rule->shape))
            r = add_name(found, name);
    }
    closedir(d);
    return r;
}

/* Remove all but the newest backup_count old files (by name, as Python
 * sorts them). A file that cannot be removed now is found again at the next
 * rollover; the record at hand is written all the same. */
static void delete_old_files(const struct timed_state *s)
{
    const char *slash = strrchr(s->file.path, '/');
    struct names found = {0};
    char *dir;

    if (!slash)
        dir = lt__strdup(".");
    else if (slash == s->file.path)
        dir = lt__strdup("/");
    else
        dir = lt__strndup(s->file.path, (size_t)(slash - s->file.path));
    if (dir && list_old_files(s, dir, slash ? slash + 1 : s->file.path, &found) == 0 &&
        found.n > s->backup_count) {
        qsort(found.items, found.n, sizeof(*found.items), compare_names);
        for (size_t i = 0; i < found.n - s->backup_count; i++) {
            size_t size = strlen(dir) + strlen(found.items[i]) + 2;
            char *victim = lt__malloc(size);

            if (victim) {
                snprintf(victim, size, "%s/%s", dir, found.items[i]);
                (void)unlink(victim);
            }
            free(victim);
        }
    }
    free_names(&found);
    free(dir);
}

/* ---- rollover ---- */

/* Literal formats, so that the compiler checks them. */
static size_t format_suffix(char *buf, size_t size, enum when when, const struct tm *tm)
{
    switch (when) {
    case WHEN_SECOND:
        return strftime(buf, size, "%Y-%m-%d_%H-%M-%S", tm);
    case WHEN_MINUTE:
        return strftime(buf, size, "%Y-%m-%d_%H-%M", tm);
    case WHEN_HOUR:
        return strftime(buf, size, "%Y-%m-%d_%H", tm);
    default:
        return strftime(buf, size, "%Y-%m-%d", tm);
    }
}

/* The name of the file the current one becomes: FILE.SUFFIX, the suffix the
 * start of the period that ends, in local time corrected by an hour if DST
 * changed since then (doRollover()). */
static char *backup_name(const struct timed_state *s, time_t current, int *err)
{
    time_t t = s->rollover_at - s->interval;
    char suffix[64];
    size_t size;
    struct tm tm;
    char *name, *out;

    broken_down(t, s->utc, &tm);
    if (!s->utc && is_dst(current) != (tm.tm_isdst > 0))
        broken_down(t + (is_dst(current) ? 3600 : -3600), false, &tm);
    *err = LT_ENOMEM;
    if (format_suffix(suffix, sizeof(suffix), s->rule->when, &tm) == 0)
        return NULL;
    size = strlen(s->file.path) + strlen(suffix) + 2;
    if (!(name = lt__malloc(size)))
        return NULL;
    snprintf(name, size, "%s.%s", s->file.path, suffix);
    out = lt__backup_name(&s->opts, name, err); /* rotation_filename() */
    free(name);
    return out;
}

/* The rollover after the one done at @current (end of doRollover()). */
static time_t next_rollover(const struct timed_state *s, time_t current)
{
    time_t next = compute_rollover(s, current);

    while (next <= current)
        next += s->interval;
    if ((s->rule->when == WHEN_MIDNIGHT || s->rule->when == WHEN_WEEKDAY) && !s->utc)
        next += dst_correction(is_dst(current), next);
    return next;
}

/* Python's rotate() of a file to its dated name, then the old files out. */
static int finish_parked(void *kind, const char *source, const char *dest)
{
    struct timed_state *s = kind;
    int r;

    if (s->opts.rotator)
        (void)unlink(dest); /* Python: if os.path.exists(dfn): os.remove(dfn) */
    r = lt__rotate_file(&s->opts, source, dest);
    /* A failed rotator: the file still becomes the backup, as it is. */
    if (r < 0 && s->opts.rotator && access(source, F_OK) == 0)
        (void)lt__sys_rename(source, dest);
    if (s->backup_count > 0)
        delete_old_files(s);
    return r;
}

/* doRollover(). Where Python removes an existing FILE.SUFFIX before it
 * renames (or even when there is no file to rename, losing that backup),
 * rename() replaces it in one step, and only when there is a file. The
 * file is renamed while still open and the new one opened before the old
 * descriptor goes: if anything fails, records go on into the current file,
 * the failure is reported, and the next record tries again. */
static int do_rollover(struct timed_state *s, time_t current)
{
    struct lt__logfile *f = &s->file;
    int r;
    char *name = backup_name(s, current, &r);

    if (!name)
        return r;
    /* multiprocess: a backup of that name was made by another process (a
     * clock read on the edge of a second): writing on into this file loses
     * nothing, replacing that backup would. */
    if (f->multiprocess && access(name, F_OK) == 0) {
        free(name);
        s->rollover_at = next_rollover(s, current);
        return 0;
    }
    lt__logfile_retire(f);
    if (s->opts.rotator && !f->multiprocess)
        r = lt__rotation_park(&s->rot, f->path, name); /* the rotator runs on its thread */
    else
        r = finish_parked(s, f->path, name);
    free(name);
    if (r < 0)
        return r;
    lt__rotation_sync_dir(f);
    s->rollover_at = next_rollover(s, current);
    return f->fd >= 0 ? lt__logfile_open(f) : 0;
}

/* shouldRollover(): due, and the file is a regular file (bpo-89564: a
 * FIFO or /dev/null is never renamed; the next time is computed instead). */
static int rollover_if_due(struct timed_state *s)
{
    time_t t = now(s);
    struct stat st;

    if (t < s->rollover_at)
        return 0;
    if (stat(s->file.path, &st) == 0 && !S_ISREG(st.st_mode)) {
        s->rollover_at = compute_rollover(s, t);
        return 0;
    }
    return do_rollover(s, t);
}

/* multiprocess: the next rollover counted from the modification time of
 * the open file, as Python counts from the file's at start-up. The file at
 * the path always belongs to the current period (each rollover begins a new
 * one), so this is the end of that period; and a file no process wrote to
 * for a while is due at once and gets the name of its own period. Counting
 * from a stat() of the path instead could pick up the previous file's time
 * when another process rotates between that stat() and the open(), and
 * rotate the new file under the old file's name, replacing it. */
static void count_from_open_file(struct timed_state *s)
{
    struct stat st;

    if (s->file.fd >= 0 && fstat(s->file.fd, &st) == 0)
        s->rollover_at = compute_rollover(s, st.st_mtime);
}

/* ---- the vtable ---- */

static int timed_open(void *state, const void *arg)
{
    const struct timed_args *a = arg;
    struct timed_state *s = state;
    const lt_file_options *o = a->opts;
    struct stat st;
    int r;

    s->rule = a->rule;
    s->weekday = a->weekday;
    s->interval = (time_t)a->rule->seconds * (time_t)a->interval;
    s->backup_count = a->backup_count;
    s->utc = (o->flags & LT_ROTATE_UTC) != 0;
    s->opts = *o;
    /* Python stats after its open, which changes no mtime of an existing
     * file and gives a new one's as now: the same as stat()ing first. */
    if (stat(a->path, &st) == 0) {
        s->file_existed = true;
        s->file_mtime = st.st_mtime;
    }
    if ((r = lt__logfile_init(&s->file, state, a->path, false, (o->flags & LT_FILE_DELAY) != 0,
                              o)) < 0)
        return r;
    if (o->rotator && !o->multiprocess &&
        (r = lt__rotation_init(&s->rot, s->file.path, finish_parked, s)) < 0) {
        lt__logfile_free(&s->file);
        return r;
    }
    start_counting(s);
    if (o->multiprocess)
        count_from_open_file(s);
    return 0;
}

static int timed_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    struct timed_state *s = state;
    struct lt__logfile *f = &s->file;
    int r;

    if ((r = lt__logfile_begin(f)) < 0)
        return r;
    if (f->multiprocess) {
        bool fresh = f->fd < 0;
        int moved = r;

        if ((r = lt__logfile_ensure_open(f)) < 0)
            return r;
        /* Another process rotated, or the file was opened only now: count
         * from the file every process writes to now. */
        if (moved == 1 || fresh)
            count_from_open_file(s);
    }
    lt__rotation_poll(&s->rot, f);
    /* Before the open: with delay, Python renames no file it has not made. */
    if ((r = rollover_if_due(s)) < 0)
        lt__logfile_report(f, r, "rotate", NULL);
    if ((r = lt__logfile_ensure_open(f)) < 0)
        return r;
    r = lt__logfile_write(f, lt_record_level(rec), msg);
    lt__logfile_end(f);
    return r;
}

/* Also waits for the rotator's work: what lt_handler_flush() promises is
 * that the files are as they will stay. */
static int timed_flush(void *state)
{
    struct timed_state *s = state;

    lt__rotation_wait(&s->rot);
    lt__rotation_poll(&s->rot, &s->file);
    return lt__logfile_flush_slot(&s->file);
}

static void timed_close(void *state)
{
    struct timed_state *s = state;

    lt__rotation_wait(&s->rot);
    lt__rotation_poll(&s->rot, &s->file);
    lt__rotation_free(&s->rot); /* its thread reads the path and options */
    lt__logfile_free(&s->file);
}

static int timed_control(void *state, int op, void *arg)
{
    struct timed_state *s = state;

    switch (op) {
    case LT_TIMED_CTL_SET_CLOCK:
        if (arg)
            s->clock = *(const lt_timed_clock *)arg;
        else
            memset(&s->clock, 0, sizeof(s->clock));
        start_counting(s);
        return 0;
    case LT_TIMED_CTL_NEXT_ROLLOVER:
        if (!arg)
            return LT_EINVAL;
        *(time_t *)arg = s->rollover_at;
        return 0;
    case LT_HANDLER_CTL_AFTER_FORK:
        lt__rotation_after_fork(&s->rot);
        return lt__logfile_control(&s->file, op, arg);
    default:
        return lt__logfile_control(&s->file, op, arg);
    }
}

static const lt_handler_type timed_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "timed_rotating",
    .flags = LT_HANDLER_ESCAPE, /* a line-oriented file: record text escaped by default */
    .state_size = sizeof(struct timed_state),
    .open = timed_open,
    .emit = timed_emit,
    .flush = timed_flush,
    .close = timed_close,
    .control = timed_control,
};

/* @when as Python's when.upper() takes it: S M H D MIDNIGHT, or W and a
 * day 0-6. */
static const struct when_rule *find_rule(const char *when, int *weekday)
{
    char upper[16];
    size_t i;

    for (i = 0; when[i] && i < sizeof(upper) - 1; i++)
        upper[i] = (when[i] >= 'a' && when[i] <= 'z') ? (char)(when[i] - 32) : when[i];
    if (when[i])
        return NULL;
    upper[i] = '\0';
    if (upper[0] == 'W') {
        if (i != 2 || upper[1] < '0' || upper[1] > '6')
            return NULL;
        *weekday = upper[1] - '0';
        return &rules[RULE_COUNT - 1];
    }
    for (i = 0; i < RULE_COUNT - 1; i++)
        if (strcmp(upper, rules[i].name) == 0)
            return &rules[i];
    return NULL;
}

int lt_timed_rotating_file_handler_new_opts(lt_handler **ret, const char *path, const char *when,
                                            long interval, unsigned backup_count,
                                            const lt_file_options *opts)
{
    static const lt_file_options defaults;
    struct timed_args a = {path, NULL, 0, interval, backup_count, opts ? opts : &defaults};

    if (!path || interval < 1 || interval > MAX_INTERVAL ||
        lt__file_options_check(opts, true, LT_FILE_DELAY | LT_ROTATE_UTC) < 0 ||
        (opts && opts->mode && strcmp(opts->mode, "a") != 0))
        return LT_EINVAL;
    if (!(a.rule = find_rule(when ? when : "H", &a.weekday)))
        return LT_EINVAL;
    return lt_handler_new(ret, &timed_type, &a);
}

int lt_timed_rotating_file_handler_new(lt_handler **ret, const char *path, const char *when,
                                       long interval, unsigned backup_count, unsigned flags)
{
    lt_file_options o = {.flags = flags};

    return lt_timed_rotating_file_handler_new_opts(ret, path, when, interval, backup_count, &o);
}
