/* tests/test_dispatch.c - the way of a record: handlers of its logger and of
 * each ancestor, handler levels, propagate, the last resort. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <string.h>

#include "support.h"

static lt_handler *attach(lt_logger *lg, capture **c)
{
    lt_handler *h = capture_new(c);

    cr_assert_eq(lt_logger_add_handler(lg, h), 0);
    lt_handler_unref(h); /* the logger keeps its own reference */
    return h;
}

Test(dispatch, nearest_first_up_to_root)
{
    capture *at_root, *at_a, *at_abc;
    lt_logger *root = lt_get_logger(NULL);

    lt_logger_set_level(root, LT_LEVEL_DEBUG);
    attach(root, &at_root);
    attach(lt_get_logger("a"), &at_a);
    attach(lt_get_logger("a.b.c"), &at_abc);
    LT_INFO(lt_get_logger("a.b.c.d"), "from %s", "a.b.c.d");
    LT_INFO(lt_get_logger("a.x"), "from a.x");
    cr_assert_eq(capture_count(at_abc), 1);
    cr_assert_str_eq(capture_line(at_abc, 0), "from a.b.c.d");
    cr_assert_eq(capture_count(at_a), 2);
    cr_assert_eq(capture_count(at_root), 2);
    cr_assert_str_eq(capture_line(at_root, 1), "from a.x");
}

Test(dispatch, only_the_originating_level_filters)
{
    capture *at_root, *at_app;

    lt_logger_set_level(lt_get_logger(NULL), LT_LEVEL_CRITICAL);
    lt_logger_set_level(lt_get_logger("app"), LT_LEVEL_ERROR);
    lt_logger_set_level(lt_get_logger("app.db"), LT_LEVEL_DEBUG);
    attach(lt_get_logger(NULL), &at_root);
    attach(lt_get_logger("app"), &at_app);
    LT_DEBUG(lt_get_logger("app.db"), "passes both");
    LT_WARNING(lt_get_logger("app"), "dropped by app's own level");
    cr_assert_eq(capture_count(at_app), 1);
    cr_assert_eq(capture_count(at_root), 1);
    cr_assert_str_eq(capture_line(at_root, 0), "passes both");
}

Test(dispatch, propagate_off_stops_there)
{
    capture *at_root, *at_app;

    lt_logger_set_level(lt_get_logger(NULL), LT_LEVEL_DEBUG);
    attach(lt_get_logger(NULL), &at_root);
    attach(lt_get_logger("app"), &at_app);
    lt_logger_set_propagate(lt_get_logger("app"), false);
    LT_ERROR(lt_get_logger("app.child"), "child");
    LT_INFO(lt_get_logger("application"), "not a child of app");
    cr_assert_eq(capture_count(at_app), 1);
    cr_assert_eq(capture_count(at_root), 1);
    cr_assert_str_eq(capture_line(at_root, 0), "not a child of app");
}

Test(dispatch, handler_levels)
{
    capture *c;
    lt_handler *h;

    lt_logger_set_level(lt_get_logger(NULL), LT_LEVEL_DEBUG);
    h = attach(lt_get_logger(NULL), &c);
    lt_handler_set_level(h, LT_LEVEL_WARNING);
    cr_assert_eq(lt_handler_level(h), LT_LEVEL_WARNING);
    LT_LOG(lt_get_logger(NULL), 29, "29");
    LT_LOG(lt_get_logger(NULL), 30, "30");
    LT_LOG(lt_get_logger(NULL), 39, "39");
    cr_assert_str_eq(capture_text(c), "30\n39\n");
}

Test(dispatch, same_handler_added_once_but_emits_per_logger)
{
    capture *c;
    lt_handler *h = capture_new(&c);

    lt_logger_set_level(lt_get_logger(NULL), LT_LEVEL_DEBUG);
    cr_assert_eq(lt_logger_add_handler(lt_get_logger("app"), h), 0);
    cr_assert_eq(lt_logger_add_handler(lt_get_logger("app"), h), 0);
    cr_assert_eq(lt_logger_add_handler(lt_get_logger(NULL), h), 0);
    LT_INFO(lt_get_logger("app"), "twice");
    cr_assert_eq(capture_count(c), 2, "once for app, once for root");
    cr_assert_eq(lt_logger_remove_handler(lt_get_logger("app"), h), 0);
    cr_assert_eq(lt_logger_remove_handler(lt_get_logger("app"), h), LT_ENOENT);
    LT_INFO(lt_get_logger("app"), "once");
    cr_assert_eq(capture_count(c), 3);
    lt_handler_unref(h);
}

Test(dispatch, has_handlers)
{
    capture *c;

    cr_assert_not(lt_logger_has_handlers(lt_get_logger("a.b")));
    attach(lt_get_logger("a"), &c);
    cr_assert(lt_logger_has_handlers(lt_get_logger("a.b")));
    lt_logger_set_propagate(lt_get_logger("a.b"), false);
    cr_assert_not(lt_logger_has_handlers(lt_get_logger("a.b")));
    lt_logger_clear_handlers(lt_get_logger("a"));
    cr_assert_not(lt_logger_has_handlers(lt_get_logger("a")));
}

Test(dispatch, arguments_not_evaluated_when_disabled)
{
    int calls = 0;
    lt_logger *lg = lt_get_logger("lazy");

    lt_logger_set_level(lg, LT_LEVEL_WARNING);
    LT_DEBUG(lg, "%d", ++calls);
    LT_INFO(lg, "%d", ++calls);
    cr_assert_eq(calls, 0);
    LT_WARNING(lg, "%d", ++calls);
    cr_assert_eq(calls, 1);
}

Test(dispatch, errno_is_preserved_and_recorded)
{
    capture *c;
    lt_formatter *f;
    lt_percent_options o = {.format = "%(message)s [%(errno)d %(strerror)s]"};
    lt_handler *h;

    lt_logger_set_level(lt_get_logger(NULL), LT_LEVEL_DEBUG);
    h = attach(lt_get_logger(NULL), &c);
    cr_assert_eq(lt_percent_formatter_new(&f, &o, NULL), 0);
    lt_handler_set_formatter(h, f);
    lt_formatter_unref(f);
    errno = ENOENT;
    LT_ERRNO(lt_get_logger(NULL), LT_LEVEL_ERROR, "open %s", "x.conf");
    cr_assert_eq(errno, ENOENT);
    LT_INFO(lt_get_logger(NULL), "plain");
    cr_assert_eq(errno, ENOENT, "logging never changes errno");
    cr_assert_str_eq(capture_line(c, 0), "open x.conf [2 No such file or directory]");
    cr_assert_str_eq(capture_line(c, 1), "plain [0 ]");
}

Test(dispatch, errno_appended_by_default_formatter)
{
    capture *c;

    lt_logger_set_level(lt_get_logger(NULL), LT_LEVEL_DEBUG);
    attach(lt_get_logger(NULL), &c);
    errno = EACCES;
    LT_ERRNO(lt_get_logger(NULL), LT_LEVEL_ERROR, "cannot write");
    cr_assert_str_eq(capture_line(c, 0), "cannot write: Permission denied");
}

Test(dispatch, long_messages_are_whole)
{
    capture *c;
    static char big[100001];

    memset(big, 'x', sizeof(big) - 1);
    lt_logger_set_level(lt_get_logger(NULL), LT_LEVEL_DEBUG);
    attach(lt_get_logger(NULL), &c);
    LT_INFO(lt_get_logger(NULL), "<%s>", big);
    cr_assert_eq(strlen(capture_line(c, 0)), sizeof(big) + 1);
    lt_log_text_at(lt_get_logger(NULL), LT_LEVEL_INFO, NULL, big, 70000);
    cr_assert_eq(strlen(capture_line(c, 1)), 70000);
}

Test(dispatch, text_is_not_a_format)
{
    capture *c;

    lt_logger_set_level(lt_get_logger(NULL), LT_LEVEL_DEBUG);
    attach(lt_get_logger(NULL), &c);
    lt_log_text_at(lt_get_logger(NULL), LT_LEVEL_INFO, NULL, "100% %s %d", 10);
    cr_assert_str_eq(capture_line(c, 0), "100% %s %d");
}

/* Python's lastResort: only when no handler is found at all. */
Test(last_resort, warning_and_above_bare_to_stderr, .init = cr_redirect_stderr)
{
    lt_logger_set_level(lt_get_logger(NULL), LT_LEVEL_DEBUG);
    LT_INFO(lt_get_logger("app"), "dropped");
    LT_WARNING(lt_get_logger("app"), "bare %s", "warning");
    LT_LOG(lt_get_logger(NULL), 29, "29 dropped");
    LT_LOG(lt_get_logger(NULL), 31, "thirty-one");
    fflush(stderr);
    cr_assert_stderr_eq_str("bare warning\nthirty-one\n");
}

Test(last_resort, not_when_a_handler_filters_by_level, .init = cr_redirect_stderr)
{
    capture *c;
    lt_handler *h = attach(lt_get_logger(NULL), &c);

    lt_logger_set_level(lt_get_logger(NULL), LT_LEVEL_DEBUG);
    lt_handler_set_level(h, LT_LEVEL_CRITICAL);
    LT_ERROR(lt_get_logger(NULL), "found a handler, filtered by its level");
    fflush(stderr);
    cr_assert_stderr_eq_str("");
    cr_assert_eq(capture_count(c), 0);
}

Test(last_resort, propagate_off_without_handlers, .init = cr_redirect_stderr)
{
    capture *c;

    attach(lt_get_logger(NULL), &c);
    lt_logger_set_propagate(lt_get_logger("solo"), false);
    LT_WARNING(lt_get_logger("solo.child"), "to stderr");
    fflush(stderr);
    cr_assert_stderr_eq_str("to stderr\n");
    cr_assert_eq(capture_count(c), 0);
}

Test(last_resort, null_handler_counts_as_found, .init = cr_redirect_stderr)
{
    lt_handler *h;

    cr_assert_eq(lt_null_handler_new(&h), 0);
    lt_logger_add_handler(lt_get_logger("lib"), h);
    lt_handler_unref(h);
    LT_ERROR(lt_get_logger("lib.part"), "silent");
    fflush(stderr);
    cr_assert_stderr_eq_str("");
}

Test(last_resort, keeps_the_errno_text, .init = cr_redirect_stderr)
{
    errno = ENOENT;
    LT_ERRNO(lt_get_logger("x"), LT_LEVEL_ERROR, "cannot open %s", "a.conf");
    fflush(stderr);
    cr_assert_stderr_eq_str("cannot open a.conf: No such file or directory\n");
}

static bool reconfigure_from_inside(void *ud, lt_record *rec)
{
    lt_handler *h = ud;
    lt_logger *view;

    (void)rec;
    /* levels, names and views may change while a record is on its way */
    lt_logger_set_level(lt_get_logger("made.inside"), LT_LEVEL_ERROR);
    view = LT_BIND(lt_get_logger("made.inside"), LT_F("k", 1));
    lt_unbind(view);
    /* the routes may not: that would wait for this very record */
    cr_assert_eq(lt_logger_add_handler(lt_get_logger("made.inside"), h), LT_EDEADLK);
    static const char config[] = "[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n"
                                 "[logger_root]\nhandlers=\n";
    cr_assert_eq(lt_config_string(config, sizeof(config) - 1, NULL, 0, NULL), LT_EDEADLK);
    return true;
}

Test(dispatch, filters_may_change_levels_not_routes)
{
    capture *c;
    lt_handler *h = attach(lt_get_logger(NULL), &c);
    lt_filter *f;

    cr_assert_eq(lt_callback_filter_new(&f, reconfigure_from_inside, h, NULL), 0);
    lt_logger_add_filter(lt_get_logger("x"), f);
    lt_filter_unref(f);
    LT_WARNING(lt_get_logger("x"), "through");
    cr_assert_str_eq(capture_text(c), "through\n");
    cr_assert_eq(lt_logger_level(lt_get_logger("made.inside")), LT_LEVEL_ERROR);
}

static void log_when_freed(void *ud)
{
    LT_ERROR((lt_logger *)ud, "filter freed");
}

static bool pass(void *ud, lt_record *rec)
{
    (void)ud;
    (void)rec;
    return true;
}

/* A filter's free_userdata that logs runs with no lock held. */
Test(dispatch, free_userdata_may_log)
{
    capture *c;
    lt_filter *f;

    attach(lt_get_logger(NULL), &c);
    cr_assert_eq(lt_callback_filter_new(&f, pass, lt_get_logger("y"), log_when_freed), 0);
    lt_logger_add_filter(lt_get_logger("y"), f);
    lt_filter_unref(f);
    cr_assert_eq(lt_logger_remove_filter(lt_get_logger("y"), f), 0);
    lt_logger_set_level(lt_get_logger(NULL), LT_LEVEL_DEBUG); /* would hang if the lock broke */
    LT_INFO(lt_get_logger("y"), "after");
    cr_assert_str_eq(capture_text(c), "filter freed\nafter\n");
}
