/* tests/test_fields.c - typed fields: at the call site (LT_F), bound to a
 * logger (lt_bind) and pushed for a thread (lt_context_push). */
#include <criterion/criterion.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "support.h"

static lt_record *kept;

static bool keep_copy(void *ud, lt_record *rec)
{
    (void)ud;
    lt_record_free(kept);
    cr_assert_eq(lt_record_copy(rec, &kept), 0);
    return true;
}

/* A logger whose records are rendered with @fmt into a capture, and copied
 * into `kept` as they pass. */
static capture *setup(const char *name, const char *fmt)
{
    lt_logger *lg = lt_get_logger(name);
    capture *c;
    lt_handler *h = capture_new(&c);
    lt_formatter *f;
    lt_filter *filter;

    cr_assert_eq(lt_percent_formatter_new(&f, &(lt_percent_options){.format = fmt}, NULL), 0);
    lt_handler_set_formatter(h, f);
    lt_formatter_unref(f);
    lt_callback_filter_new(&filter, keep_copy, NULL, NULL);
    lt_handler_add_filter(h, filter);
    lt_filter_unref(filter);
    lt_logger_add_handler(lg, h);
    lt_handler_unref(h);
    lt_logger_set_level(lg, LT_LEVEL_DEBUG);
    return c;
}

static void teardown(void)
{
    lt_record_free(kept);
    kept = NULL;
    lt_shutdown();
}

TestSuite(fields, .fini = teardown);

static const lt_value *field(const char *key)
{
    static lt_value v;

    cr_assert(lt_record_find_field(kept, key, &v), "no field %s", key);
    return &v;
}

Test(fields, every_c_type)
{
    signed char sc = -5;
    unsigned short us = 65535;
    long l = LONG_MIN;
    unsigned long long ull = ULLONG_MAX;
    float fl = 0.5f;
    bool yes = true;
    char text[] = "mutable";
    const char *none = NULL;
    char with_nul[] = {'a', '\0', 'b'};

    setup("t", "%(message)s");
    LT_INFO(lt_get_logger("t"), "all %s", "types", LT_F("sc", sc), LT_F("us", us), LT_F("l", l),
            LT_F("ull", ull), LT_F("fl", fl), LT_F("d", 2.25), LT_F("yes", yes),
            LT_F("text", text), LT_F("lit", "literal"), LT_F("none", none), LT_F("null", NULL),
            LT_F("nul", LT_STR(with_nul, 3)), LT_F("int", 42));
    cr_assert_eq(lt_record_field_count(kept), 13);
    cr_assert_eq(field("sc")->type, LT_VALUE_INT);
    cr_assert_eq(field("sc")->as.i, -5);
    cr_assert_eq(field("us")->type, LT_VALUE_UINT);
    cr_assert_eq(field("us")->as.u, 65535);
    cr_assert_eq(field("l")->as.i, LONG_MIN);
    cr_assert_eq(field("ull")->type, LT_VALUE_UINT);
    cr_assert_eq(field("ull")->as.u, ULLONG_MAX);
    cr_assert_eq(field("fl")->type, LT_VALUE_DOUBLE);
    cr_assert_eq(field("fl")->as.d, 0.5);
    cr_assert_eq(field("d")->as.d, 2.25);
    cr_assert_eq(field("yes")->type, LT_VALUE_BOOL);
    cr_assert(field("yes")->as.b);
    cr_assert_eq(field("text")->type, LT_VALUE_STRING);
    cr_assert_eq(field("text")->as.s.len, 7);
    cr_assert_eq(field("none")->type, LT_VALUE_NULL);
    cr_assert_eq(field("null")->type, LT_VALUE_NULL);
    cr_assert_eq(field("nul")->as.s.len, 3);
    cr_assert_eq(memcmp(field("nul")->as.s.ptr, "a\0b", 3), 0);
    cr_assert_eq(field("int")->as.i, 42);
    cr_assert_str_eq(lt_record_message(kept), "all types");
}

Test(fields, printf_arguments_of_every_type_before_fields)
{
    capture *c = setup("t", "%(message)s|%(k)s");
    long double ld = 1.5L;
    void *p = NULL;

    LT_INFO(lt_get_logger("t"), "%hhd %hd %d %u %ld %lu %lld %llu %.1f %.1Lf %s %p %c", (char)1,
            (short)2, 3, 4u, 5L, 6UL, 7LL, 8ULL, 9.5, ld, "str", p, 'x', LT_F("k", "v"));
    cr_assert_str_eq(capture_line(c, 0), "1 2 3 4 5 6 7 8 9.5 1.5 str (nil) x|v");
}

Test(fields, strings_are_copied_by_records_that_outlive_the_call)
{
    char *name = strdup("temporary");

    setup("t", "%(message)s");
    LT_INFO(lt_get_logger("t"), "m", LT_F("who", name));
    free(name);
    cr_assert_eq(field("who")->as.s.len, 9);
    cr_assert_eq(memcmp(field("who")->as.s.ptr, "temporary", 9), 0);
}

Test(fields, usable_by_name_in_formats)
{
    capture *c = setup("t", "%(user)-6s|%(status)d|%(ms).1f|%(missing)s");

    LT_INFO(lt_get_logger("t"), "m", LT_F("user", "ann"), LT_F("status", 404), LT_F("ms", 2.25));
    cr_assert_str_eq(capture_line(c, 0), "ann   |404|2.2|<missing?>");
}

Test(fields, later_key_wins_and_keeps_its_place)
{
    setup("t", "%(message)s");
    LT_INFO(lt_get_logger("t"), "m", LT_F("a", 1), LT_F("b", 2), LT_F("a", 3));
    cr_assert_eq(lt_record_field_count(kept), 2);
    const char *key;
    lt_value v;
    cr_assert(lt_record_field(kept, 0, &key, &v));
    cr_assert_str_eq(key, "a");
    cr_assert_eq(v.as.i, 3);
}

Test(fields, bad_keys_are_renamed_not_lost)
{
    setup("t", "%(message)s");
    LT_INFO(lt_get_logger("t"), "m", LT_F("message", "hidden?"), LT_F("levelname", 1),
            LT_F("has space", 2), LT_F("9lives", 3), LT_F("é", 4), LT_F("a.b-c", 5));
    cr_assert_str_eq(lt_record_message(kept), "m", "an attribute is never hidden");
    cr_assert_eq(field("_message")->as.s.len, 7);
    cr_assert_eq(field("_levelname")->as.i, 1);
    cr_assert_eq(field("_has_space")->as.i, 2);
    cr_assert_eq(field("_9lives")->as.i, 3);
    cr_assert_eq(field("é")->as.i, 4, "non-ASCII letters are letters");
    cr_assert_eq(field("a.b-c")->as.i, 5);
}

Test(fields, not_evaluated_when_disabled)
{
    int args = 0, fields = 0;

    setup("t", "%(message)s");
    lt_logger_set_level(lt_get_logger("t"), LT_LEVEL_ERROR);
    LT_INFO(lt_get_logger("t"), "m %d", ++args, LT_F("n", ++fields));
    cr_assert_eq(args + fields, 0);
}

Test(fields, many_fields_go_to_the_heap)
{
    setup("t", "%(message)s");
    LT_INFO(lt_get_logger("t"), "m", LT_F("f01", 1), LT_F("f02", 2), LT_F("f03", 3),
            LT_F("f04", 4), LT_F("f05", 5), LT_F("f06", 6), LT_F("f07", 7), LT_F("f08", 8),
            LT_F("f09", 9), LT_F("f10", 10), LT_F("f11", 11), LT_F("f12", 12), LT_F("f13", 13),
            LT_F("f14", 14), LT_F("f15", 15), LT_F("f16", 16), LT_F("f17", 17), LT_F("f18", 18),
            LT_F("f19", 19), LT_F("f20", 20), LT_F("f21", 21), LT_F("f22", 22), LT_F("f23", 23),
            LT_F("f24", 24), LT_F("f25", 25), LT_F("f26", 26), LT_F("f27", 27), LT_F("f28", 28),
            LT_F("f29", 29), LT_F("f30", 30), LT_F("f31", 31), LT_F("f32", 32));
    cr_assert_eq(lt_record_field_count(kept), 32);
    cr_assert_eq(field("f32")->as.i, 32);
}

Test(fields, errno_calls_carry_fields)
{
    setup("t", "%(message)s");
    errno = ENOENT;
    LT_ERRNO(lt_get_logger("t"), LT_LEVEL_ERROR, "open %s", "x", LT_F("path", "/x"));
    cr_assert_eq(lt_record_errno(kept), ENOENT);
    cr_assert_eq(field("path")->as.s.len, 2);
}

/* ---- bound loggers ---- */

Test(fields, bind_adds_fields_to_every_record)
{
    capture *c = setup("web", "%(name)s %(request_id)s %(user)s %(message)s");
    lt_logger *req = LT_BIND(lt_get_logger("web"), LT_F("request_id", "r-1"), LT_F("user", "ann"));

    cr_assert_not_null(req);
    cr_assert_str_eq(lt_logger_name(req), "web");
    LT_INFO(req, "first");
    LT_INFO(req, "second", LT_F("user", "bob"));
    cr_assert_str_eq(capture_line(c, 0), "web r-1 ann first");
    cr_assert_str_eq(capture_line(c, 1), "web r-1 bob second", "the call site wins");
    lt_unbind(req);
}

Test(fields, views_follow_the_level_of_their_logger)
{
    capture *c = setup("web", "%(message)s");
    lt_logger *req = LT_BIND(lt_get_logger("web"), LT_F("k", 1));

    lt_logger_set_level(lt_get_logger("web"), LT_LEVEL_ERROR);
    LT_INFO(req, "dropped");
    lt_logger_set_level(req, LT_LEVEL_DEBUG); /* acts on web */
    cr_assert_eq(lt_logger_level(lt_get_logger("web")), LT_LEVEL_DEBUG);
    LT_INFO(req, "kept");
    cr_assert_str_eq(capture_text(c), "kept\n");
    lt_unbind(req);
    lt_unbind(lt_get_logger("web")); /* not a view: does nothing */
    lt_unbind(NULL);
}

Test(fields, bind_again_keeps_both_sets)
{
    capture *c = setup("web", "%(a)s %(b)s %(message)s");
    lt_logger *one = LT_BIND(lt_get_logger("web"), LT_F("a", "1"), LT_F("b", "1"));
    char *value = strdup("2");
    lt_logger *two = LT_BIND(one, LT_F("b", value));

    free(value); /* bound values are copied */
    lt_unbind(one); /* views are independent */
    LT_INFO(two, "m");
    cr_assert_str_eq(capture_line(c, 0), "1 2 m");
    lt_unbind(two);
}

/* ---- thread context ---- */

Test(fields, context_nests_and_pops)
{
    capture *c = setup("t", "%(req)s %(step)s %(message)s");

    cr_assert_eq(LT_CONTEXT_PUSH(LT_F("req", "r-9"), LT_F("step", "a")), 1);
    LT_INFO(lt_get_logger("t"), "one");
    cr_assert_eq(LT_CONTEXT_PUSH(LT_F("step", "b")), 2);
    LT_INFO(lt_get_logger("t"), "two");
    cr_assert_eq(lt_context_pop(), 1);
    LT_INFO(lt_get_logger("t"), "three");
    lt_context_restore(0);
    cr_assert_eq(lt_context_pop(), LT_ENOENT);
    LT_INFO(lt_get_logger("t"), "four");
    cr_assert_str_eq(capture_text(c), "r-9 a one\nr-9 b two\nr-9 a three\n<req?> <step?> four\n");
}

Test(fields, precedence_context_then_bound_then_call_site)
{
    capture *c = setup("t", "%(k)s");
    lt_logger *view = LT_BIND(lt_get_logger("t"), LT_F("k", "bound"));

    LT_CONTEXT_PUSH(LT_F("k", "context"));
    LT_INFO(lt_get_logger("t"), "m");
    LT_INFO(view, "m");
    LT_INFO(view, "m", LT_F("k", "site"));
    cr_assert_str_eq(capture_text(c), "context\nbound\nsite\n");
    lt_context_pop();
    lt_unbind(view);
}

static void *other_thread(void *ud)
{
    LT_INFO(lt_get_logger("t"), "other");
    LT_CONTEXT_PUSH(LT_F("req", "leaked at thread exit"));
    (void)ud;
    return NULL; /* the push is freed when the thread ends */
}

Test(fields, context_is_per_thread)
{
    capture *c = setup("t", "%(req)s %(message)s");
    pthread_t t;

    LT_CONTEXT_PUSH(LT_F("req", "main"));
    pthread_create(&t, NULL, other_thread, NULL);
    pthread_join(t, NULL);
    LT_INFO(lt_get_logger("t"), "main");
    cr_assert_str_eq(capture_text(c), "<req?> other\nmain main\n");
    lt_context_pop();
}

/* Python 3.10's Formatter(defaults=...): fills a name the record lacks. */
Test(fields, formatter_defaults)
{
    lt_formatter *f;
    capture *c;
    lt_handler *h = capture_new(&c);
    char *dflt = strdup("-");
    lt_field defaults[] = {LT_F("user", dflt), LT_F("status", 0)};

    cr_assert_eq(lt_percent_formatter_new(&f,
                                          &(lt_percent_options){
                                              .format = "%(user)s %(status)03d %(message)s",
                                              .defaults = defaults,
                                              .ndefaults = 2,
                                          },
                                          NULL),
                 0);
    free(dflt); /* copied */
    lt_handler_set_formatter(h, f);
    lt_formatter_unref(f);
    lt_logger_add_handler(lt_get_logger("d"), h);
    lt_handler_unref(h);
    LT_WARNING(lt_get_logger("d"), "anonymous");
    LT_WARNING(lt_get_logger("d"), "known", LT_F("user", "ann"), LT_F("status", 7));
    cr_assert_str_eq(capture_text(c), "- 000 anonymous\nann 007 known\n");
}

/* Hostile sizes: a thousand fields, and a megabyte in one value. */
Test(fields, a_thousand_fields_and_a_megabyte)
{
    enum { N = 1000, BIG = 1 << 20 };
    static lt_field many[N];
    static char keys[N][8];
    char *big = malloc(BIG);
    lt_logger *view;

    memset(big, 'x', BIG);
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof(keys[i]), "k%d", i);
        many[i] = LT_F(keys[i], i);
    }
    setup("t", "%(k0)s %(k999)s");
    view = lt_bind(lt_get_logger("t"), many, N);
    cr_assert_not_null(view);
    LT_INFO(view, "m", LT_F("big", LT_STR(big, BIG)));
    cr_assert_eq(lt_record_field_count(kept), N + 1);
    cr_assert_eq(field("k999")->as.i, 999);
    cr_assert_eq(field("big")->as.s.len, BIG);
    cr_assert_eq(memcmp(field("big")->as.s.ptr, big, BIG), 0);
    lt_unbind(view);
    free(big);
}

Test(fields, keys_with_broken_utf8_are_renamed)
{
    setup("t", "%(message)s");
    LT_INFO(lt_get_logger("t"), "m", LT_F("ok\xc3\xa9", 1), LT_F("bad\xc3", 2), LT_F("\xff", 3),
            LT_F("\xed\xa0\x80", 4));
    cr_assert_eq(field("ok\xc3\xa9")->as.i, 1);
    cr_assert_eq(field("_bad_")->as.i, 2);
    cr_assert_eq(field("__")->as.i, 3);
    cr_assert_eq(field("____")->as.i, 4, "a UTF-8 surrogate is not a letter");
}

static void *flush_elsewhere(void *h)
{
    lt_handler_flush(h);
    return NULL;
}

/* Context is captured when the call is made: a record kept by a
 * MemoryHandler and formatted later, on another thread, after the context was
 * popped, still carries it. */
Test(fields, context_travels_with_kept_records)
{
    capture *c;
    lt_handler *target = capture_new(&c), *mem;
    lt_formatter *f;
    pthread_t t;

    cr_assert_eq(lt_percent_formatter_new(&f, &(lt_percent_options){.format = "%(req)s %(message)s"},
                                          NULL),
                 0);
    lt_handler_set_formatter(target, f);
    lt_formatter_unref(f);
    cr_assert_eq(lt_memory_handler_new(&mem, 10, LT_LEVEL_CRITICAL, target, 0), 0);
    lt_logger_add_handler(lt_get_logger("kept"), mem);
    lt_logger_set_level(lt_get_logger("kept"), LT_LEVEL_DEBUG);
    char *id = strdup("r-77");
    lt_context_push(&LT_F("req", id), 1);
    free(id);
    LT_INFO(lt_get_logger("kept"), "buffered");
    lt_context_pop();
    cr_assert_eq(capture_count(c), 0);
    pthread_create(&t, NULL, flush_elsewhere, mem);
    pthread_join(t, NULL);
    cr_assert_str_eq(capture_text(c), "r-77 buffered\n");
    lt_handler_unref(mem);
    lt_handler_unref(target);
}

Test(fields, views_follow_disabled_and_enabled)
{
    capture *c = setup("web", "%(message)s");
    lt_logger *view;

    lt_logger_set_disabled(lt_get_logger("web"), true);
    view = LT_BIND(lt_get_logger("web"), LT_F("k", 1));
    LT_ERROR(view, "dropped");
    lt_logger_set_disabled(lt_get_logger("web"), false);
    LT_ERROR(view, "kept");
    cr_assert_str_eq(capture_text(c), "kept\n");
    lt_unbind(view);
}

static pthread_key_t later_key;

/* Runs after logtree's own thread-exit destructor (its key is older). */
static void log_at_thread_exit(void *ud)
{
    LT_ERROR(lt_get_logger("t"), "from a destructor");
    (void)ud;
}

static void *push_and_exit(void *ud)
{
    LT_CONTEXT_PUSH(LT_F("req", "gone"));
    pthread_setspecific(later_key, ud);
    return NULL;
}

Test(fields, logging_after_the_context_was_freed_at_thread_exit)
{
    capture *c = setup("t", "%(req)s %(message)s");
    pthread_t t;

    LT_CONTEXT_PUSH(LT_F("req", "main")); /* makes logtree's key first */
    lt_context_pop();
    pthread_key_create(&later_key, log_at_thread_exit);
    pthread_create(&t, NULL, push_and_exit, (void *)1);
    pthread_join(t, NULL);
    cr_assert_str_eq(capture_text(c), "<req?> from a destructor\n");
}
