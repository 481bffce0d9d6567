/* tests/test_lifecycle.c - shutdown, exit, fork, and many threads at once. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

/* A handler kind that records the order of flush and close calls. */
static char events[256];

struct tracer {
    const char *name;
};

static int tracer_open(void *state, const void *arg)
{
    ((struct tracer *)state)->name = arg;
    return 0;
}

static int tracer_flush(void *state)
{
    strcat(events, "flush:");
    strcat(events, ((struct tracer *)state)->name);
    strcat(events, " ");
    return 0;
}

static void tracer_close(void *state)
{
    strcat(events, "close:");
    strcat(events, ((struct tracer *)state)->name);
    strcat(events, " ");
}

static const lt_handler_type tracer_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "tracer",
    .state_size = sizeof(struct tracer),
    .flags = LT_HANDLER_RAW,
    .open = tracer_open,
    .flush = tracer_flush,
    .close = tracer_close,
};

Test(shutdown, flushes_all_then_closes_all_newest_first)
{
    lt_handler *a, *b, *c;

    lt_handler_new(&a, &tracer_type, "a");
    lt_handler_new(&b, &tracer_type, "b");
    lt_handler_new(&c, &tracer_type, "c");
    lt_logger_add_handler(lt_get_logger(NULL), a);
    lt_logger_add_handler(lt_get_logger("x"), c);
    /* b is held by the program only: shutdown still flushes and closes it. */
    lt_shutdown();
    cr_assert_str_eq(events, "flush:c flush:b flush:a close:c close:b close:a ");
    lt_shutdown();
    cr_assert_str_eq(events, "flush:c flush:b flush:a close:c close:b close:a ",
                     "twice is harmless");
    lt_handler_unref(a);
    lt_handler_unref(b);
    lt_handler_unref(c);
}

Test(shutdown, later_records_go_to_the_last_resort, .init = cr_redirect_stderr)
{
    lt_handler *h;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "before.log", "a", 0), 0);
    lt_logger_add_handler(lt_get_logger(NULL), h);
    LT_WARNING(lt_get_logger("late"), "before shutdown");
    lt_shutdown();
    cr_assert_not(lt_logger_has_handlers(lt_get_logger(NULL)));
    LT_WARNING(lt_get_logger("late"), "after shutdown");
    fflush(stderr);
    cr_assert_stderr_eq_str("after shutdown\n");
    cr_assert_str_eq(slurp("before.log"), "before shutdown\n");
    lt_handler_unref(h);
}

/* A kind that says "closed" down a pipe when it is closed. */
static int notify_open(void *state, const void *arg)
{
    *(int *)state = *(const int *)arg;
    return 0;
}

static void notify_close(void *state)
{
    if (write(*(int *)state, "closed", 6) != 6)
        abort();
}

static const lt_handler_type notify_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "notify",
    .state_size = sizeof(int),
    .flags = LT_HANDLER_RAW,
    .open = notify_open,
    .close = notify_close,
};

Test(shutdown, runs_at_exit)
{
    int p[2], status;
    char buf[16] = "";
    pid_t pid;

    cr_assert_eq(pipe(p), 0);
    pid = fork();
    if (pid == 0) {
        lt_handler *h;

        close(p[0]);
        lt_handler_new(&h, &notify_type, &p[1]);
        lt_logger_add_handler(lt_get_logger(NULL), h);
        lt_handler_unref(h);
        exit(0); /* no lt_shutdown(): atexit() does it */
    }
    close(p[1]);
    cr_assert_eq(read(p[0], buf, sizeof(buf) - 1), 6);
    cr_assert_str_eq(buf, "closed");
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(p[0]);
}

static _Atomic int stop_logging;

static void *log_until_stopped(void *ud)
{
    (void)ud;
    while (!stop_logging)
        LT_ERROR(lt_get_logger("busy"), "parent thread");
    return NULL;
}

/* fork() while another thread logs through the same handler: the child's
 * copy of every lock must be usable (pthread_atfork), or the child hangs. */
Test(fork, child_can_log_while_parent_threads_log, .timeout = 30)
{
    capture *c;
    lt_handler *h = capture_new(&c), *fdh;
    int p[2], status;
    pid_t pid;
    char buf[64] = "";
    pthread_t t;

    lt_logger_add_handler(lt_get_logger(NULL), h);
    lt_handler_unref(h);
    cr_assert_eq(pipe(p), 0);
    pthread_create(&t, NULL, log_until_stopped, NULL);
    while (capture_count(c) < 100)
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    pid = fork();
    if (pid == 0) {
        size_t before = capture_count(c);

        close(p[0]);
        lt_fd_handler_new(&fdh, p[1]);
        lt_logger_add_handler(lt_get_logger("child"), fdh);
        LT_ERROR(lt_get_logger("child"), "hello from %s", "the child");
        _exit(capture_count(c) == before + 1 ? 0 : 3);
    }
    close(p[1]);
    cr_assert_gt(read(p[0], buf, sizeof(buf) - 1), 0);
    cr_assert_str_eq(buf, "hello from the child\n");
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    stop_logging = 1;
    pthread_join(t, NULL);
    close(p[0]);
}

struct worker {
    int id;
    int records;
};

static void *work(void *ud)
{
    struct worker *w = ud;
    char name[32];

    snprintf(name, sizeof(name), "w%d.part", w->id % 3);
    for (int i = 0; i < w->records; i++)
        LT_INFO(lt_get_logger(name), "worker %d record %d", w->id, i);
    return NULL;
}

static void *reconfigure(void *ud)
{
    (void)ud;
    for (int i = 0; i < 200; i++) {
        lt_logger_set_level(lt_get_logger("w1"), i % 2 ? LT_LEVEL_DEBUG : LT_LEVEL_NOTSET);
        lt_logger_set_propagate(lt_get_logger("w2"), true);
    }
    return NULL;
}

/* Every record of 8 threads arrives whole, once, through one shared file
 * handler, while another thread changes levels (run under TSan in CI). */
Test(threads, shared_handler_loses_nothing)
{
    enum { THREADS = 8, RECORDS = 2000 };
    struct worker w[THREADS];
    pthread_t t[THREADS + 1];
    lt_handler *h;
    const char *text;
    size_t lines = 0;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "mt.log", "w", 0), 0);
    lt_logger_add_handler(lt_get_logger(NULL), h);
    lt_logger_set_level(lt_get_logger(NULL), LT_LEVEL_INFO);
    for (int i = 0; i < THREADS; i++) {
        w[i] = (struct worker){i, RECORDS};
        pthread_create(&t[i], NULL, work, &w[i]);
    }
    pthread_create(&t[THREADS], NULL, reconfigure, NULL);
    for (int i = 0; i <= THREADS; i++)
        pthread_join(t[i], NULL);
    lt_handler_unref(h);
    lt_shutdown();
    text = slurp("mt.log");
    for (const char *p = text; (p = strchr(p, '\n')) != NULL; p++)
        lines++;
    cr_assert_eq(lines, (size_t)THREADS * RECORDS);
    for (int i = 0; i < THREADS; i++) {
        char last[64];

        snprintf(last, sizeof(last), "worker %d record %d\n", i, RECORDS - 1);
        cr_assert(strstr(text, last) != NULL, "missing: %s", last);
    }
}
