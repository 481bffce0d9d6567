/* src/codec.c - a logging call as bytes in a ring, and back.
 *
 * The hot path never parses the format: the call site's static descriptor
 * lists each argument's type (LT_ARG_*), so the arguments are copied in
 * binary, a slot each, and the strings' text after them (struct lt__fixed).
 * Strings (and a format that is not a literal) are copied, so the caller
 * may free them at once; so are the fields of the thread's context, of a
 * bound logger and of the call site, so that what a record carries is what
 * held when the call was made.
 *
 * An entry: the lt__entry header, struct lt__fixed, the format or text if copied,
 * the arguments, the fields. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "async.h"
#include "sys.h"

#define CONTEXT_STACK 32

static size_t value_size(const lt_value *v)
{
    if (v->type == LT_VALUE_NULL)
        return 0;
    return v->type == LT_VALUE_STRING ? lt__string_size(v->as.s.len) : 8;
}

static size_t field_size(const lt_field *f)
{
    return 8 + lt__round8(strlen(f->key ? f->key : "") + 1) + value_size(&f->value);
}

/* ---- writing ---- */

static char *put_field(char *at, const lt_field *f)
{
    const char *key = f->key ? f->key : "";
    uint32_t head[2] = {(uint32_t)strlen(key), (uint32_t)f->value.type};

    memcpy(at, head, 8);
    memcpy(at + 8, key, head[0] + 1);
    at += 8 + lt__round8(head[0] + 1);
    switch (f->value.type) {
    case LT_VALUE_NULL: return at;
    case LT_VALUE_STRING: return lt__put_string(at, f->value.as.s.ptr, f->value.as.s.len);
    default: memcpy(at, &f->value.as, 8); return at + 8;
    }
}

/* The bytes of the printf arguments in the ring; *@slots gets those of
 * their slots (async.h), which the strings' text follows. */
static size_t args_size(const struct lt__decoded *d, size_t *slots)
{
    size_t text = 0;

    *slots = 0;
    for (int i = 0; i < d->nargs; i++) {
        switch (d->args[i].type) {
        case LT_ARG_LDOUBLE: *slots += 16; break;
        case LT_ARG_STRING:
            *slots += 8;
            text += lt__round8(d->args[i].len + 1);
            break;
        default: *slots += 8; break;
        }
    }
    return *slots + text;
}

static char *put_args(char *at, const struct lt__decoded *d, size_t slots)
{
    char *text = at + slots;

    for (int i = 0; i < d->nargs; i++) {
        const struct lt__arg *a = &d->args[i];

        switch (a->type) {
        case LT_ARG_LDOUBLE:
            memset(at, 0, 16);
            memcpy(at, &a->v.ld, sizeof(a->v.ld) < 16 ? sizeof(a->v.ld) : 16);
            at += 16;
            break;
        case LT_ARG_STRING:
            text = lt__put_slot_string(at, text, a->v.s, a->len);
            at += 8;
            break;
        default: memcpy(at, &a->v, 8); at += 8; break;
        }
    }
    return text;
}

struct plan {
    struct lt__fixed fixed;
    const char *copy; /* the format or text to copy, or NULL */
    size_t copy_len;
    const lt_field *context;
    size_t ncontext;
    const lt_field *bound;
    size_t nbound;
    const struct lt__decoded *args; /* NULL for a text */
    const lt_field *site;
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

static void write_payload(char *at, const struct plan *p)
{
    memcpy(at, &p->fixed, sizeof(p->fixed));
    at += sizeof(p->fixed);
    if (p->copy)
        at = lt__put_string(at, p->copy, p->copy_len);
    if (p->args)
        at = put_args(at, p->args, p->fixed.slots);
    for (size_t i = 0; i < p->ncontext; i++)
        at = put_field(at, &p->context[i]);
    for (size_t i = 0; i < p->nbound; i++)
        at = put_field(at, &p->bound[i]);
    for (size_t i = 0; i < p->nsite; i++)
        at = put_field(at, &p->site[i]);
}

/* A record too big for the ring travels on the heap, its address in the
 * ring, so that it keeps its place in the thread's order. */
static bool enqueue(struct plan *p)
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
    write_payload(big ? payload : (char *)(e + 1), p);
    lt__async_commit(prod, entry);
    return true;
}

bool lt__async_encode(lt_logger *lg, int level, const lt_callsite *site, int errnum,
                      const char *fmt, const struct lt__decoded *args, const lt_field *site_fields,
                      size_t nsite, const char *text, size_t text_len)
{
    lt_field context_stack[CONTEXT_STACK], *context = context_stack;
    struct plan p;
    bool ok;

    memset(&p.fixed, 0, sizeof(p.fixed));
    p.fixed.stamp = lt__clock_now();
    p.fixed.saved_errno = errno;
    p.fixed.lg = LT__BASE(lg);
    p.fixed.site = site;
    p.fixed.level = level;
    p.fixed.errnum = errnum;
    p.copy = NULL;
    p.args = text ? NULL : args;
    p.site = site_fields;
    p.nsite = nsite;
    if (text) {
        p.fixed.flags = LT__FLAG_TEXT | LT__FLAG_COPIED;
        p.copy = text;
        p.copy_len = text_len;
    } else if (site && site->fmt_static) {
        p.fixed.format = fmt;
    } else {
        p.fixed.flags = LT__FLAG_COPIED;
        p.copy = fmt;
        p.copy_len = strlen(fmt);
    }
    p.size = sizeof(p.fixed) + (p.copy ? lt__string_size(p.copy_len) : 0);
    if (p.args) {
        size_t slots;

        p.size += args_size(p.args, &slots);
        p.fixed.slots = (uint32_t)slots;
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
    ok = enqueue(&p);
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

/* One member of the struct lt__fixed at @at, read where it lies: a copy of
 * the whole struct to the stack, read back member by member, would stall
 * on loads that straddle the copy's stores. */
#define FIXED_MEMBER(to, at, member)                                                               \
    memcpy(&(to), (at) + offsetof(struct lt__fixed, member),                                       \
           sizeof(((struct lt__fixed *)0)->member))

size_t lt__async_field_count(const struct lt__entry *e)
{
    uint32_t nfields;

    FIXED_MEMBER(nfields, payload_of(e), nfields);
    return nfields;
}

void lt__async_entry_done(const struct lt__entry *e)
{
    if (e->kind == LT__ENTRY_BIG)
        free((void *)(uintptr_t)payload_of(e));
}

/* The string of the slot at @slot, its text at @text (lt__put_slot_string());
 * returns the end of the text. */
static const char *get_slot_string(const char *slot, const char *text, const char **s,
                                   size_t *len)
{
    uint64_t n;

    memcpy(&n, slot, 8);
    *s = n == UINT64_MAX ? NULL : text;
    *len = n == UINT64_MAX ? 0 : (size_t)n;
    return text + lt__round8(*len + 1);
}

/* A string whose text follows its slot (lt__put_string()). */
static const char *get_string(const char *at, const char **s, size_t *len)
{
    return get_slot_string(at, at + 8, s, len);
}

/* The arguments the entry holds, by the site's types: as many as its slots
 * hold, which is fewer than the site lists when lt_log_args_at() was handed
 * types it does not take (lt__args_decode() stops there). */
static const char *get_args(const char *at, size_t slots, struct lt__decoded *d)
{
    const lt_callsite *site = d->site;
    const char *end = at + slots, *text = end;

    d->nargs = 0;
    for (int i = 0; site && site->argtypes && i < site->nargs; i++) {
        struct lt__arg *a = &d->args[d->nargs];

        a->type = site->argtypes[i];
        if (a->type != LT_ARG_FIELD && (size_t)(end - at) < (a->type == LT_ARG_LDOUBLE ? 16u : 8u))
            break;
        switch (a->type) {
        case LT_ARG_FIELD: continue;
        case LT_ARG_LDOUBLE:
            memcpy(&a->v.ld, at, sizeof(a->v.ld) < 16 ? sizeof(a->v.ld) : 16);
            at += 16;
            break;
        case LT_ARG_STRING:
            text = get_slot_string(at, text, &a->v.s, &a->len);
            at += 8;
            break;
        default: memcpy(&a->v, at, 8); at += 8; break;
        }
        d->nargs++;
    }
    return text;
}

static const char *get_field(const char *at, lt_field *f)
{
    uint32_t head[2];
    size_t len;

    memcpy(head, at, 8);
    f->key = at + 8;
    at += 8 + lt__round8(head[0] + 1);
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
    int32_t level, errnum, saved_errno;
    uint32_t flags, nfields, slots;

    FIXED_MEMBER(d->stamp, at, stamp);
    FIXED_MEMBER(d->lg, at, lg);
    FIXED_MEMBER(d->site, at, site);
    FIXED_MEMBER(d->format, at, format);
    FIXED_MEMBER(level, at, level);
    FIXED_MEMBER(errnum, at, errnum);
    FIXED_MEMBER(saved_errno, at, saved_errno);
    FIXED_MEMBER(flags, at, flags);
    FIXED_MEMBER(nfields, at, nfields);
    FIXED_MEMBER(slots, at, slots);
    at += sizeof(struct lt__fixed);
    d->level = level;
    d->errnum = errnum;
    d->saved_errno = saved_errno;
    d->is_text = flags & LT__FLAG_TEXT;
    d->text_len = 0;
    if (flags & LT__FLAG_COPIED)
        at = get_string(at, &d->format, &d->text_len);
    d->nargs = 0;
    if (!d->is_text)
        at = get_args(at, slots, d);
    d->fields = fields;
    d->nfields = nfields <= cap ? nfields : 0; /* no room: the fields are lost */
    for (size_t i = 0; i < d->nfields; i++)
        at = get_field(at, &fields[i]);
}
