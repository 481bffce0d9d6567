/* formatters/structured.c - see structured.h: the attribute plan of the
 * JSON and logfmt formatters, compiled from their options when they are
 * made; the keys of fields; time, integers and UTF-8 for both. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pyformat.h"
#include "structured.h"
#include "sys.h"

#define DEFAULT_ATTRIBUTES "time,levelname,name,message"

/* ---- UTF-8 ---- */

/* The range the second byte of a sequence must fall in, by its first byte:
 * narrower than 80..BF where overlong forms, surrogates or code points past
 * U+10FFFF would begin (the Unicode standard's table 3-7). */
static bool second_ok(unsigned char lead, unsigned char b)
{
    if (lead == 0xE0)
        return b >= 0xA0 && b <= 0xBF;
    if (lead == 0xED)
        return b >= 0x80 && b <= 0x9F;
    if (lead == 0xF0)
        return b >= 0x90 && b <= 0xBF;
    if (lead == 0xF4)
        return b >= 0x80 && b <= 0x8F;
    return b >= 0x80 && b <= 0xBF;
}

size_t lt__utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t need, i;
    uint32_t c;

    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        need = 2, c = p[0] & 0x1Fu;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        need = 3, c = p[0] & 0x0Fu;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        need = 4, c = p[0] & 0x07u;
    else
        need = 0, c = 0;
    /* the maximal subpart: the lead and every byte that could still follow it */
    for (i = 1; i < need && i < len; i++) {
        if (i == 1 ? !second_ok(p[0], p[1]) : (p[i] & 0xC0) != 0x80)
            break;
        c = (c << 6) | (p[i] & 0x3Fu);
    }
    *cp = need && i == need ? c : LT__UTF8_BAD;
    return i;
}

/* ---- compiling the options ---- */

static int plan_error(lt_error *err, const char *fmt, ...) LT_PRINTF(2, 3);

static int plan_error(lt_error *err, const char *fmt, ...)
{
    va_list ap;

    if (err) {
        lt_error_clear(err);
        err->code = LT_EINVAL;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
        va_end(ap);
    }
    return LT_EINVAL;
}

/* What a name in the options stands for: an lt_attr number, LT__ITEM_*,
 * or INT32_MIN for none. */
static int item_from_name(const char *name)
{
    int attr = lt_attr_from_name(name);

    if (strcmp(name, "time") == 0)
        return LT__ITEM_TIME;
    if (strcmp(name, "asctime") == 0)
        return LT__ITEM_ASCTIME;
    return attr >= 0 ? attr : INT32_MIN;
}

static const char *item_name(int attr)
{
    return attr == LT__ITEM_TIME      ? "time"
           : attr == LT__ITEM_ASCTIME ? "asctime"
                                      : lt_attr_name(attr);
}

/* Keys need no quoting in either format, and a config file can write them. */
static bool key_allowed(const char *key)
{
    size_t len = strlen(key), n;
    uint32_t cp;

    if (!len)
        return false;
    for (size_t i = 0; i < len; i += n) {
        n = lt__utf8_decode(key + i, len - i, &cp);
        if (cp == LT__UTF8_BAD || cp <= ' ' || lt__is_control(cp) ||
            (cp < 0x80 && strchr("=\"\\,:", (int)cp)) || cp == 0x2028 || cp == 0x2029 ||
            cp == 0xFFFD)
            return false;
    }
    return true;
}

/* Cut @s at each comma, in place, and trim spaces and tabs around each piece.
 * Returns: the pieces (at most @max), or -1 if there are more. */
static int split(char *s, char **pieces, int max)
{
    int n = 0;

    if (!*s)
        return 0;
    for (char *p = s;; p++) {
        char *end = strchr(p, ',');

        if (n == max)
            return -1;
        if (end)
            *end = '\0';
        while (*p == ' ' || *p == '\t')
            p++;
        for (char *t = p + strlen(p); t > p && (t[-1] == ' ' || t[-1] == '\t');)
            *--t = '\0';
        pieces[n++] = p;
        if (!end)
            return n;
        p = end;
    }
}

/* A working copy of the options' lists, and what was read from them. */
struct reading {
    char *attributes, *rename;
    int attrs[LT__ITEMS_MAX];
    int nattrs;
    const char *new_key[LT__ITEMS_MAX]; /* by slot(): the renamed key, NULL if none */
};

/* The slot of new_key for @attr (attributes first, then time and asctime). */
static int slot(int attr)
{
    return attr >= 0 ? attr : LT_ATTR_COUNT - 1 - attr;
}

/* Room for every name twice: a longer list repeats one or names none. */
#define PIECES_MAX (2 * LT__ITEMS_MAX)

static int read_attributes(struct reading *rd, lt_error *err)
{
    char *names[PIECES_MAX];
    int n = split(rd->attributes, names, PIECES_MAX);

    if (n < 0)
        return plan_error(err, "attributes: more than %d names", PIECES_MAX);
    for (int i = 0; i < n; i++) {
        int attr = item_from_name(names[i]);

        if (!*names[i])
            return plan_error(err, "attributes: empty name in the list");
        if (attr == INT32_MIN)
            return plan_error(err,
                              "attributes: unknown attribute '%s' (names are Python's, "
                              "such as levelname, name, message, or time, asctime)",
                              names[i]);
        for (int j = 0; j < i; j++)
            if (rd->attrs[j] == attr)
                return plan_error(err, "attributes: '%s' is listed twice", names[i]);
        rd->attrs[i] = attr; /* the names so far are distinct: i < LT__ITEMS_MAX */
    }
    rd->nattrs = n;
    return 0;
}

static int read_rename(struct reading *rd, lt_error *err)
{
    char *pairs[PIECES_MAX];
    int n = split(rd->rename, pairs, PIECES_MAX);

    if (n < 0)
        return plan_error(err, "rename: more than %d pairs", PIECES_MAX);
    for (int i = 0; i < n; i++) {
        char *colon = strchr(pairs[i], ':'), *to;
        int attr;

        if (!colon)
            return plan_error(err, "rename: '%s' is not old:new", pairs[i]);
        *colon = '\0';
        for (char *t = colon; t > pairs[i] && (t[-1] == ' ' || t[-1] == '\t');)
            *--t = '\0';
        to = colon + 1 + strspn(colon + 1, " \t");
        if ((attr = item_from_name(pairs[i])) == INT32_MIN)
            return plan_error(err, "rename: unknown attribute '%s'", pairs[i]);
        if (rd->new_key[slot(attr)])
            return plan_error(err, "rename: '%s' is renamed twice", pairs[i]);
        if (!key_allowed(to))
            return plan_error(err,
                              "rename: '%s' is not a key (one or more characters, none of them "
                              "a space, a control character, '=', '\"', '\\', ',' or ':')",
                              to);
        rd->new_key[slot(attr)] = to;
    }
    return 0;
}

static const char *key_of(const struct reading *rd, int attr)
{
    return rd->new_key[slot(attr)] ? rd->new_key[slot(attr)] : item_name(attr);
}

/* The items in print order; errno and strerror follow when neither is listed. */
static size_t list_items(const struct reading *rd, int *attrs, size_t *n_errno)
{
    size_t n = 0;
    bool has_errno = false;

    for (int i = 0; i < rd->nattrs; i++) {
        attrs[n++] = rd->attrs[i];
        has_errno |= rd->attrs[i] == LT_ATTR_ERRNO || rd->attrs[i] == LT_ATTR_STRERROR;
    }
    *n_errno = has_errno ? 0 : 2;
    if (!has_errno) {
        attrs[n++] = LT_ATTR_ERRNO;
        attrs[n++] = LT_ATTR_STRERROR;
    }
    return n;
}

static void mark_first_byte(lt__plan *plan, const char *key)
{
    unsigned char c = (unsigned char)key[0];

    plan->first_bytes[c / 8] = (unsigned char)(plan->first_bytes[c / 8] | 1u << (c % 8));
}

static int fill_items(lt__plan *plan, const struct reading *rd, lt_error *err)
{
    int attrs[LT__ITEMS_MAX];
    size_t n = list_items(rd, attrs, &plan->n_errno), size = 0;
    char *at;

    for (size_t i = 0; i < n; i++)
        size += strlen(key_of(rd, attrs[i])) + 1;
    if (!(plan->keys = lt__malloc(size)))
        return LT_ENOMEM;
    at = plan->keys;
    for (size_t i = 0; i < n; i++) {
        const char *key = key_of(rd, attrs[i]);

        for (size_t j = 0; j < i; j++)
            if (strcmp(plan->items[j].key, key) == 0)
                return plan_error(err, "rename: '%s' and '%s' would both print as '%s'",
                                  item_name(plan->items[j].attr), item_name(attrs[i]), key);
        plan->items[i].attr = attrs[i];
        plan->items[i].key = at;
        plan->items[i].key_len = strlen(key);
        memcpy(at, key, plan->items[i].key_len + 1);
        at += plan->items[i].key_len + 1;
        mark_first_byte(plan, key);
    }
    plan->n = n - plan->n_errno;
    return 0;
}

static char level_case_letter(lt_level_case c)
{
    return c == LT_LEVEL_CASE_LOWER ? 'l' : c == LT_LEVEL_CASE_UPPER ? 'u' : 0;
}

/* Keep the options as lt_dump_tree() shows them, in Python's repr(). */
static int describe_options(lt__plan *plan, const lt__plan_options *o, const char *attributes,
                            const char *rename)
{
    lt_buf *b = NULL;
    int r;

    if ((r = lt_buf_new(&b)) < 0)
        return r;
    lt_buf_puts(b, "attributes=");
    lt__py_put_repr(b, attributes);
    lt_buf_puts(b, " rename=");
    lt__py_put_repr(b, rename);
    lt_buf_puts(b, " datefmt=");
    lt__py_put_repr(b, o->datefmt && *o->datefmt ? o->datefmt : NULL);
    lt_buf_puts(b, o->utc ? " utc=True" : " utc=False");
    if (o->omit_fields)
        lt_buf_puts(b, " omit_fields=True");
    if ((r = lt_buf_error(b)) == 0 && !(plan->desc = lt__strdup(lt_buf_data(b))))
        r = LT_ENOMEM;
    lt_buf_free(b);
    return r;
}

static int compile(lt__plan *plan, const lt__plan_options *o, const char *default_rename,
                   lt_level_case default_case, lt_error *err)
{
    struct reading rd = {0};
    lt_level_case lc = o->level_case ? o->level_case : default_case;
    int r;

    if ((int)lc < (int)LT_LEVEL_CASE_DEFAULT || (int)lc > (int)LT_LEVEL_CASE_UPPER)
        return plan_error(err, "level_case: unknown case %d", (int)lc);
    rd.attributes = lt__strdup(o->attributes ? o->attributes : DEFAULT_ATTRIBUTES);
    rd.rename = lt__strdup(o->rename ? o->rename : default_rename);
    if (!rd.attributes || !rd.rename)
        r = LT_ENOMEM;
    else if ((r = read_attributes(&rd, err)) == 0 && (r = read_rename(&rd, err)) == 0)
        r = fill_items(plan, &rd, err);
    if (r == 0)
        r = describe_options(plan, o, o->attributes ? o->attributes : DEFAULT_ATTRIBUTES,
                             o->rename ? o->rename : default_rename);
    free(rd.attributes);
    free(rd.rename);
    if (r < 0)
        return r;
    plan->level_case = level_case_letter(lc);
    plan->utc = o->utc;
    plan->fields = !o->omit_fields;
    if (o->datefmt && *o->datefmt && !(plan->datefmt = lt__strdup(o->datefmt)))
        return LT_ENOMEM;
    return 0;
}

int lt__plan_compile(lt__plan *plan, const lt__plan_options *opts, const char *default_rename,
                     lt_level_case default_case, lt_error *err)
{
    int r = compile(plan, opts, default_rename, default_case, err);

    if (r < 0)
        lt__plan_free(plan);
    return r;
}

void lt__plan_free(lt__plan *plan)
{
    free(plan->keys);
    free(plan->datefmt);
    free(plan->desc);
    plan->keys = plan->datefmt = plan->desc = NULL;
}

void lt__plan_describe(const lt__plan *plan, const char *kind, lt_buf *out)
{
    lt_buf_puts(out, kind);
    lt__buf_putc(out, ' ');
    lt_buf_puts(out, plan->desc ? plan->desc : "");
}

size_t lt__plan_count(const lt__plan *plan, const lt_record *rec)
{
    return plan->n + (lt_record_errno(rec) != 0 ? plan->n_errno : 0);
}

/* ---- the keys of fields ---- */

/* Whether @s is @under '_' followed by @key. */
static bool is_moved_key(const char *s, size_t under, const char *key)
{
    for (; under > 0; under--, s++)
        if (*s != '_')
            return false;
    return strcmp(s, key) == 0;
}

static bool is_item_key(const lt__plan *plan, size_t under, const char *key)
{
    unsigned char first = (unsigned char)(under ? '_' : key[0]);

    if (!(plan->first_bytes[first / 8] & (1u << (first % 8))))
        return false;
    for (size_t i = 0; i < plan->n + plan->n_errno; i++)
        if (is_moved_key(plan->items[i].key, under, key))
            return true;
    return false;
}

static bool key_taken(const lt__field_walk *w, size_t under, const char *key)
{
    const char *other;
    lt_value v;

    if (is_item_key(w->plan, under, key))
        return true;
    for (size_t i = 0; i < w->ntaken; i++) {
        size_t u = w->taken[i].under;

        if (u >= under ? is_moved_key(key, u - under, w->taken[i].key)
                       : is_moved_key(w->taken[i].key, under - u, key))
            return true;
    }
    for (size_t i = 0; i < w->count; i++)
        if (lt_record_field(w->rec, i, &other, &v) && is_moved_key(other, under, key))
            return true;
    return false;
}

void lt__field_walk_start(lt__field_walk *w, const lt__plan *plan, const lt_record *rec)
{
    w->plan = plan;
    w->rec = rec;
    w->next = 0;
    w->count = plan->fields ? lt_record_field_count(rec) : 0;
    w->ntaken = 0;
}

bool lt__field_walk_next(lt__field_walk *w, const char **key, size_t *under, lt_value *value)
{
    if (w->next >= w->count || !lt_record_field(w->rec, w->next++, key, value))
        return false;
    *under = 0;
    if (!is_item_key(w->plan, 0, *key))
        return true;
    /* a rare collision: the scans over all fields are paid only here */
    do
        ++*under;
    while (key_taken(w, *under, *key));
    if (w->ntaken < LT__ITEMS_MAX) {
        w->taken[w->ntaken].key = *key;
        w->taken[w->ntaken++].under = *under;
    }
    return true;
}

void lt__put_underscores(lt__out *o, size_t n)
{
    for (; n > 0; n--)
        lt__out_putc(o, '_');
}

/* ---- values ---- */

void lt__put_rfc3339(lt__out *o, const lt_record *rec, bool utc)
{
    struct timespec ts = lt_record_time(rec);
    lt_buf *out = lt__out_flush(o);
    size_t start = lt_buf_len(out), len;
    long us = ts.tv_nsec / 1000;
    char frac[7], zone[6];

    /* one call, so that lt_format_time()'s cache of the second serves it */
    lt_format_time(rec, "%Y-%m-%dT%H:%M:%S%z", utc, out);
    len = lt_buf_len(out) - start;
    if (len < 5 || lt_buf_error(out))
        return;
    memcpy(zone, lt_buf_data(out) + start + len - 5, 5);
    lt_buf_truncate(out, start + len - 5);
    for (int i = 6; i > 0; i--, us /= 10)
        frac[i] = (char)('0' + us % 10);
    frac[0] = '.';
    lt__out_write(o, frac, 7);
    if (utc) {
        lt__out_putc(o, 'Z');
        return;
    }
    zone[5] = zone[4];
    zone[4] = zone[3];
    zone[3] = ':';
    lt__out_write(o, zone, 6);
}

void lt__put_integer(lt__out *o, const lt_value *v)
{
    char digits[24], *end = digits + sizeof(digits), *p;
    bool neg = v->type == LT_VALUE_INT && v->as.i < 0;
    uint64_t mag = v->type == LT_VALUE_UINT ? v->as.u
                   : neg                    ? (uint64_t)0 - (uint64_t)v->as.i
                                            : (uint64_t)v->as.i;

    p = lt__py_utoa(mag, 10, false, end);
    if (neg)
        *--p = '-';
    lt__out_write(o, p, (size_t)(end - p));
}

void lt__put_repr(lt__out *o, double d)
{
    lt__pyfloat f;

    lt__pyfloat_format(&f, d, 'r', 0, LT__DTSF_ADD_DOT_0);
    if (f.neg)
        lt__out_putc(o, '-');
    lt__out_write(o, f.text, f.zeros_at);
    for (size_t i = 0; i < f.zeros; i++)
        lt__out_putc(o, '0');
    lt__out_write(o, f.text + f.zeros_at, f.len - f.zeros_at);
}

int lt__move_out(lt_buf *out, size_t start, lt__moved *m)
{
    size_t len = lt_buf_len(out) - start;

    m->heap = NULL;
    /* truncating forgets a failed append: never hide one */
    if (lt_buf_error(out))
        return LT_ENOMEM;
    if (len > sizeof(m->small) && !(m->heap = lt__malloc(len)))
        return LT_ENOMEM;
    memcpy(m->heap ? m->heap : m->small, lt_buf_data(out) + start, len);
    m->ptr = m->heap ? m->heap : m->small;
    m->len = len;
    lt_buf_truncate(out, start);
    return 0;
}

void lt__moved_release(lt__moved *m)
{
    free(m->heap);
    m->heap = NULL;
}
