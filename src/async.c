/* src/async.c - asynchronous mode: switching it on and off, the per-thread
 * producers and their rings, the overflow policies, flush and counters.
 *
 * Each logging thread gets a producer on its first asynchronous call: a ring
 * registered with the backend (backend.c), which drains it; when the thread
 * exits its producer is marked orphaned and freed by the backend once empty.
 * The hot path (lt__async_short() in async.h, and lt__async_log() for the
 * calls it does not take) takes no lock and makes no system call in the
 * steady state: relaxed loads of the mode, the encoding into the ring, a
 * release store. */
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "async.h"
#include "sys.h"

#define DEFAULT_RING   ((size_t)1 << 20)
#define DEFAULT_LIMIT  ((size_t)64 << 20)
#define MIN_RING       ((size_t)4096)

struct lt__async_config lt__async_cfg = {DEFAULT_RING, LT_ASYNC_BLOCK, DEFAULT_LIMIT};

/* Records go to rings while this is set; backend.c runs while it is. */
_Alignas(64) _Atomic bool lt__accepting;
static bool ever_started;

/* The backend takes it every round: away from what producers read. */
static _Alignas(64) pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lt__producer *producers;

LT__HOT_TLS struct lt__producer *lt__self;
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;

/* Counters of producers freed since the start, so that stats stay sums. */
static _Atomic uint64_t freed_enqueued, freed_dropped, freed_blocked_ns;

void lt__producers_lock(void)
{
    pthread_mutex_lock(&registry_lock);
}

void lt__producers_unlock(void)
{
    pthread_mutex_unlock(&registry_lock);
}

struct lt__producer *lt__producers_first(void)
{
    return producers;
}

struct lt__producer **lt__producers_first_link(void)
{
    return &producers;
}

static void free_nodes(struct lt__ring_node *n)
{
    while (n) {
        struct lt__ring_node *next = atomic_load(&n->next);

        lt__ring_release(&n->ring);
        free(n);
        n = next;
    }
}

void lt__producer_free_locked(struct lt__producer **link)
{
    struct lt__producer *p = *link;

    *link = p->next;
    atomic_fetch_add(&freed_enqueued, atomic_load(&p->enqueued));
    atomic_fetch_add(&freed_dropped, atomic_load(&p->dropped));
    atomic_fetch_add(&freed_blocked_ns, atomic_load(&p->blocked_ns));
    free_nodes(p->reading);
    free(p);
}

/* ---- producers ---- */

static void thread_exits(void *p)
{
    atomic_store_explicit(&((struct lt__producer *)p)->orphaned, true, memory_order_release);
    lt__self = NULL;
}

static void make_exit_key(void)
{
    (void)pthread_key_create(&exit_key, thread_exits);
}

/* A zeroed object of a type with cache-line-aligned members (calloc()
 * promises only 16 bytes of alignment). */
static void *zalloc_aligned(size_t size)
{
    void *mem = lt__aligned_alloc(LT__RING_ALIGN, size);

    if (mem)
        memset(mem, 0, size);
    return mem;
}

static struct lt__ring_node *new_node(size_t cap)
{
    struct lt__ring_node *n = zalloc_aligned(sizeof(*n));

    if (n && lt__ring_init(&n->ring, cap) < 0) {
        free(n);
        return NULL;
    }
    if (n)
        atomic_init(&n->next, NULL);
    return n;
}

/* The calling thread's producer, made on its first asynchronous call. */
static struct lt__producer *this_producer(void)
{
    struct lt__producer *p;

    if (lt__self)
        return lt__self;
    pthread_once(&exit_key_once, make_exit_key);
    p = zalloc_aligned(sizeof(*p));
    if (!p || !(p->writing = p->reading = new_node(lt__async_cfg.ring_size))) {
        free(p);
        return NULL;
    }
    p->total_bytes = lt__async_cfg.ring_size;
    p->thread = (unsigned long)pthread_self();
    snprintf(p->thread_name, sizeof(p->thread_name), "%s", lt__thread_name());
    if (pthread_setspecific(exit_key, p) != 0) {
        free_nodes(p->reading);
        free(p);
        return NULL;
    }
    lt__producers_lock();
    p->next = producers;
    producers = p;
    lt__producers_unlock();
    lt__self = p;
    return p;
}

/* ---- the overflow policies ---- */

static uint64_t monotonic_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* grow: a ring twice the size; the consumer moves to it once the old one
 * is empty, so the thread's order holds. */
static void *grow(struct lt__producer *p, size_t size)
{
    size_t cap = p->writing->ring.cap * 2;
    struct lt__ring_node *n;

    if (p->total_bytes + cap > lt__async_cfg.grow_limit || !(n = new_node(cap)))
        return NULL;
    p->total_bytes += cap;
    atomic_store_explicit(&p->writing->next, n, memory_order_release);
    p->writing = n;
    return lt__ring_reserve(&n->ring, size);
}

/* block: wait for the backend, yielding twice, then sleeping 1 us doubling up
 * to 1 ms at a time. Also while async mode stops: whoever stops it drains
 * every ring, so room comes, and the record keeps its place in the thread's
 * order (it goes out with the next lt_flush(), lt_async_start() or
 * lt_shutdown()).
 * It waits for a quarter of the ring, not for just this entry: a producer
 * faster than the backend then blocks once per quarter ring and makes its
 * other calls at full speed, instead of waiting a little on every call. It
 * sleeps rather than spins: with more producers than spare cores, spinning
 * takes the backend's CPU (two producers on two cores were slower than one). */
static void *wait_for_room(struct lt__producer *p, size_t size)
{
    struct lt__ring *r = &p->writing->ring;
    size_t want = size > r->cap / 4 ? size : r->cap / 4;
    uint64_t start = monotonic_ns();
    long pause = 1000;
    void *room;

    for (int spins = 0; lt__ring_room(r) < want || !(room = lt__ring_reserve(r, size));
         spins++) {
        if (spins < 2) {
            sched_yield();
            continue;
        }
        nanosleep(&(struct timespec){0, pause}, NULL);
        pause = pause < 1000000 ? pause * 2 : pause;
    }
    lt__count_alone(&p->blocked_ns, monotonic_ns() - start);
    return room;
}

size_t lt__async_ring_cap(void)
{
    return lt__self->writing->ring.cap;
}

void *lt__async_reserve(size_t size, struct lt__producer **ret)
{
    struct lt__producer *p = lt__self;
    void *room = lt__ring_reserve(&p->writing->ring, size);

    *ret = p;
    if (room)
        return room;
    switch (atomic_load_explicit(&lt__async_cfg.overflow, memory_order_relaxed)) {
    case LT_ASYNC_DROP:
        lt__count_alone(&p->dropped, 1);
        return NULL;
    case LT_ASYNC_GROW:
        if ((room = grow(p, size)) != NULL)
            return room;
        return wait_for_room(p, size);
    default:
        return wait_for_room(p, size);
    }
}

/* ---- the hot path ---- */

/* Whether this call goes to a ring: async mode on for @lg, not the backend
 * (which logs synchronously: waiting for room in its own ring would wait for
 * itself), and a ring to be had. Records this thread left in its ring while
 * async mode was stopping go out before its next synchronous one, to keep
 * the thread's order: drained here, or by a backend started meanwhile. */
static bool goes_async(lt_logger *lg, const lt_callsite *site)
{
    while (!atomic_load_explicit(&lt__accepting, memory_order_relaxed)) {
        if (!lt__self || lt__ring_used(&lt__self->writing->ring) == 0 || lt__drain_all())
            return false;
        sched_yield(); /* a backend is still stopping */
    }
    if (!__atomic_load_n(&LT__BASE(lg)->async_on, __ATOMIC_RELAXED) || lt__on_backend_thread())
        return false;
    if (site && site->nargs > 32)
        return false; /* more than the call macros make */
    lt__backend_ensure(); /* after fork(): the child's own backend, started lazily */
    return this_producer() != NULL;
}

bool lt__async_log(lt_logger *lg, int level, const lt_callsite *site, int errnum,
                   const char *fmt, va_list ap)
{
    struct lt__decoded args;
    lt_field fields[32];
    size_t nfields;
    va_list copy;
    int saved_errno = errno;
    bool ok;

    if (!goes_async(lg, site))
        return false;
    va_copy(copy, ap);
    ok = lt__take_args(site, copy, &args, fields, &nfields);
    va_end(copy);
    errno = saved_errno; /* the call's, for %m: the encoding reads it */
    return ok && lt__async_encode(lg, level, site, errnum, fmt, &args, fields, nfields, NULL, 0);
}

/* lt_log_args_at()'s calls that its short path, lt__async_short(), does
 * not take. */
bool lt__async_log_args(lt_logger *lg, int level, const lt_callsite *site, const char *fmt,
                        const lt_arg *args, int saved_errno)
{
    struct lt__decoded decoded;

    if (!goes_async(lg, site))
        return false;
    lt__args_decode(site, args, &decoded);
    errno = saved_errno; /* the call's, for %m: the encoding reads it */
    return lt__async_encode(lg, level, site, -1, fmt, &decoded, NULL, 0, NULL, 0);
}

bool lt__async_text(lt_logger *lg, int level, const lt_callsite *site, const char *text,
                    size_t len)
{
    return goes_async(lg, site) &&
           lt__async_encode(lg, level, site, -1, NULL, NULL, NULL, 0, text, len);
}

/* ---- switching ---- */

int lt__async_start_locked(const lt_async_options *opts)
{
    static const lt_async_options defaults = {0};
    size_t ring, size = MIN_RING;
    int r;

    if (!opts)
        opts = &defaults;
    ring = opts->ring_size ? opts->ring_size : DEFAULT_RING;
    LT__RETURN_IF(ring < MIN_RING || opts->overflow > LT_ASYNC_GROW, LT_EINVAL);
    if (atomic_load(&lt__accepting))
        return LT_EEXIST;
    /* Rings are powers of two; producers from an earlier run keep theirs. */
    while (size < ring)
        size *= 2;
    lt__async_cfg.ring_size = size;
    lt__async_cfg.overflow = opts->overflow;
    lt__async_cfg.grow_limit = opts->grow_limit ? opts->grow_limit : DEFAULT_LIMIT;
    lt__clock_start();
    r = lt__backend_start();
    if (r == 0) {
        ever_started = true;
        lt__state_lock();
        lt__logger_set_async_default_locked(!opts->per_subtree);
        lt__tree_refresh_locked();
        lt__state_unlock();
        atomic_store(&lt__accepting, true);
        if (opts->crash_handler)
            lt__crash_handler_install();
    }
    return r;
}

int lt_async_start(const lt_async_options *opts)
{
    int r;

    lt__init();
    lt__config_lock();
    r = lt__async_start_locked(opts);
    lt__config_unlock();
    return r;
}

int lt__async_stop_locked(void)
{
    if (lt__on_backend_thread())
        return LT_EDEADLK;
    if (!atomic_load(&lt__accepting))
        return LT_ENOENT;
    atomic_store(&lt__accepting, false);
    (void)lt__backend_stop(NULL); /* drains the rings, then the thread ends */
    /* A call that saw async mode on just before it went off may commit
     * after the backend's last look: deliver those now. */
    lt__drain_all();
    return 0;
}

int lt_async_stop(void)
{
    int r;

    lt__config_lock();
    r = lt__async_stop_locked();
    lt__config_unlock();
    return r;
}

void lt__async_stop_until(const struct timespec *deadline)
{
    if (atomic_exchange(&lt__accepting, false) && !lt__backend_stop(deadline)) {
        lt__report("at exit: the backend thread was still busy after 2 s; "
                   "records still in rings were not written");
        return;
    }
    lt__drain_all(); /* what calls racing with a stop left in the rings */
}

int lt_flush(void)
{
    lt__signal_log_drain();
    if (lt__on_backend_thread())
        return lt__handlers_flush_all();
    /* Async mode may start or stop while this runs: whoever holds the rings
     * (a backend, or this thread) drains them. */
    while (!atomic_load(&lt__accepting)) {
        if (lt__drain_all())
            return lt__handlers_flush_all();
        sched_yield();
    }
    return lt__backend_flush();
}

int lt_logger_set_async(lt_logger *lg, int mode)
{
    LT__RETURN_IF(!lg || mode < LT_ASYNC_INHERIT || mode > LT_ASYNC_OFF, LT_EINVAL);
    lt__state_lock();
    LT__BASE(lg)->async_mode = mode;
    lt__tree_refresh_locked();
    lt__state_unlock();
    return 0;
}

int lt_async_stats_get(lt_async_stats *ret)
{
    lt_async_stats s = {0};

    LT__RETURN_IF(!ret, LT_EINVAL);
    if (!ever_started)
        return LT_ENOENT;
    /* Under the registry lock, which freeing a producer (and moving its
     * counts to the freed_* sums) also takes: nothing is counted twice or
     * missed. */
    lt__producers_lock();
    s.enqueued = atomic_load(&freed_enqueued);
    s.dropped = atomic_load(&freed_dropped);
    s.blocked_ns = atomic_load(&freed_blocked_ns);
    for (struct lt__producer *p = producers; p; p = p->next) {
        s.enqueued += atomic_load(&p->enqueued);
        s.dropped += atomic_load(&p->dropped);
        s.blocked_ns += atomic_load(&p->blocked_ns);
        s.rings++;
        s.ring_bytes += p->total_bytes;
    }
    lt__producers_unlock();
    s.handled = lt__backend_handled();
    *ret = s;
    return 0;
}

/* ---- fork ---- */

void lt__async_atfork_prepare(void)
{
    lt__producers_lock();
}

void lt__async_atfork_parent(void)
{
    lt__producers_unlock();
}

/* The child has one thread and no backend. The rings of the parent's other
 * threads hold records the parent will write: drop them; the forking
 * thread's ring too (the parent writes those as well). Async mode starts
 * again, lazily, on the child's first asynchronous call. */
void lt__async_atfork_child(void)
{
    struct lt__producer *p = producers;

    pthread_mutex_init(&registry_lock, NULL);
    producers = NULL;
    lt__self = NULL;
    if (ever_started)
        pthread_setspecific(exit_key, NULL);
    while (p) {
        struct lt__producer *next = p->next;

        free_nodes(p->reading);
        free(p);
        p = next;
    }
    lt__backend_atfork_child(atomic_load(&lt__accepting));
}
