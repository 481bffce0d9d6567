/* logtree/logtree.h - everything a program needs: include this one header.
 *
 *     #include <logtree/logtree.h>
 *
 *     lt_basic_config(&(lt_basic_options){.level = LT_LEVEL_INFO}, NULL);
 *     lt_logger *lg = lt_get_logger("app.db");
 *     LT_INFO(lg, "connected to %s in %.1f ms", host, ms);
 *
 * The rules that hold for the whole API, stated once here:
 *
 * Threads. Every function is safe to call from any thread, unless its comment
 * says otherwise (each says, in a "Threads:" line).
 *
 * Errors. Functions that can fail return 0 (or a count) or a negative LT_E*
 * code (common.h); lt_strerror() explains a code. Logging calls themselves
 * return nothing and never fail from the caller's point of view: a handler
 * that cannot write reports it on stderr once per streak of failures, counts
 * the lost records, and logging goes on.
 *
 * Ownership.
 *  - Loggers belong to the tree; their pointers stay valid for the life of the
 *    process, and the program never frees them.
 *  - Handlers, formatters and filters are reference-counted: _new gives you
 *    one reference; attaching one (lt_logger_add_handler(),
 *    lt_handler_set_formatter(), ...) takes its own, so drop yours with
 *    _unref() when you are done. _unref(NULL) does nothing and returns NULL.
 *  - Strings passed in are copied; the caller may free them right after.
 *  - Strings returned are borrowed, valid for as long as the function's
 *    comment says, and never passed to free().
 *  - A record given to a formatter, handler or filter is borrowed for that
 *    call; lt_record_copy() keeps one.
 *
 * Output parameters are named ret, come after the inputs, and are written
 * only on success. */
#ifndef LOGTREE_LOGTREE_H
#define LOGTREE_LOGTREE_H

#include <logtree/async.h>
#include <logtree/common.h>
#include <logtree/config.h>
#include <logtree/filter.h>
#include <logtree/formatter.h>
#include <logtree/formatters.h>
#include <logtree/handler.h>
#include <logtree/handlers.h>
#include <logtree/logger.h>
#include <logtree/record.h>
#include <logtree/version.h>

#endif /* LOGTREE_LOGTREE_H */
