/* tests/stress_signal_log.c - issue 9 (slice 9c): lt_log_signal_safe()
 * from a real signal handler while threads log through the same file
 * handler (so the signal often lands in a thread holding the handler's
 * lock, or inside the allocator): no deadlock (an alarm() of 60 s kills a
 * stuck run, and the test fails), and every record the call queued reaches
 * the file, once; in synchronous and then asynchronous mode. A plain
 * program, so that ThreadSanitizer runs it too. */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <logtree/logtree.h>

#define THREADS 3
#define SIGNALS 300

static lt_logger *lg;
static atomic_int queued, refused;
static atomic_bool stop;

static void on_signal(int sig)
{
    (void)sig;
    int r = lt_log_signal_safe(lg, LT_LEVEL_WARNING, "from the signal handler");

    if (r == 0)
        atomic_fetch_add(&queued, 1);
    else
        atomic_fetch_add(&refused, 1);
}

static void *logging(void *arg)
{
    (void)arg;
    for (unsigned long i = 0; !atomic_load(&stop); i++)
        LT_INFO(lg, "ordinary record %lu with some %s", i, "text");
    return NULL;
}

static size_t count_in(const char *path, const char *what)
{
    FILE *f = fopen(path, "r");
    char line[512];
    size_t n = 0;

    if (!f)
        return 0;
    while (fgets(line, sizeof(line), f))
        n += strstr(line, what) != NULL;
    fclose(f);
    return n;
}

static int run(const char *path, bool async)
{
    pthread_t t[THREADS];
    lt_handler *h;
    size_t got;

    atomic_store(&queued, 0);
    atomic_store(&refused, 0);
    atomic_store(&stop, false);
    if (lt_file_handler_new(&h, path, "w", 0) < 0)
        return 1;
    lg = lt_get_logger("signals");
    lt_logger_clear_handlers(lg);
    lt_logger_set_level(lg, LT_LEVEL_DEBUG);
    lt_logger_add_handler(lg, h);
    lt_handler_unref(h);
    if (async && lt_async_start(NULL) < 0)
        return 1;
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, logging, NULL);
    for (int i = 0; i < SIGNALS; i++) {
        pthread_kill(t[i % THREADS], SIGUSR1); /* lands in a thread that logs */
        usleep(200);
    }
    atomic_store(&stop, true);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    if (async)
        lt_async_stop();
    lt_flush();
    lt_logger_clear_handlers(lg); /* closes the file */
    got = count_in(path, "from the signal handler");
    printf("%s: %d queued, %d refused (all slots busy), %zu in the file\n",
           async ? "async" : "sync", atomic_load(&queued), atomic_load(&refused), got);
    if (atomic_load(&queued) == 0 || got != (size_t)atomic_load(&queued)) {
        fprintf(stderr, "stress_signal_log: %zu lines for %d queued records\n", got,
                atomic_load(&queued));
        return 1;
    }
    return 0;
}

int main(void)
{
    char dir[] = "/tmp/lt-signal-XXXXXX", cmd[64];
    struct sigaction sa;
    int r;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    alarm(60); /* a deadlock ends here, killed: the test fails */
    if (!mkdtemp(dir) || chdir(dir) < 0)
        return 1;
    r = run("sync.log", false) || run("async.log", true);
    lt_shutdown();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "stress_signal_log: could not remove %s\n", dir);
    return r;
}
