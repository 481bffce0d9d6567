/* tests/test_bench_stats.c - the statistics of the benchmark tool
 * (bench/stats.c, bench/sample.c): percentiles, the latency histogram, the
 * median of runs, and the calibration of the per-call timer against
 * clock_gettime(). Expected values are worked out by hand from the
 * definitions in bench/stats.h (nearest rank; power-of-two buckets). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "bench.h"
#include "stats.h"

/* 1..1000 in a scrambled order (a fixed permutation: 7 is coprime with 1000) */
static void scrambled(uint64_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        v[i] = (i * 7 % n) + 1;
}

Test(bench_stats, percentiles_of_1_to_1000)
{
    uint64_t v[1000];

    scrambled(v, 1000);
    bench_sort_u64(v, 1000);
    cr_assert_eq(v[0], 1);
    cr_assert_eq(v[999], 1000);
    cr_assert_eq(bench_percentile(v, 1000, 0), 1);
    cr_assert_eq(bench_percentile(v, 1000, 50), 500);
    cr_assert_eq(bench_percentile(v, 1000, 90), 900);
    cr_assert_eq(bench_percentile(v, 1000, 99), 990);
    cr_assert_eq(bench_percentile(v, 1000, 99.9), 999);  /* not 1000: 99.9 is inexact */
    cr_assert_eq(bench_percentile(v, 1000, 99.99), 1000); /* rank 999.9 rounds up */
    cr_assert_eq(bench_percentile(v, 1000, 100), 1000);
}

Test(bench_stats, sort_in_place)
{
    uint64_t v[] = {5, 3, 9, 3, 0, UINT64_MAX, 7, 1, 9, 2};
    const uint64_t want[] = {0, 1, 2, 3, 3, 5, 7, 9, 9, UINT64_MAX};

    bench_sort_u64(v, 10);
    for (int i = 0; i < 10; i++)
        cr_assert_eq(v[i], want[i], "v[%d] = %llu", i, (unsigned long long)v[i]);
    bench_sort_u64(v, 0); /* nothing to sort: no access */
    bench_sort_u64(v, 1);
    cr_assert_eq(v[0], 0);
}

Test(bench_stats, percentiles_of_few_values)
{
    uint64_t ten[] = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, one[] = {7};

    cr_assert_eq(bench_percentile(ten, 10, 50), 50);
    cr_assert_eq(bench_percentile(ten, 10, 51), 60);
    cr_assert_eq(bench_percentile(ten, 10, 90), 90);
    cr_assert_eq(bench_percentile(ten, 10, 95), 100);
    cr_assert_eq(bench_percentile(ten, 10, 5), 10);
    cr_assert_eq(bench_percentile(one, 1, 50), 7);
    cr_assert_eq(bench_percentile(one, 1, 99.99), 7);
    cr_assert_eq(bench_percentile(one, 0, 50), 0, "no values: 0, not a read past the end");
}

Test(bench_stats, histogram_buckets)
{
    cr_assert_eq(bench_bucket(0), 0);
    cr_assert_eq(bench_bucket(1), 0);
    cr_assert_eq(bench_bucket(2), 1);
    cr_assert_eq(bench_bucket(3), 1);
    cr_assert_eq(bench_bucket(4), 2);
    cr_assert_eq(bench_bucket(1023), 9);
    cr_assert_eq(bench_bucket(1024), 10);
    cr_assert_eq(bench_bucket(1000000), 19); /* 2^19 = 524288 <= 1 ms < 2^20 */
    cr_assert_eq(bench_bucket(UINT64_MAX), BENCH_BUCKETS - 1, "the last bucket takes the rest");
    cr_assert_eq(bench_bucket_low(0), 0);
    cr_assert_eq(bench_bucket_low(1), 2);
    cr_assert_eq(bench_bucket_low(10), 1024);
    /* every bucket's bounds hold the values it is given */
    for (unsigned k = 1; k + 1 < BENCH_BUCKETS; k++) {
        cr_assert_eq(bench_bucket(bench_bucket_low(k)), k);
        cr_assert_eq(bench_bucket(bench_bucket_low(k + 1) - 1), k);
    }
}

Test(bench_stats, latency_reduction)
{
    uint64_t v[1000];
    struct bench_sample s;
    uint64_t total = 0;

    scrambled(v, 1000);
    bench_sample_clear(&s);
    bench_reduce_latency(v, 1000, &s);
    cr_assert_eq(s.fig[F_P50], 500);
    cr_assert_eq(s.fig[F_P90], 900);
    cr_assert_eq(s.fig[F_P99], 990);
    cr_assert_eq(s.fig[F_P999], 999);
    cr_assert_eq(s.fig[F_P9999], 1000);
    cr_assert_eq(s.fig[F_MAX], 1000);
    cr_assert_float_eq(s.fig[F_MEAN], 500.5, 1e-9);
    cr_assert(isnan(s.fig[F_RPS]), "what was not measured stays NAN");
    /* 1 in bucket 0; 2-3 in 1; 4-7 in 2; ...; 512-1000 (489 values) in 9 */
    cr_assert_eq(s.hist[0], 1);
    cr_assert_eq(s.hist[1], 2);
    cr_assert_eq(s.hist[2], 4);
    cr_assert_eq(s.hist[8], 256);
    cr_assert_eq(s.hist[9], 489);
    cr_assert_eq(s.hist[10], 0);
    for (unsigned k = 0; k < BENCH_BUCKETS; k++)
        total += s.hist[k];
    cr_assert_eq(total, 1000);
}

Test(bench_stats, median_min_max_of_runs)
{
    double odd[] = {30, 10, 20}, even[] = {4, 1, 3, 2}, med, lo, hi;

    bench_median_min_max(odd, 3, &med, &lo, &hi);
    cr_assert_float_eq(med, 20, 1e-12);
    cr_assert_float_eq(lo, 10, 1e-12);
    cr_assert_float_eq(hi, 30, 1e-12);
    bench_median_min_max(even, 4, &med, &lo, &hi);
    cr_assert_float_eq(med, 2.5, 1e-12);
    cr_assert_float_eq(lo, 1, 1e-12);
    cr_assert_float_eq(hi, 4, 1e-12);
}

/* The timer's ticks, scaled by the calibration, measure the same interval
 * as clock_gettime() (within 10 %: a sanity check, not a speed figure). */
Test(bench_stats, timer_calibration_agrees_with_clock_gettime)
{
    double ns_per_tick = bench_calibrate(50000000);
    uint64_t c0, t0, c1, t1;
    double by_clock, by_ticks;

    cr_assert(ns_per_tick > 0.01 && ns_per_tick < 100, "%g ns per tick", ns_per_tick);
    c0 = bench_clock_ns();
    t0 = bench_ticks();
    nanosleep(&(struct timespec){0, 30000000}, NULL);
    t1 = bench_ticks();
    c1 = bench_clock_ns();
    by_clock = (double)(c1 - c0);
    by_ticks = (double)(t1 - t0) * ns_per_tick;
    cr_assert(by_clock >= 30e6, "slept %g ns", by_clock);
    cr_assert(fabs(by_ticks - by_clock) < 0.10 * by_clock,
              "%s says %.0f ns where clock_gettime says %.0f", bench_timer_name(), by_ticks,
              by_clock);
}
