/* handlers/flush_timer.c - the thread behind lt_file_options.flush_ms.
 *
 * A file handler that holds records (a flush policy) must write them within
 * flush_ms even when no record, flush or close comes along. One thread
 * serves every handler of the process. It is started by the first record
 * held with a time limit (lt__flush_timer_wake()), sleeps until the earliest
 * deadline it was told of, then asks every handler, through
 * lt_handlers_control(LT_HANDLER_CTL_FLUSH_DUE), to write what waited long
 * enough; each answers with its next deadline. Kinds that hold nothing
 * answer LT_ENOTSUP.
 *
 * Locks: a handler's lock, then timer_lock (a kind calls wake under its
 * lock). The thread never holds timer_lock while it is in a handler, so the
 * order is never reversed. lt_shutdown() and the exit stop the thread
 * (lt__flush_timer_stop()); after fork() the child has no thread and starts
 * its own with its first held record. */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "flush_timer.h"

#define NONE INT64_MAX

static pthread_mutex_t timer_lock = PTHREAD_MUTEX_INITIALIZER;
/* Under timer_lock: */
static pthread_cond_t timer_cond; /* on CLOCK_MONOTONIC, made with the thread */
static bool cond_ready;
static int64_t next_due = NONE; /* CLOCK_MONOTONIC ms */
static pthread_t thread;
static bool running;  /* the thread runs (or is about to) */
static bool joinable; /* a thread was made and not yet joined or detached */
static bool stopping; /* lt__flush_timer_stop() is waiting for it */
static bool for_good; /* the process is exiting: never start again */

int64_t lt__monotonic_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct timespec at_ms(int64_t ms)
{
    return (struct timespec){.tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000L};
}

/* The wait measures elapsed time, whatever happens to the wall clock. */
static void init_cond_locked(void)
{
    pthread_condattr_t attr;

    if (cond_ready)
        return;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&timer_cond, &attr);
    pthread_condattr_destroy(&attr);
    cond_ready = true;
}

static void *run(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&timer_lock);
    while (!stopping) {
        int64_t later = NONE;

        if (next_due == NONE) {
            pthread_cond_wait(&timer_cond, &timer_lock);
            continue;
        }
        if (lt__monotonic_ms() < next_due) {
            struct timespec at = at_ms(next_due);

            (void)pthread_cond_timedwait(&timer_cond, &timer_lock, &at);
            continue;
        }
        /* Deadlines told while the handlers are asked lower next_due again. */
        next_due = NONE;
        pthread_mutex_unlock(&timer_lock);
        (void)lt_handlers_control(LT_HANDLER_CTL_FLUSH_DUE, &later);
        pthread_mutex_lock(&timer_lock);
        if (later < next_due)
            next_due = later;
    }
    running = false;
    pthread_cond_broadcast(&timer_cond);
    pthread_mutex_unlock(&timer_lock);
    return NULL;
}

/* With every signal blocked, so that the program's signal handlers never
 * run on a thread it did not make. If no thread can be made, the other
 * triggers (records, level, bytes, lt_handler_flush(), close) still write. */
static void start_locked(void)
{
    sigset_t all, old;

    if (running || stopping || for_good)
        return;
    init_cond_locked();
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    running = joinable = pthread_create(&thread, NULL, run, NULL) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

void lt__flush_timer_wake(int64_t due_ms)
{
    pthread_mutex_lock(&timer_lock);
    if (due_ms < next_due) {
        next_due = due_ms;
        if (cond_ready) /* broadcast: lt__flush_timer_stop() may wait on it too */
            pthread_cond_broadcast(&timer_cond);
    }
    start_locked();
    pthread_mutex_unlock(&timer_lock);
}

/* The time left until @deadline (CLOCK_REALTIME, as the shutdown's), as a
 * CLOCK_MONOTONIC time for the condition. */
static struct timespec monotonic_deadline(const struct timespec *deadline)
{
    struct timespec now;
    int64_t left;

    clock_gettime(CLOCK_REALTIME, &now);
    left = ((int64_t)deadline->tv_sec - now.tv_sec) * 1000 +
           (deadline->tv_nsec - now.tv_nsec) / 1000000;
    return at_ms(lt__monotonic_ms() + (left > 0 ? left : 0));
}

void lt__flush_timer_stop(const struct timespec *deadline, bool exiting)
{
    bool join;

    pthread_mutex_lock(&timer_lock);
    for_good = for_good || exiting;
    if (!joinable) {
        pthread_mutex_unlock(&timer_lock);
        return;
    }
    stopping = true;
    pthread_cond_broadcast(&timer_cond);
    if (deadline) {
        struct timespec at = monotonic_deadline(deadline);

        while (running && pthread_cond_timedwait(&timer_cond, &timer_lock, &at) == 0)
            ;
    }
    while (running && !deadline)
        pthread_cond_wait(&timer_cond, &timer_lock);
    join = !running;
    joinable = false;
    pthread_mutex_unlock(&timer_lock);
    /* Still in a handler stuck past the deadline: the process is on its way out. */
    if (join)
        pthread_join(thread, NULL);
    else
        pthread_detach(thread);
    pthread_mutex_lock(&timer_lock);
    stopping = false;
    /* A record held meanwhile (after lt_shutdown(), logging may go on). */
    if (join && next_due != NONE)
        start_locked();
    pthread_mutex_unlock(&timer_lock);
}

void lt__flush_timer_atfork_prepare(void)
{
    pthread_mutex_lock(&timer_lock);
}

void lt__flush_timer_atfork_parent(void)
{
    pthread_mutex_unlock(&timer_lock);
}

/* The parent's thread does not exist here; the child starts its own with
 * its first held record. */
void lt__flush_timer_atfork_child(void)
{
    pthread_mutex_init(&timer_lock, NULL);
    cond_ready = false;
    next_due = NONE;
    running = joinable = stopping = false;
}
