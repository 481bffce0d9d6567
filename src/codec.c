/* src/codec.c - a logging call as bytes in a ring, and back.
 *
 * The hot path never parses the format: the call site's static descriptor
 * lists each argument's type (LT_ARG_*), so the arguments are copied in
 * binary, in order, 8-byte aligned. Strings (and a format that is not a
 * literal) are copied, so the caller may free them at once; so are the
 * fields of the thread's context, of a bound logger and of the call site, so
 * that what a record carries is what held when the call was made.
 *
 * An entry: the lt__entry header, struct fixed, the format or text if copied,
 * the arguments, the fields. */
#include <stdlib.h>
#include <string.h>

#include "async.h"
#include "sys.h"

#define FLAG_TEXT   1u /* the message is a text, not a format */
#define FLAG_COPIED 2u /* the format or text follows struct fixed */

struct fixed {
    uint64_t stamp;
    lt_logger *lg;
    const lt_callsite *site;
    const char *format; /* NULL when copied */
    int32_t level;
    int32_t errnum;
    int32_t saved_errno;
    uint32_t flags;
    uint32_t nfields;
    uint32_t unused;
};

#define CONTEXT_STACK 32

static size_t round8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* A string: its length in 8 bytes, then its bytes and a NUL, padded. */
static size_t string_size(size_t len)
{
    return 8 + round8(len + 1);
}

static size_t value_size(const lt_value *v)
{
    if (v->type == LT_VALUE_NULL)
        return 0;
    return v->type == LT_VALUE_STRING ? string_size(v->as.s.len) : 8;
}

static size_t field_size(const lt_field *f)
{
    return 8 + round8(strlen(f->key ? f->key : "") + 1) + value_size(&f->value);
}

/* ---- writing ---- */

static char *put_string(char *at, const char *s, size_t len)
{
    uint64_t n = s ? len : UINT64_MAX;

    memcpy(at, &n, 8);
    if (s)
        memcpy(at + 8, s, len);
    at[8 + (s ? len : 0)] = '\0';
    return at + string_size(s ? len : 0);
}

static char *put_field(char *at, const lt_field *f)
{
    const char *key = f->key ? f->key : "";
    uint32_t head[2] = {(uint32_t)strlen(key), (uint32_t)f->value.type};

    memcpy(at, head, 8);
    memcpy(at + 8, key, head[0] + 1);
    at += 8 + round8(head[0] + 1);
    switch (f->value.type) {
    case LT_VALUE_NULL: return at;
    case LT_VALUE_STRING: return put_string(at, f->value.as.s.ptr, f->value.as.s.len);
    default: memcpy(at, &f->value.as, 8); return at + 8;
    }
}

/* The size of the arguments after the format, and the call-site fields
 * among them (copied into @fields, up to 32). */
static size_t args_size(const lt_callsite *site, va_list ap, lt_field *fields, size_t *nfields)
{
    size_t size = 0;

    for (int i = 0; site && site->argtypes && i < site->nargs; i++) {
        switch (site->argtypes[i]) {
        case LT_ARG_INT: (void)va_arg(ap, int); size += 8; break;
        case LT_ARG_UINT: (void)va_arg(ap, unsigned); size += 8; break;
        case LT_ARG_LONG: (void)va_arg(ap, long); size += 8; break;
        case LT_ARG_ULONG: (void)va_arg(ap, unsigned long); size += 8; break;
        case LT_ARG_LLONG: (void)va_arg(ap, long long); size += 8; break;
        case LT_ARG_ULLONG: (void)va_arg(ap, unsigned long long); size += 8; break;
        case LT_ARG_DOUBLE: (void)va_arg(ap, double); size += 8; break;
        case LT_ARG_LDOUBLE: (void)va_arg(ap, long double); size += 16; break;
        case LT_ARG_STRING: {
            const char *s = va_arg(ap, const char *);

            size += string_size(s ? strlen(s) : 0);
            break;
        }
        case LT_ARG_FIELD: fields[(*nfields)++] = va_arg(ap, lt_field); break;
        default: (void)va_arg(ap, void *); size += 8; break;
        }
    }
    return size;
}

static char *put_args(char *at, const lt_callsite *site, va_list ap)
{
    for (int i = 0; site && site->argtypes && i < site->nargs; i++) {
        int64_t i64;
        uint64_t u64;
        double d;
        long double ld;
        const void *p;

        switch (site->argtypes[i]) {
        case LT_ARG_INT: i64 = va_arg(ap, int); memcpy(at, &i64, 8); at += 8; break;
        case LT_ARG_UINT: u64 = va_arg(ap, unsigned); memcpy(at, &u64, 8); at += 8; break;
        case LT_ARG_LONG: i64 = va_arg(ap, long); memcpy(at, &i64, 8); at += 8; break;
        case LT_ARG_ULONG: u64 = va_arg(ap, unsigned long); memcpy(at, &u64, 8); at += 8; break;
        case LT_ARG_LLONG: i64 = va_arg(ap, long long); memcpy(at, &i64, 8); at += 8; break;
        case LT_ARG_ULLONG:
            u64 = va_arg(ap, unsigned long long);
            memcpy(at, &u64, 8);
            at += 8;
            break;
        case LT_ARG_DOUBLE: d = va_arg(ap, double); memcpy(at, &d, 8); at += 8; break;
        case LT_ARG_LDOUBLE:
            ld = va_arg(ap, long double);
            memset(at, 0, 16);
            memcpy(at, &ld, sizeof(ld) < 16 ? sizeof(ld) : 16);
            at += 16;
            break;
        case LT_ARG_STRING: {
            const char *s = va_arg(ap, const char *);

            at = put_string(at, s, s ? strlen(s) : 0);
            break;
        }
        case LT_ARG_FIELD: (void)va_arg(ap, lt_field); break;
        default: p = va_arg(ap, void *); memcpy(at, &p, 8); at += 8; break;
        }
    }
    return at;
}

struct plan {
    struct fixed fixed;
    const char *copy; /* the format or text to copy, or NULL */
    size_t copy_len;
    size_t args;
    const lt_field *context;
    size_t ncontext;
    const lt_field *bound;
    size_t nbound;
    lt_field site[32];
    size_t nsite;
    size_t size; /* of the payload */
};

static size_t fields_size(const lt_field *f, size_t n)
{
    size_t size = 0;

    for (size_t i = 0; i < n; i++)
        size += field_size(&f[i]);
    return size;
}

static void write_payload(char *at, const struct plan *p, const lt_callsite *site, va_list *ap)
{
    memcpy(at, &p->fixed, sizeof(p->fixed));
    at += sizeof(p->fixed);
    if (p->copy)
        at = put_string(at, p->copy, p->copy_len);
    if (ap)
        at = put_args(at, site, *ap);
    for (size_t i = 0; i < p->ncontext; i++)
        at = put_field(at, &p->context[i]);
    for (size_t i = 0; i < p->nbound; i++)
        at = put_field(at, &p->bound[i]);
    for (size_t i = 0; i < p->nsite; i++)
        at = put_field(at, &p->site[i]);
}

/* A record too big for the ring travels on the heap, its address in the
 * ring, so that it keeps its place in the thread's order. */
static bool enqueue(struct plan *p, const lt_callsite *site, va_list *ap)
{
    size_t total = 8 + p->size, cap = lt__async_ring_cap();
    bool big = total > cap / 2;
    size_t entry = big ? 16 : total;
    struct lt__producer *prod;
    struct lt__entry *e;
    char *payload = NULL;

    if (big && !(payload = lt__malloc(p->size)))
        return false;
    e = lt__async_reserve(entry, &prod);
    if (!e) {
        free(payload);
        return true; /* dropped and counted by the policy */
    }
    e->size = (uint32_t)entry;
    e->kind = big ? LT__ENTRY_BIG : LT__ENTRY_RECORD;
    if (big)
        memcpy(e + 1, &payload, sizeof(payload));
    write_payload(big ? payload : (char *)(e + 1), p, site, ap);
    lt__async_commit(prod, entry);
    return true;
}

/* ---- the common case, in one pass ---- */

/* The arguments of one call, read once, before the size is known. */
struct staged {
    uint64_t v[32];
    const char *s[32]; /* strings: the pointer; v holds the length */
};

/* Read the arguments; false if one is a field or a long double (the
 * general path takes those). */
static bool stage(const lt_callsite *site, va_list ap, struct staged *st, size_t *size)
{
    for (int i = 0; i < site->nargs; i++) {
        int64_t i64;
        double d;

        switch (site->argtypes[i]) {
        case LT_ARG_INT: i64 = va_arg(ap, int); memcpy(&st->v[i], &i64, 8); break;
        case LT_ARG_UINT: st->v[i] = va_arg(ap, unsigned); break;
        case LT_ARG_LONG: i64 = va_arg(ap, long); memcpy(&st->v[i], &i64, 8); break;
        case LT_ARG_ULONG: st->v[i] = va_arg(ap, unsigned long); break;
        case LT_ARG_LLONG: i64 = va_arg(ap, long long); memcpy(&st->v[i], &i64, 8); break;
        case LT_ARG_ULLONG: st->v[i] = va_arg(ap, unsigned long long); break;
        case LT_ARG_DOUBLE: d = va_arg(ap, double); memcpy(&st->v[i], &d, 8); break;
        case LT_ARG_STRING:
            st->s[i] = va_arg(ap, const char *);
            st->v[i] = st->s[i] ? strlen(st->s[i]) : 0;
            *size += string_size((size_t)st->v[i]) - 8;
            break;
        case LT_ARG_POINTER: {
            const void *p = va_arg(ap, void *);

            memcpy(&st->v[i], &p, 8);
            break;
        }
        default: return false;
        }
        *size += 8;
    }
    return true;
}

static char *put_staged(char *at, const lt_callsite *site, const struct staged *st)
{
    for (int i = 0; i < site->nargs; i++) {
        if (site->argtypes[i] == LT_ARG_STRING) {
            at = put_string(at, st->s[i], (size_t)st->v[i]);
        } else {
            memcpy(at, &st->v[i], 8);
            at += 8;
        }
    }
    return at;
}

/* A literal format, printf arguments only (no long double, no fields), no
 * context and no bound logger: most calls. Returns false to send the call
 * down the general path (nothing written yet). */
static bool encode_plain(lt_logger *lg, int level, const lt_callsite *site, int errnum,
                         const char *fmt, va_list *ap)
{
    size_t size = 8 + sizeof(struct fixed);
    struct lt__producer *prod;
    struct lt__entry *e;
    struct staged st;
    struct fixed *f;
    va_list scan;
    bool ok;

    if (!site || !site->fmt_static || !site->argtypes || lg->base || lt__context_count())
        return false;
    va_copy(scan, *ap); /* kept whole for the general path */
    ok = stage(site, scan, &st, &size);
    va_end(scan);
    if (!ok || size > lt__async_ring_cap() / 2)
        return false;
    e = lt__async_reserve(size, &prod);
    if (!e)
        return true; /* dropped and counted by the policy */
    e->size = (uint32_t)size;
    e->kind = LT__ENTRY_RECORD;
    f = (struct fixed *)(void *)(e + 1);
    f->stamp = lt__clock_now();
    f->lg = lg;
    f->site = site;
    f->format = fmt;
    f->level = level;
    f->errnum = errnum;
    f->saved_errno = errno;
    f->flags = 0;
    f->nfields = 0;
    f->unused = 0;
    put_staged((char *)(f + 1), site, &st);
    lt__async_commit(prod, size);
    return true;
}

bool lt__async_encode(lt_logger *lg, int level, const lt_callsite *site, int errnum,
                      const char *fmt, va_list *ap, const char *text, size_t text_len)
{
    lt_field context_stack[CONTEXT_STACK], *context = context_stack;
    struct plan p;
    va_list scan;
    bool ok;

    if (!text && encode_plain(lg, level, site, errnum, fmt, ap))
        return true;
    memset(&p.fixed, 0, sizeof(p.fixed));
    p.fixed.stamp = lt__clock_now();
    p.fixed.saved_errno = errno;
    p.fixed.lg = LT__BASE(lg);
    p.fixed.site = site;
    p.fixed.level = level;
    p.fixed.errnum = errnum;
    p.copy = NULL;
    p.nsite = 0;
    if (text) {
        p.fixed.flags = FLAG_TEXT | FLAG_COPIED;
        p.copy = text;
        p.copy_len = text_len;
    } else if (site && site->fmt_static) {
        p.fixed.format = fmt;
    } else {
        p.fixed.flags = FLAG_COPIED;
        p.copy = fmt;
        p.copy_len = strlen(fmt);
    }
    p.size = sizeof(p.fixed) + (p.copy ? string_size(p.copy_len) : 0);
    if (ap) {
        va_copy(scan, *ap);
        p.size += args_size(site, scan, p.site, &p.nsite);
        va_end(scan);
    }
    p.ncontext = lt__context_count();
    if (p.ncontext > CONTEXT_STACK && !(context = lt__malloc(p.ncontext * sizeof(*context))))
        p.ncontext = 0;
    p.ncontext = lt__context_collect(context, p.ncontext);
    p.context = context;
    p.bound = lg->base ? lg->bound : NULL;
    p.nbound = lg->base ? lg->nbound : 0;
    p.fixed.nfields = (uint32_t)(p.ncontext + p.nbound + p.nsite);
    p.size += fields_size(p.context, p.ncontext) + fields_size(p.bound, p.nbound) +
              fields_size(p.site, p.nsite);
    ok = enqueue(&p, site, ap);
    if (context != context_stack)
        free(context);
    return ok;
}

/* ---- reading ---- */

static const char *payload_of(const struct lt__entry *e)
{
    const char *payload;

    if (e->kind == LT__ENTRY_RECORD)
        return (const char *)(e + 1);
    memcpy(&payload, e + 1, sizeof(payload));
    return payload;
}

uint64_t lt__async_stamp(const struct lt__entry *e)
{
    uint64_t stamp;

    memcpy(&stamp, payload_of(e), 8);
    return stamp;
}

size_t lt__async_field_count(const struct lt__entry *e)
{
    struct fixed f;

    memcpy(&f, payload_of(e), sizeof(f));
    return f.nfields;
}

void lt__async_entry_done(const struct lt__entry *e)
{
    if (e->kind == LT__ENTRY_BIG)
        free((void *)(uintptr_t)payload_of(e));
}

static const char *get_string(const char *at, const char **s, size_t *len)
{
    uint64_t n;

    memcpy(&n, at, 8);
    *s = n == UINT64_MAX ? NULL : at + 8;
    *len = n == UINT64_MAX ? 0 : (size_t)n;
    return at + string_size(*len);
}

static const char *get_args(const char *at, struct lt__decoded *d)
{
    const lt_callsite *site = d->site;

    d->nargs = 0;
    for (int i = 0; site && site->argtypes && i < site->nargs; i++) {
        struct lt__arg *a = &d->args[d->nargs];
        size_t len;

        a->type = site->argtypes[i];
        switch (a->type) {
        case LT_ARG_FIELD: continue;
        case LT_ARG_LDOUBLE:
            memcpy(&a->v.ld, at, sizeof(a->v.ld) < 16 ? sizeof(a->v.ld) : 16);
            at += 16;
            break;
        case LT_ARG_STRING: at = get_string(at, &a->v.s, &len); break;
        default: memcpy(&a->v, at, 8); at += 8; break;
        }
        d->nargs++;
    }
    return at;
}

static const char *get_field(const char *at, lt_field *f)
{
    uint32_t head[2];
    size_t len;

    memcpy(head, at, 8);
    f->key = at + 8;
    at += 8 + round8(head[0] + 1);
    f->value.type = (lt_value_type)head[1];
    switch (f->value.type) {
    case LT_VALUE_NULL: return at;
    case LT_VALUE_STRING:
        at = get_string(at, &f->value.as.s.ptr, &len);
        f->value.as.s.len = len;
        return at;
    default: memcpy(&f->value.as, at, 8); return at + 8;
    }
}

void lt__async_decode(const struct lt__entry *e, struct lt__decoded *d, lt_field *fields,
                      size_t cap)
{
    const char *at = payload_of(e);
    struct fixed f;

    memcpy(&f, at, sizeof(f));
    at += sizeof(f);
    d->stamp = f.stamp;
    d->lg = f.lg;
    d->site = f.site;
    d->level = f.level;
    d->errnum = f.errnum;
    d->saved_errno = f.saved_errno;
    d->is_text = f.flags & FLAG_TEXT;
    d->format = f.format;
    d->text_len = 0;
    if (f.flags & FLAG_COPIED)
        at = get_string(at, &d->format, &d->text_len);
    d->nargs = 0;
    if (!d->is_text)
        at = get_args(at, d);
    d->fields = fields;
    d->nfields = f.nfields <= cap ? f.nfields : 0; /* no room: the fields are lost */
    for (size_t i = 0; i < d->nfields; i++)
        at = get_field(at, &fields[i]);
}
