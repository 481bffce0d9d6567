/* formatters/access.c - access-log lines as Apache's mod_log_config writes
 * them, from the fields a program logs with each request (remote_addr,
 * method, path, status, ...; formatters.h lists them). The LogFormat is
 * compiled once (access_compile.c); formatting walks the items, reads only
 * that compiled state and keeps its scratch on the stack (and a per-thread
 * cache of the last %t), so one formatter serves any number of threads and
 * a record costs no allocation.
 *
 * Every value taken from a record is escaped as Apache's ap_escape_logitem()
 * escapes request data: a quote, a backslash, a control byte or a byte
 * outside printable ASCII can never end a quoted field or a line early. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <logtree/formatters.h>

#include "access.h"
#include "pyformat.h"
#include "sys.h"

struct access_state {
    lt__access_program prog;
    bool utc;
    char *format; /* as given ("combined" for none), for access_describe() */
};

/* ---- values ---- */

static bool needs_escape(unsigned char b)
{
    return b < 0x20 || b >= 0x7f || b == '"' || b == '\\';
}

/* Apache's escapes: \" \\ \b \n \r \t \v, and \xhh (lower-case) for any
 * other control byte, DEL, and every byte with the high bit set. */
static void put_escaped(lt_buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef", named[] = "\"\\\b\n\r\t\v",
                      letter[] = "\"\\bnrtv";
    size_t run = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)s[i];
        const char *hit;

        if (!needs_escape(b))
            continue;
        lt_buf_append(out, s + run, i - run);
        run = i + 1;
        lt_buf_putc(out, '\\');
        if (b != 0 && (hit = strchr(named, b)) != NULL) {
            lt_buf_putc(out, letter[hit - named]);
        } else {
            char esc[3] = {'x', hex[b >> 4], hex[b & 15]};

            lt_buf_append(out, esc, 3);
        }
    }
    lt_buf_append(out, s + run, len - run);
}

/* "-" for null; strings escaped; numbers as numbers (floats as Python's
 * repr, the shortest text that reads back the same). */
static void put_value(lt_buf *out, const lt_value *v)
{
    switch (v->type) {
    case LT_VALUE_NULL:
        lt_buf_putc(out, '-');
        break;
    case LT_VALUE_BOOL:
        lt_buf_puts(out, v->as.b ? "true" : "false");
        break;
    case LT_VALUE_INT:
        lt_buf_printf(out, "%lld", (long long)v->as.i);
        break;
    case LT_VALUE_UINT:
        lt_buf_printf(out, "%llu", (unsigned long long)v->as.u);
        break;
    case LT_VALUE_DOUBLE:
        lt__py_str(out, v);
        break;
    case LT_VALUE_STRING:
        put_escaped(out, v->as.s.ptr, v->as.s.len);
        break;
    }
}

/* The field @key of @rec; a null value counts as missing. */
static bool find(const lt_record *rec, const char *key, lt_value *v)
{
    return lt_record_find_field(rec, key, v) && v->type != LT_VALUE_NULL;
}

/* The item's field, or its second key's when the first is missing. */
static bool find_item(const struct access_state *st, const lt__access_item *it,
                      const lt_record *rec, lt_value *v)
{
    if (it->key != LT__ACC_NONE && find(rec, st->prog.pool + it->key, v))
        return true;
    return it->key2 != LT__ACC_NONE && find(rec, st->prog.pool + it->key2, v);
}

/* A whole number from an integer, a float (rounded) or a string of digits. */
static bool as_integer(const lt_value *v, long long *ret)
{
    switch (v->type) {
    case LT_VALUE_INT:
        *ret = (long long)v->as.i;
        return true;
    case LT_VALUE_UINT:
        *ret = v->as.u > LLONG_MAX ? LLONG_MAX : (long long)v->as.u;
        return true;
    case LT_VALUE_DOUBLE:
        if (!isfinite(v->as.d) || v->as.d >= 9.2e18 || v->as.d <= -9.2e18)
            return false;
        *ret = (long long)(v->as.d < 0 ? v->as.d - 0.5 : v->as.d + 0.5);
        return true;
    case LT_VALUE_STRING: {
        long long n = 0;

        if (v->as.s.len == 0 || v->as.s.len > 18)
            return false;
        for (size_t i = 0; i < v->as.s.len; i++) {
            char ch = v->as.s.ptr[i];

            if (ch < '0' || ch > '9')
                return false;
            n = n * 10 + (ch - '0');
        }
        *ret = n;
        return true;
    }
    default:
        return false;
    }
}

/* ---- directives ---- */

/* "%400,501{User-Agent}i": the item prints only for those statuses (or,
 * negated, for all others); otherwise "-", as in Apache. */
static bool condition_holds(const struct access_state *st, const lt__access_item *it,
                            const lt_record *rec)
{
    lt_value v;
    long long status;
    bool in = false;

    if (it->ncodes == 0)
        return true;
    if (find(rec, "status", &v) && as_integer(&v, &status))
        for (size_t i = 0; i < it->ncodes && !in; i++)
            in = st->prog.codes[it->codes + i] == status;
    return in != it->negate;
}

static void put_part(lt_buf *out, const lt_value *v)
{
    if (v)
        put_value(out, v);
    else
        lt_buf_putc(out, '-');
}

/* %r: the request field verbatim, else "METHOD PATH?QUERY PROTOCOL" from
 * its parts; "-" when there is nothing to show. */
static void put_request(const lt_record *rec, lt_buf *out)
{
    lt_value request, method, path, query, protocol;
    bool has_method, has_path, has_protocol;

    if (find(rec, "request", &request)) {
        put_value(out, &request);
        return;
    }
    has_method = find(rec, "method", &method);
    has_path = find(rec, "path", &path);
    has_protocol = find(rec, "protocol", &protocol);
    if (!has_method && !has_path && !has_protocol) {
        lt_buf_putc(out, '-');
        return;
    }
    put_part(out, has_method ? &method : NULL);
    lt_buf_putc(out, ' ');
    put_part(out, has_path ? &path : NULL);
    if (find(rec, "query", &query)) {
        lt_buf_putc(out, '?');
        put_value(out, &query);
    }
    if (has_protocol) {
        lt_buf_putc(out, ' ');
        put_value(out, &protocol);
    }
}

static bool is_zero(const lt_value *v)
{
    switch (v->type) {
    case LT_VALUE_INT:
        return v->as.i == 0;
    case LT_VALUE_UINT:
        return v->as.u == 0;
    case LT_VALUE_DOUBLE:
        return v->as.d == 0;
    case LT_VALUE_STRING:
        return v->as.s.len == 1 && v->as.s.ptr[0] == '0';
    default:
        return false;
    }
}

/* %D and %T: whole units of duration_us, truncated as Apache truncates. */
static void put_duration(const lt__access_item *it, const lt_value *v, lt_buf *out)
{
    long long us;

    if (as_integer(v, &us))
        lt_buf_printf(out, "%lld", us / it->div);
    else
        put_value(out, v);
}

/* A count (a status, bytes): a float is rounded, as Apache has no fractions. */
static void put_whole(const lt_value *v, lt_buf *out)
{
    long long n;

    if (v->type == LT_VALUE_DOUBLE && as_integer(v, &n))
        lt_buf_printf(out, "%lld", n);
    else
        put_value(out, v);
}

/* ---- time ---- */

/* "[10/Oct/2000:13:55:36 -0700]" for @sec, with English month names
 * whatever the locale (Apache's are fixed too, and parsers expect them). */
static size_t render_clf(time_t sec, bool utc, char *buf, size_t size)
{
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char zone[16] = "+0000";
    struct tm tm;
    int n;

    if (!(utc ? gmtime_r(&sec, &tm) : localtime_r(&sec, &tm)))
        return 0;
    if (!utc && strftime(zone, sizeof(zone), "%z", &tm) == 0)
        strcpy(zone, "+0000");
    n = snprintf(buf, size, "[%02d/%s/%04d:%02d:%02d:%02d %s]", tm.tm_mday, months[tm.tm_mon % 12],
                 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, zone);
    return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

/* The last second rendered, per thread: consecutive records mostly share it,
 * and localtime_r() costs more than the rest of the line. */
struct clf_cache {
    time_t sec;
    bool utc;
    bool valid;
    size_t len;
    char text[96];
};

static _Thread_local struct clf_cache clf_cache;

static void put_clf_time(const lt_record *rec, bool utc, lt_buf *out)
{
    struct clf_cache *c = &clf_cache;
    time_t sec = lt_record_time(rec).tv_sec;

    if (!c->valid || c->sec != sec || c->utc != utc) {
        c->len = render_clf(sec, utc, c->text, sizeof(c->text));
        c->valid = c->len > 0;
        c->sec = sec;
        c->utc = utc;
    }
    if (c->valid)
        lt_buf_append(out, c->text, c->len);
    else
        lt_buf_putc(out, '-');
}

/* %{sec}t, %{msec}t, %{usec}t, and the zero-padded %{msec_frac}t, %{usec_frac}t. */
static void put_epoch(const lt__access_item *it, const lt_record *rec, lt_buf *out)
{
    struct timespec ts = lt_record_time(rec);
    long long ns = (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
    long long v = ns / it->div;

    if (it->mod)
        lt_buf_printf(out, "%0*lld", it->mod == 1000 ? 3 : 6, v % it->mod);
    else
        lt_buf_printf(out, "%lld", v);
}

/* ---- the formatter ---- */

static void put_field_item(const struct access_state *st, const lt__access_item *it,
                           const lt_record *rec, lt_buf *out)
{
    lt_value v;
    bool found = find_item(st, it, rec, &v);

    if (it->kind == LT__ACC_QUERY) {
        if (found) {
            lt_buf_putc(out, '?');
            put_value(out, &v);
        }
    } else if (!found) {
        lt_buf_putc(out, '-');
    } else if (it->kind == LT__ACC_USER && v.type == LT_VALUE_STRING && v.as.s.len == 0) {
        lt_buf_puts(out, "\"\""); /* Apache tells an empty user from none */
    } else if (it->kind == LT__ACC_BYTES_CLF && is_zero(&v)) {
        lt_buf_putc(out, '-');
    } else if (it->kind == LT__ACC_DURATION) {
        put_duration(it, &v, out);
    } else if (it->kind == LT__ACC_WHOLE || it->kind == LT__ACC_BYTES_CLF) {
        put_whole(&v, out);
    } else {
        put_value(out, &v);
    }
}

static void put_item(const struct access_state *st, const lt__access_item *it, const lt_record *rec,
                     lt_buf *out)
{
    lt_value v;

    switch (it->kind) {
    case LT__ACC_TEXT:
        lt_buf_append(out, st->prog.pool + it->text, it->len);
        break;
    case LT__ACC_ATTR:
        if (lt_record_get(rec, it->attr, &v))
            put_value(out, &v);
        else
            lt_buf_putc(out, '-');
        break;
    case LT__ACC_REQUEST:
        put_request(rec, out);
        break;
    case LT__ACC_TIME_CLF:
        put_clf_time(rec, st->utc, out);
        break;
    case LT__ACC_TIME_FMT:
        lt_format_time(rec, st->prog.pool + it->text, st->utc, out);
        break;
    case LT__ACC_TIME_EPOCH:
        put_epoch(it, rec, out);
        break;
    default:
        put_field_item(st, it, rec, out);
        break;
    }
}

static int access_format(void *state, const lt_record *rec, lt_buf *out)
{
    const struct access_state *st = state;

    for (size_t i = 0; i < st->prog.n; i++) {
        const lt__access_item *it = &st->prog.items[i];

        if (condition_holds(st, it, rec))
            put_item(st, it, rec, out);
        else
            lt_buf_putc(out, '-');
    }
    return lt_buf_error(out);
}

static void access_close(void *state)
{
    struct access_state *st = state;

    lt__access_program_free(&st->prog);
    free(st->format);
}

static int access_open(void *state, const void *arg, lt_error *err)
{
    const lt_access_options none = {0}, *o = arg ? arg : &none;
    struct access_state *st = state;

    int r;

    st->utc = o->utc;
    if ((r = lt__access_compile(&st->prog, o->format, err)) < 0)
        return r;
    if (!(st->format = lt__strdup(o->format && *o->format ? o->format : "combined"))) {
        lt__access_program_free(&st->prog);
        return LT_ENOMEM;
    }
    return 0;
}

static void access_describe(const void *state, lt_buf *out)
{
    const struct access_state *st = state;

    lt_buf_puts(out, "access format=");
    lt__py_put_repr(out, st->format);
    lt_buf_puts(out, st->utc ? " utc=True" : " utc=False");
}

static const lt_formatter_type access_type = {
    .version = LT_FORMATTER_TYPE_VERSION,
    .name = "access",
    .state_size = sizeof(struct access_state),
    .open = access_open,
    .format = access_format,
    .close = access_close,
    .describe = access_describe,
};

int lt_access_formatter_new(lt_formatter **ret, const lt_access_options *opts, lt_error *err)
{
    return lt_formatter_new(ret, &access_type, opts, err);
}
