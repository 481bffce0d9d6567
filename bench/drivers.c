/* bench/drivers.c - the drivers written in C: logtree (sync and async), the
 * "no library" baselines fprintf() and snprintf() + write(2), and the floor
 * of an asynchronous call. */
#include "driver.h"
#include "listener.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <logtree/async.h>
#include <logtree/logtree.h>

#include "stats.h"

static const char pattern[] = "%(asctime)s %(levelname)s %(name)s %(message)s";

/* ---- logtree ---- */

static lt_logger *lt_bench;
static bool to_syslog;
long bench_records_expected;

static int logtree_open_mode(const char *path, enum bench_sink sink, int async)
{
    lt_handler *h = NULL;
    lt_formatter *f = NULL;
    int r;

    if (sink == BENCH_NULL)
        r = lt_null_handler_new(&h);
    else if (sink == BENCH_SYSLOG) {
        /* RFC 5424 over UDP (the default for a host) to the local listener,
         * which writes what it receives to @path. */
        int port = bench_listener_start(path);

        to_syslog = true;
        r = port < 0 ? -1
                     : lt_syslog_handler_new(&h, &(lt_syslog_options){.host = "127.0.0.1",
                                                                      .port = port});
    } else if (sink == BENCH_ROTATING)
        r = lt_rotating_file_handler_new(&h, path, "w", BENCH_ROTATE_BYTES,
                                         BENCH_ROTATE_BACKUPS, 0);
    else
        r = lt_file_handler_new(&h, path, "w", 0);
    if (r < 0)
        return -1;
    if (lt_percent_formatter_new(&f, &(lt_percent_options){.format = pattern}, NULL) < 0) {
        lt_handler_unref(h);
        return -1;
    }
    lt_handler_set_formatter(h, f);
    lt_formatter_unref(f);
    lt_bench = lt_get_logger("bench");
    lt_logger_add_handler(lt_bench, h);
    lt_handler_unref(h);
    lt_logger_set_level(lt_bench, LT_LEVEL_INFO);
    if (async && lt_async_start(NULL) < 0)
        return -1;
    return 0;
}

static int logtree_sync_open(const char *path, enum bench_sink sink)
{
    return logtree_open_mode(path, sink, 0);
}

static int logtree_async_open(const char *path, enum bench_sink sink)
{
    return logtree_open_mode(path, sink, 1);
}

static void logtree_info(int id, const char *from, double ms)
{
    LT_INFO(lt_bench, "request %d from %s took %.3f ms", id, from, ms);
}

static void logtree_debug_loop(long n, const char *from, double ms)
{
    for (long i = 0; i < n; i++)
        LT_DEBUG(lt_bench, "request %d from %s took %.3f ms", (int)i, from, ms);
}

/* lt_shutdown() drains the rings (async), flushes and closes the handlers. */
static int logtree_close(void)
{
    lt_shutdown();
    return to_syslog ? bench_listener_stop(bench_records_expected) : 0;
}

static const char *logtree_version(void)
{
    return lt_version_string();
}

const bench_driver bench_logtree_sync = {"logtree-sync", 0, 1, logtree_sync_open, logtree_info,
                                         logtree_debug_loop, logtree_close, logtree_version};
const bench_driver bench_logtree_async = {"logtree-async", 1, 1, logtree_async_open,
                                          logtree_info, logtree_debug_loop, logtree_close,
                                          logtree_version};

/* ---- the same line by hand: local time with milliseconds, level, name ---- */

static size_t format_line(char *buf, size_t size, int id, const char *from, double ms)
{
    struct timespec ts;
    struct tm tm;
    size_t n;
    int k;

    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    n = strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
    k = snprintf(buf + n, size - n, ",%03ld INFO bench request %d from %s took %.3f ms\n",
                 ts.tv_nsec / 1000000, id, from, ms);
    if (k < 0)
        return n;
    n += (size_t)k;
    return n < size ? n : size - 1;
}

static volatile int hand_level = LT_LEVEL_INFO;

/* fprintf(): stdio's buffer, flushed when full and at fclose(). */
static FILE *fprintf_fp;

static int fprintf_open(const char *path, enum bench_sink sink)
{
    (void)sink;
    fprintf_fp = fopen(path, "w");
    return fprintf_fp ? 0 : -1;
}

static void fprintf_info(int id, const char *from, double ms)
{
    struct timespec ts;
    struct tm tm;
    char when[32];

    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
    fprintf(fprintf_fp, "%s,%03ld INFO bench request %d from %s took %.3f ms\n", when,
            ts.tv_nsec / 1000000, id, from, ms);
}

/* The C idiom for a disabled debug line. */
static void fprintf_debug_loop(long n, const char *from, double ms)
{
    for (long i = 0; i < n; i++)
        if (hand_level <= LT_LEVEL_DEBUG)
            fprintf(fprintf_fp, "request %d from %s took %.3f ms\n", (int)i, from, ms);
}

static int fprintf_close(void)
{
    return fclose(fprintf_fp) == 0 ? 0 : -1;
}

static const char *libc_version(void)
{
    static char v[64];

    if (!v[0] && confstr(_CS_GNU_LIBC_VERSION, v, sizeof(v)) == 0)
        snprintf(v, sizeof(v), "libc");
    return v;
}

const bench_driver bench_fprintf = {"fprintf", 0, 1, fprintf_open, fprintf_info, fprintf_debug_loop,
                                    fprintf_close, libc_version};

/* snprintf() + write(2): one system call per line, nothing buffered. */
static int write_fd = -1;

static int write_open(const char *path, enum bench_sink sink)
{
    (void)sink;
    write_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    return write_fd < 0 ? -1 : 0;
}

static void write_info(int id, const char *from, double ms)
{
    char line[256];
    size_t n = format_line(line, sizeof(line), id, from, ms);

    if (write(write_fd, line, n) < 0)
        perror("logtree-bench: write");
}

static void write_debug_loop(long n, const char *from, double ms)
{
    for (long i = 0; i < n; i++)
        if (hand_level <= LT_LEVEL_DEBUG)
            write_info((int)i, from, ms);
}

static int write_close(void)
{
    return close(write_fd) == 0 ? 0 : -1;
}

const bench_driver bench_write = {"snprintf+write", 0, 1, write_open, write_info, write_debug_loop,
                                  write_close, libc_version};

/* ---- the floor of an asynchronous call: read the clock, copy the
 * arguments into a thread-local ring slot; no formatting, no consumer (the
 * ring wraps). What any asynchronous logger must at least do per call. ---- */

#define FLOOR_RING (1u << 20)
static _Thread_local unsigned char floor_ring[FLOOR_RING + 256];
static _Thread_local size_t floor_head;

static int floor_open(const char *path, enum bench_sink sink)
{
    (void)path;
    (void)sink;
    /* touched up front, as logtree's async rings are */
    memset(floor_ring, 0, sizeof(floor_ring));
    return 0;
}

/* @n bytes, the short case by two overlapping words: GCC makes memcpy() of
 * a variable size up to 200 bytes a "rep movsq", whose start-up cost alone
 * would be more than the rest of the call. */
static inline void floor_copy(unsigned char *to, const char *from, size_t n)
{
    uint64_t a, b;

    if (n >= 8 && n <= 16) {
        memcpy(&a, from, 8);
        memcpy(&b, from + n - 8, 8);
        memcpy(to, &a, 8);
        memcpy(to + n - 8, &b, 8);
    } else {
        for (size_t i = 0; i < n; i++)
            to[i] = (unsigned char)from[i];
    }
}

__attribute__((noinline)) static void floor_info(int id, const char *from, double ms)
{
    size_t n = strlen(from);
    unsigned char *at = floor_ring + (floor_head & (FLOOR_RING - 1));
    uint64_t t = bench_ticks();

    if (n > 200)
        n = 200;
    memcpy(at, &t, 8);
    memcpy(at + 8, &id, 4);
    memcpy(at + 12, &ms, 8);
    memcpy(at + 20, &n, 8);
    floor_copy(at + 28, from, n);
    __atomic_store_n(&floor_head, floor_head + ((36 + n) & ~(size_t)7), __ATOMIC_RELEASE);
}

static void floor_debug_loop(long n, const char *from, double ms)
{
    for (long i = 0; i < n; i++)
        if (hand_level <= LT_LEVEL_DEBUG)
            floor_info((int)i, from, ms);
}

static int floor_close(void)
{
    return 0;
}

static const char *floor_version(void)
{
    return "-";
}

const bench_driver bench_floor = {"floor", 1, 0, floor_open, floor_info, floor_debug_loop,
                                  floor_close, floor_version};
