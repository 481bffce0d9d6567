/* bench/stats.c - see stats.h. */
#include "stats.h"

#include <stdlib.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define BENCH_HAVE_TSC 1
#else
#define BENCH_HAVE_TSC 0
#endif

/* Heapsort: in place, so that sorting a million latencies allocates
 * nothing (glibc's qsort() mallocs a copy of the array, which would count
 * in the peak RSS of the library being measured). */
static void sift_down(uint64_t *v, size_t root, size_t n)
{
    for (;;) {
        size_t child = 2 * root + 1;
        uint64_t t;

        if (child >= n)
            return;
        if (child + 1 < n && v[child + 1] > v[child])
            child++;
        if (v[root] >= v[child])
            return;
        t = v[root];
        v[root] = v[child];
        v[child] = t;
        root = child;
    }
}

void bench_sort_u64(uint64_t *v, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sift_down(v, i, n);
    for (size_t end = n; end-- > 1;) {
        uint64_t t = v[0];

        v[0] = v[end];
        v[end] = t;
        sift_down(v, 0, end);
    }
}

uint64_t bench_percentile(const uint64_t *sorted, size_t n, double p)
{
    double rank;
    size_t at;

    if (n == 0)
        return 0;
    if (p <= 0)
        return sorted[0];
    /* ceil(p / 100 * n), with a margin so that 99.9 % of 1000 is rank 999,
     * not 1000 because 99.9 is not exact in binary */
    rank = p / 100.0 * (double)n;
    at = (size_t)rank;
    if ((double)at < rank - 1e-9)
        at++;
    if (at < 1)
        at = 1;
    if (at > n)
        at = n;
    return sorted[at - 1];
}

unsigned bench_bucket(uint64_t ns)
{
    unsigned k = 0;

    while (ns > 1 && k < BENCH_BUCKETS - 1) {
        ns >>= 1;
        k++;
    }
    return k;
}

uint64_t bench_bucket_low(unsigned k)
{
    return k == 0 ? 0 : (uint64_t)1 << k;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

void bench_median_min_max(double *v, size_t n, double *median, double *min, double *max)
{
    qsort(v, n, sizeof(*v), compare_doubles);
    *min = v[0];
    *max = v[n - 1];
    *median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

uint64_t bench_clock_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t bench_ticks(void)
{
#if BENCH_HAVE_TSC
    return __rdtsc();
#else
    return bench_clock_ns();
#endif
}

double bench_calibrate(uint64_t interval_ns)
{
#if BENCH_HAVE_TSC
    uint64_t c0 = bench_clock_ns(), t0 = bench_ticks(), c1, t1;
    struct timespec pause = {(time_t)(interval_ns / 1000000000u),
                             (long)(interval_ns % 1000000000u)};

    nanosleep(&pause, NULL);
    c1 = bench_clock_ns();
    t1 = bench_ticks();
    if (t1 <= t0)
        return 1.0;
    return (double)(c1 - c0) / (double)(t1 - t0);
#else
    (void)interval_ns;
    return 1.0;
#endif
}

const char *bench_timer_name(void)
{
    return BENCH_HAVE_TSC ? "tsc" : "clock_gettime";
}
