/* src/logger.c - the tree of named loggers: names, parents, levels, flags.
 *
 * A mutex (the state lock) guards what changes here: the name table, parent
 * links, levels, the disabled and propagate flags, lt_disable(), and bound
 * views. Records never take it: each logger keeps its threshold (effective
 * level folded with lt_disable() and the disabled flag), recomputed for every
 * logger and view whenever any of those change, and records read the
 * threshold, the parent links and propagate with atomic loads. So a filter or
 * handler may change levels or create loggers while a record is on its way.
 * The handlers and filters attached to loggers are routes.c's business. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "config_state.h"
#include "internal.h"
#include "sys.h"

static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;

#define ROOT_NAME "root"

static lt_logger root = {
    .threshold = LT_LEVEL_WARNING,
    .level = LT_LEVEL_WARNING,
    .propagate = true,
    .name = (char *)(uintptr_t)ROOT_NAME,
    .name_len = sizeof(ROOT_NAME) - 1,
};

static lt_logger **buckets;
static size_t nbuckets;
static size_t nloggers;
static int disable_level = LT_LEVEL_NOTSET;
static bool async_default; /* what the root's subtree does, unless it says */

void lt__state_lock(void)
{
    pthread_mutex_lock(&state_lock);
}

void lt__state_unlock(void)
{
    pthread_mutex_unlock(&state_lock);
}

void lt__state_atfork_child(void)
{
    pthread_mutex_init(&state_lock, NULL);
}

lt_logger *lt__root(void)
{
    return &root;
}

lt_logger *lt__logger_parent(const lt_logger *lg)
{
    return __atomic_load_n(&lg->parent, __ATOMIC_ACQUIRE);
}

bool lt__logger_propagates(const lt_logger *lg)
{
    return __atomic_load_n(&lg->propagate, __ATOMIC_RELAXED);
}

/* ---- levels ---- */

static int effective_level(const lt_logger *lg)
{
    for (; lg; lg = lg->parent)
        if (lg->level != LT_LEVEL_NOTSET)
            return lg->level;
    return LT_LEVEL_NOTSET;
}

/* The nearest lt_logger_set_async() up the tree decides. */
static bool async_of(const lt_logger *lg)
{
    for (; lg; lg = lg->parent)
        if (lg->async_mode != LT_ASYNC_INHERIT)
            return lg->async_mode == LT_ASYNC_ON;
    return async_default;
}

static void update_threshold(lt_logger *lg)
{
    int64_t level = effective_level(lg), above_disabled = (int64_t)disable_level + 1;

    /* Python: disabled loggers log nothing, and nothing at or below the
     * lt_disable() level (0 by default, so level 0 never logs). */
    if (lg->disabled)
        level = LT__THRESHOLD_NONE;
    else if (level < above_disabled)
        level = above_disabled;
    __atomic_store_n(&lg->threshold, level, __ATOMIC_RELAXED);
    __atomic_store_n(&lg->async_on, async_of(lg), __ATOMIC_RELAXED);
}

void lt__tree_refresh_locked(void)
{
    update_threshold(&root);
    for (size_t b = 0; b < nbuckets; b++)
        for (lt_logger *lg = buckets[b]; lg; lg = lg->next)
            update_threshold(lg);
    lt__views_refresh_locked();
}

void lt__logger_set_async_default_locked(bool on)
{
    async_default = on;
}

void lt__logger_set_level_locked(lt_logger *lg, int level)
{
    lg->level = level;
}

void lt__logger_set_propagate_locked(lt_logger *lg, bool propagate)
{
    __atomic_store_n(&lg->propagate, propagate, __ATOMIC_RELAXED);
}

void lt__logger_set_disabled_locked(lt_logger *lg, bool disabled)
{
    lg->disabled = disabled;
}

void lt_logger_set_level(lt_logger *lg, int level)
{
    if (!lg)
        return;
    lt__state_lock();
    LT__BASE(lg)->level = level;
    lt__tree_refresh_locked();
    lt__state_unlock();
}

int lt_logger_level(const lt_logger *lg)
{
    int level;

    lt__state_lock();
    level = LT__BASE(lg)->level;
    lt__state_unlock();
    return level;
}

int lt_logger_effective_level(const lt_logger *lg)
{
    int level;

    lt__state_lock();
    level = effective_level(LT__BASE(lg));
    lt__state_unlock();
    return level;
}

void lt_disable(int level)
{
    lt__state_lock();
    disable_level = level;
    lt__tree_refresh_locked();
    lt__state_unlock();
}

void lt_logger_set_disabled(lt_logger *lg, bool disabled)
{
    lt__state_lock();
    LT__BASE(lg)->disabled = disabled;
    lt__tree_refresh_locked();
    lt__state_unlock();
}

bool lt_logger_disabled(const lt_logger *lg)
{
    bool disabled;

    lt__state_lock();
    disabled = LT__BASE(lg)->disabled;
    lt__state_unlock();
    return disabled;
}

void lt_logger_set_propagate(lt_logger *lg, bool propagate)
{
    lt__logger_set_propagate_locked(LT__BASE(lg), propagate);
}

bool lt_logger_propagate(const lt_logger *lg)
{
    return lt__logger_propagates(LT__BASE(lg));
}

/* ---- names and the tree ---- */

static size_t hash_name(const char *name, size_t len)
{
    size_t h = 5381;

    for (size_t i = 0; i < len; i++)
        h = h * 33 + (unsigned char)name[i];
    return h;
}

static bool is_root_name(const char *name)
{
    return !name || !*name || strcmp(name, ROOT_NAME) == 0;
}

/* The logger named by the first @len bytes of @name. */
static lt_logger *lookup_prefix(const char *name, size_t len)
{
    if (!nbuckets)
        return NULL;
    for (lt_logger *lg = buckets[hash_name(name, len) % nbuckets]; lg; lg = lg->next)
        if (strncmp(lg->name, name, len) == 0 && lg->name[len] == '\0')
            return lg;
    return NULL;
}

lt_logger *lt__logger_lookup_locked(const char *name)
{
    return is_root_name(name) ? &root : lookup_prefix(name, strlen(name));
}

static bool grow_buckets(void)
{
    size_t n = nbuckets ? nbuckets * 2 : 64;
    lt_logger **fresh = lt__calloc(n, sizeof(*fresh));

    if (!fresh)
        return false;
    for (size_t b = 0; b < nbuckets; b++) {
        lt_logger *lg = buckets[b], *next;

        for (; lg; lg = next) {
            size_t at = hash_name(lg->name, strlen(lg->name)) % n;

            next = lg->next;
            lg->next = fresh[at];
            fresh[at] = lg;
        }
    }
    free(buckets);
    buckets = fresh;
    nbuckets = n;
    return true;
}

/* The index of the last '.' in the first @end bytes of @name, or -1. */
static long last_dot(const char *name, long end)
{
    while (--end >= 0)
        if (name[end] == '.')
            return end;
    return -1;
}

/* ---- placeholders ----
 * Python's PlaceHolder: for a dotted prefix with no logger of its own, the
 * loggers below it whose parent is further up. A logger made later under
 * that name adopts exactly those, so making N loggers costs N times their
 * depth, not N squared (a scan of the whole tree for each). Out of memory,
 * placeholders are given up for that scan. */
struct placeholder {
    struct placeholder *next;
    lt_logger **kids;
    size_t n, cap;
    char name[];
};

static struct placeholder **ph_buckets;
static size_t ph_nbuckets, ph_count;
static bool ph_lost; /* a placeholder could not be kept: scan everything */

static struct placeholder **ph_find(const char *name, size_t len)
{
    struct placeholder **at = &ph_buckets[hash_name(name, len) % ph_nbuckets];

    while (*at && !(strncmp((*at)->name, name, len) == 0 && (*at)->name[len] == '\0'))
        at = &(*at)->next;
    return at;
}

static bool ph_grow(void)
{
    size_t n = ph_nbuckets ? ph_nbuckets * 2 : 64;
    struct placeholder **fresh = lt__calloc(n, sizeof(*fresh)), *ph, *next;

    if (!fresh)
        return false;
    for (size_t b = 0; b < ph_nbuckets; b++)
        for (ph = ph_buckets[b]; ph; ph = next) {
            size_t at = hash_name(ph->name, strlen(ph->name)) % n;

            next = ph->next;
            ph->next = fresh[at];
            fresh[at] = ph;
        }
    free(ph_buckets);
    ph_buckets = fresh;
    ph_nbuckets = n;
    return true;
}

static bool ph_add(const char *name, size_t len, lt_logger *kid)
{
    struct placeholder **at, *ph;

    if (ph_count >= ph_nbuckets && !ph_grow())
        return false;
    at = ph_find(name, len);
    if (!*at) {
        if (!(ph = lt__calloc(1, sizeof(*ph) + len + 1)))
            return false;
        memcpy(ph->name, name, len);
        *at = ph;
        ph_count++;
    }
    ph = *at;
    if (ph->n == ph->cap) {
        size_t cap = ph->cap ? ph->cap * 2 : 4;
        lt_logger **kids = lt__realloc(ph->kids, cap * sizeof(*kids));

        if (!kids)
            return false;
        ph->kids = kids;
        ph->cap = cap;
    }
    ph->kids[ph->n++] = kid;
    return true;
}

/* The nearest existing ancestor, found by walking up the dots exactly as
 * Python's Manager._fixupParents does (also for odd names like "a..b");
 * @lg goes into the placeholder of each missing prefix on the way. */
static lt_logger *nearest_ancestor(const char *name, lt_logger *lg)
{
    for (long i = last_dot(name, (long)strlen(name)); i > 0; i = last_dot(name, i - 1)) {
        lt_logger *found = lookup_prefix(name, (size_t)i);

        if (found)
            return found;
        if (!ph_lost && !ph_add(name, (size_t)i, lg))
            ph_lost = true;
    }
    return &root;
}

static bool is_descendant_name(const char *name, const char *ancestor)
{
    size_t n = strlen(ancestor);

    return strncmp(name, ancestor, n) == 0 && name[n] == '.';
}

/* Loggers created before @lg below it still point past it: re-attach them
 * (Python's Manager._fixupChildren). A record on its way up sees the old
 * parent or the new one, both of which lead to the root. Those of @lg's
 * placeholder whose parent is above @lg; all of them if a placeholder was
 * lost. */
static void adopt_children(lt_logger *lg)
{
    struct placeholder **at, *ph;

    if (ph_lost) {
        for (size_t b = 0; b < nbuckets; b++)
            for (lt_logger *c = buckets[b]; c; c = c->next)
                if (c != lg && c->parent == lg->parent && is_descendant_name(c->name, lg->name))
                    __atomic_store_n(&c->parent, lg, __ATOMIC_RELEASE);
        return;
    }
    if (!ph_nbuckets || !*(at = ph_find(lg->name, strlen(lg->name))))
        return;
    ph = *at;
    for (size_t i = 0; i < ph->n; i++) {
        lt_logger *c = ph->kids[i];

        if (c->parent == lg->parent)
            __atomic_store_n(&c->parent, lg, __ATOMIC_RELEASE);
    }
    *at = ph->next;
    ph_count--;
    free(ph->kids);
    free(ph);
}

const char *lt__logger_name_problem(const char *name, char *buf, size_t size)
{
    size_t len = name ? strlen(name) : 0, parts = 1;

    if (len > LT_MAX_LOGGER_NAME) {
        snprintf(buf, size, "logger name '%.32s...' is %zu bytes long, longer than %d",
                 name, len, LT_MAX_LOGGER_NAME);
        return buf;
    }
    for (size_t i = 0; i < len; i++)
        parts += name[i] == '.';
    if (parts > LT_MAX_LOGGER_DEPTH) {
        snprintf(buf, size, "logger name '%.32s...' has %zu dotted parts, more than %d", name,
                 parts, LT_MAX_LOGGER_DEPTH);
        return buf;
    }
    return NULL;
}

lt_logger *lt__get_logger_locked(const char *name)
{
    lt_logger *lg = lt__logger_lookup_locked(name);
    char why[128];
    size_t at;

    if (lg)
        return lg;
    if (lt__logger_name_problem(name, why, sizeof(why)))
        return NULL;
    if (nloggers >= nbuckets && !grow_buckets())
        return NULL;
    lg = lt__calloc(1, sizeof(*lg));
    if (!lg || !(lg->name = lt__strdup(name))) {
        free(lg);
        return NULL;
    }
    lg->name_len = strlen(name);
    lg->propagate = true;
    lg->parent = nearest_ancestor(name, lg);
    update_threshold(lg);
    adopt_children(lg);
    at = hash_name(name, strlen(name)) % nbuckets;
    lg->next = buckets[at];
    buckets[at] = lg;
    nloggers++;
    return lg;
}

lt_logger *lt_get_logger(const char *name)
{
    static bool reported, reported_name;
    char why[128];
    lt_logger *lg;

    lt__init();
    lt__env_config_once(); /* LOGTREE_CONFIG, LOGTREE_LEVEL */
    if (is_root_name(name))
        return &root;
    lt__state_lock();
    lg = lt__get_logger_locked(name);
    if (!lg && lt__logger_name_problem(name, why, sizeof(why))) {
        if (!reported_name)
            lt__report("%s; logging to root instead", why);
        reported_name = true;
    } else if (!lg && !reported) {
        reported = true;
        lt__report("out of memory creating logger '%s'; logging to root instead", name);
    }
    lt__state_unlock();
    return lg ? lg : &root;
}

lt_logger *lt_logger_get_child(lt_logger *lg, const char *suffix)
{
    size_t n;
    char *full;
    lt_logger *child;

    if (!lg || !suffix)
        return lg;
    lg = LT__BASE(lg);
    if (lg == &root)
        return lt_get_logger(suffix);
    n = strlen(lg->name) + 1 + strlen(suffix) + 1;
    full = lt__malloc(n);
    if (!full)
        return lt_get_logger(NULL);
    snprintf(full, n, "%s.%s", lg->name, suffix);
    child = lt_get_logger(full);
    free(full);
    return child;
}

const char *lt_logger_name(const lt_logger *lg)
{
    return LT__BASE(lg)->name;
}

lt_logger *lt_logger_parent(const lt_logger *lg)
{
    return lt__logger_parent(LT__BASE(lg));
}

size_t lt__logger_count_locked(void)
{
    return nloggers;
}

void lt__logger_for_each_locked(void (*fn)(lt_logger *lg, void *ud), void *ud)
{
    for (size_t b = 0; b < nbuckets; b++)
        for (lt_logger *lg = buckets[b]; lg; lg = lg->next)
            fn(lg, ud);
}
