/* tests/test_file_options.c - what the file handlers do when things go
 * wrong, and their options (issue 4): statistics, a full disk (a real tmpfs
 * when the test runs as root), a write cut short by signals, the flush
 * policy, fsync, Python's namer and rotator (the rotator off the logging
 * path), lt_reopen_files(), multiprocess across fork(). Real files in
 * temporary directories. */
#define _DEFAULT_SOURCE /* mount(), setitimer() */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <logtree/logtree.h>

#include "support.h"

static lt_logger *logger_with(lt_handler *h)
{
    lt_logger *lg = lt_get_logger("files");

    lt_logger_clear_handlers(lg);
    lt_logger_set_level(lg, LT_LEVEL_DEBUG);
    lt_logger_set_propagate(lg, false);
    cr_assert_eq(lt_logger_add_handler(lg, h), 0);
    return lg;
}

static void done(lt_logger *lg, lt_handler *h)
{
    lt_logger_clear_handlers(lg);
    lt_handler_unref(h);
}

static size_t count_lines(const char *text)
{
    size_t n = 0;

    for (; *text; text++)
        n += *text == '\n';
    return n;
}

/* ---- statistics ---- */

Test(file_stats, records_bytes_errors_dropped, .init = cr_redirect_stderr)
{
    lt_handler *h;
    lt_logger *lg;
    lt_handler_stats st;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "s.log", "a", 0), 0);
    lg = logger_with(h);
    LT_INFO(lg, "ab");
    LT_INFO(lg, "cde");
    cr_assert_eq(lt_handler_get_stats(h, &st), 0);
    cr_assert_eq(st.records, 2);
    cr_assert_eq(st.bytes, 7);
    cr_assert_eq(st.errors, 0);
    cr_assert_eq(st.dropped, 0);
    cr_assert_eq(lt_handler_close(h), 0);
    LT_INFO(lg, "after close");
    cr_assert_eq(lt_handler_get_stats(h, &st), 0);
    cr_assert_eq(st.bytes, 7, "kept after close");
    cr_assert_eq(st.dropped, 1);
    cr_assert_eq(lt_handler_get_stats(NULL, &st), LT_EINVAL);
    done(lg, h);
}

/* ---- a full disk ---- */

/* A 64 KiB tmpfs at @dir (root), or else a file size limit (RLIMIT_FSIZE:
 * the kernel fails writes past it with EFBIG). Returns the errno the
 * writes will fail with. */
static int make_small_disk(const char *dir, bool *mounted)
{
    *mounted = false;
    cr_assert_eq(mkdir(dir, 0700), 0);
    if (geteuid() == 0 && mount("tmpfs", dir, "tmpfs", 0, "size=64k") == 0) {
        *mounted = true;
        return ENOSPC;
    }
    return EFBIG;
}

static void fill(const char *path, int expect)
{
    char block[4096];
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    memset(block, 'f', sizeof(block));
    cr_assert_geq(fd, 0);
    while (write(fd, block, sizeof(block)) > 0)
        ;
    cr_assert_eq(errno, expect);
    close(fd);
}

Test(file_failures, disk_full_reported_once_counted_then_resumes, .init = cr_redirect_stderr)
{
    char big[1001], path[512], expect[1024];
    const char *dir = enter_temp_dir();
    lt_handler *h;
    lt_logger *lg;
    lt_handler_stats st;
    bool mounted;
    int err = make_small_disk("disk", &mounted);
    struct rlimit old = {0}, small = {8192, RLIM_INFINITY};
    size_t whole = 0;

    memset(big, 'b', 1000);
    big[1000] = '\0';
    cr_assert_eq(lt_file_handler_new(&h, "disk/app.log", "a", 0), 0);
    lg = logger_with(h);
    LT_INFO(lg, "first");
    if (mounted) {
        fill("disk/filler", ENOSPC); /* app.log keeps the rest of its one page */
    } else {
        signal(SIGXFSZ, SIG_IGN);
        cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
        small.rlim_max = old.rlim_max;
        cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
    }
    for (int i = 0; i < 12; i++)
        LT_INFO(lg, "%s", big); /* some fit, one is cut short, the rest fail */
    cr_assert_gt(lt_handler_error_count(h), 0);
    /* Space again */
    if (mounted)
        cr_assert_eq(unlink("disk/filler"), 0);
    else
        cr_assert_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
    LT_INFO(lg, "after");
    const char *text = slurp("disk/app.log");
    cr_assert_eq(strncmp(text, "first\n", 6), 0);
    for (const char *p = text + 6; *p && strcmp(p, "after\n") != 0; p += 1001) {
        cr_assert_eq(strncmp(p, big, 1000), 0, "line %zu torn", whole);
        cr_assert_eq(p[1000], '\n');
        whole++;
    }
    cr_assert_str_eq(text + 6 + whole * 1001, "after\n");
    cr_assert_eq(whole + lt_handler_error_count(h), 12, "every record written whole or counted");
    cr_assert_eq(lt_handler_get_stats(h, &st), 0);
    cr_assert_eq(st.bytes, strlen(text));
    done(lg, h);
    if (mounted)
        cr_assert_eq(umount("disk"), 0);
    fflush(stderr);
    /* One report for the streak, with the path and strerror, and one when
     * it works again. */
    snprintf(path, sizeof(path), "%s/disk/app.log", dir);
    char said[4096] = "";
    size_t n = fread(said, 1, sizeof(said) - 1, cr_get_redirected_stderr());
    said[n] = '\0';
    snprintf(expect, sizeof(expect), "(file, '%s'): ", path);
    cr_assert_not_null(strstr(said, expect), "%s", said);
    cr_assert_not_null(strstr(said, lt_strerror(-err)), "%s", said);
    cr_assert_eq(count_lines(said), 2, "once per streak, then 'works again': %s", said);
    cr_assert_not_null(strstr(said, "works again"), "%s", said);
    if (mounted) /* tmpfs fills page by page: one record got in part of the way */
        cr_assert_not_null(strstr(said, "the rest of the record waits"), "%s", said);
}

/* The descriptor of @path in this process, or -1. */
static int fd_of(const char *path)
{
    char link[64], target[1024], want[1024];

    cr_assert_not_null(realpath(path, want));
    for (int fd = 3; fd < 1024; fd++) {
        ssize_t n;

        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        if ((n = readlink(link, target, sizeof(target) - 1)) < 0)
            continue;
        target[n] = '\0';
        if (strcmp(target, want) == 0)
            return fd;
    }
    return -1;
}

Test(file_failures, descriptor_closed_behind_its_back, .init = cr_redirect_stderr)
{
    lt_handler *h;
    lt_logger *lg;
    int fd;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "c.log", "a", 0), 0);
    lg = logger_with(h);
    LT_INFO(lg, "before");
    fd = fd_of("c.log");
    cr_assert_geq(fd, 0);
    cr_assert_eq(close(fd), 0); /* what a daemon closing every descriptor does */
    LT_INFO(lg, "lost: EBADF");
    cr_assert_eq(lt_handler_error_count(h), 1);
    LT_INFO(lg, "after: the path is opened again");
    done(lg, h);
    cr_assert_str_eq(slurp("c.log"), "before\nafter: the path is opened again\n");
    fflush(stderr);
    char said[2048] = "";
    size_t n = fread(said, 1, sizeof(said) - 1, cr_get_redirected_stderr());
    said[n] = '\0';
    cr_assert_not_null(strstr(said, "emit: bad file descriptor"), "%s", said);
    cr_assert_not_null(strstr(said, "works again; 1 records lost"), "%s", said);
}

/* ---- a write cut short by signals ---- */

static void on_alarm(int sig)
{
    (void)sig;
}

struct reader {
    int fd;
    char *got;
    size_t len;
};

static void *slow_reader(void *arg)
{
    struct reader *r = arg;
    struct timespec pause = {0, 2000000};
    char buf[8192];
    ssize_t n;

    nanosleep(&pause, NULL);
    for (;;) {
        n = read(r->fd, buf, sizeof(buf));
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            nanosleep(&pause, NULL);
            continue;
        }
        if (n <= 0)
            break;
        memcpy(r->got + r->len, buf, (size_t)n);
        r->len += (size_t)n;
        nanosleep(&pause, NULL);
    }
    return NULL;
}

Test(file_failures, short_writes_and_eintr_complete_the_record)
{
    enum { SIZE = 300000 };
    struct sigaction sa = {0};
    struct itimerval every_ms = {{0, 1000}, {0, 1000}}, off = {{0, 0}, {0, 0}};
    struct reader r = {0};
    pthread_t t;
    lt_handler *h;
    lt_logger *lg;
    char *msg = malloc(SIZE + 1);

    enter_temp_dir();
    cr_assert_eq(mkfifo("pipe", 0600), 0);
    r.fd = open("pipe", O_RDONLY | O_NONBLOCK);
    r.got = malloc(SIZE + 16);
    cr_assert_geq(r.fd, 0);
    cr_assert_eq(lt_file_handler_new(&h, "pipe", "a", 0), 0);
    lg = logger_with(h);
    memset(msg, 'p', SIZE);
    msg[SIZE] = '\0';
    sa.sa_handler = on_alarm; /* no SA_RESTART: write(2) returns short or EINTR */
    sigaction(SIGALRM, &sa, NULL);
    pthread_create(&t, NULL, slow_reader, &r);
    setitimer(ITIMER_REAL, &every_ms, NULL);
    LT_INFO(lg, "%s", msg);
    setitimer(ITIMER_REAL, &off, NULL);
    done(lg, h); /* closes the pipe's write end: the reader sees the end */
    pthread_join(t, NULL);
    close(r.fd);
    cr_assert_eq(r.len, SIZE + 1);
    cr_assert_eq(memcmp(r.got, msg, SIZE), 0);
    cr_assert_eq(r.got[SIZE], '\n');
    free(r.got);
    free(msg);
}

/* ---- the flush policy and fsync ---- */

Test(file_options, records_wait_until_n_or_a_warning_or_flush)
{
    lt_file_options o = {.flush_records = 3, .fsync = true};
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new_opts(&h, "b.log", &o), 0);
    lg = logger_with(h);
    LT_INFO(lg, "1");
    LT_INFO(lg, "2");
    cr_assert_str_eq(slurp("b.log"), "", "waiting");
    LT_INFO(lg, "3");
    cr_assert_str_eq(slurp("b.log"), "1\n2\n3\n", "three: written together");
    LT_INFO(lg, "4");
    LT_WARNING(lg, "5");
    cr_assert_str_eq(slurp("b.log"), "1\n2\n3\n4\n5\n", "a WARNING takes what waits with it");
    LT_INFO(lg, "6");
    cr_assert_eq(lt_handler_flush(h), 0);
    cr_assert_str_eq(slurp("b.log"), "1\n2\n3\n4\n5\n6\n");
    LT_INFO(lg, "7");
    done(lg, h);
    cr_assert_str_eq(slurp("b.log"), "1\n2\n3\n4\n5\n6\n7\n", "close writes what waits");
}

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Poll @path for @want (up to 2 s); the time it took, or -1. */
static int64_t wait_for_text(const char *path, const char *want, int64_t since)
{
    struct timespec pause = {0, 2000000};

    for (int i = 0; i < 1000; i++) {
        if (strcmp(slurp(path), want) == 0)
            return now_ms() - since;
        nanosleep(&pause, NULL);
    }
    return -1;
}

/* flush_ms is a time bound: records held are written about flush_ms after
 * the first of them, though nothing is logged, flushed or closed after. */
Test(file_options, flush_ms_writes_held_records_with_nothing_else_logged)
{
    lt_file_options o = {.flush_records = 100, .flush_ms = 50};
    lt_handler *h;
    lt_logger *lg;
    int64_t t0, took;
    const char *right_after;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new_opts(&h, "t.log", &o), 0);
    lg = logger_with(h);
    t0 = now_ms();
    LT_INFO(lg, "one");
    LT_INFO(lg, "two");
    LT_INFO(lg, "three");
    right_after = slurp("t.log");
    /* Held: unless this very machine took 50 ms for three calls. */
    if (now_ms() - t0 < 50)
        cr_assert_str_eq(right_after, "", "held right after the calls");
    took = wait_for_text("t.log", "one\ntwo\nthree\n", t0);
    cr_assert_geq(took, 0, "written within 2 s with nothing else logged: \"%s\"", slurp("t.log"));
    cr_assert_geq(took, 50, "not before flush_ms: %lld ms", (long long)took);
    /* Again, once the first batch went out: the timer serves the next one. */
    t0 = now_ms();
    LT_INFO(lg, "four");
    took = wait_for_text("t.log", "one\ntwo\nthree\nfour\n", t0);
    cr_assert_geq(took, 50, "the second batch too, after flush_ms: %lld ms", (long long)took);
    done(lg, h);
}

/* After fork() the child has no timer thread of the parent's: it starts its
 * own with its first held record. */
Test(file_options, flush_ms_in_a_child_of_fork)
{
    lt_file_options o = {.flush_records = 100, .flush_ms = 20};
    lt_handler *h;
    lt_logger *lg;
    int status;
    pid_t pid;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new_opts(&h, "f.log", &o), 0);
    lg = logger_with(h);
    LT_INFO(lg, "parent");
    cr_assert_geq(wait_for_text("f.log", "parent\n", now_ms()), 0, "the parent's timer runs");
    pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        /* Timed from before the call: the call itself starts the child's
         * timer thread, which takes a while under a sanitizer. */
        int64_t t0 = now_ms();

        LT_INFO(lg, "child");
        _exit(wait_for_text("f.log", "parent\nchild\n", t0) >= 20 ? 0 : 1);
    }
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the child's record was written by its own timer: \"%s\"", slurp("f.log"));
    LT_INFO(lg, "parent again");
    cr_assert_geq(wait_for_text("f.log", "parent\nchild\nparent again\n", now_ms()), 0);
    done(lg, h);
}

/* lt_shutdown() writes what is held and stops the timer; logging that goes
 * on afterwards starts it again. */
Test(file_options, flush_ms_after_lt_shutdown)
{
    lt_file_options o = {.flush_records = 100, .flush_ms = 20};
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new_opts(&h, "s.log", &o), 0);
    lg = logger_with(h);
    LT_INFO(lg, "before");
    lt_handler_unref(h);
    lt_shutdown();
    cr_assert_str_eq(slurp("s.log"), "before\n");
    cr_assert_eq(lt_file_handler_new_opts(&h, "s.log", &o), 0);
    lg = logger_with(h);
    LT_INFO(lg, "after");
    cr_assert_geq(wait_for_text("s.log", "before\nafter\n", now_ms()), 20);
    done(lg, h);
}

Test(file_options, waiting_records_count_towards_max_bytes)
{
    lt_file_options o = {.flush_records = 100};
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    cr_assert_eq(lt_rotating_file_handler_new_opts(&h, "r.log", 12, 2, &o), 0);
    lg = logger_with(h);
    LT_INFO(lg, "aaaa");
    LT_INFO(lg, "bbbb");
    LT_INFO(lg, "cccc"); /* 15 bytes: rotates, writing a and b to the old file */
    done(lg, h);
    cr_assert_str_eq(slurp("r.log.1"), "aaaa\nbbbb\n");
    cr_assert_str_eq(slurp("r.log"), "cccc\n");
}

Test(file_options, bad_combinations_are_refused)
{
    lt_file_options mp = {.multiprocess = true, .flush_records = 2};
    lt_file_options mode = {.mode = "x"};
    lt_file_options timed_w = {.mode = "w"};
    lt_handler *h = NULL;

    enter_temp_dir();
    cr_assert_eq(lt_rotating_file_handler_new_opts(&h, "a.log", 10, 1, &mp), LT_EINVAL);
    cr_assert_eq(lt_file_handler_new_opts(&h, "a.log", &mode), LT_EINVAL);
    cr_assert_eq(lt_timed_rotating_file_handler_new_opts(&h, "a.log", "S", 1, 0, &timed_w),
                 LT_EINVAL);
    cr_assert_null(h);
    cr_assert_eq(access("a.log", F_OK), -1, "nothing made");
}

/* ---- namer and rotator ---- */

static int gz_namer(void *arg, const char *default_name, lt_buf *name)
{
    (void)arg;
    lt_buf_printf(name, "%s.gz", default_name);
    return 0;
}

struct gate {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool open;
    int calls;
};

/* Python's cookbook rotator: compress with gzip(1), remove the source. It
 * waits at @arg's gate first, so the test can log while it runs. */
static int gzip_rotator(void *arg, const char *source, const char *dest)
{
    struct gate *g = arg;
    char cmd[2048];

    pthread_mutex_lock(&g->lock);
    while (!g->open)
        pthread_cond_wait(&g->cond, &g->lock);
    g->calls++;
    pthread_mutex_unlock(&g->lock);
    snprintf(cmd, sizeof(cmd), "gzip -c '%s' > '%s' && rm '%s'", source, dest, source);
    return system(cmd) == 0 ? 0 : LT_EIO;
}

static const char *gunzip(const char *path)
{
    static char out[4096];
    char cmd[1024];
    FILE *p;
    size_t n;

    snprintf(cmd, sizeof(cmd), "gzip -dc '%s'", path);
    p = popen(cmd, "r");
    cr_assert_not_null(p);
    n = fread(out, 1, sizeof(out) - 1, p);
    out[n] = '\0';
    cr_assert_eq(pclose(p), 0, "gzip -dc %s", path);
    return out;
}

Test(file_hooks, compressing_rotator_never_holds_up_logging, .timeout = 30)
{
    struct gate g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 0};
    lt_file_options o = {.namer = gz_namer, .rotator = gzip_rotator, .hook_arg = &g};
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    cr_assert_eq(lt_rotating_file_handler_new_opts(&h, "c.log", 12, 2, &o), 0);
    lg = logger_with(h);
    LT_INFO(lg, "aaaa");
    LT_INFO(lg, "bbbb");
    LT_INFO(lg, "cccc"); /* rotation 1: the rotator waits at the gate */
    LT_INFO(lg, "dddd"); /* logging goes on while it waits (or this test hangs) */
    cr_assert_str_eq(slurp("c.log"), "cccc\ndddd\n");
    pthread_mutex_lock(&g.lock);
    cr_assert_eq(g.calls, 0, "the rotator has not run yet");
    g.open = true;
    pthread_cond_broadcast(&g.cond);
    pthread_mutex_unlock(&g.lock);
    LT_INFO(lg, "eeee"); /* rotation 2, queued behind the first */
    done(lg, h);         /* close waits for the rotation thread */
    cr_assert_eq(g.calls, 2);
    cr_assert_str_eq(gunzip("c.log.2.gz"), "aaaa\nbbbb\n");
    cr_assert_str_eq(gunzip("c.log.1.gz"), "cccc\ndddd\n");
    cr_assert_str_eq(slurp("c.log"), "eeee\n");
    cr_assert_eq(access("c.log.1", F_OK), -1, "no uncompressed backup left");
}

static int failing_rotator(void *arg, const char *source, const char *dest)
{
    (void)arg;
    (void)source;
    (void)dest;
    return LT_EIO;
}

static time_t fake_now;

static time_t fake_clock(void *arg)
{
    (void)arg;
    return fake_now;
}

Test(file_hooks, failed_rotator_keeps_the_file_and_is_reported, .init = cr_redirect_stderr)
{
    lt_file_options o = {.rotator = failing_rotator, .flags = LT_ROTATE_UTC};
    lt_timed_clock clock = {fake_clock, NULL};
    lt_handler *h;
    lt_logger *lg;
    lt_handler_stats st;
    char said[2048] = "";
    size_t n;

    enter_temp_dir();
    fake_now = 1704105000; /* 2024-01-01 10:30:00 UTC */
    cr_assert_eq(lt_timed_rotating_file_handler_new_opts(&h, "t.log", "H", 1, 0, &o), 0);
    cr_assert_eq(lt_handler_control(h, LT_TIMED_CTL_SET_CLOCK, &clock), 0);
    lg = logger_with(h);
    LT_INFO(lg, "before");
    fake_now += 3600;
    LT_INFO(lg, "after");   /* rolls over; the rotator fails on its thread */
    LT_INFO(lg, "reports"); /* the next record reports what the thread met */
    cr_assert_eq(lt_handler_close(h), 0);
    cr_assert_eq(lt_handler_get_stats(h, &st), 0);
    cr_assert_eq(st.dropped, 0);
    cr_assert_geq(st.errors, 1);
    done(lg, h);
    cr_assert_str_eq(slurp("t.log"), "after\nreports\n");
    cr_assert_str_eq(slurp("t.log.2024-01-01_10"), "before\n", "kept under its name, as it was");
    fflush(stderr);
    n = fread(said, 1, sizeof(said) - 1, cr_get_redirected_stderr());
    said[n] = '\0';
    cr_assert_not_null(strstr(said, "(rotator): input/output error"), "%s", said);
}

/* ---- lt_reopen_files() ---- */

Test(file_reopen, reopen_files_follows_a_moved_file)
{
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "f.log", "a", 0), 0);
    lg = logger_with(h);
    LT_INFO(lg, "one");
    cr_assert_eq(rename("f.log", "f.log.old"), 0);
    LT_INFO(lg, "two");
    lt_reopen_files(); /* what a SIGHUP handler calls after logrotate */
    LT_INFO(lg, "three");
    done(lg, h);
    cr_assert_str_eq(slurp("f.log.old"), "one\ntwo\n");
    cr_assert_str_eq(slurp("f.log"), "three\n");
}

/* ---- multiprocess across fork() ---- */

Test(file_multiprocess, parent_and_forked_child_rotate_once_per_threshold)
{
    lt_file_options o = {.multiprocess = true};
    lt_handler *h;
    lt_logger *lg;
    pid_t pid;
    int status;
    size_t total = 0;
    char name[64];

    enter_temp_dir();
    cr_assert_eq(lt_rotating_file_handler_new_opts(&h, "m.log", 2000, 100, &o), 0);
    lg = logger_with(h);
    pid = fork();
    cr_assert_geq(pid, 0);
    for (int i = 0; i < 3000; i++)
        LT_INFO(lg, "%s-%05d-xxxxxxxxxx", pid == 0 ? "child" : "paren", i);
    if (pid == 0)
        _exit(0);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert_eq(status, 0);
    done(lg, h);
    for (int i = 0; i <= 100; i++) {
        struct stat st;

        if (i == 0)
            snprintf(name, sizeof(name), "m.log");
        else
            snprintf(name, sizeof(name), "m.log.%d", i);
        if (stat(name, &st) < 0)
            continue;
        cr_assert_leq(st.st_size, 2000, "%s", name);
        if (i > 0)
            cr_assert_geq(st.st_size, 2000 - 2 * 23, "%s: rotated twice?", name);
        total += count_lines(slurp(name));
    }
    cr_assert_eq(total, 6000, "every line once");
}

/* ---- lt_handlers_control() and the INI keyword ---- */

Test(file_reopen, handlers_control_reopens_every_file_at_once)
{
    lt_handler *a, *b;
    lt_logger *lg;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&a, "a.log", "a", 0), 0);
    cr_assert_eq(lt_watched_file_handler_new(&b, "b.log", "a", 0), 0);
    lg = logger_with(a);
    cr_assert_eq(lt_logger_add_handler(lg, b), 0);
    LT_INFO(lg, "one");
    cr_assert_eq(rename("a.log", "a.old"), 0);
    cr_assert_eq(lt_handlers_control(LT_HANDLER_CTL_REOPEN, NULL), 2, "both file handlers");
    cr_assert_eq(access("a.log", F_OK), 0, "a.log made again at once");
    LT_INFO(lg, "two");
    lt_logger_clear_handlers(lg);
    lt_handler_unref(a);
    lt_handler_unref(b);
    cr_assert_str_eq(slurp("a.old"), "one\n");
    cr_assert_str_eq(slurp("a.log"), "two\n");
    cr_assert_str_eq(slurp("b.log"), "one\ntwo\n");
}

static const char mp_ini[] = "[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=\n"
                             "[logger_root]\nlevel=INFO\nhandlers=h\n"
                             "[handler_h]\nclass=handlers.%s\nargs=('m.log',%s)\n"
                             "kwargs={'multiprocess': True}\n";

Test(file_multiprocess, ini_keyword_on_both_rotating_classes_only)
{
    char text[512];
    lt_error err;

    enter_temp_dir();
    snprintf(text, sizeof(text), mp_ini, "RotatingFileHandler", " 'a', 100, 2");
    cr_assert_eq(lt_config_string(text, strlen(text), "mp.ini", 0, &err), 0, "%s", err.message);
    LT_INFO(lt_get_logger(NULL), "x");
    cr_assert_eq(access("m.log.lock", F_OK), 0, "the lock file is there");
    snprintf(text, sizeof(text), mp_ini, "TimedRotatingFileHandler", " 'S'");
    cr_assert_eq(lt_config_string(text, strlen(text), "mp.ini", 0, &err), 0, "%s", err.message);
    snprintf(text, sizeof(text), mp_ini, "WatchedFileHandler", "");
    cr_assert_eq(lt_config_string(text, strlen(text), "mp.ini", 0, &err), LT_ECONFIG);
    cr_assert_not_null(strstr(err.message, "unexpected keyword argument 'multiprocess'"), "%s",
                       err.message);
    lt_shutdown();
}
