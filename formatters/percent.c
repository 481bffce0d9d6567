/* formatters/percent.c - Python's logging.Formatter: a format string in the
 * '%', '{' or '$' style, compiled once when the formatter is made
 * (percent_compile.c), then walked for each record. Formatting only reads
 * the compiled state and keeps its scratch on the stack or in the calling
 * thread's prefix cache, so one formatter serves any number of threads at
 * once. */
#include <stdatomic.h>
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
    size_t nprefix; /* leading segments kept in the prefix cache, or 0 */
    uint64_t id;    /* names this formatter in the prefix cache; never reused */
};

/* ---- the prefix cache ----
 * Most formats start with the time, the level and the logger's name
 * ("%(asctime)s %(levelname)s %(name)s "), and consecutive records nearly
 * always share all three: the text of those leading segments is kept, per
 * thread (a formatter serves any number at once), with what it was made
 * from, and copied while that holds. A record's prefix is then one
 * comparison and one copy, not a time, two lookups and their escaping. */

#define PREFIX_SLOTS 4 /* formatters one thread alternates between (console + file...) */

struct prefix {
    uint64_t formatter; /* its id; 0 for an empty slot */
    int64_t sec;
    int32_t ms;
    int32_t levelno;
    bool escape;
    uint8_t name_len, levelname_len, len;
    char name[64];
    char levelname[24];
    char text[192];
};

static _Thread_local struct prefix prefixes[PREFIX_SLOTS];
static _Thread_local unsigned prefix_next; /* the slot a miss takes */
static _Atomic uint64_t last_id;

/* The attributes a kept prefix may hold: what the key covers. */
static bool keyed(int attr)
{
    switch (attr) {
    case LT__SEG_TEXT:
    case LT__SEG_ASCTIME:
    case LT_ATTR_LEVELNAME:
    case LT_ATTR_LEVELNO:
    case LT_ATTR_NAME:
        return true;
    default:
        return false;
    }
}

/* The leading segments worth keeping: the keyed ones before any other, if
 * one of them is not literal text (text alone costs a copy already). */
static size_t prefix_length(const lt__program *prog)
{
    size_t n = 0;
    bool fields = false;

    for (; n < prog->n && keyed(prog->seg[n].attr); n++)
        fields |= prog->seg[n].attr != LT__SEG_TEXT;
    return fields ? n : 0;
}

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

/* Whether what a segment brings may need escaping. The time (rendered by
 * the program's datefmt), the level's name (from the program's table) and
 * the numbers cannot forge a line, nor a message printed as it is that the
 * backend knows to be printable ASCII: not scanning them is a good part of
 * the escaping's cost. */
static bool may_carry_input(const lt__segment *seg, const lt_record *rec)
{
    switch (seg->attr) {
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
    case LT_ATTR_MESSAGE:
        return !(seg->plain && lt__record_message_plain(rec));
    default:
        return true;
    }
}

static void put_segment(const struct percent_state *st, const lt__segment *seg,
                        const lt_record *rec, lt_buf *out)
{
    size_t start = lt_buf_len(out);

    /* The format's own text is the user's; what a field brings is the
     * record's, escaped as the handler asks (lt_handler_set_escape()). */
    if (seg->attr == LT__SEG_TEXT) {
        lt__buf_put(out, seg->text, seg->len);
    } else {
        put_field(st, seg, rec, out);
        if (may_carry_input(seg, rec))
            lt_buf_escape_from(out, start);
    }
}

static bool same_text(const char *kept, size_t kept_len, const lt_value *v)
{
    return v->as.s.len == kept_len && memcmp(kept, v->as.s.ptr, kept_len) == 0;
}

/* The first st->nprefix segments of @rec into @out, from the cache when
 * their key matches, else formatted and kept. */
static void put_prefix(const struct percent_state *st, const lt_record *rec, lt_buf *out)
{
    struct timespec t = lt_record_time(rec);
    int32_t ms = (int32_t)(t.tv_nsec / 1000000);
    bool escape = lt_buf_escape(out) != LT_ESCAPE_NONE;
    int levelno = lt_record_level(rec);
    size_t start = lt_buf_len(out), len;
    lt_value name, levelname;
    struct prefix *p, *own = NULL;

    lt_record_get(rec, LT_ATTR_NAME, &name);
    lt_record_get(rec, LT_ATTR_LEVELNAME, &levelname);
    for (p = prefixes; p < prefixes + PREFIX_SLOTS; p++) {
        if (p->formatter != st->id)
            continue;
        if (p->sec == (int64_t)t.tv_sec && p->ms == ms && p->levelno == levelno &&
            p->escape == escape && same_text(p->name, p->name_len, &name) &&
            same_text(p->levelname, p->levelname_len, &levelname)) {
            lt__buf_put(out, p->text, p->len);
            return;
        }
        own = p;
    }
    for (size_t i = 0; i < st->nprefix; i++)
        put_segment(st, &st->prog.seg[i], rec, out);
    len = lt_buf_len(out) - start;
    /* The formatter's slot takes the new key (another millisecond, say);
     * a formatter without one takes the slots in turn. */
    p = own ? own : &prefixes[prefix_next++ % PREFIX_SLOTS];
    if (lt_buf_error(out) || len > sizeof(p->text) || name.as.s.len > sizeof(p->name) ||
        levelname.as.s.len > sizeof(p->levelname))
        return; /* too long to keep: formatted each time */
    p->formatter = st->id;
    p->sec = (int64_t)t.tv_sec;
    p->ms = ms;
    p->levelno = levelno;
    p->escape = escape;
    p->name_len = (uint8_t)name.as.s.len;
    p->levelname_len = (uint8_t)levelname.as.s.len;
    p->len = (uint8_t)len;
    memcpy(p->name, name.as.s.ptr, name.as.s.len);
    memcpy(p->levelname, levelname.as.s.ptr, levelname.as.s.len);
    memcpy(p->text, lt_buf_data(out) + start, len);
}

static int percent_format(void *state, const lt_record *rec, lt_buf *out)
{
    const struct percent_state *st = state;

    if (st->nprefix)
        put_prefix(st, rec, out);
    for (size_t i = st->nprefix; i < st->prog.n; i++)
        put_segment(st, &st->prog.seg[i], rec, out);
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
    if (r < 0) {
        percent_close(st);
        return r;
    }
    st->nprefix = prefix_length(&st->prog);
    st->id = atomic_fetch_add_explicit(&last_id, 1, memory_order_relaxed) + 1;
    return 0;
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
