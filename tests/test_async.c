/* tests/test_async.c - asynchronous mode: records come out whole, once, in
 * order, with what held at the call; every argument type; flush, stop, fork,
 * thread exit, the overflow policies and the crash handler. (The threaded
 * stress under ThreadSanitizer is tests/stress_async.c.) */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

static void stop(void)
{
    lt_async_stop();
    lt_shutdown();
}

TestSuite(async, .fini = stop);

static capture *to_capture(const char *logger, const char *fmt)
{
    capture *c;
    lt_handler *h = capture_new(&c);
    lt_formatter *f;

    cr_assert_eq(lt_percent_formatter_new(&f, &(lt_percent_options){.format = fmt}, NULL), 0);
    lt_handler_set_formatter(h, f);
    lt_formatter_unref(f);
    lt_logger_add_handler(lt_get_logger(logger), h);
    lt_logger_set_level(lt_get_logger(logger), LT_LEVEL_DEBUG);
    lt_handler_unref(h);
    return c;
}

Test(async, start_stop_and_errors)
{
    cr_assert_eq(lt_async_start(&(lt_async_options){.ring_size = 100}), LT_EINVAL);
    cr_assert_eq(lt_async_start(&(lt_async_options){.overflow = 9}), LT_EINVAL);
    cr_assert_eq(lt_async_stop(), LT_ENOENT);
    cr_assert_eq(lt_async_start(NULL), 0);
    cr_assert_eq(lt_async_start(NULL), LT_EEXIST);
    cr_assert_eq(lt_async_stop(), 0);
    cr_assert_eq(lt_async_start(NULL), 0, "and again");
}

/* The same calls, synchronous and asynchronous, print what snprintf()
 * prints: both make the message from the arguments' C types (replay.c). */
Test(async, every_argument_type_prints_as_printf)
{
    capture *c = to_capture("t", "%(message)s");
    const char *s = "text";
    const char *volatile null = NULL; /* not known NULL to the compiler: printf of it is the point */
    long double ld = 2.5L;
    char expected[16][700], big[600];
    size_t n = 0;

    memset(big, 'b', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
#define BOTH(...)                                                                                  \
    do {                                                                                           \
        LT_INFO(lt_get_logger("t"), __VA_ARGS__);                                                  \
        errno = EACCES;                                                                            \
        snprintf(expected[n++ % 16], sizeof(expected[0]), __VA_ARGS__);                            \
    } while (0)
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            cr_assert_eq(lt_async_start(NULL), 0);
        BOTH("%d %i %u %x %X %o %#x %+d % d %05d %-5d|", -42, 7, 4000000000u, 255u, 255u, 8u,
             255u, 3, 3, 42, 42);
        BOTH("%hhd %hd %ld %lu %lld %llu %jd %zu %td", (signed char)-1, (short)-2, LONG_MIN,
             ULONG_MAX, LLONG_MIN, ULLONG_MAX, (intmax_t)-9, (size_t)10, (ptrdiff_t)-11);
        BOTH("%f %.2f %e %E %g %G %a %10.3f %-10.1e| %Lf", 3.14159, 2.0 / 3, 1e-10, 1e300, 0.0001,
             1e20, 1.0, -1.5, 12345.678, ld);
        BOTH("%.3f %.0f %.1f %f %.9f", -0.0, 2.5, 0.05, 1e15, 1.0 / 3);
        BOTH("%s %.2s %10s %-6s| %s %c %%", s, s, s, s, null, 'x');
        BOTH("%*d|%-*d|%.*f|%*.*s|", 6, 42, 6, 42, 2, 3.14159, 8, 3, "abcdef");
        BOTH("%2$s %1$s %3$*4$d", "world", "hello", 7, 5);
        BOTH("%p %p", (void *)0, (void *)0x1234);
        BOTH("no arguments at all");
        BOTH("%s|%d (longer than the stack buffer)", big, 1);
        errno = EACCES;
        LT_INFO(lt_get_logger("t"), "%m: %d", 3);
        snprintf(expected[n++ % 16], sizeof(expected[0]), "%s: %d", strerror(EACCES), 3);
        lt_flush();
        for (size_t i = 0; i < 11; i++)
            cr_expect_str_eq(capture_line(c, pass * 11 + i), expected[i], "pass %d, line %zu",
                             pass, i);
        n = 0;
    }
#undef BOTH
    cr_assert_eq(capture_count(c), 22);
}

Test(async, strings_may_be_freed_at_once)
{
    capture *c = to_capture("t", "%(message)s %(who)s");
    char *name = strdup("temporary"), *fmt = strdup("hello %s");

    cr_assert_eq(lt_async_start(NULL), 0);
    LT_INFO(lt_get_logger("t"), fmt, name, LT_F("who", name));
    memset(name, 'X', 9);
    memset(fmt, 'Y', 8);
    free(name);
    free(fmt);
    lt_flush();
    cr_assert_str_eq(capture_line(c, 0), "hello temporary temporary");
}

/* Calls with a literal format and no field go through lt_log_args_at(); the
 * ones it cannot put in the ring itself (context fields, a bound logger, a
 * record bigger than half the ring) take the general path, with the same
 * result. */
Test(async, short_path_and_its_detours)
{
    capture *c = to_capture("t", "%(req)s %(user)s %(message)s");
    lt_logger *view = LT_BIND(lt_get_logger("t"), LT_F("user", "ann"));
    char *name = strdup("temporary"), big[3001];

    memset(big, 'b', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    cr_assert_eq(lt_async_start(&(lt_async_options){.ring_size = 4096}), 0);
    LT_INFO(lt_get_logger("t"), "hello %s %d", name, 1);
    memset(name, 'X', 9);
    free(name);
    LT_CONTEXT_PUSH(LT_F("req", "r-1"));
    LT_INFO(lt_get_logger("t"), "in context %d", 2);
    lt_context_pop();
    LT_INFO(view, "bound %d", 3);
    LT_INFO(lt_get_logger("t"), "%.3s %zu", big, strlen(big));
    lt_unbind(view);
    lt_flush();
    cr_assert_eq(capture_count(c), 4);
    cr_assert_str_eq(capture_line(c, 0), "<req?> <user?> hello temporary 1");
    cr_assert_str_eq(capture_line(c, 1), "r-1 <user?> in context 2");
    cr_assert_str_eq(capture_line(c, 2), "<req?> ann bound 3");
    cr_assert_str_eq(capture_line(c, 3), "<req?> <user?> bbb 3000");
}

/* The call macros' most arguments, 32, strings among them up to the last
 * and of every length the copy treats apart: the short path keeps a bit
 * per argument for the strings. */
Test(async, thirty_two_arguments)
{
    capture *c = to_capture("t", "%(message)s");
    char expected[1024];

#define FMT32                                                                                      \
    "%d %s %d %s %d %s %d %s %d %s %d %s %d %s %d %s "                                             \
    "%d %s %d %s %d %s %d %s %d %s %d %s %d %s %d %s"
#define ARGS32 -5000, "", -3000, "a", -1000, "bb", 1000, "ccc", 3000, "dddd", 5000, "eeeee", 7000, \
    "fffffff", 9000, "gggggggg", 11000, "hhhhhhhhh", 13000, "iiiiiiiiiiiiiii", 15000, \
    "jjjjjjjjjjjjjjjj", 17000, "kkkkkkkkkkkkkkkkk", 19000, "a string of more than sixteen", \
    21000, "m", 23000, "nn", 25000, "the last one, 31st"
    cr_assert_eq(lt_async_start(NULL), 0);
    LT_INFO(lt_get_logger("t"), "first: the thread's ring is made");
    LT_INFO(lt_get_logger("t"), FMT32, ARGS32);
    snprintf(expected, sizeof(expected), FMT32, ARGS32);
#undef FMT32
#undef ARGS32
    lt_flush();
    cr_assert_eq(capture_count(c), 2);
    cr_assert_str_eq(capture_line(c, 1), expected);
}

/* A call site made by hand, without the list of its strings the macros
 * write: its calls take the general path, which reads argtypes, and the
 * strings are still copied at the call. */
Test(async, a_site_made_by_hand_takes_the_general_path)
{
    capture *c = to_capture("t", "%(message)s");
    static const unsigned char types[] = {LT_ARG_INT, LT_ARG_STRING, LT_ARG_STRING};
    static const lt_callsite site = {.file = __FILE__, .func = __func__, .line = __LINE__,
                                     .nargs = 3, .argtypes = types, .fmt_static = true};
    char *name = strdup("temporary name");
    lt_arg args[3] = {{.i = 7}, {.s = name}, {.s = NULL}};

    cr_assert_eq(lt_async_start(NULL), 0);
    LT_INFO(lt_get_logger("t"), "first: the thread's ring is made");
    lt_log_args_at(lt_get_logger("t"), LT_LEVEL_INFO, &site, "%d %s %s", args);
    memset(name, 'X', strlen(name));
    free(name);
    lt_flush();
    cr_assert_eq(capture_count(c), 2);
    cr_assert_str_eq(capture_line(c, 1), "7 temporary name (null)");
}

/* lt_log_args_at() handed a type it does not take (a long double) prints
 * what comes before it and the rest of the format as written, in either
 * mode: the ring's entry holds only those arguments, and the backend reads
 * no further. */
Test(async, a_type_lt_log_args_at_does_not_take)
{
    capture *c = to_capture("t", "%(message)s");
    static const unsigned char types[] = {LT_ARG_INT, LT_ARG_LDOUBLE, LT_ARG_STRING};
    static const lt_callsite site = {.file = __FILE__, .func = __func__, .line = __LINE__,
                                     .nargs = 3, .argtypes = types, .fmt_static = true};
    lt_arg args[3] = {{.i = 7}, {.u = 0}, {.s = "unseen"}};

    lt_log_args_at(lt_get_logger("t"), LT_LEVEL_INFO, &site, "%d %Lf %s", args);
    cr_assert_eq(lt_async_start(NULL), 0);
    LT_INFO(lt_get_logger("t"), "the thread's ring is made");
    lt_log_args_at(lt_get_logger("t"), LT_LEVEL_INFO, &site, "%d %Lf %s", args);
    lt_flush();
    cr_assert_eq(capture_count(c), 3);
    cr_assert_str_eq(capture_line(c, 0), "7 %Lf %s");
    cr_assert_str_eq(capture_line(c, 2), capture_line(c, 0));
}

Test(async, what_held_at_the_call)
{
    capture *c = to_capture("t", "%(threadName)s %(req)s %(user)s %(k)s %(message)s");
    lt_logger *view = LT_BIND(lt_get_logger("t"), LT_F("user", "ann"));

    cr_assert_eq(lt_async_start(NULL), 0);
    LT_CONTEXT_PUSH(LT_F("req", "r-1"));
    LT_INFO(view, "first", LT_F("k", 1));
    lt_context_pop();
    lt_unbind(view); /* before the backend got to the record */
    lt_logger_set_level(lt_get_logger("t"), LT_LEVEL_CRITICAL);
    lt_flush();
    cr_assert_str_eq(capture_line(c, 0), "MainThread r-1 ann 1 first");
}

Test(async, text_and_errno_calls)
{
    capture *c = to_capture("t", "%(message)s|%(errno)d");

    cr_assert_eq(lt_async_start(NULL), 0);
    lt_log_text_at(lt_get_logger("t"), LT_LEVEL_INFO, NULL, "100% text\n", 10);
    errno = EACCES;
    LT_ERRNO(lt_get_logger("t"), LT_LEVEL_ERROR, "open %s", "x");
    errno = ENOENT;
    LT_INFO(lt_get_logger("t"), "%m");
    lt_flush();
    cr_assert_str_eq(capture_line(c, 0), "100% text\n|0");
    cr_assert_str_eq(capture_line(c, 1), "open x|13");
    cr_assert_str_eq(capture_line(c, 2), "No such file or directory|0");
}

Test(async, created_is_the_time_of_the_call)
{
    lt_record *kept = NULL;
    capture *c = to_capture("t", "%(created)f");
    struct timespec before, after;
    double created;

    (void)kept;
    cr_assert_eq(lt_async_start(NULL), 0);
    clock_gettime(CLOCK_REALTIME, &before);
    LT_INFO(lt_get_logger("t"), "m");
    clock_gettime(CLOCK_REALTIME, &after);
    nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    lt_flush();
    created = atof(capture_line(c, 0));
    cr_assert_geq(created, (double)before.tv_sec + before.tv_nsec / 1e9 - 0.001);
    cr_assert_leq(created, (double)after.tv_sec + after.tv_nsec / 1e9 + 0.001,
                  "taken at the call, not 50 ms later by the backend");
}

/* Python's rule holds in the backend too: only the originating logger's
 * level decides, its filters run, the last resort catches the rest. */
Test(async, tree_semantics_unchanged, .init = cr_redirect_stderr)
{
    capture *c = to_capture("app", "%(name)s %(message)s");

    cr_assert_eq(lt_async_start(NULL), 0);
    LT_INFO(lt_get_logger("app.db"), "child");
    LT_DEBUG(lt_get_logger("other"), "dropped at the call");
    LT_ERROR(lt_get_logger("other"), "to the last resort");
    lt_flush();
    cr_assert_str_eq(capture_text(c), "app.db child\n");
    fflush(stderr);
    cr_assert_stderr_eq_str("to the last resort\n");
}

Test(async, per_subtree)
{
    capture *c = to_capture("t", "%(message)s");

    cr_assert_eq(lt_logger_set_async(lt_get_logger("t.fast"), LT_ASYNC_ON), 0);
    cr_assert_eq(lt_logger_set_async(lt_get_logger("t"), 7), LT_EINVAL);
    cr_assert_eq(lt_async_start(&(lt_async_options){.per_subtree = true}), 0);
    LT_INFO(lt_get_logger("t.fast.x"), "async");
    LT_INFO(lt_get_logger("t.slow"), "sync");
    cr_assert_str_eq(capture_line(c, 0), "sync", "a synchronous record is written at once");
    lt_flush();
    cr_assert_str_eq(capture_line(c, 1), "async");
    lt_async_stats st;
    cr_assert_eq(lt_async_stats_get(&st), 0);
    cr_assert_eq(st.enqueued, 1);
}

/* ---- threads ---- */

struct counter {
    pthread_mutex_t lock;
    long next[16]; /* per thread: the number the next record must carry */
    long total;
    bool out_of_order;
};

struct counter_state {
    struct counter *c;
};

static int counter_open(void *state, const void *arg)
{
    ((struct counter_state *)state)->c = (struct counter *)(uintptr_t)arg;
    return 0;
}

static int counter_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    struct counter *c = ((struct counter_state *)state)->c;
    int t;
    long i;

    (void)rec;
    if (sscanf(lt_buf_data(msg), "t%d i%ld", &t, &i) != 2 || t < 0 || t >= 16)
        return 0; /* a notice of drops */
    pthread_mutex_lock(&c->lock);
    if (i < c->next[t])
        c->out_of_order = true;
    c->next[t] = i + 1;
    c->total++;
    pthread_mutex_unlock(&c->lock);
    return 0;
}

static const lt_handler_type counter_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "counter",
    .state_size = sizeof(struct counter_state),
    .open = counter_open,
    .emit = counter_emit,
};

static long records_per_thread = 1000000; /* LT_ASYNC_RECORDS changes it */

static void *produce(void *arg)
{
    int t = (int)(intptr_t)arg;

    for (long i = 0; i < records_per_thread; i++)
        LT_INFO(lt_get_logger("count"), "t%d i%ld", t, i);
    return NULL;
}

static struct counter *run_threads(int threads, const lt_async_options *opts)
{
    static struct counter c;
    lt_handler *h;
    pthread_t t[16];
    const char *scale = getenv("LT_ASYNC_RECORDS");

    if (scale)
        records_per_thread = atol(scale);
    memset(&c, 0, sizeof(c));
    pthread_mutex_init(&c.lock, NULL);
    cr_assert_eq(lt_handler_new(&h, &counter_type, &c), 0);
    lt_logger_add_handler(lt_get_logger("count"), h);
    lt_logger_set_level(lt_get_logger("count"), LT_LEVEL_INFO);
    lt_handler_unref(h);
    cr_assert_eq(lt_async_start(opts), 0);
    for (int i = 0; i < threads; i++)
        pthread_create(&t[i], NULL, produce, (void *)(intptr_t)i);
    for (int i = 0; i < threads; i++)
        pthread_join(t[i], NULL);
    cr_assert_eq(lt_flush(), 0);
    return &c;
}

Test(async, eight_threads_block_loses_nothing_keeps_order, .timeout = 300)
{
    struct counter *c = run_threads(8, &(lt_async_options){.ring_size = 16384});
    lt_async_stats st;

    cr_assert_eq(c->total, 8 * records_per_thread);
    cr_assert_not(c->out_of_order);
    cr_assert_eq(lt_async_stats_get(&st), 0);
    cr_assert_eq(st.dropped, 0);
    cr_assert_eq(st.enqueued, 8 * records_per_thread);
    cr_assert_eq(st.handled, 8 * records_per_thread);
}

Test(async, eight_threads_grow_loses_nothing_keeps_order, .timeout = 300)
{
    struct counter *c = run_threads(8, &(lt_async_options){.ring_size = 4096,
                                                           .overflow = LT_ASYNC_GROW,
                                                           .grow_limit = 1 << 20});

    cr_assert_eq(c->total, 8 * records_per_thread);
    cr_assert_not(c->out_of_order);
}

Test(async, eight_threads_drop_counts_every_loss, .timeout = 300)
{
    struct counter *c = run_threads(8, &(lt_async_options){.ring_size = 4096,
                                                           .overflow = LT_ASYNC_DROP});
    lt_async_stats st;

    cr_assert_eq(lt_async_stats_get(&st), 0);
    cr_assert_not(c->out_of_order);
    cr_assert_eq((uint64_t)c->total + st.dropped, 8 * (uint64_t)records_per_thread,
                 "written %ld + dropped %llu", c->total, (unsigned long long)st.dropped);
}

Test(async, drops_are_announced)
{
    capture *notice = to_capture("logtree", "%(levelname)s %(message)s");

    run_threads(2, &(lt_async_options){.ring_size = 4096, .overflow = LT_ASYNC_DROP});
    lt_async_stats st;
    cr_assert_eq(lt_async_stats_get(&st), 0);
    if (st.dropped == 0)
        cr_skip_test("the backend kept up: nothing was dropped");
    cr_assert_gt(capture_count(notice), 0);
    cr_assert(strstr(capture_line(notice, 0), "records dropped on thread") != NULL);
}

static void *short_life(void *arg)
{
    (void)arg;
    LT_INFO(lt_get_logger("count"), "t0 i0");
    return NULL;
}

/* A thread that exits leaves its ring to the backend, which frees it once
 * drained. */
Test(async, rings_of_exited_threads_are_reclaimed)
{
    lt_async_stats st;
    pthread_t t;

    run_threads(1, &(lt_async_options){.ring_size = 4096});
    for (int i = 0; i < 50; i++) {
        pthread_create(&t, NULL, short_life, NULL);
        pthread_join(t, NULL);
    }
    lt_flush();
    for (int i = 0; i < 200; i++) {
        cr_assert_eq(lt_async_stats_get(&st), 0);
        if (st.rings == 0)
            break;
        nanosleep(&(struct timespec){0, 5 * 1000 * 1000}, NULL);
    }
    cr_assert_eq(st.rings, 0, "%llu rings left", (unsigned long long)st.rings);
}

/* ---- process ---- */

Test(async, shutdown_writes_everything)
{
    lt_handler *h;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "a.log", "w", 0), 0);
    lt_logger_add_handler(lt_get_logger("f"), h);
    lt_logger_set_level(lt_get_logger("f"), LT_LEVEL_INFO);
    lt_handler_unref(h);
    cr_assert_eq(lt_async_start(NULL), 0);
    for (int i = 0; i < 1000; i++)
        LT_INFO(lt_get_logger("f"), "line %d", i);
    lt_shutdown();
    cr_assert(strstr(slurp("a.log"), "line 999\n") != NULL);
}

/* The backend writes a file handler's records in batches (one write for
 * many: lt_handler_batch_hold()); what reaches the file is the same: every
 * record, in order, complete at lt_flush(), also when a synchronous logger
 * writes to the same handler in between, and when the handler is closed
 * with records held. */
Test(async, file_batches_keep_every_line_in_order)
{
    lt_handler *h;
    const char *text, *at;
    char want[64];

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "b.log", "w", 0), 0);
    lt_logger_add_handler(lt_get_logger("b"), h);
    lt_logger_set_level(lt_get_logger("b"), LT_LEVEL_INFO);
    lt_logger_set_async(lt_get_logger("b.sync"), LT_ASYNC_OFF);
    cr_assert_eq(lt_async_start(NULL), 0);
    for (int i = 0; i < 20000; i++)
        LT_INFO(lt_get_logger("b"), "line %d", i);
    cr_assert_eq(lt_flush(), 0);
    LT_INFO(lt_get_logger("b.sync"), "line %d", 20000); /* written at once, after them */
    for (int i = 20001; i < 30000; i++)
        LT_INFO(lt_get_logger("b"), "line %d", i);
    cr_assert_eq(lt_async_stop(), 0);
    lt_handler_close(h);
    text = slurp("b.log");
    at = text;
    for (int i = 0; i < 30000; i++) {
        snprintf(want, sizeof(want), "line %d\n", i);
        cr_assert(strncmp(at, want, strlen(want)) == 0, "line %d: %.20s", i, at);
        at += strlen(want);
    }
    cr_assert_eq(*at, '\0');
}

Test(async, child_of_fork_logs_with_its_own_backend)
{
    lt_handler *h;
    pid_t pid;
    int status;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "fork.log", "w", 0), 0);
    lt_logger_add_handler(lt_get_logger("f"), h);
    lt_logger_set_level(lt_get_logger("f"), LT_LEVEL_INFO);
    lt_handler_unref(h);
    cr_assert_eq(lt_async_start(NULL), 0);
    LT_INFO(lt_get_logger("f"), "parent before");
    pid = fork();
    if (pid == 0) {
        LT_INFO(lt_get_logger("f"), "child");
        _exit(lt_flush() == 0 ? 0 : 3);
    }
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    LT_INFO(lt_get_logger("f"), "parent after");
    lt_flush();
    const char *text = slurp("fork.log");
    cr_assert(strstr(text, "child\n") != NULL);
    cr_assert(strstr(text, "parent after\n") != NULL);
    cr_assert_eq(strstr(text, "parent before\n"), strstr(text, "parent before"),
                 "written once: the child dropped its copy of the parent's rings");
    cr_assert_null(strstr(strstr(text, "parent before\n") + 1, "parent before\n"));
}

Test(async, crash_handler_drains_the_rings)
{
    pid_t pid;
    int status;

    enter_temp_dir();
    pid = fork();
    if (pid == 0) {
        lt_handler *h;

        lt_file_handler_new(&h, "crash.log", "w", 0);
        lt_logger_add_handler(lt_get_logger("c"), h);
        lt_logger_set_level(lt_get_logger("c"), LT_LEVEL_INFO);
        lt_async_start(&(lt_async_options){.crash_handler = true});
        for (int i = 0; i < 2000; i++)
            LT_INFO(lt_get_logger("c"), "before the crash %d", i);
        raise(SIGSEGV);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "the crash still kills it");
    cr_assert(strstr(slurp("crash.log"), "before the crash 1999\n") != NULL);
}

/* An INI file turns async mode on in a [logtree] section, which Python's
 * fileConfig ignores. */
Test(async, from_a_config_file)
{
    static const char config[] =
        "[loggers]\nkeys=root\n[handlers]\nkeys=f\n[formatters]\nkeys=\n"
        "[logger_root]\nlevel=INFO\nhandlers=f\n"
        "[handler_f]\nclass=FileHandler\nargs=('cfg.log', 'w')\n"
        "[logtree]\nasync = on\nring_size = 64KiB\noverflow = grow\ngrow_limit = 1MiB\n";
    lt_error err;
    lt_async_stats st;

    enter_temp_dir();
    cr_assert_eq(lt_config_string(config, sizeof(config) - 1, "a.ini", 0, &err), 0, "%s",
                 err.message);
    LT_WARNING(lt_get_logger("x"), "through the ring");
    cr_assert_eq(lt_flush(), 0);
    cr_assert_str_eq(slurp("cfg.log"), "through the ring\n");
    cr_assert_eq(lt_async_stats_get(&st), 0);
    cr_assert_eq(st.enqueued, 1);
    cr_assert_eq(lt_async_start(NULL), LT_EEXIST, "the config started it");
}

Test(async, config_errors_name_the_line)
{
    static const char *const bad[] = {
        "async = maybe\n", "async = on\nring_size = 12 apples\n", "async = on\nring_size = 1k\n",
        "async = on\noverflow = sometimes\n", "async = on\nspeed = fast\n"};
    static const char head[] = "[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n"
                               "[logger_root]\nhandlers=\n[logtree]\n";
    char config[512];
    lt_error err;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        snprintf(config, sizeof(config), "%s%s", head, bad[i]);
        cr_assert_eq(lt_config_string(config, strlen(config), "b.ini", 0, &err), LT_ECONFIG,
                     "%s", bad[i]);
        cr_assert_geq(err.line, 10, "%s: line %d", bad[i], err.line);
    }
    cr_assert_eq(lt_async_stop(), LT_ENOENT, "nothing was started");
}

Test(async, config_async_off_stops_it)
{
    static const char config[] = "[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n"
                                 "[logger_root]\nhandlers=\n[logtree]\nasync = off\n";

    cr_assert_eq(lt_async_start(NULL), 0);
    cr_assert_eq(lt_config_string(config, sizeof(config) - 1, NULL, 0, NULL), 0);
    cr_assert_eq(lt_async_stop(), LT_ENOENT);
}
