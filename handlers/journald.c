/* handlers/journald.c - JournalHandler: records to systemd's journal with its
 * native protocol, without libsystemd.
 *
 * The protocol (systemd's journald-native.c, sd_journal_sendv()): one
 * datagram per entry on /run/systemd/journal/socket, each field either
 * "KEY=value\n" or, when the value holds a newline, "KEY\n", its length as a
 * little-endian 64-bit number, the value and "\n". An entry too big for a
 * datagram goes in a sealed memfd whose descriptor is passed alone
 * (SCM_RIGHTS), as sd_journal_sendv() does.
 *
 * memfd_create() and the seals are Linux's, declared only with _GNU_SOURCE:
 * hence the macro, for this file alone. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <logtree/handler.h>
#include <logtree/handlers.h>

#include "net.h"
#include "sys.h"

#define DEFAULT_PATH "/run/systemd/journal/socket"
#define MAX_NAME     64
/* Bigger entries go through a memfd: a datagram is limited by the socket's
 * send buffer (about 200 KiB by default), and the memfd costs little. */
#define DGRAM_MAX (128 * 1024)

struct journal_state {
    struct lt__net net;
    char *identifier; /* NULL: the program's name, from each record */
    lt_buf *entry;
    lt_buf *tmp;
};

struct journal_args {
    const lt_journal_options *o;
};

/* The names this handler writes itself: a field must not add a second value. */
static const char *const own_names[] = {
    "MESSAGE",   "PRIORITY",  "SYSLOG_IDENTIFIER", "LOGGER",      "CODE_FILE",
    "CODE_LINE", "CODE_FUNC", "THREAD_NAME",       "ERRNO",       "LOGTREE_DROPPED",
};

static int severity(int level)
{
    if (level >= LT_LEVEL_CRITICAL)
        return 2;
    if (level >= LT_LEVEL_ERROR)
        return 3;
    if (level >= LT_LEVEL_WARNING)
        return 4;
    return level >= LT_LEVEL_INFO ? 6 : 7;
}

static void put_field(lt_buf *out, const char *name, const char *value, size_t len)
{
    lt_buf_puts(out, name);
    if (!memchr(value, '\n', len)) {
        lt_buf_putc(out, '=');
        lt_buf_append(out, value, len);
    } else {
        lt_buf_putc(out, '\n');
        for (int i = 0; i < 8; i++)
            lt_buf_putc(out, (char)(unsigned char)((uint64_t)len >> (8 * i)));
        lt_buf_append(out, value, len);
    }
    lt_buf_putc(out, '\n');
}

static void put_cfield(lt_buf *out, const char *name, const char *value)
{
    put_field(out, name, value, strlen(value));
}

static void put_value(lt_buf *out, lt_buf *tmp, const char *name, const lt_value *v)
{
    lt_buf_truncate(tmp, 0);
    switch (v->type) {
    case LT_VALUE_BOOL: lt_buf_puts(tmp, v->as.b ? "true" : "false"); break;
    case LT_VALUE_INT: lt_buf_printf(tmp, "%lld", (long long)v->as.i); break;
    case LT_VALUE_UINT: lt_buf_printf(tmp, "%llu", (unsigned long long)v->as.u); break;
    case LT_VALUE_DOUBLE: lt__double_append(tmp, v->as.d); break;
    case LT_VALUE_STRING: lt_buf_append(tmp, v->as.s.ptr, v->as.s.len); break;
    default: break;
    }
    put_field(out, name, lt_buf_data(tmp), lt_buf_len(tmp));
}

static bool own_name(const char *name)
{
    for (size_t i = 0; i < sizeof(own_names) / sizeof(own_names[0]); i++)
        if (strcmp(name, own_names[i]) == 0)
            return true;
    return false;
}

/* A journal field name: A-Z, 0-9 and '_', not starting with '_' (trusted
 * fields) or a digit, at most 64 characters. */
static void field_name(const char *key, char *name)
{
    char upper[MAX_NAME + 1];
    size_t n = 0;

    for (; key[n] && n < MAX_NAME; n++) {
        char c = key[n];

        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        upper[n] = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '_';
    }
    upper[n] = '\0';
    if (upper[0] == '_' || (upper[0] >= '0' && upper[0] <= '9') || own_name(upper)) {
        if (n > MAX_NAME - 2)
            n = MAX_NAME - 2;
        memcpy(name, "F_", 2);
        memcpy(name + 2, upper, n);
        name[n + 2] = '\0';
    } else {
        memcpy(name, upper, n + 1);
    }
}

static void put_fields(struct journal_state *s, const lt_record *rec)
{
    size_t n = lt_record_field_count(rec);

    for (size_t i = 0; i < n; i++) {
        char name[MAX_NAME + 1];
        const char *key;
        lt_value v;

        if (!lt_record_field(rec, i, &key, &v))
            continue;
        field_name(key, name);
        put_value(s->entry, s->tmp, name, &v);
    }
}

static void put_attr(struct journal_state *s, const char *name, const lt_record *rec, int attr)
{
    lt_value v;

    if (lt_record_get(rec, attr, &v))
        put_value(s->entry, s->tmp, name, &v);
}

static void put_identifier(struct journal_state *s, const lt_record *rec)
{
    if (s->identifier)
        put_cfield(s->entry, "SYSLOG_IDENTIFIER", s->identifier);
    else if (rec)
        put_attr(s, "SYSLOG_IDENTIFIER", rec, LT_ATTR_PROCESSNAME);
}

static void build_entry(struct journal_state *s, const lt_record *rec, const lt_buf *msg)
{
    lt_buf *e = s->entry;
    char prio[2] = {(char)('0' + severity(lt_record_level(rec))), '\0'};

    lt_buf_truncate(e, 0);
    put_field(e, "MESSAGE", lt_buf_data(msg), lt_buf_len(msg));
    put_cfield(e, "PRIORITY", prio);
    put_identifier(s, rec);
    put_attr(s, "LOGGER", rec, LT_ATTR_NAME);
    put_attr(s, "CODE_FILE", rec, LT_ATTR_PATHNAME);
    put_attr(s, "CODE_LINE", rec, LT_ATTR_LINENO);
    put_attr(s, "CODE_FUNC", rec, LT_ATTR_FUNCNAME);
    put_attr(s, "THREAD_NAME", rec, LT_ATTR_THREADNAME);
    if (lt_record_errno(rec) != 0)
        put_attr(s, "ERRNO", rec, LT_ATTR_ERRNO);
    put_fields(s, rec);
}

/* A sealed memfd holding the entry, as sd_journal_sendv() makes one. */
static int entry_memfd(const lt_buf *entry)
{
    int fd = memfd_create("logtree-journal", MFD_CLOEXEC | MFD_ALLOW_SEALING), r;

    if (fd < 0)
        return -errno;
    r = lt_write_all(fd, lt_buf_data(entry), lt_buf_len(entry));
    if (r == 0 && fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW |
                                             F_SEAL_WRITE) < 0)
        r = -errno;
    if (r < 0) {
        close(fd);
        return r;
    }
    return fd;
}

/* An empty datagram carrying only the descriptor. */
static int send_fd(struct journal_state *s, int memfd)
{
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } control;
    struct msghdr mh = {0};
    struct cmsghdr *cm;
    int sock = lt__net_socket(&s->net), r = 0;

    if (sock < 0)
        return sock;
    memset(&control, 0, sizeof(control));
    mh.msg_control = control.buf;
    mh.msg_controllen = sizeof(control.buf);
    cm = CMSG_FIRSTHDR(&mh);
    cm->cmsg_level = SOL_SOCKET;
    cm->cmsg_type = SCM_RIGHTS;
    cm->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cm), &memfd, sizeof(int));
    if (lt__sys_sendmsg(sock, &mh, MSG_NOSIGNAL) < 0)
        r = -errno;
    return r;
}

static int send_big(struct journal_state *s)
{
    int fd = entry_memfd(s->entry), r;

    if (fd < 0)
        return fd;
    r = send_fd(s, fd);
    close(fd);
    return r;
}

static int journal_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    struct journal_state *s = state;
    int r;

    build_entry(s, rec, msg);
    if (lt_buf_error(s->entry) || lt_buf_error(s->tmp))
        return LT_ENOMEM;
    if (lt_buf_len(s->entry) > DGRAM_MAX)
        return send_big(s);
    r = lt__net_send(&s->net, lt_buf_data(s->entry), lt_buf_len(s->entry), rec);
    return r == -EMSGSIZE ? send_big(s) : r;
}

static void journal_notice(void *ctx, uint64_t dropped, const lt_record *rec, lt_buf *out)
{
    struct journal_state *s = ctx;
    lt_buf *entry = s->entry;
    char text[64];

    s->entry = out;
    snprintf(text, sizeof(text), "%llu records dropped", (unsigned long long)dropped);
    put_cfield(out, "MESSAGE", text);
    put_cfield(out, "PRIORITY", "4");
    put_identifier(s, rec);
    put_cfield(out, "LOGGER", "logtree");
    snprintf(text, sizeof(text), "%llu", (unsigned long long)dropped);
    put_cfield(out, "LOGTREE_DROPPED", text);
    s->entry = entry;
}

static void journal_close(void *state)
{
    struct journal_state *s = state;

    lt__net_free(&s->net, state);
    free(s->identifier);
    lt_buf_free(s->entry);
    lt_buf_free(s->tmp);
}

static int journal_open(void *state, const void *arg)
{
    const lt_journal_options *o = ((const struct journal_args *)arg)->o;
    struct journal_state *s = state;
    struct lt__net_peer peer = {.path = o->path ? o->path : DEFAULT_PATH,
                                .socktype = SOCK_DGRAM};
    int r = 0;

    s->net.fd = -1;
    if ((o->identifier && !(s->identifier = lt__strdup(o->identifier))) ||
        lt_buf_new(&s->entry) < 0 || lt_buf_new(&s->tmp) < 0)
        r = LT_ENOMEM;
    if (r == 0)
        r = lt__net_init(&s->net, &peer, &o->net, journal_notice, s);
    if (r < 0) {
        s->net.fd = -1;
        journal_close(s);
    }
    return r;
}

static int journal_flush(void *state)
{
    struct journal_state *s = state;

    return lt__net_flush(&s->net);
}

static int journal_control(void *state, int op, void *arg)
{
    struct journal_state *s = state;

    return lt__net_control(&s->net, op, arg);
}

static const lt_handler_type journal_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "journal",
    .state_size = sizeof(struct journal_state),
    .open = journal_open,
    .emit = journal_emit,
    .flush = journal_flush,
    .close = journal_close,
    .control = journal_control,
};

int lt_journal_handler_new(lt_handler **ret, const lt_journal_options *opts)
{
    static const lt_journal_options defaults;
    struct journal_args a = {opts ? opts : &defaults};

    if (!ret)
        return LT_EINVAL;
    return lt_handler_new(ret, &journal_type, &a);
}
