/* bench/bench.h - what the parts of logtree-bench share: the figures, one
 * measurement (a sample), one (scenario, library, variant) with its runs
 * (a job), and the run's settings. */
#ifndef LOGTREE_BENCH_BENCH_H
#define LOGTREE_BENCH_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "driver.h"
#include "stats.h"

/* The figures, by their JSON keys (bench_fig_key); NAN where not measured. */
enum bench_fig {
    F_NS_PER_CALL, F_P50, F_P90, F_P99, F_P999, F_P9999, F_MAX, F_MEAN,
    F_RPS, F_PRODUCER_RPS, F_DRAIN_MS, F_RSS, NFIG
};
extern const char *const bench_fig_key[NFIG];

#define BENCH_MAX_RUNS 15
#define BENCH_MAX_JOBS 128

struct bench_sample {
    double fig[NFIG];
    uint64_t hist[BENCH_BUCKETS];
    int ok;
};

struct bench_job {
    const char *scenario, *library, *variant;
    const bench_driver *drv; /* NULL: python, or logtree's formatters */
    bool async_kind, has_file, failed;
    int threads;
    enum bench_sink sink;
    long lines_expected, lines_written; /* written: the fewest of any run */
    long lines_bad;                     /* -1, or a count that was not the expected one */
    int nruns;
    struct bench_sample runs[BENCH_MAX_RUNS];
    double med[NFIG], min[NFIG], max[NFIG];
    uint64_t hist[BENCH_BUCKETS];
};

struct bench_jobs {
    int n;
    struct bench_job job[BENCH_MAX_JOBS];
};

struct bench_config {
    long count;
    int runs, threads;
    bool python, keep;
    const char *json, *plot, *dir;
    double ns_per_tick;
    long harness_rss_kib;
    int cores;
    char cpu_model[128], git_revision[64], python_version[32];
};

void bench_sample_clear(struct bench_sample *s);
/* Fill @s's percentiles, max, mean and histogram from @ns (n calls, in ns);
 * sorts @ns. */
void bench_reduce_latency(uint64_t *ns, size_t n, struct bench_sample *s);

/* The formatters scenario, in the child: @variant is percent, brace, json,
 * logfmt or access. */
void bench_measure_formatter(const char *variant, long count, struct bench_sample *s);

/* The python library: bench/py_driver.py in a child process; 0 or -1. */
int bench_run_python(const struct bench_config *cfg, const struct bench_job *j,
                     const char *path, struct bench_sample *s);

/* CPU model, core count, git revision, Python's version into @cfg. */
void bench_machine(struct bench_config *cfg);
/* Peak RSS (KiB) of a forked child that logs nothing. */
long bench_harness_rss(void);

void bench_print_table(const struct bench_config *cfg, const struct bench_jobs *all, FILE *out);
int bench_write_json(const struct bench_config *cfg, const struct bench_jobs *all,
                     const char *path);
int bench_plot(const struct bench_config *cfg, const struct bench_jobs *all, const char *dir);

/* The logtree-sync or logtree-async job a job is compared with; NULL if none. */
const struct bench_job *bench_reference(const struct bench_jobs *all, const struct bench_job *j);

#endif
