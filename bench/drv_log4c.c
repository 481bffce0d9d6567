/* bench/drv_log4c.c - log4c 1.2 with its "dated" layout (date with
 * milliseconds, priority, category, message) and a stream2 appender to the
 * file. Built only when pkg-config finds log4c.
 *
 * log4c 1.2 is not thread-safe: with two threads its stream appender lost
 * records (999 of 1,000 in the smoke test). The driver serialises the calls
 * with a mutex, as a program using log4c from threads must. */
#include "driver.h"

#include <log4c.h>
#include <pthread.h>

static pthread_mutex_t log4c_lock = PTHREAD_MUTEX_INITIALIZER;

static log4c_category_t *log4c_cat;
static log4c_appender_t *log4c_app;

static int log4c_open(const char *path, enum bench_sink sink)
{
    (void)sink;
    if (log4c_init() != 0)
        return -1;
    log4c_cat = log4c_category_get("bench");
    /* stream2 opens the file of its name, stdio-buffered (the older stream
     * appender writes unbuffered); both start each line with "[NAME] " */
    log4c_app = log4c_appender_get(path);
    log4c_appender_set_type(log4c_app, log4c_appender_type_get("stream2"));
    log4c_appender_set_layout(log4c_app, log4c_layout_get("dated"));
    log4c_category_set_appender(log4c_cat, log4c_app);
    log4c_category_set_additivity(log4c_cat, 0);
    log4c_category_set_priority(log4c_cat, LOG4C_PRIORITY_INFO);
    return 0;
}

static void log4c_info(int id, const char *from, double ms)
{
    pthread_mutex_lock(&log4c_lock);
    log4c_category_info(log4c_cat, "request %d from %s took %.3f ms", id, from, ms);
    pthread_mutex_unlock(&log4c_lock);
}

static void log4c_debug_loop(long n, const char *from, double ms)
{
    for (long i = 0; i < n; i++)
        log4c_category_debug(log4c_cat, "request %d from %s took %.3f ms", (int)i, from, ms);
}

/* Closing the appender fcloses its file (log4c_fini() would close it again). */
static int log4c_close(void)
{
    return log4c_appender_close(log4c_app) == 0 ? 0 : -1;
}

static const char *log4c_ver(void)
{
    return log4c_version();
}

const bench_driver bench_log4c = {"log4c", 0, 1, log4c_open, log4c_info, log4c_debug_loop,
                                  log4c_close, log4c_ver};
