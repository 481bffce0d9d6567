/* tests/test_rotating.c - RotatingFileHandler against real files: where the
 * rollover falls (bytes on disk, characters of the record), backup names and
 * their removal, modes, delay, files that are not regular, other writers,
 * a change of directory, descriptors, and the config-file class.
 *
 * Expected files come from Python 3.11.7 running the same records through
 * logging.handlers.RotatingFileHandler('r.log', ...) (quoted per test). */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <fcntl.h>
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

static lt_handler *rotating(const char *mode, uint64_t max_bytes, unsigned backups, unsigned flags)
{
    lt_handler *h = NULL;

    cr_assert_eq(lt_rotating_file_handler_new(&h, "r.log", mode, max_bytes, backups, flags), 0);
    return h;
}

/* Log each of @msgs (NULL-terminated) through a fresh handler, then free it. */
static void run(lt_handler *h, const char *const *msgs)
{
    lt_logger *lg = logger_with(h);

    for (size_t i = 0; msgs[i]; i++)
        LT_INFO(lg, "%s", msgs[i]);
    lt_logger_clear_handlers(lg);
    lt_handler_unref(h);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");

    cr_assert_not_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static const char *const six_lines[] = {"line-01", "line-02", "line-03", "line-04",
                                        "line-05", "line-06", NULL};

Test(rotating, boundary_is_size_plus_line_reaching_max)
{
    enter_temp_dir();
    /* Python, maxBytes=24: r.log 'line-05\nline-06\n', r.log.1 'line-03\nline-04\n',
     * r.log.2 'line-01\nline-02\n' (16 + 8 = 24 rolls over) */
    run(rotating("a", 24, 5, 0), six_lines);
    cr_assert_str_eq(slurp("r.log"), "line-05\nline-06\n");
    cr_assert_str_eq(slurp("r.log.1"), "line-03\nline-04\n");
    cr_assert_str_eq(slurp("r.log.2"), "line-01\nline-02\n");
    cr_assert_neq(access("r.log.3", F_OK), 0);
    /* Python, maxBytes=25: r.log 'line-04\nline-05\nline-06\n',
     * r.log.1 'line-01\nline-02\nline-03\n' (24 < 25 still fits) */
    unlink("r.log");
    unlink("r.log.1");
    unlink("r.log.2");
    run(rotating("a", 25, 5, 0), six_lines);
    cr_assert_str_eq(slurp("r.log"), "line-04\nline-05\nline-06\n");
    cr_assert_str_eq(slurp("r.log.1"), "line-01\nline-02\nline-03\n");
    cr_assert_neq(access("r.log.2", F_OK), 0);
}

Test(rotating, backup_count_keeps_the_newest)
{
    static const char *const msgs[] = {"aaaaaa", "bbbbbb", "cccccc", "dddddd", "eeeeee", NULL};

    enter_temp_dir();
    /* Python, (10, 2): r.log 'eeeeee\n', r.log.1 'dddddd\n', r.log.2 'cccccc\n' */
    run(rotating("a", 10, 2, 0), msgs);
    cr_assert_str_eq(slurp("r.log"), "eeeeee\n");
    cr_assert_str_eq(slurp("r.log.1"), "dddddd\n");
    cr_assert_str_eq(slurp("r.log.2"), "cccccc\n");
    cr_assert_neq(access("r.log.3", F_OK), 0, "the oldest is removed, not kept as .3");
}

Test(rotating, record_length_counts_characters_file_size_bytes)
{
    static const char *const e5[] = {"ééééé", "ééééé", "ééééé", "ééééé", "ééééé", NULL};
    static const char *const emoji[] = {"😀😀😀😀😀", "😀😀😀😀😀", "x", NULL};

    enter_temp_dir();
    /* Python, (20, 3): 'ééééé\n' is 6 characters, 11 bytes: 0+6, 11+6 fit, 22+6 does not.
     * r.log 'ééééé\n', r.log.1 and r.log.2 'ééééé\nééééé\n' */
    run(rotating("a", 20, 3, 0), e5);
    cr_assert_str_eq(slurp("r.log"), "ééééé\n");
    cr_assert_str_eq(slurp("r.log.1"), "ééééé\nééééé\n");
    cr_assert_str_eq(slurp("r.log.2"), "ééééé\nééééé\n");
    /* Four-byte characters count one each. Python, (12, 1): r.log 'x\n',
     * r.log.1 '😀😀😀😀😀\n' */
    run(rotating("a", 12, 1, 0), emoji);
    cr_assert_str_eq(slurp("r.log"), "x\n");
    cr_assert_str_eq(slurp("r.log.1"), "😀😀😀😀😀\n");
}

Test(rotating, oversize_record_rotates_even_an_empty_file)
{
    static const char *const msgs[] = {"0123456789", "x", "0123456789", NULL};

    enter_temp_dir();
    /* Python 3.11, (5, 3): r.log '0123456789\n', r.log.1 'x\n', r.log.2 '0123456789\n',
     * r.log.3 '' (3.11 has no empty-file check; 3.12.3+ has) */
    run(rotating("a", 5, 3, 0), msgs);
    cr_assert_str_eq(slurp("r.log"), "0123456789\n");
    cr_assert_str_eq(slurp("r.log.1"), "x\n");
    cr_assert_str_eq(slurp("r.log.2"), "0123456789\n");
    cr_assert_eq(access("r.log.3", F_OK), 0);
    cr_assert_str_eq(slurp("r.log.3"), "");
}

Test(rotating, zero_backups_or_zero_max_never_rotate)
{
    static const char *const msgs[] = {"aaaaaa", "bbbbbb", "cccccc", NULL};

    enter_temp_dir();
    /* Python, (10, 0): r.log 'aaaaaa\nbbbbbb\ncccccc\n' and nothing else */
    run(rotating("a", 10, 0, 0), msgs);
    cr_assert_str_eq(slurp("r.log"), "aaaaaa\nbbbbbb\ncccccc\n");
    cr_assert_neq(access("r.log.1", F_OK), 0);
    unlink("r.log");
    run(rotating("a", 0, 3, 0), msgs);
    cr_assert_str_eq(slurp("r.log"), "aaaaaa\nbbbbbb\ncccccc\n");
    cr_assert_neq(access("r.log.1", F_OK), 0);
}

Test(rotating, max_bytes_forces_append_mode)
{
    static const char *const msgs[] = {"aaaaaa", "bbbbbb", NULL};

    enter_temp_dir();
    /* Python, ('w', 100, 3) on 'old\n': r.log 'old\naaaaaa\n' */
    write_file("r.log", "old\n");
    run(rotating("w", 100, 3, 0), msgs);
    cr_assert_str_eq(slurp("r.log"), "old\naaaaaa\nbbbbbb\n");
    /* Python, ('w', 0, 3) on 'old\n': r.log 'aaaaaa\nbbbbbb\n' */
    write_file("r.log", "old\n");
    run(rotating("w", 0, 3, 0), msgs);
    cr_assert_str_eq(slurp("r.log"), "aaaaaa\nbbbbbb\n");
}

Test(rotating, size_comes_from_the_file_so_other_writers_count)
{
    lt_handler *h;
    lt_logger *lg;
    int fd;

    enter_temp_dir();
    h = rotating("a", 20, 1, 0);
    lg = logger_with(h);
    LT_INFO(lg, "abcd");
    fd = open("r.log", O_WRONLY | O_APPEND);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, "another process\n", 16), 16);
    close(fd);
    LT_INFO(lg, "next"); /* 5 + 16 + 5 >= 20 */
    cr_assert_str_eq(slurp("r.log.1"), "abcd\nanother process\n");
    cr_assert_str_eq(slurp("r.log"), "next\n");
    lt_logger_clear_handlers(lg);
    lt_handler_unref(h);
}

Test(rotating, files_that_are_not_regular_never_rotate)
{
    static const char *const msgs[] = {"aaaaaa", "bbbbbb", NULL};
    struct stat st;

    enter_temp_dir();
    cr_assert_eq(symlink("/dev/null", "r.log"), 0);
    run(rotating("a", 1, 3, 0), msgs);
    cr_assert_eq(access("r.log.1", F_OK), -1, "/dev/null is not renamed");
    cr_assert_eq(lstat("r.log", &st), 0);
    cr_assert(S_ISLNK(st.st_mode));
}

Test(rotating, delay_creates_the_file_with_the_first_record)
{
    static const char *const msgs[] = {"line-01", "line-02", "line-03", "line-04", NULL};
    lt_handler *unused, *h;

    enter_temp_dir();
    unused = rotating("a", 30, 2, LT_FILE_DELAY);
    cr_assert_eq(lt_rotating_file_handler_new(&h, "d.log", "a", 30, 2, LT_FILE_DELAY), 0);
    cr_assert_neq(access("d.log", F_OK), 0);
    run(h, msgs);
    cr_assert_str_eq(slurp("d.log"), "line-04\n");
    cr_assert_str_eq(slurp("d.log.1"), "line-01\nline-02\nline-03\n");
    lt_handler_unref(unused);
    cr_assert_neq(access("r.log", F_OK), 0, "a delayed handler never used makes no file");
}

Test(rotating, relative_path_is_kept_across_chdir)
{
    static const char *const msgs[] = {"first", "second", NULL};
    const char *dir = enter_temp_dir();
    char where[512];
    lt_handler *h;

    cr_assert_eq(mkdir("elsewhere", 0700), 0);
    h = rotating("a", 8, 1, 0);
    cr_assert_eq(chdir("elsewhere"), 0);
    run(h, msgs);
    snprintf(where, sizeof(where), "%s/r.log", dir);
    cr_assert_str_eq(slurp(where), "second\n");
    snprintf(where, sizeof(where), "%s/r.log.1", dir);
    cr_assert_str_eq(slurp(where), "first\n");
    cr_assert_neq(access("r.log", F_OK), 0, "nothing in the new working directory");
}

Test(rotating, failed_rename_keeps_writing_to_the_current_file, .init = cr_redirect_stderr)
{
    lt_handler *h;
    lt_logger *lg;
    lt_handler_stats st;
    const char *dir = enter_temp_dir();
    char expect[1024];

    h = rotating("a", 10, 1, 0);
    lg = logger_with(h);
    LT_INFO(lg, "aaaaaa");
    cr_assert_eq(mkdir("r.log.1", 0700), 0); /* a directory where .1 goes: rename fails */
    cr_assert_eq(mkdir("r.log.1/x", 0700), 0);
    LT_INFO(lg, "bbbbbb");
    LT_INFO(lg, "cccccc");
    cr_assert_eq(lt_handler_error_count(h), 0, "no record lost");
    cr_assert_str_eq(slurp("r.log"), "aaaaaa\nbbbbbb\ncccccc\n");
    cr_assert_eq(lt_handler_get_stats(h, &st), 0);
    cr_assert_eq(st.errors, 2, "each failed rollover counts");
    cr_assert_eq(st.dropped, 0);
    cr_assert_eq(st.records, 3);
    rmdir("r.log.1/x");
    rmdir("r.log.1");
    LT_INFO(lg, "dddddd");
    cr_assert_str_eq(slurp("r.log"), "dddddd\n", "the next record rotates");
    cr_assert_str_eq(slurp("r.log.1"), "aaaaaa\nbbbbbb\ncccccc\n");
    lt_logger_clear_handlers(lg);
    lt_handler_unref(h);
    fflush(stderr);
    snprintf(expect, sizeof(expect),
             "logtree: handler 'rotating' (rotating, '%s/r.log'): rotate %s/r.log: is a directory; "
             "no record lost; said once until it works again\n"
             "logtree: handler 'rotating' (rotating, '%s/r.log') works again; 0 records lost "
             "so far\n",
             dir, dir, dir);
    cr_assert_stderr_eq_str(expect);
}

Test(rotating, failed_rollover_does_not_shift_backups_twice, .init = cr_redirect_stderr)
{
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    h = rotating("a", 10, 3, 0);
    lg = logger_with(h);
    LT_INFO(lg, "aaaaaa");
    LT_INFO(lg, "bbbbbb");                   /* r.log.1 = a */
    cr_assert_eq(mkdir("r.log.3", 0700), 0); /* .2 -> .3 fails */
    cr_assert_eq(mkdir("r.log.3/x", 0700), 0);
    write_file("r.log.2", "old2\n");
    LT_INFO(lg, "cccccc"); /* fails at .2 -> .3: nothing else moved */
    LT_INFO(lg, "dddddd"); /* fails again at the same place */
    cr_assert_str_eq(slurp("r.log.1"), "aaaaaa\n");
    cr_assert_str_eq(slurp("r.log.2"), "old2\n");
    rmdir("r.log.3/x");
    rmdir("r.log.3");
    LT_INFO(lg, "eeeeee");
    cr_assert_str_eq(slurp("r.log.3"), "old2\n");
    cr_assert_str_eq(slurp("r.log.2"), "aaaaaa\n");
    cr_assert_str_eq(slurp("r.log.1"), "bbbbbb\ncccccc\ndddddd\n");
    cr_assert_str_eq(slurp("r.log"), "eeeeee\n");
    cr_assert_eq(lt_handler_error_count(h), 0);
    lt_logger_clear_handlers(lg);
    lt_handler_unref(h);
}

Test(rotating, no_fd_leak)
{
    int before;

    enter_temp_dir();
    before = open_fd_count();
    for (int i = 0; i < 20; i++) {
        static const char *const msgs[] = {"aaaaaa", "bbbbbb", "cccccc", NULL};

        run(rotating("a", 10, 2, i % 2 ? LT_FILE_DELAY : 0), msgs);
    }
    cr_assert_eq(open_fd_count(), before);
}

Test(rotating, bad_arguments)
{
    lt_handler *h = NULL;

    enter_temp_dir();
    cr_assert_eq(lt_rotating_file_handler_new(&h, NULL, "a", 1, 1, 0), LT_EINVAL);
    cr_assert_eq(lt_rotating_file_handler_new(&h, "r.log", "r", 1, 1, 0), LT_EINVAL);
    cr_assert_eq(lt_rotating_file_handler_new(&h, "r.log", "a", 1, 1, 0x80), LT_EINVAL);
    cr_assert_eq(lt_rotating_file_handler_new(&h, "no/dir/r.log", "a", 1, 1, 0), LT_ENOENT);
    cr_assert_null(h);
}

/* ---- the config-file class ---- */

static lt_error err;

static int load(const char *handler_section)
{
    char text[2048];

    snprintf(text, sizeof(text),
             "[loggers]\nkeys=root\n[handlers]\nkeys=rot\n[formatters]\nkeys=\n"
             "[logger_root]\nlevel=DEBUG\nhandlers=rot\n[handler_rot]\n%s",
             handler_section);
    lt_error_clear(&err);
    return lt_config_string(text, strlen(text), "test.ini", 0, &err);
}

static void expect_config_error(const char *section, const char *what)
{
    cr_assert_eq(load(section), LT_ECONFIG, "%s", err.message);
    cr_assert(strstr(err.message, what) != NULL, "message '%s' lacks '%s'", err.message, what);
}

Test(rotating_config, spellings_and_arguments)
{
    enter_temp_dir();
    cr_assert_eq(load("class=logging.handlers.RotatingFileHandler\n"
                      "args=('r.log', 'w', 2*5, 1)\n"),
                 0, "%s", err.message);
    LT_INFO(lt_get_logger(NULL), "aaaaaa");
    LT_INFO(lt_get_logger(NULL), "bbbbbb");
    cr_assert_str_eq(slurp("r.log"), "bbbbbb\n");
    cr_assert_str_eq(slurp("r.log.1"), "aaaaaa\n");
    cr_assert_eq(load("class=handlers.RotatingFileHandler\nargs=('k.log',)\n"
                      "kwargs={'maxBytes': 10e0, 'backupCount': 1, 'encoding': 'utf-8', "
                      "'delay': True}\n"),
                 0, "%s", err.message);
    cr_assert_neq(access("k.log", F_OK), 0, "delayed");
    LT_INFO(lt_get_logger(NULL), "aaaaaa");
    LT_INFO(lt_get_logger(NULL), "bbbbbb");
    cr_assert_str_eq(slurp("k.log.1"), "aaaaaa\n", "a float maxBytes works as in Python");
    /* Python treats a negative maxBytes or backupCount as 0. */
    cr_assert_eq(load("class=handlers.RotatingFileHandler\nargs=('n.log', 'a', -1, -1)\n"), 0, "%s",
                 err.message);
    cr_assert_eq(load("class=RotatingFileHandler\nargs=('r.log',)\n"), LT_EUNKNOWN,
                 "only logging.handlers has it");
}

Test(rotating_config, argument_errors)
{
    enter_temp_dir();
    expect_config_error("class=handlers.RotatingFileHandler\nargs=('r.log', 'a', 'big')\n",
                        "maxBytes must be an integer, not str");
    expect_config_error("class=handlers.RotatingFileHandler\nargs=('r.log', 'a', 1, 2.5)\n",
                        "backupCount must be an integer, not float");
    expect_config_error("class=handlers.RotatingFileHandler\nargs=('r.log', 'x', 0)\n",
                        "mode 'x' is not supported");
    expect_config_error("class=handlers.RotatingFileHandler\nargs=('r.log', 'a', 1, 1, "
                        "'latin-1')\n",
                        "encoding 'latin-1' is not supported");
    expect_config_error("class=handlers.RotatingFileHandler\nargs=()\n",
                        "missing its required argument 'filename'");
    expect_config_error("class=handlers.RotatingFileHandler\n"
                        "args=('r.log', 'a', 1, 1, None, False, None, 1)\n",
                        "at most 7 arguments (8 given)");
    /* maxBytes > 0 makes any mode 'a', before Python looks at it. */
    cr_assert_eq(load("class=handlers.RotatingFileHandler\nargs=('r.log', 'x', 1)\n"), 0, "%s",
                 err.message);
}
