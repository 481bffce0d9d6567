/* src/lifecycle.c - the end of logging (lt_shutdown) and the lock that keeps
 * configuration calls from overlapping. */
#include <stdlib.h>
#include <string.h>

#include "../handlers/flush_timer.h"
#include "config_state.h"
#include "internal.h"
#include "sys.h"

static pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;

void lt__config_lock(void)
{
    pthread_mutex_lock(&config_lock);
}

void lt__config_unlock(void)
{
    pthread_mutex_unlock(&config_lock);
}

void lt__config_atfork_child(void)
{
    pthread_mutex_init(&config_lock, NULL);
}

void lt__detached_keep(lt_handler *h, void *ud)
{
    struct lt__detached *d = ud;

    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        lt_handler **items = lt__realloc(d->items, cap * sizeof(*items));

        if (!items) {
            /* Out of memory: drop it now, under the tree lock. Closing it
             * there is safe, only slower for threads waiting to log. */
            lt_handler_close(h);
            lt_handler_unref(h);
            return;
        }
        d->items = items;
        d->cap = cap;
    }
    d->items[d->n++] = h;
}

/* The handlers a configuration let go of are closed, as Python's
 * _clearExistingHandlers() closes them, even if the program holds one. */
void lt__detached_close(struct lt__detached *d, const struct timespec *deadline)
{
    for (size_t i = 0; i < d->n; i++)
        if (lt__handler_close_until(d->items[i], deadline))
            lt_handler_unref(d->items[i]);
    free(d->items);
    memset(d, 0, sizeof(*d));
}

/* NULL @deadline: wait for every lock. */
static void shutdown_until(const struct timespec *deadline, bool exiting)
{
    struct lt__detached d = {0};

    /* No reload from now on. */
    lt__watch_stop_for_shutdown();
    /* First the rings: their records go to the handlers about to close. */
    lt__async_stop_until(deadline);
    if (deadline ? pthread_mutex_timedlock(&config_lock, deadline) != 0
                 : pthread_mutex_lock(&config_lock) != 0)
        goto busy;
    /* Detach first: records logged from now on go to the last resort
     * instead of into handlers that are being closed. */
    if (lt__routes_wrlock(deadline) < 0) {
        pthread_mutex_unlock(&config_lock);
        goto busy;
    }
    lt__state_lock();
    lt__tree_detach_all_handlers_locked(lt__detached_keep, &d);
    lt__state_unlock();
    lt__routes_wrunlock();
    lt__handlers_shutdown(deadline);
    lt__detached_close(&d, deadline);
    pthread_mutex_unlock(&config_lock);
    /* Last: the handlers are closed, nothing waits for the flush timer. */
    lt__flush_timer_stop(deadline, exiting);
    return;
busy:
    lt__report("at exit: logging was still busy after 2 s; handlers were not flushed");
    lt__flush_timer_stop(deadline, exiting);
}

void lt_shutdown(void)
{
    lt__signal_log_drain();
    shutdown_until(NULL, false);
}

void lt__shutdown_at_exit(void)
{
    struct timespec deadline;

    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 2;
    shutdown_until(&deadline, true);
}
