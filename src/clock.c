/* src/clock.c - the timestamp of an asynchronous record: read on the hot
 * path, turned into wall-clock time later by the backend.
 *
 * On x86-64 with an invariant TSC the hot path reads the TSC (a few ns);
 * the backend converts ticks to CLOCK_REALTIME through an anchor (a pair of
 * readings taken together) and a rate measured over a long interval, and
 * re-anchors every second, so a record's time is right to about a
 * microsecond. Elsewhere the hot path reads CLOCK_REALTIME itself. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "async.h"

#if LT__HAVE_TSC
#include <cpuid.h>
#endif

/* Decided once: producers of any async session read it on the hot path. */
_Alignas(64) atomic_bool lt__clock_use_tsc;
static pthread_once_t calibrated = PTHREAD_ONCE_INIT;

/* The backend's conversion state: only the backend thread touches it after
 * lt__clock_start(). */
static _Alignas(64) struct {
    uint64_t tsc;        /* an anchor: a TSC reading ... */
    uint64_t ns;         /* ... and CLOCK_REALTIME at the same moment */
    uint64_t first_tsc;  /* the first anchor, for the rate */
    uint64_t first_ns;
    double ns_per_tick;
} anchor;

uint64_t lt__clock_realtime_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#if LT__HAVE_TSC
static bool invariant_tsc(void)
{
    unsigned a, b, c, d;

    if (!__get_cpuid(0x80000000u, &a, &b, &c, &d) || a < 0x80000007u)
        return false;
    __get_cpuid(0x80000007u, &a, &b, &c, &d);
    return (d >> 8) & 1u;
}

/* A TSC reading and the wall clock between two TSC readings close together. */
static void take_anchor(uint64_t *tsc, uint64_t *ns)
{
    uint64_t best = UINT64_MAX;

    for (int i = 0; i < 5; i++) {
        uint64_t before = __rdtsc(), now = lt__clock_realtime_ns(), after = __rdtsc();

        if (after - before < best) {
            best = after - before;
            *tsc = before + (after - before) / 2;
            *ns = now;
        }
    }
}
#endif

static void calibrate(void)
{
#if LT__HAVE_TSC
    if (invariant_tsc()) {
        struct timespec pause = {0, 10 * 1000 * 1000};

        take_anchor(&anchor.first_tsc, &anchor.first_ns);
        nanosleep(&pause, NULL);
        take_anchor(&anchor.tsc, &anchor.ns);
        anchor.ns_per_tick = (double)(anchor.ns - anchor.first_ns) /
                             (double)(anchor.tsc - anchor.first_tsc);
        atomic_store_explicit(&lt__clock_use_tsc, anchor.ns_per_tick > 0, memory_order_relaxed);
    }
#endif
}

/* The first start measures the TSC; later ones keep that (records stamped
 * before a stop may still be in the rings, and a rate measured over a longer
 * time is better). */
void lt__clock_start(void)
{
    pthread_once(&calibrated, calibrate);
}

/* Re-anchor, and refine the rate over everything measured since the start:
 * the longer the interval, the smaller the error per tick. */
void lt__clock_resync(void)
{
#if LT__HAVE_TSC
    if (atomic_load_explicit(&lt__clock_use_tsc, memory_order_relaxed)) {
        take_anchor(&anchor.tsc, &anchor.ns);
        if (anchor.tsc > anchor.first_tsc)
            anchor.ns_per_tick = (double)(anchor.ns - anchor.first_ns) /
                                 (double)(anchor.tsc - anchor.first_tsc);
    }
#endif
}

struct timespec lt__clock_to_timespec(uint64_t stamp)
{
    uint64_t ns = stamp;
    struct timespec ts;

    if (atomic_load_explicit(&lt__clock_use_tsc, memory_order_relaxed)) {
        double delta = ((double)(int64_t)(stamp - anchor.tsc)) * anchor.ns_per_tick;

        ns = (uint64_t)((int64_t)anchor.ns + (int64_t)delta);
    }
    ts.tv_sec = (time_t)(ns / 1000000000u);
    ts.tv_nsec = (long)(ns % 1000000000u);
    return ts;
}
