/* formatters/json.c - one JSON object per record (JSON Lines): the
 * attributes the plan names (structured.c), then the record's fields, each
 * with its type. Whatever bytes a record holds, the line is valid RFC 8259
 * and valid JavaScript: every control character, U+2028 and U+2029 are
 * escaped, and invalid UTF-8 becomes \ufffd, so that a value can neither
 * break the line nor the parser of whoever reads the log. Formatting only
 * reads the compiled plan and allocates nothing, so one formatter serves
 * any number of threads at once. */
#include <math.h>
#include <string.h>

#include <logtree/formatters.h>

#include "structured.h"

struct json_state {
    lt__plan plan;
};

/* ASCII that goes out as it is: printable, not '"' or '\\' (and, when the
 * case changes, not a letter). */
static bool plain_ascii(unsigned char c, char letter_case)
{
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
        return false;
    return !letter_case || lt__cased((char)c, letter_case) == (char)c;
}

static bool plain_char(uint32_t cp)
{
    return cp != LT__UTF8_BAD && !lt__is_control(cp) && cp != 0x2028 && cp != 0x2029;
}

/* The length of the longest prefix of @s that needs no escaping. */
static size_t plain_prefix(const char *s, size_t len, char letter_case)
{
    size_t i = 0, n;
    uint32_t cp;

    while (i < len) {
        if (plain_ascii((unsigned char)s[i], letter_case)) {
            i++;
            continue;
        }
        if ((unsigned char)s[i] < 0x80)
            break;
        n = lt__utf8_decode(s + i, len - i, &cp);
        if (!plain_char(cp))
            break;
        i += n;
    }
    return i;
}

static void put_u_escape(lt__out *o, uint32_t cp)
{
    static const char hex[] = "0123456789abcdef";
    char e[6] = {'\\', 'u', hex[cp >> 12 & 15], hex[cp >> 8 & 15], hex[cp >> 4 & 15], hex[cp & 15]};

    lt__out_write(o, e, sizeof(e));
}

/* The character @cp (@n bytes at @s) that is not plain. */
static void put_special(lt__out *o, const char *s, size_t n, uint32_t cp, char letter_case)
{
    static const char short_escapes[] = "\"\"\\\\\bb\ff\nn\rr\tt";
    const char *e = cp < 0x80 && cp ? strchr(short_escapes, (int)cp) : NULL;

    if (cp == LT__UTF8_BAD) {
        put_u_escape(o, 0xFFFD);
    } else if (e && (e - short_escapes) % 2 == 0) {
        lt__out_putc(o, '\\');
        lt__out_putc(o, e[1]);
    } else if (!plain_char(cp)) {
        put_u_escape(o, cp);
    } else if (cp < 0x80) {
        lt__out_putc(o, lt__cased((char)cp, letter_case));
    } else {
        lt__out_write(o, s, n);
    }
}

/* The inside of a JSON string holding @s, its ASCII letters in @letter_case. */
static void put_string(lt__out *o, const char *s, size_t len, char letter_case)
{
    size_t i = 0, n;
    uint32_t cp;

    while (i < len) {
        size_t plain = plain_prefix(s + i, len - i, letter_case);

        lt__out_write(o, s + i, plain);
        i += plain;
        if (i == len)
            break;
        n = lt__utf8_decode(s + i, len - i, &cp);
        put_special(o, s + i, n, cp, letter_case);
        i += n;
    }
}

static void put_double(lt__out *o, const lt_value *v)
{
    if (isnan(v->as.d))
        lt__out_puts(o, "\"NaN\"");
    else if (isinf(v->as.d))
        lt__out_puts(o, v->as.d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
    else
        lt__put_repr(o, v->as.d); /* the shortest round trip, valid JSON when finite */
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
        lt__out_putc(o, '"');
        put_string(o, v->as.s.ptr, v->as.s.len, letter_case);
        lt__out_putc(o, '"');
        break;
    default:
        lt__out_puts(o, "null");
        break;
    }
}

/* asctime comes from the user's datefmt and the locale: escape it only in
 * the rare case it needs it. */
static int put_asctime(const lt__plan *plan, const lt_record *rec, lt__out *o)
{
    lt_buf *out;
    size_t start;
    lt__moved m;

    lt__out_putc(o, '"');
    out = lt__out_flush(o);
    start = lt_buf_len(out);
    lt_format_time(rec, plan->datefmt, plan->utc, out);
    if (plain_prefix(lt_buf_data(out) + start, lt_buf_len(out) - start, 0) <
        lt_buf_len(out) - start) {
        if (lt__move_out(out, start, &m) < 0)
            return LT_ENOMEM;
        put_string(o, m.ptr, m.len, 0);
        lt__moved_release(&m);
    }
    lt__out_putc(o, '"');
    return 0;
}

static int put_item(const lt__plan *plan, const lt__item *item, const lt_record *rec, lt__out *o)
{
    lt_value v;

    lt__out_putc(o, '"');
    lt__out_write(o, item->key, item->key_len); /* checked when the plan was made */
    lt__out_write(o, "\":", 2);
    if (item->attr == LT__ITEM_ASCTIME)
        return put_asctime(plan, rec, o);
    if (item->attr == LT__ITEM_TIME) {
        lt__out_putc(o, '"');
        lt__put_rfc3339(o, rec, plan->utc);
        lt__out_putc(o, '"');
    } else if (lt_record_get(rec, item->attr, &v)) {
        put_value(o, &v, item->attr == LT_ATTR_LEVELNAME ? plan->level_case : 0);
    } else {
        lt__out_puts(o, "null");
    }
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
            lt__out_putc(o, ',');
        first = false;
        lt__out_putc(o, '"');
        lt__put_underscores(o, under);
        put_string(o, key, strlen(key), 0);
        lt__out_write(o, "\":", 2);
        put_value(o, &v, 0);
    }
}

static int json_format(void *state, const lt_record *rec, lt_buf *out)
{
    const struct json_state *st = state;
    size_t n = lt__plan_count(&st->plan, rec);
    lt__out o;
    int r;

    lt__out_init(&o, out);
    lt__out_putc(&o, '{');
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            lt__out_putc(&o, ',');
        if ((r = put_item(&st->plan, &st->plan.items[i], rec, &o)) < 0)
            return r;
    }
    put_fields(&st->plan, rec, n == 0, &o);
    lt__out_putc(&o, '}');
    return lt_buf_error(lt__out_flush(&o));
}

static int json_open(void *state, const void *arg, lt_error *err)
{
    const lt_json_options none = {0}, *o = arg ? arg : &none;
    struct json_state *st = state;
    lt__plan_options po = {o->attributes, o->rename, o->datefmt,
                           o->level_case, o->utc,    o->omit_fields};

    return lt__plan_compile(&st->plan, &po, "levelname:level,name:logger", LT_LEVEL_CASE_KEEP, err);
}

static void json_close(void *state)
{
    lt__plan_free(&((struct json_state *)state)->plan);
}

static void json_describe(const void *state, lt_buf *out)
{
    lt__plan_describe(&((const struct json_state *)state)->plan, "json", out);
}

static const lt_formatter_type json_type = {
    .version = LT_FORMATTER_TYPE_VERSION,
    .name = "json",
    .state_size = sizeof(struct json_state),
    .open = json_open,
    .format = json_format,
    .close = json_close,
    .describe = json_describe,
};

int lt_json_formatter_new(lt_formatter **ret, const lt_json_options *opts, lt_error *err)
{
    return lt_formatter_new(ret, &json_type, opts, err);
}
