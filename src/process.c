/* src/process.c - what every record says about where it came from (process,
 * thread, time since start), the library's start-up, and its own reports. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "../handlers/flush_timer.h"
#include "internal.h"

static struct timespec start_time;
static pthread_t main_thread;
static char process_name[64] = "process";
static _Atomic long pid;
static atomic_uint thread_counter;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static _Thread_local char thread_name[32];

static void read_process_name(void)
{
    FILE *f = fopen("/proc/self/comm", "re");
    size_t n;

    if (!f)
        return;
    n = fread(process_name, 1, sizeof(process_name) - 1, f);
    fclose(f);
    while (n > 0 && process_name[n - 1] == '\n')
        n--;
    process_name[n] = '\0';
    if (n == 0)
        strcpy(process_name, "process");
}

/* In lock order: no record is inside a handler across fork(), and no
 * configuration or level change is half done. */
static void atfork_prepare(void)
{
    lt__config_lock();
    lt__routes_atfork_prepare();
    lt__state_lock();
    lt__levels_atfork_prepare();
    lt__handlers_atfork_prepare();
    lt__flush_timer_atfork_prepare();
    lt__async_atfork_prepare();
}

static void atfork_parent(void)
{
    lt__async_atfork_parent();
    lt__flush_timer_atfork_parent();
    lt__handlers_atfork_parent();
    lt__levels_atfork_parent();
    lt__state_unlock();
    lt__routes_atfork_parent();
    lt__config_unlock();
}

static void atfork_child(void)
{
    atomic_store(&pid, (long)getpid());
    lt__signal_log_atfork_child();
    lt__async_atfork_child();
    lt__flush_timer_atfork_child();
    lt__handlers_atfork_child();
    lt__levels_atfork_child();
    lt__state_atfork_child();
    lt__routes_atfork_child();
    lt__config_atfork_child();
}

static void init(void)
{
    clock_gettime(CLOCK_REALTIME, &start_time);
    main_thread = pthread_self();
    atomic_store(&pid, (long)getpid());
    tzset();
    read_process_name();
    pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
    atexit(lt__shutdown_at_exit);
}

/* At load time, like Python's _startTime at import: relativeCreated counts
 * from here, and the shutdown at exit runs after the program's own handlers,
 * which may still log. */
__attribute__((constructor)) static void init_at_load(void)
{
    lt__init();
}

void lt__init(void)
{
    pthread_once(&init_once, init);
}

const char *lt__process_name(void)
{
    return process_name;
}

long lt__pid(void)
{
    return atomic_load_explicit(&pid, memory_order_relaxed);
}

struct timespec lt__start_time(void)
{
    return start_time;
}

/* "MainThread" as in Python; another thread's OS name if the program gave it
 * one (a thread's name starts as the program's), else "Thread-N". */
const char *lt__thread_name(void)
{
    if (thread_name[0])
        return thread_name;
    if (pthread_equal(pthread_self(), main_thread)) {
        strcpy(thread_name, "MainThread");
        return thread_name;
    }
#ifdef __linux__
    char os_name[17] = "";
    if (prctl(PR_GET_NAME, os_name, 0, 0, 0) == 0 && os_name[0] &&
        strncmp(os_name, process_name, 15) != 0) {
        snprintf(thread_name, sizeof(thread_name), "%s", os_name);
        return thread_name;
    }
#endif
    snprintf(thread_name, sizeof(thread_name), "Thread-%u", atomic_fetch_add(&thread_counter, 1) + 1);
    return thread_name;
}

void lt__report(const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    int n;

    memcpy(line, "logtree: ", 9);
    va_start(ap, fmt);
    n = vsnprintf(line + 9, sizeof(line) - 10, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    n = n + 9 > (int)sizeof(line) - 2 ? (int)sizeof(line) - 2 : n + 9;
    line[n++] = '\n';
    if (lt_write_all(STDERR_FILENO, line, (size_t)n) < 0)
        return; /* nowhere left to say it */
}
