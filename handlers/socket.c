/* handlers/socket.c - SocketHandler and DatagramHandler: records to a peer
 * over TCP, UDP or a Unix socket, as Python's pickles or as lines.
 *
 * Pickles need the record, not a rendering (Python's makePickle() does not
 * format), so the pickle kinds are LT_HANDLER_RAW; the lines kinds send what
 * the formatter made. The connection, the queue and the backoff are net.c's. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <logtree/handler.h>
#include <logtree/handlers.h>

#include "net.h"

struct socket_state {
    struct lt__net net;
    lt_buf *wire; /* the bytes of one record on the wire */
};

struct socket_args {
    const char *host;
    int port;
    bool datagram;
    const lt_socket_options *opts;
};

static void pickle_notice(void *ctx, uint64_t dropped, const lt_record *rec, lt_buf *out)
{
    (void)ctx;
    lt__pickle_notice(out, dropped, rec);
}

static void lines_notice(void *ctx, uint64_t dropped, const lt_record *rec, lt_buf *out)
{
    struct timespec now;

    (void)ctx;
    (void)rec;
    clock_gettime(CLOCK_REALTIME, &now);
    lt_buf_puts(out, "{\"time\": \"");
    lt__rfc3339_append(out, now, false);
    lt_buf_printf(out,
                  "\", \"level\": \"WARNING\", \"logger\": \"logtree\", \"message\": \"%llu "
                  "records dropped\", \"dropped\": %llu}\n",
                  (unsigned long long)dropped, (unsigned long long)dropped);
}

static int socket_open(void *state, const void *arg)
{
    const struct socket_args *a = arg;
    const lt_socket_options *o = a->opts;
    struct socket_state *s = state;
    struct lt__net_peer peer = {0};
    bool lines = o && o->wire == LT_WIRE_LINES;
    int r;

    if (a->port == 0) {
        peer.path = a->host;
        peer.socktype = a->datagram ? SOCK_DGRAM : SOCK_STREAM;
    } else {
        peer.host = a->host;
        peer.port = a->port;
        peer.socktype = a->datagram ? SOCK_DGRAM : SOCK_STREAM;
        peer.family = a->datagram ? AF_INET : 0; /* Python's DatagramHandler is IPv4 */
    }
    if ((r = lt_buf_new(&s->wire)) < 0)
        return r;
    r = lt__net_init(&s->net, &peer, o ? &o->net : NULL, lines ? lines_notice : pickle_notice,
                     s);
    if (r < 0)
        lt_buf_free(s->wire);
    return r;
}

static int pickle_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    struct socket_state *s = state;
    int r;

    (void)msg;
    lt_buf_truncate(s->wire, 0);
    if ((r = lt__pickle_record(s->wire, rec)) < 0)
        return r;
    return lt__net_send(&s->net, lt_buf_data(s->wire), lt_buf_len(s->wire), rec);
}

/* One record, one line: a newline inside the rendering goes as "\n". */
static int lines_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    struct socket_state *s = state;
    const char *p = lt_buf_data(msg), *end = p + lt_buf_len(msg), *nl;
    lt_buf *out = msg;

    if (memchr(p, '\n', lt_buf_len(msg))) {
        out = s->wire;
        lt_buf_truncate(out, 0);
        while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
            lt_buf_append(out, p, (size_t)(nl - p));
            lt_buf_puts(out, "\\n");
            p = nl + 1;
        }
        lt_buf_append(out, p, (size_t)(end - p));
    }
    lt_buf_putc(out, '\n');
    if (lt_buf_error(out))
        return lt_buf_error(out);
    return lt__net_send(&s->net, lt_buf_data(out), lt_buf_len(out), rec);
}

static int socket_flush(void *state)
{
    struct socket_state *s = state;

    return lt__net_flush(&s->net);
}

static void socket_close(void *state)
{
    struct socket_state *s = state;

    lt__net_free(&s->net, state);
    lt_buf_free(s->wire);
}

static int socket_control(void *state, int op, void *arg)
{
    struct socket_state *s = state;

    return lt__net_control(&s->net, op, arg);
}

#define SOCKET_TYPE(kind, flag, emit_fn)                                                           \
    {                                                                                              \
        .version = LT_HANDLER_TYPE_VERSION, .name = kind,                                          \
        .state_size = sizeof(struct socket_state), .flags = flag, .open = socket_open,             \
        .emit = emit_fn, .flush = socket_flush, .close = socket_close,                             \
        .control = socket_control,                                                                 \
    }

static const lt_handler_type socket_pickle = SOCKET_TYPE("socket", LT_HANDLER_RAW, pickle_emit);
static const lt_handler_type socket_lines = SOCKET_TYPE("socket", 0, lines_emit);
static const lt_handler_type datagram_pickle =
    SOCKET_TYPE("datagram", LT_HANDLER_RAW, pickle_emit);
static const lt_handler_type datagram_lines = SOCKET_TYPE("datagram", 0, lines_emit);

static int new_handler(lt_handler **ret, const char *host, int port, bool datagram,
                       const lt_socket_options *opts)
{
    struct socket_args a = {host, port, datagram, opts};
    bool lines = opts && opts->wire == LT_WIRE_LINES;

    if (!ret || !host || port < 0 || port > 65535)
        return LT_EINVAL;
    if (opts && opts->wire != LT_WIRE_PICKLE && opts->wire != LT_WIRE_LINES)
        return LT_EINVAL;
    if (datagram)
        return lt_handler_new(ret, lines ? &datagram_lines : &datagram_pickle, &a);
    return lt_handler_new(ret, lines ? &socket_lines : &socket_pickle, &a);
}

int lt_socket_handler_new(lt_handler **ret, const char *host, int port,
                          const lt_socket_options *opts)
{
    return new_handler(ret, host, port, false, opts);
}

int lt_datagram_handler_new(lt_handler **ret, const char *host, int port,
                            const lt_socket_options *opts)
{
    return new_handler(ret, host, port, true, opts);
}
