/* handlers/net.h - what the network handlers (syslog.c, socket.c,
 * journald.c) share: a peer and the connection to it, the bounded queue that
 * holds records while the peer is away, and the encodings several of them
 * need (valid UTF-8, RFC 3339 times, Python's pickle). Internal to handlers/;
 * built on the public API only.
 *
 * Every call here runs in emit, flush or control, under the handler's lock,
 * in the thread that logs: nothing may block longer than the handler's
 * timeout. Sockets are non-blocking; connect and send wait with poll(). */
#ifndef LOGTREE_HANDLERS_NET_H
#define LOGTREE_HANDLERS_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include <logtree/handler.h>
#include <logtree/handlers.h>

/* Builds the "N records dropped" notice in the handler's own wire format, as
 * one complete message (framing included). @rec is the record being emitted
 * when the connection came back, or NULL (a flush). */
typedef void (*lt__net_notice_fn)(void *ctx, uint64_t dropped, const lt_record *rec, lt_buf *out);

/* Where to send, and how. Strings are copied by lt__net_init(). */
struct lt__net_peer {
    const char *host; /* an Internet peer: name or address; NULL for a Unix socket */
    int port;
    int family;       /* AF_INET (Python's DatagramHandler), or 0 for any */
    const char *path; /* a Unix socket */
    int socktype;     /* SOCK_DGRAM or SOCK_STREAM; 0 for a Unix socket: datagram,
                         then stream if the socket is not a datagram one (Python) */
    bool resolve_now; /* resolve @host in lt__net_init() and fail there (SysLogHandler) */
};

/* One queued message: the exact bytes that go on the wire. */
struct lt__net_msg {
    size_t len;
    uint64_t notice; /* > 0: this is the notice for that many dropped records */
    char data[];
};

struct lt__net {
    /* the peer */
    char *host;
    char *service;
    char *path;
    int family;
    int socktype;      /* in use (or to try first) */
    bool fallback;     /* Unix socket of unknown type: try the other type too */
    struct sockaddr_storage addr;
    socklen_t addrlen; /* 0: not resolved yet */
    bool datagram_inet; /* UDP: sendto() each message, never queue */

    /* the connection */
    int fd;         /* -1 while down */
    int last_error; /* why it went down, for the record that cannot be queued */
    int timeout_ms;

    /* Python's SocketHandler backoff: after a failed connect, wait
     * retry_period (retry_start, times retry_factor per failure, at most
     * retry_max) before the next attempt; a lost connection is retried at once. */
    double retry_start, retry_factor, retry_max, retry_period;
    double retry_at; /* monotonic seconds; 0: no wait */

    /* the queue: a ring of @cap slots, @n messages from @head, @head_sent
     * bytes of the first one already written to the current connection */
    struct lt__net_msg **ring;
    size_t cap, head, n, head_sent;
    size_t records; /* messages in the queue that are records, not notices */
    size_t queue_size;
    lt_overflow overflow;
    uint64_t dropped_total;
    uint64_t dropped_unannounced;
    lt__net_notice_fn notice;
    void *notice_ctx;
};

/* Set @n up for @peer with @opts (NULL: defaults), no connection yet.
 * Returns 0, LT_EINVAL, LT_ENOMEM, or (resolve_now) LT_EUNKNOWN for a host
 * that does not resolve. Nothing to release on failure. */
int lt__net_init(struct lt__net *n, const struct lt__net_peer *peer, const lt_net_options *opts,
                 lt__net_notice_fn notice, void *notice_ctx);

/* Send one message: at once when connected and nothing waits, else through
 * the queue. Returns 0 if it was sent or queued; a negative code if a record
 * was lost (the queue overflowed, or a UDP send failed): the core counts one. */
int lt__net_send(struct lt__net *n, const void *data, size_t len, const lt_record *rec);

/* Connect now if not connected and the backoff allows: for a Unix socket of
 * unknown type, this is what finds out whether it is a datagram or a stream
 * socket (n->socktype), which the caller's framing depends on. Returns 0 when
 * connected, else why not (the backoff then runs). */
int lt__net_connect(struct lt__net *n);

/* Connect now if need be (whatever the backoff says) and write the queue.
 * Returns 0 when nothing waits any more, else why. */
int lt__net_flush(struct lt__net *n);

/* The connected socket, for a message net.c cannot queue (journald's
 * descriptor passing): connects if due and writes the queue first. Returns
 * the descriptor (still net.c's), or why there is none ready. */
int lt__net_socket(struct lt__net *n);

/* LT_HANDLER_CTL_AFTER_FORK and LT_NET_CTL_*; LT_ENOTSUP else. */
int lt__net_control(struct lt__net *n, int op, void *arg);

/* Close the connection and free the queue. Records still queued are lost:
 * with the kind's @state (the close slot's), they are reported and counted
 * as the handler's lost records (lt_handler_report()); NULL: before the
 * handler existed, nothing could be queued. */
void lt__net_free(struct lt__net *n, void *state);

/* ---- encodings (net.c, pickle.c) ---- */

/* Append @len bytes of @s as valid UTF-8: each maximal invalid sequence
 * becomes U+FFFD, as Python's decode(errors='replace'). */
void lt__utf8_append(lt_buf *out, const char *s, size_t len);

/* Python's repr() of a double (the shortest text that reads back the same),
 * "inf", "-inf" or "nan" as Python prints them. */
void lt__double_append(lt_buf *out, double d);

/* @ts as RFC 3339 with microseconds: 2026-11-27T18:12:13.123456+05:30 in
 * local time, or with "+00:00" in UTC when @utc. */
void lt__rfc3339_append(lt_buf *out, struct timespec ts, bool utc);

/* This machine's name into @buf (gethostname(); "localhost" if that fails). */
void lt__hostname(char *buf, size_t size);

/* Python's SocketHandler.makePickle(): a 4-byte big-endian length, then
 * the record's attribute dict pickled with protocol 1 (msg the message, args
 * None, no "message"), the record's fields as further attributes.
 * Returns 0 or LT_ENOMEM. */
int lt__pickle_record(lt_buf *out, const lt_record *rec);

/* The same for the "N records dropped" notice: a WARNING record of logger
 * "logtree" with the attribute dropped=N; process and thread from @rec if given. */
void lt__pickle_notice(lt_buf *out, uint64_t dropped, const lt_record *rec);

#endif /* LOGTREE_HANDLERS_NET_H */
