/* tests/test_filters.c - name filters, callback filters, enrichment, and
 * where filters apply (the originating logger only, as in Python). */
#include <criterion/criterion.h>
#include <string.h>

#include "support.h"

static capture *root_capture(const char *fmt)
{
    capture *c;
    lt_handler *h = capture_new(&c);

    if (fmt) {
        lt_formatter *f;
        lt_percent_options o = {.format = fmt};

        cr_assert_eq(lt_percent_formatter_new(&f, &o, NULL), 0);
        lt_handler_set_formatter(h, f);
        lt_formatter_unref(f);
    }
    lt_logger_set_level(lt_get_logger(NULL), LT_LEVEL_DEBUG);
    lt_logger_add_handler(lt_get_logger(NULL), h);
    lt_handler_unref(h);
    return c;
}

Test(filters, name_filter_as_python)
{
    capture *c = root_capture("%(name)s");
    lt_filter *f;
    lt_handler *h;

    cr_assert_eq(lt_name_filter_new(&f, "a.b"), 0);
    lt_logger_clear_handlers(lt_get_logger(NULL));
    h = capture_new(&c);
    lt_handler_add_filter(h, f);
    lt_logger_add_handler(lt_get_logger(NULL), h);
    const char *names[] = {"a.b", "a.b.c", "a.bc", "a", "x.a.b", "a.b.c.d"};
    for (size_t i = 0; i < 6; i++)
        LT_INFO(lt_get_logger(names[i]), "m");
    cr_assert_eq(capture_count(c), 3);
    lt_filter_unref(f);
    lt_handler_unref(h);
}

Test(filters, empty_name_keeps_all)
{
    lt_filter *f;
    capture *c = root_capture(NULL);

    cr_assert_eq(lt_name_filter_new(&f, ""), 0);
    lt_logger_add_filter(lt_get_logger("x"), f);
    LT_INFO(lt_get_logger("x"), "kept");
    cr_assert_eq(capture_count(c), 1);
    lt_filter_unref(f);
}

static bool reject_all(void *ud, lt_record *rec)
{
    (void)rec;
    ++*(int *)ud;
    return false;
}

/* Python: a logger's filters see the records logged on it, not those of its
 * children passing through. */
Test(filters, logger_filters_only_own_records)
{
    int calls = 0;
    lt_filter *f;
    capture *c = root_capture("%(name)s");

    cr_assert_eq(lt_callback_filter_new(&f, reject_all, &calls, NULL), 0);
    cr_assert_eq(lt_logger_add_filter(lt_get_logger("app"), f), 0);
    cr_assert_eq(lt_logger_add_filter(lt_get_logger("app"), f), 0, "twice is once");
    LT_INFO(lt_get_logger("app"), "dropped");
    LT_INFO(lt_get_logger("app.child"), "passes");
    cr_assert_eq(calls, 1);
    cr_assert_str_eq(capture_text(c), "app.child\n");
    cr_assert_eq(lt_logger_remove_filter(lt_get_logger("app"), f), 0);
    cr_assert_eq(lt_logger_remove_filter(lt_get_logger("app"), f), LT_ENOENT);
    LT_INFO(lt_get_logger("app"), "passes now");
    cr_assert_eq(capture_count(c), 2);
    lt_filter_unref(f);
}

static bool add_request_id(void *ud, lt_record *rec)
{
    lt_value v = {.type = LT_VALUE_STRING};

    v.as.s.ptr = ud;
    v.as.s.len = strlen(ud);
    cr_assert_eq(lt_record_set_field(rec, "request_id", &v), 0);
    return true;
}

Test(filters, enrich_the_record)
{
    lt_filter *f;
    capture *c = root_capture("[%(request_id)s] %(message)s");

    cr_assert_eq(lt_callback_filter_new(&f, add_request_id, "r-42", NULL), 0);
    lt_logger_add_filter(lt_get_logger("web"), f);
    lt_filter_unref(f);
    LT_INFO(lt_get_logger("web"), "GET /");
    cr_assert_str_eq(capture_line(c, 0), "[r-42] GET /");
}

static bool overwrite_attribute(void *ud, lt_record *rec)
{
    lt_value v = {.type = LT_VALUE_INT};

    (void)ud;
    v.as.i = 7;
    cr_assert_eq(lt_record_set_field(rec, "levelname", &v), LT_EINVAL);
    cr_assert_eq(lt_record_set_field(rec, "asctime", &v), LT_EINVAL);
    cr_assert_eq(lt_record_set_field(rec, "", &v), LT_EINVAL);
    cr_assert_eq(lt_record_set_field(rec, "n", &v), 0);
    v.as.i = 8;
    cr_assert_eq(lt_record_set_field(rec, "n", &v), 0, "replaces");
    cr_assert_eq(lt_record_field_count(rec), 1);
    return true;
}

Test(filters, fields_never_hide_attributes)
{
    lt_filter *f;
    capture *c = root_capture("%(levelname)s %(n)d");

    cr_assert_eq(lt_callback_filter_new(&f, overwrite_attribute, NULL, NULL), 0);
    lt_logger_add_filter(lt_get_logger("w"), f);
    lt_filter_unref(f);
    LT_WARNING(lt_get_logger("w"), "m");
    cr_assert_str_eq(capture_line(c, 0), "WARNING 8");
}

static int freed;

static void count_free(void *ud)
{
    (void)ud;
    freed++;
}

static bool keep(void *ud, lt_record *rec)
{
    (void)ud;
    (void)rec;
    return true;
}

Test(filters, userdata_freed_with_last_reference)
{
    lt_filter *f;

    cr_assert_eq(lt_callback_filter_new(&f, keep, &freed, count_free), 0);
    lt_logger_add_filter(lt_get_logger("u"), f);
    lt_filter_unref(f);
    cr_assert_eq(freed, 0, "the logger still holds it");
    lt_logger_remove_filter(lt_get_logger("u"), f);
    cr_assert_eq(freed, 1);
    cr_assert_eq(lt_callback_filter_new(&f, NULL, NULL, NULL), LT_EINVAL);
}
