/* handlers/syslog.c - SysLogHandler: records to a syslog daemon over a Unix
 * socket, UDP or TCP, in Python's format, RFC 3164 or RFC 5424.
 *
 * A message is built in three parts: the header (everything before the
 * message text: PRI, and the 3164 or 5424 header with its structured data),
 * the text (ident and the formatter's rendering), and a trailer (Python's
 * NUL). Keeping them apart is what lets a datagram be cut inside the text,
 * never inside the header, and a stream frame be counted or escaped whole. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <logtree/handler.h>
#include <logtree/handlers.h>

#include "net.h"
#include "sys.h"

#define DEFAULT_PATH     "/dev/log"
#define DEFAULT_PORT     514
#define DEFAULT_SD_ID    "logtree@32473"
#define UDP_MAX          2048
#define UNIX_DGRAM_MAX   8192
#define SEV_WARNING      4
#define MAX_HOSTNAME     255
#define MAX_APP_NAME     48
#define MAX_MSGID        32
#define MAX_PARAM_NAME   32

struct syslog_state {
    struct lt__net net;
    int facility;
    lt_syslog_format format;   /* never AUTO once open */
    lt_syslog_framing framing; /* never AUTO once open */
    bool local;
    bool utc;
    size_t max_size; /* for datagrams; 0: none */
    char *ident, *app_name, *msgid, *sd_id;
    char hostname[MAX_HOSTNAME + 1];
    lt_buf *head, *text, *wire, *tmp;
};

/* Python's SysLogHandler.facility_names. */
static const struct {
    const char *name;
    int code;
} facilities[] = {
    {"kern", 0},          {"user", 1},      {"mail", 2},      {"daemon", 3},
    {"auth", 4},          {"syslog", 5},    {"lpr", 6},       {"news", 7},
    {"uucp", 8},          {"cron", 9},      {"authpriv", 10}, {"ftp", 11},
    {"ntp", 12},          {"security", 13}, {"console", 14},  {"solaris-cron", 15},
    {"local0", 16},       {"local1", 17},   {"local2", 18},   {"local3", 19},
    {"local4", 20},       {"local5", 21},   {"local6", 22},   {"local7", 23},
};

static int parse_facility(const char *s, int *ret)
{
    char *end;
    long n;

    if (!s) {
        *ret = 1;
        return 0;
    }
    for (size_t i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++) {
        if (strcmp(s, facilities[i].name) == 0) {
            *ret = facilities[i].code;
            return 0;
        }
    }
    n = strtol(s, &end, 10);
    if (!*s || *end || n < 0 || n > 23)
        return LT_EINVAL;
    *ret = (int)n;
    return 0;
}

/* Python's mapPriority() for the standard levels; any other level takes the
 * severity of the nearest standard level below it. */
static int severity(int level)
{
    if (level >= LT_LEVEL_CRITICAL)
        return 2;
    if (level >= LT_LEVEL_ERROR)
        return 3;
    if (level >= LT_LEVEL_WARNING)
        return 4;
    if (level >= LT_LEVEL_INFO)
        return 6;
    return 7;
}

/* ---- header fields ---- */

/* RFC 5424's PRINTUSASCII, at most @max characters, "-" when empty; @extra
 * lists further characters to replace (RFC 3164's tag ends at '[' or ':'). */
static void put_token(lt_buf *out, const char *s, size_t len, size_t max, const char *extra)
{
    size_t n = len < max ? len : max;

    if (n == 0) {
        lt_buf_putc(out, '-');
        return;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        lt_buf_putc(out, c < 33 || c > 126 || strchr(extra, c) ? '_' : (char)c);
    }
}

static void put_ctoken(lt_buf *out, const char *s, size_t max, const char *extra)
{
    put_token(out, s, s ? strlen(s) : 0, max, extra);
}

/* APP-NAME / tag: the one given, else the program's name (processName). */
static void put_app_name(struct syslog_state *s, lt_buf *out, const lt_record *rec,
                         const char *extra)
{
    lt_value v;

    if (s->app_name)
        put_ctoken(out, s->app_name, MAX_APP_NAME, extra);
    else if (rec && lt_record_get(rec, LT_ATTR_PROCESSNAME, &v) && v.type == LT_VALUE_STRING)
        put_token(out, v.as.s.ptr, v.as.s.len, MAX_APP_NAME, extra);
    else
        put_ctoken(out, "logtree", MAX_APP_NAME, extra);
}

static long procid(const lt_record *rec)
{
    lt_value v;

    if (rec && lt_record_get(rec, LT_ATTR_PROCESS, &v) && v.type == LT_VALUE_INT)
        return (long)v.as.i;
    return (long)getpid();
}

static void put_3164_time(lt_buf *out, struct timespec ts, bool utc)
{
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;

    if (utc)
        gmtime_r(&ts.tv_sec, &tm);
    else
        localtime_r(&ts.tv_sec, &tm);
    lt_buf_printf(out, "%s %2d %02d:%02d:%02d", months[tm.tm_mon % 12], tm.tm_mday, tm.tm_hour,
                  tm.tm_min, tm.tm_sec);
}

/* ---- structured data (RFC 5424 section 6.3) ---- */

static void put_param_name(lt_buf *out, const char *key)
{
    put_ctoken(out, key, MAX_PARAM_NAME, "=]\"");
}

/* PARAM-VALUE: UTF-8, with '"', '\' and ']' escaped. A value is record
 * text like the message, so the handler's escaping (in @tmp's setting)
 * applies to it first: a reader that unescapes the three RFC escapes reads
 * back "\n" where the value had a newline, as in the message. */
static void put_param_text(lt_buf *out, lt_buf *tmp, const char *s, size_t len)
{
    const char *p, *end;

    lt_buf_truncate(tmp, 0);
    if (lt_buf_escape(tmp) == LT_ESCAPE_CONTROLS) {
        lt_buf_append(tmp, s, len);
        lt_buf_escape_from(tmp, 0); /* and so valid UTF-8 */
    } else {
        lt__utf8_append(tmp, s, len);
    }
    p = lt_buf_data(tmp);
    end = p + lt_buf_len(tmp);
    for (; p < end; p++) {
        if (*p == '"' || *p == '\\' || *p == ']')
            lt_buf_putc(out, '\\');
        lt_buf_putc(out, *p);
    }
}

static void put_param_value(lt_buf *out, lt_buf *tmp, const lt_value *v)
{
    switch (v->type) {
    case LT_VALUE_BOOL: lt_buf_puts(out, v->as.b ? "true" : "false"); break;
    case LT_VALUE_INT: lt_buf_printf(out, "%lld", (long long)v->as.i); break;
    case LT_VALUE_UINT: lt_buf_printf(out, "%llu", (unsigned long long)v->as.u); break;
    case LT_VALUE_DOUBLE: lt__double_append(out, v->as.d); break;
    case LT_VALUE_STRING: put_param_text(out, tmp, v->as.s.ptr, v->as.s.len); break;
    default: break; /* null: an empty value */
    }
}

static void put_sd(struct syslog_state *s, lt_buf *out, const lt_record *rec)
{
    size_t n = lt_record_field_count(rec);
    int err = lt_record_errno(rec);

    if (n == 0 && err == 0) {
        lt_buf_putc(out, '-');
        return;
    }
    lt_buf_putc(out, '[');
    lt_buf_puts(out, s->sd_id);
    if (err != 0)
        lt_buf_printf(out, " errno=\"%d\"", err);
    for (size_t i = 0; i < n; i++) {
        const char *key;
        lt_value v;

        if (!lt_record_field(rec, i, &key, &v))
            continue;
        lt_buf_putc(out, ' ');
        put_param_name(out, key);
        lt_buf_puts(out, "=\"");
        put_param_value(out, s->tmp, &v);
        lt_buf_putc(out, '"');
    }
    lt_buf_putc(out, ']');
}

/* ---- the three formats ---- */

/* The header of @rec (or of the notice: @rec NULL, @sd given) into s->head. */
static void build_header(struct syslog_state *s, const lt_record *rec, int level,
                         struct timespec ts, const char *sd)
{
    lt_buf *h = s->head;

    lt_buf_truncate(h, 0);
    lt_buf_printf(h, "<%d>", s->facility * 8 + severity(level));
    if (s->format == LT_SYSLOG_FORMAT_RFC3164) {
        put_3164_time(h, ts, s->utc);
        lt_buf_putc(h, ' ');
        if (!s->local) {
            put_ctoken(h, s->hostname, MAX_HOSTNAME, "");
            lt_buf_putc(h, ' ');
        }
        put_app_name(s, h, rec, "[]:");
        lt_buf_printf(h, "[%ld]: ", procid(rec));
    } else if (s->format == LT_SYSLOG_FORMAT_RFC5424) {
        lt_buf_puts(h, "1 ");
        lt__rfc3339_append(h, ts, s->utc);
        lt_buf_putc(h, ' ');
        put_ctoken(h, s->hostname, MAX_HOSTNAME, "");
        lt_buf_putc(h, ' ');
        put_app_name(s, h, rec, "");
        lt_buf_printf(h, " %ld ", procid(rec));
        put_ctoken(h, s->msgid, MAX_MSGID, "");
        lt_buf_putc(h, ' ');
        if (sd)
            lt_buf_puts(h, sd);
        else
            put_sd(s, h, rec);
        lt_buf_putc(h, ' ');
    }
}

static const char *trailer(const struct syslog_state *s)
{
    return s->format == LT_SYSLOG_FORMAT_PYTHON ? "\0" : "";
}

static size_t trailer_len(const struct syslog_state *s)
{
    return s->format == LT_SYSLOG_FORMAT_PYTHON ? 1 : 0;
}

/* The longest prefix of @len bytes of @p within @max that does not end
 * inside a UTF-8 sequence. */
static size_t utf8_cut(const char *p, size_t len, size_t max)
{
    size_t n = len < max ? len : max;

    if (n < len)
        while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
            n--;
    return n;
}

/* A datagram within max_size: the text is cut first, then the structured
 * data goes, and only a header longer than the limit by itself is cut. */
static void fit_datagram(struct syslog_state *s, const lt_record *rec, int level,
                         struct timespec ts, size_t *text_len)
{
    size_t fixed;

    if (s->max_size == 0 || s->net.socktype != SOCK_DGRAM)
        return;
    fixed = lt_buf_len(s->head) + trailer_len(s);
    if (fixed > s->max_size && s->format == LT_SYSLOG_FORMAT_RFC5424) {
        build_header(s, rec, level, ts, "-");
        fixed = lt_buf_len(s->head) + trailer_len(s);
    }
    if (fixed > s->max_size) {
        lt_buf_truncate(s->head, utf8_cut(lt_buf_data(s->head), lt_buf_len(s->head),
                                          s->max_size - trailer_len(s)));
        fixed = lt_buf_len(s->head) + trailer_len(s);
    }
    *text_len = utf8_cut(lt_buf_data(s->text), *text_len, s->max_size - fixed);
}

/* @len bytes of @p with each newline as "#012", rsyslog's own escape: on a
 * newline-framed stream a newline, in the text or in a structured-data
 * value, would end the frame. */
static void append_one_line(lt_buf *w, const char *p, size_t len)
{
    const char *end = p + len, *nl;

    while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
        lt_buf_append(w, p, (size_t)(nl - p));
        lt_buf_puts(w, "#012");
        p = nl + 1;
    }
    lt_buf_append(w, p, (size_t)(end - p));
}

/* The framed message into s->wire. */
static void frame(struct syslog_state *s, size_t text_len)
{
    size_t len = lt_buf_len(s->head) + text_len + trailer_len(s);
    bool stream = s->net.socktype == SOCK_STREAM;
    bool lines = stream && s->framing == LT_SYSLOG_FRAMING_NEWLINE;
    lt_buf *w = s->wire;

    lt_buf_truncate(w, 0);
    if (stream && s->framing == LT_SYSLOG_FRAMING_OCTET_COUNTING)
        lt_buf_printf(w, "%zu ", len);
    if (lines) {
        append_one_line(w, lt_buf_data(s->head), lt_buf_len(s->head));
        append_one_line(w, lt_buf_data(s->text), text_len);
    } else {
        lt_buf_append(w, lt_buf_data(s->head), lt_buf_len(s->head));
        lt_buf_append(w, lt_buf_data(s->text), text_len);
    }
    lt_buf_append(w, trailer(s), trailer_len(s));
    if (lines)
        lt_buf_putc(w, '\n');
}

static int send_message(struct syslog_state *s, const lt_record *rec, int level,
                        struct timespec ts)
{
    size_t text_len = lt_buf_len(s->text);

    fit_datagram(s, rec, level, ts, &text_len);
    frame(s, text_len);
    if (lt_buf_error(s->head) || lt_buf_error(s->text) || lt_buf_error(s->wire))
        return LT_ENOMEM;
    return lt__net_send(&s->net, lt_buf_data(s->wire), lt_buf_len(s->wire), rec);
}

static int syslog_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    struct syslog_state *s = state;
    int level = lt_record_level(rec);
    struct timespec ts = lt_record_time(rec);

    /* A local socket of unknown type is framed as what it turns out to be:
     * connect first (Python connects in its constructor). */
    if (s->local && s->net.fallback)
        (void)lt__net_connect(&s->net);
    lt_buf_set_escape(s->tmp, lt_buf_escape(msg)); /* for the structured data */
    build_header(s, rec, level, ts, NULL);
    lt_buf_truncate(s->text, 0);
    if (s->ident)
        lt_buf_puts(s->text, s->ident);
    lt_buf_append(s->text, lt_buf_data(msg), lt_buf_len(msg));
    return send_message(s, rec, level, ts);
}

/* The notice of dropped records, in the handler's format, into @out. It is
 * built while a record is emitted (or flushed), so it borrows the handler's
 * buffers and hands them back as they were. */
static void syslog_notice(void *ctx, uint64_t dropped, const lt_record *rec, lt_buf *out)
{
    struct syslog_state *s = ctx;
    struct timespec now;
    char sd[160];
    lt_buf *text = s->text, *wire = s->wire, *mine;

    if (lt_buf_new(&mine) < 0)
        return;
    clock_gettime(CLOCK_REALTIME, &now);
    snprintf(sd, sizeof(sd), "[%s dropped=\"%llu\"]", s->sd_id, (unsigned long long)dropped);
    build_header(s, rec, LT_LEVEL_WARNING, now, sd);
    s->text = mine;
    lt_buf_printf(mine, "%s%llu records dropped", s->ident ? s->ident : "",
                  (unsigned long long)dropped);
    s->wire = out;
    {
        size_t text_len = lt_buf_len(mine);

        fit_datagram(s, rec, LT_LEVEL_WARNING, now, &text_len);
        frame(s, text_len);
    }
    s->text = text;
    s->wire = wire;
    lt_buf_free(mine);
}

struct syslog_args {
    const lt_syslog_options *o;
    int facility;
};

static int copy_opt(char **dst, const char *src)
{
    return !src || (*dst = lt__strdup(src)) ? 0 : LT_ENOMEM;
}

static int setup_strings(struct syslog_state *s, const lt_syslog_options *o)
{
    int r;

    if ((r = copy_opt(&s->ident, o->ident)) < 0 || (r = copy_opt(&s->app_name, o->app_name)) < 0 ||
        (r = copy_opt(&s->msgid, o->msgid)) < 0 ||
        (r = copy_opt(&s->sd_id, o->sd_id ? o->sd_id : DEFAULT_SD_ID)) < 0)
        return r;
    if (o->hostname)
        snprintf(s->hostname, sizeof(s->hostname), "%s", o->hostname);
    else
        lt__hostname(s->hostname, sizeof(s->hostname));
    if ((r = lt_buf_new(&s->head)) < 0 || (r = lt_buf_new(&s->text)) < 0 ||
        (r = lt_buf_new(&s->wire)) < 0 || (r = lt_buf_new(&s->tmp)) < 0)
        return r;
    return 0;
}

/* AUTO made concrete: RFC 3164 locally, 5424 over the network; octet
 * counting on TCP, newlines on a Unix stream, nothing after Python's NUL. */
static void resolve_auto(struct syslog_state *s, const lt_syslog_options *o)
{
    s->format = o->format;
    if (s->format == LT_SYSLOG_FORMAT_AUTO)
        s->format = s->local ? LT_SYSLOG_FORMAT_RFC3164 : LT_SYSLOG_FORMAT_RFC5424;
    s->framing = o->framing;
    if (s->framing == LT_SYSLOG_FRAMING_AUTO) {
        if (s->format == LT_SYSLOG_FORMAT_PYTHON)
            s->framing = LT_SYSLOG_FRAMING_NONE;
        else
            s->framing = s->local ? LT_SYSLOG_FRAMING_NEWLINE : LT_SYSLOG_FRAMING_OCTET_COUNTING;
    }
    s->max_size = o->max_size ? o->max_size : s->local ? UNIX_DGRAM_MAX : UDP_MAX;
}

static void syslog_close(void *state)
{
    struct syslog_state *s = state;

    lt__net_free(&s->net, state);
    free(s->ident);
    free(s->app_name);
    free(s->msgid);
    free(s->sd_id);
    lt_buf_free(s->head);
    lt_buf_free(s->text);
    lt_buf_free(s->wire);
    lt_buf_free(s->tmp);
}

static int syslog_open(void *state, const void *arg)
{
    const struct syslog_args *a = arg;
    const lt_syslog_options *o = a->o;
    struct syslog_state *s = state;
    struct lt__net_peer peer = {0};
    int r;

    s->facility = a->facility;
    s->local = !o->host;
    s->utc = o->utc != 0;
    resolve_auto(s, o);
    peer.host = o->host;
    peer.port = o->port ? o->port : DEFAULT_PORT;
    peer.path = o->path ? o->path : DEFAULT_PATH;
    peer.socktype = o->socktype;
    peer.resolve_now = true; /* Python's SysLogHandler resolves in __init__ */
    if ((r = setup_strings(s, o)) < 0 ||
        (r = lt__net_init(&s->net, &peer, &o->net, syslog_notice, s)) < 0) {
        s->net.fd = -1;
        syslog_close(s);
        return r;
    }
    return 0;
}

static int syslog_flush(void *state)
{
    struct syslog_state *s = state;

    return lt__net_flush(&s->net);
}

static int syslog_control(void *state, int op, void *arg)
{
    struct syslog_state *s = state;

    return lt__net_control(&s->net, op, arg);
}

static const lt_handler_type syslog_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "syslog",
    .flags = LT_HANDLER_ESCAPE, /* syslog files are line-oriented: record text escaped by default */
    .state_size = sizeof(struct syslog_state),
    .open = syslog_open,
    .emit = syslog_emit,
    .flush = syslog_flush,
    .close = syslog_close,
    .control = syslog_control,
};

static bool valid_enums(const lt_syslog_options *o)
{
    return o->format >= LT_SYSLOG_FORMAT_AUTO && o->format <= LT_SYSLOG_FORMAT_RFC5424 &&
           o->framing >= LT_SYSLOG_FRAMING_AUTO && o->framing <= LT_SYSLOG_FRAMING_NONE &&
           (o->socktype == 0 || o->socktype == SOCK_DGRAM || o->socktype == SOCK_STREAM) &&
           o->port >= 0 && o->port <= 65535;
}

/* RFC 5424's SD-NAME: 1 to 32 printable ASCII characters but '=', ' ', ']', '"'. */
static bool valid_sd_id(const char *id)
{
    size_t n = strlen(id);

    for (size_t i = 0; i < n; i++)
        if (id[i] < 33 || id[i] > 126 || strchr("= ]\"", id[i]))
            return false;
    return n >= 1 && n <= 32;
}

int lt_syslog_handler_new(lt_handler **ret, const lt_syslog_options *opts)
{
    static const lt_syslog_options defaults;
    struct syslog_args a = {opts ? opts : &defaults, 1};

    if (!ret || !valid_enums(a.o) || parse_facility(a.o->facility, &a.facility) < 0)
        return LT_EINVAL;
    if (a.o->sd_id && !valid_sd_id(a.o->sd_id))
        return LT_EINVAL;
    return lt_handler_new(ret, &syslog_type, &a);
}
