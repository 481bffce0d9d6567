/* src/replay.c - printf, later: the backend formats an asynchronous record's
 * message from its decoded arguments, with the C library's own snprintf()
 * for every conversion, so the text is what vsnprintf() would have written
 * at the call.
 *
 * The format is split into literal text and conversion specs; `*` widths
 * and precisions are resolved into digits, positional arguments (%2$s) are
 * looked up, and each spec is handed to snprintf() with its one argument in
 * the C type the call site passed. %m prints the errno of the call; %n
 * writes nothing (there is nothing left to write to). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "async.h"
#include "fastconv.h"
#include "sys.h"

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

struct spec {
    char text[64]; /* the spec for snprintf(): %, flags, width, precision, length, conversion */
    size_t len;
    char conv;
    int arg; /* the index of its argument, -1: none */
    bool plain_s; /* a bare "%s": appended without snprintf() */
    struct lt__fast_spec fast; /* what src/fastconv.c can do with it */
};

struct cursor {
    const struct lt__decoded *d;
    int next;   /* the next argument, without positions */
    bool exact; /* no %n skipped, no conversion failed: what vsnprintf() writes */
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_flag(char c)
{
    return c == '-' || c == '+' || c == ' ' || c == '#' || c == '0' || c == '\'' || c == 'I';
}

static bool is_length(char c)
{
    return c == 'h' || c == 'l' || c == 'L' || c == 'q' || c == 'j' || c == 'z' || c == 'Z' ||
           c == 't';
}

/* "N$" at @p: the 0-based position, and @p moved past it; -1 if none. */
static int position(const char **p)
{
    const char *q = *p;
    int n = 0;

    while (is_digit(*q))
        n = n * 10 + (*q++ - '0');
    if (q == *p || *q != '$' || n == 0)
        return -1;
    *p = q + 1;
    return n - 1;
}

static int take_arg(struct cursor *c, int pos)
{
    return pos >= 0 ? pos : c->next++;
}

static int64_t int_arg(const struct cursor *c, int i)
{
    return i >= 0 && i < c->d->nargs ? c->d->args[i].v.i : 0;
}

static void put(struct spec *s, const char *text, size_t n)
{
    if (s->len + n < sizeof(s->text)) {
        memcpy(s->text + s->len, text, n);
        s->len += n;
        s->text[s->len] = '\0';
    }
}

/* A '*' (or '*N$'): the int argument, written into the spec as digits.
 * A negative width is the '-' flag; a negative precision, none at all. */
static void star(struct spec *s, struct cursor *c, const char **p, bool precision)
{
    char digits[24];
    int pos, n;
    int64_t v;

    ++*p;
    pos = position(p);
    v = int_arg(c, take_arg(c, pos));
    if (precision && v < 0)
        return;
    n = snprintf(digits, sizeof(digits), "%s%s%lld", precision ? "." : "",
                 !precision && v < 0 ? "-" : "", (long long)(v < 0 ? -v : v));
    put(s, digits, (size_t)n);
}

static const char *parse_number_or_star(struct spec *s, struct cursor *c, const char *p,
                                        bool precision)
{
    const char *start = p;

    if (*p == '*') {
        star(s, c, &p, precision);
        return p;
    }
    if (precision)
        put(s, ".", 1);
    while (is_digit(*p))
        p++;
    put(s, start, (size_t)(p - start));
    return p;
}

/* Parse the spec after the '%' at @p; returns where the text goes on. */
static const char *parse(struct spec *s, struct cursor *c, const char *p)
{
    const char *start;
    int pos = position(&p);

    s->len = 0;
    put(s, "%", 1);
    for (start = p; is_flag(*p); p++)
        ;
    put(s, start, (size_t)(p - start));
    p = parse_number_or_star(s, c, p, false);
    if (*p == '.')
        p = parse_number_or_star(s, c, p + 1, true);
    for (start = p; is_length(*p); p++)
        ;
    put(s, start, (size_t)(p - start));
    s->conv = *p;
    if (*p)
        put(s, p++, 1);
    s->plain_s = s->conv == 's' && strcmp(s->text, "%s") == 0;
    lt__fast_parse(s->text, &s->fast);
    s->arg = !s->conv || s->conv == '%' || s->conv == 'm' ? -1 : take_arg(c, pos);
    return p;
}

static bool append_formatted(lt_buf *out, const char *fmt, ...) LT_PRINTF(2, 3);

/* Returns false if snprintf() failed (an encoding error). */
static bool append_formatted(lt_buf *out, const char *fmt, ...)
{
    char small[128], *big;
    va_list ap, again;
    int n;

    va_start(ap, fmt);
    va_copy(again, ap);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    if (n >= 0 && (size_t)n < sizeof(small)) {
        lt__buf_put(out, small, (size_t)n);
    } else if (n >= 0 && (big = lt__malloc((size_t)n + 1)) != NULL) {
        vsnprintf(big, (size_t)n + 1, fmt, again);
        lt__buf_put(out, big, (size_t)n);
        free(big);
    }
    va_end(again);
    va_end(ap);
    return n >= 0;
}

/* One conversion with its argument in the type the call passed. *@plain
 * stays true only where what it wrote is printable ASCII for certain:
 * numbers written by fastconv.c, a bare %s of such a string, the spec as
 * written (the format's own text). */
static bool convert(const struct spec *s, const struct cursor *c, lt_buf *out, bool *plain)
{
    const struct lt__arg *a;

    if (s->conv == 'm') {
        *plain = false;
        return append_formatted(out, "%s", strerror(c->d->saved_errno));
    }
    if (s->conv == 'n')
        return false;
    if (s->arg < 0 || s->arg >= c->d->nargs) {
        lt_buf_puts(out, s->text); /* no such argument: the spec as written */
        return true;
    }
    a = &c->d->args[s->arg];
    if (a->type >= LT_ARG_INT && a->type <= LT_ARG_ULLONG &&
        lt__fast_integer(out, &s->fast, a->v.u))
        return true;
    if (a->type == LT_ARG_DOUBLE && lt__fast_double(out, &s->fast, a->v.d))
        return true;
    if (a->type == LT_ARG_STRING && s->plain_s) {
        if (!a->v.s) {
            lt_buf_puts(out, "(null)");
            return true;
        }
        lt__buf_put(out, a->v.s, a->len);
        *plain = *plain && lt__text_plain(a->v.s, a->len);
        return true;
    }
    *plain = false;
    switch (a->type) {
    case LT_ARG_INT: return append_formatted(out, s->text, (int)a->v.i);
    case LT_ARG_UINT: return append_formatted(out, s->text, (unsigned)a->v.u);
    case LT_ARG_LONG: return append_formatted(out, s->text, (long)a->v.i);
    case LT_ARG_ULONG: return append_formatted(out, s->text, (unsigned long)a->v.u);
    case LT_ARG_LLONG: return append_formatted(out, s->text, (long long)a->v.i);
    case LT_ARG_ULLONG: return append_formatted(out, s->text, (unsigned long long)a->v.u);
    case LT_ARG_DOUBLE: return append_formatted(out, s->text, a->v.d);
    case LT_ARG_LDOUBLE: return append_formatted(out, s->text, a->v.ld);
    case LT_ARG_STRING: return append_formatted(out, s->text, a->v.s);
    default: return append_formatted(out, s->text, a->v.p);
    }
}

bool lt__replay_printf(const struct lt__decoded *d, lt_buf *out)
{
    struct cursor c = {d, 0, true};
    const char *f = d->format;
    bool plain = false; /* not tracked here */

    while (*f) {
        const char *pct = strchr(f, '%');
        struct spec s;

        if (!pct) {
            lt_buf_puts(out, f);
            break;
        }
        lt__buf_put(out, f, (size_t)(pct - f));
        if (pct[1] == '%') {
            lt__buf_putc(out, '%');
            f = pct + 2;
            continue;
        }
        f = parse(&s, &c, pct + 1);
        if (!convert(&s, &c, out, &plain))
            c.exact = false;
    }
    return c.exact;
}

/* ---- the consumer's plans ----
 *
 * The backend replays the same few formats millions of times: it parses
 * each literal format once into a plan (its literal runs and specs) and
 * keeps the plans in a small table keyed by the format's address. A plan
 * also keeps the format's text and is used only when that still matches,
 * so an address reused by another literal (a module unloaded and another
 * loaded) gets a new plan. The text is compared once per batch, not per
 * record: a module may be unloaded only after an lt_flush() that follows
 * its last call (docs/async.md), so its records and those of a module
 * loaded in its place are never in one batch. A format with a '*' width or
 * precision is not planned: its specs depend on the arguments. Only the
 * consumer of the rings (one thread at a time, backend.c) uses the table. */

#define PLAN_SLOTS 256

struct step {
    size_t lit_at, lit_len; /* the literal text before the spec, in the format */
    bool has_spec;          /* false: the format's last literal run */
    struct spec spec;
};

struct plan {
    const char *key;
    uint64_t checked; /* the batch its text was last compared in */
    bool plain;       /* the format is printable ASCII: its literal runs need no escaping */
    size_t nsteps;
    struct step *steps;
    char format[]; /* a copy of the text, compared once per batch */
};

static struct plan *plans[PLAN_SLOTS];
static uint64_t batch; /* lt__replay_new_batch() */

void lt__replay_new_batch(void)
{
    batch++;
}

static struct plan *make_plan(const char *fmt)
{
    size_t len = strlen(fmt), n = 0, cap = 8;
    struct plan *p = lt__malloc(sizeof(*p) + len + 1);
    struct cursor c = {NULL, 0, true};
    const char *f = fmt;

    if (!p || !(p->steps = lt__malloc(cap * sizeof(*p->steps)))) {
        free(p);
        return NULL;
    }
    p->key = fmt;
    p->checked = batch;
    p->plain = lt__text_plain(fmt, len);
    memcpy(p->format, fmt, len + 1);
    while (*f) {
        const char *pct = strchr(f, '%');
        struct step *st;

        if (n == cap) {
            struct step *more = lt__realloc(p->steps, 2 * cap * sizeof(*more));

            if (!more)
                goto fail;
            p->steps = more;
            cap *= 2;
        }
        st = &p->steps[n++];
        st->lit_at = (size_t)(f - fmt);
        st->lit_len = pct ? (size_t)(pct - f) : strlen(f);
        st->has_spec = false;
        if (!pct)
            break;
        if (pct[1] == '%') {
            st->lit_len++; /* the first '%' */
            f = pct + 2;
            continue;
        }
        f = parse(&st->spec, &c, pct + 1);
        st->has_spec = true;
    }
    p->nsteps = n;
    return p;
fail:
    free(p->steps);
    free(p);
    return NULL;
}

static void free_plan(struct plan *p)
{
    if (p) {
        free(p->steps);
        free(p);
    }
}

static const struct plan *plan_for(const char *fmt)
{
    size_t slot = ((uintptr_t)fmt >> 3) % PLAN_SLOTS;
    struct plan *p = plans[slot];

    if (p && p->key == fmt && (p->checked == batch || strcmp(p->format, fmt) == 0)) {
        p->checked = batch;
        return p;
    }
    if (strchr(fmt, '*'))
        return NULL;
    free_plan(p);
    plans[slot] = make_plan(fmt);
    return plans[slot];
}

bool lt__replay_consumer(const struct lt__decoded *d, lt_buf *out, bool *plain)
{
    const struct plan *p = d->site && d->site->fmt_static ? plan_for(d->format) : NULL;
    struct cursor c = {d, 0, true};

    *plain = false;
    if (!p)
        return lt__replay_printf(d, out);
    *plain = p->plain;
    for (size_t i = 0; i < p->nsteps; i++) {
        const struct step *st = &p->steps[i];

        lt__buf_put(out, p->format + st->lit_at, st->lit_len);
        if (st->has_spec && !convert(&st->spec, &c, out, plain))
            c.exact = false;
    }
    return c.exact;
}

void lt__replay_forget(void)
{
    for (size_t i = 0; i < PLAN_SLOTS; i++) {
        free_plan(plans[i]);
        plans[i] = NULL;
    }
}

static void take_string(struct lt__arg *a, const char *s)
{
    a->v.s = s;
    a->len = s ? strlen(s) : 0;
}

bool lt__take_args(const lt_callsite *site, va_list ap, struct lt__decoded *d, lt_field *fields,
                   size_t *nfields)
{
    d->nargs = 0;
    if (nfields)
        *nfields = 0;
    for (int i = 0; site && site->argtypes && i < site->nargs && i < 32; i++) {
        struct lt__arg *a = &d->args[d->nargs];

        switch ((a->type = site->argtypes[i])) {
        case LT_ARG_INT: a->v.i = va_arg(ap, int); break;
        case LT_ARG_UINT: a->v.u = va_arg(ap, unsigned); break;
        case LT_ARG_LONG: a->v.i = va_arg(ap, long); break;
        case LT_ARG_ULONG: a->v.u = va_arg(ap, unsigned long); break;
        case LT_ARG_LLONG: a->v.i = va_arg(ap, long long); break;
        case LT_ARG_ULLONG: a->v.u = va_arg(ap, unsigned long long); break;
        case LT_ARG_DOUBLE: a->v.d = va_arg(ap, double); break;
        case LT_ARG_LDOUBLE: a->v.ld = va_arg(ap, long double); break;
        case LT_ARG_STRING: take_string(a, va_arg(ap, const char *)); break;
        case LT_ARG_POINTER: a->v.p = va_arg(ap, const void *); break;
        case LT_ARG_FIELD:
            if (!nfields)
                return true; /* fields follow the printf arguments */
            fields[(*nfields)++] = va_arg(ap, lt_field);
            continue;
        default: return false;
        }
        d->nargs++;
    }
    return true;
}

void lt__args_decode(const lt_callsite *site, const lt_arg *args, struct lt__decoded *d)
{
    d->nargs = 0;
    for (int i = 0; site && site->argtypes && i < site->nargs && i < 32; i++) {
        struct lt__arg *a = &d->args[d->nargs];

        switch ((a->type = site->argtypes[i])) {
        case LT_ARG_INT:
        case LT_ARG_LONG:
        case LT_ARG_LLONG: a->v.i = args[i].i; break;
        case LT_ARG_UINT:
        case LT_ARG_ULONG:
        case LT_ARG_ULLONG: a->v.u = args[i].u; break;
        case LT_ARG_DOUBLE: a->v.d = args[i].d; break;
        case LT_ARG_STRING: take_string(a, args[i].s); break;
        case LT_ARG_POINTER: a->v.p = args[i].p; break;
        default: return; /* not lt_log_args_at()'s: what came before still prints */
        }
        d->nargs++;
    }
}

bool lt__format_message(const lt_callsite *site, const char *fmt, va_list ap, int saved_errno,
                        lt_buf *out)
{
    struct lt__decoded d;
    size_t start = lt_buf_len(out);

    /* A literal format was checked against the arguments by the compiler. */
    if (!site || !site->fmt_static || !site->argtypes || site->nargs > 32 ||
        !lt__take_args(site, ap, &d, NULL, NULL))
        return false;
    d.format = fmt;
    d.saved_errno = saved_errno;
    if (lt__replay_printf(&d, out) && !lt_buf_error(out))
        return true;
    lt_buf_truncate(out, start);
    return false;
}

bool lt__format_args(const lt_callsite *site, const char *fmt, const lt_arg *args, int saved_errno,
                     lt_buf *out)
{
    struct lt__decoded d;

    lt__args_decode(site, args, &d);
    d.format = fmt;
    d.saved_errno = saved_errno;
    return lt__replay_printf(&d, out);
}

#pragma GCC diagnostic pop
