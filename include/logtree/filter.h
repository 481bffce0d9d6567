/* logtree/filter.h - deciding per record, on a logger or on a handler.
 *
 * A filter on a logger sees the records logged on that logger (not those of
 * its children passing through); a filter on a handler sees every record the
 * handler is about to emit. Filters run in the order they were added, and the
 * first that rejects a record stops it. A callback filter may also enrich the
 * record (lt_record_set_field()); later filters, handlers and formatters see
 * the change, like an in-place change of a Python LogRecord. */
#ifndef LOGTREE_FILTER_H
#define LOGTREE_FILTER_H

#include <stdbool.h>

#include <logtree/common.h>
#include <logtree/logger.h>
#include <logtree/record.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Decide on @rec: true keeps it, false drops it. Called on the logging
 * thread, possibly on several threads at once for one filter. */
typedef bool (*lt_filter_fn)(void *userdata, lt_record *rec);

/**
 * Python's logging.Filter(name): keep records of the logger @name and its
 * descendants. "a.b" keeps "a.b" and "a.b.c", not "a.bc" nor "a". An empty
 * @name keeps everything. @name is copied.
 *
 * Returns: 0 and *@ret set (one reference, yours), LT_EINVAL, LT_ENOMEM.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_name_filter_new(lt_filter **ret, const char *name);

/**
 * A filter that calls @fn(@userdata, record). When the last reference goes,
 * @free_userdata(@userdata) is called, unless it is NULL.
 *
 * Returns: 0 and *@ret set (one reference, yours), LT_EINVAL if @fn is NULL,
 * LT_ENOMEM (then @free_userdata is not called).
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_callback_filter_new(lt_filter **ret, lt_filter_fn fn, void *userdata,
                                  void (*free_userdata)(void *));

/**
 * Take another reference to @f.
 * Returns: @f. Threads: any thread. Since: 0.1
 */
LT_API lt_filter *lt_filter_ref(lt_filter *f);

/**
 * Drop a reference to @f; the last one frees it. NULL is ignored.
 * Returns: NULL. Threads: any thread. Since: 0.1
 */
LT_API lt_filter *lt_filter_unref(lt_filter *f);

/**
 * Ask @f about @rec.
 * Returns: true if @f keeps @rec. Threads: any thread. Since: 0.1
 */
LT_API bool lt_filter_check(lt_filter *f, lt_record *rec);

#ifdef __cplusplus
}
#endif

#endif /* LOGTREE_FILTER_H */
