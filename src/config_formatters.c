/* src/config_formatters.c - the formatter classes a config file may name:
 * Python's logging.Formatter, and logtree's own (each spelled X or
 * logtree.X), with the keys of their sections. A class reads its section
 * through a callback, so the same table serves INI files and, later, JSON
 * configs. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

static const struct lt__formatter_class classes[] = {
    {"logging.Formatter", build_percent},
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
