/* formatters/percent.c - Python's logging.Formatter: a format string in the
 * '%', '{' or '$' style, compiled once when the formatter is made
 * (percent_compile.c), then walked for each record. Formatting only reads
 * the compiled state and keeps its scratch on the stack, so one formatter
 * serves any number of threads at once. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <logtree/formatters.h>

#include "buf.h"
#include "percent.h"
#include "sys.h"

struct percent_state {
    char *format;  /* the literal segments point into it */
    char *datefmt; /* NULL: Python's default "%Y-%m-%d %H:%M:%S,mmm" */
    bool utc;
    lt_field *defaults; /* copied: keys and string values owned here */
    size_t ndefaults;
    lt__program prog;
};

/* Python's Formatter(defaults=...): a value for a name the record lacks. */
static bool find_default(const struct percent_state *st, const char *name, lt_value *ret)
{
    for (size_t i = 0; i < st->ndefaults; i++) {
        if (strcmp(st->defaults[i].key, name) == 0) {
            *ret = st->defaults[i].value;
            return true;
        }
    }
    return false;
}

static void free_defaults(struct percent_state *st)
{
    for (size_t i = 0; i < st->ndefaults; i++) {
        free((void *)(uintptr_t)st->defaults[i].key);
        if (st->defaults[i].value.type == LT_VALUE_STRING)
            free((void *)(uintptr_t)st->defaults[i].value.as.s.ptr);
    }
    free(st->defaults);
}

static int copy_defaults(struct percent_state *st, const lt_field *src, size_t n)
{
    if (n == 0)
        return 0;
    if (!src || !(st->defaults = lt__calloc(n, sizeof(*st->defaults))))
        return src ? LT_ENOMEM : LT_EINVAL;
    for (; st->ndefaults < n; st->ndefaults++) {
        lt_field *d = &st->defaults[st->ndefaults];
        char *key = lt__strdup(src[st->ndefaults].key ? src[st->ndefaults].key : ""), *text = NULL;

        d->value = src[st->ndefaults].value;
        if (d->value.type == LT_VALUE_STRING && (text = lt__malloc(d->value.as.s.len + 1))) {
            memcpy(text, d->value.as.s.ptr, d->value.as.s.len);
            text[d->value.as.s.len] = '\0';
            d->value.as.s.ptr = text;
        }
        if (!key || (d->value.type == LT_VALUE_STRING && !text)) {
            free(key);
            free(text);
            return LT_ENOMEM;
        }
        d->key = key;
    }
    return 0;
}

/* "<name?>" for a name the record lacks, "<name!>" for a value Python
 * could not format with the field's spec (a field's type is only known per
 * record; Python would raise and lose the record). */
static void put_placeholder(lt_buf *out, const lt__segment *seg, char mark)
{
    lt__buf_putc(out, '<');
    lt__buf_put(out, seg->text, seg->len);
    lt__buf_putc(out, mark);
    lt__buf_putc(out, '>');
}

static void put_value(const struct percent_state *st, const lt__segment *seg, const lt_value *v,
                      lt_buf *out)
{
    int r;

    if (seg->plain) {
        lt__py_str(out, v);
        return;
    }
    if (st->prog.style == '{')
        r = lt__py_format(out, &seg->spec, v);
    else
        r = lt__py_percent(out, &seg->spec, v);
    if (r < 0)
        put_placeholder(out, seg, '!');
}

/* asctime exists only in @out: render it there, and when a spec must
 * apply, move it to scratch and format it from there. */
static void put_asctime(const struct percent_state *st, const lt__segment *seg,
                        const lt_record *rec, lt_buf *out)
{
    size_t start = lt_buf_len(out), len;
    char small[256], *text = small;
    lt_value v = {.type = LT_VALUE_STRING};

    lt_format_time(rec, st->datefmt, st->utc, out);
    if (seg->plain || lt_buf_error(out))
        return;
    len = lt_buf_len(out) - start;
    /* only a datefmt of more than 256 bytes of output needs the heap */
    if (len > sizeof(small))
        text = lt__malloc(len);
    if (!text) {
        lt_buf_truncate(out, start);
        put_placeholder(out, seg, '!');
        return;
    }
    memcpy(text, lt_buf_data(out) + start, len);
    lt_buf_truncate(out, start);
    v.as.s.ptr = text;
    v.as.s.len = len;
    put_value(st, seg, &v, out);
    if (text != small)
        free(text);
}

static void put_field(const struct percent_state *st, const lt__segment *seg, const lt_record *rec,
                      lt_buf *out)
{
    lt_value v;

    if (seg->attr == LT__SEG_ASCTIME)
        put_asctime(st, seg, rec, out);
    else if (seg->attr >= 0 && lt_record_get(rec, seg->attr, &v))
        put_value(st, seg, &v, out);
    else if (seg->attr == LT__SEG_FIELD && lt_record_find_field(rec, seg->text, &v))
        put_value(st, seg, &v, out);
    else if (seg->attr == LT__SEG_FIELD && find_default(st, seg->text, &v))
        put_value(st, seg, &v, out);
    else
        put_placeholder(out, seg, '?');
}

/* Whether what a segment brings may carry text from outside the program.
 * The time (rendered by the program's datefmt), the level's name (from the
 * program's table) and the numbers cannot forge a line: not scanning them
 * is a good part of the escaping's cost. */
static bool may_carry_input(int attr)
{
    switch (attr) {
    case LT__SEG_ASCTIME:
    case LT_ATTR_LEVELNAME:
    case LT_ATTR_LEVELNO:
    case LT_ATTR_LINENO:
    case LT_ATTR_CREATED:
    case LT_ATTR_MSECS:
    case LT_ATTR_RELATIVECREATED:
    case LT_ATTR_THREAD:
    case LT_ATTR_PROCESS:
    case LT_ATTR_ERRNO:
        return false;
    default:
        return true;
    }
}

static int percent_format(void *state, const lt_record *rec, lt_buf *out)
{
    const struct percent_state *st = state;

    for (size_t i = 0; i < st->prog.n; i++) {
        const lt__segment *seg = &st->prog.seg[i];

        size_t start = lt_buf_len(out);

        /* The format's own text is the user's; what a field brings is the
         * record's, escaped as the handler asks (lt_handler_set_escape()). */
        if (seg->attr == LT__SEG_TEXT) {
            lt__buf_put(out, seg->text, seg->len);
        } else {
            put_field(st, seg, rec, out);
            if (may_carry_input(seg->attr))
                lt_buf_escape_from(out, start);
        }
    }
    /* as the default formatter does, like Python's appending of exc_text */
    if (lt_record_errno(rec) != 0 && !st->prog.uses_errno) {
        lt_value text;
        size_t start;

        lt_record_get(rec, LT_ATTR_STRERROR, &text);
        lt_buf_puts(out, ": ");
        start = lt_buf_len(out);
        lt__buf_put(out, text.as.s.ptr, text.as.s.len);
        lt_buf_escape_from(out, start);
    }
    return lt_buf_error(out);
}

static const char *default_format(char style)
{
    return style == '{' ? "{message}" : style == '$' ? "${message}" : "%(message)s";
}

static int bad_style(lt_error *err)
{
    if (err) {
        lt_error_clear(err);
        err->code = LT_EINVAL;
        strcpy(err->message, "style must be one of '%', '{' or '$'");
    }
    return LT_EINVAL;
}

static void percent_close(void *state)
{
    struct percent_state *st = state;

    lt__program_free(&st->prog);
    free(st->format);
    free(st->datefmt);
    free_defaults(st);
}

static int percent_open(void *state, const void *arg, lt_error *err)
{
    const lt_percent_options none = {0}, *o = arg ? arg : &none;
    struct percent_state *st = state;
    char style = o->style ? o->style : '%';
    int r;

    if (style != '%' && style != '{' && style != '$')
        return bad_style(err);
    st->format = lt__strdup(o->format && *o->format ? o->format : default_format(style));
    st->datefmt = o->datefmt && *o->datefmt ? lt__strdup(o->datefmt) : NULL;
    st->utc = o->utc;
    if (!st->format || (o->datefmt && *o->datefmt && !st->datefmt))
        r = LT_ENOMEM;
    else if ((r = copy_defaults(st, o->defaults, o->ndefaults)) == 0)
        r = lt__program_compile(&st->prog, st->format, style, err);
    if (r < 0)
        percent_close(st);
    return r;
}

/* As logging_tree shows a logging.Formatter: its _fmt and datefmt. */
static void percent_describe(const void *state, lt_buf *out)
{
    const struct percent_state *st = state;

    lt_buf_puts(out, "fmt=");
    lt__py_put_repr(out, st->format);
    lt_buf_puts(out, " datefmt=");
    lt__py_put_repr(out, st->datefmt);
}

static const lt_formatter_type percent_type = {
    .version = LT_FORMATTER_TYPE_VERSION,
    .name = "percent",
    .state_size = sizeof(struct percent_state),
    .open = percent_open,
    .format = percent_format,
    .close = percent_close,
    .describe = percent_describe,
};

int lt_percent_formatter_new(lt_formatter **ret, const lt_percent_options *opts, lt_error *err)
{
    return lt_formatter_new(ret, &percent_type, opts, err);
}
