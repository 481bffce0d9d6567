/* bench/report.c - the table on stdout and the JSON file. Each figure is
 * also shown as a ratio to logtree in the same run: to logtree-async for
 * the asynchronous kind (the floor, spdlog-async), else to logtree-sync. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <logtree/logtree.h>

#include "bench.h"

const struct bench_job *bench_reference(const struct bench_jobs *all, const struct bench_job *j)
{
    const char *want = j->async_kind ? "logtree-async" : "logtree-sync";

    if (strcmp(j->scenario, "formatters") == 0)
        want = "logtree-sync";
    for (int k = 0; k < all->n; k++) {
        const struct bench_job *r = &all->job[k];

        if (strcmp(r->scenario, j->scenario) == 0 && strcmp(r->library, want) == 0 &&
            strcmp(r->variant, j->variant) == 0 && r->threads == j->threads)
            return r;
    }
    return NULL;
}

/* The columns of each scenario's table; the first one's min-max is shown. */
static const int *columns(const char *scenario, int *n)
{
    static const int disabled[] = {F_NS_PER_CALL};
    static const int latency[] = {F_P50, F_P99, F_P999, F_P9999, F_MAX, F_RPS};
    static const int throughput[] = {F_RPS, F_PRODUCER_RPS, F_DRAIN_MS};
    static const int formatters[] = {F_NS_PER_CALL, F_RPS};
    static const int handlers[] = {F_RPS, F_NS_PER_CALL, F_DRAIN_MS};

#define COLS(a) (*n = (int)(sizeof(a) / sizeof(a[0])), a)
    if (strcmp(scenario, "disabled") == 0)
        return COLS(disabled);
    if (strcmp(scenario, "latency") == 0)
        return COLS(latency);
    if (strcmp(scenario, "throughput") == 0)
        return COLS(throughput);
    if (strcmp(scenario, "formatters") == 0)
        return COLS(formatters);
    return COLS(handlers);
#undef COLS
}

static const char *const heading[NFIG] = {"ns/call", "p50 ns", "p90 ns", "p99 ns", "p99.9 ns",
                                          "p99.99 ns", "max ns", "mean ns", "records/s",
                                          "producer/s", "drain ms", "peak RSS"};

static void value(char *buf, size_t size, int fig, double v)
{
    if (isnan(v))
        snprintf(buf, size, "-");
    else if (fig == F_RPS || fig == F_PRODUCER_RPS)
        snprintf(buf, size, v >= 1e6 ? "%.2fM" : "%.1fk", v >= 1e6 ? v / 1e6 : v / 1e3);
    else if (fig == F_RSS)
        snprintf(buf, size, "%.1fM", v / 1024);
    else
        snprintf(buf, size, v < 100 ? "%.1f" : "%.0f", v);
}

static void lines_status(const struct bench_job *j, char *buf, size_t size)
{
    if (j->failed)
        snprintf(buf, size, "FAILED");
    else if (!j->has_file)
        snprintf(buf, size, "-");
    else if (j->lines_bad < 0)
        snprintf(buf, size, "ok");
    else if (j->lines_bad < j->lines_expected)
        snprintf(buf, size, "DROPPED %ld", j->lines_expected - j->lines_bad);
    else
        snprintf(buf, size, "EXTRA %ld", j->lines_bad - j->lines_expected);
}

void bench_print_table(const struct bench_config *cfg, const struct bench_jobs *all, FILE *out)
{
    const char *last = "";
    int last_threads = 0;

    fprintf(out, "logtree-bench: logtree %s (%s), %s, %d cores; %ld records, median of %d runs "
                 "[min-max]; timer %s (%.4f ns/tick); harness RSS %.1f MiB\n",
            lt_version_string(), cfg->git_revision, cfg->cpu_model, cfg->cores, cfg->count,
            cfg->runs, bench_timer_name(), cfg->ns_per_tick, (double)cfg->harness_rss_kib / 1024);
    fprintf(out, "(xR: the figure over logtree's in the same run; logtree-async for the "
                 "asynchronous kind, else logtree-sync)\n");
    for (int k = 0; k < all->n; k++) {
        const struct bench_job *j = &all->job[k], *ref = bench_reference(all, j);
        int n;
        const int *col = columns(j->scenario, &n);
        char v[32], cell[64], range[64], lo[32], hi[32];

        if (strcmp(last, j->scenario) != 0 || last_threads != j->threads) {
            /* 1-thread latency keeps the plain "== latency" it always had */
            fprintf(out, "\n== %s", j->scenario);
            if (strcmp(j->scenario, "throughput") == 0 || j->threads > 1)
                fprintf(out, ", %d thread%s", j->threads, j->threads > 1 ? "s" : "");
            fprintf(out, "\n%-16s %-9s", "library", "variant");
            for (int c = 0; c < n; c++)
                fprintf(out, " %18s", heading[col[c]]);
            fprintf(out, " %18s %9s %s\n", "range of 1st", "peak RSS", "lines");
            last = j->scenario;
            last_threads = j->threads;
        }
        fprintf(out, "%-16s %-9s", j->library, *j->variant ? j->variant : "-");
        for (int c = 0; c < n; c++) {
            double m = j->med[col[c]];

            value(v, sizeof(v), col[c], m);
            if (ref && !isnan(m) && !isnan(ref->med[col[c]]) && ref->med[col[c]] > 0)
                snprintf(cell, sizeof(cell), "%s x%.2f", v, m / ref->med[col[c]]);
            else
                snprintf(cell, sizeof(cell), "%s", v);
            fprintf(out, " %18s", cell);
        }
        value(lo, sizeof(lo), col[0], j->min[col[0]]);
        value(hi, sizeof(hi), col[0], j->max[col[0]]);
        snprintf(range, sizeof(range), "%s-%s", lo, hi);
        if (isnan(j->min[col[0]]))
            snprintf(range, sizeof(range), "-");
        value(v, sizeof(v), F_RSS, j->med[F_RSS]);
        lines_status(j, cell, sizeof(cell));
        fprintf(out, " %18s %9s %s\n", range, v, cell);
    }
}

static void json_string(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;

        if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c < 0x20)
            fprintf(fp, "\\u%04x", c);
        else
            fputc(c, fp);
    }
    fputc('"', fp);
}

static void json_number(FILE *fp, double v)
{
    if (isnan(v) || isinf(v))
        fputs("null", fp);
    else if (v == floor(v) && fabs(v) < 1e15)
        fprintf(fp, "%.0f", v);
    else
        fprintf(fp, "%.6g", v);
}

static void json_job(FILE *fp, const struct bench_jobs *all, const struct bench_job *j)
{
    const struct bench_job *ref = bench_reference(all, j);

    fputs("    {\"scenario\": ", fp);
    json_string(fp, j->scenario);
    fputs(", \"library\": ", fp);
    json_string(fp, j->library);
    fputs(", \"variant\": ", fp);
    json_string(fp, j->variant);
    fprintf(fp, ", \"threads\": %d, \"runs\": %d, \"failed\": %s", j->threads, j->nruns,
            j->failed ? "true" : "false");
    if (j->has_file)
        fprintf(fp, ", \"lines_expected\": %ld, \"lines_written\": %ld, \"lines_ok\": %s",
                j->lines_expected, j->lines_written, j->lines_bad < 0 ? "true" : "false");
    fputs(", \"compared_with\": ", fp);
    if (ref)
        json_string(fp, ref->library);
    else
        fputs("null", fp);
    for (int f = 0; f < NFIG; f++) {
        if (isnan(j->med[f]))
            continue;
        fprintf(fp, ",\n      \"%s\": ", bench_fig_key[f]);
        json_number(fp, j->med[f]);
        fprintf(fp, ", \"%s_min\": ", bench_fig_key[f]);
        json_number(fp, j->min[f]);
        fprintf(fp, ", \"%s_max\": ", bench_fig_key[f]);
        json_number(fp, j->max[f]);
        if (ref && !isnan(ref->med[f]) && ref->med[f] > 0) {
            fprintf(fp, ", \"%s_vs_logtree\": ", bench_fig_key[f]);
            json_number(fp, j->med[f] / ref->med[f]);
        }
    }
    if (strcmp(j->scenario, "latency") == 0) {
        bool first = true;

        fputs(",\n      \"histogram\": [", fp);
        for (unsigned b = 0; b < BENCH_BUCKETS; b++) {
            if (!j->hist[b])
                continue;
            fprintf(fp, "%s{\"lo_ns\": %llu, \"hi_ns\": ", first ? "" : ", ",
                    (unsigned long long)bench_bucket_low(b));
            if (b + 1 < BENCH_BUCKETS)
                fprintf(fp, "%llu", (unsigned long long)bench_bucket_low(b + 1));
            else
                fputs("null", fp);
            fprintf(fp, ", \"count\": %llu}", (unsigned long long)j->hist[b]);
            first = false;
        }
        fputc(']', fp);
    }
    fputc('}', fp);
}

static const bench_driver *version_of[] = {
    &bench_logtree_sync, &bench_fprintf,
#ifdef BENCH_HAVE_SPDLOG
    &bench_spdlog_sync,
#endif
#ifdef BENCH_HAVE_LOG4C
    &bench_log4c,
#endif
#ifdef BENCH_HAVE_GLOG
    &bench_glog,
#endif
};

int bench_write_json(const struct bench_config *cfg, const struct bench_jobs *all,
                     const char *path)
{
    FILE *fp = fopen(path, "w");
    int r;

    if (!fp)
        return -1;
    fputs("{\n  \"tool\": \"logtree-bench\",\n  \"git_revision\": ", fp);
    json_string(fp, cfg->git_revision);
    fputs(",\n  \"cpu_model\": ", fp);
    json_string(fp, cfg->cpu_model);
    fprintf(fp, ",\n  \"cores\": %d,\n  \"count\": %ld,\n  \"runs\": %d,\n  \"threads\": %d,\n",
            cfg->cores, cfg->count, cfg->runs, cfg->threads);
    fprintf(fp, "  \"timer\": \"%s\",\n  \"ns_per_tick\": %.6f,\n  \"harness_rss_kib\": %ld,\n",
            bench_timer_name(), cfg->ns_per_tick, cfg->harness_rss_kib);
    fputs("  \"versions\": {", fp);
    for (size_t d = 0; d < sizeof(version_of) / sizeof(version_of[0]); d++) {
        const char *name = version_of[d]->name;

        if (version_of[d] == &bench_logtree_sync)
            name = "logtree";
        else if (version_of[d] == &bench_fprintf)
            name = "libc";
        else if (strncmp(name, "spdlog", 6) == 0)
            name = "spdlog";
        fprintf(fp, "%s\"%s\": ", d ? ", " : "", name);
        json_string(fp, version_of[d]->version());
    }
    if (cfg->python) {
        fputs(", \"python\": ", fp);
        json_string(fp, cfg->python_version);
    }
    fputs("},\n  \"results\": [\n", fp);
    for (int k = 0; k < all->n; k++) {
        json_job(fp, all, &all->job[k]);
        fputs(k + 1 < all->n ? ",\n" : "\n", fp);
    }
    fputs("  ]\n}\n", fp);
    r = ferror(fp) ? -1 : 0;
    if (fclose(fp) != 0)
        r = -1;
    return r;
}
