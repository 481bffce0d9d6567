/* bench/plot.c - --plot DIR: two SVG charts, latency.svg (the call latency
 * percentiles of each library on a log axis) and throughput.svg (records/s
 * until the file is complete, by thread count, also on a log axis). Drawn
 * by gnuplot when it is on the PATH (Debian's gnuplot-nox), else by the tool
 * itself, so that --plot needs no package. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "bench.h"

#define W 900
#define H 480
#define LEFT 80
#define RIGHT 230
#define MAX_SERIES 32
#define TOP 50
#define BOTTOM 60

static const char *const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

struct series {
    char name[48];
    const char *color;
    bool dashed; /* latency at N threads: dashed, in its library's colour */
    double y[8]; /* NAN: no point */
};

static double ypos(double v, double lo, double hi)
{
    return TOP + (H - TOP - BOTTOM) * (1 - (log10(v) - lo) / (hi - lo));
}

static void label(char *buf, size_t size, double v, const char *unit)
{
    if (strcmp(unit, "ns") == 0) {
        if (v >= 1e6)
            snprintf(buf, size, "%g ms", v / 1e6);
        else if (v >= 1e3)
            snprintf(buf, size, "%g µs", v / 1e3);
        else
            snprintf(buf, size, "%g ns", v);
    } else {
        if (v >= 1e6)
            snprintf(buf, size, "%gM/s", v / 1e6);
        else if (v >= 1e3)
            snprintf(buf, size, "%gk/s", v / 1e3);
        else
            snprintf(buf, size, "%g/s", v);
    }
}

static int chart(const char *path, const char *title, const char *unit,
                 const char *const *xnames, int nx, const struct series *s, int ns)
{
    double lo = INFINITY, hi = -INFINITY;
    FILE *fp;
    char buf[64];

    for (int i = 0; i < ns; i++)
        for (int x = 0; x < nx; x++)
            if (!isnan(s[i].y[x]) && s[i].y[x] > 0) {
                lo = fmin(lo, floor(log10(s[i].y[x])));
                hi = fmax(hi, ceil(log10(s[i].y[x])));
            }
    if (isinf(lo))
        lo = 0, hi = 1;
    if (hi <= lo)
        hi = lo + 1;
    fp = fopen(path, "w");
    if (!fp)
        return -1;
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
                "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
                "<text x=\"%d\" y=\"28\" font-size=\"15\" font-weight=\"bold\">%s</text>\n",
            W, H, W, H, LEFT, title);
    for (double d = lo; d <= hi + 1e-9; d += 1) {
        double y = ypos(pow(10, d), lo, hi);

        label(buf, sizeof(buf), pow(10, d), unit);
        fprintf(fp, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n"
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                LEFT, y, W - RIGHT, y, LEFT - 6, y + 4, buf);
    }
    fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", LEFT,
            H - BOTTOM, W - RIGHT, H - BOTTOM);
    for (int x = 0; x < nx; x++) {
        double px = LEFT + (W - LEFT - RIGHT) * (x + 0.5) / nx;

        fprintf(fp, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", px,
                H - BOTTOM + 18, xnames[x]);
    }
    for (int i = 0; i < ns; i++) {
        const char *color = s[i].color;
        bool pen = false;

        fprintf(fp, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s d=\"", color,
                s[i].dashed ? " stroke-dasharray=\"6 4\"" : "");
        for (int x = 0; x < nx; x++) {
            if (isnan(s[i].y[x]) || s[i].y[x] <= 0) {
                pen = false;
                continue;
            }
            fprintf(fp, "%c%.1f %.1f ", pen ? 'L' : 'M',
                    LEFT + (W - LEFT - RIGHT) * (x + 0.5) / nx, ypos(s[i].y[x], lo, hi));
            pen = true;
        }
        fputs("\"/>\n", fp);
        for (int x = 0; x < nx; x++)
            if (!isnan(s[i].y[x]) && s[i].y[x] > 0)
                fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n",
                        LEFT + (W - LEFT - RIGHT) * (x + 0.5) / nx, ypos(s[i].y[x], lo, hi),
                        color);
        fprintf(fp, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                    "stroke-width=\"4\"%s/><text x=\"%d\" y=\"%d\">%s</text>\n",
                W - RIGHT + 12, TOP + 18 * i + 4, W - RIGHT + 32, TOP + 18 * i + 4, color,
                s[i].dashed ? " stroke-dasharray=\"4 2\"" : "", W - RIGHT + 36, TOP + 18 * i + 8,
                s[i].name);
    }
    fputs("</svg>\n", fp);
    return fclose(fp) == 0 ? 0 : -1;
}

/* LT_BENCH_GNUPLOT=0 makes the tool draw even where gnuplot is. */
static bool have_gnuplot(void)
{
    const char *use = getenv("LT_BENCH_GNUPLOT");
    int status;

    if (use && strcmp(use, "0") == 0)
        return false;
    status = system("command -v gnuplot >/dev/null 2>&1");

    return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* The same chart by gnuplot: @path's .dat and .gp beside it, then run. */
static int gnuplot_chart(const char *path, const char *title, const char *unit,
                         const char *const *xnames, int nx, const struct series *s, int ns)
{
    char dat[700], gp[700], cmd[1500];
    size_t stem = strlen(path) - 4; /* without ".svg" */
    FILE *fp;
    int status;

    snprintf(dat, sizeof(dat), "%.*s.dat", (int)stem, path);
    snprintf(gp, sizeof(gp), "%.*s.gp", (int)stem, path);
    fp = fopen(dat, "w");
    if (!fp)
        return -1;
    fputs("x", fp);
    for (int i = 0; i < ns; i++)
        fprintf(fp, " \"%s\"", s[i].name);
    fputc('\n', fp);
    for (int x = 0; x < nx; x++) {
        fprintf(fp, "\"%s\"", xnames[x]);
        for (int i = 0; i < ns; i++)
            if (isnan(s[i].y[x]) || s[i].y[x] <= 0)
                fputs(" ?", fp);
            else
                fprintf(fp, " %.6g", s[i].y[x]);
        fputc('\n', fp);
    }
    if (fclose(fp) != 0)
        return -1;
    fp = fopen(gp, "w");
    if (!fp)
        return -1;
    fprintf(fp,
            "set terminal svg size %d,%d dynamic noenhanced font 'sans,12' background rgb 'white'\n"
            "set output '%s'\n"
            "set title '%s'\n"
            "set datafile missing '?'\n"
            "set logscale y\n"
            "set format y '%s'\n"
            "set ylabel '%s'\n"
            "set grid ytics mytics\n"
            "set key outside right top\n"
            "set offsets 0.3, 0.3, 0, 0\n"
            "plot",
            W, H, path, title, "%.0s%c", /* 10k, 1M: gnuplot's own prefixes */
            strcmp(unit, "ns") == 0 ? "ns per call (log)" : "records/s (log)");
    /* one clause per series: each has its own colour and dash */
    for (int i = 0; i < ns; i++)
        fprintf(fp, "%s '%s' using 0:%d:xtic(1) with linespoints lw 2 pt 7 lc rgb '%s' dt %d "
                    "title columnhead(%d)",
                i ? "," : "", dat, i + 2, s[i].color, s[i].dashed ? 2 : 1, i + 2);
    fputc('\n', fp);
    if (fclose(fp) != 0)
        return -1;
    snprintf(cmd, sizeof(cmd), "gnuplot '%s'", gp);
    status = system(cmd);
    return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Appends a series to @s (of MAX_SERIES), its points missing; @color NULL
 * takes the next colour of the palette. NULL when @s is full. */
static struct series *add_series(struct series *s, int *n, const char *name, const char *color,
                                 bool dashed)
{
    struct series *x;

    if (*n == MAX_SERIES)
        return NULL;
    x = &s[*n];
    snprintf(x->name, sizeof(x->name), "%s", name);
    x->color = color ? color : palette[*n % 10];
    x->dashed = dashed;
    for (int p = 0; p < 8; p++)
        x->y[p] = NAN;
    (*n)++;
    return x;
}

/* The series named @name in @s, or NULL. */
static struct series *find_series(struct series *s, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(s[i].name, name) == 0)
            return &s[i];
    return NULL;
}

/* A latency job's series: at N threads dashed, in the colour of the same
 * library at 1 thread (run first), so that a library's two lines pair up. */
static void add_latency(struct series *lat, int *nlat, const struct bench_job *j)
{
    const struct series *one = find_series(lat, *nlat, j->library);
    struct series *x;
    char name[48];

    snprintf(name, sizeof(name), "%s", j->library);
    if (j->threads > 1)
        snprintf(name, sizeof(name), "%s, %d threads", j->library, j->threads);
    x = add_series(lat, nlat, name, j->threads > 1 && one ? one->color : NULL, j->threads > 1);
    for (int p = 0; x && p < 6; p++)
        x->y[p] = j->med[F_P50 + p];
}

int bench_plot(const struct bench_config *cfg, const struct bench_jobs *all, const char *dir)
{
    static const char *const pct[] = {"p50", "p90", "p99", "p99.9", "p99.99", "max"};
    struct series lat[MAX_SERIES], thr[MAX_SERIES];
    int nlat = 0, nthr = 0, r = 0;
    char path[600], title[200], many[32];
    const char *threads[2] = {"1 thread", many};

    int (*draw)(const char *, const char *, const char *, const char *const *, int,
                const struct series *, int) = have_gnuplot() ? gnuplot_chart : chart;

    mkdir(dir, 0755);
    snprintf(many, sizeof(many), "%d threads", cfg->threads);
    for (int k = 0; k < all->n; k++) {
        const struct bench_job *j = &all->job[k];

        if (strcmp(j->scenario, "latency") == 0) {
            add_latency(lat, &nlat, j);
        } else if (strcmp(j->scenario, "throughput") == 0 && j->has_file) {
            struct series *x = find_series(thr, nthr, j->library);

            if (!x)
                x = add_series(thr, &nthr, j->library, NULL, false);
            if (x)
                x->y[j->threads == 1 ? 0 : 1] = j->med[F_RPS];
        }
    }
    if (nlat) {
        snprintf(path, sizeof(path), "%s/latency.svg", dir);
        snprintf(title, sizeof(title), "Call latency, %ld calls, median of %d runs (%s)%s",
                 cfg->count, cfg->runs, cfg->git_revision,
                 nlat > 1 && lat[nlat - 1].dashed ? "; dashed: all threads at once" : "");
        r |= draw(path, title, "ns", pct, 6, lat, nlat);
    }
    if (nthr) {
        snprintf(path, sizeof(path), "%s/throughput.svg", dir);
        snprintf(title, sizeof(title),
                 "Records/s until the file is complete, %ld records, median of %d runs",
                 cfg->count, cfg->runs);
        r |= draw(path, title, "rps", threads, cfg->threads > 1 ? 2 : 1, thr, nthr);
    }
    return r;
}
