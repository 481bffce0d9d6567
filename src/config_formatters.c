/* src/config_formatters.c - the formatter classes a config file may name:
 * Python's logging.Formatter, and logtree's own (each spelled X or
 * logtree.X), with the keys of their sections. A class reads its section
 * through a callback, so the same table serves INI files and, later, JSON
 * configs. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config_loader.h"

int lt__key_error(struct lt__key_error *e, const char *key, const char *fmt, ...)
{
    va_list ap;

    e->key = key;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
    return LT_ECONFIG;
}

/* logging.Formatter: format, datefmt, style, as fileConfig reads them. */
static int build_percent(const struct lt__section *sec, lt_formatter **ret,
                         struct lt__key_error *e)
{
    lt_percent_options opts = {0};
    const char *style = "%";
    lt_error ferr;
    int r;

    if ((r = sec->get(sec->ud, "format", &opts.format)) < 0 ||
        (r = sec->get(sec->ud, "datefmt", &opts.datefmt)) < 0 ||
        (r = sec->get(sec->ud, "style", &style)) < 0)
        return r;
    if (strlen(style) != 1)
        return lt__key_error(e, "style", "style must be one of '%%', '{' or '$', not '%s'", style);
    opts.style = style[0];
    lt_error_clear(&ferr);
    r = lt_percent_formatter_new(ret, &opts, &ferr);
    if (r < 0) {
        lt__key_error(e, r == LT_EFORMAT ? "format" : "style", "%s", ferr.message);
        if (ferr.column)
            snprintf(e->message + strlen(e->message), sizeof(e->message) - strlen(e->message),
                     " at column %d", ferr.column);
    }
    return r;
}

/* A yes/no key read as configparser's getboolean() reads it: 1 yes true on,
 * 0 no false off, in any case. A missing key leaves *@ret. */
static int get_bool_key(const struct lt__section *sec, const char *key, bool *ret,
                        struct lt__key_error *e)
{
    static const char *const words[] = {"1", "yes", "true", "on", "0", "no", "false", "off"};
    const char *value;
    int r = sec->get(sec->ud, key, &value);

    if (r <= 0)
        return r;
    for (size_t i = 0; i < LT__ARRAY_SIZE(words); i++) {
        if (strcasecmp(value, words[i]) == 0) {
            *ret = i < 4;
            return 0;
        }
    }
    return lt__key_error(e, key, "%s must be true or false (or 1/0, yes/no, on/off), not '%s'",
                         key, value);
}

/* logtree's AccessFormatter: format=combined|common|<LogFormat>, utc=. The
 * format is read raw, so a LogFormat's '%' needs no doubling. */
static int build_access(const struct lt__section *sec, lt_formatter **ret,
                        struct lt__key_error *e)
{
    lt_access_options opts = {0};
    lt_error ferr;
    int r;

    if ((r = sec->get(sec->ud, "format", &opts.format)) < 0 ||
        (r = get_bool_key(sec, "utc", &opts.utc, e)) < 0)
        return r;
    lt_error_clear(&ferr);
    r = lt_access_formatter_new(ret, &opts, &ferr);
    if (r < 0) {
        lt__key_error(e, "format", "%s", ferr.message);
        if (ferr.column)
            snprintf(e->message + strlen(e->message), sizeof(e->message) - strlen(e->message),
                     " at column %d", ferr.column);
    }
    return r;
}

/* The keys JSONFormatter and LogfmtFormatter share (docs/config.md). */
struct structured_keys {
    const char *attributes, *rename, *datefmt;
    lt_level_case level_case;
    bool utc, extra;
};

static int get_level_case(const struct lt__section *sec, lt_level_case *ret,
                          struct lt__key_error *e)
{
    static const char *const words[] = {"keep", "lower", "upper"};
    const char *value;
    int r = sec->get(sec->ud, "level_case", &value);

    if (r <= 0)
        return r;
    for (size_t i = 0; i < LT__ARRAY_SIZE(words); i++) {
        if (strcasecmp(value, words[i]) == 0) {
            *ret = (lt_level_case)(LT_LEVEL_CASE_KEEP + (int)i);
            return 0;
        }
    }
    return lt__key_error(e, "level_case", "level_case must be keep, lower or upper, not '%s'",
                         value);
}

static int get_structured_keys(const struct lt__section *sec, struct structured_keys *k,
                               struct lt__key_error *e)
{
    int r;

    k->extra = true;
    if ((r = sec->get(sec->ud, "attributes", &k->attributes)) < 0 ||
        (r = sec->get(sec->ud, "rename", &k->rename)) < 0 ||
        (r = sec->get(sec->ud, "datefmt", &k->datefmt)) < 0 ||
        (r = get_level_case(sec, &k->level_case, e)) < 0 ||
        (r = get_bool_key(sec, "utc", &k->utc, e)) < 0 ||
        (r = get_bool_key(sec, "extra", &k->extra, e)) < 0)
        return r;
    return 0;
}

typedef int (*structured_new)(lt_formatter **ret, const struct structured_keys *k,
                              const char *rename, lt_error *err);

static int new_json(lt_formatter **ret, const struct structured_keys *k, const char *rename,
                    lt_error *err)
{
    lt_json_options o = {k->attributes, rename, k->datefmt, k->level_case, k->utc, !k->extra};

    return lt_json_formatter_new(ret, &o, err);
}

static int new_logfmt(lt_formatter **ret, const struct structured_keys *k, const char *rename,
                      lt_error *err)
{
    lt_logfmt_options o = {k->attributes, rename, k->datefmt, k->level_case, k->utc, !k->extra};

    return lt_logfmt_formatter_new(ret, &o, err);
}

/* Once the keys are read, only attributes and rename can be wrong: a
 * formatter made first without the renames tells which. */
static int build_structured(const struct lt__section *sec, lt_formatter **ret,
                            struct lt__key_error *e, structured_new make)
{
    struct structured_keys k = {0};
    lt_formatter *probe = NULL;
    const char *key = "attributes";
    lt_error ferr;
    int r;

    if ((r = get_structured_keys(sec, &k, e)) < 0)
        return r;
    lt_error_clear(&ferr);
    if ((r = make(&probe, &k, "", &ferr)) == 0) {
        lt_formatter_unref(probe);
        key = "rename";
        r = make(ret, &k, k.rename, &ferr);
    }
    if (r < 0 && r != LT_ENOMEM)
        return lt__key_error(e, key, "%s", ferr.message);
    return r;
}

/* logtree's JSONFormatter and LogfmtFormatter: attributes=, rename=,
 * datefmt=, level_case=, utc=, extra=. */
static int build_json(const struct lt__section *sec, lt_formatter **ret, struct lt__key_error *e)
{
    return build_structured(sec, ret, e, new_json);
}

static int build_logfmt(const struct lt__section *sec, lt_formatter **ret,
                        struct lt__key_error *e)
{
    return build_structured(sec, ret, e, new_logfmt);
}

static const struct lt__formatter_class classes[] = {
    {"logging.Formatter", build_percent},
    {"AccessFormatter", build_access},
    {"JSONFormatter", build_json},
    {"LogfmtFormatter", build_logfmt},
};

/* No class, or an empty one, is logging.Formatter; logtree's own classes
 * are also spelled with a "logtree." prefix. */
const struct lt__formatter_class *lt__formatter_class_find(const char *name)
{
    if (!name || !*name)
        return &classes[0];
    if (strncmp(name, "logtree.", 8) == 0)
        name += 8;
    for (size_t i = 0; i < LT__ARRAY_SIZE(classes); i++)
        if (strcmp(name, classes[i].name) == 0)
            return &classes[i];
    return NULL;
}

int lt__formatter_build(const struct lt__formatter_class *cls, const struct lt__section *sec,
                        lt_formatter **ret, struct lt__key_error *e)
{
    return cls->build(sec, ret, e);
}
