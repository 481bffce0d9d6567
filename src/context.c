/* src/context.c - the thread's context: fields pushed for the current thread
 * (log4j's MDC), added to every record it logs. Each push is copied, so the
 * caller's strings may go; a thread that exits with pushes left frees them. */
#include <stdlib.h>

#include "internal.h"
#include "sys.h"

struct frame {
    lt_field *fields; /* lt__fields_dup() */
    size_t n;
};

struct context {
    struct frame *frames;
    size_t depth;
    size_t cap;
    size_t nfields; /* over all frames */
};

static LT__HOT_TLS struct context *context;
LT__HOT_TLS size_t lt__context_n;
static pthread_key_t cleanup_key;
static pthread_once_t cleanup_once = PTHREAD_ONCE_INIT;

/* Runs on the exiting thread. A later destructor of another key may still
 * log on it, so the thread's pointer must not keep the freed context. */
static void free_context(void *p)
{
    struct context *c = p;

    context = NULL;
    lt__context_n = 0;
    for (size_t i = 0; i < c->depth; i++)
        lt__fields_free(c->frames[i].fields);
    free(c->frames);
    free(c);
}

static void make_key(void)
{
    (void)pthread_key_create(&cleanup_key, free_context);
}

static struct context *this_thread(void)
{
    if (context)
        return context;
    pthread_once(&cleanup_once, make_key);
    context = lt__calloc(1, sizeof(*context));
    if (context && pthread_setspecific(cleanup_key, context) != 0) {
        free(context);
        context = NULL;
    }
    return context;
}

int lt_context_push(const lt_field *fields, size_t n)
{
    struct context *c;
    lt_field *copy;

    LT__RETURN_IF(n && !fields, LT_EINVAL);
    if (!(c = this_thread()))
        return LT_ENOMEM;
    if (c->depth == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 4;
        struct frame *frames = lt__realloc(c->frames, cap * sizeof(*frames));

        if (!frames)
            return LT_ENOMEM;
        c->frames = frames;
        c->cap = cap;
    }
    if (!(copy = lt__fields_dup(fields, n)))
        return LT_ENOMEM;
    c->frames[c->depth++] = (struct frame){copy, n};
    c->nfields += n;
    lt__context_n = c->nfields;
    return (int)c->depth;
}

int lt_context_pop(void)
{
    struct context *c = context;
    struct frame *f;

    if (!c || c->depth == 0)
        return LT_ENOENT;
    f = &c->frames[--c->depth];
    c->nfields -= f->n;
    lt__context_n = c->nfields;
    lt__fields_free(f->fields);
    return (int)c->depth;
}

void lt_context_restore(int depth)
{
    while (context && depth >= 0 && context->depth > (size_t)depth)
        lt_context_pop();
}


/* Oldest push first, so that a newer value of a key wins. */
size_t lt__context_collect(lt_field *dst, size_t n)
{
    size_t count = 0;

    for (size_t i = 0; context && i < context->depth; i++)
        if (count + context->frames[i].n <= n)
            lt__fields_merge(dst, &count, context->frames[i].fields, context->frames[i].n);
    return count;
}
