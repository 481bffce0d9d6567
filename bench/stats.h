/* bench/stats.h - the statistics of logtree-bench, apart so that the tests
 * (tests/test_bench_stats.c) check them on known data: percentiles, the
 * latency histogram, the median of runs, and the per-call timer (the TSC
 * where there is one, calibrated against clock_gettime(), else the clock). */
#ifndef LOGTREE_BENCH_STATS_H
#define LOGTREE_BENCH_STATS_H

#include <stddef.h>
#include <stdint.h>

/* Histogram buckets by powers of two of nanoseconds: bucket 0 holds 0 and 1
 * ns, bucket k >= 1 holds [2^k, 2^(k+1)) ns; the last one holds everything
 * from 2^(BENCH_BUCKETS-1) ns up. */
#define BENCH_BUCKETS 40

/* Sort @v ascending (n values), in place: no memory is allocated. */
void bench_sort_u64(uint64_t *v, size_t n);

/* The nearest-rank percentile @p (0 to 100) of @sorted (n > 0 values,
 * ascending): the smallest value with at least p % of the values at or
 * below it; p = 0 gives the minimum, 100 the maximum. */
uint64_t bench_percentile(const uint64_t *sorted, size_t n, double p);

/* The bucket of a latency of @ns nanoseconds. */
unsigned bench_bucket(uint64_t ns);

/* The lowest value of bucket @k (inclusive); bench_bucket_low(k + 1) is its
 * exclusive upper bound. */
uint64_t bench_bucket_low(unsigned k);

/* Median, minimum and maximum of @v (n > 0); @v is sorted in place. */
void bench_median_min_max(double *v, size_t n, double *median, double *min, double *max);

/* Nanoseconds of CLOCK_MONOTONIC. */
uint64_t bench_clock_ns(void);

/* A raw reading of the per-call timer: the TSC on x86, else the clock in ns. */
uint64_t bench_ticks(void);

/* Nanoseconds per tick, measured by reading both timers across about
 * @interval_ns of CLOCK_MONOTONIC (1.0 where the timer is the clock). */
double bench_calibrate(uint64_t interval_ns);

/* What the timer is: "tsc" or "clock_gettime". */
const char *bench_timer_name(void);

#endif
