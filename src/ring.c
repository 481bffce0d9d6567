/* src/ring.c - see ring.h for the protocol and its invariants. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "ring.h"
#include "sys.h"

int lt__ring_init(struct lt__ring *r, size_t cap)
{
    atomic_init(&r->head, 0);
    atomic_init(&r->tail, 0);
    r->tail_seen = r->head_seen = 0;
    r->cap = cap;
    r->buf = lt__aligned_alloc(LT__RING_ALIGN, cap);
    if (!r->buf)
        return LT_ENOMEM;
    /* Touch every page now, on the thread's first call, rather than take a
     * page fault (microseconds) inside one call in 64 during the first lap. */
    memset(r->buf, 0, cap);
    return 0;
}

void lt__ring_release(struct lt__ring *r)
{
    free(r->buf);
    r->buf = NULL;
}

const struct lt__entry *lt__ring_peek(struct lt__ring *r)
{
    size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);

    for (;;) {
        const struct lt__entry *e;

        if (tail == r->head_seen) {
            r->head_seen = atomic_load_explicit(&r->head, memory_order_acquire);
            if (tail == r->head_seen)
                return NULL;
        }
        e = (const struct lt__entry *)(const void *)(r->buf + (tail & (r->cap - 1)));
        if (e->kind != LT__ENTRY_PAD)
            return e;
        tail += e->size;
        atomic_store_explicit(&r->tail, tail, memory_order_release);
    }
}

void lt__ring_pop(struct lt__ring *r, const struct lt__entry *e)
{
    size_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);

    atomic_store_explicit(&r->tail, tail + e->size, memory_order_release);
}

size_t lt__ring_used(struct lt__ring *r)
{
    return atomic_load_explicit(&r->head, memory_order_acquire) -
           atomic_load_explicit(&r->tail, memory_order_acquire);
}
