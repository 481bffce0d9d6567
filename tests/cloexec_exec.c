/* tests/cloexec_exec.c - issue 9 (slice 9c): every descriptor logtree
 * opens is close-on-exec. The program configures every handler kind with a
 * live peer (file, watched, rotating with its lock, timed after a rollover,
 * syslog over UDP, TCP and a Unix socket, socket over TCP, datagram over
 * UDP, journal over a Unix socket with an entry big enough for a memfd),
 * the config watcher's pipe, asynchronous mode and the flush timer; logs
 * through all of them; then forks and execs itself with --list-fds, and
 * the new image reports every descriptor above stderr it inherited. Any is
 * a failure. A plain program: no test runner's descriptors get in the way
 * (those open at start, if any, are marked close-on-exec by the child). */
#define _GNU_SOURCE /* accept4() */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <logtree/logtree.h>

#define MAX_FD 4096
/* Peers that do not read must not hold the run up for seconds. */
#define QUICK ((lt_net_options){.timeout = 0.1})

static int fail(const char *what)
{
    fprintf(stderr, "cloexec_exec: %s: %s\n", what, strerror(errno));
    exit(1);
}

static int list_fds(void)
{
    int n = 0;

    for (int fd = 3; fd < MAX_FD; fd++) {
        char link[64], target[512];
        ssize_t len;

        if (fcntl(fd, F_GETFD) < 0)
            continue;
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        len = readlink(link, target, sizeof(target) - 1);
        target[len > 0 ? len : 0] = '\0';
        printf("inherited fd %d -> %s\n", fd, target);
        n++;
    }
    return n == 0 ? 0 : 1;
}

/* A peer of the test's own, close-on-exec itself. */
static int listener(int type, struct sockaddr_in *addr)
{
    socklen_t len = sizeof(*addr);
    int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);

    memset(addr, 0, sizeof(*addr));
    addr->sin_family = AF_INET;
    addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)addr, sizeof(*addr)) < 0 ||
        (type == SOCK_STREAM && listen(fd, 8) < 0) ||
        getsockname(fd, (struct sockaddr *)addr, &len) < 0)
        fail("listener");
    return fd;
}

static int unix_peer(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
        fail("unix peer");
    /* journald's entries over a memfd need a big buffer only on the
     * sender's side; the peer need not read. */
    return fd;
}

/* What the datagram peers got: read, so that no sender waits at exit. */
static void drain(int fd)
{
    char buf[65536];

    while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
        ;
}

static void add(lt_logger *lg, int r, lt_handler *h, const char *what)
{
    if (r < 0) {
        fprintf(stderr, "cloexec_exec: %s: %s\n", what, lt_strerror(r));
        exit(1);
    }
    lt_logger_add_handler(lg, h);
    lt_handler_unref(h);
}

int main(int argc, char **argv)
{
    char dir[] = "/tmp/lt-cloexec-XXXXXX", path[256], big[300000];
    bool open_at_start[MAX_FD] = {false};
    struct sockaddr_in tcp, udp;
    lt_file_options mp = {.multiprocess = true, .fsync = true};
    lt_file_options held = {.flush_records = 100, .flush_ms = 50};
    lt_handler *h, *journal;
    lt_logger *lg, *big_lg;
    lt_async_options ao = {0};
    lt_socket_options quick = {.net = QUICK};
    int tcp_fd, udp_fd, sys_fd, jour_fd, status, accepted[2];
    pid_t pid;
    FILE *ini;

    if (argc > 1 && strcmp(argv[1], "--list-fds") == 0)
        return list_fds();
    for (int fd = 3; fd < MAX_FD; fd++)
        open_at_start[fd] = fcntl(fd, F_GETFD) >= 0;
    if (!mkdtemp(dir) || chdir(dir) < 0)
        fail("temporary directory");
    tcp_fd = listener(SOCK_STREAM, &tcp);
    udp_fd = listener(SOCK_DGRAM, &udp);
    sys_fd = unix_peer("syslog.sock");
    jour_fd = unix_peer("journal.sock");

    /* The config watcher (a pipe and a thread), with a file handler. */
    if (!(ini = fopen("log.ini", "we")))
        fail("log.ini");
    fputs("[loggers]\nkeys=root\n[handlers]\nkeys=f\n[formatters]\nkeys=\n"
          "[logger_root]\nlevel=DEBUG\nhandlers=f\n"
          "[handler_f]\nclass=FileHandler\nargs=('config.log',)\n",
          ini);
    fclose(ini);
    if (lt_config_file("log.ini", 0, NULL) < 0 || lt_config_watch_start(50) < 0)
        fail("config");

    lg = lt_get_logger("every.kind");
    lt_logger_set_level(lg, LT_LEVEL_DEBUG);
    add(lg, lt_file_handler_new_opts(&h, "file.log", &held), h, "file");
    add(lg, lt_watched_file_handler_new(&h, "watched.log", "a", 0), h, "watched");
    add(lg, lt_rotating_file_handler_new_opts(&h, "rotating.log", 200, 2, &mp), h, "rotating");
    add(lg, lt_timed_rotating_file_handler_new_opts(&h, "timed.log", "S", 1, 1, NULL), h, "timed");
    add(lg,
        lt_syslog_handler_new(
            &h,
            &(lt_syslog_options){.host = "127.0.0.1", .port = ntohs(udp.sin_port), .net = QUICK}),
        h, "syslog udp");
    add(lg,
        lt_syslog_handler_new(&h, &(lt_syslog_options){.host = "127.0.0.1",
                                                       .port = ntohs(tcp.sin_port),
                                                       .socktype = SOCK_STREAM,
                                                       .net = QUICK}),
        h, "syslog tcp");
    add(lg, lt_syslog_handler_new(&h, &(lt_syslog_options){.path = "syslog.sock", .net = QUICK}), h,
        "syslog unix");
    add(lg, lt_socket_handler_new(&h, "127.0.0.1", ntohs(tcp.sin_port), &quick), h, "socket");
    add(lg, lt_datagram_handler_new(&h, "127.0.0.1", ntohs(udp.sin_port), &quick), h, "datagram");
    add(lg, lt_journal_handler_new(&h, &(lt_journal_options){.path = "journal.sock", .net = QUICK}),
        h, "journal");
    lt_handler_ref(h);
    journal = h;
    add(lg, lt_memory_handler_new(&h, 1000, LT_LEVEL_CRITICAL, NULL, 0), h, "memory");
    add(lg, lt_null_handler_new(&h), h, "null");
    if (lt_stream_handler_new(&h, stderr) < 0)
        fail("stream");
    lt_handler_set_level(h, LT_LEVEL_CRITICAL); /* opens nothing; kept quiet */
    add(lg, 0, h, "stream");
    if (lt_async_start(&ao) < 0)
        fail("async");

    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    for (int i = 0; i < 20; i++)
        LT_INFO(lg, "record %d, long enough to rotate the rotating file soon", i);
    /* The journal sends this one through a memfd. */
    big_lg = lt_get_logger("journal.only");
    lt_logger_set_propagate(big_lg, false);
    lt_logger_add_handler(big_lg, journal);
    lt_handler_unref(journal);
    LT_INFO(big_lg, "%s", big);
    usleep(1100 * 1000);
    LT_INFO(lg, "a second later: the timed file rotates");
    lt_flush();
    /* The TCP peers connected: accept them (ours, close-on-exec). */
    for (int i = 0; i < 2; i++) {
        struct pollfd p = {tcp_fd, POLLIN, 0};

        if (poll(&p, 1, 5000) != 1)
            fail("the TCP handlers did not connect within 5 s");
        if ((accepted[i] = accept4(tcp_fd, NULL, NULL, SOCK_CLOEXEC)) < 0)
            fail("accept");
    }

    pid = fork();
    if (pid < 0)
        fail("fork");
    if (pid == 0) {
        for (int fd = 3; fd < MAX_FD; fd++)
            if (open_at_start[fd])
                fcntl(fd, F_SETFD, FD_CLOEXEC);
        execl("/proc/self/exe", argv[0], "--list-fds", (char *)NULL);
        _exit(127);
    }
    if (waitpid(pid, &status, 0) != pid)
        fail("waitpid");
    drain(sys_fd);
    drain(jour_fd);
    drain(udp_fd);
    lt_shutdown();
    for (int i = 0; i < 2; i++)
        close(accepted[i]);
    close(tcp_fd);
    close(udp_fd);
    close(sys_fd);
    close(jour_fd);
    snprintf(path, sizeof(path), "rm -rf '%s'", dir);
    if (system(path) != 0)
        fprintf(stderr, "cloexec_exec: could not remove %s\n", dir);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "cloexec_exec: the exec'd child inherited descriptors (status %#x)\n",
                status);
        return 1;
    }
    printf("cloexec_exec: the exec'd child inherited no descriptor of logtree's\n");
    return 0;
}
