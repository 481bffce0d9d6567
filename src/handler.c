/* src/handler.c - what every handler shares: its lock, level, filters and
 * formatter, the path of a record through them into the kind's emit, the
 * reporting of failures, and the registry lt_shutdown() closes. */
#include <poll.h>
#include <signal.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "sys.h"

/* A scratch buffer that grew past this for one huge record is given back. */
#define SCRATCH_KEEP 65536

/* How deep handlers may hand records to other handlers on one thread. */
#define MAX_NESTING 8

struct lt_handler {
    atomic_uint refs;
    int level; /* read without the lock, through __atomic builtins */
    int escape; /* an lt_escape, NONE or CONTROLS; as level */
    const lt_handler_type *type;
    pthread_mutex_t lock;
    /* Under lock: */
    lt_formatter *formatter;
    struct lt__filters filters;
    char *name;
    bool closed;
    bool failing;
    bool reported;          /* lt_handler_report() ran during the current emit */
    lt_handler_stats final; /* the kind's own counts, kept at close */
    lt_buf scratch;
    /* Read anywhere: */
    _Atomic uint64_t errors;   /* records lost */
    _Atomic uint64_t records;  /* records the kind took */
    _Atomic uint64_t failures;  /* failed emits and formats, kinds' reports */
    _Atomic uint64_t truncated; /* records cut to LT_MAX_RECORD_BYTES */
    /* Under registry_lock: */
    lt_handler *older;
    lt_handler *newer;
    void *state;
};

/* Every live handler, oldest first, so that shutdown closes newest first. */
static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static lt_handler *oldest, *newest;

static _Atomic uint64_t lost_records;

/* The handlers this thread is inside of, to refuse a record that would loop
 * back into one of them (a filter or emit that logs). */
static _Thread_local lt_handler *active[MAX_NESTING];
static _Thread_local int nactive;

static size_t state_offset(void)
{
    size_t a = alignof(max_align_t);

    return (sizeof(lt_handler) + a - 1) / a * a;
}

static void registry_add(lt_handler *h)
{
    pthread_mutex_lock(&registry_lock);
    h->older = newest;
    if (newest)
        newest->newer = h;
    else
        oldest = h;
    newest = h;
    pthread_mutex_unlock(&registry_lock);
}

static void registry_remove(lt_handler *h)
{
    pthread_mutex_lock(&registry_lock);
    if (h->older)
        h->older->newer = h->newer;
    else
        oldest = h->newer;
    if (h->newer)
        h->newer->older = h->older;
    else
        newest = h->older;
    pthread_mutex_unlock(&registry_lock);
}

int lt_handler_new(lt_handler **ret, const lt_handler_type *type, const void *arg)
{
    lt_handler *h;
    int r;

    LT__RETURN_IF(!ret || !type, LT_EINVAL);
    LT__RETURN_IF(type->version < 1 || type->version > LT_HANDLER_TYPE_VERSION, LT_EINVAL);
    lt__init();
    h = lt__calloc(1, state_offset() + type->state_size);
    if (!h)
        return LT_ENOMEM;
    h->type = type;
    h->state = (char *)h + state_offset();
    atomic_init(&h->refs, 1);
    atomic_init(&h->errors, 0);
    atomic_init(&h->records, 0);
    atomic_init(&h->failures, 0);
    if (type->open && (r = type->open(h->state, arg)) < 0) {
        free(h);
        return r;
    }
    h->escape = (type->flags & LT_HANDLER_ESCAPE) ? LT_ESCAPE_CONTROLS : LT_ESCAPE_NONE;
    pthread_mutex_init(&h->lock, NULL);
    registry_add(h);
    *ret = h;
    return 0;
}

lt_handler *lt_handler_ref(lt_handler *h)
{
    if (h)
        atomic_fetch_add_explicit(&h->refs, 1, memory_order_relaxed);
    return h;
}

/* A reference for shutdown, unless the handler is already on its way out. */
static bool ref_if_alive(lt_handler *h)
{
    unsigned n = atomic_load_explicit(&h->refs, memory_order_relaxed);

    while (n > 0)
        if (atomic_compare_exchange_weak(&h->refs, &n, n + 1))
            return true;
    return false;
}

/* Returns what the flush returned. */
static int close_locked(lt_handler *h, bool flush_first)
{
    int r = 0;

    if (h->closed)
        return 0;
    if (flush_first && h->type->flush)
        r = h->type->flush(h->state);
    /* The kind's counts die with its state: keep them for lt_handler_get_stats(). */
    if (h->type->control)
        (void)h->type->control(h->state, LT_HANDLER_CTL_STATS, &h->final);
    if (h->type->close)
        h->type->close(h->state);
    h->closed = true;
    return r;
}

lt_handler *lt_handler_unref(lt_handler *h)
{
    if (!h || atomic_fetch_sub_explicit(&h->refs, 1, memory_order_acq_rel) != 1)
        return NULL;
    registry_remove(h);
    pthread_mutex_lock(&h->lock);
    (void)close_locked(h, true);
    pthread_mutex_unlock(&h->lock);
    pthread_mutex_destroy(&h->lock);
    lt_formatter_unref(h->formatter);
    lt__filters_clear(&h->filters);
    lt__buf_release(&h->scratch);
    free(h->name);
    free(h);
    return NULL;
}

void lt_handler_set_level(lt_handler *h, int level)
{
    if (h)
        __atomic_store_n(&h->level, level, __ATOMIC_RELAXED);
}

int lt_handler_level(const lt_handler *h)
{
    return __atomic_load_n(&h->level, __ATOMIC_RELAXED);
}

int lt_handler_set_formatter(lt_handler *h, lt_formatter *f)
{
    lt_formatter *old;

    LT__RETURN_IF(!h, LT_EINVAL);
    lt_formatter_ref(f);
    pthread_mutex_lock(&h->lock);
    old = h->formatter;
    h->formatter = f;
    pthread_mutex_unlock(&h->lock);
    lt_formatter_unref(old);
    return 0;
}

int lt_handler_set_escape(lt_handler *h, lt_escape e)
{
    LT__RETURN_IF(!h, LT_EINVAL);
    LT__RETURN_IF(e != LT_ESCAPE_DEFAULT && e != LT_ESCAPE_NONE && e != LT_ESCAPE_CONTROLS,
                  LT_EINVAL);
    if (e == LT_ESCAPE_DEFAULT)
        e = (h->type->flags & LT_HANDLER_ESCAPE) ? LT_ESCAPE_CONTROLS : LT_ESCAPE_NONE;
    __atomic_store_n(&h->escape, (int)e, __ATOMIC_RELAXED);
    return 0;
}

lt_escape lt_handler_escape(const lt_handler *h)
{
    return h ? (lt_escape)__atomic_load_n(&h->escape, __ATOMIC_RELAXED) : LT_ESCAPE_NONE;
}

int lt_handler_add_filter(lt_handler *h, lt_filter *f)
{
    int r;

    LT__RETURN_IF(!h || !f, LT_EINVAL);
    pthread_mutex_lock(&h->lock);
    r = lt__filters_add(&h->filters, f);
    pthread_mutex_unlock(&h->lock);
    return r;
}

int lt_handler_remove_filter(lt_handler *h, lt_filter *f)
{
    int r;

    LT__RETURN_IF(!h || !f, LT_EINVAL);
    pthread_mutex_lock(&h->lock);
    r = lt__filters_take(&h->filters, f);
    pthread_mutex_unlock(&h->lock);
    /* Its last reference may run the program's free_userdata, which may log. */
    if (r == 0)
        lt_filter_unref(f);
    return r;
}

int lt_handler_set_name(lt_handler *h, const char *name)
{
    char *copy = NULL, *old;

    LT__RETURN_IF(!h, LT_EINVAL);
    if (name && !(copy = lt__strdup(name)))
        return LT_ENOMEM;
    pthread_mutex_lock(&h->lock);
    old = h->name;
    h->name = copy;
    pthread_mutex_unlock(&h->lock);
    free(old);
    return 0;
}

const char *lt_handler_name(const lt_handler *h)
{
    return h->name ? h->name : h->type->name;
}

uint64_t lt_handler_error_count(const lt_handler *h)
{
    return atomic_load_explicit(&h->errors, memory_order_relaxed);
}

/* A failure is said once per streak: a disk that stays full must not turn
 * every record into a line on stderr. */
static void count_loss(lt_handler *h)
{
    atomic_fetch_add_explicit(&h->errors, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&lost_records, 1, memory_order_relaxed);
}

uint64_t lt_error_count(void)
{
    return atomic_load_explicit(&lost_records, memory_order_relaxed);
}

/* "file, /var/log/app.log": the kind, and what the kind says it writes to
 * (LT_HANDLER_CTL_DESCRIBE), so that a report names the file. Under the lock. */
static void describe(lt_handler *h, char *out, size_t size)
{
    lt_buf what = {0};

    if (!h->closed && h->type->control &&
        h->type->control(h->state, LT_HANDLER_CTL_DESCRIBE, &what) == 0 && what.len > 0 &&
        !what.err)
        snprintf(out, size, "%s, %s", h->type->name, what.data);
    else
        snprintf(out, size, "%s", h->type->name);
    lt__buf_release(&what);
}

/* The first failure of a streak is said, with @consequence; the rest are
 * only counted. Under the lock. */
static void report_failure(lt_handler *h, const char *what, int code, const char *consequence)
{
    char kind[512];

    atomic_fetch_add_explicit(&h->failures, 1, memory_order_relaxed);
    if (h->failing)
        return;
    h->failing = true;
    describe(h, kind, sizeof(kind));
    lt__report("handler '%s' (%s): %s: %s; %s", lt_handler_name(h), kind, what, lt_strerror(code),
               consequence);
}

static void note_failure(lt_handler *h, const char *what, int code)
{
    count_loss(h);
    report_failure(h, what, code, "records are dropped and counted until it works again");
}

static void note_success(lt_handler *h)
{
    char kind[512];

    if (!h->failing)
        return;
    h->failing = false;
    describe(h, kind, sizeof(kind));
    lt__report("handler '%s' (%s) works again; %llu records lost so far", lt_handler_name(h), kind,
               (unsigned long long)lt_handler_error_count(h));
}

/* The core places each kind's state at a fixed offset after the handler. */
static lt_handler *handler_of(void *state)
{
    return (lt_handler *)(void *)((char *)state - state_offset());
}

/* ---- batches: the async backend's writes, gathered ----
 *
 * Between lt__batch_begin() and lt__batch_end() on one thread, kinds that
 * can hold records (the file kinds) may keep them in memory instead of one
 * write(2) each: lt_handler_batch_hold() notes the handler, and the end writes out
 * what each one held, under its lock. A batch is a few thousand records of
 * the backend's; nothing waits longer than the batch. */
struct held_by {
    lt_handler *h;
    void (*write_out)(void *arg);
    void *arg;
};
static _Thread_local struct {
    bool open;
    size_t n, cap;
    struct held_by *list;
} batch;

void lt__batch_begin(void)
{
    batch.open = true;
}

bool lt_handler_batch_hold(void *state, void (*write_out)(void *arg), void *arg)
{
    lt_handler *h;

    if (!batch.open || !state)
        return false;
    h = handler_of(state);
    for (size_t i = 0; i < batch.n; i++)
        if (batch.list[i].h == h)
            return true;
    if (batch.n == batch.cap) {
        size_t cap = batch.cap ? batch.cap * 2 : 8;
        struct held_by *more = lt__realloc(batch.list, cap * sizeof(*more));

        if (!more)
            return false; /* written at once, as outside a batch */
        batch.list = more;
        batch.cap = cap;
    }
    batch.list[batch.n++] = (struct held_by){lt_handler_ref(h), write_out, arg};
    return true;
}

void lt__batch_end(void)
{
    batch.open = false;
    for (size_t i = 0; i < batch.n; i++) {
        lt_handler *h = batch.list[i].h;

        pthread_mutex_lock(&h->lock);
        if (!h->closed) /* closing wrote out what it held */
            batch.list[i].write_out(batch.list[i].arg);
        pthread_mutex_unlock(&h->lock);
        lt_handler_unref(h);
    }
    batch.n = 0;
    free(batch.list);
    batch.list = NULL;
    batch.cap = 0;
}

void lt_handler_report(void *state, int code, uint64_t lost, const char *what)
{
    lt_handler *h;

    if (!state)
        return;
    h = handler_of(state);
    if (code >= 0) {
        note_success(h);
        return;
    }
    h->reported = true;
    if (lost > 0) {
        atomic_fetch_add_explicit(&h->errors, lost, memory_order_relaxed);
        atomic_fetch_add_explicit(&lost_records, lost, memory_order_relaxed);
    }
    report_failure(h, what ? what : "failure", code,
                   lost > 0 ? "records are dropped and counted until it works again"
                            : "no record lost; said once until it works again");
}

int lt_handler_get_stats(lt_handler *h, lt_handler_stats *ret)
{
    lt_handler_stats st;

    LT__RETURN_IF(!h || !ret, LT_EINVAL);
    pthread_mutex_lock(&h->lock);
    st.records = atomic_load_explicit(&h->records, memory_order_relaxed);
    st.bytes = 0;
    st.errors = atomic_load_explicit(&h->failures, memory_order_relaxed);
    st.dropped = atomic_load_explicit(&h->errors, memory_order_relaxed);
    st.truncated = atomic_load_explicit(&h->truncated, memory_order_relaxed);
    if (h->closed)
        st.bytes += h->final.bytes;
    else if (h->type->control)
        (void)h->type->control(h->state, LT_HANDLER_CTL_STATS, &st);
    pthread_mutex_unlock(&h->lock);
    *ret = st;
    return 0;
}

static bool enter(lt_handler *h)
{
    for (int i = 0; i < nactive; i++)
        if (active[i] == h)
            return false;
    if (nactive == MAX_NESTING)
        return false;
    active[nactive++] = h;
    return true;
}

static void leave(void)
{
    nactive--;
}

static size_t decimal_digits(size_t n)
{
    size_t d = 1;

    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

/* A record longer than LT_MAX_RECORD_BYTES keeps its head, cut before a
 * UTF-8 sequence, and says how much it lost (handler.h). N's digits are
 * first guessed from the whole length, then from N itself until they agree;
 * the step back to a sequence's start adds at most as many digits as bytes. */
static void cut_record(lt_handler *h, lt_buf *msg)
{
    static const char head[] = "...[truncated ", tail[] = " bytes]";
    const unsigned char *data = (const unsigned char *)lt_buf_data(msg);
    size_t len = lt_buf_len(msg), digits = decimal_digits(len), keep, now;

    for (;;) {
        keep = LT_MAX_RECORD_BYTES - (sizeof(head) - 1 + digits + sizeof(tail) - 1);
        while (keep > 0 && (data[keep] & 0xC0) == 0x80)
            keep--;
        if ((now = decimal_digits(len - keep)) >= digits)
            break;
        digits = now;
    }
    lt_buf_truncate(msg, keep);
    lt_buf_printf(msg, "%s%zu%s", head, len - keep, tail);
    atomic_fetch_add_explicit(&h->truncated, 1, memory_order_relaxed);
}

/* Filters, format, emit: Handler.handle() and emit() in one, under the lock. */
static int handle_locked(lt_handler *h, lt_record *rec)
{
    lt_buf *msg = NULL;
    int r;

    if (h->closed) {
        note_failure(h, "record after close", LT_ECLOSED);
        return LT_ECLOSED;
    }
    if (!lt__filters_pass(&h->filters, rec))
        return 0;
    if (!(h->type->flags & LT_HANDLER_RAW)) {
        msg = &h->scratch;
        lt_buf_truncate(msg, 0);
        lt_buf_set_escape(msg, lt_handler_escape(h));
        r = lt_formatter_format(h->formatter ? h->formatter : lt__default_formatter(), rec, msg);
        if (r < 0 || (r = lt_buf_error(msg)) < 0) {
            note_failure(h, "format", r);
            return r;
        }
        if (lt_buf_len(msg) > LT_MAX_RECORD_BYTES)
            cut_record(h, msg);
    }
    h->reported = false;
    r = h->type->emit ? h->type->emit(h->state, rec, msg) : 0;
    if (msg && msg->cap > SCRATCH_KEEP)
        lt__buf_release(msg);
    if (r < 0) {
        note_failure(h, "emit", r);
        return r;
    }
    lt__count_alone(&h->records, 1); /* under h->lock */
    /* A pending record, or one the kind reported a problem with, says
     * nothing yet about whether the handler works again. */
    if (r != LT_EMIT_PENDING && !h->reported)
        note_success(h);
    return 1;
}

int lt__handler_handle(lt_handler *h, lt_record *rec)
{
    int r;

    if (!enter(h)) {
        /* Logging from inside this handler would loop: count it. */
        count_loss(h);
        return LT_EAGAIN;
    }
    pthread_mutex_lock(&h->lock);
    r = handle_locked(h, rec);
    pthread_mutex_unlock(&h->lock);
    leave();
    return r;
}

int lt_handler_handle(lt_handler *h, lt_record *rec)
{
    LT__RETURN_IF(!h || !rec, LT_EINVAL);
    return lt__handler_handle(h, rec);
}

int lt_handler_flush(lt_handler *h)
{
    int r = 0;

    LT__RETURN_IF(!h, LT_EINVAL);
    pthread_mutex_lock(&h->lock);
    if (!h->closed && h->type->flush)
        r = h->type->flush(h->state);
    pthread_mutex_unlock(&h->lock);
    return r;
}

int lt_handler_close(lt_handler *h)
{
    int r;

    LT__RETURN_IF(!h, LT_EINVAL);
    pthread_mutex_lock(&h->lock);
    r = close_locked(h, true);
    pthread_mutex_unlock(&h->lock);
    return r;
}

/* Shutdown has flushed every handler already. */
static void close_flushed(lt_handler *h)
{
    pthread_mutex_lock(&h->lock);
    (void)close_locked(h, false);
    pthread_mutex_unlock(&h->lock);
}

static bool lock_until(lt_handler *h, const struct timespec *deadline);

bool lt__handler_close_until(lt_handler *h, const struct timespec *deadline)
{
    if (!lock_until(h, deadline))
        return false;
    (void)close_locked(h, true);
    pthread_mutex_unlock(&h->lock);
    return true;
}

void lt__handler_describe(lt_handler *h, struct lt__handler_view *v)
{
    pthread_mutex_lock(&h->lock);
    v->kind = h->type->name;
    v->named = h->name != NULL;
    v->level = h->level;
    v->formatter = h->formatter ? lt_formatter_ref(h->formatter) : NULL;
    for (size_t i = 0; v->filters && i < h->filters.n; i++) {
        lt__filter_describe(h->filters.items[i], v->filters);
        lt_buf_putc(v->filters, '\n');
    }
    pthread_mutex_unlock(&h->lock);
}

int lt_handler_control(lt_handler *h, int op, void *arg)
{
    int r = LT_ENOTSUP;

    LT__RETURN_IF(!h, LT_EINVAL);
    pthread_mutex_lock(&h->lock);
    if (h->closed)
        r = LT_ECLOSED;
    else if (h->type->control)
        r = h->type->control(h->state, op, arg);
    pthread_mutex_unlock(&h->lock);
    return r;
}

bool lt__wait_writable(int fd)
{
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    int r;

    while ((r = poll(&p, 1, LT__WRITABLE_WAIT_MS)) < 0 && errno == EINTR)
        ;
    return r > 0;
}

/* A write to a pipe or socket whose reader is gone raises SIGPIPE, whose
 * default action ends the program: the library's writes must never do that
 * to its host (issue 9). The signal is blocked in this thread for the
 * write; one it raised is taken back out (sigtimedwait) unless it was
 * already pending before, so the host's own handling is untouched. */
void lt__sigpipe_block(struct lt__sigpipe *g)
{
    sigset_t pipe_only, pending;

    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    sigpending(&pending);
    g->was_pending = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &pipe_only, &g->old);
}

void lt__sigpipe_unblock(struct lt__sigpipe *g, bool epipe)
{
    if (epipe && !g->was_pending) {
        sigset_t pipe_only;
        struct timespec none = {0, 0};

        sigemptyset(&pipe_only);
        sigaddset(&pipe_only, SIGPIPE);
        while (sigtimedwait(&pipe_only, NULL, &none) < 0 && errno == EINTR)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = lt__sys_write(fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && lt__wait_writable(fd))
            continue;
        if (n < 0)
            return -errno;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int lt_write_all(int fd, const void *buf, size_t len)
{
    struct lt__sigpipe g;
    int r;

    lt__sigpipe_block(&g);
    r = write_all(fd, buf, len);
    lt__sigpipe_unblock(&g, r == -EPIPE);
    return r;
}

/* ---- shutdown and fork ---- */

/* The live handlers, newest first, each with a reference the caller drops. */
static lt_handler **collect_newest_first(size_t *count)
{
    lt_handler **all = NULL;
    size_t n = 0, cap = 0;

    pthread_mutex_lock(&registry_lock);
    for (lt_handler *h = newest; h; h = h->older) {
        if (n == cap) {
            lt_handler **more = lt__realloc(all, (cap = cap ? cap * 2 : 16) * sizeof(*all));

            if (!more)
                break; /* the rest are closed by their last unref */
            all = more;
        }
        if (ref_if_alive(h))
            all[n++] = h;
    }
    pthread_mutex_unlock(&registry_lock);
    *count = n;
    return all;
}

int lt__handlers_flush_all(void)
{
    size_t n;
    lt_handler **all = collect_newest_first(&n);
    int first = 0;

    for (size_t i = 0; i < n; i++) {
        int r = lt_handler_flush(all[i]);

        if (r < 0 && first == 0)
            first = r;
        lt_handler_unref(all[i]);
    }
    free(all);
    return first;
}

static bool inside(const lt_handler *h)
{
    for (int i = 0; i < nactive; i++)
        if (active[i] == h)
            return true;
    return false;
}

int lt_handlers_control(int op, void *arg)
{
    size_t n;
    lt_handler **all = collect_newest_first(&n);
    int done = 0;

    for (size_t i = 0; i < n; i++) {
        /* Its lock is held by this very thread: skip it rather than hang. */
        if (!inside(all[i]) && lt_handler_control(all[i], op, arg) >= 0)
            done++;
        lt_handler_unref(all[i]);
    }
    free(all);
    return done;
}

/* Lock @h, or give up at @deadline (NULL: wait as long as it takes). */
static bool lock_until(lt_handler *h, const struct timespec *deadline)
{
    if (!deadline) {
        pthread_mutex_lock(&h->lock);
        return true;
    }
    return pthread_mutex_timedlock(&h->lock, deadline) == 0;
}

/* Flush everything before closing anything: a MemoryHandler flushed late
 * must still find its target open (Python reopens a closed FileHandler for
 * it; not closing first is the simpler way to the same bytes). A handler
 * still locked at @deadline (stuck in a write to a dead peer) is left alone,
 * reference and all: the process is on its way out. */
void lt__handlers_shutdown(const struct timespec *deadline)
{
    size_t n, stuck = 0;
    lt_handler **all = collect_newest_first(&n);

    for (size_t i = 0; i < n; i++) {
        if (!lock_until(all[i], deadline)) {
            all[i] = NULL;
            stuck++;
            continue;
        }
        if (!all[i]->closed && all[i]->type->flush)
            (void)all[i]->type->flush(all[i]->state);
        pthread_mutex_unlock(&all[i]->lock);
    }
    for (size_t i = 0; i < n; i++)
        if (all[i])
            close_flushed(all[i]);
    for (size_t i = 0; i < n; i++)
        lt_handler_unref(all[i]);
    free(all);
    if (stuck)
        lt__report("at exit: %zu handler(s) still busy after 2 s were not flushed", stuck);
}

void lt__handlers_atfork_prepare(void)
{
    pthread_mutex_lock(&registry_lock);
}

void lt__handlers_atfork_parent(void)
{
    pthread_mutex_unlock(&registry_lock);
}

/* The tree was write-locked across fork(), so no record was being emitted;
 * a thread calling a handler directly may have held its lock, and that
 * thread does not exist in the child: start every lock afresh, as Python's
 * handlers do (_at_fork_reinit). */
void lt__handlers_atfork_child(void)
{
    pthread_mutex_init(&registry_lock, NULL);
    for (lt_handler *h = oldest; h; h = h->newer) {
        pthread_mutex_init(&h->lock, NULL);
        if (!h->closed && h->type->control)
            (void)h->type->control(h->state, LT_HANDLER_CTL_AFTER_FORK, NULL);
    }
}
