/* src/filter.c - filters: Python's name filter, callback filters, and the
 * small sets of them that loggers and handlers keep. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sys.h"

struct lt_filter {
    atomic_uint refs;
    lt_filter_fn fn;
    void *userdata;
    void (*free_userdata)(void *);
};

static int filter_new(lt_filter **ret, lt_filter_fn fn, void *userdata, void (*free_ud)(void *))
{
    lt_filter *f = lt__calloc(1, sizeof(*f));

    if (!f)
        return LT_ENOMEM;
    atomic_init(&f->refs, 1);
    f->fn = fn;
    f->userdata = userdata;
    f->free_userdata = free_ud;
    *ret = f;
    return 0;
}

int lt_callback_filter_new(lt_filter **ret, lt_filter_fn fn, void *userdata,
                           void (*free_userdata)(void *))
{
    LT__RETURN_IF(!ret || !fn, LT_EINVAL);
    return filter_new(ret, fn, userdata, free_userdata);
}

/* Python's Filter.filter(): the name itself, or a name below it. */
static bool name_filter(void *userdata, lt_record *rec)
{
    const char *name = userdata, *rname = lt_record_name(rec);
    size_t n = strlen(name);

    if (n == 0 || strcmp(name, rname) == 0)
        return true;
    return strncmp(rname, name, n) == 0 && rname[n] == '.';
}

int lt_name_filter_new(lt_filter **ret, const char *name)
{
    char *copy;
    int r;

    LT__RETURN_IF(!ret || !name, LT_EINVAL);
    copy = lt__strdup(name);
    if (!copy)
        return LT_ENOMEM;
    r = filter_new(ret, name_filter, copy, free);
    if (r < 0)
        free(copy);
    return r;
}

lt_filter *lt_filter_ref(lt_filter *f)
{
    if (f)
        atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed);
    return f;
}

lt_filter *lt_filter_unref(lt_filter *f)
{
    if (f && atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) == 1) {
        if (f->free_userdata)
            f->free_userdata(f->userdata);
        free(f);
    }
    return NULL;
}

bool lt_filter_check(lt_filter *f, lt_record *rec)
{
    return !f || !rec || f->fn(f->userdata, rec);
}

int lt__filters_add(struct lt__filters *fs, lt_filter *f)
{
    for (size_t i = 0; i < fs->n; i++)
        if (fs->items[i] == f)
            return 0;
    if (fs->n == fs->cap) {
        size_t cap = fs->cap ? fs->cap * 2 : 2;
        lt_filter **items = lt__realloc(fs->items, cap * sizeof(*items));

        if (!items)
            return LT_ENOMEM;
        fs->items = items;
        fs->cap = cap;
    }
    fs->items[fs->n++] = lt_filter_ref(f);
    return 0;
}

int lt__filters_take(struct lt__filters *fs, lt_filter *f)
{
    for (size_t i = 0; i < fs->n; i++) {
        if (fs->items[i] == f) {
            memmove(&fs->items[i], &fs->items[i + 1], (fs->n - i - 1) * sizeof(fs->items[0]));
            fs->n--;
            return 0;
        }
    }
    return LT_ENOENT;
}

void lt__filters_clear(struct lt__filters *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        lt_filter_unref(fs->items[i]);
    free(fs->items);
    memset(fs, 0, sizeof(*fs));
}

bool lt__filters_pass(const struct lt__filters *fs, lt_record *rec)
{
    for (size_t i = 0; i < fs->n; i++)
        if (!lt_filter_check(fs->items[i], rec))
            return false;
    return true;
}

void lt__filter_describe(const lt_filter *f, lt_buf *out)
{
    if (f->fn == name_filter)
        lt_buf_printf(out, "name='%s'", (const char *)f->userdata);
    else
        lt_buf_puts(out, "<callback>");
}
