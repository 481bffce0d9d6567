/* bench/sample.c - one measurement's figures, and the reduction of per-call
 * latencies to them. */
#include <math.h>
#include <string.h>

#include "bench.h"

void bench_sample_clear(struct bench_sample *s)
{
    memset(s, 0, sizeof(*s));
    for (int f = 0; f < NFIG; f++)
        s->fig[f] = NAN;
}

void bench_reduce_latency(uint64_t *ns, size_t n, struct bench_sample *s)
{
    static const double pct[] = {50, 90, 99, 99.9, 99.99};
    double sum = 0;

    if (n == 0)
        return;
    bench_sort_u64(ns, n);
    for (int k = 0; k < 5; k++)
        s->fig[F_P50 + k] = (double)bench_percentile(ns, n, pct[k]);
    s->fig[F_MAX] = (double)ns[n - 1];
    memset(s->hist, 0, sizeof(s->hist));
    for (size_t i = 0; i < n; i++) {
        sum += (double)ns[i];
        s->hist[bench_bucket(ns[i])]++;
    }
    s->fig[F_MEAN] = sum / (double)n;
}
