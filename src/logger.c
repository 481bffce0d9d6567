/* src/logger.c - the tree of named loggers: names, parents, levels, the
 * handlers and filters attached to each.
 *
 * One rwlock guards the tree. A record travelling up takes it for reading; a
 * change of structure, level, handlers or filters takes it for writing. The
 * level check before a record exists takes no lock at all: each logger keeps
 * its threshold (effective level folded with lt_disable() and the disabled
 * flag), recomputed for every logger whenever any of those change. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static pthread_rwlock_t tree_lock = PTHREAD_RWLOCK_INITIALIZER;

static lt_logger root = {
    .threshold = LT_LEVEL_WARNING,
    .level = LT_LEVEL_WARNING,
    .propagate = true,
    .name = (char *)(uintptr_t) "root",
};

static lt_logger **buckets;
static size_t nbuckets;
static size_t nloggers;
static int disable_level = LT_LEVEL_NOTSET;

pthread_rwlock_t *lt__tree_lock(void)
{
    return &tree_lock;
}

void lt__tree_rdlock(void)
{
    pthread_rwlock_rdlock(&tree_lock);
}

void lt__tree_wrlock(void)
{
    pthread_rwlock_wrlock(&tree_lock);
}

void lt__tree_unlock(void)
{
    pthread_rwlock_unlock(&tree_lock);
}

void lt__tree_atfork_prepare(void)
{
    lt__tree_wrlock();
}

void lt__tree_atfork_parent(void)
{
    lt__tree_unlock();
}

/* Not an unlock: glibc's rwlock remembers the writer by thread id, and the
 * child's one thread has a new id. */
void lt__tree_atfork_child(void)
{
    pthread_rwlock_init(&tree_lock, NULL);
}

/* ---- levels ---- */

static int effective_level(const lt_logger *lg)
{
    for (; lg; lg = lg->parent)
        if (lg->level != LT_LEVEL_NOTSET)
            return lg->level;
    return LT_LEVEL_NOTSET;
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
}

static void update_all_thresholds(void)
{
    update_threshold(&root);
    for (size_t b = 0; b < nbuckets; b++)
        for (lt_logger *lg = buckets[b]; lg; lg = lg->next)
            update_threshold(lg);
    lt__views_refresh_locked();
}

void lt__logger_set_level_locked(lt_logger *lg, int level)
{
    lg->level = level;
}

void lt__logger_set_propagate_locked(lt_logger *lg, bool propagate)
{
    lg->propagate = propagate;
}

void lt__logger_set_disabled_locked(lt_logger *lg, bool disabled)
{
    lg->disabled = disabled;
}

void lt__tree_refresh_locked(void)
{
    update_all_thresholds();
}

void lt_logger_set_level(lt_logger *lg, int level)
{
    if (!lg)
        return;
    lg = LT__BASE(lg);
    lt__tree_wrlock();
    lg->level = level;
    update_all_thresholds();
    lt__tree_unlock();
}

int lt_logger_level(const lt_logger *lg)
{
    int level;

    lg = LT__BASE(lg);
    lt__tree_rdlock();
    level = lg->level;
    lt__tree_unlock();
    return level;
}

int lt_logger_effective_level(const lt_logger *lg)
{
    int level;

    lg = LT__BASE(lg);
    lt__tree_rdlock();
    level = effective_level(lg);
    lt__tree_unlock();
    return level;
}

void lt_disable(int level)
{
    lt__tree_wrlock();
    disable_level = level;
    update_all_thresholds();
    lt__tree_unlock();
}

void lt_logger_set_disabled(lt_logger *lg, bool disabled)
{
    lg = LT__BASE(lg);
    lt__tree_wrlock();
    lg->disabled = disabled;
    update_threshold(lg);
    lt__tree_unlock();
}

bool lt_logger_disabled(const lt_logger *lg)
{
    bool disabled;

    lg = LT__BASE(lg);
    lt__tree_rdlock();
    disabled = lg->disabled;
    lt__tree_unlock();
    return disabled;
}

void lt_logger_set_propagate(lt_logger *lg, bool propagate)
{
    lg = LT__BASE(lg);
    lt__tree_wrlock();
    lg->propagate = propagate;
    lt__tree_unlock();
}

bool lt_logger_propagate(const lt_logger *lg)
{
    bool propagate;

    lg = LT__BASE(lg);
    lt__tree_rdlock();
    propagate = lg->propagate;
    lt__tree_unlock();
    return propagate;
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
    return !name || !*name || strcmp(name, "root") == 0;
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
    lt_logger **fresh = calloc(n, sizeof(*fresh));

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

/* The nearest existing ancestor, found by walking up the dots exactly as
 * Python's Manager._fixupParents does (also for odd names like "a..b"). */
static lt_logger *nearest_ancestor(const char *name)
{
    for (long i = last_dot(name, (long)strlen(name)); i > 0; i = last_dot(name, i - 1)) {
        lt_logger *lg = lookup_prefix(name, (size_t)i);

        if (lg)
            return lg;
    }
    return &root;
}

static bool is_descendant_name(const char *name, const char *ancestor)
{
    size_t n = strlen(ancestor);

    return strncmp(name, ancestor, n) == 0 && name[n] == '.';
}

/* Loggers created before @lg below it still point past it: re-attach them
 * (Python's Manager._fixupChildren). */
static void adopt_children(lt_logger *lg)
{
    for (size_t b = 0; b < nbuckets; b++)
        for (lt_logger *c = buckets[b]; c; c = c->next)
            if (c != lg && c->parent == lg->parent && is_descendant_name(c->name, lg->name))
                c->parent = lg;
}

lt_logger *lt__get_logger_locked(const char *name)
{
    lt_logger *lg = lt__logger_lookup_locked(name);
    size_t at;

    if (lg)
        return lg;
    if (nloggers >= nbuckets && !grow_buckets())
        return NULL;
    lg = calloc(1, sizeof(*lg));
    if (!lg || !(lg->name = strdup(name))) {
        free(lg);
        return NULL;
    }
    lg->propagate = true;
    lg->parent = nearest_ancestor(name);
    adopt_children(lg);
    at = hash_name(name, strlen(name)) % nbuckets;
    lg->next = buckets[at];
    buckets[at] = lg;
    nloggers++;
    update_threshold(lg);
    return lg;
}

lt_logger *lt_get_logger(const char *name)
{
    static bool reported;
    lt_logger *lg;

    lt__init();
    if (is_root_name(name))
        return &root;
    lt__tree_rdlock();
    lg = lt__logger_lookup_locked(name);
    lt__tree_unlock();
    if (lg)
        return lg;
    lt__tree_wrlock();
    lg = lt__get_logger_locked(name);
    if (!lg && !reported) {
        reported = true;
        lt__report("out of memory creating logger '%s'; logging to root instead", name);
    }
    lt__tree_unlock();
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
    full = malloc(n);
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
    lt_logger *parent;

    lg = LT__BASE(lg);
    lt__tree_rdlock();
    parent = lg->parent;
    lt__tree_unlock();
    return parent;
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

/* ---- handlers and filters ---- */

int lt__logger_add_handler_locked(lt_logger *lg, lt_handler *h)
{
    for (size_t i = 0; i < lg->nhandlers; i++)
        if (lg->handlers[i] == h)
            return 0;
    if (lg->nhandlers == lg->handlers_cap) {
        size_t cap = lg->handlers_cap ? lg->handlers_cap * 2 : 4;
        lt_handler **hs = realloc(lg->handlers, cap * sizeof(*hs));

        if (!hs)
            return LT_ENOMEM;
        lg->handlers = hs;
        lg->handlers_cap = cap;
    }
    lg->handlers[lg->nhandlers++] = lt_handler_ref(h);
    return 0;
}

int lt_logger_add_handler(lt_logger *lg, lt_handler *h)
{
    int r;

    LT__RETURN_IF(!lg || !h, LT_EINVAL);
    lt__tree_wrlock();
    r = lt__logger_add_handler_locked(LT__BASE(lg), h);
    lt__tree_unlock();
    return r;
}

int lt_logger_remove_handler(lt_logger *lg, lt_handler *h)
{
    lt_handler *found = NULL;

    LT__RETURN_IF(!lg || !h, LT_EINVAL);
    lg = LT__BASE(lg);
    lt__tree_wrlock();
    for (size_t i = 0; i < lg->nhandlers; i++) {
        if (lg->handlers[i] == h) {
            found = h;
            memmove(&lg->handlers[i], &lg->handlers[i + 1],
                    (lg->nhandlers - i - 1) * sizeof(lg->handlers[0]));
            lg->nhandlers--;
            break;
        }
    }
    lt__tree_unlock();
    /* The last reference may close the handler: not under the tree lock. */
    lt_handler_unref(found);
    return found ? 0 : LT_ENOENT;
}

/* Hands the references over to @fn, so that closing happens outside the lock. */
static void take_handlers(lt_logger *lg, void (*fn)(lt_handler *h, void *ud), void *ud)
{
    for (size_t i = 0; i < lg->nhandlers; i++)
        fn(lg->handlers[i], ud);
    lg->nhandlers = 0;
}

void lt__tree_detach_all_handlers(void (*fn)(lt_handler *h, void *ud), void *ud)
{
    take_handlers(&root, fn, ud);
    for (size_t b = 0; b < nbuckets; b++)
        for (lt_logger *lg = buckets[b]; lg; lg = lg->next)
            take_handlers(lg, fn, ud);
}

void lt__logger_detach_handlers_locked(lt_logger *lg, void (*fn)(lt_handler *h, void *ud),
                                       void *ud)
{
    take_handlers(lg, fn, ud);
}

size_t lt__logger_handler_count_locked(const lt_logger *lg)
{
    return lg->nhandlers;
}

void lt_logger_clear_handlers(lt_logger *lg)
{
    lt_handler **hs;
    size_t n;

    if (!lg)
        return;
    lg = LT__BASE(lg);
    lt__tree_wrlock();
    hs = lg->handlers;
    n = lg->nhandlers;
    lg->handlers = NULL;
    lg->nhandlers = lg->handlers_cap = 0;
    lt__tree_unlock();
    for (size_t i = 0; i < n; i++)
        lt_handler_unref(hs[i]);
    free(hs);
}

bool lt_logger_has_handlers(const lt_logger *lg)
{
    bool found = false;

    lg = LT__BASE(lg);
    lt__tree_rdlock();
    for (const lt_logger *c = lg; c && !found; c = c->propagate ? c->parent : NULL)
        found = c->nhandlers > 0;
    lt__tree_unlock();
    return found;
}

int lt_logger_add_filter(lt_logger *lg, lt_filter *f)
{
    int r;

    LT__RETURN_IF(!lg || !f, LT_EINVAL);
    lt__tree_wrlock();
    r = lt__filters_add(&LT__BASE(lg)->filters, f);
    lt__tree_unlock();
    return r;
}

int lt_logger_remove_filter(lt_logger *lg, lt_filter *f)
{
    int r;

    LT__RETURN_IF(!lg || !f, LT_EINVAL);
    lt__tree_wrlock();
    r = lt__filters_remove(&LT__BASE(lg)->filters, f);
    lt__tree_unlock();
    return r;
}

/* ---- the way up (Python's Logger.handle and callHandlers) ---- */

static void last_resort(const lt_record *rec)
{
    lt_buf line = {0};

    if (rec->levelno < LT_LEVEL_WARNING)
        return;
    lt_buf_append(&line, rec->message, rec->message_len);
    lt_buf_putc(&line, '\n');
    if (!lt_buf_error(&line))
        (void)lt_write_all(STDERR_FILENO, lt_buf_data(&line), lt_buf_len(&line));
    lt__buf_release(&line);
}

void lt__dispatch(lt_logger *lg, lt_record *rec)
{
    size_t found = 0;

    lt__tree_rdlock();
    if (lg->disabled || !lt__filters_pass(&lg->filters, rec)) {
        lt__tree_unlock();
        return;
    }
    for (lt_logger *c = lg; c; c = c->propagate ? c->parent : NULL) {
        for (size_t i = 0; i < c->nhandlers; i++) {
            lt_handler *h = c->handlers[i];

            found++;
            if (rec->levelno >= lt_handler_level(h))
                lt__handler_handle(h, rec);
        }
    }
    lt__tree_unlock();
    if (!found)
        last_resort(rec);
}
