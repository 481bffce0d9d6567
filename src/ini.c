/* src/ini.c - Python's configparser.ConfigParser reader, as fileConfig() uses it.
 *
 * The rules follow RawConfigParser._read() in CPython 3.11 line by line; the
 * comments name the Python behaviour each branch reproduces. Text is UTF-8:
 * "whitespace" is what Python's str.isspace() accepts, and indentation is
 * counted in characters, because Python compares indents of decoded lines. */
#include <stdlib.h>
#include <string.h>

#include "ini.h"
#include "internal.h"
#include "sys.h"

#define INI_DEFAULT   "DEFAULT"
#define INI_MAX_DEPTH 10 /* configparser.MAX_INTERPOLATION_DEPTH */
#define INI_SHOW_MAX  24 /* bytes of a bad value quoted in a message */

struct ini_opt {
    char *key;   /* lower-cased (optionxform) */
    char *value; /* raw: lines joined with '\n', always NUL-terminated */
    size_t len;
    size_t cap;
    int line;
};

struct ini_sect {
    char *name; /* NULL for [DEFAULT] */
    int line;   /* of the (first) header */
    struct ini_opt *opts;
    size_t n;
    size_t cap;
    char **cooked; /* interpolated values: own options, then [DEFAULT]'s */
    size_t ncooked;
};

struct lt__ini {
    char *name;
    struct ini_sect defaults;
    struct ini_sect **sects;
    size_t n;
    size_t cap;
};

struct ini_reader {
    lt__ini *ini;
    lt_error *err;
    int lineno;
    struct ini_sect *sect; /* NULL before the first header */
    bool has_opt;          /* the last option of sect takes continuation lines */
    size_t pending;        /* empty lines not yet added to that option */
    size_t indent;         /* of the last key or header line, in characters */
};

/* ---- characters ---------------------------------------------------------- */

/* Length of the str.isspace() character that starts at @p, 0 if none. */
static size_t ws_at(const char *p, const char *end)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t n = (size_t)(end - p);

    if (n == 0)
        return 0;
    if (u[0] < 0x80)
        return u[0] == ' ' || (u[0] >= '\t' && u[0] <= '\r') || (u[0] >= 0x1c && u[0] <= 0x1f);
    if (n >= 2 && u[0] == 0xc2 && (u[1] == 0x85 || u[1] == 0xa0))
        return 2; /* U+0085 NEL, U+00A0 NO-BREAK SPACE */
    if (n < 3)
        return 0;
    if ((u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80) ||                 /* U+1680 */
        (u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0x80 && u[2] <= 0x8a) || /* U+2000-200A */
        (u[0] == 0xe2 && u[1] == 0x80 && (u[2] == 0xa8 || u[2] == 0xa9 || u[2] == 0xaf)) ||
        (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f) || /* U+205F */
        (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80))   /* U+3000 */
        return 3;
    return 0;
}

/* Length of the whitespace character that ends just before @end, 0 if none. */
static size_t ws_before(const char *start, const char *end)
{
    for (size_t k = 1; k <= 3 && k <= (size_t)(end - start); k++)
        if (ws_at(end - k, end) == k)
            return k;
    return 0;
}

static void strip(const char **s, const char **e)
{
    size_t k;

    while ((k = ws_at(*s, *e)) > 0)
        *s += k;
    while ((k = ws_before(*s, *e)) > 0)
        *e -= k;
}

/* Characters of whitespace before @s, the first non-space of the line. */
static size_t indent_of(const char *line, const char *s)
{
    size_t n = 0;

    for (; line < s; n++)
        line += ws_at(line, s);
    return n;
}

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static char *copy_n(const char *s, size_t n)
{
    char *p = lt__malloc(n + 1);

    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* ---- sections and options ------------------------------------------------ */

static const char *sect_name(const struct ini_sect *s)
{
    return s->name ? s->name : INI_DEFAULT;
}

/* @key (@n bytes, any case) against a stored lower-cased key. */
static bool key_eq(const char *stored, const char *key, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!stored[i] || stored[i] != ascii_lower(key[i]))
            return false;
    return stored[n] == '\0';
}

static struct ini_opt *find_opt(const struct ini_sect *s, const char *key, size_t n, size_t *slot)
{
    for (size_t i = 0; i < s->n; i++) {
        if (key_eq(s->opts[i].key, key, n)) {
            *slot = i;
            return &s->opts[i];
        }
    }
    return NULL;
}

/* The section's own option, else [DEFAULT]'s (ConfigParser's ChainMap). */
static struct ini_opt *lookup(const lt__ini *ini, const struct ini_sect *s, const char *key,
                              size_t n, size_t *slot)
{
    struct ini_opt *o = find_opt(s, key, n, slot);

    if (!o && s != &ini->defaults && (o = find_opt(&ini->defaults, key, n, slot)))
        *slot += s->n;
    return o;
}

static struct ini_sect *find_sect(const lt__ini *ini, const char *name, size_t n)
{
    for (size_t i = 0; i < ini->n; i++)
        if (strlen(ini->sects[i]->name) == n && memcmp(ini->sects[i]->name, name, n) == 0)
            return ini->sects[i];
    return NULL;
}

/* get() reads [DEFAULT] as a section of its own, has_section() does not. */
static struct ini_sect *find_for_get(lt__ini *ini, const char *name)
{
    if (strcmp(name, INI_DEFAULT) == 0)
        return &ini->defaults;
    return find_sect(ini, name, strlen(name));
}

static int opt_reserve(struct ini_opt *o, size_t more)
{
    size_t cap = o->cap ? o->cap : 16;
    char *p;

    if (o->len + more < o->cap)
        return 0;
    while (cap <= o->len + more)
        cap *= 2;
    p = lt__realloc(o->value, cap);
    if (!p)
        return LT_ENOMEM;
    o->value = p;
    o->cap = cap;
    return 0;
}

static void sect_free(struct ini_sect *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->opts[i].key);
        free(s->opts[i].value);
    }
    for (size_t i = 0; i < s->ncooked; i++)
        free(s->cooked[i]);
    free(s->cooked);
    free(s->opts);
    free(s->name);
}

void lt__ini_free(lt__ini *ini)
{
    if (!ini)
        return;
    for (size_t i = 0; i < ini->n; i++) {
        sect_free(ini->sects[i]);
        free(ini->sects[i]);
    }
    sect_free(&ini->defaults);
    free(ini->sects);
    free(ini->name);
    free(ini);
}

/* ---- reading ------------------------------------------------------------- */

static int col_of(const char *line, const char *p)
{
    return (int)(p - line) + 1;
}

static int open_section(struct ini_reader *rd, const char *name, size_t n, int col)
{
    lt__ini *ini = rd->ini;
    struct ini_sect *s, **sects;

    rd->has_opt = false; /* "sections can't start with a continuation line" */
    if (n == strlen(INI_DEFAULT) && memcmp(name, INI_DEFAULT, n) == 0) {
        /* [DEFAULT] may appear again: Python merges it (duplicate keys still fail) */
        if (!ini->defaults.line)
            ini->defaults.line = rd->lineno;
        rd->sect = &ini->defaults;
        return 0;
    }
    if ((s = find_sect(ini, name, n)))
        return lt__error_set(rd->err, LT_ECONFIG, ini->name, rd->lineno, col,
                             "duplicate section [%s] (first at line %d)", s->name, s->line);
    if (ini->n == ini->cap) {
        size_t cap = ini->cap ? 2 * ini->cap : 8;
        if (!(sects = lt__realloc(ini->sects, cap * sizeof(*sects))))
            return LT_ENOMEM;
        ini->sects = sects;
        ini->cap = cap;
    }
    if (!(s = lt__calloc(1, sizeof(*s))) || !(s->name = copy_n(name, n))) {
        free(s);
        return LT_ENOMEM;
    }
    s->line = rd->lineno;
    ini->sects[ini->n++] = s;
    rd->sect = s;
    return 0;
}

static int push_option(struct ini_sect *s, char *key, const char *val, size_t n, int line)
{
    struct ini_opt *o;

    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 8;
        if (!(o = lt__realloc(s->opts, cap * sizeof(*o))))
            return LT_ENOMEM;
        s->opts = o;
        s->cap = cap;
    }
    o = &s->opts[s->n];
    memset(o, 0, sizeof(*o));
    if (opt_reserve(o, n) < 0)
        return LT_ENOMEM;
    memcpy(o->value, val, n);
    o->value[n] = '\0';
    o->len = n;
    o->key = key;
    o->line = line;
    s->n++;
    return 0;
}

/* "key = value" or "key: value", up to the FIRST delimiter (OPTCRE's lazy
 * option group), without inline comments. */
static int add_option(struct ini_reader *rd, const char *line, const char *s, const char *e)
{
    const char *d = s, *ke, *vs = NULL;
    struct ini_opt *dup;
    size_t slot;
    char *key;

    while (d < e && *d != '=' && *d != ':')
        d++;
    if (d == e)
        return lt__error_set(rd->err, LT_ESYNTAX, rd->ini->name, rd->lineno, col_of(line, s),
                             "line has no '=' or ':' (nor is it a [section] header or a comment)");
    ke = d;
    strip(&s, &ke);
    if (s == ke)
        return lt__error_set(rd->err, LT_ESYNTAX, rd->ini->name, rd->lineno, col_of(line, d),
                             "no option name before '%c'", *d);
    vs = d + 1;
    strip(&vs, &e);
    if ((dup = find_opt(rd->sect, s, (size_t)(ke - s), &slot)))
        return lt__error_set(rd->err, LT_ECONFIG, rd->ini->name, rd->lineno, col_of(line, s),
                             "duplicate option '%s' in [%s] (first at line %d)", dup->key,
                             sect_name(rd->sect), dup->line);
    if (!(key = copy_n(s, (size_t)(ke - s))))
        return LT_ENOMEM;
    for (char *k = key; *k; k++)
        *k = ascii_lower(*k);
    if (push_option(rd->sect, key, vs, (size_t)(e - vs), rd->lineno) < 0) {
        free(key);
        return LT_ENOMEM;
    }
    rd->has_opt = true;
    rd->pending = 0;
    return 0;
}

/* Empty lines inside a value are kept; trailing ones vanish, as Python's
 * '\n'.join(lines).rstrip() does, simply by never being flushed. */
static int continue_value(struct ini_reader *rd, const char *s, const char *e)
{
    struct ini_opt *o = &rd->sect->opts[rd->sect->n - 1];
    size_t n = (size_t)(e - s);

    if (opt_reserve(o, rd->pending + 1 + n) < 0)
        return LT_ENOMEM;
    memset(o->value + o->len, '\n', rd->pending + 1);
    o->len += rd->pending + 1;
    memcpy(o->value + o->len, s, n);
    o->len += n;
    o->value[o->len] = '\0';
    rd->pending = 0;
    return 0;
}

/* SECTCRE "\[(?P<header>.+)\]" is matched, not searched to the end: the name
 * runs to the LAST ']' and anything after it is ignored. */
static const char *header_end(const char *s, const char *e)
{
    if (*s != '[')
        return NULL;
    for (const char *q = e - 1; q >= s + 2; q--)
        if (*q == ']')
            return q;
    return NULL;
}

static int read_line(struct ini_reader *rd, const char *line, const char *eol)
{
    const char *s = line, *e = eol, *he;
    size_t indent;

    strip(&s, &e);
    if (s == e || *s == '#' || *s == ';') {
        /* a blank line belongs to the value being read; a comment line does not */
        if (s == e && rd->has_opt)
            rd->pending++;
        return 0;
    }
    indent = indent_of(line, s);
    if (rd->has_opt && indent > rd->indent)
        return continue_value(rd, s, e);
    rd->indent = indent;
    if ((he = header_end(s, e)))
        return open_section(rd, s + 1, (size_t)(he - s - 1), col_of(line, s));
    if (!rd->sect)
        return lt__error_set(rd->err, LT_ESYNTAX, rd->ini->name, rd->lineno, col_of(line, s),
                             "line before the first [section] header");
    return add_option(rd, line, s, e);
}

int lt__ini_parse(const char *text, size_t len, const char *name, lt__ini **ret, lt_error *err)
{
    struct ini_reader rd = {.err = err};
    const char *p = text, *end = text + len, *eol, *file = name ? name : "<string>";
    int rc = 0;

    *ret = NULL;
    if (!(rd.ini = lt__calloc(1, sizeof(*rd.ini))) ||
        !(rd.ini->name = copy_n(file, strlen(file)))) {
        lt__ini_free(rd.ini);
        return lt__error_set(err, LT_ENOMEM, file, 0, 0, "out of memory");
    }
    while (p < end && rc == 0) {
        for (eol = p; eol < end && *eol != '\n' && *eol != '\r'; eol++)
            ;
        rd.lineno++;
        /* Options are C strings: a NUL would cut a key or value short. */
        if (memchr(p, '\0', (size_t)(eol - p)))
            rc = lt__error_set(err, LT_ESYNTAX, rd.ini->name, rd.lineno,
                               col_of(p, memchr(p, '\0', (size_t)(eol - p))), "NUL byte in the file");
        else
            rc = read_line(&rd, p, eol);
        /* universal newlines: "\n", "\r\n" and a lone "\r" each end a line */
        p = eol + (eol < end);
        if (p < end && *eol == '\r' && *p == '\n')
            p++;
    }
    if (rc < 0) {
        if (rc == LT_ENOMEM)
            lt__error_set(err, rc, rd.ini->name, rd.lineno, 0, "out of memory");
        lt__ini_free(rd.ini);
        return rc;
    }
    *ret = rd.ini;
    return 0;
}

/* ---- lookups and interpolation ------------------------------------------- */

bool lt__ini_has_section(const lt__ini *ini, const char *section)
{
    return find_sect(ini, section, strlen(section)) != NULL;
}

int lt__ini_line(const lt__ini *ini, const char *section, const char *key)
{
    const struct ini_sect *s;
    const struct ini_opt *o;
    size_t slot;

    if (strcmp(section, INI_DEFAULT) == 0)
        s = &ini->defaults;
    else if (!(s = find_sect(ini, section, strlen(section))))
        return 0;
    if (!key)
        return s->line;
    o = lookup(ini, s, key, strlen(key), &slot);
    return o ? o->line : 0;
}

struct interp {
    const lt__ini *ini;
    const struct ini_sect *sect;
    const struct ini_opt *opt; /* the option asked for: errors name it */
    lt_error *err;
    char *buf;
    size_t len;
    size_t cap;
};

static int interp_put(struct interp *in, const char *s, size_t n)
{
    if (in->len + n >= in->cap) {
        size_t cap = in->cap ? in->cap : 64;
        char *p;
        while (cap <= in->len + n)
            cap *= 2;
        if (!(p = lt__realloc(in->buf, cap)))
            return LT_ENOMEM;
        in->buf = p;
        in->cap = cap;
    }
    memcpy(in->buf + in->len, s, n);
    in->len += n;
    in->buf[in->len] = '\0';
    return 0;
}

static int interp_fail(struct interp *in, int code, const char *what, const char *text, size_t n)
{
    return lt__error_set(in->err, code, in->ini->name, in->opt->line, 0,
                         "value of '%s' in [%s]: %s '%.*s%s'", in->opt->key, sect_name(in->sect),
                         what, (int)(n < INI_SHOW_MAX ? n : INI_SHOW_MAX), text,
                         n > INI_SHOW_MAX ? "..." : "");
}

static int interp_some(struct interp *in, const char *rest, int depth);

/* One %(name)s at *@rest: its value, interpolated in turn if it holds a '%'. */
static int interp_ref(struct interp *in, const char **rest, int depth)
{
    const char *ref = *rest, *name = ref + 2, *close = strchr(name, ')');
    const struct ini_opt *o;
    size_t slot;

    /* _KEYCRE: "%\(([^)]+)\)s" */
    if (!close || close == name || close[1] != 's')
        return interp_fail(in, LT_ESYNTAX, "bad interpolation variable reference", ref,
                           close ? (size_t)(close - ref + 2) : strlen(ref));
    *rest = close + 2;
    if (!(o = lookup(in->ini, in->sect, name, (size_t)(close - name), &slot)))
        return interp_fail(in, LT_EUNKNOWN, "no option here or in [DEFAULT] for", ref,
                           (size_t)(close - ref + 2));
    if (strchr(o->value, '%'))
        return interp_some(in, o->value, depth + 1);
    return interp_put(in, o->value, strlen(o->value));
}

/* BasicInterpolation._interpolate_some(): the depth is checked on entry, and a
 * referenced value is entered only if it holds a '%'. So ten references in a
 * row resolve, and the value they reach fails only if it holds a '%' too. */
static int interp_some(struct interp *in, const char *rest, int depth)
{
    const char *p;
    int rc = 0;

    if (depth > INI_MAX_DEPTH)
        return lt__error_set(in->err, LT_ECONFIG, in->ini->name, in->opt->line, 0,
                             "value of '%s' in [%s]: %%(name)s references nested more than %d "
                             "deep (a loop?)",
                             in->opt->key, sect_name(in->sect), INI_MAX_DEPTH);
    while (rc == 0 && *rest) {
        if (!(p = strchr(rest, '%')))
            return interp_put(in, rest, strlen(rest));
        if ((rc = interp_put(in, rest, (size_t)(p - rest))) < 0)
            break;
        rest = p;
        if (p[1] == '%') {
            rc = interp_put(in, "%", 1);
            rest = p + 2;
        } else if (p[1] == '(') {
            rc = interp_ref(in, &rest, depth);
        } else {
            rc = interp_fail(in, LT_ESYNTAX, "'%' must be followed by '%' or '(', found", p,
                             strlen(p));
        }
    }
    return rc;
}

static int interpolate(lt__ini *ini, struct ini_sect *s, const struct ini_opt *o, size_t slot,
                       lt_error *err)
{
    struct interp in = {.ini = ini, .sect = s, .opt = o, .err = err};
    int rc;

    if (!s->cooked) {
        s->ncooked = s->n + (s == &ini->defaults ? 0 : ini->defaults.n);
        if (!(s->cooked = lt__calloc(s->ncooked, sizeof(*s->cooked)))) {
            s->ncooked = 0;
            return lt__error_set(err, LT_ENOMEM, ini->name, o->line, 0, "out of memory");
        }
    }
    if (s->cooked[slot])
        return 0;
    rc = interp_some(&in, o->value, 1);
    if (rc == 0 && !in.buf)
        rc = interp_put(&in, "", 0);
    if (rc < 0) {
        free(in.buf);
        if (rc == LT_ENOMEM)
            lt__error_set(err, rc, ini->name, o->line, 0, "out of memory");
        return rc;
    }
    s->cooked[slot] = in.buf;
    return 0;
}

int lt__ini_get(lt__ini *ini, const char *section, const char *key, bool raw, const char **ret,
                lt_error *err)
{
    struct ini_sect *s = find_for_get(ini, section);
    const struct ini_opt *o;
    size_t slot;
    int rc;

    *ret = NULL;
    if (!s || !(o = lookup(ini, s, key, strlen(key), &slot)))
        return 0;
    if (raw || !strchr(o->value, '%')) {
        *ret = o->value;
        return 1;
    }
    if ((rc = interpolate(ini, s, o, slot, err)) < 0)
        return rc;
    *ret = s->cooked[slot];
    return 1;
}

static int visit_sect(const struct ini_sect *s, lt__ini_visit_fn fn, void *ud)
{
    int rc = 0;

    if (s->name)
        rc = fn(s->name, NULL, NULL, s->line, ud);
    for (size_t i = 0; i < s->n && rc == 0; i++)
        rc = fn(sect_name(s), s->opts[i].key, s->opts[i].value, s->opts[i].line, ud);
    return rc;
}

int lt__ini_foreach(const lt__ini *ini, lt__ini_visit_fn fn, void *ud)
{
    int rc = visit_sect(&ini->defaults, fn, ud);

    for (size_t i = 0; i < ini->n && rc == 0; i++)
        rc = visit_sect(ini->sects[i], fn, ud);
    return rc;
}
