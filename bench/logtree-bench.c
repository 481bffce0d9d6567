/* bench/logtree-bench.c - how fast is logtree, next to what users have now.
 *
 *     logtree-bench [--scenario NAME]... [--library NAME]... [--count N]
 *                   [--runs R] [--threads N] [--json FILE] [--plot DIR]
 *                   [--dir DIR] [--keep] [--no-python]
 *
 * Scenarios (bench/README.md says exactly what each times): disabled,
 * latency, throughput, formatters, handlers. Each measurement of one
 * library runs in a forked child (its peak RSS is then that library's),
 * the libraries interleave (A B C A B C ...) and each figure is the median
 * of the runs with their min and max, because the machine is noisy. Every
 * output file is checked to hold exactly the records the workload logged. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <logtree/logtree.h>

#include "bench.h"
#include "driver.h"
#include "stats.h"

const char *const bench_fig_key[NFIG] = {
    "ns_per_call", "p50_ns",   "p90_ns",        "p99_ns",
    "p99.9_ns",    "p99.99_ns", "max_ns",       "mean_ns",
    "records_per_s", "producer_records_per_s", "drain_ms", "peak_rss_kib"};

static const char *const scenario_names[] = {"disabled", "latency", "throughput", "formatters",
                                             "handlers"};
enum { NSCENARIOS = 5 };

/* The workload's arguments, read from memory the compiler cannot see
 * through: "request %d from %s took %.3f ms" with a 9-byte string. */
static const char *volatile client = "127.0.0.1";
static volatile double took_ms = 12.345;

static const bench_driver *const c_drivers[] = {
    &bench_logtree_sync, &bench_logtree_async, &bench_floor, &bench_fprintf, &bench_write,
#ifdef BENCH_HAVE_SPDLOG
    &bench_spdlog_sync, &bench_spdlog_async,
#endif
#ifdef BENCH_HAVE_LOG4C
    &bench_log4c,
#endif
#ifdef BENCH_HAVE_GLOG
    &bench_glog,
#endif
};
enum { NDRIVERS = sizeof(c_drivers) / sizeof(c_drivers[0]) };

static struct bench_config cfg = {.count = 1000000, .runs = 3};

/* ---- measurements, in the child ---- */

static double per_s(long n, uint64_t ns)
{
    return ns ? (double)n * 1e9 / (double)ns : NAN;
}

static void measure_disabled(const bench_driver *d, const char *path, struct bench_sample *s)
{
    uint64_t t0, t1;

    if (d->open(path, BENCH_FILE) < 0)
        return;
    t0 = bench_clock_ns();
    d->debug_loop(cfg.count, client, took_ms);
    t1 = bench_clock_ns();
    s->fig[F_NS_PER_CALL] = (double)(t1 - t0) / (double)cfg.count;
    s->ok = d->close() == 0;
}

struct producer {
    pthread_t thread;
    pthread_barrier_t *start;
    const bench_driver *d;
    long share;
    uint64_t *ticks; /* latency: this thread's slice, one per call; else NULL */
    uint64_t end;
};

/* The timed loop is apart from the plain one so that throughput pays for no
 * timer reads and no branch per call. */
static void *produce(void *arg)
{
    struct producer *p = arg;

    pthread_barrier_wait(p->start);
    if (p->ticks) {
        for (long i = 0; i < p->share; i++) {
            uint64_t x = bench_ticks();

            p->d->info((int)i, client, took_ms);
            p->ticks[i] = bench_ticks() - x;
        }
    } else {
        for (long i = 0; i < p->share; i++)
            p->d->info((int)i, client, took_ms);
    }
    p->end = bench_clock_ns();
    return NULL;
}

/* @threads threads log @cfg.count records between them through @d to @sink,
 * all starting at one barrier; with @ticks (cfg.count of them, already
 * touched) each times its own calls into its own slice. Fills the records/s
 * from the first call until the last returned (producer side) and until the
 * file is complete and closed; the producer side's ns go to @ret_ns. -1 when
 * @d cannot open. */
static int run_producers(const bench_driver *d, const char *path, enum bench_sink sink,
                         int threads, uint64_t *ticks, struct bench_sample *s, uint64_t *ret_ns)
{
    struct producer *p = calloc((size_t)threads, sizeof(*p));
    pthread_barrier_t start;
    uint64_t t0, t1 = 0, t2;
    long first = 0;

    bench_records_expected = cfg.count;
    if (!p || d->open(path, sink) < 0) {
        free(p);
        return -1;
    }
    pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
    for (int k = 0; k < threads; k++) {
        p[k] = (struct producer){.start = &start, .d = d,
                                 .share = cfg.count / threads + (k < cfg.count % threads),
                                 .ticks = ticks ? ticks + first : NULL};
        first += p[k].share;
        if (pthread_create(&p[k].thread, NULL, produce, &p[k]) != 0) {
            fprintf(stderr, "logtree-bench: cannot start a thread\n");
            exit(1);
        }
    }
    t0 = bench_clock_ns(); /* no producer starts before the barrier opens */
    pthread_barrier_wait(&start);
    for (int k = 0; k < threads; k++) {
        pthread_join(p[k].thread, NULL);
        if (p[k].end > t1)
            t1 = p[k].end;
    }
    s->ok = d->close() == 0;
    t2 = bench_clock_ns();
    pthread_barrier_destroy(&start);
    free(p);
    s->fig[F_PRODUCER_RPS] = per_s(cfg.count, t1 - t0);
    s->fig[F_RPS] = per_s(cfg.count, t2 - t0);
    s->fig[F_DRAIN_MS] = (double)(t2 - t1) / 1e6;
    *ret_ns = t1 - t0;
    return 0;
}

/* Each call's latency, from @threads threads at once (1 included); the
 * percentiles are over every call of every thread. */
static void measure_latency(const bench_driver *d, const char *path, int threads,
                            struct bench_sample *s)
{
    uint64_t *t = malloc((size_t)cfg.count * sizeof(*t)), ns;

    if (!t)
        return;
    memset(t, 0, (size_t)cfg.count * sizeof(*t)); /* no page faults while timing */
    if (run_producers(d, path, BENCH_FILE, threads, t, s, &ns) == 0) {
        for (long i = 0; i < cfg.count; i++)
            t[i] = (uint64_t)((double)t[i] * cfg.ns_per_tick + 0.5);
        bench_reduce_latency(t, (size_t)cfg.count, s);
    }
    free(t);
}

/* @threads threads log @cfg.count records between them to @sink. */
static void measure_throughput(const bench_driver *d, const char *path, enum bench_sink sink,
                               int threads, struct bench_sample *s)
{
    uint64_t ns;

    if (run_producers(d, path, sink, threads, NULL, s, &ns) == 0)
        s->fig[F_NS_PER_CALL] = (double)ns / (double)cfg.count;
}

/* One child: one library, one scenario; the sample goes up @fd. */
static void child(const struct bench_job *j, const char *path, int fd)
{
    struct bench_sample s;

    bench_sample_clear(&s);
    if (strcmp(j->scenario, "disabled") == 0)
        measure_disabled(j->drv, path, &s);
    else if (strcmp(j->scenario, "latency") == 0)
        measure_latency(j->drv, path, j->threads, &s);
    else if (strcmp(j->scenario, "throughput") == 0)
        measure_throughput(j->drv, path, BENCH_FILE, j->threads, &s);
    else if (strcmp(j->scenario, "handlers") == 0)
        measure_throughput(j->drv, path, j->sink, 1, &s);
    else if (strcmp(j->scenario, "formatters") == 0)
        bench_measure_formatter(j->variant, cfg.count, &s);
    if (j->drv && !j->drv->has_file) /* the floor: no file to complete */
        s.fig[F_RPS] = s.fig[F_DRAIN_MS] = NAN;
    if (lt_write_all(fd, &s, sizeof(s)) < 0)
        _exit(3);
    _exit(s.ok ? 0 : 2);
}

/* ---- the parent ---- */

static int run_child(const struct bench_job *j, const char *path, struct bench_sample *s)
{
    int fds[2], status;
    struct rusage ru;
    pid_t pid;
    ssize_t got = 0;

    if (pipe(fds) < 0)
        return -1;
    fflush(NULL);
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(fds[0]);
        child(j, path, fds[1]);
    }
    close(fds[1]);
    while ((size_t)got < sizeof(*s)) {
        ssize_t n = read(fds[0], (char *)s + got, sizeof(*s) - (size_t)got);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += n;
    }
    close(fds[0]);
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    if ((size_t)got != sizeof(*s) || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    s->fig[F_RSS] = (double)ru.ru_maxrss;
    return 0;
}

/* Lines holding a record (" took ") in @path and its rotated backups. */
static long count_records(const char *path, bool rotated, bool keep)
{
    long n = 0;

    for (int k = 0; k <= (rotated ? BENCH_ROTATE_BACKUPS : 0); k++) {
        char name[600], *line = NULL;
        size_t size = 0;
        FILE *fp;

        if (k == 0)
            snprintf(name, sizeof(name), "%s", path);
        else
            snprintf(name, sizeof(name), "%s.%d", path, k);
        fp = fopen(name, "r");
        if (!fp)
            continue;
        while (getline(&line, &size, fp) > 0)
            if (strstr(line, " took "))
                n++;
        free(line);
        fclose(fp);
        if (!keep)
            unlink(name);
    }
    return n;
}

/* Makes page-cache pages ready for a run's output by writing and deleting a
 * file as big as it (@path with ".prime"). On a VM whose balloon reports
 * free memory to the host (virtio-balloon free page reporting), the host
 * takes back a page a few seconds after the guest freed it, and the guest's
 * next touch of it faults in the host: the kernel's copy into a new file
 * ran at 31 to 2,800 MB/s here against 4,900 MB/s into pages just freed, by
 * the chance of what the allocator handed out. Priming gives every library
 * pages just freed, so that no library pays the host's faults for another's
 * deleted file. Page cache is not in the child's RSS. */
static void prime_page_cache(const char *path)
{
    static char zeros[256 * 1024];
    static bool told;
    size_t want = (size_t)cfg.count * 160, done = 0; /* bytes: glog's lines, the longest, ~110 */
    char name[600];
    int fd;

    snprintf(name, sizeof(name), "%s.prime", path);
    fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    for (; fd >= 0 && done < want; done += sizeof(zeros))
        if (lt_write_all(fd, zeros, sizeof(zeros)) < 0)
            break;
    if ((fd < 0 || done < want) && !told) {
        fprintf(stderr, "logtree-bench: cannot prime the page cache with %s: %s\n", name,
                strerror(errno));
        told = true;
    }
    if (fd >= 0)
        close(fd);
    unlink(name);
}

static void run_job(struct bench_job *j)
{
    char path[512];
    struct bench_sample *s = &j->runs[j->nruns];
    int r;

    snprintf(path, sizeof(path), "%s/logtree-bench-%ld-%s-%s%s%s-%dt-run%d.log", cfg.dir,
             (long)getpid(), j->scenario, j->library, *j->variant ? "-" : "", j->variant,
             j->threads, j->nruns + 1);
    unlink(path);
    if (j->has_file)
        prime_page_cache(path);
    bench_sample_clear(s);
    if (!j->drv && strcmp(j->library, "python") == 0)
        r = bench_run_python(&cfg, j, path, s);
    else
        r = run_child(j, path, s);
    if (r < 0) {
        j->failed = true;
        fprintf(stderr, "logtree-bench: %s/%s%s%s failed\n", j->scenario, j->library,
                *j->variant ? " " : "", j->variant);
    }
    if (j->has_file) {
        long lines = count_records(path, j->sink == BENCH_ROTATING, cfg.keep);

        if (lines != j->lines_expected)
            j->lines_bad = lines; /* a peer that dropped records is flagged */
        if (j->nruns == 0 || lines < j->lines_written)
            j->lines_written = lines;
    }
    j->nruns++;
}

static bool want(const char *const *names, int n, const char *name)
{
    if (n == 0)
        return true;
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

static struct bench_job *add_job(struct bench_jobs *all, const char *scenario, const char *library)
{
    struct bench_job *j;

    if (all->n == BENCH_MAX_JOBS)
        return NULL;
    j = &all->job[all->n++];
    memset(j, 0, sizeof(*j));
    j->scenario = scenario;
    j->library = library;
    j->variant = "";
    j->threads = 1;
    j->has_file = true;
    j->lines_bad = -1;
    return j;
}

/* The scenarios run a second time with --threads producer threads. */
static bool multi_threaded(const char *scenario)
{
    return strcmp(scenario, "latency") == 0 || strcmp(scenario, "throughput") == 0;
}

/* Every (scenario, library, variant) the options ask for, in run order. */
static void plan(struct bench_jobs *all, const char *const *scen, int nscen,
                 const char *const *libs, int nlibs)
{
    static const char *const formatters[] = {"percent", "brace", "json", "logfmt", "access"};
    static const char *const sinks[] = {"null", "file", "rotating", "syslog"};
    static const enum bench_sink sink_of[] = {BENCH_NULL, BENCH_FILE, BENCH_ROTATING,
                                              BENCH_SYSLOG};

    for (int s = 0; s < NSCENARIOS; s++) {
        const char *sc = scenario_names[s];

        if (!want(scen, nscen, sc))
            continue;
        if (strcmp(sc, "formatters") == 0) {
            for (int f = 0; f < 5 && want(libs, nlibs, "logtree-sync"); f++) {
                struct bench_job *j = add_job(all, sc, "logtree-sync");

                if (j) {
                    j->variant = formatters[f];
                    j->has_file = false;
                }
            }
            continue;
        }
        if (strcmp(sc, "handlers") == 0) {
            for (int h = 0; h < 4; h++)
                for (int d = 0; d < 2; d++) {
                    const bench_driver *drv = d ? &bench_logtree_async : &bench_logtree_sync;
                    struct bench_job *j;

                    if (!want(libs, nlibs, drv->name))
                        continue;
                    j = add_job(all, sc, drv->name);
                    if (!j)
                        continue;
                    j->drv = drv;
                    j->variant = sinks[h];
                    j->sink = sink_of[h];
                    j->has_file = h != 0;
                    j->lines_expected = cfg.count;
                }
            continue;
        }
        for (int t = 0; t < 2; t++) {
            int threads = t == 0 ? 1 : cfg.threads;

            if (t == 1 && (!multi_threaded(sc) || cfg.threads == 1))
                break;
            for (int d = 0; d <= NDRIVERS; d++) {
                const char *name = d < NDRIVERS ? c_drivers[d]->name : "python";
                struct bench_job *j;

                if (!want(libs, nlibs, name) || (d == NDRIVERS && !cfg.python))
                    continue;
                j = add_job(all, sc, name);
                if (!j)
                    continue;
                j->drv = d < NDRIVERS ? c_drivers[d] : NULL;
                j->async_kind = j->drv && j->drv->async_kind;
                j->has_file = !j->drv || j->drv->has_file;
                j->threads = threads;
                j->lines_expected = strcmp(sc, "disabled") == 0 ? 0 : cfg.count;
            }
        }
    }
}

/* Median, min and max over the runs of each figure. */
static void summarise(struct bench_job *j)
{
    double v[BENCH_MAX_RUNS];

    for (int f = 0; f < NFIG; f++) {
        size_t n = 0;

        for (int r = 0; r < j->nruns; r++)
            if (!isnan(j->runs[r].fig[f]))
                v[n++] = j->runs[r].fig[f];
        j->med[f] = j->min[f] = j->max[f] = NAN;
        if (n)
            bench_median_min_max(v, n, &j->med[f], &j->min[f], &j->max[f]);
    }
    /* the histogram of the run whose p50 is nearest the median */
    if (!isnan(j->med[F_P50])) {
        int best = 0;

        for (int r = 1; r < j->nruns; r++)
            if (fabs(j->runs[r].fig[F_P50] - j->med[F_P50]) <
                fabs(j->runs[best].fig[F_P50] - j->med[F_P50]))
                best = r;
        memcpy(j->hist, j->runs[best].hist, sizeof(j->hist));
    }
}

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: logtree-bench [--scenario NAME]... [--library NAME]... [--count N]\n"
            "                     [--runs R] [--threads N] [--json FILE] [--plot DIR]\n"
            "                     [--dir DIR] [--keep] [--no-python]\n"
            "scenarios: disabled latency throughput formatters handlers (all by default)\n"
            "libraries: logtree-sync logtree-async floor fprintf snprintf+write");
    for (int d = 5; d < NDRIVERS; d++)
        fprintf(fp, " %s", c_drivers[d]->name);
    fprintf(fp, " python\n");
}

static long number(const char *opt, const char *arg, long lo, long hi)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(arg, &end, 10);
    if (errno || *end || end == arg || v < lo || v > hi) {
        fprintf(stderr, "logtree-bench: %s wants a number from %ld to %ld, not '%s'\n", opt, lo,
                hi, arg);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    static struct bench_jobs all;
    const char *scen[16], *libs[32];
    int nscen = 0, nlibs = 0;
    const char *tmp = getenv("TMPDIR");

    cfg.threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (cfg.threads < 1)
        cfg.threads = 1;
    cfg.dir = tmp && *tmp ? tmp : "/tmp";
    cfg.python = true;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *a = i + 1 < argc ? argv[i + 1] : NULL;

        if (strcmp(o, "--help") == 0 || strcmp(o, "-h") == 0) {
            usage(stdout);
            return 0;
        }
        if (strcmp(o, "--no-python") == 0) {
            cfg.python = false;
            continue;
        }
        if (strcmp(o, "--keep") == 0) {
            cfg.keep = true;
            continue;
        }
        if (!a) {
            fprintf(stderr, "logtree-bench: %s: unknown option or missing value\n", o);
            usage(stderr);
            return 2;
        }
        i++;
        if (strcmp(o, "--scenario") == 0) {
            bool known = false;

            for (int s = 0; s < NSCENARIOS; s++)
                known |= strcmp(a, scenario_names[s]) == 0;
            if (!known || nscen == 16) {
                fprintf(stderr, "logtree-bench: --scenario: unknown scenario '%s'\n", a);
                usage(stderr);
                return 2;
            }
            scen[nscen++] = a;
        } else if (strcmp(o, "--library") == 0 && nlibs < 32) {
            libs[nlibs++] = a;
        } else if (strcmp(o, "--count") == 0) {
            cfg.count = number(o, a, 1, 1000000000);
        } else if (strcmp(o, "--runs") == 0) {
            cfg.runs = (int)number(o, a, 1, BENCH_MAX_RUNS);
        } else if (strcmp(o, "--threads") == 0) {
            cfg.threads = (int)number(o, a, 1, 256);
        } else if (strcmp(o, "--json") == 0) {
            cfg.json = a;
        } else if (strcmp(o, "--plot") == 0) {
            cfg.plot = a;
        } else if (strcmp(o, "--dir") == 0) {
            cfg.dir = a;
        } else {
            fprintf(stderr, "logtree-bench: %s: unknown option\n", o);
            usage(stderr);
            return 2;
        }
    }
    signal(SIGPIPE, SIG_IGN);
    cfg.ns_per_tick = bench_calibrate(200000000);
    bench_machine(&cfg);
    plan(&all, scen, nscen, libs, nlibs);
    if (all.n == 0) {
        fprintf(stderr, "logtree-bench: nothing to run (check --library)\n");
        return 2;
    }
    cfg.harness_rss_kib = bench_harness_rss();
    /* interleaved: run 1 of every library, then run 2 of every library... */
    for (int r = 0; r < cfg.runs; r++)
        for (int k = 0; k < all.n; k++)
            run_job(&all.job[k]);
    for (int k = 0; k < all.n; k++)
        summarise(&all.job[k]);
    bench_print_table(&cfg, &all, stdout);
    if (cfg.json && bench_write_json(&cfg, &all, cfg.json) < 0) {
        fprintf(stderr, "logtree-bench: cannot write %s: %s\n", cfg.json, strerror(errno));
        return 1;
    }
    if (cfg.plot && bench_plot(&cfg, &all, cfg.plot) < 0) {
        fprintf(stderr, "logtree-bench: cannot write the plots into %s\n", cfg.plot);
        return 1;
    }
    for (int k = 0; k < all.n; k++)
        if (all.job[k].failed || all.job[k].lines_bad >= 0)
            return 3;
    return 0;
}
