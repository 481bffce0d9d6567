/* formatters/logfmt.c - one logfmt line per record: key=value pairs
 * separated by spaces, the attributes the plan names (structured.c), then
 * the record's fields. A value is quoted exactly when a reader could
 * otherwise split it or take it for something else, and escaped inside the
 * quotes as Go's logfmt encoder escapes it, so that no value can break the
 * line or forge a key. Formatting only reads the compiled plan and
 * allocates nothing, so one formatter serves any number of threads at once. */
#include <math.h>
#include <string.h>

#include <logtree/formatters.h>

#include "structured.h"

struct logfmt_state {
    lt__plan plan;
};

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Whether @s must be quoted: empty, or holding a space, '=', '"', '\\', a
 * control character or invalid UTF-8. */
static bool needs_quotes(const char *s, size_t len)
{
    size_t i = 0;
    uint32_t cp;

    if (len == 0)
        return true;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x80) {
            if (c <= ' ' || c == 0x7f || c == '=' || c == '"' || c == '\\')
                return true;
            i++;
            continue;
        }
        i += lt__utf8_decode(s + i, len - i, &cp);
        if (cp == LT__UTF8_BAD || lt__is_control(cp))
            return true;
    }
    return false;
}

static void put_bare(lt__out *o, const char *s, size_t len, char letter_case)
{
    if (!letter_case) {
        lt__out_write(o, s, len);
        return;
    }
    for (size_t i = 0; i < len; i++)
        lt__out_putc(o, lt__cased(s[i], letter_case));
}

/* One character inside quotes: Go's escapes. */
static void put_quoted_char(lt__out *o, const char *s, size_t n, uint32_t cp, char letter_case)
{
    static const char hex[] = "0123456789abcdef";

    if (cp == LT__UTF8_BAD) {
        lt__out_write(o, replacement, 3);
    } else if (cp == '"' || cp == '\\') {
        lt__out_putc(o, '\\');
        lt__out_putc(o, (char)cp);
    } else if (cp == '\n' || cp == '\r' || cp == '\t') {
        lt__out_putc(o, '\\');
        lt__out_putc(o, cp == '\n' ? 'n' : cp == '\r' ? 'r' : 't');
    } else if (lt__is_control(cp)) {
        char e[6] = {'\\', 'u', '0', '0', hex[cp >> 4 & 15], hex[cp & 15]};

        lt__out_write(o, e, sizeof(e));
    } else if (cp < 0x80) {
        lt__out_putc(o, lt__cased((char)cp, letter_case));
    } else {
        lt__out_write(o, s, n);
    }
}

static void put_quoted(lt__out *o, const char *s, size_t len, char letter_case)
{
    size_t i = 0, n;
    uint32_t cp;

    lt__out_putc(o, '"');
    while (i < len) {
        size_t start = i;

        /* runs of printable ASCII go out in one append */
        while (!letter_case && i < len && (unsigned char)s[i] >= 0x20 &&
               (unsigned char)s[i] < 0x7f && s[i] != '"' && s[i] != '\\')
            i++;
        lt__out_write(o, s + start, i - start);
        if (i == len)
            break;
        n = lt__utf8_decode(s + i, len - i, &cp);
        put_quoted_char(o, s + i, n, cp, letter_case);
        i += n;
    }
    lt__out_putc(o, '"');
}

static void put_text(lt__out *o, const char *s, size_t len, char letter_case)
{
    if (needs_quotes(s, len))
        put_quoted(o, s, len, letter_case);
    else
        put_bare(o, s, len, letter_case);
}

static void put_double(lt__out *o, const lt_value *v)
{
    if (isnan(v->as.d))
        lt__out_puts(o, "NaN");
    else if (isinf(v->as.d))
        lt__out_puts(o, v->as.d > 0 ? "+Inf" : "-Inf");
    else
        lt__put_repr(o, v->as.d);
}

static void put_value(lt__out *o, const lt_value *v, char letter_case)
{
    switch (v->type) {
    case LT_VALUE_BOOL:
        lt__out_puts(o, v->as.b ? "true" : "false");
        break;
    case LT_VALUE_INT:
    case LT_VALUE_UINT:
        lt__put_integer(o, v);
        break;
    case LT_VALUE_DOUBLE:
        put_double(o, v);
        break;
    case LT_VALUE_STRING:
        put_text(o, v->as.s.ptr, v->as.s.len, letter_case);
        break;
    default:
        break; /* null: key= */
    }
}

/* A field key holds letters, digits, '_', '.' and '-' (record.h), but its
 * non-ASCII bytes are not checked to be UTF-8: such a byte, and anything a
 * reader would split on, becomes '_', as keys cannot be quoted. */
static void put_field_key(lt__out *o, const char *key)
{
    size_t len = strlen(key), i = 0, n;
    uint32_t cp;

    if (!len)
        lt__out_putc(o, '_');
    while (i < len) {
        n = lt__utf8_decode(key + i, len - i, &cp);
        if (cp == LT__UTF8_BAD || cp <= ' ' || lt__is_control(cp) || cp == '=' || cp == '"' ||
            cp == '\\' || cp == 0xFFFD)
            lt__out_putc(o, '_');
        else
            lt__out_write(o, key + i, n);
        i += n;
    }
}

/* asctime comes from the user's datefmt and the locale ("2003-07-08
 * 16:49:45,896" by default): written once, moved and quoted if it must be. */
static int put_asctime(const lt__plan *plan, const lt_record *rec, lt__out *o)
{
    lt_buf *out = lt__out_flush(o);
    size_t start = lt_buf_len(out);
    lt__moved m;

    lt_format_time(rec, plan->datefmt, plan->utc, out);
    if (needs_quotes(lt_buf_data(out) + start, lt_buf_len(out) - start)) {
        if (lt__move_out(out, start, &m) < 0)
            return LT_ENOMEM;
        put_quoted(o, m.ptr, m.len, 0);
        lt__moved_release(&m);
    }
    return 0;
}

static int put_item(const lt__plan *plan, const lt__item *item, const lt_record *rec, lt__out *o)
{
    lt_value v;

    lt__out_write(o, item->key, item->key_len); /* checked when the plan was made */
    lt__out_putc(o, '=');
    if (item->attr == LT__ITEM_ASCTIME)
        return put_asctime(plan, rec, o);
    if (item->attr == LT__ITEM_TIME)
        lt__put_rfc3339(o, rec, plan->utc);
    else if (lt_record_get(rec, item->attr, &v))
        put_value(o, &v, item->attr == LT_ATTR_LEVELNAME ? plan->level_case : 0);
    return 0;
}

static void put_fields(const lt__plan *plan, const lt_record *rec, bool first, lt__out *o)
{
    lt__field_walk w;
    const char *key;
    size_t under;
    lt_value v;

    lt__field_walk_start(&w, plan, rec);
    while (lt__field_walk_next(&w, &key, &under, &v)) {
        if (!first)
            lt__out_putc(o, ' ');
        first = false;
        lt__put_underscores(o, under);
        put_field_key(o, key);
        lt__out_putc(o, '=');
        put_value(o, &v, 0);
    }
}

static int logfmt_format(void *state, const lt_record *rec, lt_buf *out)
{
    const struct logfmt_state *st = state;
    size_t n = lt__plan_count(&st->plan, rec);
    lt__out o;
    int r;

    lt__out_init(&o, out);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            lt__out_putc(&o, ' ');
        if ((r = put_item(&st->plan, &st->plan.items[i], rec, &o)) < 0)
            return r;
    }
    put_fields(&st->plan, rec, n == 0, &o);
    return lt_buf_error(lt__out_flush(&o));
}

static int logfmt_open(void *state, const void *arg, lt_error *err)
{
    const lt_logfmt_options none = {0}, *o = arg ? arg : &none;
    struct logfmt_state *st = state;
    lt__plan_options po = {o->attributes, o->rename, o->datefmt,
                           o->level_case, o->utc,    o->omit_fields};

    return lt__plan_compile(&st->plan, &po, "levelname:level,name:logger,message:msg",
                            LT_LEVEL_CASE_LOWER, err);
}

static void logfmt_close(void *state)
{
    lt__plan_free(&((struct logfmt_state *)state)->plan);
}

static void logfmt_describe(const void *state, lt_buf *out)
{
    lt__plan_describe(&((const struct logfmt_state *)state)->plan, "logfmt", out);
}

static const lt_formatter_type logfmt_type = {
    .version = LT_FORMATTER_TYPE_VERSION,
    .name = "logfmt",
    .state_size = sizeof(struct logfmt_state),
    .open = logfmt_open,
    .format = logfmt_format,
    .close = logfmt_close,
    .describe = logfmt_describe,
};

int lt_logfmt_formatter_new(lt_formatter **ret, const lt_logfmt_options *opts, lt_error *err)
{
    return lt_formatter_new(ret, &logfmt_type, opts, err);
}
