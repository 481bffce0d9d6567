/* src/config_net.c - the network handler classes of config files:
 * SysLogHandler, SocketHandler and DatagramHandler with Python's signatures
 * and argument forms, logtree's keywords after them (format, wire,
 * queue_size, ...), and logtree.JournalHandler. The table that names them is
 * in config_classes.c; here their arguments are checked into a spec, before
 * anything is opened, and the handlers made from it. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "config_loader.h"

#define PY_SOCK_STREAM 1 /* Python's socket.SOCK_STREAM, as configs spell it */
#define PY_SOCK_DGRAM  2

/* A string argument, or NULL for None or absent. */
static int opt_str(const lt__pyval *v, const char *what, const char **ret, struct lt__arg_error *e)
{
    if (lt__py_is_none(v))
        return 0;
    if (v->kind != LT__PY_STR)
        return lt__arg_fail(e, v, "%s must be a string, not %s", what, lt__py_kind_name(v->kind));
    if (strlen(v->as.str.ptr) != v->as.str.len)
        return lt__arg_fail(e, v, "%s contains a NUL character", what);
    *ret = v->as.str.ptr;
    return 0;
}

static int opt_int(const lt__pyval *v, const char *what, long long lo, long long hi, long long *ret,
                   struct lt__arg_error *e)
{
    if (lt__py_is_none(v))
        return 0;
    if (v->kind != LT__PY_INT)
        return lt__arg_fail(e, v, "%s must be an integer, not %s", what, lt__py_kind_name(v->kind));
    if (v->as.i < lo || v->as.i > hi)
        return lt__arg_fail(e, v, "%s must be %lld to %lld, not %lld", what, lo, hi, v->as.i);
    *ret = v->as.i;
    return 0;
}

/* One of @names (NULL-terminated), as its index. */
static int opt_choice(const lt__pyval *v, const char *what, const char *const *names, int *ret,
                      struct lt__arg_error *e)
{
    const char *s = NULL;
    int r;

    if ((r = opt_str(v, what, &s, e)) < 0 || !s)
        return r;
    for (int i = 0; names[i]; i++) {
        if (strcmp(s, names[i]) == 0) {
            *ret = i;
            return 0;
        }
    }
    {
        char list[160] = "";
        size_t used = 0;

        for (int i = 0; names[i] && used < sizeof(list); i++)
            used +=
                (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", names[i]);
        return lt__arg_fail(e, v, "%s '%s' is not one of %s", what, s, list);
    }
}

/* queue_size, overflow, timeout: what every network class takes last. */
static int check_net(const lt__pyval *const *argv, lt_net_options *net, struct lt__arg_error *e)
{
    static const char *const overflows[] = {"drop_oldest", "drop_newest", NULL};
    const lt__pyval *t = argv[2];
    long long queue = 0;
    int overflow = 0, r;

    if ((r = opt_int(argv[0], "queue_size", 1, 100000000, &queue, e)) < 0 ||
        (r = opt_choice(argv[1], "overflow", overflows, &overflow, e)) < 0)
        return r;
    net->queue_size = (size_t)queue;
    net->overflow = overflow ? LT_OVERFLOW_DROP_NEWEST : LT_OVERFLOW_DROP_OLDEST;
    if (lt__py_is_none(t))
        return 0;
    if (t->kind == LT__PY_INT && t->as.i > 0 && t->as.i <= 86400)
        net->timeout = (double)t->as.i;
    else if (t->kind == LT__PY_FLOAT && t->as.f > 0 && t->as.f <= 86400)
        net->timeout = t->as.f;
    else
        return lt__arg_fail(e, t, "timeout must be a number of seconds above 0 (at most 86400)");
    return 0;
}

/* ---- SysLogHandler(address=('localhost', 514), facility=LOG_USER, socktype=None) ---- */

static const char *const facility_names[] = {
    "kern",    "user",         "mail",   "daemon",   "auth",   "syslog", "lpr",
    "news",    "uucp",         "cron",   "authpriv", "ftp",    "ntp",    "security",
    "console", "solaris-cron", "local0", "local1",   "local2", "local3", "local4",
    "local5",  "local6",       "local7", NULL,
};

static int check_address(const lt__pyval *v, struct lt__handler_spec *spec, struct lt__arg_error *e)
{
    lt_syslog_options *o = &spec->syslog;
    long long port = 514;
    int r;

    if (lt__py_is_none(v)) {
        o->host = "localhost"; /* Python's default, not /dev/log */
        return 0;
    }
    if (v->kind == LT__PY_STR)
        return opt_str(v, "address", &o->path, e);
    if (v->kind != LT__PY_TUPLE || v->as.tuple.n != 2)
        return lt__arg_fail(e, v, "address must be a socket path or a (host, port) tuple");
    if ((r = opt_str(v->as.tuple.items[0], "address host", &o->host, e)) < 0 ||
        (r = opt_int(v->as.tuple.items[1], "address port", 1, 65535, &port, e)) < 0)
        return r;
    if (!o->host)
        return lt__arg_fail(e, v->as.tuple.items[0], "address host must be a string");
    o->port = (int)port;
    return 0;
}

static int check_facility(const lt__pyval *v, struct lt__handler_spec *spec,
                          struct lt__arg_error *e)
{
    long long n = 1;
    int index = 1, r;

    if (v && v->kind == LT__PY_STR) {
        if ((r = opt_choice(v, "facility", facility_names, &index, e)) < 0)
            return lt__arg_fail(e, v,
                                "facility '%s' is not one of Python's facility names "
                                "(user, daemon, local0 ... local7, ...)",
                                v->as.str.ptr);
        spec->syslog.facility = facility_names[index];
        return 0;
    }
    if ((r = opt_int(v, "facility", 0, 23, &n, e)) < 0)
        return r;
    snprintf(spec->facility, sizeof(spec->facility), "%lld", n);
    spec->syslog.facility = spec->facility;
    return 0;
}

static int check_socktype(const lt__pyval *v, lt_syslog_options *o, struct lt__arg_error *e)
{
    long long t = 0;
    int r;

    if ((r = opt_int(v, "socktype", PY_SOCK_STREAM, PY_SOCK_DGRAM, &t, e)) < 0)
        return r;
    o->socktype = t == PY_SOCK_STREAM ? SOCK_STREAM : t == PY_SOCK_DGRAM ? SOCK_DGRAM : 0;
    return 0;
}

static int check_syslog_style(const lt__pyval *const *argv, lt_syslog_options *o,
                              struct lt__arg_error *e)
{
    static const char *const formats[] = {"auto", "python", "rfc3164", "rfc5424", NULL};
    static const char *const framings[] = {"auto", "octet_counting", "newline", "none", NULL};
    int format = 0, framing = 0, r;

    if ((r = opt_choice(argv[0], "format", formats, &format, e)) < 0 ||
        (r = opt_choice(argv[1], "framing", framings, &framing, e)) < 0)
        return r;
    o->format = (lt_syslog_format)format;
    o->framing = (lt_syslog_framing)framing;
    return 0;
}

static bool valid_sd_id(const char *id)
{
    size_t n = strlen(id);

    for (size_t i = 0; i < n; i++)
        if (id[i] < 33 || id[i] > 126 || strchr("= ]\"", id[i]))
            return false;
    return n >= 1 && n <= 32;
}

int lt__check_syslog_args(const lt__pyval *const *argv, struct lt__handler_spec *spec,
                          struct lt__arg_error *e)
{
    /* (address, facility, socktype, *, format, framing, ident, app_name,
     *  hostname, msgid, sd_id, max_size, utc, queue_size, overflow, timeout) */
    const lt__pyval *const *kw = argv + LT__CLASS_POSITIONAL;
    lt_syslog_options *o = &spec->syslog;
    long long max_size = 0;
    int r;

    if ((r = check_address(argv[0], spec, e)) < 0 || (r = check_facility(argv[1], spec, e)) < 0 ||
        (r = check_socktype(argv[2], o, e)) < 0 || (r = check_syslog_style(kw, o, e)) < 0 ||
        (r = opt_str(kw[2], "ident", &o->ident, e)) < 0 ||
        (r = opt_str(kw[3], "app_name", &o->app_name, e)) < 0 ||
        (r = opt_str(kw[4], "hostname", &o->hostname, e)) < 0 ||
        (r = opt_str(kw[5], "msgid", &o->msgid, e)) < 0 ||
        (r = opt_str(kw[6], "sd_id", &o->sd_id, e)) < 0 ||
        (r = opt_int(kw[7], "max_size", 0, 1 << 30, &max_size, e)) < 0 ||
        (r = check_net(kw + 9, &o->net, e)) < 0)
        return r;
    if (o->sd_id && !valid_sd_id(o->sd_id))
        return lt__arg_fail(e, kw[6],
                            "sd_id '%s' is not an SD-ID (1 to 32 printable ASCII "
                            "characters, no '=', ' ', ']' or '\"')",
                            o->sd_id);
    o->max_size = (size_t)max_size;
    o->utc = kw[8] && kw[8]->kind == LT__PY_BOOL ? kw[8]->as.b : 0;
    return 0;
}

int lt__create_syslog(const struct lt__handler_spec *spec, lt_handler **ret)
{
    return lt_syslog_handler_new(ret, &spec->syslog);
}

/* ---- SocketHandler(host, port), DatagramHandler(host, port) ---- */

int lt__check_socket_args(const lt__pyval *const *argv, struct lt__handler_spec *spec,
                          struct lt__arg_error *e)
{
    static const char *const wires[] = {"pickle", "lines", NULL};
    const lt__pyval *const *kw = argv + LT__CLASS_POSITIONAL;
    long long port = 0;
    int wire = 0, r;

    /* (host, port, *, wire, queue_size, overflow, timeout); port None: host
     * is the path of a Unix socket, as in Python. */
    if ((r = opt_str(argv[0], "host", &spec->host, e)) < 0 ||
        (r = opt_int(argv[1], "port", 1, 65535, &port, e)) < 0 ||
        (r = opt_choice(kw[0], "wire", wires, &wire, e)) < 0 ||
        (r = check_net(kw + 1, &spec->socket.net, e)) < 0)
        return r;
    if (!spec->host)
        return lt__arg_fail(e, argv[0], "host must be a string");
    spec->port = (int)port;
    spec->socket.wire = wire ? LT_WIRE_LINES : LT_WIRE_PICKLE;
    return 0;
}

int lt__create_socket(const struct lt__handler_spec *spec, lt_handler **ret)
{
    return lt_socket_handler_new(ret, spec->host, spec->port, &spec->socket);
}

int lt__create_datagram(const struct lt__handler_spec *spec, lt_handler **ret)
{
    return lt_datagram_handler_new(ret, spec->host, spec->port, &spec->socket);
}

/* ---- logtree.JournalHandler(identifier=None, path=None) ---- */

int lt__check_journal_args(const lt__pyval *const *argv, struct lt__handler_spec *spec,
                           struct lt__arg_error *e)
{
    lt_journal_options *o = &spec->journal;
    int r;

    /* (identifier, path, *, queue_size, overflow, timeout) */
    if ((r = opt_str(argv[0], "identifier", &o->identifier, e)) < 0 ||
        (r = opt_str(argv[1], "path", &o->path, e)) < 0 ||
        (r = check_net(argv + LT__CLASS_POSITIONAL, &o->net, e)) < 0)
        return r;
    return 0;
}

int lt__create_journal(const struct lt__handler_spec *spec, lt_handler **ret)
{
    return lt_journal_handler_new(ret, &spec->journal);
}
