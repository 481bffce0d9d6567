/* examples/access_log/server.c - a small HTTP/1.1 server that logs every
 * request as Apache does, through a logtree logger with fields.
 *
 *     $ ./access_log [PORT [CONFIG]]        PORT 0 or none: any free port
 *     INFO server: listening on 127.0.0.1:41234     (on stderr)
 *     $ curl http://127.0.0.1:41234/?q=1
 *
 * Where the records go is decided by CONFIG (default logging.ini): the one
 * beside this file writes the "combined" format to access.log, which
 * GoAccess, AWStats or any Apache log reader can read, and JSON lines to
 * stdout. The program only logs fields with the names the AccessFormatter
 * reads: remote_addr, method, path, query, protocol, status, bytes,
 * duration_us, referer, user_agent, header.host.
 *
 * GET and HEAD of / answer 200, other paths 404, other methods 405. A
 * thread serves each connection (keep-alive, pipelining, Connection: close,
 * HTTP/1.0). SIGINT or SIGTERM stop it: the signal handler writes to a pipe
 * the main thread polls, idle connections are woken, every thread is joined
 * and logging is shut down. */
#define _POSIX_C_SOURCE 200809L /* sigaction, clock_gettime, gmtime_r, MSG_NOSIGNAL */

#include <arpa/inet.h>
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
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <logtree/logtree.h>

#define MAX_CONNS    64
#define HEAD_MAX     8192 /* request line and headers */
#define IDLE_SECONDS 5    /* a keep-alive connection waits this long for a request */
#define BODY_MAX     (1 << 20)

/* One connection and the thread that serves it. A slot is reused only after
 * its thread was joined. */
struct conn {
    pthread_t thread;
    int fd; /* -1 once the thread has closed it */
    bool used;
    bool done;
    char addr[INET_ADDRSTRLEN];
};

static struct conn conns[MAX_CONNS];
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int stopping; /* lock-free, so the signal handler may set it */
static int wake_pipe[2] = {-1, -1};
static lt_logger *access_log, *server_log;

/* Bytes borrowed from the connection's buffer; p NULL when absent. */
struct span {
    const char *p;
    size_t n;
};

struct request {
    struct span line, method, path, query, protocol;
    struct span host, referer, user_agent;
    size_t content_length;
    bool keep_alive;
    int status; /* 0 while the request is well-formed */
};

/* ---- signals ---- */

static void on_signal(int sig)
{
    int saved = errno;
    char byte = (char)sig;

    atomic_store(&stopping, 1);
    if (write(wake_pipe[1], &byte, 1) < 0) {
        /* the pipe is full: a wake-up is already pending */
    }
    errno = saved;
}

static int catch_signals(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0)
        return -1;
    sa.sa_handler = SIG_IGN; /* a client that goes away mid-response is not fatal */
    return sigaction(SIGPIPE, &sa, NULL);
}

/* ---- reading a request ---- */

static bool span_is(struct span s, const char *word)
{
    return s.p && s.n == strlen(word) && strncasecmp(s.p, word, s.n) == 0;
}

static bool has_token(struct span list, const char *token)
{
    size_t len = strlen(token);

    for (size_t i = 0; list.p && i + len <= list.n; i++)
        if (strncasecmp(list.p + i, token, len) == 0 &&
            (i == 0 || list.p[i - 1] == ' ' || list.p[i - 1] == ','))
            return true;
    return false;
}

static struct span trim(const char *p, size_t n)
{
    while (n > 0 && (*p == ' ' || *p == '\t'))
        p++, n--;
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
        n--;
    return (struct span){p, n};
}

/* "METHOD SP target SP HTTP/1.x": the target splits into path and query. */
static int parse_request_line(struct request *req, const char *p, size_t n)
{
    const char *sp1 = memchr(p, ' ', n), *sp2, *q;

    req->line = (struct span){p, n};
    if (!sp1 || !(sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - p))) || sp1 == p ||
        sp2 == sp1 + 1)
        return 400;
    req->method = (struct span){p, (size_t)(sp1 - p)};
    req->protocol = (struct span){sp2 + 1, n - (size_t)(sp2 + 1 - p)};
    req->path = (struct span){sp1 + 1, (size_t)(sp2 - sp1 - 1)};
    if ((q = memchr(req->path.p, '?', req->path.n)) != NULL) {
        req->query = (struct span){q + 1, req->path.n - (size_t)(q + 1 - req->path.p)};
        req->path.n = (size_t)(q - req->path.p);
    }
    if (memchr(req->path.p, ' ', req->path.n + (req->query.p ? req->query.n + 1 : 0)))
        return 400;
    if (span_is(req->protocol, "HTTP/1.1"))
        req->keep_alive = true;
    else if (!span_is(req->protocol, "HTTP/1.0"))
        return req->protocol.n > 5 && strncmp(req->protocol.p, "HTTP/", 5) == 0 ? 505 : 400;
    return 0;
}

static bool token_char(unsigned char c)
{
    return c > ' ' && c < 0x7f && !strchr("\"(),/:;<=>?@[\\]{}", c);
}

static int parse_length(struct span v, size_t *ret)
{
    size_t n = 0;

    if (v.n == 0)
        return 400;
    for (size_t i = 0; i < v.n; i++) {
        if (v.p[i] < '0' || v.p[i] > '9')
            return 400;
        if (n > BODY_MAX)
            return 413;
        n = n * 10 + (size_t)(v.p[i] - '0');
    }
    *ret = n;
    return n > BODY_MAX ? 413 : 0;
}

/* One "Name: value" line. A value may hold any byte but NUL and CR (RFC
 * 9112 lets a server refuse those); refused values are still logged, so the
 * log shows what was sent. */
static int parse_header(struct request *req, const char *p, size_t n)
{
    const char *colon = memchr(p, ':', n);
    struct span name, value;
    int bad = 0;

    if (!colon || colon == p)
        return 400;
    name = (struct span){p, (size_t)(colon - p)};
    for (size_t i = 0; i < name.n; i++)
        if (!token_char((unsigned char)name.p[i]))
            return 400;
    value = trim(colon + 1, n - name.n - 1);
    if (memchr(value.p, '\0', value.n) || memchr(value.p, '\r', value.n))
        bad = 400;
    if (span_is(name, "host"))
        req->host = value;
    else if (span_is(name, "referer"))
        req->referer = value;
    else if (span_is(name, "user-agent"))
        req->user_agent = value;
    else if (span_is(name, "connection") && has_token(value, "close"))
        req->keep_alive = false;
    else if (span_is(name, "connection") && has_token(value, "keep-alive"))
        req->keep_alive = true;
    else if (span_is(name, "transfer-encoding"))
        bad = 501;
    else if (span_is(name, "content-length"))
        return bad ? bad : parse_length(value, &req->content_length);
    return bad;
}

/* The head is the request line and the header lines, each ended by LF (CR
 * LF, the CR dropped), up to an empty line. */
static void parse_head(struct request *req, const char *head, size_t len)
{
    const char *p = head, *end = head + len;
    bool first = true;

    memset(req, 0, sizeof(*req));
    while (p < end) {
        const char *lf = memchr(p, '\n', (size_t)(end - p));
        size_t n = lf ? (size_t)(lf - p) : 0;
        int r;

        if (n > 0 && p[n - 1] == '\r')
            n--;
        if (n == 0)
            break;
        r = first ? parse_request_line(req, p, n) : parse_header(req, p, n);
        if (r && !req->status)
            req->status = r;
        if (r && first)
            return;
        first = false;
        p = lf + 1;
    }
}

/* The length of the head at the start of @buf (blank line included), 0 if
 * it has not all arrived. */
static size_t head_length(const char *buf, size_t have)
{
    for (size_t i = 0; i + 1 < have; i++) {
        if (buf[i] != '\n')
            continue;
        if (buf[i + 1] == '\n')
            return i + 2;
        if (buf[i + 1] == '\r' && i + 2 < have && buf[i + 2] == '\n')
            return i + 3;
    }
    return 0;
}

/* Read until a whole head is in @buf. Returns its length, 0 when the client
 * closed or stayed idle, -1 when the head is too large. *@start is when its
 * first byte was there. */
static long read_head(int fd, char *buf, size_t *have, struct timespec *start)
{
    size_t len;

    /* RFC 9112: ignore empty lines before a request line */
    while (*have > 0 && (buf[0] == '\r' || buf[0] == '\n'))
        memmove(buf, buf + 1, --*have);
    if (*have > 0)
        clock_gettime(CLOCK_MONOTONIC, start);
    while ((len = head_length(buf, *have)) == 0) {
        ssize_t n;

        if (*have == HEAD_MAX)
            return -1;
        if (atomic_load(&stopping) && *have == 0)
            return 0;
        n = read(fd, buf + *have, HEAD_MAX - *have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return 0;
        if (*have == 0)
            clock_gettime(CLOCK_MONOTONIC, start);
        *have += (size_t)n;
        while (*have > 0 && (buf[0] == '\r' || buf[0] == '\n'))
            memmove(buf, buf + 1, --*have);
    }
    return (long)len;
}

/* Drop a request body of @len bytes: those already read, then the rest. */
static bool skip_body(int fd, char *buf, size_t *have, size_t len)
{
    char sink[4096];
    size_t now = len < *have ? len : *have;

    memmove(buf, buf + now, *have - now);
    *have -= now;
    for (len -= now; len > 0;) {
        ssize_t n = read(fd, sink, len < sizeof(sink) ? len : sizeof(sink));

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        len -= (size_t)n;
    }
    return true;
}

/* ---- answering ---- */

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Content Too Large";
    case 431:
        return "Request Header Fields Too Large";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    default:
        return "HTTP Version Not Supported";
    }
}

static bool send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Send the response; returns the body bytes sent (what %b logs). */
static size_t respond(int fd, int status, bool head_only, bool keep_alive)
{
    char out[512], date[64], body[64];
    time_t now = time(NULL);
    struct tm tm;
    int blen, n;

    gmtime_r(&now, &tm);
    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    blen = snprintf(body, sizeof(body), "%s\n", status == 200 ? "hello" : reason(status));
    n = snprintf(out, sizeof(out),
                 "HTTP/1.1 %d %s\r\nDate: %s\r\nContent-Type: text/plain\r\n"
                 "Content-Length: %d\r\n%sConnection: %s\r\n\r\n%s",
                 status, reason(status), date, blen, status == 405 ? "Allow: GET, HEAD\r\n" : "",
                 keep_alive ? "keep-alive" : "close", head_only ? "" : body);
    if (!send_all(fd, out, (size_t)n))
        return 0;
    return head_only ? 0 : (size_t)blen;
}

static int route(const struct request *req)
{
    if (req->status)
        return req->status;
    if (!span_is(req->method, "GET") && !span_is(req->method, "HEAD"))
        return 405;
    return req->path.n == 1 && req->path.p[0] == '/' ? 200 : 404;
}

static long long micros_since(const struct timespec *start)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)(now.tv_sec - start->tv_sec) * 1000000 +
           (now.tv_nsec - start->tv_nsec) / 1000;
}

#define STR(s) LT_STR((s).p, (s).n)

/* One record per request, whatever happened to it. A request line that
 * could not be split is logged whole, as the request field. */
static void log_request(const struct conn *c, const struct request *req, int status, size_t bytes,
                        long long us)
{
    if (!req->method.p) {
        LT_WARNING(access_log, "bad request line -> %d", status, LT_F("remote_addr", c->addr),
                   LT_F("request", STR(req->line)), LT_F("status", status), LT_F("bytes", bytes),
                   LT_F("duration_us", us));
        return;
    }
    LT_INFO(access_log, "%.*s %.*s -> %d", (int)req->method.n, req->method.p, (int)req->path.n,
            req->path.p, status, LT_F("remote_addr", c->addr), LT_F("method", STR(req->method)),
            LT_F("path", STR(req->path)), LT_F("query", STR(req->query)),
            LT_F("protocol", STR(req->protocol)), LT_F("status", status), LT_F("bytes", bytes),
            LT_F("duration_us", us), LT_F("referer", STR(req->referer)),
            LT_F("user_agent", STR(req->user_agent)), LT_F("header.host", STR(req->host)));
}

/* Serve one request whose head is the first @len bytes of @buf. Returns
 * whether the connection stays open for another. */
static bool serve_one(struct conn *c, char *buf, size_t *have, size_t len,
                      const struct timespec *start)
{
    struct request req;
    int status;
    size_t bytes;
    bool keep;

    parse_head(&req, buf, len);
    status = route(&req);
    keep = status < 400 || status == 404 || status == 405;
    keep = keep && req.keep_alive && !atomic_load(&stopping);
    bytes = respond(c->fd, status, span_is(req.method, "HEAD"), keep);
    log_request(c, &req, status, bytes, micros_since(start));
    memmove(buf, buf + len, *have - len);
    *have -= len;
    return keep && skip_body(c->fd, buf, have, req.content_length);
}

static void *serve(void *arg)
{
    struct conn *c = arg;
    char buf[HEAD_MAX];
    size_t have = 0;
    struct timespec start = {0, 0};
    long len;

    while ((len = read_head(c->fd, buf, &have, &start)) != 0) {
        if (len < 0) {
            const char *lf = memchr(buf, '\n', have);
            struct request req = {.line = {buf, lf ? (size_t)(lf - buf) : 256}};
            size_t bytes = respond(c->fd, 431, false, false);

            log_request(c, &req, 431, bytes, micros_since(&start));
            break;
        }
        if (!serve_one(c, buf, &have, (size_t)len, &start))
            break;
    }
    pthread_mutex_lock(&conns_lock);
    close(c->fd);
    c->fd = -1;
    c->done = true;
    pthread_mutex_unlock(&conns_lock);
    return NULL;
}

/* ---- connections ---- */

/* Join the threads that have finished; their slots become free. */
static void reap(bool all)
{
    for (int i = 0; i < MAX_CONNS; i++) {
        struct conn *c = &conns[i];

        if (c->used && (all || c->done)) {
            pthread_join(c->thread, NULL);
            c->used = false;
        }
    }
}

static void start_conn(int fd, const struct sockaddr_in *peer)
{
    struct timeval idle = {IDLE_SECONDS, 0};
    struct conn *c = NULL;

    pthread_mutex_lock(&conns_lock);
    reap(false);
    for (int i = 0; i < MAX_CONNS && !c; i++)
        if (!conns[i].used)
            c = &conns[i];
    if (c) {
        c->used = true;
        c->done = false;
        c->fd = fd;
        inet_ntop(AF_INET, &peer->sin_addr, c->addr, sizeof(c->addr));
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof(idle));
        if (pthread_create(&c->thread, NULL, serve, c) != 0) {
            c->used = false;
            c = NULL;
        }
    }
    pthread_mutex_unlock(&conns_lock);
    if (!c) {
        LT_ERROR(server_log, "too many connections: refused one");
        respond(fd, 503, false, false);
        close(fd);
    }
}

/* Wake the threads that wait for a request (a response being written is
 * finished first), then join them all. */
static void stop_conns(void)
{
    pthread_mutex_lock(&conns_lock);
    for (int i = 0; i < MAX_CONNS; i++)
        if (conns[i].used && conns[i].fd >= 0)
            shutdown(conns[i].fd, SHUT_RD);
    pthread_mutex_unlock(&conns_lock);
    reap(true);
}

static int listen_on(unsigned short port, unsigned short *bound)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0)
        return -1;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 128) < 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) < 0) {
        close(fd);
        return -1;
    }
    *bound = ntohs(sa.sin_port);
    return fd;
}

/* Threads started from here do not take SIGINT and SIGTERM: the main
 * thread's poll() does. */
static void serve_until_signal(int lfd)
{
    struct pollfd fds[2] = {{.fd = lfd, .events = POLLIN}, {.fd = wake_pipe[0], .events = POLLIN}};
    sigset_t block, old;

    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    while (!atomic_load(&stopping)) {
        struct sockaddr_in peer;
        socklen_t len = sizeof(peer);
        int fd;

        if (poll(fds, 2, -1) < 0 || (fds[1].revents & POLLIN))
            continue; /* EINTR, or the signal's byte: the loop ends on stopping */
        if (!(fds[0].revents & POLLIN))
            continue;
        if ((fd = accept(lfd, (struct sockaddr *)&peer, &len)) < 0) {
            if (errno != EINTR && errno != ECONNABORTED)
                LT_ERRNO(server_log, LT_LEVEL_ERROR, "accept");
            continue;
        }
        pthread_sigmask(SIG_BLOCK, &block, &old);
        start_conn(fd, &peer);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
}

static int usage(void)
{
    fprintf(stderr, "usage: access_log [PORT [CONFIG]]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *config = argc > 2 ? argv[2] : "logging.ini";
    char *end = NULL;
    long port = argc > 1 ? strtol(argv[1], &end, 10) : 0;
    unsigned short bound;
    char text[600];
    lt_error err;
    int lfd;

    if (argc > 3 || (end && (*end || end == argv[1])) || port < 0 || port > 65535)
        return usage();
    if (lt_config_file(config, 0, &err) < 0) {
        lt_error_format(&err, text, sizeof(text));
        fprintf(stderr, "access_log: %s\n", text);
        return 2;
    }
    access_log = lt_get_logger("access");
    server_log = lt_get_logger("server");
    /* a full pipe must not block the signal handler: one pending byte is enough */
    if (pipe(wake_pipe) < 0 || fcntl(wake_pipe[1], F_SETFL, O_NONBLOCK) < 0 ||
        catch_signals() < 0 || (lfd = listen_on((unsigned short)port, &bound)) < 0) {
        LT_ERRNO(server_log, LT_LEVEL_CRITICAL, "cannot listen on 127.0.0.1:%ld", port);
        return 1;
    }
    LT_INFO(server_log, "listening on 127.0.0.1:%u", (unsigned)bound, LT_F("port", bound));
    serve_until_signal(lfd);
    close(lfd);
    stop_conns();
    LT_INFO(server_log, "stopped");
    close(wake_pipe[0]);
    close(wake_pipe[1]);
    lt_shutdown();
    return 0;
}
