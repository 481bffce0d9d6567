/* tests/test_records.c - the attributes every record has, by Python's names. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static lt_record *kept;

static bool keep_copy(void *ud, lt_record *rec)
{
    (void)ud;
    cr_assert_eq(lt_record_copy(rec, &kept), 0);
    return true;
}

/* Log one record from this file and keep a copy of it. */
static lt_record *one_record(void)
{
    lt_filter *f;
    lt_logger *lg = lt_get_logger("app.db");
    capture *c;
    lt_handler *h = capture_new(&c);

    lt_callback_filter_new(&f, keep_copy, NULL, NULL);
    lt_logger_add_filter(lg, f);
    lt_logger_add_handler(lg, h);
    lt_logger_set_level(lg, LT_LEVEL_DEBUG);
    LT_WARNING(lg, "disk %d%% full", 93);
    lt_logger_remove_filter(lg, f);
    lt_filter_unref(f);
    lt_handler_unref(h);
    return kept;
}

static const char *str_attr(const lt_record *rec, const char *name)
{
    static char buf[256];
    lt_value v;

    cr_assert(lt_record_attr(rec, name, &v), "%s exists", name);
    cr_assert_eq(v.type, LT_VALUE_STRING, "%s is a string", name);
    snprintf(buf, sizeof(buf), "%.*s", (int)v.as.s.len, v.as.s.ptr);
    return buf;
}

static int64_t int_attr(const lt_record *rec, const char *name)
{
    lt_value v;

    cr_assert(lt_record_attr(rec, name, &v));
    cr_assert_eq(v.type, LT_VALUE_INT, "%s is an int", name);
    return v.as.i;
}

static double double_attr(const lt_record *rec, const char *name)
{
    lt_value v;

    cr_assert(lt_record_attr(rec, name, &v));
    cr_assert_eq(v.type, LT_VALUE_DOUBLE, "%s is a double", name);
    return v.as.d;
}

Test(records, python_attributes)
{
    time_t before = time(NULL);
    int line = __LINE__ + 1;
    lt_record *rec = one_record();

    (void)line;
    cr_assert_str_eq(str_attr(rec, "name"), "app.db");
    cr_assert_str_eq(str_attr(rec, "levelname"), "WARNING");
    cr_assert_eq(int_attr(rec, "levelno"), 30);
    cr_assert_str_eq(str_attr(rec, "message"), "disk 93% full");
    cr_assert_str_eq(str_attr(rec, "msg"), "disk %d%% full");
    cr_assert_str_eq(str_attr(rec, "filename"), "test_records.c");
    cr_assert_str_eq(str_attr(rec, "module"), "test_records");
    cr_assert(strstr(str_attr(rec, "pathname"), "tests/test_records.c") != NULL);
    cr_assert_str_eq(str_attr(rec, "funcName"), "one_record");
    cr_assert_gt(int_attr(rec, "lineno"), 0);
    cr_assert_eq(int_attr(rec, "process"), getpid());
    cr_assert_str_eq(str_attr(rec, "threadName"), "MainThread");
    cr_assert_eq(int_attr(rec, "errno"), 0);
    cr_assert_str_eq(str_attr(rec, "strerror"), "");
    double created = double_attr(rec, "created");
    cr_assert(created >= (double)before && created <= (double)time(NULL) + 1);
    double msecs = double_attr(rec, "msecs");
    cr_assert(msecs >= 0 && msecs < 1000 && msecs == (double)(long)msecs);
    cr_assert_geq(double_attr(rec, "relativeCreated"), 0);
    lt_value v;
    cr_assert(lt_record_attr(rec, "thread", &v));
    cr_assert_eq(v.type, LT_VALUE_UINT);
    cr_assert_eq(v.as.u, (uint64_t)pthread_self());
    cr_assert(lt_record_attr(rec, "exc_info", &v));
    cr_assert_eq(v.type, LT_VALUE_NULL);
    cr_assert_not(lt_record_attr(rec, "asctime", &v), "asctime belongs to formatters");
    cr_assert_not(lt_record_attr(rec, "nosuch", &v));
    lt_record_free(rec);
}

Test(records, attr_numbers_round_trip)
{
    for (int i = 0; i < LT_ATTR_COUNT; i++)
        cr_assert_eq(lt_attr_from_name(lt_attr_name(i)), i);
    cr_assert_eq(lt_attr_from_name("asctime"), -1);
    cr_assert_null(lt_attr_name(LT_ATTR_COUNT));
}

Test(records, module_is_splitext)
{
    static const lt_callsite sites[] = {{.file = "/src/a/b.tar.gz", .func = "f", .line = 1},
                                        {.file = "/x/.hidden", .func = "f", .line = 1},
                                        {.file = "noext", .func = "f", .line = 1},
                                        {.file = "..x.c", .func = "f", .line = 1}};
    static const char *modules[] = {"b.tar", ".hidden", "noext", "..x"};
    capture *c;
    lt_handler *h = capture_new(&c);
    lt_formatter *f;
    lt_percent_options o = {.format = "%(module)s|%(filename)s"};

    cr_assert_eq(lt_percent_formatter_new(&f, &o, NULL), 0);
    lt_handler_set_formatter(h, f);
    lt_formatter_unref(f);
    lt_logger_add_handler(lt_get_logger(NULL), h);
    for (size_t i = 0; i < 4; i++) {
        char want[64];

        lt_log_at(lt_get_logger(NULL), LT_LEVEL_ERROR, &sites[i], "m");
        snprintf(want, sizeof(want), "%s|%s", modules[i], strrchr(sites[i].file, '/')
                                                              ? strrchr(sites[i].file, '/') + 1
                                                              : sites[i].file);
        cr_assert_str_eq(capture_line(c, i), want);
    }
    lt_handler_unref(h);
}

Test(records, unknown_call_site)
{
    capture *c;
    lt_handler *h = capture_new(&c);
    lt_formatter *f;
    lt_percent_options o = {.format = "%(pathname)s %(funcName)s %(lineno)d"};

    cr_assert_eq(lt_percent_formatter_new(&f, &o, NULL), 0);
    lt_handler_set_formatter(h, f);
    lt_formatter_unref(f);
    lt_logger_add_handler(lt_get_logger(NULL), h);
    lt_log_at(lt_get_logger(NULL), LT_LEVEL_ERROR, NULL, "m");
    cr_assert_str_eq(capture_line(c, 0), "(unknown file) (unknown function) 0");
    lt_handler_unref(h);
}

static void *log_from_thread(void *ud)
{
    LT_ERROR(lt_get_logger(NULL), "from a thread");
    (void)ud;
    return NULL;
}

Test(records, thread_names)
{
    capture *c;
    lt_handler *h = capture_new(&c);
    lt_formatter *f;
    lt_percent_options o = {.format = "%(threadName)s"};
    pthread_t t;

    cr_assert_eq(lt_percent_formatter_new(&f, &o, NULL), 0);
    lt_handler_set_formatter(h, f);
    lt_formatter_unref(f);
    lt_logger_add_handler(lt_get_logger(NULL), h);
    LT_ERROR(lt_get_logger(NULL), "main");
    pthread_create(&t, NULL, log_from_thread, NULL);
    pthread_join(t, NULL);
    cr_assert_str_eq(capture_line(c, 0), "MainThread");
    cr_assert_eq(strncmp(capture_line(c, 1), "Thread-", 7), 0, "got %s", capture_line(c, 1));
    lt_handler_unref(h);
}
