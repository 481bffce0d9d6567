/* src/backend.c - the backend thread of asynchronous mode: it takes records
 * out of every thread's ring, oldest timestamp first, rebuilds them and sends
 * them up the tree exactly as a synchronous call would.
 *
 * It sleeps when there is nothing to do (from 10 us up to 1 ms at a time, so
 * that producers never need a system call to wake it), and wakes at once for
 * lt_flush() and lt_async_stop(). Orphaned producers (their thread exited)
 * are freed once drained; drops are announced once per streak. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "async.h"
#include "sys.h"

#define BATCH        4096 /* records between looks at flush and stop requests */
#define FIELDS_STACK 32

static pthread_t thread;
static _Atomic bool running;
LT__HOT_TLS bool lt__is_backend;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_cond_t flushed = PTHREAD_COND_INITIALIZER;
static pthread_cond_t ended = PTHREAD_COND_INITIALIZER;
static bool stop_requested;
static bool exited;
static uint64_t flush_requested, flush_done;
static int flush_result;

/* The backend bumps this once a record; on a cache line of its own, or every
 * producer's read of lt__restart_needed would miss. */
static _Alignas(64) _Atomic uint64_t handled;
_Alignas(64) _Atomic bool lt__restart_needed;
static _Atomic int crash_request, crash_done;

static lt_buf message; /* the consumer's: the message of the record at hand */
/* Where message starts (lt__buf_on() when the consumer lock is taken): the
 * usual message needs no allocation, and one that cannot grow for want of
 * memory still goes out with what fits, as in synchronous mode (log.c). */
static char message_mem[512];

/* The rings have one consumer at a time: the backend thread while it runs,
 * else a thread draining them itself (lt__drain_all()). */
static pthread_mutex_t consumer = PTHREAD_MUTEX_INITIALIZER;

uint64_t lt__backend_handled(void)
{
    return atomic_load(&handled);
}

/* ---- one record ---- */

/* The thread's reading ring, moving on to a bigger one it grew into once
 * the old one is empty (checked again after seeing the link, which the
 * producer sets only after its last entry in the old ring). */
static const struct lt__entry *peek(struct lt__producer *p)
{
    for (;;) {
        const struct lt__entry *e = lt__ring_peek(&p->reading->ring);
        struct lt__ring_node *next;

        if (e)
            return e;
        next = atomic_load_explicit(&p->reading->next, memory_order_acquire);
        if (!next || (e = lt__ring_peek(&p->reading->ring)) != NULL)
            return e;
        lt__ring_release(&p->reading->ring);
        free(p->reading);
        p->reading = next;
    }
}

static void rebuild(lt_record *rec, const struct lt__decoded *d, const struct lt__producer *p,
                    lt_field *merged)
{
    size_t n = 0;

    lt__record_init(rec, d->lg, d->level, d->site, lt__clock_to_timespec(d->stamp), p->thread,
                    p->thread_name);
    if (d->errnum >= 0)
        lt__record_set_errno(rec, d->errnum);
    lt_buf_truncate(&message, 0);
    if (d->is_text)
        lt__buf_put(&message, d->format, d->text_len);
    else
        lt__replay_consumer(d, &message, &rec->message_plain);
    rec->msg = d->is_text ? lt_buf_data(&message) : d->format;
    rec->message = lt_buf_data(&message);
    rec->message_len = lt_buf_len(&message);
    /* Context, bound, call site, in that order: a later key wins. Keys of
     * the call site may need the fixing LT_F() promises. */
    n = lt__record_fix_keys(rec, d->fields, d->nfields);
    rec->nfields = 0;
    lt__fields_merge(merged, &rec->nfields, d->fields, n);
    lt__fields_cap(merged, &rec->nfields);
    rec->fields = merged;
}

static void handle(struct lt__producer *p, const struct lt__entry *e)
{
    lt_field small[FIELDS_STACK], *fields = small, *merged;
    size_t n = lt__async_field_count(e);
    struct lt__decoded d;
    lt_record rec;

    if (n > FIELDS_STACK / 2 && !(fields = lt__malloc(2 * n * sizeof(*fields))))
        n = 0; /* no memory: the record goes out without its fields */
    merged = fields + n;
    lt__async_decode(e, &d, fields, n);
    rebuild(&rec, &d, p, merged);
    lt__dispatch(d.lg, &rec);
    lt__record_release(&rec);
    if (fields != small)
        free(fields);
}

/* ---- the merge ---- */

/* The registry's producers, in an array the backend owns for one round
 * (producers are freed only by the backend, so the pointers stay good). */
static struct lt__producer *no_memory_snapshot[64]; /* the consumer's, when malloc fails */

static size_t snapshot(struct lt__producer ***all, size_t *cap)
{
    size_t n = 0;

    lt__producers_lock();
    for (struct lt__producer *p = lt__producers_first(); p; p = p->next) {
        if (n == *cap) {
            size_t more = *cap ? *cap * 2 : 16;
            struct lt__producer **grown = *all == no_memory_snapshot
                                              ? lt__malloc(more * sizeof(**all))
                                              : lt__realloc(*all, more * sizeof(**all));

            if (grown && *all == no_memory_snapshot)
                memcpy(grown, no_memory_snapshot, n * sizeof(**all));
            if (!grown && *all == NULL) {
                /* Without memory the rings are still drained (and their
                 * records written or counted), 64 threads at a time. */
                grown = no_memory_snapshot;
                more = sizeof(no_memory_snapshot) / sizeof(no_memory_snapshot[0]);
            }
            if (!grown)
                break;
            *all = grown;
            *cap = more;
        }
        (*all)[n++] = p;
    }
    lt__producers_unlock();
    return n;
}

static void free_snapshot(struct lt__producer **all)
{
    if (all != no_memory_snapshot)
        free(all);
}

/* Up to @max records, oldest timestamp first across the threads. A scan of
 * every ring finds the oldest entry and the oldest stamp of the others; the
 * thread of the oldest then goes on alone while its entries are no newer
 * than that (one peek per record, not one per thread and record). A record
 * logged meanwhile by another thread is newer than the bound, so the order
 * holds. */
static size_t drain_some(struct lt__producer **all, size_t n, size_t max)
{
    size_t done = 0;

    lt__batch_begin(); /* the file handlers write once per batch, not per record */
    /* The routes once per batch, not twice a record (a record's own
     * lt__dispatch() nests in it): a config change waits for a batch at
     * most, since the lock prefers writers. */
    lt__routes_rdlock();
    lt__replay_new_batch();
    while (done < max) {
        struct lt__producer *best = NULL;
        const struct lt__entry *best_e = NULL;
        uint64_t best_stamp = 0, bound = UINT64_MAX;

        for (size_t i = 0; i < n; i++) {
            const struct lt__entry *e = peek(all[i]);
            uint64_t stamp;

            if (!e)
                continue;
            stamp = lt__async_stamp(e);
            if (!best || stamp < best_stamp) {
                if (best)
                    bound = best_stamp;
                best = all[i];
                best_e = e;
                best_stamp = stamp;
            } else if (stamp < bound) {
                bound = stamp;
            }
        }
        if (!best)
            break;
        do {
            handle(best, best_e);
            lt__async_entry_done(best_e);
            lt__ring_pop(&best->reading->ring, best_e);
            done++;
        } while (done < max && (best_e = peek(best)) != NULL && lt__async_stamp(best_e) <= bound);
    }
    lt__routes_rdunlock();
    lt__batch_end();
    atomic_fetch_add_explicit(&handled, done, memory_order_relaxed);
    return done;
}

/* "N records dropped on thread T", once per streak of drops. */
static void announce_drops(struct lt__producer **all, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t dropped = atomic_load_explicit(&all[i]->dropped, memory_order_relaxed);

        if (dropped > all[i]->dropped_told) {
            LT_WARNING(lt_get_logger("logtree"), "%llu records dropped on thread %s: ring full",
                       (unsigned long long)(dropped - all[i]->dropped_told),
                       all[i]->thread_name);
            all[i]->dropped_told = dropped;
        }
    }
}

static void free_orphans(void)
{
    lt__producers_lock();
    for (struct lt__producer **link = lt__producers_first_link(); *link;) {
        struct lt__producer *p = *link;

        if (atomic_load_explicit(&p->orphaned, memory_order_acquire) && !peek(p) &&
            !atomic_load_explicit(&p->reading->next, memory_order_acquire))
            lt__producer_free_locked(link);
        else
            link = &p->next;
    }
    lt__producers_unlock();
}

/* Everything the rings hold now, and what arrives while draining. */
static void drain_everything(struct lt__producer ***all, size_t *cap)
{
    size_t n = snapshot(all, cap);

    while (drain_some(*all, n, BATCH) > 0)
        n = snapshot(all, cap);
    announce_drops(*all, n);
}

/* ---- the thread ---- */

static void answer_flush(struct lt__producer ***all, size_t *cap)
{
    uint64_t target;
    int r;

    pthread_mutex_lock(&lock);
    target = flush_requested;
    pthread_mutex_unlock(&lock);
    /* A record logged before lt_flush() is in a ring by then: all of them
     * are drained below, along with any logged since. */
    drain_everything(all, cap);
    r = lt__handlers_flush_all();
    pthread_mutex_lock(&lock);
    flush_done = target;
    flush_result = r;
    pthread_cond_broadcast(&flushed);
    pthread_mutex_unlock(&lock);
}

static void sleep_a_little(long *pause_ns)
{
    struct timespec until;

    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += *pause_ns;
    until.tv_sec += until.tv_nsec / 1000000000;
    until.tv_nsec %= 1000000000;
    pthread_mutex_lock(&lock);
    if (!stop_requested && flush_requested == flush_done)
        pthread_cond_timedwait(&wake, &lock, &until);
    pthread_mutex_unlock(&lock);
    *pause_ns = *pause_ns < 1000000 ? *pause_ns * 2 : 1000000;
}

static bool wanted(bool *stop)
{
    bool flush;

    pthread_mutex_lock(&lock);
    *stop = stop_requested;
    flush = flush_requested != flush_done;
    pthread_mutex_unlock(&lock);
    return flush;
}

static void *backend_main(void *arg)
{
    struct lt__producer **all = NULL;
    size_t cap = 0;
    long pause = 10000;
    time_t resynced = time(NULL);
    bool stop = false;

    (void)arg;
    pthread_mutex_lock(&consumer);
    lt__buf_on(&message, message_mem, sizeof(message_mem));
    lt__is_backend = true;
    while (!stop) {
        size_t n = snapshot(&all, &cap), done = drain_some(all, n, BATCH);

        if (wanted(&stop) || atomic_load(&crash_request) > atomic_load(&crash_done))
            answer_flush(&all, &cap), atomic_store(&crash_done, atomic_load(&crash_request));
        if (done == 0) {
            announce_drops(all, n);
            free_orphans();
            if (time(NULL) != resynced) {
                lt__clock_resync();
                resynced = time(NULL);
            }
            if (!stop)
                sleep_a_little(&pause);
        } else {
            pause = 10000;
        }
    }
    drain_everything(&all, &cap);
    (void)lt__handlers_flush_all();
    free_snapshot(all);
    lt__buf_release(&message);
    lt__replay_forget();
    pthread_mutex_unlock(&consumer);
    pthread_mutex_lock(&lock);
    exited = true;
    pthread_cond_broadcast(&ended);
    pthread_cond_broadcast(&flushed);
    pthread_mutex_unlock(&lock);
    return NULL;
}

int lt__backend_start(void)
{
    int r;

    stop_requested = false;
    exited = false;
    r = pthread_create(&thread, NULL, backend_main, NULL);
    running = r == 0;
    return r == 0 ? 0 : -r;
}

/* Stop and join; false if the thread had not ended at @deadline (NULL:
 * wait), when it is left to end (or not) on its own. */
bool lt__backend_stop(const struct timespec *deadline)
{
    bool ended_in_time = true;

    if (!running)
        return true;
    pthread_mutex_lock(&lock);
    stop_requested = true;
    pthread_cond_signal(&wake);
    while (!exited && ended_in_time)
        ended_in_time = deadline ? pthread_cond_timedwait(&ended, &lock, deadline) == 0
                                 : pthread_cond_wait(&ended, &lock) == 0;
    ended_in_time = exited;
    pthread_mutex_unlock(&lock);
    if (ended_in_time)
        pthread_join(thread, NULL);
    else
        pthread_detach(thread);
    running = false;
    return ended_in_time;
}

int lt__backend_flush(void)
{
    uint64_t ticket;
    int r;

    lt__backend_ensure();
    pthread_mutex_lock(&lock);
    ticket = ++flush_requested;
    pthread_cond_signal(&wake);
    while (flush_done < ticket && !exited)
        pthread_cond_wait(&flushed, &lock);
    r = flush_result;
    pthread_mutex_unlock(&lock);
    return r;
}

/* Without a backend (stopped, or never started in this process): the calling
 * thread drains the rings itself, once another drainer let go. A backend
 * holds the rings for its whole life, so waiting for it could be forever
 * (another thread may start one meanwhile): it drains them itself. */
bool lt__drain_all(void)
{
    struct lt__producer **all = NULL;
    size_t cap = 0;

    if (lt__is_backend)
        return true;
    while (pthread_mutex_trylock(&consumer) != 0) {
        if (atomic_load(&running))
            return false;
        nanosleep(&(struct timespec){0, 50000}, NULL);
    }
    lt__is_backend = true; /* records logged while draining go the synchronous way */
    lt__buf_on(&message, message_mem, sizeof(message_mem));
    drain_everything(&all, &cap);
    free_orphans();
    lt__buf_release(&message);
    lt__replay_forget();
    lt__is_backend = false;
    pthread_mutex_unlock(&consumer);
    free_snapshot(all);
    return true;
}

/* ---- fork and crash ---- */

void lt__backend_atfork_child(bool async_on)
{
    pthread_mutex_init(&consumer, NULL);
    pthread_mutex_init(&lock, NULL);
    pthread_cond_init(&wake, NULL);
    pthread_cond_init(&flushed, NULL);
    running = false;
    flush_requested = flush_done = 0;
    atomic_store(&lt__restart_needed, async_on);
}

void lt__backend_ensure(void)
{
    bool expected = true;

    if (atomic_load_explicit(&lt__restart_needed, memory_order_relaxed) &&
        atomic_compare_exchange_strong(&lt__restart_needed, &expected, false))
        (void)lt__backend_start();
}

/* Async-signal-safe: atomics and nanosleep only. The backend (another
 * thread) drains and flushes; this thread waits at most @ms for it. */
void lt__backend_drain_from_signal(int ms)
{
    int ticket = atomic_fetch_add(&crash_request, 1) + 1;

    if (lt__is_backend || !running)
        return;
    for (int waited = 0; waited < ms && atomic_load(&crash_done) < ticket; waited++)
        nanosleep(&(struct timespec){0, 1000000}, NULL);
}

static void on_crash(int sig)
{
    lt__backend_drain_from_signal(2000);
    /* SA_RESETHAND restored the default action: the signal again ends the
     * process as it would have without us (a fault also re-faults on
     * return; a signal sent by kill() would not). */
    raise(sig);
}

void lt__crash_handler_install(void)
{
    static const int signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_crash;
    sa.sa_flags = (int)(SA_RESETHAND | SA_NODEFER);
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++)
        sigaction(signals[i], &sa, NULL);
}
