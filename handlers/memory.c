/* handlers/memory.c - MemoryHandler: hold copies of records, pass them to a
 * target handler as a batch.
 *
 * Python 3.11's rules (logging/handlers.py, BufferingHandler and
 * MemoryHandler): a record is appended, then the batch goes to the target's
 * handle() when the buffer holds capacity records or the record is at
 * flushLevel or above. Without a target Python keeps every record, silently
 * and without bound; here the oldest is dropped beyond capacity, and each
 * drop is a lost record the core counts and reports.
 *
 * The buffer is a ring that grows up to capacity, so that dropping the
 * oldest record costs no more than keeping a new one. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <logtree/handler.h>
#include <logtree/handlers.h>

#include "sys.h"

/* This kind's own control operations, used by lt_memory_handler_set_target()
 * only: it must check the chain of targets before anything is changed, which
 * a control operation alone cannot (the state does not know its handler),
 * and by lt_memory_handler_get_target().
 * Numbers far from those other kinds pick, since the chain may pass through
 * kinds logtree does not know. */
#define MEMORY_CTL_SET_TARGET 0x4d454d01 /* arg: lt_handler * or NULL */
#define MEMORY_CTL_GET_TARGET 0x4d454d02 /* arg: lt_handler **, set to a new reference */

/* Longer chains of memory handlers are refused rather than walked. */
#define MAX_CHAIN 64

#define FIRST_ALLOC 16

struct memory_state {
    lt_record **slots; /* a ring of alloc slots; n records from head on */
    size_t alloc;
    size_t head;
    size_t n;
    size_t capacity;
    int flush_level;
    lt_handler *target; /* a reference of ours, or NULL */
};

struct memory_args {
    size_t capacity;
    int flush_level;
    lt_handler *target;
};

static int memory_open(void *state, const void *arg)
{
    const struct memory_args *a = arg;
    struct memory_state *m = state;

    m->capacity = a->capacity;
    m->flush_level = a->flush_level;
    m->target = lt_handler_ref(a->target);
    return 0;
}

/* Room for one more record, growing the ring (in order) up to capacity. */
static int make_room(struct memory_state *m)
{
    size_t alloc;
    lt_record **slots;

    if (m->n < m->alloc)
        return 0;
    alloc = m->alloc ? m->alloc * 2 : FIRST_ALLOC;
    if (alloc > m->capacity + 1)
        alloc = m->capacity + 1; /* a full ring holds one record more before the drop */
    if (alloc <= m->alloc || !(slots = lt__malloc(alloc * sizeof(*slots))))
        return LT_ENOMEM;
    for (size_t i = 0; i < m->n; i++)
        slots[i] = m->slots[(m->head + i) % m->alloc];
    free(m->slots);
    m->slots = slots;
    m->alloc = alloc;
    m->head = 0;
    return 0;
}

static lt_record *pop_oldest(struct memory_state *m)
{
    lt_record *rec = m->slots[m->head];

    m->head = (m->head + 1) % m->alloc;
    m->n--;
    return rec;
}

/* Python's MemoryHandler.flush(): every held record to target.handle(), in
 * order. The target counts and reports its own failures; the first one is
 * returned for lt_handler_flush(). */
static int send_to_target(struct memory_state *m)
{
    int first_error = 0;

    while (m->target && m->n > 0) {
        lt_record *rec = pop_oldest(m);
        int r = lt_handler_handle(m->target, rec);

        if (r < 0 && first_error == 0)
            first_error = r;
        lt_record_free(rec);
    }
    return first_error;
}

static int memory_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    struct memory_state *m = state;
    lt_record *copy;
    bool dropped = false;
    int r;

    (void)msg;
    if ((r = make_room(m)) < 0 || (r = lt_record_copy(rec, &copy)) < 0)
        return r;
    m->slots[(m->head + m->n) % m->alloc] = copy;
    m->n++;
    if (m->target) {
        if (m->n >= m->capacity || lt_record_level(rec) >= m->flush_level)
            (void)send_to_target(m); /* the target's losses are the target's to count */
        return 0;
    }
    while (m->n > m->capacity) {
        lt_record_free(pop_oldest(m));
        dropped = true;
    }
    /* No target to flush to: the oldest record is lost, and saying so is the
     * point (Python buffers forever without a word). The core counts one loss
     * per drop and reports the first of a streak. */
    return dropped ? LT_ENOSPC : 0;
}

static int memory_flush(void *state)
{
    return send_to_target(state);
}

static void memory_close(void *state)
{
    struct memory_state *m = state;

    /* The core has flushed already (close always flushes, as Python's
     * shutdown() does); what is left had no target to go to. */
    (void)send_to_target(m);
    while (m->n > 0)
        lt_record_free(pop_oldest(m));
    free(m->slots);
    m->target = lt_handler_unref(m->target);
}

static int memory_control(void *state, int op, void *arg)
{
    struct memory_state *m = state;
    lt_handler *old;

    switch (op) {
    case MEMORY_CTL_SET_TARGET:
        old = m->target;
        m->target = lt_handler_ref(arg);
        /* Under our lock: the old target's lock (if this is its last
         * reference) nests inside ours, the order emit uses too. */
        lt_handler_unref(old);
        return 0;
    case MEMORY_CTL_GET_TARGET:
        *(lt_handler **)arg = lt_handler_ref(m->target);
        return 0;
    case LT_HANDLER_CTL_DESCRIBE:
        /* logging_tree's "Memory capacity=%(capacity)r" */
        lt_buf_printf(arg, "capacity=%zu", m->capacity);
        return 0;
    default:
        return LT_ENOTSUP;
    }
}

static const lt_handler_type memory_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "memory",
    .state_size = sizeof(struct memory_state),
    .flags = LT_HANDLER_RAW, /* records are kept, not rendered: the target formats them */
    .open = memory_open,
    .emit = memory_emit,
    .flush = memory_flush,
    .close = memory_close,
    .control = memory_control,
};

int lt_memory_handler_new(lt_handler **ret, size_t capacity, int flush_level, lt_handler *target,
                          unsigned flags)
{
    struct memory_args a = {capacity, flush_level, target};

    if (flags != 0 || capacity == SIZE_MAX)
        return LT_EINVAL;
    return lt_handler_new(ret, &memory_type, &a);
}

/* Whether @target, or a target down its chain of memory handlers, is @h.
 * Each step holds one handler's lock at a time, never ours. Two threads
 * linking A to B and B to A at the same moment could both pass: targets are
 * set up once, at configuration, and this guards against mistakes there. */
static int leads_back_to(lt_handler *h, lt_handler *target)
{
    lt_handler *cur = lt_handler_ref(target);
    int r = 0;

    for (int depth = 0; cur && r == 0; depth++) {
        lt_handler *next = NULL;

        if (cur == h || depth == MAX_CHAIN)
            r = LT_EINVAL;
        else if (lt_handler_control(cur, MEMORY_CTL_GET_TARGET, &next) < 0)
            next = NULL; /* not a memory handler (or closed): the chain ends */
        lt_handler_unref(cur);
        cur = next;
    }
    lt_handler_unref(cur);
    return r;
}

int lt_memory_handler_set_target(lt_handler *h, lt_handler *target)
{
    int r;

    if (!h)
        return LT_EINVAL;
    if (target && (r = leads_back_to(h, target)) < 0)
        return r;
    return lt_handler_control(h, MEMORY_CTL_SET_TARGET, target);
}

int lt_memory_handler_get_target(lt_handler *h, lt_handler **ret)
{
    if (!h || !ret)
        return LT_EINVAL;
    *ret = NULL;
    return lt_handler_control(h, MEMORY_CTL_GET_TARGET, ret);
}
