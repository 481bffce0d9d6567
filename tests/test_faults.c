/* tests/test_faults.c - fault injection (issue 9, point 4): the test library
 * logtree_fault (src/sys_fault.c) makes the Nth write, open, rename, send,
 * connect or allocation fail; each row of the tables below says what the
 * host then sees. What is asserted is what a user relies on: the program
 * goes on, one report per streak on stderr, records lost == records counted
 * (lines read back from the real files / received by a real socket in this
 * test, plus lt_handler_error_count(), equal the records logged), and the
 * records after the fault clears land. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <logtree/logtree.h>

#include "json.h"
#include "pyliteral.h"
#include "support.h"
#include "sys.h"

#define N 20 /* records per row */

static void sleep_us(long us)
{
    struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = us % 1000000 * 1000};

    nanosleep(&ts, NULL);
}

/* ---- reading back ---- */

/* How often "rec <i>|" appears in @text, for each i < N. */
static void count_records(const char *text, int seen[N])
{
    for (const char *p = text; (p = strstr(p, "rec ")) != NULL; p += 4) {
        char *end;
        long i = strtol(p + 4, &end, 10);

        if (*end == '|' && i >= 0 && i < N)
            seen[i]++;
    }
}

/* Lines of @path and of its backups @path.1 ... @path.50. */
static void count_files(const char *path, int seen[N])
{
    char name[256];

    count_records(slurp(path), seen);
    for (int i = 1; i <= 50; i++) {
        snprintf(name, sizeof(name), "%s.%d", path, i);
        count_records(slurp(name), seen);
    }
}

static size_t occurrences(const char *text, const char *needle)
{
    size_t n = 0;

    for (const char *p = text; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static char stderr_text[1 << 16];

/* All the library said on stderr so far (redirected by Criterion). */
static const char *said(void)
{
    FILE *f;
    size_t n;

    fflush(stderr);
    f = cr_get_redirected_stderr();
    n = fread(stderr_text, 1, sizeof(stderr_text) - 1, f);
    stderr_text[n] = '\0';
    return stderr_text;
}

static lt_logger *quiet_logger(const char *name, lt_handler *h)
{
    lt_logger *lg = lt_get_logger(name);

    lt_logger_add_handler(lg, h);
    lt_logger_set_level(lg, LT_LEVEL_INFO);
    lt_logger_set_propagate(lg, false);
    return lg;
}

static void set_message_format(lt_handler *h)
{
    lt_percent_options o = {.format = "%(message)s"};
    lt_formatter *f;

    cr_assert_eq(lt_percent_formatter_new(&f, &o, NULL), 0);
    lt_handler_set_formatter(h, f);
    lt_formatter_unref(f);
}

/* What a row's outcome must be: every record is either found once or
 * counted lost (never both, never neither); @lost of them lost exactly when
 * known (-1: whatever the kind decides, still exact); every record from
 * @clean_from on found. */
static void expect_accounted(const char *row, const int seen[N], uint64_t lost_counted, int lost,
                             int clean_from)
{
    int found = 0;

    for (int i = 0; i < N; i++) {
        cr_expect_leq(seen[i], 1, "%s: record %d found %d times", row, i, seen[i]);
        found += seen[i] > 0;
        if (i >= clean_from)
            cr_expect_eq(seen[i], 1, "%s: record %d after the fault cleared is missing", row, i);
    }
    /* the matrix of the report (docs/security.md, "Faults") */
    printf("outcome: %-40s found %2d, counted lost %2llu\n", row, found,
           (unsigned long long)lost_counted);
    cr_expect_eq((uint64_t)found + lost_counted, N, "%s: %d found + %llu counted lost != %d", row,
                 found, (unsigned long long)lost_counted, N);
    if (lost >= 0)
        cr_expect_eq(lost_counted, (uint64_t)lost, "%s: %llu lost, expected %d", row,
                     (unsigned long long)lost_counted, lost);
}

/* ---- write(2) on the file kinds ---- */

enum kind { FILE_KIND, ROTATING_KIND, WATCHED_KIND, FD_KIND };

static const char *kind_name[] = {"file", "rotating", "watched", "fd"};

static lt_handler *file_kind(enum kind k, const char *path, int *fd)
{
    lt_handler *h = NULL;

    *fd = -1;
    switch (k) {
    case FILE_KIND:
        cr_assert_eq(lt_file_handler_new(&h, path, "a", 0), 0);
        break;
    case ROTATING_KIND:
        cr_assert_eq(lt_rotating_file_handler_new(&h, path, "a", 1 << 20, 3, 0), 0);
        break;
    case WATCHED_KIND:
        cr_assert_eq(lt_watched_file_handler_new(&h, path, "a", 0), 0);
        break;
    case FD_KIND:
        *fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        cr_assert_eq(lt_fd_handler_new(&h, *fd), 0);
        break;
    }
    return h;
}

struct write_row {
    int err;
    int lost; /* of the 4 records whose writes fail */
};

static const struct write_row write_rows[] = {
    {ENOSPC, 4}, {EIO, 4}, {EPIPE, 4}, {EDQUOT, 4}, {EINTR, 0}, {EAGAIN, 0},
};

/* Writes 3..6 fail: records 2..5 (from 0) are lost, or retried when the
 * error says "again". One report for the streak, one when it works again. */
Test(faults, write_fails_on_every_file_kind, .init = cr_redirect_stderr)
{
    int before = open_fd_count();

    enter_temp_dir();
    for (int k = FILE_KIND; k <= FD_KIND; k++) {
        for (size_t r = 0; r < sizeof(write_rows) / sizeof(write_rows[0]); r++) {
            const struct write_row *row = &write_rows[r];
            char path[64], name[64];
            int seen[N] = {0}, fd;
            lt_handler *h;
            lt_logger *lg;

            snprintf(name, sizeof(name), "%s-%s", kind_name[k], strerror(row->err));
            snprintf(path, sizeof(path), "w%d-%zu.log", k, r);
            h = file_kind((enum kind)k, path, &fd);
            lt_handler_set_name(h, name);
            set_message_format(h);
            lg = quiet_logger(name, h);
            lt__fault_set(LT__FAULT_WRITE, row->err, 3, 4);
            for (int i = 0; i < N; i++)
                LT_INFO(lg, "rec %d|", i);
            lt__fault_clear(LT__FAULT_WRITE);
            cr_expect_eq(lt__fault_injected(LT__FAULT_WRITE), 4, "%s", name);
            count_files(path, seen);
            expect_accounted(name, seen, lt_handler_error_count(h), row->lost, 6);
            {
                char quoted[80];
                const char *text = said();

                snprintf(quoted, sizeof(quoted), "handler '%s'", name);
                /* one line for the streak and one "works again", or none */
                cr_expect_eq(occurrences(text, quoted), row->lost ? 2u : 0u, "%s:\n%s", name, text);
            }
            lt_logger_remove_handler(lg, h);
            lt_handler_unref(h);
            if (fd >= 0)
                close(fd);
        }
    }
    cr_expect_eq(open_fd_count(), before);
}

/* ---- open(2) and rename(2): rotation, reopen, a delayed open ---- */

enum scene {
    ROTATE,        /* a RotatingFileHandler of 30 bytes: a rotation every few records */
    WATCHED_MOVED, /* a WatchedFileHandler whose file is moved away (logrotate's create) */
    REOPEN,        /* a FileHandler asked to reopen (lt_reopen_files()) after a move */
    DELAYED,       /* a FileHandler with LT_FILE_DELAY: opened at the first record */
};

static const char *scene_name[] = {"rotate", "watched-moved", "reopen", "delayed"};

struct fs_row {
    enum scene scene;
    enum lt__fault_kind call;
    int err;
    int lost; /* -1: as the kind decides (still counted exactly) */
};

/* Records 6..13 meet the fault (every call of the kind fails), then it
 * clears and records 14..19 must all land (DELAYED: records 0..2, then
 * 3..19). */
static const struct fs_row fs_rows[] = {
    {ROTATE, LT__FAULT_OPEN, ENOSPC, -1},     {ROTATE, LT__FAULT_OPEN, EIO, -1},
    {ROTATE, LT__FAULT_OPEN, EMFILE, -1},     {ROTATE, LT__FAULT_OPEN, EINTR, -1},
    {ROTATE, LT__FAULT_RENAME, EIO, 0},       {ROTATE, LT__FAULT_RENAME, EACCES, 0},
    {ROTATE, LT__FAULT_RENAME, ENOSPC, 0},    {WATCHED_MOVED, LT__FAULT_OPEN, ENOSPC, -1},
    {WATCHED_MOVED, LT__FAULT_OPEN, EIO, -1}, {WATCHED_MOVED, LT__FAULT_OPEN, EACCES, -1},
    {REOPEN, LT__FAULT_OPEN, EIO, -1},        {REOPEN, LT__FAULT_OPEN, ENOSPC, -1},
    {DELAYED, LT__FAULT_OPEN, EACCES, -1},    {DELAYED, LT__FAULT_OPEN, EIO, -1},
};

static const char *call_name[] = {"write", "open", "rename", "send", "connect", "alloc"};

Test(faults, open_and_rename_fail_in_rotation_and_reopen, .init = cr_redirect_stderr)
{
    int before = open_fd_count();

    enter_temp_dir();
    for (size_t r = 0; r < sizeof(fs_rows) / sizeof(fs_rows[0]); r++) {
        const struct fs_row *row = &fs_rows[r];
        char path[64], moved[80], name[96], quoted[128];
        int seen[N] = {0};
        lt_handler *h = NULL;
        lt_logger *lg;

        snprintf(name, sizeof(name), "%s-%s-%s", scene_name[row->scene], call_name[row->call],
                 strerror(row->err));
        snprintf(path, sizeof(path), "fs%zu.log", r);
        snprintf(moved, sizeof(moved), "%s.1", path);
        switch (row->scene) {
        case ROTATE:
            cr_assert_eq(lt_rotating_file_handler_new(&h, path, "a", 30, 50, 0), 0);
            break;
        case WATCHED_MOVED:
            cr_assert_eq(lt_watched_file_handler_new(&h, path, "a", 0), 0);
            break;
        case REOPEN:
            cr_assert_eq(lt_file_handler_new(&h, path, "a", 0), 0);
            break;
        case DELAYED:
            cr_assert_eq(lt_file_handler_new(&h, path, "a", LT_FILE_DELAY), 0);
            break;
        }
        lt_handler_set_name(h, name);
        set_message_format(h);
        lg = quiet_logger(name, h);
        int from = row->scene == DELAYED ? 0 : 6, until = row->scene == DELAYED ? 3 : 14;

        for (int i = 0; i < N; i++) {
            if (i == from) {
                if (row->scene == WATCHED_MOVED || row->scene == REOPEN)
                    cr_assert_eq(rename(path, moved), 0);
                lt__fault_set(row->call, row->err, 1, 0);
                if (row->scene == REOPEN)
                    lt_reopen_files();
            }
            if (i == until)
                lt__fault_clear(row->call);
            LT_INFO(lg, "rec %d|", i);
        }
        cr_expect_gt(lt__fault_injected(row->call), 0, "%s: the fault was never met", name);
        count_files(path, seen);
        expect_accounted(name, seen, lt_handler_error_count(h), row->lost, until);
        snprintf(quoted, sizeof(quoted), "handler '%s'", name);
        cr_expect_eq(occurrences(said(), quoted), 2u, "%s: one report, one \"works again\":\n%s",
                     name, said());
        lt_logger_remove_handler(lg, h);
        lt_handler_unref(h);
    }
    cr_expect_eq(open_fd_count(), before);
}

/* ---- send(2) and connect(2): a real TCP receiver in this process ---- */

struct receiver {
    int listen_fd, port, stop[2];
    bool slam; /* close each connection at once, reading nothing */
    pthread_t thread;
    pthread_mutex_t lock;
    char text[1 << 16];
    size_t len;
    int accepted;
    int open; /* connections not yet read to their end */
};

static void *receive(void *arg)
{
    struct receiver *rv = arg;
    struct pollfd fds[16];
    int n = 2;

    fds[0] = (struct pollfd){.fd = rv->listen_fd, .events = POLLIN};
    fds[1] = (struct pollfd){.fd = rv->stop[0], .events = POLLIN};
    while (poll(fds, (nfds_t)n, -1) >= 0 && !(fds[1].revents & (POLLIN | POLLHUP))) {
        if (fds[0].revents & POLLIN) {
            int c = accept(rv->listen_fd, NULL, NULL);

            if (c >= 0) {
                pthread_mutex_lock(&rv->lock);
                rv->accepted++;
                pthread_mutex_unlock(&rv->lock);
            }
            if (c >= 0 && (rv->slam || n == 16)) {
                close(c);
            } else if (c >= 0) {
                fds[n++] = (struct pollfd){.fd = c, .events = POLLIN};
                pthread_mutex_lock(&rv->lock);
                rv->open++;
                pthread_mutex_unlock(&rv->lock);
            }
        }
        for (int i = 2; i < n; i++) {
            char buf[4096];
            ssize_t got;

            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            got = read(fds[i].fd, buf, sizeof(buf));
            if (got <= 0) {
                close(fds[i].fd);
                fds[i--] = fds[--n];
                pthread_mutex_lock(&rv->lock);
                rv->open--;
                pthread_mutex_unlock(&rv->lock);
                continue;
            }
            pthread_mutex_lock(&rv->lock);
            if (rv->len + (size_t)got < sizeof(rv->text)) {
                memcpy(rv->text + rv->len, buf, (size_t)got);
                rv->len += (size_t)got;
            }
            pthread_mutex_unlock(&rv->lock);
        }
    }
    for (int i = 2; i < n; i++)
        close(fds[i].fd);
    return NULL;
}

static void receiver_start(struct receiver *rv, bool slam)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof(a);

    memset(rv, 0, sizeof(*rv));
    rv->slam = slam;
    pthread_mutex_init(&rv->lock, NULL);
    rv->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    cr_assert(rv->listen_fd >= 0);
    cr_assert_eq(bind(rv->listen_fd, (struct sockaddr *)&a, sizeof(a)), 0);
    cr_assert_eq(listen(rv->listen_fd, 16), 0);
    cr_assert_eq(getsockname(rv->listen_fd, (struct sockaddr *)&a, &alen), 0);
    rv->port = ntohs(a.sin_port);
    cr_assert_eq(pipe(rv->stop), 0);
    cr_assert_eq(pthread_create(&rv->thread, NULL, receive, rv), 0);
}

/* Stop once every connection (the handler is closed by now) has been read
 * to its end, waiting at most 10 s for a loaded machine; then the text
 * received. */
static const char *receiver_stop(struct receiver *rv)
{
    for (int i = 0; i < 1000; i++) {
        bool done;

        struct pollfd pending = {.fd = rv->listen_fd, .events = POLLIN};

        pthread_mutex_lock(&rv->lock);
        done = rv->open == 0;
        pthread_mutex_unlock(&rv->lock);
        if (done && poll(&pending, 1, 0) == 0) /* and no connection waits for accept() */
            break;
        sleep_us(10000);
    }
    cr_assert_eq(write(rv->stop[1], "x", 1), 1);
    pthread_join(rv->thread, NULL);
    close(rv->stop[0]);
    close(rv->stop[1]);
    close(rv->listen_fd);
    pthread_mutex_destroy(&rv->lock);
    rv->text[rv->len] = '\0';
    return rv->text;
}

enum net_kind { SOCKET_LINES, SYSLOG_TCP };

static const char *net_kind_name[] = {"socket", "syslog-tcp"};

static lt_handler *net_handler(enum net_kind k, int port, size_t queue)
{
    lt_net_options net = {.retry_start = 0.01,
                          .retry_factor = 1.0,
                          .retry_max = 0.01,
                          .timeout = 1.0,
                          .queue_size = queue};
    lt_handler *h = NULL;

    if (k == SOCKET_LINES) {
        lt_socket_options o = {.wire = LT_WIRE_LINES, .net = net};

        cr_assert_eq(lt_socket_handler_new(&h, "127.0.0.1", port, &o), 0);
    } else {
        lt_syslog_options o = {
            .host = "127.0.0.1", .port = port, .socktype = SOCK_STREAM, .net = net};

        cr_assert_eq(lt_syslog_handler_new(&h, &o), 0);
    }
    set_message_format(h);
    return h;
}

struct net_row {
    enum net_kind kind;
    enum lt__fault_kind call;
    int err;
    unsigned long nth, count; /* count 0: until record 15 is logged */
    size_t queue;             /* 0: the default (1000) */
    int lost;                 /* -1: what overflowed the queue, counted exactly */
};

static const struct net_row net_rows[] = {
    {SOCKET_LINES, LT__FAULT_SEND, EPIPE, 3, 1, 0, 0},
    {SOCKET_LINES, LT__FAULT_SEND, ECONNRESET, 3, 1, 0, 0},
    {SOCKET_LINES, LT__FAULT_SEND, EPIPE, 3, 5, 0, 0},
    {SOCKET_LINES, LT__FAULT_SEND, EINTR, 3, 2, 0, 0},
    {SOCKET_LINES, LT__FAULT_SEND, EAGAIN, 3, 2, 0, 0},
    {SOCKET_LINES, LT__FAULT_SEND, ENOMEM, 3, 1, 0, 0},
    {SOCKET_LINES, LT__FAULT_CONNECT, ECONNREFUSED, 1, 3, 0, 0},
    {SOCKET_LINES, LT__FAULT_CONNECT, ECONNRESET, 1, 3, 0, 0},
    {SOCKET_LINES, LT__FAULT_CONNECT, ENOMEM, 1, 1, 0, 0},
    {SYSLOG_TCP, LT__FAULT_SEND, EPIPE, 3, 1, 0, 0},
    {SYSLOG_TCP, LT__FAULT_SEND, ECONNRESET, 3, 5, 0, 0},
    {SYSLOG_TCP, LT__FAULT_SEND, EINTR, 3, 2, 0, 0},
    {SYSLOG_TCP, LT__FAULT_CONNECT, ECONNREFUSED, 1, 3, 0, 0},
    {SYSLOG_TCP, LT__FAULT_CONNECT, ECONNRESET, 1, 2, 0, 0},
    /* the peer away for 15 records with room for 5: 10 dropped (11 when record
     * 15 comes before the next retry is due), counted, said once */
    {SOCKET_LINES, LT__FAULT_CONNECT, ECONNREFUSED, 1, 0, 5, -1},
    {SYSLOG_TCP, LT__FAULT_CONNECT, ETIMEDOUT, 1, 0, 5, -1},
};

/* The fault meets the first records; the handler queues, reconnects after
 * its backoff (10 ms here) and sends what waited. Whatever is still queued
 * at close is counted lost; nothing else may go missing. */
Test(faults, send_and_connect_fail_on_tcp_handlers, .init = cr_redirect_stderr)
{
    int before = open_fd_count();

    for (size_t r = 0; r < sizeof(net_rows) / sizeof(net_rows[0]); r++) {
        const struct net_row *row = &net_rows[r];
        struct receiver rv;
        char name[96], quoted[128];
        int seen[N] = {0};
        lt_handler *h;
        lt_logger *lg;
        size_t queued = 1;
        const char *text;

        snprintf(name, sizeof(name), "%s-%s-%s", net_kind_name[row->kind], call_name[row->call],
                 strerror(row->err));
        receiver_start(&rv, false);
        h = net_handler(row->kind, rv.port, row->queue);
        lt_handler_set_name(h, name);
        lg = quiet_logger(name, h);
        lt__fault_set(row->call, row->err, row->nth, row->count);
        for (int i = 0; i < N; i++) {
            if (i == 15 && row->count == 0)
                lt__fault_clear(row->call);
            LT_INFO(lg, "rec %d|", i);
            sleep_us(2000);
        }
        /* the backoff is over long before 2 s: what waits goes at a flush */
        for (int i = 0; i < 200 && queued > 0; i++) {
            sleep_us(10000);
            lt_handler_flush(h);
            cr_assert_eq(lt_handler_control(h, LT_NET_CTL_QUEUED, &queued), 0);
        }
        if (row->count)
            cr_expect_eq(lt__fault_injected(row->call), row->count, "%s", name);
        lt__fault_clear(row->call);
        lt_handler_close(h);
        count_records(receiver_stop(&rv), seen);
        expect_accounted(name, seen, lt_handler_error_count(h), row->lost, 15);
        snprintf(quoted, sizeof(quoted), "handler '%s'", name);
        text = said();
        /* a reconnect that delivers the queue is not reported, as in Python;
         * a loss is, once per streak (its end is said at the next record that
         * goes out at once, which may be after the test's last one) */
        cr_expect_eq(occurrences(text, quoted) - occurrences(text, ") works again"),
                     row->lost ? 1u : 0u, "%s: said\n%s", name, text);
        cr_expect_leq(occurrences(text, ") works again"), 1u, "%s: said\n%s", name, text);
        if (row->lost < 0)
            cr_expect_geq(lt_handler_error_count(h), 10, "%s", name);
        lt_logger_remove_handler(lg, h);
        lt_handler_unref(h);
    }
    cr_expect_eq(open_fd_count(), before);
}

/* ---- SIGPIPE at its default disposition never kills the host ---- */

Test(faults, sigpipe_from_a_peer_that_closes_never_kills, .init = cr_redirect_stderr)
{
    struct receiver rv;
    lt_handler *h;
    lt_logger *lg;
    int before = open_fd_count(), p[2], seen[N] = {0};

    signal(SIGPIPE, SIG_DFL);
    /* a real peer that accepts and closes every connection at once */
    for (int k = SOCKET_LINES; k <= SYSLOG_TCP; k++) {
        receiver_start(&rv, true);
        h = net_handler((enum net_kind)k, rv.port, 0);
        lt_handler_set_name(h, net_kind_name[k]);
        lg = quiet_logger(net_kind_name[k], h);
        for (int i = 0; i < N; i++) {
            LT_INFO(lg, "rec %d|", i);
            sleep_us(5000);
        }
        lt_handler_close(h);
        receiver_stop(&rv);
        cr_expect_gt(rv.accepted, 1, "%s: it reconnected after the peer closed", net_kind_name[k]);
        lt_logger_remove_handler(lg, h);
        lt_handler_unref(h);
    }
    /* a pipe whose reader is gone, given to an fd handler (a log shipper that died) */
    cr_assert_eq(pipe(p), 0);
    close(p[0]);
    cr_assert_eq(lt_fd_handler_new(&h, p[1]), 0);
    lt_handler_set_name(h, "pipe");
    set_message_format(h);
    lg = quiet_logger("pipe", h);
    for (int i = 0; i < N; i++)
        LT_INFO(lg, "rec %d|", i);
    expect_accounted("fd-pipe-reader-gone", seen, lt_handler_error_count(h), N, N);
    cr_expect_eq(occurrences(said(), "handler 'pipe'"), 1u, "%s", said());
    lt_logger_remove_handler(lg, h);
    lt_handler_unref(h);
    close(p[1]);
    /* the same through stdio (a StreamHandler on a FILE *, stdout | head) */
    {
        FILE *fp;

        cr_assert_eq(pipe(p), 0);
        close(p[0]);
        fp = fdopen(p[1], "w");
        cr_assert_eq(lt_stream_handler_new(&h, fp), 0);
        lt_handler_set_name(h, "stdio-pipe");
        set_message_format(h);
        lg = quiet_logger("stdio-pipe", h);
        for (int i = 0; i < N; i++)
            LT_INFO(lg, "rec %d|", i);
        expect_accounted("stream-pipe-reader-gone", seen, lt_handler_error_count(h), N, N);
        cr_expect_eq(occurrences(said(), "handler 'stdio-pipe'"), 1u);
        lt_logger_remove_handler(lg, h);
        lt_handler_unref(h);
        fclose(fp);
    }
    cr_expect_eq(open_fd_count(), before);
}

/* ---- allocation failures: the k-th, for every k ---- */

/* A config file (INI, or JSON when @json) with a file, a rotating and a TCP
 * socket handler (to the receiver @port), in async mode when @async, loaded; N records logged;
 * everything shut down. */
static int alloc_scenario(int port, bool async, bool json, int *config_result)
{
    char ini[2048];
    FILE *f;
    lt_error err;
    lt_logger *lg;
    int seen[N] = {0}, missing = 0;

    snprintf(ini, sizeof(ini),
             "[loggers]\nkeys=root,app\n\n[handlers]\nkeys=file,rot,sock\n\n"
             "[formatters]\nkeys=plain\n\n"
             "[logger_root]\nlevel=WARNING\nhandlers=\n\n"
             "[logger_app]\nlevel=INFO\nhandlers=file,rot,sock\nqualname=app\npropagate=0\n\n"
             "[handler_file]\nclass=FileHandler\nargs=('app.log', 'a')\nformatter=plain\n\n"
             "[handler_rot]\nclass=handlers.RotatingFileHandler\n"
             "args=('rot.log', 'a', 200, 3)\nformatter=plain\n\n"
             "[handler_sock]\nclass=handlers.SocketHandler\nargs=('127.0.0.1', %d)\n\n"
             "[formatter_plain]\nformat=%%(levelname)s %%(name)s %%(message)s\n%s",
             port, async ? "\n[logtree]\nasync = on\nring_size = 64KiB\noverflow = block\n" : "");
    if (json) /* the same as Python's dictConfig schema (lt_config_file() tells by content) */
        snprintf(ini, sizeof(ini),
                 "{\"version\": 1,\n"
                 " \"formatters\": {\"plain\": {\"format\": \"%%(levelname)s %%(name)s "
                 "%%(message)s\"}},\n"
                 " \"handlers\": {\n"
                 "  \"file\": {\"class\": \"logging.FileHandler\", \"filename\": \"app.log\",\n"
                 "           \"formatter\": \"plain\"},\n"
                 "  \"rot\": {\"class\": \"logging.handlers.RotatingFileHandler\",\n"
                 "          \"filename\": \"rot.log\", \"maxBytes\": 200, \"backupCount\": 3,\n"
                 "          \"formatter\": \"plain\"},\n"
                 "  \"sock\": {\"class\": \"logging.handlers.SocketHandler\",\n"
                 "           \"host\": \"127.0.0.1\", \"port\": %d}},\n"
                 " \"loggers\": {\"app\": {\"level\": \"INFO\", \"handlers\": [\"file\", \"rot\", "
                 "\"sock\"],\n"
                 "                       \"propagate\": false}},\n"
                 " \"root\": {\"level\": \"WARNING\"}%s}\n",
                 port, async ? ",\n \"logtree\": {\"async\": true, \"overflow\": \"block\"}" : "");
    f = fopen("logging.conf", "w");
    cr_assert(f);
    fputs(ini, f);
    fclose(f);
    unlink("app.log");
    *config_result = lt_config_file("logging.conf", 0, &err);
    lg = lt_get_logger("app.db");
    for (int i = 0; i < N; i++)
        LT_INFO(lg, "rec %d| with a field", i);
    lt_shutdown();
    count_records(slurp("app.log"), seen);
    for (int i = 0; i < N; i++) {
        cr_expect_leq(seen[i], 1, "record %d twice", i);
        missing += seen[i] == 0;
    }
    return missing;
}

/* A TCP peer in a child process that reads and discards (its descriptors
 * are not this process's, which the fd check counts). Returns its port. */
static int sink_start(pid_t *pid, int *stop)
{
    struct receiver rv;
    int p[2];

    cr_assert_eq(pipe(p), 0);
    receiver_start(&rv, false); /* only for its listening socket */
    cr_assert_eq(write(rv.stop[1], "x", 1), 1);
    pthread_join(rv.thread, NULL);
    close(rv.stop[0]);
    close(rv.stop[1]);
    *pid = fork();
    cr_assert(*pid >= 0);
    if (*pid == 0) {
        close(p[1]);
        rv.stop[0] = p[0];
        rv.stop[1] = -1;
        receive(&rv);
        _exit(0);
    }
    close(p[0]);
    close(rv.listen_fd);
    pthread_mutex_destroy(&rv.lock);
    *stop = p[1];
    return rv.port;
}

static void alloc_sweep(bool async, bool json)
{
    unsigned long total;
    int before, config_result, missing, failed_config = 0, port, stop;
    pid_t sink;

    enter_temp_dir();
    port = sink_start(&sink, &stop);
    before = open_fd_count();
    lt__fault_set(LT__FAULT_ALLOC, ENOMEM, 0, 0); /* count only */
    missing = alloc_scenario(port, async, json, &config_result);
    total = lt__fault_calls(LT__FAULT_ALLOC);
    cr_assert_eq(config_result, 0);
    cr_assert_eq(missing, 0);
    cr_assert_gt(total, 50, "the scenario allocates (%lu)", total);
    /* the k-th alone, then every one from the k-th on (memory gone for good) */
    for (unsigned long k = 1; k <= 2 * total; k++) {
        uint64_t lost_before = lt_error_count();

        lt__fault_set(LT__FAULT_ALLOC, ENOMEM, k <= total ? k : k - total, k <= total);
        missing = alloc_scenario(port, async, json, &config_result);
        cr_expect(config_result == 0 || config_result == LT_ENOMEM,
                  "allocation %lu: the config failed with %s, not LT_ENOMEM", k,
                  lt_strerror(config_result));
        failed_config += config_result != 0;
        /* a record missing from app.log is a counted loss, never a silent one */
        if (config_result == 0)
            cr_expect_leq((uint64_t)missing, lt_error_count() - lost_before,
                          "allocation %lu: %d records missing, %llu counted", k, missing,
                          (unsigned long long)(lt_error_count() - lost_before));
        cr_expect_eq(open_fd_count(), before, "allocation %lu: fds leaked", k);
        (void)said(); /* the reports, read so the redirect never fills */
    }
    lt__fault_clear(LT__FAULT_ALLOC);
    printf("outcome: alloc sweep (%s, %s): %lu allocations, each failed alone and then from it on; "
           "the config failed cleanly (LT_ENOMEM) %d times of %lu\n",
           json ? "JSON" : "INI", async ? "async" : "sync", total, failed_config, 2 * total);
    close(stop);
    cr_expect_eq(waitpid(sink, NULL, 0), sink);
}

Test(faults, every_allocation_failure_is_survived_and_accounted, .init = cr_redirect_stderr,
     .timeout = 240)
{
    alloc_sweep(false, false);
}

Test(faults, every_allocation_failure_is_survived_and_accounted_async, .init = cr_redirect_stderr,
     .timeout = 240)
{
    alloc_sweep(true, false);
}

Test(faults, every_allocation_failure_is_survived_and_accounted_json, .init = cr_redirect_stderr,
     .timeout = 240)
{
    alloc_sweep(false, true);
}

Test(faults, every_allocation_failure_is_survived_and_accounted_json_async,
     .init = cr_redirect_stderr, .timeout = 240)
{
    alloc_sweep(true, true);
}

/* ---- the config readers: every allocation of a parse failed ---- */

/* Strings longer than what a reader keeps on its stack (a key, a value, a
 * name), ending in escapes that encode to UTF-8 (a surrogate pair, a NUL),
 * and empty ones (still a string the caller free()s). */
#define LONG_RUN 150
#define TAIL     "\xc3\xa9\xf0\x9f\x98\x80\0z" /* U+00E9 U+1F600 U+0000 'z' */

static char json_text[2 * LONG_RUN + 100], py_text[LONG_RUN + 100], name_text[LONG_RUN + 10];

static void reader_texts(void)
{
    char run[LONG_RUN + 1], key[LONG_RUN + 1], name[LONG_RUN + 1];

    memset(run, 'x', LONG_RUN);
    memset(key, 'k', LONG_RUN);
    memset(name, 'n', LONG_RUN);
    run[LONG_RUN] = key[LONG_RUN] = name[LONG_RUN] = '\0';
    snprintf(json_text, sizeof(json_text),
             "{\"%s\": [\"%s\\u00e9\\ud83d\\ude00\\u0000z\", \"\", \"sys\"]}", key, run);
    snprintf(py_text, sizeof(py_text), "('%s' '\\xe9\\U0001F600\\0z', '', sys.stdout)", run);
    snprintf(name_text, sizeof(name_text), "(%s,)", name);
}

/* The long string (@lp, @ll: LONG_RUN 'x's then TAIL, NUL-terminated,
 * nothing lost) and the empty one (@ep, @el: "", not NULL) a reader gave. */
static void expect_strings(const char *lp, size_t ll, const char *ep, size_t el, const char *what)
{
    char want[LONG_RUN + sizeof(TAIL)];

    memset(want, 'x', LONG_RUN);
    memcpy(want + LONG_RUN, TAIL, sizeof(TAIL));
    cr_expect_eq(ll, sizeof(want) - 1, "%s: length %zu", what, ll);
    cr_expect(lp && ll == sizeof(want) - 1 && memcmp(lp, want, sizeof(want)) == 0, "%s: the bytes",
              what);
    cr_expect_eq(el, 0u, "%s", what);
    cr_expect(ep && ep[0] == '\0', "%s: the empty string is a string, not NULL", what);
}

static int run_json(lt_error *err)
{
    lt__json *v = NULL, *arr;
    int rc = lt__json_parse(json_text, strlen(json_text), "c.json", &v, err);

    if (rc == 0) {
        const struct lt__json_member *m = &v->as.obj.members[0];

        cr_assert(v->kind == LT__JSON_OBJECT && v->as.obj.n == 1);
        cr_expect_eq(m->key_len, (size_t)LONG_RUN);
        cr_expect(strspn(m->key, "k") == LONG_RUN && m->key[LONG_RUN] == '\0', "the long key");
        arr = m->value;
        cr_assert(arr->kind == LT__JSON_ARRAY && arr->as.arr.n == 3);
        expect_strings(arr->as.arr.items[0]->as.str.ptr, arr->as.arr.items[0]->as.str.len,
                       arr->as.arr.items[1]->as.str.ptr, arr->as.arr.items[1]->as.str.len, "JSON");
        cr_expect_str_eq(arr->as.arr.items[2]->as.str.ptr, "sys");
    } else {
        cr_expect_null(v, "no value with an error");
    }
    lt__json_free(v);
    return rc;
}

static int run_py(lt_error *err)
{
    lt__pyval *v = NULL;
    int rc = lt__py_parse(py_text, &v, err);

    if (rc == 0) {
        cr_assert(v->kind == LT__PY_TUPLE && v->as.tuple.n == 3);
        expect_strings(v->as.tuple.items[0]->as.str.ptr, v->as.tuple.items[0]->as.str.len,
                       v->as.tuple.items[1]->as.str.ptr, v->as.tuple.items[1]->as.str.len,
                       "Python");
        cr_expect_eq(v->as.tuple.items[2]->kind, LT__PY_NAME);
        cr_expect_str_eq(v->as.tuple.items[2]->as.str.ptr, "sys.stdout");
    } else {
        cr_expect_null(v, "no value with an error");
    }
    lt__py_free(v);
    return rc;
}

/* A long unknown name: refused, the whole of it in the message. */
static int run_py_name(lt_error *err)
{
    lt__pyval *v = NULL;
    int rc = lt__py_parse(name_text, &v, err);

    cr_expect_null(v);
    if (rc == LT_EUNKNOWN) {
        char want[LONG_RUN + 40];

        snprintf(want, sizeof(want), "name '%.*s' is not defined", LONG_RUN, name_text + 1);
        cr_expect_str_eq(err->message, want);
    }
    lt__py_free(v);
    return rc;
}

/* @run's outcome (@want) without faults, then with the k-th allocation
 * failed, alone and then for good from it on: the outcome again (the same
 * value, checked by @run), or LT_ENOMEM said as "out of memory". */
static void reader_sweep(const char *what, int (*run)(lt_error *), int want)
{
    lt_error err;
    unsigned long total;
    int rc, failed = 0;

    lt__fault_set(LT__FAULT_ALLOC, ENOMEM, 0, 0); /* count only */
    rc = run(&err);
    cr_assert_eq(rc, want, "%s: %s (%s)", what, lt_strerror(rc), err.message);
    total = lt__fault_calls(LT__FAULT_ALLOC);
    cr_assert_gt(total, 0u, "%s allocates", what);
    for (unsigned long k = 1; k <= 2 * total; k++) {
        lt__fault_set(LT__FAULT_ALLOC, ENOMEM, k <= total ? k : k - total, k <= total);
        rc = run(&err);
        cr_expect(rc == want || rc == LT_ENOMEM, "%s, allocation %lu failed: %s (%s)", what, k,
                  lt_strerror(rc), err.message);
        if (rc == LT_ENOMEM)
            cr_expect_str_eq(err.message, "out of memory", "%s, allocation %lu", what, k);
        failed += rc == LT_ENOMEM;
    }
    lt__fault_clear(LT__FAULT_ALLOC);
    cr_expect_gt(failed, 0, "%s: some failure is reported", what);
}

Test(faults, readers_fail_cleanly_at_every_allocation)
{
    reader_texts();
    reader_sweep("JSON", run_json, 0);
    reader_sweep("Python literal", run_py, 0);
    reader_sweep("Python name", run_py_name, LT_EUNKNOWN);
}

/* ---- errno ---- */

/* A call leaves errno as it found it, also one that waited for room in a
 * full ring while what it tried meanwhile failed and set errno: here the
 * overflow policy grows the ring and every allocation fails (ENOMEM). The
 * backend is held in a handler's filter until another thread lets it go. */
static atomic_bool backend_held;

static bool hold_backend(void *userdata, lt_record *rec)
{
    (void)userdata;
    (void)rec;
    while (atomic_load(&backend_held))
        sleep_us(1000);
    return true;
}

static void *release_backend(void *arg)
{
    (void)arg;
    sleep_us(200 * 1000);
    atomic_store(&backend_held, false);
    return NULL;
}

Test(faults, a_call_that_waited_for_room_leaves_errno_alone, .init = cr_redirect_stderr)
{
    lt_logger *lg = lt_get_logger("errno");
    char text[1001];
    lt_filter *hold;
    lt_handler *h;

    memset(text, 't', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    cr_assert_eq(lt_null_handler_new(&h), 0);
    cr_assert_eq(lt_callback_filter_new(&hold, hold_backend, NULL, NULL), 0);
    cr_assert_eq(lt_handler_add_filter(h, hold), 0); /* a handler's filters run on the backend */
    lt_filter_unref(hold);
    cr_assert_eq(lt_logger_add_handler(lg, h), 0);
    lt_handler_unref(h);
    lt_logger_set_level(lg, LT_LEVEL_INFO);
    cr_assert_eq(lt_async_start(&(lt_async_options){.ring_size = 4096, .overflow = LT_ASYNC_GROW}),
                 0);
    for (int path = 0; path < 3; path++) {
        pthread_t releaser;

        atomic_store(&backend_held, true);
        LT_INFO(lg, "the backend waits in the filter with this one");
        for (int i = 0; i < 3; i++)
            LT_INFO(lg, "%s", text); /* 1,072 bytes each: the next one does not fit */
        lt__fault_set(LT__FAULT_ALLOC, ENOMEM, 1, 0);
        cr_assert_eq(pthread_create(&releaser, NULL, release_backend, NULL), 0);
        errno = EDOM;
        switch (path) {
        case 0: LT_INFO(lg, "%s", text); break; /* the short path */
        case 1: LT_INFO(lg, "%s", text, LT_F("k", 1)); break; /* lt_log_at() */
        default: lt_log_text_at(lg, LT_LEVEL_INFO, NULL, text, strlen(text)); break;
        }
        cr_expect_eq(errno, EDOM, "path %d: errno %d", path, errno);
        cr_expect_gt(lt__fault_injected(LT__FAULT_ALLOC), 0, "path %d: the ring never grew", path);
        lt__fault_clear(LT__FAULT_ALLOC);
        pthread_join(releaser, NULL);
        cr_assert_eq(lt_flush(), 0);
    }
    lt_shutdown();
}
