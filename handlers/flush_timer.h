/* handlers/flush_timer.h - the one thread that writes out records held
 * longer than flush_ms (flush_timer.c). Internal to the library. */
#ifndef LOGTREE_HANDLERS_FLUSH_TIMER_H
#define LOGTREE_HANDLERS_FLUSH_TIMER_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <logtree/handler.h>

/* CLOCK_MONOTONIC in milliseconds. */
int64_t lt__monotonic_ms(void);

/* A handler holds records due at @due_ms (CLOCK_MONOTONIC): make sure the
 * thread runs and wakes by then. May be called under a handler's lock. */
void lt__flush_timer_wake(int64_t due_ms);

/* Stop the thread (lt_shutdown(), exit); wait for it until @deadline
 * (CLOCK_REALTIME; NULL: as long as it takes). @exiting: never start it
 * again. Not under any handler's lock. */
void lt__flush_timer_stop(const struct timespec *deadline, bool exiting);

/* fork(): take the timer's lock last, after the handler registry's. */
void lt__flush_timer_atfork_prepare(void);
void lt__flush_timer_atfork_parent(void);
void lt__flush_timer_atfork_child(void);

#endif /* LOGTREE_HANDLERS_FLUSH_TIMER_H */
