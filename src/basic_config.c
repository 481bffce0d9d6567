/* src/basic_config.c - Python's logging.basicConfig(): one handler with one
 * formatter on the root logger, unless the root has handlers already. */
#include <string.h>

#include "config_state.h"
#include "internal.h"

static const char *basic_format(char style)
{
    switch (style) {
    case '{': return "{levelname}:{name}:{message}";
    case '$': return "${levelname}:${name}:${message}";
    default: return "%(levelname)s:%(name)s:%(message)s";
    }
}

/* Everything that can fail, before anything changes. */
static int make_handler(const lt_basic_options *o, lt_handler **ret, lt_error *err)
{
    lt_percent_options fo = {.format = o->format, .datefmt = o->datefmt, .style = o->style};
    lt_formatter *f;
    int r;

    if (o->stream && o->filename)
        return lt__error_set(err, LT_EINVAL, NULL, 0, 0,
                             "stream and filename should not be specified together");
    if (!fo.format)
        fo.format = basic_format(o->style);
    if ((r = lt_percent_formatter_new(&f, &fo, err)) < 0)
        return r;
    if (o->filename)
        r = lt_file_handler_new(ret, o->filename, o->filemode, 0);
    else
        r = lt_stream_handler_new(ret, o->stream);
    if (r < 0) {
        lt_formatter_unref(f);
        return lt__error_set(err, r, o->filename, 0, 0, "cannot open: %s", lt_strerror(r));
    }
    lt_handler_set_formatter(*ret, f);
    lt_formatter_unref(f);
    return 0;
}

static bool root_has_handlers(lt_logger *root)
{
    bool has;

    lt__routes_rdlock();
    has = lt__logger_handler_count_locked(root) > 0;
    lt__routes_rdunlock();
    return has;
}

int lt_basic_config(const lt_basic_options *opts, lt_error *err)
{
    static const lt_basic_options defaults = {0};
    struct lt__detached old = {0};
    lt_logger *root;
    lt_handler *h = NULL;
    int r = 0;

    if (!opts)
        opts = &defaults;
    lt_error_clear(err);
    lt__init();
    lt__config_mark_configured(); /* before lt_get_logger(): no LOGTREE_CONFIG then */
    root = lt_get_logger(NULL);
    lt__config_lock();
    if (opts->force || !root_has_handlers(root))
        r = make_handler(opts, &h, err);
    if (h && (r = lt__routes_wrlock(NULL)) < 0)
        lt__error_set(err, r, NULL, 0, 0, "called from inside a handler or filter");
    else if (h) {
        if (opts->force)
            lt__logger_detach_handlers_locked(root, lt__detached_keep, &old);
        /* Checked again: code outside the config lock may have added one. */
        if (lt__logger_handler_count_locked(root) == 0) {
            r = lt__logger_add_handler_locked(root, h);
            lt__state_lock();
            if (r == 0 && opts->level != LT_LEVEL_NOTSET)
                lt__logger_set_level_locked(root, opts->level);
            lt__env_levels_apply_locked();
            lt__tree_refresh_locked();
            lt__state_unlock();
        }
        lt__routes_wrunlock();
    }
    lt__config_unlock();
    lt__detached_close(&old, NULL);
    lt_handler_unref(h);
    return r;
}
