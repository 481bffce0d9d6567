/* src/config_json.c - Python's logging.config.dictConfig(), read from JSON.
 *
 * The same two phases as the INI loader: phase one parses the JSON (json.c)
 * and checks every formatter, filter, handler and logger, changing nothing;
 * phase two opens the handlers and swaps them into the tree under its write
 * lock, so that records logged meanwhile meet the old handlers or the new
 * ones, and a config that fails leaves the running one whole. The rules are
 * Python 3.11's DictConfigurator.configure().
 *
 * Handlers are generic over the class table (config_classes.c): the keys of
 * a handler's object other than class, level, formatter, filters, '.' and
 * '()' are the class's keyword arguments, bound as Python binds
 * klass(**kwargs), so a class added to the table is configurable here with
 * nothing more. Formatters likewise read their keys through the callback of
 * config_formatters.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_loader.h"
#include "config_state.h"
#include "json.h"
#include "sys.h"

struct names {
    const char **items;
    const lt__json **nodes;
    size_t n;
};

struct fmt_plan {
    const char *name;
    lt_formatter *formatter;
};

struct filter_plan {
    const char *name;
    lt_filter *filter;
};

/* Which JSON value each argument came from, to locate errors. */
struct origin {
    const lt__pyval *val;
    int line, column;
};

struct handler_plan {
    const char *name;
    const lt__json *cfg;
    struct lt__handler_spec spec;
    lt__pyval *kwargs;
    struct origin *origins;
    size_t norigins, origins_cap;
    bool has_level;
    int level;
    lt_formatter *formatter; /* borrowed from the formatter plans */
    struct names filters;
    size_t *filter_index;
    const char *target;
    const lt__json *target_node;
    size_t target_index;
    lt_handler *handler;
};

struct logger_plan {
    const char *name; /* NULL: the root */
    const lt__json *cfg;
    bool has_level;
    int level;
    bool has_propagate;
    bool propagate;
    struct names handlers;
    size_t *handler_index;
    struct names filters;
    size_t *filter_index;
    lt_logger *logger;
};

struct load {
    lt__json *doc;
    const char *file;
    lt_error *err;
    bool check_only;
    bool delay_open; /* LT_CONFIG_DELAY_OPEN: every file handler as delay=True */
    bool incremental;
    bool disable_existing;
    struct fmt_plan *fmts;
    size_t nfmts;
    struct filter_plan *filters;
    size_t nfilters;
    struct handler_plan *handlers;
    size_t nhandlers;
    struct logger_plan *loggers; /* the root, if configured, last */
    size_t nloggers;
    struct lt__async_plan async;
    char **scratch; /* strings made for formatter keys */
    size_t nscratch, scratch_cap;
};

static int fail(struct load *ld, int code, const lt__json *at, const char *fmt, ...)
    LT_PRINTF(4, 5);

static int fail_at(struct load *ld, int code, int line, int column, const char *fmt, ...)
    LT_PRINTF(5, 6);

static int vfail_at(struct load *ld, int code, int line, int column, const char *fmt,
                    va_list ap) LT_PRINTF(5, 0);

static int vfail_at(struct load *ld, int code, int line, int column, const char *fmt,
                    va_list ap)
{
    char message[512];

    vsnprintf(message, sizeof(message), fmt, ap);
    return lt__error_set(ld->err, code, ld->file, line, column, "%s", message);
}

static int fail_at(struct load *ld, int code, int line, int column, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = vfail_at(ld, code, line, column, fmt, ap);
    va_end(ap);
    return r;
}

/* Every error names the file, and the line and column of the value at
 * fault (NULL: the whole document). */
static int fail(struct load *ld, int code, const lt__json *at, const char *fmt, ...)
{
    va_list ap;
    int r;

    va_start(ap, fmt);
    r = vfail_at(ld, code, at ? at->line : 0, at ? at->column : 0, fmt, ap);
    va_end(ap);
    return r;
}

static int want_object(struct load *ld, const lt__json *v, const char *what)
{
    if (v->kind != LT__JSON_OBJECT)
        return fail(ld, LT_ECONFIG, v, "%s must be an object, not %s", what,
                    lt__json_kind_name(v->kind));
    return 0;
}

/* An optional object member of @obj: NULL when absent or null. */
static int get_object(struct load *ld, const lt__json *obj, const char *key,
                      const lt__json **ret)
{
    const lt__json *v = lt__json_get(obj, key);

    *ret = NULL;
    if (!v || v->kind == LT__JSON_NULL)
        return 0;
    *ret = v;
    return want_object(ld, v, key);
}

static bool has_nul(const lt__json *v)
{
    return strlen(v->as.str.ptr) != v->as.str.len;
}

/* A list of names: an array of strings (Python iterates it; a string would
 * be taken letter by letter, which no config means). */
static int read_names(struct load *ld, const lt__json *v, const char *what, struct names *ret)
{
    if (!v || v->kind == LT__JSON_NULL)
        return 0;
    if (v->kind != LT__JSON_ARRAY)
        return fail(ld, LT_ECONFIG, v, "%s must be an array of names, not %s", what,
                    lt__json_kind_name(v->kind));
    ret->items = lt__calloc(v->as.arr.n + 1, sizeof(*ret->items));
    ret->nodes = lt__calloc(v->as.arr.n + 1, sizeof(*ret->nodes));
    if (!ret->items || !ret->nodes)
        return LT_ENOMEM;
    for (size_t i = 0; i < v->as.arr.n; i++) {
        const lt__json *item = v->as.arr.items[i];

        if (item->kind != LT__JSON_STRING || has_nul(item))
            return fail(ld, LT_ECONFIG, item, "%s must name %s with strings, not %s", what,
                        what, lt__json_kind_name(item->kind));
        ret->items[ret->n] = item->as.str.ptr;
        ret->nodes[ret->n++] = item;
    }
    return 0;
}

static void free_names(struct names *n)
{
    free(n->items);
    free(n->nodes);
}

/* logging._checkLevel(): an integer, or a registered level name (exactly
 * so spelled). */
static int read_level(struct load *ld, const lt__json *v, bool *has, int *level)
{
    *has = false;
    if (!v || v->kind == LT__JSON_NULL)
        return 0;
    *has = true;
    if (v->kind == LT__JSON_BOOL) {
        *level = v->as.b;
        return 0;
    }
    if (v->kind == LT__JSON_NUMBER && v->as.num.is_int) {
        if (!v->as.num.fits || v->as.num.i < INT_MIN || v->as.num.i > INT_MAX)
            return fail(ld, LT_ELEVEL, v, "level %s is out of range", v->as.num.text);
        *level = (int)v->as.num.i;
        return 0;
    }
    if (v->kind == LT__JSON_STRING) {
        if (!has_nul(v) && lt_level_from_name(v->as.str.ptr, level) == 0)
            return 0;
        return fail(ld, LT_ELEVEL, v,
                    "unknown level '%s' (levels are names such as DEBUG, INFO, WARNING, "
                    "or numbers)",
                    v->as.str.ptr);
    }
    return fail(ld, LT_ELEVEL, v, "level must be a name or an integer, not %s",
                lt__json_kind_name(v->kind));
}

/* ---- formatters ---- */

struct fmt_reader {
    struct load *ld;
    const lt__json *cfg;
    const char *requested[32];
    size_t nrequested;
    int error; /* set when a value could not be read: ld->err is filled */
};

static char *keep(struct load *ld, char *s)
{
    if (!s)
        return NULL;
    if (ld->nscratch == ld->scratch_cap) {
        size_t cap = ld->scratch_cap ? ld->scratch_cap * 2 : 16;
        char **n = lt__realloc(ld->scratch, cap * sizeof(*n));

        if (!n) {
            free(s);
            return NULL;
        }
        ld->scratch = n;
        ld->scratch_cap = cap;
    }
    return ld->scratch[ld->nscratch++] = s;
}

/* A scalar as a formatter key's text: strings as they are, booleans as
 * true/false, numbers as written. */
static int scalar_text(const lt__json *v, const char **ret)
{
    switch (v->kind) {
    case LT__JSON_STRING: *ret = v->as.str.ptr; return has_nul(v) ? -1 : 0;
    case LT__JSON_BOOL: *ret = v->as.b ? "true" : "false"; return 0;
    case LT__JSON_NUMBER: *ret = v->as.num.text; return 0;
    default: return -1;
    }
}

/* Arrays (attributes) join their items with ','; objects (rename) join
 * their pairs as key:value. */
static int compound_text(struct load *ld, const lt__json *v, const char **ret)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    size_t n = v->kind == LT__JSON_ARRAY ? v->as.arr.n : v->as.obj.n;
    int r = 0;

    if (!f)
        return LT_ENOMEM;
    for (size_t i = 0; i < n && r == 0; i++) {
        const lt__json *item = v->kind == LT__JSON_ARRAY ? v->as.arr.items[i]
                                                         : v->as.obj.members[i].value;
        const char *s = "";

        if (scalar_text(item, &s) < 0) {
            r = fail(ld, LT_ECONFIG, item, "expected a string here, not %s",
                     lt__json_kind_name(item->kind));
            break;
        }
        if (i)
            fputc(',', f);
        if (v->kind == LT__JSON_OBJECT)
            fprintf(f, "%s:", v->as.obj.members[i].key);
        fputs(s, f);
    }
    fclose(f);
    if (r < 0) {
        free(text);
        return r;
    }
    if (!(*ret = keep(ld, text)))
        return LT_ENOMEM;
    return 0;
}

static int fmt_get(void *ud, const char *key, const char **ret)
{
    struct fmt_reader *rd = ud;
    const lt__json *v = lt__json_get(rd->cfg, key);
    int r;

    if (rd->nrequested < LT__ARRAY_SIZE(rd->requested))
        rd->requested[rd->nrequested++] = key;
    if (!v || v->kind == LT__JSON_NULL) /* None: the default */
        return 0;
    if (v->kind == LT__JSON_ARRAY || v->kind == LT__JSON_OBJECT)
        r = compound_text(rd->ld, v, ret);
    else if ((r = scalar_text(v, ret)) < 0)
        r = fail(rd->ld, LT_ECONFIG, v, "%s must be a string, not %s", key,
                 lt__json_kind_name(v->kind));
    if (r < 0) {
        rd->error = r;
        return r;
    }
    return 1;
}

/* With "()", the other keys are the factory's keyword arguments: one it
 * does not read is an error, as Python's call raises TypeError. */
static int check_unread_keys(struct load *ld, const struct fmt_reader *rd, const char *factory)
{
    for (size_t i = 0; i < rd->cfg->as.obj.n; i++) {
        const struct lt__json_member *m = &rd->cfg->as.obj.members[i];
        bool read = strcmp(m->key, "()") == 0 || strcmp(m->key, ".") == 0;

        for (size_t j = 0; j < rd->nrequested && !read; j++)
            read = strcmp(rd->requested[j], m->key) == 0;
        if (!read)
            return fail_at(ld, LT_ECONFIG, m->line, m->column,
                           "%s got an unexpected keyword argument '%s'", factory, m->key);
    }
    return 0;
}

/* A default's value keeps its JSON type, as Python's defaults= keeps it. */
static int default_value(struct load *ld, const lt__json *v, lt_value *ret)
{
    switch (v->kind) {
    case LT__JSON_NULL: *ret = lt_value_null(NULL); return 0;
    case LT__JSON_BOOL: *ret = lt_value_bool(v->as.b); return 0;
    case LT__JSON_STRING: *ret = lt_value_strn(LT_STR(v->as.str.ptr, v->as.str.len)); return 0;
    case LT__JSON_NUMBER:
        if (v->as.num.is_int && !v->as.num.fits)
            return fail(ld, LT_ERANGE, v, "the integer %s is beyond 64 bits", v->as.num.text);
        *ret = v->as.num.is_int ? lt_value_int(v->as.num.i) : lt_value_double(v->as.num.d);
        return 0;
    default:
        return fail(ld, LT_ECONFIG, v, "a default is a string, a number, a boolean or null, "
                    "not %s", lt__json_kind_name(v->kind));
    }
}

/* logging.Formatter with defaults (Python 3.12's dictConfig passes them):
 * typed values, which the string keys of the class table cannot carry. */
static int build_with_defaults(struct load *ld, const struct lt__json_member *m,
                               const lt__json *defaults, struct fmt_plan *plan)
{
    struct fmt_reader rd = {ld, m->value, {0}, 0, 0};
    lt_percent_options o = {0};
    const char *style = "%";
    lt_field *fields;
    lt_error ferr;
    int r = 0;

    if (!(fields = lt__calloc(defaults->as.obj.n + 1, sizeof(*fields))))
        return LT_ENOMEM;
    for (size_t i = 0; i < defaults->as.obj.n && r == 0; i++) {
        fields[i].key = defaults->as.obj.members[i].key;
        r = default_value(ld, defaults->as.obj.members[i].value, &fields[i].value);
    }
    if (r == 0 && ((r = fmt_get(&rd, "format", &o.format)) < 0 ||
                   (r = fmt_get(&rd, "datefmt", &o.datefmt)) < 0 ||
                   (r = fmt_get(&rd, "style", &style)) < 0))
        r = rd.error;
    if (r < 0) {
        free(fields);
        return r;
    }
    o.style = strlen(style) == 1 ? style[0] : '?';
    o.defaults = fields;
    o.ndefaults = defaults->as.obj.n;
    lt_error_clear(&ferr);
    r = lt_percent_formatter_new(&plan->formatter, &o, &ferr);
    free(fields);
    if (r < 0 && r != LT_ENOMEM) {
        const lt__json *at = lt__json_get(m->value, r == LT_EFORMAT ? "format" : "style");

        return fail(ld, r, at ? at : m->value, "formatter '%s': %s%s", m->key,
                    r == LT_EFORMAT ? "" : "style must be one of '%', '{' or '$': ",
                    ferr.message);
    }
    return r;
}

static int plan_formatter(struct load *ld, const struct lt__json_member *m,
                          struct fmt_plan *plan)
{
    const lt__json *cfg = m->value, *factory, *cls;
    const struct lt__formatter_class *fc;
    struct fmt_reader rd = {ld, cfg, {0}, 0, 0};
    struct lt__section sec = {fmt_get, &rd};
    struct lt__key_error e = {0};
    const char *name = "";
    int r;

    plan->name = m->key;
    if ((r = want_object(ld, cfg, "a formatter")) < 0)
        return r;
    factory = lt__json_get(cfg, "()");
    cls = factory ? factory : lt__json_get(cfg, "class");
    if (cls && cls->kind != LT__JSON_NULL) {
        if (cls->kind != LT__JSON_STRING || has_nul(cls))
            return fail(ld, LT_ECONFIG, cls, "a formatter class is named by a string");
        name = cls->as.str.ptr;
    }
    if (!(fc = lt__formatter_class_find(name)))
        return fail(ld, LT_EUNKNOWN, cls,
                    "unknown formatter class '%s' (logging.Formatter, logtree.JSONFormatter, "
                    "logtree.LogfmtFormatter, logtree.AccessFormatter)",
                    name);
    if (!factory && fc == lt__formatter_class_find("")) {
        const lt__json *defaults = lt__json_get(cfg, "defaults");

        if (defaults && defaults->kind != LT__JSON_NULL) {
            if ((r = want_object(ld, defaults, "defaults")) < 0)
                return r;
            return build_with_defaults(ld, m, defaults, plan);
        }
    }
    r = lt__formatter_build(fc, &sec, &plan->formatter, &e);
    if (r < 0) {
        const struct lt__json_member *at = e.key ? lt__json_member(cfg, e.key) : NULL;

        if (rd.error)
            return rd.error;
        if (at)
            return fail(ld, r, at->value, "formatter '%s': %s", m->key, e.message);
        return fail(ld, r, cfg, "formatter '%s': %s", m->key, e.message[0] ? e.message
                                                                          : lt_strerror(r));
    }
    if (factory)
        return check_unread_keys(ld, &rd, name);
    return 0;
}

static int plan_formatters(struct load *ld)
{
    const lt__json *all;
    int r;

    if ((r = get_object(ld, ld->doc, "formatters", &all)) < 0 || !all)
        return r;
    if (!(ld->fmts = lt__calloc(all->as.obj.n + 1, sizeof(*ld->fmts))))
        return LT_ENOMEM;
    for (size_t i = 0; i < all->as.obj.n; i++, ld->nfmts++)
        if ((r = plan_formatter(ld, &all->as.obj.members[i], &ld->fmts[i])) < 0) {
            ld->nfmts++;
            return r;
        }
    return 0;
}

/* ---- filters ---- */

static int plan_filter(struct load *ld, const struct lt__json_member *m, struct filter_plan *p)
{
    const lt__json *cfg = m->value, *name;
    int r;

    p->name = m->key;
    if ((r = want_object(ld, cfg, "a filter")) < 0)
        return r;
    if (lt__json_get(cfg, "()"))
        return fail(ld, LT_EUNSUPPORTED, lt__json_get(cfg, "()"),
                    "filter '%s': custom filter factories ('()') are not supported: "
                    "use {\"name\": \"logger.name\"}",
                    m->key);
    name = lt__json_get(cfg, "name");
    if (name && name->kind != LT__JSON_NULL && (name->kind != LT__JSON_STRING || has_nul(name)))
        return fail(ld, LT_ECONFIG, name, "a filter's name must be a string");
    if ((r = lt_name_filter_new(&p->filter, name && name->kind == LT__JSON_STRING
                                                ? name->as.str.ptr
                                                : "")) < 0)
        return r;
    return 0;
}

static int plan_filters(struct load *ld)
{
    const lt__json *all;
    int r;

    if ((r = get_object(ld, ld->doc, "filters", &all)) < 0 || !all)
        return r;
    if (!(ld->filters = lt__calloc(all->as.obj.n + 1, sizeof(*ld->filters))))
        return LT_ENOMEM;
    for (size_t i = 0; i < all->as.obj.n; i++, ld->nfilters++)
        if ((r = plan_filter(ld, &all->as.obj.members[i], &ld->filters[i])) < 0) {
            ld->nfilters++;
            return r;
        }
    return 0;
}

/* Names refer to the last definition, as in a Python dict (the parser keeps
 * one member per key anyway). */
static int find_filters(struct load *ld, const struct names *names, size_t **ret)
{
    if (!(*ret = lt__calloc(names->n + 1, sizeof(**ret))))
        return LT_ENOMEM;
    for (size_t i = 0; i < names->n; i++) {
        size_t j = ld->nfilters;

        while (j-- > 0 && strcmp(ld->filters[j].name, names->items[i]) != 0)
            ;
        if (j == SIZE_MAX)
            return fail(ld, LT_ECONFIG, names->nodes[i], "no filter named '%s' in \"filters\"",
                        names->items[i]);
        (*ret)[i] = j;
    }
    return 0;
}

/* ---- handlers ---- */

static bool valid_ident(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_' ||
              (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

static int remember(struct handler_plan *p, const lt__pyval *val, int line, int column)
{
    if (p->norigins == p->origins_cap) {
        size_t cap = p->origins_cap ? p->origins_cap * 2 : 8;
        struct origin *o = lt__realloc(p->origins, cap * sizeof(*o));

        if (!o)
            return LT_ENOMEM;
        p->origins = o;
        p->origins_cap = cap;
    }
    p->origins[p->norigins++] = (struct origin){val, line, column};
    return 0;
}

/* Where the argument @val came from: the key of a keyword, the value of a
 * value; the handler's object when unknown (NULL: the whole call). */
static void origin_of(const struct handler_plan *p, const lt__pyval *val, int *line, int *column)
{
    *line = p->cfg->line;
    *column = p->cfg->column;
    for (size_t i = 0; val && i < p->norigins; i++) {
        if (p->origins[i].val == val) {
            *line = p->origins[i].line;
            *column = p->origins[i].column;
        }
    }
}

static lt__pyval *new_pyval(lt__py_kind kind)
{
    lt__pyval *v = lt__calloc(1, sizeof(*v));

    if (v)
        v->kind = kind;
    return v;
}

static int string_pyval(struct load *ld, const lt__json *v, lt__pyval **ret)
{
    const char *s = v->as.str.ptr;
    lt__py_kind kind = LT__PY_STR;

    /* BaseConfigurator.convert(): "ext://" resolves a Python object. */
    if (strncmp(s, "ext://", 6) == 0) {
        s += 6;
        if (strcmp(s, "sys.stdout") != 0 && strcmp(s, "sys.stderr") != 0)
            return fail(ld, LT_EUNSUPPORTED, v,
                        "cannot resolve 'ext://%s' (logtree knows ext://sys.stdout and "
                        "ext://sys.stderr)",
                        s);
        kind = LT__PY_NAME;
    } else if (strncmp(s, "cfg://", 6) == 0) {
        return fail(ld, LT_EUNSUPPORTED, v, "cfg:// references are not supported");
    }
    if (!(*ret = new_pyval(kind)))
        return LT_ENOMEM;
    (*ret)->as.str.len = v->as.str.len - (size_t)(s - v->as.str.ptr);
    if (!((*ret)->as.str.ptr = lt__malloc((*ret)->as.str.len + 1)))
        return LT_ENOMEM;
    memcpy((*ret)->as.str.ptr, s, (*ret)->as.str.len + 1);
    return 0;
}

static int to_pyval(struct load *ld, struct handler_plan *p, const lt__json *v,
                    lt__pyval **ret);

static int container_pyval(struct load *ld, struct handler_plan *p, const lt__json *v,
                           lt__pyval *out)
{
    bool arr = v->kind == LT__JSON_ARRAY;
    size_t n = arr ? v->as.arr.n : v->as.obj.n;
    lt__pyval **items = lt__calloc(n + 1, sizeof(*items)), **keys = NULL;
    int r;

    if (arr) {
        out->as.tuple.items = items;
    } else {
        out->as.dict.values = items;
        out->as.dict.keys = keys = lt__calloc(n + 1, sizeof(*keys));
    }
    if (!items || (!arr && !keys))
        return LT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        const lt__json *item = arr ? v->as.arr.items[i] : v->as.obj.members[i].value;

        if (!arr) {
            const struct lt__json_member *m = &v->as.obj.members[i];

            if (!(keys[i] = new_pyval(LT__PY_STR)) || !(keys[i]->as.str.ptr = lt__strdup(m->key)))
                return LT_ENOMEM;
            keys[i]->as.str.len = m->key_len;
            out->as.dict.n = i + 1;
        } else {
            out->as.tuple.n = i + 1;
        }
        if ((r = to_pyval(ld, p, item, &items[i])) < 0)
            return r;
    }
    return 0;
}

/* A JSON value as the Python value json.load() makes of it: lists become
 * tuples (what the classes take where Python's as_tuple() converts). */
static int to_pyval(struct load *ld, struct handler_plan *p, const lt__json *v,
                    lt__pyval **ret)
{
    lt__pyval *out = NULL;
    int r = 0;

    switch (v->kind) {
    case LT__JSON_NULL: out = new_pyval(LT__PY_NONE); break;
    case LT__JSON_BOOL:
        if ((out = new_pyval(LT__PY_BOOL)))
            out->as.b = v->as.b;
        break;
    case LT__JSON_NUMBER:
        if (v->as.num.is_int && !v->as.num.fits)
            return fail(ld, LT_ERANGE, v, "the integer %s is beyond 64 bits", v->as.num.text);
        if ((out = new_pyval(v->as.num.is_int ? LT__PY_INT : LT__PY_FLOAT))) {
            if (v->as.num.is_int)
                out->as.i = v->as.num.i;
            else
                out->as.f = v->as.num.d;
        }
        break;
    case LT__JSON_STRING:
        if ((r = string_pyval(ld, v, &out)) < 0) {
            lt__py_free(out);
            return r;
        }
        break;
    case LT__JSON_ARRAY:
    case LT__JSON_OBJECT:
        if (!(out = new_pyval(v->kind == LT__JSON_ARRAY ? LT__PY_TUPLE : LT__PY_DICT)))
            return LT_ENOMEM;
        if ((r = container_pyval(ld, p, v, out)) < 0) {
            lt__py_free(out);
            return r;
        }
        break;
    }
    if (!out)
        return LT_ENOMEM;
    out->column = v->column;
    if ((r = remember(p, out, v->line, v->column)) < 0) {
        lt__py_free(out);
        return r;
    }
    *ret = out;
    return 0;
}

static bool is_handler_key(const char *key)
{
    static const char *const keys[] = {"class", "level", "formatter", "filters", "()", "."};

    for (size_t i = 0; i < LT__ARRAY_SIZE(keys); i++)
        if (strcmp(key, keys[i]) == 0)
            return true;
    return false;
}

/* The class's keyword arguments: the keys dictConfig does not take itself
 * (each an identifier, as Python's valid_ident() insists), less
 * MemoryHandler's target, which names a handler. */
static int handler_kwargs(struct load *ld, struct handler_plan *p, bool takes_target)
{
    const lt__json *cfg = p->cfg;
    lt__pyval *kw = new_pyval(LT__PY_DICT);
    size_t n = 0;
    int r;

    if (!kw)
        return LT_ENOMEM;
    p->kwargs = kw;
    kw->as.dict.keys = lt__calloc(cfg->as.obj.n + 1, sizeof(*kw->as.dict.keys));
    kw->as.dict.values = lt__calloc(cfg->as.obj.n + 1, sizeof(*kw->as.dict.values));
    if (!kw->as.dict.keys || !kw->as.dict.values)
        return LT_ENOMEM;
    for (size_t i = 0; i < cfg->as.obj.n; i++) {
        const struct lt__json_member *m = &cfg->as.obj.members[i];
        lt__pyval *key;

        if (is_handler_key(m->key))
            continue;
        if (!valid_ident(m->key))
            return fail_at(ld, LT_ECONFIG, m->line, m->column,
                           "handler '%s': '%s' is not a valid Python identifier, so not an "
                           "argument of the class",
                           p->name, m->key);
        if (takes_target && strcmp(m->key, "target") == 0) {
            if (m->value->kind != LT__JSON_STRING || has_nul(m->value))
                return fail(ld, LT_ECONFIG, m->value, "target must name a handler");
            p->target = m->value->as.str.ptr;
            p->target_node = m->value;
            continue;
        }
        if (!(key = new_pyval(LT__PY_STR)) || !(key->as.str.ptr = lt__strdup(m->key))) {
            lt__py_free(key);
            return LT_ENOMEM;
        }
        key->as.str.len = m->key_len;
        kw->as.dict.keys[n] = key;
        kw->as.dict.n = ++n;
        if ((r = remember(p, key, m->line, m->column)) < 0 ||
            (r = to_pyval(ld, p, m->value, &kw->as.dict.values[n - 1])) < 0)
            return r;
    }
    return 0;
}

static int plan_handler_formatter(struct load *ld, struct handler_plan *p)
{
    const lt__json *v = lt__json_get(p->cfg, "formatter");

    /* Python: "if formatter:" - null or "" is no formatter. */
    if (!v || !lt__json_truthy(v))
        return 0;
    if (v->kind != LT__JSON_STRING || has_nul(v))
        return fail(ld, LT_ECONFIG, v, "formatter must name a formatter");
    for (size_t i = ld->nfmts; i-- > 0;) {
        if (strcmp(ld->fmts[i].name, v->as.str.ptr) == 0) {
            p->formatter = ld->fmts[i].formatter;
            return 0;
        }
    }
    return fail(ld, LT_ECONFIG, v, "handler '%s': no formatter named '%s' in \"formatters\"",
                p->name, v->as.str.ptr);
}

static int plan_handler(struct load *ld, const struct lt__json_member *m,
                        struct handler_plan *p)
{
    const lt__json *cls;
    struct lt__arg_error e = {0};
    int r;

    p->name = m->key;
    p->cfg = m->value;
    if ((r = want_object(ld, p->cfg, "a handler")) < 0)
        return r;
    if (lt__json_get(p->cfg, "()"))
        return fail(ld, LT_EUNSUPPORTED, lt__json_get(p->cfg, "()"),
                    "handler '%s': custom handler factories ('()') are not supported: "
                    "name a class with \"class\"",
                    p->name);
    if (lt__json_get(p->cfg, "."))
        return fail(ld, LT_EUNSUPPORTED, lt__json_get(p->cfg, "."),
                    "handler '%s': setting attributes with '.' is not supported", p->name);
    cls = lt__json_get(p->cfg, "class");
    if (!cls)
        return fail(ld, LT_ECONFIG, p->cfg, "handler '%s' has no \"class\"", p->name);
    if (cls->kind != LT__JSON_STRING || has_nul(cls))
        return fail(ld, LT_ECONFIG, cls, "class must be a string");
    if (!(p->spec.cls = lt__handler_class_find(cls->as.str.ptr)))
        return fail(ld, LT_EUNKNOWN, cls, "unknown handler class '%s'", cls->as.str.ptr);
    if ((r = handler_kwargs(ld, p, p->spec.cls == lt__handler_class_find("handlers.MemoryHandler"))) < 0)
        return r;
    r = lt__handler_class_prepare(p->spec.cls, NULL, p->kwargs, &p->spec, &e);
    p->spec.delay |= ld->delay_open;
    if (r < 0) {
        int line, column;

        origin_of(p, e.at, &line, &column);
        return fail_at(ld, r, line, column, "handler '%s': %s", p->name, e.message);
    }
    if ((r = read_level(ld, lt__json_get(p->cfg, "level"), &p->has_level, &p->level)) < 0 ||
        (r = plan_handler_formatter(ld, p)) < 0 ||
        (r = read_names(ld, lt__json_get(p->cfg, "filters"), "filters", &p->filters)) < 0 ||
        (r = find_filters(ld, &p->filters, &p->filter_index)) < 0)
        return r;
    return 0;
}

static int compare_members(const void *a, const void *b)
{
    return strcmp((*(const struct lt__json_member *const *)a)->key,
                  (*(const struct lt__json_member *const *)b)->key);
}

/* MemoryHandler targets: a handler of this config, never one that passes
 * records back. */
static int plan_targets(struct load *ld)
{
    for (size_t i = 0; i < ld->nhandlers; i++) {
        struct handler_plan *p = &ld->handlers[i];
        size_t j = ld->nhandlers;

        if (!p->target)
            continue;
        while (j-- > 0 && strcmp(ld->handlers[j].name, p->target) != 0)
            ;
        if (j == SIZE_MAX)
            return fail(ld, LT_ECONFIG, p->target_node,
                        "handler '%s': no handler named '%s' to be its target", p->name,
                        p->target);
        p->target_index = j;
    }
    for (size_t i = 0; i < ld->nhandlers; i++) {
        size_t at = i;

        for (size_t step = 0; step < ld->nhandlers && ld->handlers[at].target; step++) {
            at = ld->handlers[at].target_index;
            if (at == i)
                return fail(ld, LT_ECONFIG, ld->handlers[i].target_node,
                            "target '%s' passes records back to handler '%s': they would go "
                            "round forever",
                            ld->handlers[i].target, ld->handlers[i].name);
        }
    }
    return 0;
}

/* Python configures handlers in the order of their sorted names, which is
 * the order they are created, and closed in reverse at shutdown. */
static int plan_handlers(struct load *ld)
{
    const struct lt__json_member **sorted;
    const lt__json *all;
    int r = 0;

    if ((r = get_object(ld, ld->doc, "handlers", &all)) < 0 || !all)
        return r;
    sorted = lt__calloc(all->as.obj.n + 1, sizeof(*sorted));
    ld->handlers = lt__calloc(all->as.obj.n + 1, sizeof(*ld->handlers));
    if (!sorted || !ld->handlers) {
        free(sorted);
        return LT_ENOMEM;
    }
    for (size_t i = 0; i < all->as.obj.n; i++)
        sorted[i] = &all->as.obj.members[i];
    qsort(sorted, all->as.obj.n, sizeof(*sorted), compare_members);
    for (size_t i = 0; i < all->as.obj.n && r == 0; i++, ld->nhandlers++)
        r = plan_handler(ld, sorted[i], &ld->handlers[i]);
    free(sorted);
    return r < 0 ? r : plan_targets(ld);
}

/* ---- loggers ---- */

static int find_handlers(struct load *ld, const struct names *names, size_t **ret)
{
    if (!(*ret = lt__calloc(names->n + 1, sizeof(**ret))))
        return LT_ENOMEM;
    for (size_t i = 0; i < names->n; i++) {
        size_t j = ld->nhandlers;

        while (j-- > 0 && strcmp(ld->handlers[j].name, names->items[i]) != 0)
            ;
        if (j == SIZE_MAX)
            return fail(ld, LT_ECONFIG, names->nodes[i], "no handler named '%s' in \"handlers\"",
                        names->items[i]);
        (*ret)[i] = j;
    }
    return 0;
}

static int plan_logger(struct load *ld, const char *name, const lt__json *cfg,
                       struct logger_plan *p)
{
    const lt__json *propagate;
    char why[128];
    int r;

    p->name = name;
    p->cfg = cfg;
    if (name && lt__logger_name_problem(name, why, sizeof(why)))
        return fail(ld, LT_ENAMETOOLONG, cfg, "%s", why);
    if ((r = want_object(ld, cfg, name ? "a logger" : "root")) < 0 ||
        (r = read_level(ld, lt__json_get(cfg, "level"), &p->has_level, &p->level)) < 0)
        return r;
    propagate = lt__json_get(cfg, "propagate");
    if (name && propagate && propagate->kind != LT__JSON_NULL) {
        p->has_propagate = true;
        p->propagate = lt__json_truthy(propagate);
    }
    if (ld->incremental)
        return 0;
    if ((r = read_names(ld, lt__json_get(cfg, "handlers"), "handlers", &p->handlers)) < 0 ||
        (r = find_handlers(ld, &p->handlers, &p->handler_index)) < 0 ||
        (r = read_names(ld, lt__json_get(cfg, "filters"), "filters", &p->filters)) < 0 ||
        (r = find_filters(ld, &p->filters, &p->filter_index)) < 0)
        return r;
    return 0;
}

static int plan_loggers(struct load *ld)
{
    const lt__json *all, *root;
    size_t n;
    int r;

    if ((r = get_object(ld, ld->doc, "loggers", &all)) < 0)
        return r;
    /* Python: "if root:" - an empty object configures nothing. */
    root = lt__json_get(ld->doc, "root");
    if (root && !lt__json_truthy(root))
        root = NULL;
    n = all ? all->as.obj.n : 0;
    if (!(ld->loggers = lt__calloc(n + 2, sizeof(*ld->loggers))))
        return LT_ENOMEM;
    for (size_t i = 0; i < n; i++, ld->nloggers++)
        if ((r = plan_logger(ld, all->as.obj.members[i].key, all->as.obj.members[i].value,
                             &ld->loggers[i])) < 0) {
            ld->nloggers++;
            return r;
        }
    if (root) {
        ld->nloggers++;
        return plan_logger(ld, NULL, root, &ld->loggers[n]);
    }
    return 0;
}

/* ---- logtree's own settings ---- */

static int plan_settings(struct load *ld)
{
    const lt__json *all;
    int r;

    if ((r = get_object(ld, ld->doc, "logtree", &all)) < 0 || !all)
        return r;
    for (size_t i = 0; i < all->as.obj.n; i++) {
        const struct lt__json_member *m = &all->as.obj.members[i];
        struct lt__key_error e = {0};
        const char *text = "";

        if (m->value->kind == LT__JSON_BOOL)
            text = m->value->as.b ? "on" : "off";
        else if (scalar_text(m->value, &text) < 0)
            return fail(ld, LT_ECONFIG, m->value, "logtree: %s must be a string, a number or "
                        "a boolean", m->key);
        if (lt__async_setting(&ld->async, m->key, text, &e) < 0)
            return fail(ld, LT_ECONFIG, strcmp(e.key ? e.key : "", m->key) == 0 ? m->value : NULL,
                        "logtree: %s", e.message);
    }
    return 0;
}

/* ---- the document ---- */

static int plan_top(struct load *ld, unsigned flags)
{
    const lt__json *version, *v;

    if (ld->doc->kind != LT__JSON_OBJECT)
        return fail(ld, LT_ECONFIG, ld->doc, "a dictConfig is a JSON object, not %s",
                    lt__json_kind_name(ld->doc->kind));
    version = lt__json_get(ld->doc, "version");
    if (!version)
        return fail(ld, LT_ECONFIG, ld->doc, "the config has no \"version\" (write "
                                             "\"version\": 1)");
    /* Python compares with != 1: true and 1.0 are 1 too. */
    if (!((version->kind == LT__JSON_NUMBER && version->as.num.d == 1.0) ||
          (version->kind == LT__JSON_BOOL && version->as.b)))
        return fail(ld, LT_ECONFIG, version, "unsupported version (only 1 exists)");
    ld->incremental = lt__json_truthy(lt__json_get(ld->doc, "incremental"));
    ld->disable_existing = !(flags & LT_CONFIG_KEEP_EXISTING);
    if ((v = lt__json_get(ld->doc, "disable_existing_loggers")))
        ld->disable_existing = lt__json_truthy(v);
    return 0;
}

static int plan(struct load *ld, unsigned flags)
{
    int r;

    if ((r = plan_top(ld, flags)) < 0 || (r = plan_settings(ld)) < 0)
        return r;
    if (ld->incremental)
        return plan_loggers(ld);
    if ((r = plan_formatters(ld)) < 0 || (r = plan_filters(ld)) < 0 ||
        (r = plan_handlers(ld)) < 0 || (r = plan_loggers(ld)) < 0)
        return r;
    return 0;
}

/* ---- phase two: open, then swap ---- */

static int cannot_open(struct load *ld, const struct handler_plan *p, int r)
{
    const lt__json *at = lt__json_get(p->cfg, "filename");

    return fail(ld, r, at ? at : p->cfg, "handler '%s': cannot open '%s': %s", p->name,
                p->spec.filename ? p->spec.filename : "", lt_strerror(r));
}

static int preflight(struct load *ld)
{
    for (size_t i = 0; i < ld->nhandlers; i++) {
        int r = lt__handler_preflight(&ld->handlers[i].spec);

        if (r < 0)
            return cannot_open(ld, &ld->handlers[i], r);
    }
    return 0;
}

static int open_handlers(struct load *ld)
{
    int r;

    for (size_t i = 0; i < ld->nhandlers; i++) {
        struct handler_plan *p = &ld->handlers[i];

        if ((r = lt__handler_create(&p->spec, &p->handler)) < 0)
            return cannot_open(ld, p, r);
        lt_handler_set_name(p->handler, p->name);
        if (p->has_level)
            lt_handler_set_level(p->handler, p->level);
        lt_handler_set_formatter(p->handler, p->formatter);
        for (size_t f = 0; f < p->filters.n; f++)
            if ((r = lt_handler_add_filter(p->handler, ld->filters[p->filter_index[f]].filter)) < 0)
                return r;
    }
    for (size_t i = 0; i < ld->nhandlers; i++) {
        struct handler_plan *p = &ld->handlers[i];

        if (p->target &&
            (r = lt_memory_handler_set_target(p->handler, ld->handlers[p->target_index].handler)) < 0)
            return fail(ld, r, p->target_node, "handler '%s': cannot set target '%s': %s",
                        p->name, p->target, lt_strerror(r));
    }
    return 0;
}

static lt_logger *plan_logger_of(const struct logger_plan *p)
{
    return p->name ? lt__get_logger_locked(p->name) : lt__logger_lookup_locked(NULL);
}

/* With the routes write-locked and the state locked. A logger's old filters
 * go to @old_filters: dropped once no lock is held. */
static void install_logger(struct load *ld, struct logger_plan *p, struct lt__filters *old)
{
    lt_logger *lg = p->logger;

    if (p->has_level)
        lt__logger_set_level_locked(lg, p->level);
    if (ld->incremental) {
        if (p->name)
            lt__logger_set_disabled_locked(lg, false);
        if (p->has_propagate)
            lt__logger_set_propagate_locked(lg, p->propagate);
        return;
    }
    for (size_t i = 0; i < p->handlers.n; i++)
        (void)lt__logger_add_handler_locked(lg, ld->handlers[p->handler_index[i]].handler);
    /* Python adds filters to those the logger has; a reload would pile them
     * up, so a configured logger's filters are the config's. */
    for (size_t i = 0; i < lg->filters.n; i++)
        (void)lt__filters_add(old, lg->filters.items[i]);
    lt__filters_clear(&lg->filters);
    for (size_t i = 0; i < p->filters.n; i++)
        (void)lt__filters_add(&lg->filters, ld->filters[p->filter_index[i]].filter);
    if (p->name) {
        lt__logger_set_disabled_locked(lg, false);
        if (p->has_propagate)
            lt__logger_set_propagate_locked(lg, p->propagate);
    }
}

struct existing {
    lt_logger **items;
    size_t n, cap;
};

static void collect(lt_logger *lg, void *ud)
{
    struct existing *e = ud;

    if (e->n < e->cap)
        e->items[e->n++] = lg;
}

/* _handle_existing_loggers(): loggers from before that the config does not
 * name are disabled (or not, as disable_existing_loggers says), except the
 * descendants of ones it names, which are reset to inherit. */
static void handle_existing(struct load *ld, const struct existing *ex)
{
    for (size_t i = 0; i < ex->n; i++) {
        lt_logger *lg = ex->items[i];
        const char *name = lt_logger_name(lg);
        bool configured = false, child = false;

        for (size_t j = 0; j < ld->nloggers && !configured; j++) {
            const char *qn = ld->loggers[j].name;
            size_t n = qn ? strlen(qn) : 0;

            if (!qn || ld->loggers[j].logger == lt__root())
                continue;
            configured = ld->loggers[j].logger == lg;
            child = child || (strncmp(name, qn, n) == 0 && name[n] == '.');
        }
        if (configured)
            continue;
        if (child) {
            lt__logger_set_level_locked(lg, LT_LEVEL_NOTSET);
            lt__logger_set_propagate_locked(lg, true);
        } else {
            lt__logger_set_disabled_locked(lg, ld->disable_existing);
        }
    }
}

static int swap_in(struct load *ld, struct lt__detached *old, struct lt__filters *old_filters)
{
    struct existing ex = {0};
    int r;

    if ((r = lt__routes_wrlock(NULL)) < 0)
        return r;
    lt__state_lock();
    ex.cap = lt__logger_count_locked();
    if (!(ex.items = lt__calloc(ex.cap + 1, sizeof(*ex.items))))
        r = LT_ENOMEM;
    for (size_t i = 0; r == 0 && i < ld->nloggers; i++)
        if (!(ld->loggers[i].logger = plan_logger_of(&ld->loggers[i])))
            r = LT_ENOMEM;
    if (r == 0) {
        lt__logger_for_each_locked(collect, &ex);
        lt__tree_detach_all_handlers_locked(lt__detached_keep, old);
        for (size_t i = 0; i < ld->nloggers; i++)
            install_logger(ld, &ld->loggers[i], old_filters);
        handle_existing(ld, &ex);
        lt__env_levels_apply_locked();
        lt__tree_refresh_locked();
    }
    lt__state_unlock();
    lt__routes_wrunlock();
    free(ex.items);
    return r;
}

/* incremental: levels of named handlers that exist, and of loggers. */
struct handler_search {
    const char *name;
    lt_handler *found;
};

static void search_logger(lt_logger *lg, void *ud)
{
    struct handler_search *s = ud;

    for (size_t i = 0; i < lg->nhandlers && !s->found; i++) {
        const char *n = lt_handler_name(lg->handlers[i]);

        if (n && strcmp(n, s->name) == 0)
            s->found = lg->handlers[i];
    }
}

static int apply_incremental(struct load *ld)
{
    const lt__json *all = lt__json_get(ld->doc, "handlers");
    int r;

    if (all && all->kind != LT__JSON_NULL && (r = want_object(ld, all, "handlers")) < 0)
        return r;
    if ((r = lt__routes_wrlock(NULL)) < 0)
        return r;
    lt__state_lock();
    for (size_t i = 0; all && all->kind == LT__JSON_OBJECT && i < all->as.obj.n && r == 0; i++) {
        const struct lt__json_member *m = &all->as.obj.members[i];
        struct handler_search s = {m->key, NULL};
        const lt__json *level = lt__json_get(m->value, "level");
        bool has;
        int lv;

        search_logger(lt__root(), &s);
        lt__logger_for_each_locked(search_logger, &s);
        if (!s.found)
            r = fail_at(ld, LT_ECONFIG, m->line, m->column, "no handler named '%s' is running",
                        m->key);
        else if (level && lt__json_truthy(level) &&
                 (r = read_level(ld, level, &has, &lv)) == 0)
            lt_handler_set_level(s.found, lv);
    }
    for (size_t i = 0; r == 0 && i < ld->nloggers; i++) {
        if (!(ld->loggers[i].logger = plan_logger_of(&ld->loggers[i])))
            r = LT_ENOMEM;
        else
            install_logger(ld, &ld->loggers[i], NULL);
    }
    if (r == 0)
        lt__env_levels_apply_locked();
    lt__tree_refresh_locked();
    lt__state_unlock();
    lt__routes_wrunlock();
    return r;
}

static int apply(struct load *ld)
{
    struct lt__detached old = {0};
    struct lt__filters old_filters = {0};
    int r;

    if (ld->incremental)
        return ld->check_only ? 0 : apply_incremental(ld);
    if ((r = preflight(ld)) < 0 || ld->check_only)
        return r;
    if ((r = open_handlers(ld)) < 0)
        return r;
    if ((r = swap_in(ld, &old, &old_filters)) < 0)
        return fail(ld, r, NULL, "out of memory while installing the configuration");
    lt__detached_close(&old, NULL);
    lt__filters_clear(&old_filters);
    return 0;
}

static void release(struct load *ld)
{
    for (size_t i = 0; i < ld->nfmts; i++)
        lt_formatter_unref(ld->fmts[i].formatter);
    for (size_t i = 0; i < ld->nfilters; i++)
        lt_filter_unref(ld->filters[i].filter);
    for (size_t i = 0; i < ld->nhandlers; i++) {
        struct handler_plan *p = &ld->handlers[i];

        lt__py_free(p->kwargs);
        free(p->origins);
        free_names(&p->filters);
        free(p->filter_index);
        lt_handler_unref(p->handler);
    }
    for (size_t i = 0; i < ld->nloggers; i++) {
        free_names(&ld->loggers[i].handlers);
        free(ld->loggers[i].handler_index);
        free_names(&ld->loggers[i].filters);
        free(ld->loggers[i].filter_index);
    }
    for (size_t i = 0; i < ld->nscratch; i++)
        free(ld->scratch[i]);
    free(ld->scratch);
    free(ld->fmts);
    free(ld->filters);
    free(ld->handlers);
    free(ld->loggers);
    lt__json_free(ld->doc);
}

int lt__config_json_locked(const char *text, size_t len, const char *name, unsigned flags,
                           lt_error *err)
{
    struct load ld = {0};
    int r;

    if ((r = lt__config_size_check(text, len, name, err)) < 0)
        return r;
    ld.file = name;
    ld.err = err;
    ld.check_only = (flags & LT_CONFIG_CHECK_ONLY) != 0;
    ld.delay_open = (flags & LT_CONFIG_DELAY_OPEN) != 0;
    r = lt__json_parse(text, len, ld.file, &ld.doc, err);
    if (r == 0 && (r = plan(&ld, flags)) == 0 && (r = apply(&ld)) == 0 && !ld.check_only &&
        (r = lt__async_apply_locked(&ld.async)) < 0)
        fail(&ld, r, lt__json_get(ld.doc, "logtree"), "cannot start asynchronous mode: %s",
             lt_strerror(r));
    release(&ld);
    return r;
}

int lt_config_json_string(const char *text, size_t len, const char *name, unsigned flags,
                          lt_error *err)
{
    int r;

    LT__RETURN_IF(!text && len, LT_EINVAL);
    lt_error_clear(err);
    lt__init();
    if (!(flags & LT_CONFIG_CHECK_ONLY))
        lt__config_mark_configured();
    lt__config_lock();
    r = lt__config_json_locked(text ? text : "", len, name ? name : "<string>", flags, err);
    lt__config_unlock();
    if (r < 0 && err && !err->code)
        lt__error_set(err, r, name ? name : "<string>", 0, 0, "%s", lt_strerror(r));
    return r;
}

int lt_config_json_file(const char *path, unsigned flags, lt_error *err)
{
    char *text = NULL;
    size_t len = 0;
    int r;

    LT__RETURN_IF(!path, LT_EINVAL);
    lt_error_clear(err);
    if ((r = lt__read_config_file(path, &text, &len, err)) < 0)
        return r;
    r = lt_config_json_string(text, len, path, flags, err);
    free(text);
    return r;
}
