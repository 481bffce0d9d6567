/* src/formatter.c - what every formatter shares: reference counting around
 * the kind's slots, the default "%(message)s" formatter, and asctime. */
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sys.h"

struct lt_formatter {
    atomic_uint refs;
    const lt_formatter_type *type;
    void *state;
};

static size_t state_offset(void)
{
    size_t a = alignof(max_align_t);

    return (sizeof(lt_formatter) + a - 1) / a * a;
}

int lt_formatter_new(lt_formatter **ret, const lt_formatter_type *type, const void *arg,
                     lt_error *err)
{
    lt_formatter *f;
    int r;

    LT__RETURN_IF(!ret || !type || !type->format, LT_EINVAL);
    LT__RETURN_IF(type->version < 1 || type->version > LT_FORMATTER_TYPE_VERSION, LT_EINVAL);
    f = lt__calloc(1, state_offset() + type->state_size);
    if (!f)
        return LT_ENOMEM;
    f->type = type;
    f->state = (char *)f + state_offset();
    atomic_init(&f->refs, 1);
    if (type->open && (r = type->open(f->state, arg, err)) < 0) {
        free(f);
        return r;
    }
    *ret = f;
    return 0;
}

lt_formatter *lt_formatter_ref(lt_formatter *f)
{
    if (f)
        atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed);
    return f;
}

lt_formatter *lt_formatter_unref(lt_formatter *f)
{
    if (f && atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) == 1) {
        if (f->type->close)
            f->type->close(f->state);
        free(f);
    }
    return NULL;
}

int lt_formatter_format(lt_formatter *f, const lt_record *rec, lt_buf *out)
{
    LT__RETURN_IF(!f || !rec || !out, LT_EINVAL);
    return f->type->format(f->state, rec, out);
}

/* ---- the default formatter: the message, as Python's Formatter() ---- */

static int message_format(void *state, const lt_record *rec, lt_buf *out)
{
    size_t start = lt_buf_len(out);

    (void)state;
    lt__buf_put(out, lt_record_message(rec), lt_record_message_len(rec));
    if (lt_record_errno(rec)) {
        lt_value text;

        lt_record_get(rec, LT_ATTR_STRERROR, &text);
        lt_buf_puts(out, ": ");
        lt__buf_put(out, text.as.s.ptr, text.as.s.len);
    }
    /* all of it the record's: escaped as the handler asks */
    lt_buf_escape_from(out, start);
    return lt_buf_error(out);
}

static const lt_formatter_type message_type = {
    .version = LT_FORMATTER_TYPE_VERSION,
    .name = "message",
    .format = message_format,
};

/* Never freed: its one reference belongs to the library. */
static lt_formatter *default_formatter;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void make_default(void)
{
    if (lt_formatter_new(&default_formatter, &message_type, NULL, NULL) < 0)
        default_formatter = NULL;
}

lt_formatter *lt__default_formatter(void)
{
    static lt_formatter fallback = {.type = &message_type};

    pthread_once(&default_once, make_default);
    return default_formatter ? default_formatter : &fallback;
}

/* ---- asctime ---- */

/* strftime with room to grow; a format whose result is empty is allowed.
 * The format is the user's datefmt: not a literal, by design. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void append_strftime(lt_buf *out, const char *fmt, const struct tm *tm)
{
    char small[128];
    size_t cap = sizeof(small), n;
    char *big = NULL;

    if (!*fmt)
        return;
    n = strftime(small, sizeof(small), fmt, tm);
    while (n == 0 && cap < 64 * strlen(fmt) + 256) {
        char *more = lt__realloc(big, cap *= 4);

        if (!more)
            break;
        big = more;
        n = strftime(big, cap, fmt, tm);
    }
    lt__buf_put(out, big && n ? big : small, n);
    free(big);
}
#pragma GCC diagnostic pop

/* glibc prints %Z of a gmtime() as "GMT"; Python prints "UTC". Strict POSIX
 * hides tm_zone, so spell it out in the format instead. */
static char *utc_zone_format(const char *datefmt)
{
    lt_buf fmt = {0};

    for (const char *p = datefmt; *p; p++) {
        if (p[0] == '%' && p[1] == 'Z') {
            lt_buf_puts(&fmt, "UTC");
            p++;
        } else if (p[0] == '%' && p[1]) {
            lt__buf_put(&fmt, p, 2);
            p++;
        } else {
            lt__buf_putc(&fmt, *p);
        }
    }
    if (lt_buf_error(&fmt) || !fmt.data) {
        lt__buf_release(&fmt);
        return NULL;
    }
    return fmt.data;
}

/* The last rendering of a second, per thread: strftime() and localtime_r()
 * cost more than the rest of a record's formatting, and consecutive records
 * mostly share their second. */
struct time_cache {
    time_t sec;
    bool utc;
    bool valid;
    bool is_default; /* datefmt is default_datefmt */
    char datefmt[64];
    char text[128];
    size_t len;
};

static _Thread_local struct time_cache time_cache;

/* Python's default, without its milliseconds. Known by its address, so the
 * usual record finds its second in the cache without comparing formats. */
static const char default_datefmt[] = "%Y-%m-%d %H:%M:%S";

static void render_second(time_t sec, const char *datefmt, bool utc, lt_buf *out)
{
    struct tm tm;
    char *utc_fmt = NULL;

    if (utc)
        gmtime_r(&sec, &tm);
    else
        localtime_r(&sec, &tm);
    if (utc && strstr(datefmt, "%Z"))
        utc_fmt = utc_zone_format(datefmt);
    append_strftime(out, utc_fmt ? utc_fmt : datefmt, &tm);
    free(utc_fmt);
}

static void append_second(time_t sec, const char *datefmt, bool utc, lt_buf *out)
{
    struct time_cache *c = &time_cache;
    size_t start = lt_buf_len(out), len;

    if (c->valid && c->sec == sec && c->utc == utc &&
        ((c->is_default && datefmt == default_datefmt) || strcmp(c->datefmt, datefmt) == 0)) {
        lt__buf_put(out, c->text, c->len);
        return;
    }
    render_second(sec, datefmt, utc, out);
    len = lt_buf_len(out) - start;
    c->valid = !lt_buf_error(out) && len < sizeof(c->text) && strlen(datefmt) < sizeof(c->datefmt);
    if (c->valid) {
        c->sec = sec;
        c->utc = utc;
        c->is_default = datefmt == default_datefmt;
        strcpy(c->datefmt, datefmt);
        memcpy(c->text, lt_buf_data(out) + start, len);
        c->len = len;
    }
}

void lt_format_time(const lt_record *rec, const char *datefmt, bool utc, lt_buf *out)
{
    struct timespec ts = lt_record_time(rec);
    int ms = (int)(ts.tv_nsec / 1000000) % 1000;

    if (datefmt && *datefmt) {
        append_second(ts.tv_sec, datefmt, utc, out);
        return;
    }
    append_second(ts.tv_sec, default_datefmt, utc, out);
    /* a byte at a time: bytes stored on the stack and copied as one word
     * would stall on the store forwarding */
    lt__buf_putc(out, ',');
    lt__buf_putc(out, (char)('0' + ms / 100));
    lt__buf_putc(out, (char)('0' + ms / 10 % 10));
    lt__buf_putc(out, (char)('0' + ms % 10));
}

int lt_formatter_describe(const lt_formatter *f, lt_buf *out)
{
    LT__RETURN_IF(!f || !out, LT_EINVAL);
    /* A version 1 type ends before the describe slot: never read it. */
    if (f->type->version >= 2 && f->type->describe)
        f->type->describe(f->state, out);
    else
        lt_buf_puts(out, f->type->name);
    return lt_buf_error(out);
}
