/* src/json.c - the strict JSON parser of json.h: recursive descent over the
 * bytes, one value node per JSON value, every error located. */
#include <errno.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../formatters/pyformat.h"
#include "internal.h"
#include "json.h"
#include "sys.h"

struct parser {
    const char *p, *end;
    const char *line_start;
    int line;
    int depth;
    const char *file;
    lt_error *err;
};

static int column_of(const struct parser *ps, const char *at)
{
    return (int)(at - ps->line_start) + 1;
}

static int fail_at(struct parser *ps, const char *at, int code, const char *fmt, ...)
    LT_PRINTF(4, 5);

static int fail_at(struct parser *ps, const char *at, int code, const char *fmt, ...)
{
    char message[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    return lt__error_set(ps->err, code, ps->file, ps->line, column_of(ps, at), "%s", message);
}

/* What is at @at, for messages: a printable byte in quotes, or its name. */
static const char *describe(const struct parser *ps, const char *at, char *buf, size_t size)
{
    unsigned char c;

    if (at >= ps->end)
        return "the end of the text";
    c = (unsigned char)*at;
    if (c >= 0x21 && c < 0x7f)
        snprintf(buf, size, "'%c'", c);
    else if (c == ' ')
        snprintf(buf, size, "a space");
    else
        snprintf(buf, size, "byte 0x%02x", c);
    return buf;
}

static int unexpected(struct parser *ps, const char *what)
{
    char buf[32];

    return fail_at(ps, ps->p, LT_ESYNTAX, "expected %s, found %s", what,
                   describe(ps, ps->p, buf, sizeof(buf)));
}

static void skip_ws(struct parser *ps)
{
    while (ps->p < ps->end) {
        char c = *ps->p;

        if (c == '\n') {
            ps->line++;
            ps->line_start = ps->p + 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            return;
        }
        ps->p++;
    }
}

static lt__json *new_node(struct parser *ps, lt__json_kind kind)
{
    lt__json *v = lt__calloc(1, sizeof(*v));

    if (v) {
        v->kind = kind;
        v->line = ps->line;
        v->column = column_of(ps, ps->p);
    }
    return v;
}

/* ---- literals and numbers ---- */

static int parse_word(struct parser *ps, const char *word)
{
    size_t n = strlen(word);

    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return unexpected(ps, "a value");
    ps->p += n;
    return 0;
}

static bool is_digit(const char *p, const char *end)
{
    return p < end && *p >= '0' && *p <= '9';
}

/* strtod reads the decimal point of the locale: write the program's. */
static double to_double(const char *text)
{
    const char *point = localeconv()->decimal_point;
    char buf[128];
    char *copy;
    double d;

    if (!point || strcmp(point, ".") == 0 || !strchr(text, '.'))
        return strtod(text, NULL);
    if (strlen(text) + strlen(point) >= sizeof(buf))
        return strtod(text, NULL); /* a long fraction: precision beyond a double */
    copy = buf;
    {
        size_t whole = (size_t)(strchr(text, '.') - text), np = strlen(point);

        memcpy(copy, text, whole);
        memcpy(copy + whole, point, np);
        strcpy(copy + whole + np, text + whole + 1); /* fits: checked above */
    }
    d = strtod(copy, NULL);
    return d;
}

static int parse_number(struct parser *ps, lt__json *v)
{
    const char *start = ps->p, *p = ps->p, *end = ps->end;
    bool is_int = true;
    size_t n;

    if (p < end && *p == '-')
        p++;
    if (!is_digit(p, end)) {
        ps->p = p;
        return unexpected(ps, "a digit");
    }
    if (*p == '0') {
        p++;
        if (is_digit(p, end)) {
            ps->p = p;
            return fail_at(ps, p, LT_ESYNTAX, "a number cannot have a leading zero");
        }
    } else {
        while (is_digit(p, end))
            p++;
    }
    if (p < end && *p == '.') {
        is_int = false;
        if (!is_digit(++p, end)) {
            ps->p = p;
            return unexpected(ps, "a digit after the decimal point");
        }
        while (is_digit(p, end))
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        is_int = false;
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (!is_digit(p, end)) {
            ps->p = p;
            return unexpected(ps, "a digit in the exponent");
        }
        while (is_digit(p, end))
            p++;
    }
    n = (size_t)(p - start);
    if (!(v->as.num.text = lt__malloc(n + 1)))
        return LT_ENOMEM;
    memcpy(v->as.num.text, start, n);
    v->as.num.text[n] = '\0';
    v->as.num.is_int = is_int;
    v->as.num.d = to_double(v->as.num.text);
    if (is_int) {
        errno = 0;
        v->as.num.i = strtoll(v->as.num.text, NULL, 10);
        v->as.num.fits = errno != ERANGE;
    }
    ps->p = p;
    return 0;
}

/* ---- strings ---- */

/* The length of the UTF-8 sequence at @p (RFC 3629: no overlong forms, no
 * surrogates, nothing beyond U+10FFFF), or 0 if it is not one. */
static size_t utf8_length(const unsigned char *p, const unsigned char *end)
{
    unsigned char c = p[0];
    size_t n, i;
    uint32_t cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1fu;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0fu;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07u;
    } else {
        return 0;
    }
    if ((size_t)(end - p) < n)
        return 0;
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

static int hex4(struct parser *ps, const char *at, uint32_t *ret)
{
    uint32_t v = 0;

    for (int i = 0; i < 4; i++) {
        char c = at + i < ps->end ? at[i] : '\0';

        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (uint32_t)(c - 'A' + 10);
        else
            return fail_at(ps, at + i, LT_ESYNTAX, "\\u needs four hexadecimal digits");
    }
    *ret = v;
    return 0;
}

/* After the backslash at ps->p - 1. */
static int parse_escape(struct parser *ps, lt_buf *b)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *at = ps->p - 1, *hit;
    uint32_t cp = 0, low = 0;
    int r;

    if (ps->p >= ps->end)
        return fail_at(ps, at, LT_ESYNTAX, "unterminated string");
    if (*ps->p != 'u') {
        if (!*ps->p || !(hit = strchr(from, *ps->p)))
            return fail_at(ps, at, LT_ESYNTAX,
                           "invalid escape (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
        ps->p++;
        lt__buf_putc(b, to[hit - from]);
        return 0;
    }
    if ((r = hex4(ps, ps->p + 1, &cp)) < 0)
        return r;
    ps->p += 5;
    if (cp >= 0xdc00 && cp <= 0xdfff)
        return fail_at(ps, at, LT_ESYNTAX, "\\u%04X is a lone low surrogate", (unsigned)cp);
    if (cp >= 0xd800 && cp <= 0xdbff) {
        if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u')
            return fail_at(ps, at, LT_ESYNTAX,
                           "\\u%04X is a high surrogate without its low half (\\uDC00-\\uDFFF)",
                           (unsigned)cp);
        if ((r = hex4(ps, ps->p + 2, &low)) < 0)
            return r;
        if (low < 0xdc00 || low > 0xdfff)
            return fail_at(ps, at, LT_ESYNTAX,
                           "\\u%04X is a high surrogate without its low half (\\uDC00-\\uDFFF)",
                           (unsigned)cp);
        ps->p += 6;
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
    }
    lt__utf8_put(b, cp);
    return 0;
}

static int parse_string_raw(struct parser *ps, char **ret, size_t *len)
{
    const char *open = ps->p;
    char mem[128]; /* most strings fit: the heap copy is then their exact size */
    lt_buf b;
    int r = 0;

    ps->p++; /* the opening quote */
    lt__buf_on(&b, mem, sizeof(mem));
    for (;;) {
        const char *run = ps->p;
        size_t n;

        while (ps->p < ps->end && *ps->p != '"' && *ps->p != '\\' &&
               (unsigned char)*ps->p >= 0x20 && (unsigned char)*ps->p < 0x80)
            ps->p++;
        lt__buf_put(&b, run, (size_t)(ps->p - run));
        /* every append comes back here: a dropped one fails the parse first */
        if ((r = lt_buf_error(&b)) < 0)
            break;
        if (ps->p >= ps->end) {
            r = fail_at(ps, open, LT_ESYNTAX, "unterminated string");
            break;
        }
        if (*ps->p == '"') {
            ps->p++;
            return (*ret = lt__buf_take(&b, len)) ? 0 : LT_ENOMEM;
        }
        if (*ps->p == '\\') {
            ps->p++;
            if ((r = parse_escape(ps, &b)) < 0)
                break;
            continue;
        }
        if ((unsigned char)*ps->p < 0x20) {
            r = fail_at(ps, ps->p, LT_ESYNTAX,
                        "control character 0x%02x in a string (write it as an escape)",
                        (unsigned char)*ps->p);
            break;
        }
        n = utf8_length((const unsigned char *)ps->p, (const unsigned char *)ps->end);
        if (n == 0) {
            r = fail_at(ps, ps->p, LT_ESYNTAX, "invalid UTF-8 (byte 0x%02x)",
                        (unsigned char)*ps->p);
            break;
        }
        lt__buf_put(&b, ps->p, n);
        ps->p += n;
    }
    lt__buf_release(&b);
    return r;
}

/* ---- arrays, objects, values ---- */

static int parse_value(struct parser *ps, lt__json **ret);

static int enter(struct parser *ps)
{
    if (++ps->depth > LT__JSON_MAX_DEPTH)
        return fail_at(ps, ps->p, LT_ESYNTAX, "nested deeper than %d arrays and objects",
                       LT__JSON_MAX_DEPTH);
    return 0;
}

static int parse_array(struct parser *ps, lt__json *v)
{
    size_t cap = 0;
    int r;

    if ((r = enter(ps)) < 0)
        return r;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == ']') {
        ps->p++;
        ps->depth--;
        return 0;
    }
    for (;;) {
        lt__json *item = NULL;

        if (v->as.arr.n == cap) {
            lt__json **items = lt__realloc(v->as.arr.items, (cap ? cap * 2 : 4) * sizeof(*items));

            if (!items)
                return LT_ENOMEM;
            v->as.arr.items = items;
            cap = cap ? cap * 2 : 4;
        }
        skip_ws(ps);
        if ((r = parse_value(ps, &item)) < 0)
            return r;
        v->as.arr.items[v->as.arr.n++] = item;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == ']') {
            ps->p++;
            ps->depth--;
            return 0;
        }
        return unexpected(ps, "',' or ']'");
    }
}

static struct lt__json_member *find_member(lt__json *obj, const char *key, size_t len)
{
    for (size_t i = 0; i < obj->as.obj.n; i++) {
        struct lt__json_member *m = &obj->as.obj.members[i];

        if (m->key_len == len && memcmp(m->key, key, len) == 0)
            return m;
    }
    return NULL;
}

static int parse_member(struct parser *ps, lt__json *v, size_t *cap)
{
    struct lt__json_member m = {0}, *old;
    int r;

    if (ps->p >= ps->end || *ps->p != '"')
        return unexpected(ps, "a string (an object's key)");
    m.line = ps->line;
    m.column = column_of(ps, ps->p);
    if ((r = parse_string_raw(ps, &m.key, &m.key_len)) < 0)
        return r;
    skip_ws(ps);
    if (ps->p >= ps->end || *ps->p != ':') {
        free(m.key);
        return unexpected(ps, "':'");
    }
    ps->p++;
    skip_ws(ps);
    if ((r = parse_value(ps, &m.value)) < 0) {
        free(m.key);
        return r;
    }
    if ((old = find_member(v, m.key, m.key_len))) {
        /* As Python's dict: the first key's place, the last value. */
        lt__json_free(old->value);
        old->value = m.value;
        free(m.key);
        return 0;
    }
    if (v->as.obj.n == *cap) {
        size_t n = *cap ? *cap * 2 : 4;
        struct lt__json_member *ms = lt__realloc(v->as.obj.members, n * sizeof(*ms));

        if (!ms) {
            free(m.key);
            lt__json_free(m.value);
            return LT_ENOMEM;
        }
        v->as.obj.members = ms;
        *cap = n;
    }
    v->as.obj.members[v->as.obj.n++] = m;
    return 0;
}

static int parse_object(struct parser *ps, lt__json *v)
{
    size_t cap = 0;
    int r;

    if ((r = enter(ps)) < 0)
        return r;
    ps->p++;
    skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '}') {
        ps->p++;
        ps->depth--;
        return 0;
    }
    for (;;) {
        skip_ws(ps);
        if ((r = parse_member(ps, v, &cap)) < 0)
            return r;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == ',') {
            ps->p++;
            continue;
        }
        if (ps->p < ps->end && *ps->p == '}') {
            ps->p++;
            ps->depth--;
            return 0;
        }
        return unexpected(ps, "',' or '}'");
    }
}

static int parse_value(struct parser *ps, lt__json **ret)
{
    lt__json *v;
    int r;

    if (ps->p >= ps->end)
        return unexpected(ps, "a value");
    if (!(v = new_node(ps, LT__JSON_NULL)))
        return LT_ENOMEM;
    switch (*ps->p) {
    case '{':
        v->kind = LT__JSON_OBJECT;
        r = parse_object(ps, v);
        break;
    case '[':
        v->kind = LT__JSON_ARRAY;
        r = parse_array(ps, v);
        break;
    case '"':
        v->kind = LT__JSON_STRING;
        r = parse_string_raw(ps, &v->as.str.ptr, &v->as.str.len);
        break;
    case 't':
        v->kind = LT__JSON_BOOL;
        v->as.b = true;
        r = parse_word(ps, "true");
        break;
    case 'f':
        v->kind = LT__JSON_BOOL;
        r = parse_word(ps, "false");
        break;
    case 'n':
        r = parse_word(ps, "null");
        break;
    default:
        if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9')) {
            v->kind = LT__JSON_NUMBER;
            r = parse_number(ps, v);
        } else {
            r = unexpected(ps, "a value");
        }
    }
    if (r < 0) {
        lt__json_free(v);
        return r;
    }
    *ret = v;
    return 0;
}

int lt__json_parse(const char *text, size_t len, const char *file, lt__json **ret, lt_error *err)
{
    struct parser ps = {text, text + len, text, 1, 0, file, err};
    lt__json *v = NULL;
    int r;

    if (len > LT__JSON_MAX_SIZE)
        return lt__error_set(err, LT_ESYNTAX, file, 0, 0, "the text is larger than %zu MiB",
                             LT__JSON_MAX_SIZE >> 20);
    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        return fail_at(&ps, text, LT_ESYNTAX,
                       "a byte-order mark (save the file as UTF-8 "
                       "without BOM)");
    skip_ws(&ps);
    r = parse_value(&ps, &v);
    if (r == 0) {
        skip_ws(&ps);
        if (ps.p < ps.end)
            r = unexpected(&ps, "the end of the text after the value");
    }
    if (r < 0) {
        if (r == LT_ENOMEM)
            lt__error_set(err, r, file, 0, 0, "out of memory");
        lt__json_free(v);
        return r;
    }
    *ret = v;
    return 0;
}

void lt__json_free(lt__json *v)
{
    if (!v)
        return;
    switch (v->kind) {
    case LT__JSON_NUMBER:
        free(v->as.num.text);
        break;
    case LT__JSON_STRING:
        free(v->as.str.ptr);
        break;
    case LT__JSON_ARRAY:
        for (size_t i = 0; i < v->as.arr.n; i++)
            lt__json_free(v->as.arr.items[i]);
        free(v->as.arr.items);
        break;
    case LT__JSON_OBJECT:
        for (size_t i = 0; i < v->as.obj.n; i++) {
            free(v->as.obj.members[i].key);
            lt__json_free(v->as.obj.members[i].value);
        }
        free(v->as.obj.members);
        break;
    default:
        break;
    }
    free(v);
}

const struct lt__json_member *lt__json_member(const lt__json *obj, const char *key)
{
    if (!obj || obj->kind != LT__JSON_OBJECT)
        return NULL;
    return find_member((lt__json *)(uintptr_t)obj, key, strlen(key));
}

const lt__json *lt__json_get(const lt__json *obj, const char *key)
{
    const struct lt__json_member *m = lt__json_member(obj, key);

    return m ? m->value : NULL;
}

const char *lt__json_kind_name(lt__json_kind k)
{
    static const char *const names[] = {"null",     "a boolean", "a number",
                                        "a string", "an array",  "an object"};

    return (size_t)k < LT__ARRAY_SIZE(names) ? names[k] : "?";
}

bool lt__json_truthy(const lt__json *v)
{
    switch (v ? v->kind : LT__JSON_NULL) {
    case LT__JSON_BOOL:
        return v->as.b;
    case LT__JSON_NUMBER:
        return v->as.num.d != 0.0;
    case LT__JSON_STRING:
        return v->as.str.len > 0;
    case LT__JSON_ARRAY:
        return v->as.arr.n > 0;
    case LT__JSON_OBJECT:
        return v->as.obj.n > 0;
    default:
        return false;
    }
}
