/* bench/driver.h - one library under test, driven with the fixed workload:
 * the message "request %d from %s took %.3f ms" (an int, a 9-byte string, a
 * double) with timestamp, level, logger name and message, to a text file.
 * Each library is a driver; logtree-bench.c runs each measurement in a
 * forked child that opens, logs and closes one driver. C++ peers (spdlog,
 * glog) define their drivers in .cpp files compiled only when found. */
#ifndef LOGTREE_BENCH_DRIVER_H
#define LOGTREE_BENCH_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* What logtree's drivers log to (peers know BENCH_FILE only). */
enum bench_sink { BENCH_FILE = 0, BENCH_NULL, BENCH_ROTATING, BENCH_SYSLOG };

/* The records the measurement logs in all (set before open): the syslog sink
 * waits for that many datagrams at close. */
extern long bench_records_expected;

typedef struct bench_driver {
    const char *name;    /* the library's name in the table and the JSON */
    int async_kind;      /* compared with logtree-async (else logtree-sync) */
    int has_file;        /* writes @path (the floor writes nothing) */
    /* Set up to log INFO and up to @path; 0 or -1. */
    int (*open)(const char *path, enum bench_sink sink);
    void (*info)(int id, const char *from, double ms);  /* the enabled call */
    /* @n calls below the level, in the driver's own loop as in a program's:
     * nothing but the loop between them (not a call through this pointer
     * each, which would cost more than a disabled call). */
    void (*debug_loop)(long n, const char *from, double ms);
    /* Every record written, the file closed; 0 or -1. */
    int (*close)(void);
    const char *(*version)(void);
} bench_driver;

extern const bench_driver bench_logtree_sync, bench_logtree_async, bench_fprintf, bench_write,
    bench_floor;
#ifdef BENCH_HAVE_LOG4C
extern const bench_driver bench_log4c;
#endif
#ifdef BENCH_HAVE_SPDLOG
extern const bench_driver bench_spdlog_sync, bench_spdlog_async;
#endif
#ifdef BENCH_HAVE_GLOG
extern const bench_driver bench_glog;
#endif

/* Rotating sink: files of this size, this many backups (enough for the
 * default count, so that every record stays and the line check holds). */
#define BENCH_ROTATE_BYTES (16u << 20)
#define BENCH_ROTATE_BACKUPS 12

#ifdef __cplusplus
}
#endif

#endif
