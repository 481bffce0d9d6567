/* formatters/access_compile.c - Apache mod_log_config's LogFormat language,
 * compiled once into a list of items (access.h) with every field key,
 * unit and condition resolved, so that formatting a record never parses.
 *
 * The grammar is Apache's: literal text with the escapes \n \t \r \\; %%;
 * and directives "%" [conditions] ["{" arg "}"] letter, where conditions are
 * status codes separated by commas, optionally negated with '!' ("%400,501i",
 * "%!200,304r"), and '<' / '>' (original or final request) are accepted and
 * mean nothing here. Apache reports an unknown letter when the server starts;
 * so do we, with its column. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <logtree/formatters.h>

#include "access.h"
#include "sys.h"

/* Apache's own definitions (httpd.conf) of the two usual formats. */
#define COMMON_FORMAT   "%h %l %u %t \"%r\" %>s %b"
#define COMBINED_FORMAT COMMON_FORMAT " \"%{Referer}i\" \"%{User-Agent}i\""

/* Field keys are at most 64 bytes (record.h). */
#define KEY_MAX 64

struct compiler {
    lt__access_program *prog;
    size_t cap;       /* of prog->items */
    size_t codes_cap; /* of prog->codes */
    size_t ncodes;
    lt_buf *pool;
    const char *format;
    lt_error *err;
};

/* What a directive is made of, before its letter decides what it means. */
struct directive {
    size_t at;       /* offset of the '%' */
    size_t letter;   /* offset of the letter */
    const char *arg; /* the text between braces, NULL if none */
    size_t arg_len;
    size_t arg_at; /* offset of the '{' */
    size_t codes;  /* the first of its status codes in prog->codes */
    size_t ncodes;
    bool negate;
};

static int fail(struct compiler *c, size_t at, const char *fmt, ...) LT_PRINTF(3, 4);

static int fail(struct compiler *c, size_t at, const char *fmt, ...)
{
    va_list ap;

    if (!c->err)
        return LT_EFORMAT;
    lt_error_clear(c->err);
    c->err->code = LT_EFORMAT;
    c->err->column = at < 1000000 ? (int)at + 1 : 0; /* bytes, 1-based, as lt_error counts */
    va_start(ap, fmt);
    vsnprintf(c->err->message, sizeof(c->err->message), fmt, ap);
    va_end(ap);
    return LT_EFORMAT;
}

static lt__access_item *push(struct compiler *c, lt__access_kind kind)
{
    lt__access_program *prog = c->prog;
    lt__access_item *item;

    if (prog->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        lt__access_item *more = lt__realloc(prog->items, cap * sizeof(*more));

        if (!more)
            return NULL;
        prog->items = more;
        c->cap = cap;
    }
    item = &prog->items[prog->n++];
    memset(item, 0, sizeof(*item));
    item->kind = kind;
    item->attr = -1;
    item->key = LT__ACC_NONE;
    item->key2 = LT__ACC_NONE;
    return item;
}

/* Put @len bytes and a NUL into the pool; returns their offset. */
static size_t pool_add(struct compiler *c, const char *s, size_t len)
{
    size_t off = lt_buf_len(c->pool);

    lt_buf_append(c->pool, s, len);
    lt_buf_putc(c->pool, '\0');
    return off;
}

/* Literal bytes join the text item before them when they follow it in the
 * pool, so that "a%%b" is one item. */
static int add_text(struct compiler *c, const char *s, size_t len)
{
    lt__access_program *prog = c->prog;
    lt__access_item *last = prog->n ? &prog->items[prog->n - 1] : NULL;
    size_t end = lt_buf_len(c->pool);

    if (len == 0)
        return 0;
    if (last && last->kind == LT__ACC_TEXT && end > 0 && last->text + last->len + 1 == end) {
        lt_buf_truncate(c->pool, end - 1); /* the NUL after it */
        lt_buf_append(c->pool, s, len);
        lt_buf_putc(c->pool, '\0');
        last->len += len;
        return 0;
    }
    if (!(last = push(c, LT__ACC_TEXT)))
        return LT_ENOMEM;
    last->text = pool_add(c, s, len);
    last->len = len;
    return 0;
}

/* Text up to the next '%', with Apache's escapes: \n \r \t \\; a backslash
 * before anything else stays. */
static int parse_text(struct compiler *c, size_t *pos)
{
    const char *f = c->format;
    char small[256];
    size_t i = *pos, n = 0;
    int r;

    while (f[i] && f[i] != '%') {
        char ch = f[i++];

        if (ch == '\\') {
            const char *from = "\\rnt", *to = "\\\r\n\t", *hit = f[i] ? strchr(from, f[i]) : NULL;

            if (hit) {
                ch = to[hit - from];
                i++;
            }
        }
        small[n++] = ch;
        if (n == sizeof(small)) {
            if ((r = add_text(c, small, n)) < 0)
                return r;
            n = 0;
        }
    }
    *pos = i;
    return add_text(c, small, n);
}

static bool key_byte(unsigned char b, bool first)
{
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_' || b >= 0x80)
        return true;
    return !first && ((b >= '0' && b <= '9') || b == '.' || b == '-');
}

/* Whether @key (@len bytes) is in the set record.h documents. */
static bool key_valid(const char *key, size_t len)
{
    if (len == 0 || len > KEY_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!key_byte((unsigned char)key[i], i == 0))
            return false;
    return true;
}

static int set_key(struct compiler *c, lt__access_item *item, const char *key)
{
    item->key = pool_add(c, key, strlen(key));
    return 0;
}

/* A field, and the one read when it is missing. */
static int set_keys(struct compiler *c, lt__access_item *item, const char *key, const char *key2)
{
    item->key2 = pool_add(c, key2, strlen(key2));
    return set_key(c, item, key);
}

static bool arg_is(const struct directive *d, const char *word)
{
    return d->arg && d->arg_len == strlen(word) && strncmp(d->arg, word, d->arg_len) == 0;
}

static int need_arg(struct compiler *c, const struct directive *d, const char *what)
{
    if (d->arg && d->arg_len > 0)
        return 0;
    return fail(c, d->letter, "%%%c needs %s in braces, as %%{%s}%c", c->format[d->letter], what,
                c->format[d->letter] == 'x' ? "name" : "Name", c->format[d->letter]);
}

static bool header_is(const struct directive *d, const char *name)
{
    return d->arg_len == strlen(name) && strncasecmp(d->arg, name, d->arg_len) == 0;
}

/* %{Name}i and %{Name}o: the field is @prefix and the header's name in lower
 * case (HTTP names are case-insensitive; keys are not). The Referer and
 * User-Agent request headers are the fields referer and user_agent, or, when
 * those are missing, header.referer and header.user-agent. */
static int header_item(struct compiler *c, const struct directive *d, const char *prefix)
{
    char key[KEY_MAX + 1];
    size_t plen = strlen(prefix);
    lt__access_item *item;
    int r;

    if ((r = need_arg(c, d, "a header name")) < 0)
        return r;
    if (!(item = push(c, LT__ACC_FIELD)))
        return LT_ENOMEM;
    if (prefix[0] == 'h' && header_is(d, "referer"))
        return set_keys(c, item, "referer", "header.referer");
    if (prefix[0] == 'h' && header_is(d, "user-agent"))
        return set_keys(c, item, "user_agent", "header.user-agent");
    if (plen + d->arg_len <= KEY_MAX) {
        memcpy(key, prefix, plen);
        for (size_t i = 0; i < d->arg_len; i++) {
            char ch = d->arg[i];

            key[plen + i] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
        }
        key[plen + d->arg_len] = '\0';
        if (key_valid(key, plen + d->arg_len))
            return set_key(c, item, key);
    }
    return fail(c, d->arg_at, "header name '%.*s' cannot be part of a field key (%s%.*s)",
                (int)d->arg_len, d->arg, prefix, (int)d->arg_len, d->arg);
}

/* %{name}x: a record attribute by its Python name, or any field. */
static int any_item(struct compiler *c, const struct directive *d)
{
    char name[KEY_MAX + 1];
    lt__access_item *item;
    int r;

    if ((r = need_arg(c, d, "a field name")) < 0)
        return r;
    if (!key_valid(d->arg, d->arg_len))
        return fail(c, d->arg_at,
                    "'%.*s' is not a field key (1 to 64 letters, digits, '_', '.' "
                    "or '-', not starting with a digit, '.' or '-')",
                    (int)d->arg_len, d->arg);
    memcpy(name, d->arg, d->arg_len);
    name[d->arg_len] = '\0';
    if (!(item = push(c, LT__ACC_FIELD)))
        return LT_ENOMEM;
    item->attr = lt_attr_from_name(name);
    if (item->attr >= 0) {
        item->kind = LT__ACC_ATTR;
        return 0;
    }
    return set_key(c, item, name);
}

/* %t, %{format}t, %{sec}t, %{msec}t, %{usec}t, %{msec_frac}t, %{usec_frac}t;
 * Apache's "begin:" and "end:" prefixes are accepted: a record has one time. */
static int time_item(struct compiler *c, const struct directive *d)
{
    static const struct {
        const char *name;
        long long div, mod;
    } epoch[] = {
        {"sec", 1000000000, 0},       {"msec", 1000000, 0},         {"usec", 1000, 0},
        {"msec_frac", 1000000, 1000}, {"usec_frac", 1000, 1000000},
    };
    struct directive t = *d;
    lt__access_item *item;

    for (int i = 0; i < 2 && t.arg; i++) {
        size_t skip = i == 0 ? 6 : 4; /* "begin:", "end:" */

        if (t.arg_len >= skip && strncmp(t.arg, i == 0 ? "begin:" : "end:", skip) == 0) {
            t.arg += skip;
            t.arg_len -= skip;
        }
    }
    if (!(item = push(c, LT__ACC_TIME_CLF)))
        return LT_ENOMEM;
    if (!t.arg || t.arg_len == 0)
        return 0;
    for (size_t i = 0; i < sizeof(epoch) / sizeof(epoch[0]); i++) {
        if (arg_is(&t, epoch[i].name)) {
            item->kind = LT__ACC_TIME_EPOCH;
            item->div = epoch[i].div;
            item->mod = epoch[i].mod;
            return 0;
        }
    }
    item->kind = LT__ACC_TIME_FMT;
    item->text = pool_add(c, t.arg, t.arg_len);
    return 0;
}

/* %D is microseconds; %T seconds, or the unit of %{s}T, %{ms}T, %{us}T. */
static int duration_item(struct compiler *c, const struct directive *d, char letter)
{
    lt__access_item *item;
    long long div = letter == 'D' ? 1 : 1000000;

    if (letter == 'T' && d->arg && d->arg_len > 0) {
        if (arg_is(d, "ms"))
            div = 1000;
        else if (arg_is(d, "us"))
            div = 1;
        else if (!arg_is(d, "s"))
            return fail(c, d->arg_at, "unknown unit '%.*s' for %%T (use s, ms or us)",
                        (int)d->arg_len, d->arg);
    }
    if (!(item = push(c, LT__ACC_DURATION)))
        return LT_ENOMEM;
    item->div = div;
    return set_key(c, item, "duration_us");
}

static int field_item(struct compiler *c, lt__access_kind kind, const char *key)
{
    lt__access_item *item = push(c, kind);

    if (!item)
        return LT_ENOMEM;
    return set_key(c, item, key);
}

/* %P is the process id; %{pid}P too, %{tid}P the thread. */
static int process_item(struct compiler *c, const struct directive *d)
{
    lt__access_item *item;
    int attr = LT_ATTR_PROCESS;

    if (arg_is(d, "tid"))
        attr = LT_ATTR_THREAD;
    else if (d->arg && d->arg_len > 0 && !arg_is(d, "pid"))
        return fail(c, d->arg_at, "unknown %%P format '%.*s' (use pid or tid)", (int)d->arg_len,
                    d->arg);
    if (!(item = push(c, LT__ACC_ATTR)))
        return LT_ENOMEM;
    item->attr = attr;
    return 0;
}

static int unknown(struct compiler *c, const struct directive *d)
{
    unsigned char b = (unsigned char)c->format[d->letter];

    if (b > ' ' && b < 0x7f)
        return fail(c, d->letter, "unknown or unsupported directive '%%%c'", b);
    return fail(c, d->letter, "unknown directive: byte 0x%02x after '%%'", b);
}

/* The item a directive's letter stands for. */
static int letter_item(struct compiler *c, const struct directive *d)
{
    char letter = c->format[d->letter];

    switch (letter) {
    case 'h':
    case 'a':
        return field_item(c, LT__ACC_FIELD, "remote_addr");
    case 'A':
        return field_item(c, LT__ACC_FIELD, "local_addr");
    case 'l':
        return field_item(c, LT__ACC_FIELD, "ident");
    case 'u':
        return field_item(c, LT__ACC_USER, "remote_user");
    case 't':
        return time_item(c, d);
    case 'r':
        return push(c, LT__ACC_REQUEST) ? 0 : LT_ENOMEM;
    case 's':
        return field_item(c, LT__ACC_WHOLE, "status");
    case 'b':
        return field_item(c, LT__ACC_BYTES_CLF, "bytes");
    case 'B':
        return field_item(c, LT__ACC_WHOLE, "bytes");
    case 'D':
    case 'T':
        return duration_item(c, d, letter);
    case 'm':
        return field_item(c, LT__ACC_FIELD, "method");
    case 'U':
        return field_item(c, LT__ACC_FIELD, "path");
    case 'q':
        return field_item(c, LT__ACC_QUERY, "query");
    case 'H':
        return field_item(c, LT__ACC_FIELD, "protocol");
    case 'v':
    case 'V':
        return field_item(c, LT__ACC_FIELD, "host");
    case 'p':
        return field_item(c, LT__ACC_FIELD, arg_is(d, "remote") ? "remote_port" : "server_port");
    case 'P':
        return process_item(c, d);
    case 'i':
        return header_item(c, d, "header.");
    case 'o':
        return header_item(c, d, "resp_header.");
    case 'x':
        return any_item(c, d);
    default:
        return unknown(c, d);
    }
}

static int add_code(struct compiler *c, int code)
{
    if (c->ncodes == c->codes_cap) {
        size_t cap = c->codes_cap ? c->codes_cap * 2 : 8;
        int *more = lt__realloc(c->prog->codes, cap * sizeof(*more));

        if (!more)
            return LT_ENOMEM;
        c->prog->codes = more;
        c->codes_cap = cap;
    }
    c->prog->codes[c->ncodes++] = code;
    return 0;
}

/* A status code of a condition: "%400,501{User-Agent}i". */
static int parse_code(struct compiler *c, struct directive *d, size_t *pos)
{
    const char *f = c->format;
    size_t i = *pos;
    int code = 0;

    while (f[i] >= '0' && f[i] <= '9') {
        code = code * 10 + (f[i++] - '0');
        if (code > 999)
            return fail(c, *pos, "a status code in a condition has at most 3 digits");
    }
    if (d->ncodes == 0)
        d->codes = c->ncodes;
    d->ncodes++;
    *pos = i;
    return add_code(c, code);
}

static int parse_brace(struct compiler *c, struct directive *d, size_t *pos)
{
    const char *open = c->format + *pos, *close = strchr(open, '}');

    if (!close)
        return fail(c, *pos, "'{' without its '}'");
    d->arg = open + 1;
    d->arg_len = (size_t)(close - open - 1);
    d->arg_at = *pos;
    *pos += d->arg_len + 2;
    return 0;
}

/* From the '%' to the letter, as Apache's parse_log_item() reads it. */
static int parse_directive(struct compiler *c, size_t *pos)
{
    const char *f = c->format;
    struct directive d = {.at = *pos};
    size_t i = *pos + 1;
    lt__access_item *item;
    int r = 0;

    if (f[i] == '%') {
        *pos = i + 1;
        return add_text(c, "%", 1);
    }
    for (;;) {
        char ch = f[i];

        if (ch == '\0')
            return fail(c, d.at, "directive without its letter at the end of the format");
        if (ch == '!' || ch == '<' || ch == '>' || ch == ',') {
            if (ch == '!')
                d.negate = !d.negate;
            i++;
        } else if (ch == '{') {
            r = parse_brace(c, &d, &i);
        } else if (ch >= '0' && ch <= '9') {
            r = parse_code(c, &d, &i);
        } else {
            break;
        }
        if (r < 0)
            return r;
    }
    d.letter = i;
    if ((r = letter_item(c, &d)) < 0)
        return r;
    item = &c->prog->items[c->prog->n - 1];
    item->codes = d.codes;
    item->ncodes = d.ncodes;
    item->negate = d.negate;
    *pos = i + 1;
    return 0;
}

static const char *preset(const char *pattern)
{
    if (!pattern || !*pattern || strcmp(pattern, "combined") == 0)
        return COMBINED_FORMAT;
    if (strcmp(pattern, "common") == 0)
        return COMMON_FORMAT;
    return pattern;
}

void lt__access_program_free(lt__access_program *prog)
{
    free(prog->items);
    free(prog->pool);
    free(prog->codes);
    memset(prog, 0, sizeof(*prog));
}

/* The pool becomes a plain allocation the formatter owns and only reads. */
static int keep_pool(struct compiler *c)
{
    size_t len = lt_buf_len(c->pool);

    if (lt_buf_error(c->pool))
        return LT_ENOMEM;
    if (!(c->prog->pool = lt__malloc(len + 1)))
        return LT_ENOMEM;
    memcpy(c->prog->pool, lt_buf_data(c->pool), len + 1);
    return 0;
}

int lt__access_compile(lt__access_program *prog, const char *pattern, lt_error *err)
{
    struct compiler c = {.prog = prog, .format = preset(pattern), .err = err};
    size_t pos = 0;
    int r;

    memset(prog, 0, sizeof(*prog));
    if ((r = lt_buf_new(&c.pool)) < 0)
        return r;
    while (c.format[pos] && r == 0) {
        if (c.format[pos] == '%')
            r = parse_directive(&c, &pos);
        else
            r = parse_text(&c, &pos);
    }
    if (r == 0)
        r = keep_pool(&c);
    lt_buf_free(c.pool);
    if (r < 0)
        lt__access_program_free(prog);
    return r;
}
