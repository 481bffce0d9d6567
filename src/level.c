/* src/level.c - level names, both ways, as Python's _levelToName/_nameToLevel.
 *
 * Every record looks its level's name up, so readers take no lock: the table
 * is immutable and replaced whole (under a mutex) when a name is added. Old
 * tables are kept, never freed, because a reader may still be walking one;
 * lt_add_level_name() is called a handful of times in a program's life. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sys.h"

struct level_entry {
    int level;
    bool current; /* a name printed for this level; false for WARN and FATAL */
    const char *name;
    size_t len; /* of name: a record's levelname is printed without strlen() */
};

/* The standard levels are multiples of 10 up to 50 (NOTSET to CRITICAL):
 * their names are looked up once, when a table is made, not per record. */
#define STANDARD_LEVELS 6

struct level_table {
    struct level_table *older; /* kept alive, see above */
    size_t n;
    struct level_entry *entries;
    /* the entry naming level 10 * i, or NULL */
    const struct level_entry *standard[STANDARD_LEVELS];
};

#define ENTRY(level, current, name) {level, current, name, sizeof(name) - 1}

/* The standard levels first, in order: the builtin table's standard[]. */
static struct level_entry builtin_entries[] = {
    ENTRY(LT_LEVEL_NOTSET, true, "NOTSET"),
    ENTRY(LT_LEVEL_DEBUG, true, "DEBUG"),
    ENTRY(LT_LEVEL_INFO, true, "INFO"),
    ENTRY(LT_LEVEL_WARNING, true, "WARNING"),
    ENTRY(LT_LEVEL_ERROR, true, "ERROR"),
    ENTRY(LT_LEVEL_CRITICAL, true, "CRITICAL"),
    ENTRY(LT_LEVEL_WARNING, false, "WARN"),
    ENTRY(LT_LEVEL_CRITICAL, false, "FATAL"),
};

static struct level_table builtin_levels = {
    NULL,
    LT__ARRAY_SIZE(builtin_entries),
    builtin_entries,
    {&builtin_entries[0], &builtin_entries[1], &builtin_entries[2], &builtin_entries[3],
     &builtin_entries[4], &builtin_entries[5]}};

static _Atomic(struct level_table *) levels = &builtin_levels;
static pthread_mutex_t levels_lock = PTHREAD_MUTEX_INITIALIZER;

/* Newest first: as in Python's two dicts, the latest lt_add_level_name()
 * decides both what a level prints and what a name means, and neither
 * undoes the other (naming 25 "INFO" leaves 20 printing "INFO"). */
static const struct level_entry *search(const struct level_table *t, int level)
{
    for (size_t i = t->n; i-- > 0;)
        if (t->entries[i].level == level && t->entries[i].current)
            return &t->entries[i];
    return NULL;
}

static const struct level_entry *entry_of(int level)
{
    const struct level_table *t = atomic_load_explicit(&levels, memory_order_acquire);

    if (level >= 0 && level < 10 * STANDARD_LEVELS && level % 10 == 0)
        return t->standard[level / 10];
    return search(t, level);
}

const char *lt_level_name(int level)
{
    const struct level_entry *e = entry_of(level);

    return e ? e->name : NULL;
}

const char *lt__level_name_or_number(int level, char *buf, size_t size, size_t *len)
{
    const struct level_entry *e = entry_of(level);

    if (e) {
        *len = e->len;
        return e->name;
    }
    snprintf(buf, size, "Level %d", level);
    *len = strlen(buf);
    return buf;
}

int lt_level_from_name(const char *name, int *ret)
{
    const struct level_table *t;

    LT__RETURN_IF(!name || !ret, LT_EINVAL);
    t = atomic_load_explicit(&levels, memory_order_acquire);
    for (size_t i = t->n; i-- > 0;) {
        if (strcmp(t->entries[i].name, name) == 0) {
            *ret = t->entries[i].level;
            return 0;
        }
    }
    return LT_ELEVEL;
}

/* The old table and one entry more. */
static struct level_table *table_with(const struct level_table *old, int level, const char *name)
{
    struct level_table *t = lt__malloc(sizeof(*t) + (old->n + 1) * sizeof(t->entries[0]));

    if (!t)
        return NULL;
    t->entries = (struct level_entry *)(t + 1);
    t->older = (struct level_table *)(uintptr_t)old;
    memcpy(t->entries, old->entries, old->n * sizeof(t->entries[0]));
    t->entries[old->n] = (struct level_entry){level, true, name, strlen(name)};
    t->n = old->n + 1;
    for (int i = 0; i < STANDARD_LEVELS; i++)
        t->standard[i] = search(t, 10 * i);
    return t;
}

void lt__levels_atfork_prepare(void)
{
    pthread_mutex_lock(&levels_lock);
}

void lt__levels_atfork_parent(void)
{
    pthread_mutex_unlock(&levels_lock);
}

void lt__levels_atfork_child(void)
{
    pthread_mutex_init(&levels_lock, NULL);
}

int lt_add_level_name(int level, const char *name)
{
    struct level_table *t;
    char *copy;

    LT__RETURN_IF(!name || !*name, LT_EINVAL);
    copy = lt__strdup(name);
    if (!copy)
        return LT_ENOMEM;
    pthread_mutex_lock(&levels_lock);
    t = table_with(atomic_load_explicit(&levels, memory_order_relaxed), level, copy);
    if (t)
        atomic_store_explicit(&levels, t, memory_order_release);
    pthread_mutex_unlock(&levels_lock);
    if (!t) {
        free(copy);
        return LT_ENOMEM;
    }
    return 0;
}
