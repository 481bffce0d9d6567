/* tests/test_percent_prefix.c - the percent formatter's prefix cache: the
 * leading "%(asctime)s %(levelname)s %(name)s " of a format is kept per
 * thread and reused while the record's time (to the millisecond), level and
 * logger name are those it was made from. Each record here is made by hand,
 * so that these are exactly known, and each line is checked against one
 * built here from libc's strftime() and the rule of Python's default
 * asctime ("%Y-%m-%d %H:%M:%S" and ",mmm"). */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "support.h"

static void make_record(lt_record *rec, const char *name, int levelno, const char *levelname,
                        time_t sec, long nsec, const char *message)
{
    memset(rec, 0, sizeof(*rec));
    rec->name = name;
    rec->name_len = strlen(name);
    rec->levelno = levelno;
    rec->levelname = levelname;
    rec->levelname_len = strlen(levelname);
    rec->pathname = "src/app.c";
    rec->funcname = "serve";
    rec->lineno = 7;
    rec->created.tv_sec = sec;
    rec->created.tv_nsec = nsec;
    rec->msg = rec->message = message;
    rec->message_len = strlen(message);
    rec->strerror = "";
    rec->thread_name = "MainThread";
    rec->process_name = "app";
}

/* What "%(asctime)s <tag> %(levelname)s %(name)s: %(message)s" must print
 * in UTC, @name as the handler's escaping leaves it. */
static void expected(char *out, size_t size, const char *tag, const char *name, const char *levelname,
                     time_t sec, long nsec, const char *message)
{
    char date[32];
    struct tm tm;

    gmtime_r(&sec, &tm);
    strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(out, size, "%s,%03ld %s %s %s: %s", date, nsec / 1000000, tag, levelname, name,
             message);
}

static lt_formatter *make_tagged(const char *tag)
{
    char format[128];
    lt_formatter *f = NULL;

    snprintf(format, sizeof(format), "%%(asctime)s %s %%(levelname)s %%(name)s: %%(message)s",
             tag);
    cr_assert_eq(
        lt_percent_formatter_new(&f, &(lt_percent_options){.format = format, .utc = true}, NULL),
        0);
    return f;
}

static void check(lt_formatter *f, lt_buf *b, const lt_record *rec, const char *want)
{
    lt_buf_truncate(b, 0);
    cr_assert_eq(lt_formatter_format(f, rec, b), 0);
    cr_expect_str_eq(lt_buf_data(b), want);
}

/* Records whose time, level or name change by the least that matters (a
 * millisecond; a second with the same millisecond; a level with the same
 * name's length; a name with the same length; a level's other name at the
 * same number), through more formatters than the cache has slots, in turn:
 * every line is the one its own record makes. */
Test(prefix_cache, each_line_follows_its_record)
{
    static const struct {
        const char *name, *levelname;
        int levelno;
        time_t sec;
        long nsec;
    } recs[] = {
        {"app.a", "INFO", 20, 1700000000, 998999999},
        {"app.a", "INFO", 20, 1700000000, 998000000}, /* the same millisecond */
        {"app.a", "INFO", 20, 1700000000, 999000000}, /* the next */
        {"app.a", "INFO", 20, 1700000001, 999000000}, /* the next second, same ms */
        {"app.b", "INFO", 20, 1700000001, 999000000}, /* a name of the same length */
        {"app.b", "WARN", 30, 1700000001, 999000000}, /* a level of the same length */
        {"app.b", "Level 35", 35, 1700000001, 999000000},
        {"app.b", "NOTICE", 35, 1700000001, 999000000}, /* level 35 named since */
        {"app.a", "INFO", 20, 1700000000, 998999999}, /* the first again */
        {"", "INFO", 20, 1700000000, 998999999},
    };
    lt_formatter *f[6];
    char tag[16], want[256];
    lt_buf *b;

    cr_assert_eq(lt_buf_new(&b), 0);
    for (int k = 0; k < 6; k++) {
        snprintf(tag, sizeof(tag), "k%d", k);
        f[k] = make_tagged(tag);
    }
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof(recs) / sizeof(recs[0]); i++) {
            for (int k = 0; k < 6; k += round + 1) {
                lt_record rec;

                make_record(&rec, recs[i].name, recs[i].levelno, recs[i].levelname, recs[i].sec,
                            recs[i].nsec, "hi");
                snprintf(tag, sizeof(tag), "k%d", k);
                expected(want, sizeof(want), tag, recs[i].name, recs[i].levelname, recs[i].sec,
                         recs[i].nsec, "hi");
                check(f[k], b, &rec, want);
            }
        }
    }
    for (int k = 0; k < 6; k++)
        lt_formatter_unref(f[k]);
    lt_buf_free(b);
}

/* The same record into a buffer that escapes and one that does not: the
 * kept prefix of one is not the other's. */
Test(prefix_cache, escaping_is_part_of_the_key)
{
    lt_formatter *f = make_tagged("t");
    char want[256];
    lt_record rec;
    lt_buf *b;

    cr_assert_eq(lt_buf_new(&b), 0);
    make_record(&rec, "evil\nname", 20, "INFO", 1700000000, 5000000, "hi");
    for (int i = 0; i < 2; i++) {
        lt_buf_set_escape(b, LT_ESCAPE_CONTROLS);
        expected(want, sizeof(want), "t", "evil\\nname", "INFO", 1700000000, 5000000, "hi");
        check(f, b, &rec, want);
        lt_buf_set_escape(b, LT_ESCAPE_NONE);
        expected(want, sizeof(want), "t", "evil\nname", "INFO", 1700000000, 5000000, "hi");
        check(f, b, &rec, want);
    }
    lt_formatter_unref(f);
    lt_buf_free(b);
}

/* A formatter made where a freed one was (malloc() hands the same memory
 * back) prints its own format, not what the freed one kept. */
Test(prefix_cache, a_new_formatter_never_finds_a_freed_ones_text)
{
    char tag[16], want[256];
    lt_record rec;
    lt_buf *b;

    cr_assert_eq(lt_buf_new(&b), 0);
    make_record(&rec, "app", 20, "INFO", 1700000000, 0, "hi");
    for (int k = 0; k < 20; k++) {
        lt_formatter *f;

        snprintf(tag, sizeof(tag), "n%d", k);
        f = make_tagged(tag);
        expected(want, sizeof(want), tag, "app", "INFO", 1700000000, 0, "hi");
        check(f, b, &rec, want);
        lt_formatter_unref(f);
    }
    lt_buf_free(b);
}

/* A prefix too long to keep (a long logger name) is formatted each time. */
Test(prefix_cache, a_long_name_is_formatted_each_time)
{
    lt_formatter *f = make_tagged("t");
    char name[200], want[512];
    lt_record rec;
    lt_buf *b;

    cr_assert_eq(lt_buf_new(&b), 0);
    memset(name, 'x', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    for (long ms = 0; ms < 3; ms++) {
        name[0] = (char)('a' + ms); /* a name differing only past the kept bytes' length */
        make_record(&rec, name, 20, "INFO", 1700000000, ms * 1000000, "hi");
        expected(want, sizeof(want), "t", name, "INFO", 1700000000, ms * 1000000, "hi");
        check(f, b, &rec, want);
        check(f, b, &rec, want);
    }
    lt_formatter_unref(f);
    lt_buf_free(b);
}
