/* src/bind.c - bound loggers (lt_bind): views of a logger of the tree that
 * add their fields to every record. A view is an lt_logger whose threshold
 * mirrors its base's, so the call macros treat it like any logger; views are
 * kept in a list only so that a change of level reaches them. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sys.h"

static lt_logger *views; /* under the state lock */

void lt__views_refresh_locked(void)
{
    for (lt_logger *v = views; v; v = v->next)
        __atomic_store_n(&v->threshold, __atomic_load_n(&v->base->threshold, __ATOMIC_RELAXED),
                         __ATOMIC_RELAXED);
}

/* The fields of a view of @lg binding @fields: a view of a view is a view
 * of the base with both sets, the newer value winning. */
static lt_field *bound_fields(const lt_logger *lg, const lt_field *fields, size_t n, size_t *count)
{
    size_t old = lg->base ? lg->nbound : 0;
    lt_field *fixed = lt__fields_dup(fields, n), *all = lt__malloc((old + n + 1) * sizeof(*all));
    lt_field *bound = NULL;

    *count = 0;
    if (fixed && all) {
        lt__fields_merge(all, count, lg->bound, old);
        lt__fields_merge(all, count, fixed, n);
        bound = lt__fields_dup(all, *count);
    }
    lt__fields_free(fixed);
    free(all);
    return bound;
}

lt_logger *lt_bind(lt_logger *lg, const lt_field *fields, size_t n)
{
    lt_logger *view;

    if (!lg || (n && !fields))
        return NULL;
    view = lt__calloc(1, sizeof(*view));
    if (!view)
        return NULL;
    view->bound = bound_fields(lg, fields, n, &view->nbound);
    if (!view->bound) {
        free(view);
        return NULL;
    }
    view->base = LT__BASE(lg);
    view->name = view->base->name;
    view->name_len = view->base->name_len;
    lt__state_lock();
    view->next = views;
    views = view;
    view->threshold = __atomic_load_n(&view->base->threshold, __ATOMIC_RELAXED);
    lt__state_unlock();
    return view;
}

void lt_unbind(lt_logger *view)
{
    if (!view || !view->base)
        return;
    lt__state_lock();
    for (lt_logger **p = &views; *p; p = &(*p)->next) {
        if (*p == view) {
            *p = view->next;
            break;
        }
    }
    lt__state_unlock();
    lt__fields_free(view->bound);
    free(view);
}
