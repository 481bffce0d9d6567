/* src/ring.h - a single-producer single-consumer byte ring: the logging
 * thread appends variable-length entries, the backend thread consumes them.
 *
 * Invariants (docs/async.md has the argument):
 *  - head and tail count bytes since the ring was made; 0 <= head - tail <= cap.
 *  - only the producer writes head, only the consumer writes tail; each
 *    publishes with a release store and reads the other's with an acquire
 *    load, so the bytes of an entry are visible before its head move, and a
 *    slot is reused only after the consumer's tail moved past it;
 *  - every entry is a multiple of 8 bytes and starts on an 8-byte boundary
 *    with its header; an entry never wraps: when it does not fit before the
 *    end of the buffer, a PAD entry fills the rest and the entry starts at 0;
 *  - head, tail and the producer's and consumer's caches of them live on
 *    separate cache lines (no false sharing). */
#ifndef LOGTREE_RING_H
#define LOGTREE_RING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LT__RING_ALIGN 64

/* The first 8 bytes of every entry. */
struct lt__entry {
    uint32_t size; /* of the whole entry, header included, a multiple of 8 */
    uint32_t kind; /* LT__ENTRY_* */
};

#define LT__ENTRY_PAD 0 /* filler up to the end of the buffer */

struct lt__ring {
    /* the producer's line */
    _Alignas(LT__RING_ALIGN) _Atomic size_t head;
    size_t tail_seen; /* the producer's last acquire of tail */
    /* the consumer's line */
    _Alignas(LT__RING_ALIGN) _Atomic size_t tail;
    size_t head_seen; /* the consumer's last acquire of head */
    /* read-mostly */
    _Alignas(LT__RING_ALIGN) char *buf;
    size_t cap; /* a power of two, >= 4096 */
};

/* A ring of @cap bytes (a power of two). Returns 0, or LT_ENOMEM. */
int lt__ring_init(struct lt__ring *r, size_t cap);
void lt__ring_release(struct lt__ring *r);

/* The bytes an entry of @size at @head takes: itself, and the padding to the
 * end of the buffer when it does not fit there. */
static inline size_t lt__ring_span(const struct lt__ring *r, size_t head, size_t size)
{
    size_t to_end = r->cap - (head & (r->cap - 1));

    return size <= to_end ? size : to_end + size;
}

/* The room for an entry of @size bytes (a multiple of 8, at most cap / 2),
 * or NULL if the ring is full. Producer only; fill it, then commit. Inline:
 * it is most of the hot path. */
static inline void *lt__ring_reserve(struct lt__ring *r, size_t size)
{
    size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
    size_t at = head & (r->cap - 1), need = lt__ring_span(r, head, size);
    struct lt__entry *pad;

    if (head + need - r->tail_seen > r->cap) {
        r->tail_seen = atomic_load_explicit(&r->tail, memory_order_acquire);
        if (head + need - r->tail_seen > r->cap)
            return NULL;
    }
    if (need == size)
        return r->buf + at;
    /* Pad to the end; the consumer sees it only once commit() moves head. */
    pad = (struct lt__entry *)(void *)(r->buf + at);
    pad->size = (uint32_t)(r->cap - at);
    pad->kind = LT__ENTRY_PAD;
    return r->buf;
}

/* The bytes free for the producer now. Producer only. */
static inline size_t lt__ring_room(struct lt__ring *r)
{
    size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

    r->tail_seen = atomic_load_explicit(&r->tail, memory_order_acquire);
    return r->cap - (head - r->tail_seen);
}

/* Publish the entry reserve() handed out. Producer only. */
static inline void lt__ring_commit(struct lt__ring *r, size_t size)
{
    size_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

    atomic_store_explicit(&r->head, head + lt__ring_span(r, head, size), memory_order_release);
}

/* The next entry, or NULL if the ring is empty. Consumer only; the entry
 * stays valid until lt__ring_pop(). */
const struct lt__entry *lt__ring_peek(struct lt__ring *r);

/* Done with the entry peek() returned. Consumer only. */
void lt__ring_pop(struct lt__ring *r, const struct lt__entry *e);

/* Bytes in use, as the consumer sees them (for stats and leftovers). */
size_t lt__ring_used(struct lt__ring *r);

#endif /* LOGTREE_RING_H */
