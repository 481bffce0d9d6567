/* formatters/percent_compile.c - turning a format string into segments
 * once, so that formatting a record only walks them: names resolved to
 * attribute numbers, specs parsed and checked against the attributes' types,
 * faults reported with their column before any record is formatted. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <logtree/record.h>

#include "percent.h"
#include "sys.h"

/* The attributes' types as record.h documents them. A new attribute must be
 * added here too: */
_Static_assert(LT_ATTR_COUNT == 23, "give the new attribute its type below");

static const lt_value_type attr_types[LT_ATTR_COUNT] = {
    [LT_ATTR_NAME] = LT_VALUE_STRING,     [LT_ATTR_MSG] = LT_VALUE_STRING,
    [LT_ATTR_ARGS] = LT_VALUE_NULL,       [LT_ATTR_LEVELNAME] = LT_VALUE_STRING,
    [LT_ATTR_LEVELNO] = LT_VALUE_INT,     [LT_ATTR_PATHNAME] = LT_VALUE_STRING,
    [LT_ATTR_FILENAME] = LT_VALUE_STRING, [LT_ATTR_MODULE] = LT_VALUE_STRING,
    [LT_ATTR_EXC_INFO] = LT_VALUE_NULL,   [LT_ATTR_EXC_TEXT] = LT_VALUE_NULL,
    [LT_ATTR_STACK_INFO] = LT_VALUE_NULL, [LT_ATTR_LINENO] = LT_VALUE_INT,
    [LT_ATTR_FUNCNAME] = LT_VALUE_STRING, [LT_ATTR_CREATED] = LT_VALUE_DOUBLE,
    [LT_ATTR_MSECS] = LT_VALUE_DOUBLE,    [LT_ATTR_RELATIVECREATED] = LT_VALUE_DOUBLE,
    [LT_ATTR_THREAD] = LT_VALUE_UINT,     [LT_ATTR_THREADNAME] = LT_VALUE_STRING,
    [LT_ATTR_PROCESS] = LT_VALUE_INT,     [LT_ATTR_PROCESSNAME] = LT_VALUE_STRING,
    [LT_ATTR_MESSAGE] = LT_VALUE_STRING,  [LT_ATTR_ERRNO] = LT_VALUE_INT,
    [LT_ATTR_STRERROR] = LT_VALUE_STRING,
};

static const char *type_name(lt_value_type type)
{
    static const char *const names[] = {"NoneType", "bool", "int", "int", "float", "str"};

    return names[type];
}

int lt__format_error(lt_error *err, size_t at, const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return LT_EFORMAT;
    lt_error_clear(err);
    err->code = LT_EFORMAT;
    err->column = at < 1000000 ? (int)at + 1 : 0; /* bytes, as lt_error counts */
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    return LT_EFORMAT;
}

static lt__segment *push(lt__program *prog)
{
    lt__segment *seg;

    if (prog->n == prog->cap) {
        size_t cap = prog->cap ? prog->cap * 2 : 8;

        seg = lt__realloc(prog->seg, cap * sizeof(*seg));
        if (!seg)
            return NULL;
        prog->seg = seg;
        prog->cap = cap;
    }
    seg = &prog->seg[prog->n++];
    memset(seg, 0, sizeof(*seg));
    return seg;
}

int lt__program_add_text(lt__program *prog, const char *text, size_t len)
{
    lt__segment *seg = prog->n ? &prog->seg[prog->n - 1] : NULL;

    if (!len)
        return 0;
    if (seg && seg->attr == LT__SEG_TEXT && seg->text + seg->len == text) {
        seg->len += len;
        return 0;
    }
    seg = push(prog);
    if (!seg)
        return LT_ENOMEM;
    seg->attr = LT__SEG_TEXT;
    seg->text = text;
    seg->len = len;
    return 0;
}

/* A spec that cannot apply to an attribute is refused now: Python would
 * fail on every record. */
static int check_type(const lt__program *prog, const char *format, size_t at, size_t end,
                      const lt__pyspec *spec, lt_value_type type, lt_error *err)
{
    const char *why;

    if (prog->style == '{') {
        why = lt__py_format_check(spec, type);
        if (why)
            return lt__format_error(err, at, "'%.*s': %s", (int)(end - at), format + at, why);
    } else {
        why = lt__py_percent_check(spec, type);
        if (why)
            return lt__format_error(err, at, "'%.*s': %s, not %s", (int)(end - at), format + at,
                                    why, type_name(type));
    }
    return 0;
}

static bool is_plain(char style, const lt__pyspec *spec)
{
    if (style == '%')
        return spec->type == 's' && spec->width < 0 && spec->precision < 0;
    return (!spec->conv || spec->conv == 's') && lt__pyspec_empty(spec);
}

/* What @name prints: an attribute, asctime, or else a field of the record. */
static int resolve(const char *name)
{
    int attr = lt_attr_from_name(name);

    if (attr >= 0)
        return attr;
    return strcmp(name, "asctime") == 0 ? LT__SEG_ASCTIME : LT__SEG_FIELD;
}

int lt__program_add_field(lt__program *prog, const char *format, size_t at, size_t end,
                          const char *name, size_t len, const lt__pyspec *spec, lt_error *err)
{
    char *key = lt__strndup(name, len);
    lt__segment *seg = NULL;
    int attr, r = 0;

    if (!key)
        return LT_ENOMEM;
    attr = resolve(key);
    if (attr != LT__SEG_FIELD)
        r = check_type(prog, format, at, end, spec, attr >= 0 ? attr_types[attr] : LT_VALUE_STRING,
                       err);
    if (r == 0 && !(seg = push(prog)))
        r = LT_ENOMEM;
    if (r < 0) {
        free(key);
        return r;
    }
    seg->attr = attr;
    seg->plain = prog->style == '$' || is_plain(prog->style, spec);
    seg->text = seg->owned = key;
    seg->len = len;
    seg->spec = *spec;
    prog->uses_errno |= attr == LT_ATTR_ERRNO || attr == LT_ATTR_STRERROR;
    return 0;
}

void lt__program_free(lt__program *prog)
{
    for (size_t i = 0; i < prog->n; i++)
        free(prog->seg[i].owned);
    free(prog->seg);
    memset(prog, 0, sizeof(*prog));
}

/* Python's validate(): a format must name a field (in its own style). */
static bool has_field(const lt__program *prog, const char *format)
{
    if (prog->style == '%')
        return lt__percent_validates(format);
    for (size_t i = 0; i < prog->n; i++)
        if (prog->seg[i].attr != LT__SEG_TEXT)
            return true;
    return false;
}

int lt__program_compile(lt__program *prog, const char *format, char style, lt_error *err)
{
    int r;

    memset(prog, 0, sizeof(*prog));
    prog->style = style;
    if (style == '{')
        r = lt__parse_brace(prog, format, err);
    else if (style == '$')
        r = lt__parse_dollar(prog, format, err);
    else
        r = lt__parse_percent(prog, format, err);
    if (r == 0 && !has_field(prog, format)) {
        r = lt__format_error(err, 0, "invalid format: no fields%s",
                             style == '%' ? " (Python wants a '%(name)s' with a word for a name)"
                                          : "");
        if (err)
            err->column = 0; /* the whole format is at fault, not one place */
    }
    if (r < 0)
        lt__program_free(prog);
    return r;
}
