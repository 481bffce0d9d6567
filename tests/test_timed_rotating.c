/* tests/test_timed_rotating.c - TimedRotatingFileHandler with an injected
 * clock (no test sleeps): rollover times (S M H D MIDNIGHT W0-W6, intervals,
 * from the file's mtime at start), backup names, DST changes in
 * Europe/Berlin, removal of old files by Python's matching rule, files that
 * are not regular, failures, descriptors, and the config-file class.
 *
 * Each scenario was run once through Python 3.11.7:
 *   time.time patched to the scenario's clock, TZ as given,
 *   TimedRotatingFileHandler('app.log', when, interval, backupCount,
 *                            delay=True, utc=...),
 *   then one handle() per record; printed: handler.rolloverAt after each
 *   record and every file left with its contents.
 * Those printouts are the tables below. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static time_t fake_now;

static time_t fake_clock(void *arg)
{
    (void)arg;
    return fake_now;
}

static lt_timed_clock test_clock = {fake_clock, NULL};

static void set_tz(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

static lt_logger *logger_with(lt_handler *h)
{
    lt_logger *lg = lt_get_logger("t");

    lt_logger_set_level(lg, LT_LEVEL_DEBUG);
    lt_logger_set_propagate(lg, false);
    cr_assert_eq(lt_logger_add_handler(lg, h), 0);
    return lg;
}

/* A handler on app.log whose clock starts at @start. */
static lt_handler *timed(const char *when, long interval, unsigned backups, unsigned flags,
                         time_t start)
{
    lt_handler *h = NULL;

    fake_now = start;
    cr_assert_eq(lt_timed_rotating_file_handler_new(&h, "app.log", when, interval, backups, flags),
                 0);
    cr_assert_eq(lt_handler_control(h, LT_TIMED_CTL_SET_CLOCK, &test_clock), 0);
    return h;
}

static time_t next_rollover(lt_handler *h)
{
    time_t t = 0;

    cr_assert_eq(lt_handler_control(h, LT_TIMED_CTL_NEXT_ROLLOVER, &t), 0);
    return t;
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    cr_assert_not_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of the working directory, sorted, NULL-terminated (static). */
static char **list_files(void)
{
    static char *names[64];
    size_t n = 0;
    struct dirent *e;
    DIR *d = opendir(".");

    cr_assert_not_null(d);
    while ((e = readdir(d)) != NULL && n < 63)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof(*names), compare_strings);
    names[n] = NULL;
    return names;
}

#define MAX_STEPS 6
#define MAX_FILES 10

struct step {
    time_t at;
    const char *msg;
    time_t next; /* rolloverAt after the record */
};

struct file {
    const char *name;
    const char *text;
};

struct scenario {
    const char *tz;
    const char *when;
    long interval;
    unsigned backups;
    unsigned flags;
    time_t start;
    time_t first_next; /* rolloverAt after __init__ */
    struct step steps[MAX_STEPS];
    struct file files[MAX_FILES]; /* everything left in the directory, sorted */
};

static void expect_files(const struct file *files)
{
    char **names = list_files();
    size_t i;

    for (i = 0; files[i].name; i++) {
        cr_assert_not_null(names[i], "missing %s", files[i].name);
        cr_assert_str_eq(names[i], files[i].name);
        cr_assert_str_eq(slurp(files[i].name), files[i].text, "in %s", files[i].name);
    }
    cr_assert_null(names[i], "unexpected file %s", names[i] ? names[i] : "");
    for (i = 0; names[i]; i++)
        free(names[i]);
}

static void run(const struct scenario *s)
{
    lt_handler *h;
    lt_logger *lg;

    set_tz(s->tz);
    h = timed(s->when, s->interval, s->backups, s->flags | LT_FILE_DELAY, s->start);
    cr_assert_eq(next_rollover(h), s->first_next, "first rollover %ld, Python %ld",
                 (long)next_rollover(h), (long)s->first_next);
    lg = logger_with(h);
    for (size_t i = 0; s->steps[i].msg; i++) {
        fake_now = s->steps[i].at;
        LT_INFO(lg, "%s", s->steps[i].msg);
        cr_assert_eq(next_rollover(h), s->steps[i].next, "after %s: %ld, Python %ld",
                     s->steps[i].msg, (long)next_rollover(h), (long)s->steps[i].next);
    }
    cr_assert_eq(lt_handler_error_count(h), 0);
    lt_logger_clear_handlers(lg);
    lt_handler_unref(h);
    expect_files(s->files);
}

/* ---- UTC (LT_ROTATE_UTC; the local zone is odd on purpose) ---- */

/* The scenario tables read best one record per line. */
/* clang-format off */

#define UTC_ZONE "IST-5:30"

Test(timed, hourly)
{
    /* start 2024-01-01 10:30:00 UTC */
    static const struct scenario s = {
        UTC_ZONE, "H", 1, 0, LT_ROTATE_UTC, 1704105000, 1704108600,
        {{1704108599, "a", 1704108600},  /* 11:29:59 */
         {1704108600, "b", 1704112200},  /* 11:30:00: rolls over */
         {1704110400, "c", 1704112200},  /* 12:00:00 */
         {1704115805, "d", 1704119405}}, /* 13:30:05: late, counts from now */
        {{"app.log", "d\n"}, {"app.log.2024-01-01_10", "a\n"}, {"app.log.2024-01-01_11", "b\nc\n"}},
    };

    enter_temp_dir();
    run(&s);
}

Test(timed, hourly_without_delay_is_the_same)
{
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    set_tz(UTC_ZONE);
    h = timed("h", 1, 0, LT_ROTATE_UTC, 1704105000);
    cr_assert_eq(access("app.log", F_OK), 0);
    cr_assert_eq(next_rollover(h), 1704108600, "a new file counts from the clock");
    lg = logger_with(h);
    fake_now = 1704108599;
    LT_INFO(lg, "a");
    fake_now = 1704108600;
    LT_INFO(lg, "b");
    cr_assert_str_eq(slurp("app.log.2024-01-01_10"), "a\n");
    cr_assert_str_eq(slurp("app.log"), "b\n");
    lt_logger_clear_handlers(lg);
    lt_handler_unref(h);
}

Test(timed, seconds_and_minutes_suffixes)
{
    /* start 2024-01-01 10:30:15 UTC */
    static const struct scenario seconds = {
        UTC_ZONE, "S", 1, 0, LT_ROTATE_UTC, 1704105015, 1704105016,
        {{1704105015, "a", 1704105016}, {1704105016, "b", 1704105017},
         {1704105018, "c", 1704105019}},
        {{"app.log", "c\n"},
         {"app.log.2024-01-01_10-30-15", "a\n"},
         {"app.log.2024-01-01_10-30-16", "b\n"}},
    };
    static const struct scenario minutes = {
        UTC_ZONE, "m", 1, 0, LT_ROTATE_UTC, 1704105015, 1704105075,
        {{1704105015, "a", 1704105075}, {1704105075, "b", 1704105135},
         {1704105165, "c", 1704105225}},
        {{"app.log", "c\n"},
         {"app.log.2024-01-01_10-30", "a\n"},
         {"app.log.2024-01-01_10-31", "b\n"}},
    };

    enter_temp_dir();
    run(&seconds);
    enter_temp_dir();
    run(&minutes);
}

Test(timed, interval_multiplies)
{
    static const struct scenario s = {
        UTC_ZONE, "h", 3, 0, LT_ROTATE_UTC, 1704105015, 1704115815,
        {{1704115814, "a", 1704115815}, {1704115815, "b", 1704126615}},
        {{"app.log", "b\n"}, {"app.log.2024-01-01_10", "a\n"}},
    };

    enter_temp_dir();
    run(&s);
}

Test(timed, midnight_utc)
{
    /* start Wednesday 2024-01-03 12:00 UTC */
    static const struct scenario s = {
        UTC_ZONE, "midnight", 1, 0, LT_ROTATE_UTC, 1704283200, 1704326400,
        {{1704326399, "a", 1704326400}, {1704326400, "b", 1704412800},
         {1704546000, "c", 1704585600}},
        {{"app.log", "c\n"}, {"app.log.2024-01-03", "a\n"}, {"app.log.2024-01-04", "b\n"}},
    };

    enter_temp_dir();
    run(&s);
}

Test(timed, weekly_rolls_at_the_midnight_that_ends_the_day)
{
    /* W0 from Wednesday 2024-01-03 12:00 UTC: Tuesday 2024-01-09 00:00. */
    static const struct scenario w0 = {
        UTC_ZONE, "W0", 1, 0, LT_ROTATE_UTC, 1704283200, 1704758400,
        {{1704758399, "a", 1704758400}, {1704758400, "b", 1705363200}},
        {{"app.log", "b\n"}, {"app.log.2024-01-02", "a\n"}},
    };
    /* W2 on a Wednesday: that same night. */
    static const struct scenario w2 = {
        UTC_ZONE, "w2", 1, 0, LT_ROTATE_UTC, 1704283200, 1704326400,
        {{1704326400, "a", 1704931200}},
        {{"app.log", "a\n"}},
    };

    enter_temp_dir();
    run(&w0);
    enter_temp_dir();
    run(&w2);
}

Test(timed, old_files_removed_by_pythons_matching_rule)
{
    /* 'D', backupCount=2, a rollover at 2024-01-11 12:00 UTC in a directory
     * holding the files below (each containing its own name). Python keeps
     * the two newest of the five that match (.old.2024-01-07 and
     * app.logx.2024-01-08 match too: "starts with app.log", then "app." and
     * a date among the dotted parts) and leaves the rest alone. */
    static const char *const before[] = {
        "app.log.2024-01-01",    "app.log.2024-01-02", "app.log.2024-01-03.gz",
        "app.log.2024-1-04",     "app.log.notes",      "other.log.2024-01-01",
        "app.log.2024-01-05_12", "app.2024-01-06.log", "app.log.old.2024-01-07",
        "app.logx.2024-01-08",   NULL};
    static const struct scenario s = {
        UTC_ZONE, "D", 1, 2, LT_ROTATE_UTC, 1704888000, 1704974400,
        {{1704974400, "a", 1705060800}},
        {{"app.2024-01-06.log", "app.2024-01-06.log\n"},
         {"app.log", "a\n"},
         {"app.log.2024-01-05_12", "app.log.2024-01-05_12\n"},
         {"app.log.2024-1-04", "app.log.2024-1-04\n"},
         {"app.log.notes", "app.log.notes\n"},
         {"app.log.old.2024-01-07", "app.log.old.2024-01-07\n"},
         {"app.logx.2024-01-08", "app.logx.2024-01-08\n"},
         {"other.log.2024-01-01", "other.log.2024-01-01\n"}},
    };
    char text[64];

    enter_temp_dir();
    for (size_t i = 0; before[i]; i++) {
        snprintf(text, sizeof(text), "%s\n", before[i]);
        write_file(before[i], text);
    }
    run(&s);
}

Test(timed, backups_beyond_the_count_removed_at_each_rollover)
{
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    set_tz(UTC_ZONE);
    h = timed("S", 1, 2, LT_ROTATE_UTC, 1704105015);
    lg = logger_with(h);
    for (int i = 0; i < 5; i++) {
        fake_now = 1704105015 + i;
        LT_INFO(lg, "r%d", i);
    }
    lt_logger_clear_handlers(lg);
    lt_handler_unref(h);
    static const struct file files[] = {{"app.log", "r4\n"},
                                        {"app.log.2024-01-01_10-30-17", "r2\n"},
                                        {"app.log.2024-01-01_10-30-18", "r3\n"},
                                        {NULL, NULL}};
    expect_files(files);
}

Test(timed, counts_from_the_existing_files_mtime)
{
    /* app.log holding 'old\n', modified 2024-01-01 10:20:00 UTC; started
     * 2024-01-02 08:00: Python's first rollover is 2024-01-01 11:20, already
     * past, so the first record renames the old file after its own hour. */
    static const struct scenario s = {
        UTC_ZONE, "H", 1, 0, LT_ROTATE_UTC, 1704182400, 1704108000,
        {{1704182400, "a", 1704186000}, {1704184200, "b", 1704186000}},
        {{"app.log", "a\nb\n"}, {"app.log.2024-01-01_10", "old\n"}},
    };
    struct timespec times[2] = {{1704104400, 0}, {1704104400, 0}};

    enter_temp_dir();
    write_file("app.log", "old\n");
    cr_assert_eq(utimensat(AT_FDCWD, "app.log", times, 0), 0);
    run(&s);
}

/* ---- local time across DST changes in Europe/Berlin ----
 * 2024-03-31 02:00 CET -> 03:00 CEST; 2024-10-27 03:00 CEST -> 02:00 CET. */

#define BERLIN "Europe/Berlin"

Test(timed, midnight_across_dst_start)
{
    /* start 2024-03-30 12:00 CET; backupCount=2 removes app.log.2024-03-30 ('a'). */
    static const struct scenario s = {
        BERLIN, "midnight", 1, 2, 0, 1711796400, 1711839600, /* 03-31 00:00 CET */
        {{1711839599, "a", 1711839600},
         {1711839600, "b", 1711922400},  /* 04-01 00:00 CEST: the 23-hour day */
         {1711922399, "c", 1711922400},
         {1711922400, "d", 1712008800},  /* 04-02 00:00 CEST */
         {1712008800, "e", 1712095200}},
        {{"app.log", "e\n"}, {"app.log.2024-03-31", "b\nc\n"}, {"app.log.2024-04-01", "d\n"}},
    };

    enter_temp_dir();
    run(&s);
}

Test(timed, midnight_started_on_the_dst_day_is_an_hour_late_as_in_python)
{
    /* start 2024-03-31 00:30 CET: Python 3.11 counts the seconds left in a
     * 24-hour day and lands on 04-01 01:00 CEST; a rollover then puts the
     * next one back on midnight. */
    static const struct scenario s = {
        BERLIN, "MIDNIGHT", 1, 0, 0, 1711841400, 1711926000,
        {{1711929600, "a", 1712008800}},
        {{"app.log", "a\n"}},
    };

    enter_temp_dir();
    run(&s);
}

Test(timed, midnight_across_dst_end)
{
    /* start 2024-10-26 12:00 CEST; 10-27 has 25 hours. */
    static const struct scenario s = {
        BERLIN, "midnight", 1, 0, 0, 1729936800, 1729980000, /* 10-27 00:00 CEST */
        {{1729980000, "a", 1730070000},  /* 10-28 00:00 CET */
         {1730069999, "b", 1730070000},
         {1730070000, "c", 1730156400}},
        {{"app.log", "c\n"}, {"app.log.2024-10-27", "a\nb\n"}},
    };

    enter_temp_dir();
    run(&s);
}

Test(timed, weekly_across_dst_start)
{
    /* W6 from Wednesday 2024-03-27 12:00 CET: 04-01 00:00 CEST, the hour
     * taken off by computeRollover; the backup is named for 03-25. */
    static const struct scenario s = {
        BERLIN, "W6", 1, 0, 0, 1711537200, 1711922400,
        {{1711922399, "a", 1711922400}, {1711922400, "b", 1712527200}},
        {{"app.log", "b\n"}, {"app.log.2024-03-25", "a\n"}},
    };

    enter_temp_dir();
    run(&s);
}

Test(timed, hourly_names_in_local_time_across_dst_start)
{
    static const struct scenario s = {
        BERLIN, "H", 1, 0, 0, 1711796400, 1711800000,
        {{1711846800, "a", 1711850400},  /* 03-31 03:00 CEST */
         {1711850400, "b", 1711854000}}, /* 04:00 CEST */
        {{"app.log", "b\n"}, {"app.log.2024-03-31_03", "a\n"}},
    };

    enter_temp_dir();
    run(&s);
}

/* clang-format on */

/* ---- the rest ---- */

Test(timed, files_that_are_not_regular_are_never_renamed)
{
    lt_handler *h;
    lt_logger *lg;
    struct stat st;

    enter_temp_dir();
    set_tz(UTC_ZONE);
    cr_assert_eq(symlink("/dev/null", "app.log"), 0);
    /* The first rollover counts from /dev/null's mtime, as Python's does:
     * start in 2100 to be past it. */
    h = timed("S", 1, 1, LT_ROTATE_UTC, 4102444800);
    lg = logger_with(h);
    fake_now = 4102444805;
    LT_INFO(lg, "x");
    cr_assert_eq(next_rollover(h), 4102444806, "the next time is computed instead");
    cr_assert_eq(lstat("app.log", &st), 0);
    cr_assert(S_ISLNK(st.st_mode));
    lt_logger_clear_handlers(lg);
    lt_handler_unref(h);
    static const struct file files[] = {{"app.log", ""}, {NULL, NULL}};
    expect_files(files);
}

Test(timed, failed_rename_keeps_writing_then_retries, .init = cr_redirect_stderr)
{
    lt_handler *h;
    lt_logger *lg;
    const char *dir;
    char expect[1024];

    dir = enter_temp_dir();
    set_tz(UTC_ZONE);
    h = timed("H", 1, 0, LT_ROTATE_UTC, 1704105000);
    lg = logger_with(h);
    LT_INFO(lg, "a");
    cr_assert_eq(mkdir("app.log.2024-01-01_10", 0700), 0);
    cr_assert_eq(mkdir("app.log.2024-01-01_10/x", 0700), 0);
    fake_now = 1704108600;
    LT_INFO(lg, "kept");
    cr_assert_eq(lt_handler_error_count(h), 0);
    cr_assert_eq(next_rollover(h), 1704108600, "still due");
    rmdir("app.log.2024-01-01_10/x");
    rmdir("app.log.2024-01-01_10");
    LT_INFO(lg, "b");
    cr_assert_str_eq(slurp("app.log.2024-01-01_10"), "a\nkept\n");
    cr_assert_str_eq(slurp("app.log"), "b\n");
    lt_logger_clear_handlers(lg);
    lt_handler_unref(h);
    fflush(stderr);
    snprintf(expect, sizeof(expect),
             "logtree: handler 'timed_rotating' (timed_rotating, '%s/app.log'): rotate "
             "%s/app.log: is a directory; no record lost; said once until it works again\n"
             "logtree: handler 'timed_rotating' (timed_rotating, '%s/app.log') works again; 0 "
             "records lost so far\n",
             dir, dir, dir);
    cr_assert_stderr_eq_str(expect);
}

Test(timed, relative_path_is_kept_across_chdir)
{
    const char *dir = enter_temp_dir();
    char where[512];
    lt_handler *h;
    lt_logger *lg;

    set_tz(UTC_ZONE);
    cr_assert_eq(mkdir("elsewhere", 0700), 0);
    write_file("app.log.2000-01-01", "very old\n");
    h = timed("D", 1, 1, LT_ROTATE_UTC, 1704105000);
    lg = logger_with(h);
    cr_assert_eq(chdir("elsewhere"), 0);
    LT_INFO(lg, "a");
    fake_now = 1704105000 + 86400;
    LT_INFO(lg, "b");
    lt_logger_clear_handlers(lg);
    lt_handler_unref(h);
    snprintf(where, sizeof(where), "%s/app.log.2024-01-01", dir);
    cr_assert_str_eq(slurp(where), "a\n");
    snprintf(where, sizeof(where), "%s/app.log.2000-01-01", dir);
    cr_assert_neq(access(where, F_OK), 0, "the old one is removed where it is");
    cr_assert_neq(access("app.log", F_OK), 0);
}

Test(timed, no_fd_leak)
{
    int before;

    enter_temp_dir();
    set_tz(UTC_ZONE);
    before = open_fd_count();
    for (int i = 0; i < 10; i++) {
        lt_handler *h = timed("S", 1, 2, LT_ROTATE_UTC | (i % 2 ? LT_FILE_DELAY : 0), 1704105015);
        lt_logger *lg = logger_with(h);

        for (int j = 0; j < 5; j++) {
            fake_now = 1704105015 + 10 * i + j;
            LT_INFO(lg, "x");
        }
        lt_logger_clear_handlers(lg);
        lt_handler_unref(h);
    }
    cr_assert_eq(open_fd_count(), before);
}

Test(timed, bad_arguments)
{
    static const char *const bad_when[] = {"W7", "W", "W01", "X", "", "midnight2", "hh", NULL};
    lt_handler *h = NULL;

    enter_temp_dir();
    for (size_t i = 0; bad_when[i]; i++)
        cr_assert_eq(lt_timed_rotating_file_handler_new(&h, "t.log", bad_when[i], 1, 0, 0),
                     LT_EINVAL, "%s", bad_when[i]);
    cr_assert_eq(lt_timed_rotating_file_handler_new(&h, "t.log", "H", 0, 0, 0), LT_EINVAL);
    cr_assert_eq(lt_timed_rotating_file_handler_new(&h, "t.log", "H", -1, 0, 0), LT_EINVAL);
    cr_assert_eq(lt_timed_rotating_file_handler_new(&h, "t.log", "H", 1, 0, 0x80), LT_EINVAL);
    cr_assert_eq(lt_timed_rotating_file_handler_new(&h, NULL, "H", 1, 0, 0), LT_EINVAL);
    cr_assert_null(h);
    cr_assert_eq(access("t.log", F_OK), -1);
    cr_assert_eq(lt_timed_rotating_file_handler_new(&h, "t.log", NULL, 1, 0, 0), 0, "'h'");
    cr_assert_eq(lt_handler_control(h, LT_TIMED_CTL_NEXT_ROLLOVER, NULL), LT_EINVAL);
    lt_handler_unref(h);
}

/* ---- the config-file class ---- */

static lt_error err;

static int load(const char *handler_section)
{
    char text[2048];

    snprintf(text, sizeof(text),
             "[loggers]\nkeys=root\n[handlers]\nkeys=t\n[formatters]\nkeys=\n"
             "[logger_root]\nlevel=DEBUG\nhandlers=t\n[handler_t]\n%s",
             handler_section);
    lt_error_clear(&err);
    return lt_config_string(text, strlen(text), "test.ini", 0, &err);
}

static void expect_config_error(const char *section, const char *what)
{
    cr_assert_eq(load(section), LT_ECONFIG, "%s", err.message);
    cr_assert(strstr(err.message, what) != NULL, "message '%s' lacks '%s'", err.message, what);
}

Test(timed_config, forms_real_configs_use)
{
    enter_temp_dir();
    cr_assert_eq(load("class=handlers.TimedRotatingFileHandler\n"
                      "args=('a.log', 'midnight', 1, 7)\n"),
                 0, "%s", err.message);
    cr_assert_eq(load("class=logging.handlers.TimedRotatingFileHandler\n"
                      "args=('b.log', 'D', 1, 30, 'utf-8')\n"),
                 0, "%s", err.message);
    cr_assert_eq(load("class=handlers.TimedRotatingFileHandler\n"
                      "args=('c.log', 'W0', 1, 4)\n"),
                 0, "%s", err.message);
    cr_assert_eq(load("class=handlers.TimedRotatingFileHandler\n"
                      "args=('d.log', 'h', 1, 24, None, False, True)\n"),
                 0, "%s", err.message);
    cr_assert_eq(load("class=handlers.TimedRotatingFileHandler\nargs=('e.log',)\n"
                      "kwargs={'when': 'midnight', 'backupCount': 7, 'utc': True, "
                      "'delay': True}\n"),
                 0, "%s", err.message);
    cr_assert_neq(access("e.log", F_OK), 0, "delayed");
    LT_INFO(lt_get_logger(NULL), "x");
    cr_assert_str_eq(slurp("e.log"), "x\n");
}

Test(timed_config, argument_errors)
{
    enter_temp_dir();
    expect_config_error("class=handlers.TimedRotatingFileHandler\nargs=('t.log', 'X')\n",
                        "when 'X' is not a rollover interval");
    expect_config_error("class=handlers.TimedRotatingFileHandler\nargs=('t.log', 'w')\n",
                        "when 'w': weekly rollover needs a day");
    expect_config_error("class=handlers.TimedRotatingFileHandler\nargs=('t.log', 'W7')\n",
                        "when 'W7': the day of a weekly rollover is 0 (Monday) to 6");
    expect_config_error("class=handlers.TimedRotatingFileHandler\nargs=('t.log', 'H', 0)\n",
                        "interval must be 1 to 2147483647, not 0");
    expect_config_error("class=handlers.TimedRotatingFileHandler\nargs=('t.log', 'H', 1.5)\n",
                        "interval must be an integer, not float");
    expect_config_error("class=handlers.TimedRotatingFileHandler\nargs=('t.log', 1)\n",
                        "when must be a string, not int");
    expect_config_error("class=handlers.TimedRotatingFileHandler\nargs=('t.log',)\n"
                        "kwargs={'atTime': '10:00'}\n",
                        "atTime is not supported");
    expect_config_error("class=handlers.TimedRotatingFileHandler\n"
                        "args=('t.log', 'h', 1, 0, None, False, False, None, None, 1)\n",
                        "at most 9 arguments (10 given)");
    cr_assert_eq(access("t.log", F_OK), -1, "nothing is opened for a config that fails");
}
