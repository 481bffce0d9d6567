/* bench/logtree-bench.c - the first benchmark: what a logging call costs,
 * next to plain fprintf() measured in the same run.
 *
 *     build/bench/logtree-bench [--count N] [--runs R] [--dir DIR]
 *
 * Scenarios (each run R times; the median of the runs is printed, with its
 * ratio to the baseline of the same scenario):
 *   disabled  a DEBUG call while the level is INFO, against the C idiom
 *             `if (level <= DEBUG) fprintf(...)`;
 *   file      an enabled INFO call with "%(asctime)s %(levelname)s %(name)s
 *             %(message)s" to a file, against fprintf() of the same line
 *             (buffered by stdio, and flushed per line like logtree's);
 *   formatters  one record with 5 fields (int, string, double, bool, string)
 *             turned into bytes, nothing else (lt_formatter_format() into a
 *             buffer): the core %-formatter of the file scenario, then
 *             %-format printing the fields too, JSON and logfmt (defaults);
 * lines/s is 1e9 / ns per call. The machines are shared and noisy: compare
 * ratios within one run, never a lone figure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <logtree/logtree.h>

static const char message_fmt[] = "request %d from %s took %.3f ms";

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), compare_doubles);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Every argument is read from memory the compiler cannot see through, so no
 * scenario is optimised away. */
static volatile int sink_level = LT_LEVEL_INFO;
static volatile int request_id = 42;
static const char *volatile client_ip = "10.0.0.1";
static volatile double took_ms = 12.345;

typedef void (*scenario_fn)(long count, void *ctx);

static double time_per_call(scenario_fn fn, long count, void *ctx)
{
    double start = now_ns();

    fn(count, ctx);
    return (now_ns() - start) / (double)count;
}

static void logtree_disabled(long count, void *ctx)
{
    lt_logger *lg = ctx;

    for (long i = 0; i < count; i++)
        LT_DEBUG(lg, message_fmt, request_id, client_ip, took_ms);
}

static void fprintf_disabled(long count, void *ctx)
{
    for (long i = 0; i < count; i++)
        if (sink_level <= LT_LEVEL_DEBUG)
            fprintf(ctx, message_fmt, request_id, client_ip, took_ms);
}

static void logtree_enabled(long count, void *ctx)
{
    lt_logger *lg = ctx;

    for (long i = 0; i < count; i++)
        LT_INFO(lg, message_fmt, request_id, client_ip, took_ms);
}

/* The same line logtree writes: local time with milliseconds, level, name. */
static void fprintf_line(FILE *fp)
{
    struct timespec ts;
    struct tm tm;
    char when[32];

    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
    fprintf(fp, "%s,%03ld INFO bench ", when, ts.tv_nsec / 1000000);
    fprintf(fp, message_fmt, request_id, client_ip, took_ms);
    fputc('\n', fp);
}

static void fprintf_buffered(long count, void *ctx)
{
    for (long i = 0; i < count; i++)
        fprintf_line(ctx);
}

static void fprintf_flushed(long count, void *ctx)
{
    for (long i = 0; i < count; i++) {
        fprintf_line(ctx);
        fflush(ctx);
    }
}

/* ---- formatters ---- */

struct format_ctx {
    lt_formatter *f;
    const lt_record *rec;
    lt_buf *out;
};

static void format_record(long count, void *ctx)
{
    struct format_ctx *c = ctx;

    for (long i = 0; i < count; i++) {
        lt_buf_truncate(c->out, 0);
        lt_formatter_format(c->f, c->rec, c->out);
    }
}

static bool keep_record(void *userdata, lt_record *rec)
{
    lt_record **kept = userdata;

    if (!*kept)
        lt_record_copy(rec, kept);
    return false; /* kept: no handler needs it */
}

/* A record as a logging call makes it, with 5 fields, kept. */
static lt_record *record_with_fields(void)
{
    lt_logger *lg = lt_get_logger("bench.formatters");
    lt_record *rec = NULL;
    lt_filter *filter;

    if (lt_callback_filter_new(&filter, keep_record, &rec, NULL) < 0)
        return NULL;
    lt_logger_add_filter(lg, filter);
    lt_logger_set_level(lg, LT_LEVEL_INFO);
    LT_INFO(lg, message_fmt, request_id, client_ip, took_ms, LT_F("uid", 4242),
            LT_F("user", "bob"), LT_F("ms", 12.345), LT_F("admin", (bool)true),
            LT_F("path", "/api/v1/users?page=2"));
    lt_logger_remove_filter(lg, filter);
    lt_filter_unref(filter);
    return rec;
}

static const char core_format[] = "%(asctime)s %(levelname)s %(name)s %(message)s";
static const char fields_format[] = "%(asctime)s %(levelname)s %(name)s %(message)s uid=%(uid)s "
                                    "user=%(user)s ms=%(ms)s admin=%(admin)s path=%(path)s";

/* The four formatters of the scenario, formatting @rec into @out. */
static int make_format_ctxs(struct format_ctx ctx[4], const lt_record *rec, lt_buf *out)
{
    int r = 0;

    for (int i = 0; i < 4; i++) {
        ctx[i].f = NULL;
        ctx[i].rec = rec;
        ctx[i].out = out;
    }
    if (!rec)
        return -1;
    r |= lt_percent_formatter_new(&ctx[0].f, &(lt_percent_options){.format = core_format}, NULL);
    r |= lt_percent_formatter_new(&ctx[1].f, &(lt_percent_options){.format = fields_format}, NULL);
    r |= lt_json_formatter_new(&ctx[2].f, NULL, NULL);
    r |= lt_logfmt_formatter_new(&ctx[3].f, NULL, NULL);
    return r;
}

struct row {
    const char *scenario;
    const char *library;
    scenario_fn fn;
    void *ctx;
    long count;
    double ns;
};

static void run_rows(struct row *rows, int n, int runs)
{
    double *samples = calloc((size_t)runs, sizeof(*samples));

    for (int r = 0; r < n; r++) {
        time_per_call(rows[r].fn, rows[r].count / 10 + 1, rows[r].ctx); /* warm up */
        for (int i = 0; i < runs; i++)
            samples[i] = time_per_call(rows[r].fn, rows[r].count, rows[r].ctx);
        rows[r].ns = median(samples, runs);
    }
    free(samples);
}

static void print_rows(const struct row *rows, int n)
{
    printf("%-10s %-22s %12s %14s %10s\n", "scenario", "library", "ns/call", "lines/s",
           "vs first");
    for (int r = 0; r < n; r++) {
        const struct row *base = &rows[r];

        while (base > rows && strcmp(base[-1].scenario, rows[r].scenario) == 0)
            base--;
        printf("%-10s %-22s %12.2f %14.0f %9.2fx\n", rows[r].scenario, rows[r].library,
               rows[r].ns, 1e9 / rows[r].ns, rows[r].ns / base->ns);
    }
}

/* A logger of its own ("bench.NAME", not propagating) writing to @h with the
 * core format; the handler's reference goes to the logger. */
static lt_logger *logger_to(const char *name, lt_handler *h)
{
    char full[64];
    lt_formatter *f;
    lt_logger *lg;

    snprintf(full, sizeof(full), "bench.%s", name);
    lg = lt_get_logger(full);
    if (lt_percent_formatter_new(&f, &(lt_percent_options){.format = core_format}, NULL) < 0)
        return NULL;
    lt_handler_set_formatter(h, f);
    lt_formatter_unref(f);
    lt_logger_add_handler(lg, h);
    lt_handler_unref(h);
    lt_logger_set_propagate(lg, false);
    lt_logger_set_level(lg, LT_LEVEL_INFO);
    return lg;
}

/* The "rotation" scenario: the plain file handler against size rotation at
 * 10 MB (3 backups), the same with multiprocess, and with a flush policy of
 * 64 records. Files bench-rot*.log* in @dir, removed by remove_rotation(). */
static int make_rotation(const char *dir, lt_logger **ret)
{
    static const char *const names[] = {"plain", "rot", "rotmp", "rotbuf"};
    const uint64_t max = 10u * 1024 * 1024;
    lt_file_options mp = {.multiprocess = true}, buf = {.flush_records = 64};
    char path[512];
    lt_handler *h[4];
    int r = 0;

    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof(path), "%s/bench-rot-%s.log", dir, names[i]);
        if (i == 0)
            r = lt_file_handler_new(&h[i], path, "w", 0);
        else
            r = lt_rotating_file_handler_new_opts(&h[i], path, max, 3,
                                                  i == 2   ? &mp
                                                  : i == 3 ? &buf
                                                           : NULL);
        if (r < 0 || !(ret[i] = logger_to(names[i], h[i])))
            return -1;
    }
    return 0;
}

static void remove_rotation(const char *dir)
{
    static const char *const names[] = {"plain", "rot", "rotmp", "rotbuf"};
    static const char *const suffixes[] = {"", ".1", ".2", ".3", ".lock"};
    char path[512];

    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 5; j++) {
            snprintf(path, sizeof(path), "%s/bench-rot-%s.log%s", dir, names[i], suffixes[j]);
            unlink(path);
        }
}

static FILE *open_in(const char *dir, const char *name, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", dir, name);
    return fopen(path, "w");
}

int main(int argc, char **argv)
{
    long count = 1000000;
    int runs = 5;
    const char *dir = "/tmp";
    char lt_path[512], fp_path[512], fl_path[512];
    lt_handler *h;
    lt_formatter *f;
    lt_logger *lg = lt_get_logger("bench");
    FILE *buffered, *flushed, *devnull = fopen("/dev/null", "w");
    struct format_ctx fmts[4];
    lt_record *rec = record_with_fields();
    lt_buf *out = NULL;
    lt_logger *rot[4];

    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--count") == 0)
            count = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--runs") == 0)
            runs = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--dir") == 0)
            dir = argv[i + 1];
    }
    if (count < 1 || runs < 1 || !devnull)
        return 2;
    buffered = open_in(dir, "bench-fprintf.log", fp_path, sizeof(fp_path));
    flushed = open_in(dir, "bench-fprintf-flushed.log", fl_path, sizeof(fl_path));
    snprintf(lt_path, sizeof(lt_path), "%s/bench-logtree.log", dir);
    if (!buffered || !flushed || lt_file_handler_new(&h, lt_path, "w", 0) < 0 ||
        lt_percent_formatter_new(&f, &(lt_percent_options){.format = core_format}, NULL) < 0 ||
        lt_buf_new(&out) < 0 || make_format_ctxs(fmts, rec, out) < 0 ||
        make_rotation(dir, rot) < 0) {
        fprintf(stderr, "logtree-bench: cannot set up in %s\n", dir);
        return 1;
    }
    lt_handler_set_formatter(h, f);
    lt_formatter_unref(f);
    lt_logger_add_handler(lg, h);
    lt_logger_set_level(lg, LT_LEVEL_INFO);

    struct row rows[] = {
        {"disabled", "if-level fprintf", fprintf_disabled, devnull, count * 20, 0},
        {"disabled", "logtree", logtree_disabled, lg, count * 20, 0},
        {"file", "fprintf (buffered)", fprintf_buffered, buffered, count, 0},
        {"file", "fprintf + fflush", fprintf_flushed, flushed, count / 4, 0},
        {"file", "logtree file handler", logtree_enabled, lg, count / 4, 0},
        {"rotation", "file handler", logtree_enabled, rot[0], count / 4, 0},
        {"rotation", "rotating 10 MB", logtree_enabled, rot[1], count / 4, 0},
        {"rotation", "rotating, multiprocess", logtree_enabled, rot[2], count / 4, 0},
        {"rotation", "rotating, 64 per write", logtree_enabled, rot[3], count / 4, 0},
        {"formatters", "core %-format", format_record, &fmts[0], count, 0},
        {"formatters", "%-format + 5 fields", format_record, &fmts[1], count, 0},
        {"formatters", "JSON, 5 fields", format_record, &fmts[2], count, 0},
        {"formatters", "logfmt, 5 fields", format_record, &fmts[3], count, 0},
    };
    run_rows(rows, (int)(sizeof(rows) / sizeof(rows[0])), runs);
    printf("logtree %s, %ld calls per run (x20 disabled, /4 flushed), median of %d runs\n",
           lt_version_string(), count, runs);
    print_rows(rows, (int)(sizeof(rows) / sizeof(rows[0])));
    lt_handler_unref(h);
    for (int i = 0; i < 4; i++)
        lt_formatter_unref(fmts[i].f);
    lt_buf_free(out);
    lt_record_free(rec);
    lt_shutdown();
    fclose(buffered);
    fclose(flushed);
    fclose(devnull);
    unlink(lt_path);
    unlink(fp_path);
    unlink(fl_path);
    remove_rotation(dir);
    return 0;
}
