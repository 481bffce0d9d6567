/* tests/test_watched.c - WatchedFileHandler against real files: the file
 * moved, removed, replaced or truncated between two records, mode "w",
 * delay, a reopen that fails, descriptors, and the config-file class.
 *
 * Expected files come from Python 3.11.7 running the same steps through
 * logging.handlers.WatchedFileHandler('w.log', ...) (quoted per test). */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

static lt_logger *logger_with(lt_handler *h)
{
    lt_logger *lg = lt_get_logger("t");

    lt_logger_set_level(lg, LT_LEVEL_DEBUG);
    lt_logger_set_propagate(lg, false);
    cr_assert_eq(lt_logger_add_handler(lg, h), 0);
    return lg;
}

static lt_handler *watched(const char *path, const char *mode, unsigned flags)
{
    lt_handler *h = NULL;

    cr_assert_eq(lt_watched_file_handler_new(&h, path, mode, flags), 0);
    return h;
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    cr_assert_not_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void done(lt_logger *lg, lt_handler *h)
{
    lt_logger_clear_handlers(lg);
    lt_handler_unref(h);
}

Test(watched, writes_like_a_file_handler)
{
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    write_file("w.log", "old\n");
    h = watched("w.log", NULL, 0);
    lg = logger_with(h);
    LT_INFO(lg, "one");
    LT_WARNING(lg, "two");
    cr_assert_str_eq(slurp("w.log"), "old\none\ntwo\n");
    done(lg, h);
}

/* Python: one; rename to w.log.1; two; unlink; three; replaced by a file
 * holding 'other\n'; four; truncated in place; five. Files at the end:
 * {'w.log': 'five\n', 'w.log.1': 'one\n'}, by way of 'two\n', 'three\n'
 * and 'other\nfour\n'. */
Test(watched, reopens_after_rename_delete_replace_but_not_truncate)
{
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    h = watched("w.log", "a", 0);
    lg = logger_with(h);
    LT_INFO(lg, "one");
    cr_assert_eq(rename("w.log", "w.log.1"), 0);
    LT_INFO(lg, "two");
    cr_assert_str_eq(slurp("w.log.1"), "one\n");
    cr_assert_str_eq(slurp("w.log"), "two\n");
    cr_assert_eq(unlink("w.log"), 0);
    LT_INFO(lg, "three");
    cr_assert_str_eq(slurp("w.log"), "three\n");
    write_file("new", "other\n");
    cr_assert_eq(rename("new", "w.log"), 0);
    LT_INFO(lg, "four");
    cr_assert_str_eq(slurp("w.log"), "other\nfour\n");
    cr_assert_eq(truncate("w.log", 0), 0); /* copytruncate: same inode, kept */
    LT_INFO(lg, "five");
    cr_assert_str_eq(slurp("w.log"), "five\n");
    cr_assert_str_eq(slurp("w.log.1"), "one\n");
    done(lg, h);
}

/* Python, mode 'w': one; rename to w.log.1; another program creates w.log
 * with 'someone else\n'; two. {'w.log': 'two\n', 'w.log.1': 'one\n'}: the
 * reopen uses the mode, and 'w' truncates. */
Test(watched, mode_w_reopens_with_truncation)
{
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    write_file("w.log", "before\n");
    h = watched("w.log", "w", 0);
    cr_assert_str_eq(slurp("w.log"), "", "truncated at open");
    lg = logger_with(h);
    LT_INFO(lg, "one");
    cr_assert_eq(rename("w.log", "w.log.1"), 0);
    write_file("w.log", "someone else\n");
    LT_INFO(lg, "two");
    cr_assert_str_eq(slurp("w.log"), "two\n");
    cr_assert_str_eq(slurp("w.log.1"), "one\n");
    done(lg, h);
}

/* Python 3.11 forgets the inode after a delayed open, so its second record
 * reopens, and with 'w' that truncates the first away (it prints 'two\n').
 * logtree keeps both. */
Test(watched, delay_with_mode_w_keeps_the_first_record)
{
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    h = watched("w.log", "w", LT_FILE_DELAY);
    cr_assert_neq(access("w.log", F_OK), 0);
    lg = logger_with(h);
    LT_INFO(lg, "one");
    LT_INFO(lg, "two");
    cr_assert_str_eq(slurp("w.log"), "one\ntwo\n");
    done(lg, h);
}

Test(watched, failed_reopen_is_counted_and_retried, .init = cr_redirect_stderr)
{
    lt_handler *h;
    lt_logger *lg;

    const char *dir = enter_temp_dir();
    char expect[1024];

    cr_assert_eq(mkdir("logs", 0700), 0);
    h = watched("logs/w.log", "a", 0);
    lg = logger_with(h);
    LT_INFO(lg, "one");
    cr_assert_eq(rename("logs", "logs.old"), 0);
    LT_INFO(lg, "lost: logs/ is gone");
    cr_assert_eq(lt_handler_error_count(h), 1);
    cr_assert_eq(mkdir("logs", 0700), 0);
    LT_INFO(lg, "two");
    cr_assert_str_eq(slurp("logs.old/w.log"), "one\n");
    cr_assert_str_eq(slurp("logs/w.log"), "two\n");
    done(lg, h);
    fflush(stderr);
    snprintf(expect, sizeof(expect),
             "logtree: handler 'watched' (watched, '%s/logs/w.log'): emit: no such file or "
             "directory; records are dropped and counted until it works again\n"
             "logtree: handler 'watched' (watched, '%s/logs/w.log') works again; 1 records lost "
             "so far\n",
             dir, dir);
    cr_assert_stderr_eq_str(expect);
}

Test(watched, relative_path_is_kept_across_chdir)
{
    const char *dir = enter_temp_dir();
    char where[512];
    lt_handler *h;
    lt_logger *lg;

    cr_assert_eq(mkdir("elsewhere", 0700), 0);
    h = watched("w.log", "a", 0);
    lg = logger_with(h);
    cr_assert_eq(chdir("elsewhere"), 0);
    LT_INFO(lg, "one");
    cr_assert_eq(unlink("../w.log"), 0);
    LT_INFO(lg, "two");
    snprintf(where, sizeof(where), "%s/w.log", dir);
    cr_assert_str_eq(slurp(where), "two\n");
    cr_assert_neq(access("w.log", F_OK), 0);
    done(lg, h);
}

Test(watched, no_fd_leak_across_reopens)
{
    int before;
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    before = open_fd_count();
    h = watched("w.log", "a", 0);
    lg = logger_with(h);
    for (int i = 0; i < 20; i++) {
        LT_INFO(lg, "record %d", i);
        cr_assert_eq(unlink("w.log"), 0);
    }
    cr_assert_eq(lt_handler_control(h, LT_HANDLER_CTL_REOPEN, NULL), 0);
    cr_assert_eq(open_fd_count(), before + 1);
    done(lg, h);
    cr_assert_eq(open_fd_count(), before);
}

Test(watched, bad_arguments)
{
    lt_handler *h = NULL;

    enter_temp_dir();
    cr_assert_eq(lt_watched_file_handler_new(&h, NULL, "a", 0), LT_EINVAL);
    cr_assert_eq(lt_watched_file_handler_new(&h, "w.log", "a+", 0), LT_EINVAL);
    cr_assert_eq(lt_watched_file_handler_new(&h, "w.log", "a", LT_ROTATE_UTC), LT_EINVAL);
    cr_assert_eq(lt_watched_file_handler_new(&h, ".", "a", 0), LT_EISDIR);
    cr_assert_null(h);
}

Test(watched_config, spellings_and_arguments)
{
    static const char head[] = "[loggers]\nkeys=root\n[handlers]\nkeys=w\n[formatters]\nkeys=\n"
                               "[logger_root]\nlevel=DEBUG\nhandlers=w\n[handler_w]\n";
    char text[1024];
    lt_error err;

    enter_temp_dir();
    snprintf(text, sizeof(text),
             "%sclass=logging.handlers.WatchedFileHandler\n"
             "args=('w.log', 'w', 'utf-8')\nkwargs={'delay': True}\n",
             head);
    cr_assert_eq(lt_config_string(text, strlen(text), "t.ini", 0, &err), 0, "%s", err.message);
    cr_assert_neq(access("w.log", F_OK), 0, "delayed");
    LT_INFO(lt_get_logger(NULL), "one");
    cr_assert_eq(rename("w.log", "w.log.1"), 0);
    LT_INFO(lt_get_logger(NULL), "two");
    cr_assert_str_eq(slurp("w.log"), "two\n");
    snprintf(text, sizeof(text), "%sclass=handlers.WatchedFileHandler\nargs=('w.log', 'r')\n",
             head);
    cr_assert_eq(lt_config_string(text, strlen(text), "t.ini", 0, &err), LT_ECONFIG);
    cr_assert(strstr(err.message, "mode 'r' is not supported"), "%s", err.message);
    snprintf(text, sizeof(text), "%sclass=WatchedFileHandler\nargs=('w.log',)\n", head);
    cr_assert_eq(lt_config_string(text, strlen(text), "t.ini", 0, &err), LT_EUNKNOWN);
}
