/* src/async.h - what the files of the asynchronous path share: the per-thread
 * producers and their rings (async.c), the encoding of a call into a ring
 * entry and back into a record (codec.c, replay.c), and the backend thread
 * (backend.c). docs/async.md describes the whole. */
#ifndef LOGTREE_ASYNC_INTERNAL_H
#define LOGTREE_ASYNC_INTERNAL_H

#include <stdarg.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <x86intrin.h>
#define LT__HAVE_TSC 1
#else
#define LT__HAVE_TSC 0
#endif

#include "internal.h"
#include "ring.h"

/* Entry kinds besides LT__ENTRY_PAD. */
#define LT__ENTRY_RECORD 1 /* the record's bytes follow the header */
#define LT__ENTRY_BIG    2 /* too big for the ring: a pointer to them on the heap */

/* A record entry's payload: this, then the format or text if copied, the
 * arguments, the fields (codec.c). The arguments are a slot each (16 bytes
 * for a long double, else 8; a string's holds its length, UINT64_MAX for
 * NULL), then the bytes of the strings in order, each with a NUL and padded
 * to 8: a call's arguments are copied as they lie, the strings after. */
struct lt__fixed {
    uint64_t stamp;
    lt_logger *lg;
    const lt_callsite *site;
    const char *format; /* NULL when copied */
    int32_t level;
    int32_t errnum;
    int32_t saved_errno;
    uint32_t flags;
    uint32_t nfields;
    uint32_t slots; /* bytes of the argument slots */
};

#define LT__FLAG_TEXT   1u /* the message is a text, not a format */
#define LT__FLAG_COPIED 2u /* the format or text follows struct lt__fixed */

static inline size_t lt__round8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* A string in an entry: its length in an 8-byte slot (UINT64_MAX for NULL),
 * and its text: its bytes and a NUL, padded to 8. A string argument's slot
 * is among the arguments' slots, its text after them all (struct
 * lt__fixed); any other string's text follows its slot. */
static inline size_t lt__string_size(size_t len)
{
    return 8 + lt__round8(len + 1);
}

/* The slot of @s (@len bytes, 0 for NULL) at @slot, its text at @text;
 * returns the end of the text. */
static inline char *lt__put_slot_string(char *slot, char *text, const char *s, size_t len)
{
    uint64_t n = s ? len : UINT64_MAX;

    memcpy(slot, &n, 8);
    lt__copy_bytes(text, s, len);
    text[len] = '\0';
    return text + lt__round8(len + 1);
}

/* A string whose text follows its slot. */
static inline char *lt__put_string(char *at, const char *s, size_t len)
{
    return lt__put_slot_string(at, at + 8, s, s ? len : 0);
}

/* A ring and the bigger one its producer moved on to (overflow "grow"). */
struct lt__ring_node {
    struct lt__ring ring;
    _Atomic(struct lt__ring_node *) next;
};

/* One logging thread's side of the asynchronous path. Its fields are
 * grouped by who writes them, a cache line each: the producer writes its
 * counters on every call, and a line the backend reads meanwhile would
 * bounce between the cores on each of those writes. */
struct lt__producer {
    /* the producer's: written on its calls */
    _Alignas(LT__RING_ALIGN) struct lt__ring_node *writing; /* its ring (the newest node) */
    size_t total_bytes;                                      /* of all nodes, for grow_limit */
    _Atomic uint64_t enqueued;
    _Atomic uint64_t dropped;
    _Atomic uint64_t blocked_ns;
    /* the consumer's */
    _Alignas(LT__RING_ALIGN) struct lt__ring_node *reading; /* its ring (the oldest node) */
    uint64_t dropped_told;     /* drops already announced */
    struct lt__producer *next; /* in the registry (under its mutex) */
    _Atomic bool orphaned;     /* the thread has exited: free once drained */
    /* read-only after creation */
    _Alignas(LT__RING_ALIGN) unsigned long thread;
    char thread_name[32];
};

/* The decoded form of one entry: what the backend turns into a record. */
struct lt__decoded {
    uint64_t stamp;
    lt_logger *lg;
    const lt_callsite *site;
    const char *format; /* or the text, with is_text */
    bool is_text;
    size_t text_len;
    int level;
    int errnum; /* LT_ERRNO's, or -1 */
    int saved_errno;
    int nargs;
    struct lt__arg {
        unsigned char type;
        size_t len; /* a string's, without its NUL (0 for NULL) */
        union {
            int64_t i;
            uint64_t u;
            double d;
            long double ld;
            const char *s; /* NULL for a NULL string */
            const void *p;
        } v;
    } args[32];
    lt_field *fields; /* the caller's array of nfields_cap */
    size_t nfields;
};

/* ---- async.c ---- */

/* Set by lt_async_start(); read by producers, some of which may still be
 * in a call of the session before. */
struct lt__async_config {
    _Atomic size_t ring_size; /* of rings made from now on */
    _Atomic lt_async_overflow overflow;
    _Atomic size_t grow_limit;
};

extern struct lt__async_config lt__async_cfg;

/* The capacity of the calling thread's current ring (it has one). */
size_t lt__async_ring_cap(void);

/* The registry of producers, under its mutex. */
void lt__producers_lock(void);
void lt__producers_unlock(void);
struct lt__producer *lt__producers_first(void);
struct lt__producer **lt__producers_first_link(void);
/* Unlink and free @p (drained, orphaned). With the registry locked. */
void lt__producer_free_locked(struct lt__producer **link);

/* Room for an entry of @size bytes in the calling thread's ring, after the
 * overflow policy: NULL when the record was dropped (counted). *@ret is the
 * producer to commit with. */
void *lt__async_reserve(size_t size, struct lt__producer **ret);

static inline void lt__async_commit(struct lt__producer *p, size_t size)
{
    lt__ring_commit(&p->writing->ring, size);
    lt__count_alone(&p->enqueued, 1);
}

/* ---- codec.c ---- */

/* Encode a call into the calling thread's ring: the printf arguments in
 * @args and the call site's fields, or @text (@args NULL). Returns true if
 * it went there (or was dropped by the overflow policy). */
bool lt__async_encode(lt_logger *lg, int level, const lt_callsite *site, int errnum,
                      const char *fmt, const struct lt__decoded *args, const lt_field *site_fields,
                      size_t nsite, const char *text, size_t text_len);

/* Decode @e into @d; fields go to @fields (room for @cap: with less, the
 * record comes without them), and strings point into the entry. */
void lt__async_decode(const struct lt__entry *e, struct lt__decoded *d, lt_field *fields,
                      size_t cap);

/* The number of fields @e carries (to size the array for decode). */
size_t lt__async_field_count(const struct lt__entry *e);

/* The timestamp of @e, for the merge across rings. */
uint64_t lt__async_stamp(const struct lt__entry *e);

/* Free what a LT__ENTRY_BIG entry points to. */
void lt__async_entry_done(const struct lt__entry *e);

/* ---- replay.c ---- */

/* Read a call's arguments by its site's types into @d, and its fields into
 * @fields (room for 32; NULL: stop at the first field). Returns false for an
 * unknown type. */
bool lt__take_args(const lt_callsite *site, va_list ap, struct lt__decoded *d, lt_field *fields,
                   size_t *nfields);

/* lt_log_args_at()'s arguments into @d. */
void lt__args_decode(const lt_callsite *site, const lt_arg *args, struct lt__decoded *d);

/* printf @d's format with its decoded arguments into @out, exactly as
 * vsnprintf() would have at the call. */
/* Returns false where the text may differ from vsnprintf()'s (a %n, which
 * writes nothing here, or a conversion snprintf() failed). */
bool lt__replay_printf(const struct lt__decoded *d, lt_buf *out);

/* lt__replay_printf() for the consumer of the rings: a literal format is
 * parsed once and its plan kept. *@plain: whether the text is known to be
 * printable ASCII only (lt__text_plain()), which a formatter then need not
 * escape. Consumer only; lt__replay_forget() frees the plans when it lets
 * the rings go. */
bool lt__replay_consumer(const struct lt__decoded *d, lt_buf *out, bool *plain);
void lt__replay_forget(void);
/* The consumer starts a batch: plans compare their text again (replay.c). */
void lt__replay_new_batch(void);

/* ---- backend.c ---- */

int lt__backend_start(void);
bool lt__backend_stop(const struct timespec *deadline);
int lt__backend_flush(void);
uint64_t lt__backend_handled(void);
void lt__backend_ensure(void);
/* Set in the child of fork() while async mode was on: the first call starts
 * the child's backend (lt__backend_ensure()). */
extern _Atomic bool lt__restart_needed;
void lt__backend_atfork_child(bool async_on);
void lt__crash_handler_install(void);
/* Drain every ring on the calling thread. Returns false, having done
 * nothing, when a backend holds the rings (it drains them itself). */
bool lt__drain_all(void);
/* For the crash handler: ask the backend to drain, wait up to @ms. */
void lt__backend_drain_from_signal(int ms);

/* ---- clock.c ---- */

void lt__clock_start(void);
uint64_t lt__clock_realtime_ns(void);
extern atomic_bool lt__clock_use_tsc;

/* A record's timestamp: ticks of the TSC, or CLOCK_REALTIME nanoseconds. */
static inline uint64_t lt__clock_now(void)
{
#if LT__HAVE_TSC
    if (atomic_load_explicit(&lt__clock_use_tsc, memory_order_relaxed))
        return __rdtsc();
#endif
    return lt__clock_realtime_ns();
}
void lt__clock_resync(void);
struct timespec lt__clock_to_timespec(uint64_t stamp);

/* ---- the short path ---- */

/* Records go to the rings while this is set. */
extern _Atomic bool lt__accepting;
/* The calling thread's producer: NULL until its first asynchronous call. */
extern LT__HOT_TLS struct lt__producer *lt__self;

/* The short path of lt_log_args_at(), inline there: a thread with its
 * producer, a site whose strings the call macros listed (32 arguments at
 * most), a logger of the tree in async mode, no context fields, no record
 * of a signal handler waiting to go first, no backend to start after
 * fork(), a record no bigger than half the ring. The arguments are copied
 * as they lie, a slot each, then the strings' text (struct lt__fixed):
 * neither the format nor argtypes is read. Returns false, having written
 * nothing, for any other call (lt_log_args_at() then takes the general
 * path); true once the record is in the ring or dropped by the overflow
 * policy. */
LT__ALWAYS_INLINE static inline bool lt__async_short(lt_logger *lg, int level,
                                                     const lt_callsite *site, const char *fmt,
                                                     const lt_arg *args)
{
    struct lt__producer *p = lt__self;
    uint32_t strings = (uint32_t)site->strings;
    size_t n = (size_t)site->nargs, size = 8 + sizeof(struct lt__fixed) + 8 * n, len[32], k = 0;
    struct lt__entry *e;
    struct lt__fixed *f;
    char *slots, *text;
    uint64_t stamp;
    int saved_errno;

    if (!p || !(site->strings & LT_CALLSITE_STRINGS_SET) || n > 32 || lg->base ||
        !atomic_load_explicit(&lt__accepting, memory_order_relaxed) ||
        !__atomic_load_n(&lg->async_on, __ATOMIC_RELAXED) || lt__context_count() ||
        lt__on_backend_thread() || atomic_load_explicit(&lt__restart_needed, memory_order_relaxed) ||
        lt__signal_log_waiting())
        return false;
    /* First: the TSC read is the slowest step, and what follows does not
     * wait for it. */
    stamp = lt__clock_now();
    for (uint32_t m = strings; m; m &= m - 1) {
        const char *s = args[__builtin_ctz(m)].s;

        len[k] = s ? strlen(s) : 0;
        size += lt__round8(len[k++] + 1);
    }
    if (size > p->writing->ring.cap / 2)
        return false; /* the general path puts it on the heap */
    saved_errno = errno;
    if (!(e = lt__ring_reserve(&p->writing->ring, size))) {
        e = lt__async_reserve(size, &p); /* may sleep, which may set errno */
        errno = saved_errno;
        if (!e)
            return true;
    }
    e->size = (uint32_t)size;
    e->kind = LT__ENTRY_RECORD;
    f = (struct lt__fixed *)(void *)(e + 1);
    *f = (struct lt__fixed){stamp, lg, site, fmt, level, -1, saved_errno, 0, 0, (uint32_t)(8 * n)};
    slots = (char *)(f + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(slots + 8 * i, &args[i], 8);
    text = slots + 8 * n;
    k = 0;
    for (uint32_t m = strings; m; m &= m - 1) {
        int i = __builtin_ctz(m);

        text = lt__put_slot_string(slots + 8 * i, text, args[i].s, len[k++]);
    }
    lt__async_commit(p, size);
    return true;
}

#endif /* LOGTREE_ASYNC_INTERNAL_H */
