/* src/signal_log.c - lt_log_signal_safe(): a record from a signal handler.
 *
 * A signal handler may interrupt a thread that holds a handler's lock, the
 * allocator's lock or the tree's: it can take none of them. So the text is
 * only copied into one of a few fixed slots, claimed and published with
 * lock-free atomics (async-signal-safe), and logged for real, with the
 * ordinary path, by the next record of a normal context (any thread),
 * lt_flush() or lt_shutdown(). */
#include <stdatomic.h>
#include <string.h>

#include "internal.h"

#define SLOTS     32
#define SLOT_TEXT 256

enum { FREE, WRITING, READY, TAKEN };

struct slot {
    atomic_int state;
    lt_logger *lg;
    int level;
    char text[SLOT_TEXT];
};

static struct slot slots[SLOTS];
_Alignas(64) atomic_uint lt__signal_pending; /* slots READY, roughly: a hint for the hot path */
atomic_uint lt__signal_lost; /* records refused: every slot was in use */
static _Thread_local bool draining;

static const lt_callsite signal_site = {.file = "(signal handler)", .func = "(signal handler)"};

int lt_log_signal_safe(lt_logger *lg, int level, const char *text)
{
    size_t len = 0;

    if (!lg || !text)
        return LT_EINVAL;
    if (!lt_logger_is_enabled_for(lg, level))
        return 0;
    while (len < SLOT_TEXT - 1 && text[len])
        len++;
    for (int i = 0; i < SLOTS; i++) {
        struct slot *s = &slots[i];
        int expect = FREE;

        if (!atomic_compare_exchange_strong(&s->state, &expect, WRITING))
            continue;
        s->lg = lg;
        s->level = level;
        for (size_t k = 0; k < len; k++) /* memcpy() is not on POSIX's list */
            s->text[k] = text[k];
        s->text[len] = '\0';
        atomic_store(&s->state, READY);
        atomic_fetch_add(&lt__signal_pending, 1);
        return 0;
    }
    atomic_fetch_add(&lt__signal_lost, 1);
    return LT_EAGAIN;
}

void lt__signal_log_drain_slow(void)
{
    unsigned n;

    if (draining)
        return; /* the records below come back here */
    draining = true;
    for (int i = 0; i < SLOTS; i++) {
        struct slot *s = &slots[i];
        int expect = READY;
        char text[SLOT_TEXT];

        if (!atomic_compare_exchange_strong(&s->state, &expect, TAKEN))
            continue;
        atomic_fetch_sub(&lt__signal_pending, 1);
        memcpy(text, s->text, sizeof(text));
        lt_logger *lg = s->lg;
        int level = s->level;

        atomic_store(&s->state, FREE);
        lt_log_text_at(lg, level, &signal_site, text, strlen(text));
    }
    if ((n = atomic_exchange(&lt__signal_lost, 0)) > 0)
        lt__report("%u records logged from signal handlers were lost: all %d slots were in use", n,
                   SLOTS);
    draining = false;
}

/* In the child of fork(): a slot another thread of the parent was filling
 * or emptying stays so for ever; free it. Ready ones are logged by the child
 * (the parent logs them too: a record from a signal handler just before
 * fork() may appear twice, never not at all). */
void lt__signal_log_atfork_child(void)
{
    for (int i = 0; i < SLOTS; i++) {
        int st = atomic_load(&slots[i].state);

        if (st == WRITING || st == TAKEN)
            atomic_store(&slots[i].state, FREE);
    }
}
