/* handlers/net.c - the connection under the network handlers: a peer, a
 * non-blocking socket, Python's SocketHandler backoff, and the bounded
 * queue records wait in while the peer is away (see handlers.h for the
 * behaviour users see, net.h for the calls).
 *
 * Everything runs in the logging thread, so every wait is a poll() bounded
 * by the handler's timeout, counted once per record from the moment it
 * arrives: connecting, writing what waits, then the record itself. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "net.h"
#include "sys.h"

#define DEFAULT_QUEUE        1000
#define DEFAULT_TIMEOUT      1.0
#define DEFAULT_RETRY_START  1.0
#define DEFAULT_RETRY_FACTOR 2.0
#define DEFAULT_RETRY_MAX    30.0

static double now_mono(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Milliseconds until @deadline for poll(), 0 once it has passed. */
static int ms_left(double deadline)
{
    double left = (deadline - now_mono()) * 1000.0;

    if (left <= 0)
        return 0;
    return left > (double)INT_MAX ? INT_MAX : (int)left + 1;
}

static int wait_for(int fd, short events, double deadline)
{
    struct pollfd p = {.fd = fd, .events = events};
    int r;

    do {
        int ms = ms_left(deadline);

        if (ms == 0)
            return LT_ETIMEDOUT;
        r = poll(&p, 1, ms);
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return -errno;
    return r == 0 ? LT_ETIMEDOUT : 0;
}

/* ---- setting up ---- */

static int check_options(const lt_net_options *o)
{
    if (o->overflow != LT_OVERFLOW_DROP_OLDEST && o->overflow != LT_OVERFLOW_DROP_NEWEST)
        return LT_EINVAL;
    if (!(o->timeout >= 0) || !(o->retry_start >= 0) || !(o->retry_factor >= 0) ||
        !(o->retry_max >= 0) || o->timeout > 86400.0)
        return LT_EINVAL;
    if (o->queue_size > SIZE_MAX / sizeof(struct lt__net_msg *) - 2)
        return LT_EINVAL;
    return 0;
}

static void apply_options(struct lt__net *n, const lt_net_options *o)
{
    double timeout = o->timeout > 0 ? o->timeout : DEFAULT_TIMEOUT;

    n->timeout_ms = (int)(timeout * 1000.0);
    if (n->timeout_ms < 1)
        n->timeout_ms = 1;
    n->retry_start = o->retry_start > 0 ? o->retry_start : DEFAULT_RETRY_START;
    n->retry_factor = o->retry_factor > 0 ? o->retry_factor : DEFAULT_RETRY_FACTOR;
    n->retry_max = o->retry_max > 0 ? o->retry_max : DEFAULT_RETRY_MAX;
    n->queue_size = o->queue_size > 0 ? o->queue_size : DEFAULT_QUEUE;
    n->overflow = o->overflow;
}

/* The first address @host resolves to, for datagrams (Python's
 * SysLogHandler takes the first that gives a socket). */
static int resolve(struct lt__net *n)
{
    struct addrinfo hints = {0}, *res = NULL;
    int r;

    hints.ai_family = n->family;
    hints.ai_socktype = n->socktype;
    hints.ai_flags = AI_NUMERICSERV;
    r = getaddrinfo(n->host, n->service, &hints, &res);
    if (r != 0 || !res)
        return r == EAI_MEMORY ? LT_ENOMEM : LT_EUNKNOWN;
    memcpy(&n->addr, res->ai_addr, res->ai_addrlen);
    n->addrlen = res->ai_addrlen;
    freeaddrinfo(res);
    return 0;
}

static int init_unix(struct lt__net *n, const struct lt__net_peer *p)
{
    struct sockaddr_un *ua = (struct sockaddr_un *)&n->addr;

    if (!p->path || !*p->path)
        return LT_EINVAL;
    if (strlen(p->path) >= sizeof(ua->sun_path))
        return LT_ENAMETOOLONG;
    ua->sun_family = AF_UNIX;
    strcpy(ua->sun_path, p->path);
    n->addrlen = (socklen_t)sizeof(*ua);
    n->family = AF_UNIX;
    n->socktype = p->socktype ? p->socktype : SOCK_DGRAM;
    n->fallback = p->socktype == 0;
    return (n->path = lt__strdup(p->path)) ? 0 : LT_ENOMEM;
}

static int init_inet(struct lt__net *n, const struct lt__net_peer *p)
{
    char port[16];

    if (p->port < 1 || p->port > 65535)
        return LT_EINVAL;
    snprintf(port, sizeof(port), "%d", p->port);
    n->family = p->family;
    n->socktype = p->socktype ? p->socktype : SOCK_DGRAM;
    n->datagram_inet = n->socktype == SOCK_DGRAM;
    if (!(n->host = lt__strdup(p->host)) || !(n->service = lt__strdup(port)))
        return LT_ENOMEM;
    return p->resolve_now ? resolve(n) : 0;
}

int lt__net_init(struct lt__net *n, const struct lt__net_peer *peer, const lt_net_options *opts,
                 lt__net_notice_fn notice, void *notice_ctx)
{
    static const lt_net_options defaults;
    int r;

    if (!opts)
        opts = &defaults;
    if ((r = check_options(opts)) < 0)
        return r;
    if (peer->socktype != 0 && peer->socktype != SOCK_DGRAM && peer->socktype != SOCK_STREAM)
        return LT_EINVAL;
    memset(n, 0, sizeof(*n));
    n->fd = -1;
    apply_options(n, opts);
    n->notice = notice;
    n->notice_ctx = notice_ctx;
    r = peer->host ? init_inet(n, peer) : init_unix(n, peer);
    if (r < 0)
        lt__net_free(n, NULL);
    return r;
}

/* ---- the connection ---- */

static int new_socket(int family, int socktype)
{
#ifdef SOCK_CLOEXEC
    /* Close-on-exec from the start: another thread's fork() and exec()
     * between socket() and fcntl() would hand the child our connection. */
    int fd = socket(family, socktype | SOCK_CLOEXEC, 0);
#else
    int fd = socket(family, socktype, 0);
#endif

    if (fd < 0)
        return -errno;
    /* Non-blocking, so every wait is ours and bounded; close-on-exec, so a
     * program that runs others does not hand them its log connection. */
    if (fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ||
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
        int r = -errno;

        close(fd);
        return r;
    }
#ifdef SO_NOSIGPIPE
    /* Where MSG_NOSIGNAL is not enough or missing (BSDs, macOS). */
    setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &(int){1}, sizeof(int));
#endif
    return fd;
}

static int connect_to(int family, int socktype, const struct sockaddr *sa, socklen_t salen,
                      double deadline)
{
    int fd = new_socket(family, socktype), r, err = 0;
    socklen_t len = sizeof(err);

    if (fd < 0)
        return fd;
    r = lt__sys_connect(fd, sa, salen) == 0 ? 0 : -errno;
    if (r == LT_EINTR || r == -EINPROGRESS) {
        r = wait_for(fd, POLLOUT, deadline);
        if (r == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
            r = -errno;
        else if (r == 0)
            r = -err;
    }
    if (r < 0) {
        close(fd);
        return r;
    }
    return fd;
}

/* A Unix socket of unknown type: datagram first, then stream, and keep the
 * one that worked (Python's _connect_unixsocket). */
static int connect_unix(struct lt__net *n, double deadline)
{
    int fd = connect_to(AF_UNIX, n->socktype, (struct sockaddr *)&n->addr, n->addrlen, deadline);
    int other = n->socktype == SOCK_DGRAM ? SOCK_STREAM : SOCK_DGRAM;

    if (fd >= 0 || !n->fallback)
        return fd;
    fd = connect_to(AF_UNIX, other, (struct sockaddr *)&n->addr, n->addrlen, deadline);
    if (fd >= 0) {
        n->socktype = other;
        n->fallback = false;
    }
    return fd;
}

/* Every address of the name in turn, as Python's create_connection(). */
static int connect_inet(struct lt__net *n, double deadline)
{
    struct addrinfo hints = {0}, *res = NULL;
    int fd = LT_EUNKNOWN, r;

    hints.ai_family = n->family;
    hints.ai_socktype = n->socktype;
    hints.ai_flags = AI_NUMERICSERV;
    r = getaddrinfo(n->host, n->service, &hints, &res);
    if (r != 0)
        return r == EAI_MEMORY ? LT_ENOMEM : LT_EUNKNOWN;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = connect_to(ai->ai_family, ai->ai_socktype, ai->ai_addr, ai->ai_addrlen, deadline);
        if (fd >= 0 || ms_left(deadline) == 0)
            break;
    }
    freeaddrinfo(res);
    return fd;
}

static void disconnect(struct lt__net *n, int why)
{
    if (n->fd >= 0)
        close(n->fd);
    n->fd = -1;
    n->last_error = why;
    /* A message cut short on the old connection goes again whole on the
     * next: the receiver drops a frame its peer never finished. */
    n->head_sent = 0;
}

/* Python's createSocket(): the first failure waits retry_start, each
 * further one retry_factor times longer, up to retry_max. */
static void connect_failed(struct lt__net *n, int why)
{
    double now = now_mono();

    n->last_error = why;
    if (n->retry_at == 0)
        n->retry_period = n->retry_start;
    else if ((n->retry_period *= n->retry_factor) > n->retry_max)
        n->retry_period = n->retry_max;
    n->retry_at = now + n->retry_period;
}

/* Whether a stream's peer is still there: it closed (or reset) the
 * connection if reading says so. Receivers never write to us; anything they
 * do write is read and ignored. */
static bool peer_alive(struct lt__net *n)
{
    char b[512];
    ssize_t r;

    if (n->socktype != SOCK_STREAM)
        return true;
    for (;;) {
        r = recv(n->fd, b, sizeof(b), 0);
        if (r > 0)
            continue;
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return true;
        disconnect(n, r == 0 ? LT_ECONNRESET : -errno);
        return false;
    }
}

/* ---- the queue ---- */

static struct lt__net_msg *new_msg(const void *data, size_t len, uint64_t notice)
{
    struct lt__net_msg *m = lt__malloc(sizeof(*m) + len);

    if (m) {
        m->len = len;
        m->notice = notice;
        memcpy(m->data, data, len);
    }
    return m;
}

static struct lt__net_msg **slot(struct lt__net *n, size_t i)
{
    return &n->ring[(n->head + i) % n->cap];
}

/* Room for one more message (the queue may hold queue_size records, one
 * record over them until the drop, and notices). */
static int make_room(struct lt__net *n)
{
    size_t cap;
    struct lt__net_msg **ring;

    if (n->n < n->cap)
        return 0;
    cap = n->cap ? n->cap * 2 : 16;
    if (!(ring = lt__malloc(cap * sizeof(*ring))))
        return LT_ENOMEM;
    for (size_t i = 0; i < n->n; i++)
        ring[i] = *slot(n, i);
    free(n->ring);
    n->ring = ring;
    n->cap = cap;
    n->head = 0;
    return 0;
}

/* Take the first message off the queue. */
static void pop_head(struct lt__net *n)
{
    struct lt__net_msg *m = *slot(n, 0);

    n->records -= m->notice == 0;
    free(m);
    n->head = (n->head + 1) % n->cap;
    n->n--;
    n->head_sent = 0;
}

static void remove_at(struct lt__net *n, size_t i)
{
    n->records -= (*slot(n, i))->notice == 0;
    free(*slot(n, i));
    for (; i + 1 < n->n; i++)
        *slot(n, i) = *slot(n, i + 1);
    n->n--;
}

static void count_drop(struct lt__net *n)
{
    n->dropped_total++;
    n->dropped_unannounced++;
}

/* The oldest record that may go: not a notice, and not one already begun on
 * the current connection. */
static void drop_oldest(struct lt__net *n)
{
    for (size_t i = 0; i < n->n; i++) {
        if ((*slot(n, i))->notice || (i == 0 && n->head_sent > 0))
            continue;
        remove_at(n, i);
        count_drop(n);
        return;
    }
}

static int why_lost(const struct lt__net *n)
{
    return n->last_error < 0 ? n->last_error : LT_ETIMEDOUT;
}

/* Queue a record (@sent of its bytes already written, when it is the head).
 * Returns 0, or why a record was lost when the queue was full. */
static int enqueue(struct lt__net *n, const void *data, size_t len, size_t sent)
{
    struct lt__net_msg *m;
    bool dropped = false;

    if (n->records >= n->queue_size) {
        if (n->overflow == LT_OVERFLOW_DROP_NEWEST) {
            count_drop(n);
            return why_lost(n);
        }
        drop_oldest(n);
        dropped = true;
    }
    if (make_room(n) < 0 || !(m = new_msg(data, len, 0))) {
        count_drop(n);
        return LT_ENOMEM;
    }
    *slot(n, n->n++) = m;
    n->records++;
    if (n->n == 1)
        n->head_sent = sent;
    return dropped ? why_lost(n) : 0;
}

/* Where the records were missing: before those still queued when the oldest
 * were dropped, after them when the newest were. */
static void queue_notice(struct lt__net *n, const lt_record *rec)
{
    struct lt__net_msg *m;
    lt_buf *b;

    if (n->dropped_unannounced == 0 || !n->notice || lt_buf_new(&b) < 0)
        return;
    n->notice(n->notice_ctx, n->dropped_unannounced, rec, b);
    if (!lt_buf_error(b) && make_room(n) == 0 &&
        (m = new_msg(lt_buf_data(b), lt_buf_len(b), n->dropped_unannounced))) {
        if (n->overflow == LT_OVERFLOW_DROP_NEWEST) {
            *slot(n, n->n) = m;
        } else {
            n->head = (n->head + n->cap - 1) % n->cap;
            n->ring[n->head] = m;
        }
        n->n++;
        n->dropped_unannounced = 0;
    }
    lt_buf_free(b);
}

/* ---- writing ---- */

static bool is_message_error(int r)
{
    return r == -EMSGSIZE;
}

/* Write @len bytes from @*sent on. Returns 0 when all are written, else
 * LT_ETIMEDOUT or the socket's error, @*sent saying how far it got. */
static int write_bytes(struct lt__net *n, const char *p, size_t len, size_t *sent,
                       double deadline)
{
    while (*sent < len) {
        ssize_t w = lt__sys_send(n->fd, p + *sent, len - *sent, MSG_NOSIGNAL);
        int r;

        if (w >= 0) {
            if (n->socktype != SOCK_STREAM)
                w = (ssize_t)(len - *sent); /* a datagram goes whole or not at all */
            *sent += (size_t)w;
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return -errno;
        if ((r = wait_for(n->fd, POLLOUT, deadline)) < 0)
            return r;
    }
    return 0;
}

/* Write what waits, oldest first. Returns 0 when the queue is empty, else
 * why not; @*progress tells whether any byte went. */
static int drain(struct lt__net *n, double deadline, bool *progress)
{
    while (n->n > 0) {
        struct lt__net_msg *m = *slot(n, 0);
        size_t before = n->head_sent;
        int r = write_bytes(n, m->data, m->len, &n->head_sent, deadline);

        *progress = *progress || n->head_sent > before;
        if (r < 0 && !is_message_error(r))
            return r;
        if (r < 0)
            count_drop(n); /* a message the socket can never take */
        pop_head(n);
    }
    return 0;
}

static bool retry_due(const struct lt__net *n)
{
    return n->retry_at == 0 || now_mono() >= n->retry_at;
}

static int reconnect(struct lt__net *n, const lt_record *rec, double deadline)
{
    int fd = n->host ? connect_inet(n, deadline) : connect_unix(n, deadline);

    if (fd < 0) {
        connect_failed(n, fd);
        return fd;
    }
    n->fd = fd;
    n->retry_at = 0;
    n->head_sent = 0;
    queue_notice(n, rec);
    return 0;
}

/* Connect if due (or @force), then write the queue. A connection that
 * breaks is tried again at once, once (a restarted receiver); one that takes
 * nothing within the timeout is dropped and retried with the backoff (a
 * receiver that hangs must not cost every record the whole timeout). */
static int deliver(struct lt__net *n, const lt_record *rec, double deadline, bool force)
{
    int r = 0;

    for (int attempt = 0; attempt < 2; attempt++) {
        bool progress = false;

        if (n->fd >= 0 && !peer_alive(n))
            force = true; /* lost, not refused: Python reconnects at once */
        if (n->fd < 0) {
            if (!force && !retry_due(n))
                return n->n > 0 ? why_lost(n) : 0;
            if ((r = reconnect(n, rec, deadline)) < 0)
                return r;
        }
        if ((r = drain(n, deadline, &progress)) == 0)
            return 0;
        if (r == LT_ETIMEDOUT && progress)
            return r; /* slow, not dead: go on later on this connection */
        disconnect(n, r);
        if (r == LT_ETIMEDOUT) {
            connect_failed(n, r);
            return r;
        }
        force = true;
    }
    return r;
}

static int send_datagram(struct lt__net *n, const void *data, size_t len)
{
    double deadline = now_mono() + n->timeout_ms / 1000.0;
    int r;

    if (n->addrlen == 0 && (r = resolve(n)) < 0)
        return r;
    if (n->fd < 0 && (n->fd = new_socket(n->addr.ss_family, SOCK_DGRAM)) < 0) {
        r = n->fd;
        n->fd = -1;
        return r;
    }
    for (;;) {
        if (lt__sys_sendto(n->fd, data, len, MSG_NOSIGNAL, (struct sockaddr *)&n->addr,
                           n->addrlen) >= 0)
            return 0;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return -errno;
        if ((r = wait_for(n->fd, POLLOUT, deadline)) < 0)
            return r;
    }
}

int lt__net_send(struct lt__net *n, const void *data, size_t len, const lt_record *rec)
{
    double deadline = now_mono() + n->timeout_ms / 1000.0;
    size_t sent = 0;
    int lost, r;

    if (n->datagram_inet)
        return send_datagram(n, data, len);
    if (n->fd >= 0 && n->n == 0 && peer_alive(n)) {
        /* The usual case, connected with nothing waiting: no copy. */
        if ((r = write_bytes(n, data, len, &sent, deadline)) == 0 || is_message_error(r))
            return r;
        if (r == LT_ETIMEDOUT && sent > 0)
            return enqueue(n, data, len, sent); /* the rest after it, on this connection */
        disconnect(n, r);
        if (r == LT_ETIMEDOUT)
            connect_failed(n, r);
        sent = 0;
    }
    lost = enqueue(n, data, len, sent);
    (void)deliver(n, rec, deadline, false);
    return lost;
}

int lt__net_connect(struct lt__net *n)
{
    double deadline = now_mono() + n->timeout_ms / 1000.0;

    if (n->datagram_inet || n->fd >= 0)
        return 0;
    if (!retry_due(n))
        return why_lost(n);
    return reconnect(n, NULL, deadline);
}

int lt__net_flush(struct lt__net *n)
{
    double deadline = now_mono() + n->timeout_ms / 1000.0;
    int r;

    if (n->datagram_inet || n->n == 0)
        return 0;
    r = deliver(n, NULL, deadline, true);
    return n->n == 0 ? 0 : r < 0 ? r : why_lost(n);
}

int lt__net_socket(struct lt__net *n)
{
    double deadline = now_mono() + n->timeout_ms / 1000.0;
    int r = deliver(n, NULL, deadline, false);

    if (n->fd >= 0 && n->n == 0)
        return n->fd;
    return r < 0 ? r : n->fd < 0 ? why_lost(n) : LT_EAGAIN;
}

static void clear_queue(struct lt__net *n)
{
    while (n->n > 0)
        pop_head(n);
}

int lt__net_control(struct lt__net *n, int op, void *arg)
{
    switch (op) {
    case LT_HANDLER_CTL_AFTER_FORK:
        /* The parent keeps its connection and its queue: the child must
         * neither write into the same stream nor send the parent's records. */
        if (n->fd >= 0)
            close(n->fd);
        n->fd = -1;
        clear_queue(n);
        n->dropped_unannounced = 0;
        n->retry_at = 0;
        return 0;
    case LT_NET_CTL_DROPPED:
        *(uint64_t *)arg = n->dropped_total;
        return 0;
    case LT_NET_CTL_QUEUED:
        *(size_t *)arg = n->records;
        return 0;
    default:
        return LT_ENOTSUP;
    }
}

void lt__net_free(struct lt__net *n, void *state)
{
    if (state && n->records > 0) {
        char what[160];

        snprintf(what, sizeof(what), "closed with %zu records still queued for the peer",
                 n->records);
        lt_handler_report(state, n->last_error < 0 ? n->last_error : LT_ECONNREFUSED, n->records,
                          what);
    }
    if (n->fd >= 0)
        close(n->fd);
    n->fd = -1;
    if (n->ring)
        clear_queue(n);
    free(n->ring);
    free(n->host);
    free(n->service);
    free(n->path);
    n->ring = NULL;
    n->host = n->service = n->path = NULL;
}
