/* tests/test_handlers.c - the built-in handlers against real files and pipes:
 * stream, fd, file (modes, delay, errors), null; and the handler core
 * (formatters, filters, close, failure reports). */
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

static lt_formatter *formatter(const char *fmt)
{
    lt_formatter *f;
    lt_percent_options o = {.format = fmt};

    cr_assert_eq(lt_percent_formatter_new(&f, &o, NULL), 0);
    return f;
}

Test(file_handler, appends_one_line_per_record)
{
    lt_handler *h;
    lt_formatter *f = formatter("%(levelname)s:%(name)s:%(message)s");

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "app.log", NULL, 0), 0);
    lt_handler_set_formatter(h, f);
    lt_formatter_unref(f);
    LT_INFO(logger_with(h), "first %d", 1);
    LT_ERROR(lt_get_logger("t"), "second");
    cr_assert_str_eq(slurp("app.log"), "INFO:t:first 1\nERROR:t:second\n");
    lt_handler_unref(h);
}

Test(file_handler, created_at_once_and_mode_a_keeps_lines)
{
    lt_handler *h;
    FILE *fp;

    enter_temp_dir();
    fp = fopen("keep.log", "w");
    fputs("old\n", fp);
    fclose(fp);
    cr_assert_eq(lt_file_handler_new(&h, "new.log", "a", 0), 0);
    cr_assert_eq(access("new.log", F_OK), 0, "created even before any record");
    lt_handler_unref(h);
    cr_assert_eq(lt_file_handler_new(&h, "keep.log", "a", 0), 0);
    LT_WARNING(logger_with(h), "appended");
    cr_assert_str_eq(slurp("keep.log"), "old\nappended\n");
    lt_logger_clear_handlers(lt_get_logger("t"));
    lt_handler_unref(h);
    cr_assert_eq(lt_file_handler_new(&h, "keep.log", "w", 0), 0);
    cr_assert_str_eq(slurp("keep.log"), "", "mode w truncates on open");
    lt_handler_unref(h);
}

Test(file_handler, delay_opens_on_first_record)
{
    lt_handler *h, *unused;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "later.log", "w", LT_FILE_DELAY), 0);
    cr_assert_eq(lt_file_handler_new(&unused, "never.log", "a", LT_FILE_DELAY), 0);
    cr_assert_neq(access("later.log", F_OK), 0);
    LT_INFO(logger_with(h), "now");
    cr_assert_str_eq(slurp("later.log"), "now\n");
    lt_handler_unref(h);
    lt_handler_unref(unused);
    cr_assert_neq(access("never.log", F_OK), 0, "a delayed handler never used makes no file");
}

Test(file_handler, open_errors_are_returned)
{
    lt_handler *h = NULL;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "no/such/dir/app.log", "a", 0), LT_ENOENT);
    cr_assert_null(h, "ret untouched on failure");
    cr_assert_eq(lt_file_handler_new(&h, ".", "a", 0), LT_EISDIR);
    cr_assert_eq(lt_file_handler_new(&h, "x.log", "r", 0), LT_EINVAL);
    cr_assert_eq(lt_file_handler_new(&h, NULL, "a", 0), LT_EINVAL);
}

Test(file_handler, no_fd_leak)
{
    int before = open_fd_count();

    enter_temp_dir();
    for (int i = 0; i < 50; i++) {
        lt_handler *h;

        cr_assert_eq(lt_file_handler_new(&h, "f.log", "a", 0), 0);
        lt_logger *lg = logger_with(h);
        LT_INFO(lg, "x");
        lt_logger_clear_handlers(lg);
        lt_handler_unref(h);
    }
    cr_assert_eq(open_fd_count(), before);
}

Test(file_handler, failing_writes_reported_once_and_counted, .init = cr_redirect_stderr)
{
    lt_handler *h;
    lt_logger *lg;

    if (access("/dev/full", W_OK) != 0)
        cr_skip_test("no /dev/full here");
    cr_assert_eq(lt_file_handler_new(&h, "/dev/full", "a", 0), 0);
    lg = logger_with(h);
    for (int i = 0; i < 5; i++)
        LT_ERROR(lg, "lost %d", i);
    cr_assert_eq(lt_handler_error_count(h), 5);
    fflush(stderr);
    cr_assert_stderr_eq_str("logtree: handler 'file' (file, '/dev/full'): emit: no space left on device; "
                            "records are dropped and counted until it works again\n");
    lt_handler_unref(h);
}

Test(file_handler, reopen_control)
{
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "r.log", "a", 0), 0);
    lg = logger_with(h);
    LT_INFO(lg, "before");
    cr_assert_eq(rename("r.log", "r.log.1"), 0);
    cr_assert_eq(lt_handler_control(h, LT_HANDLER_CTL_REOPEN, NULL), 0);
    LT_INFO(lg, "after");
    cr_assert_str_eq(slurp("r.log.1"), "before\n");
    cr_assert_str_eq(slurp("r.log"), "after\n");
    lt_handler_unref(h);
}

Test(stream_handler, writes_and_flushes_each_record)
{
    lt_handler *h;
    FILE *fp;

    enter_temp_dir();
    fp = fopen("s.log", "w");
    cr_assert_eq(lt_stream_handler_new(&h, fp), 0);
    LT_INFO(logger_with(h), "a %s", "b");
    cr_assert_str_eq(slurp("s.log"), "a b\n", "visible without fflush by the caller");
    cr_assert_eq(lt_handler_control(h, LT_HANDLER_CTL_SET_TERMINATOR, "\r\n"), 0);
    LT_INFO(lt_get_logger("t"), "crlf");
    cr_assert_str_eq(slurp("s.log"), "a b\ncrlf\r\n");
    cr_assert_eq(lt_handler_control(h, LT_HANDLER_CTL_SET_TERMINATOR, "0123456789abcdefXYZ"),
                 LT_ERANGE);
    lt_handler_unref(h);
    fclose(fp);
}

Test(stream_handler, null_stream_is_stderr, .init = cr_redirect_stderr)
{
    lt_handler *h;

    cr_assert_eq(lt_stream_handler_new(&h, NULL), 0);
    LT_INFO(logger_with(h), "to stderr");
    lt_handler_unref(h);
    cr_assert_stderr_eq_str("to stderr\n");
}

Test(stream_handler, fd_through_a_pipe)
{
    lt_handler *h;
    int p[2];
    char buf[64] = "";

    cr_assert_eq(pipe(p), 0);
    cr_assert_eq(lt_fd_handler_new(&h, p[1]), 0);
    LT_INFO(logger_with(h), "through %s", "pipe");
    cr_assert_eq(read(p[0], buf, sizeof(buf) - 1), 13);
    cr_assert_str_eq(buf, "through pipe\n");
    lt_handler_unref(h);
    close(p[0]);
    close(p[1]);
    cr_assert_eq(lt_fd_handler_new(&h, -1), LT_EBADF);
}

Test(stream_handler, closed_stdout_is_reported_and_program_goes_on,
     .init = cr_redirect_stderr)
{
    lt_handler *h;
    lt_logger *lg;

    cr_assert_eq(lt_fd_handler_new(&h, STDOUT_FILENO), 0);
    lg = logger_with(h);
    close(STDOUT_FILENO);
    LT_INFO(lg, "lost");
    LT_INFO(lg, "lost too");
    cr_assert_eq(lt_handler_error_count(h), 2);
    fflush(stderr);
    cr_assert_stderr_eq_str("logtree: handler 'fd' (fd, <fd 1>): emit: bad file descriptor; records are "
                            "dropped and counted until it works again\n");
    lt_handler_unref(h);
}

Test(handler_core, recovery_is_reported, .init = cr_redirect_stderr)
{
    char expected[512];
    lt_handler *h;
    lt_logger *lg;
    int p[2];

    cr_assert_eq(pipe(p), 0);
    int spare = dup(p[1]);
    cr_assert_eq(lt_fd_handler_new(&h, p[1]), 0);
    lt_handler_set_name(h, "pipe");
    lg = logger_with(h);
    close(p[1]);
    LT_INFO(lg, "lost");
    cr_assert_eq(dup2(spare, p[1]), p[1]);
    LT_INFO(lg, "works");
    fflush(stderr);
    snprintf(expected, sizeof(expected),
             "logtree: handler 'pipe' (fd, <fd %d>): emit: bad file descriptor; records are "
             "dropped and counted until it works again\n"
             "logtree: handler 'pipe' (fd, <fd %d>) works again; 1 records lost so far\n",
             p[1], p[1]);
    cr_assert_stderr_eq_str(expected);
    lt_handler_unref(h);
    lt_shutdown(); /* an fd handler leaves its descriptor to its owner, the test */
    close(p[0]);
    close(p[1]);
    close(spare);
}

Test(handler_core, closed_handler_drops_and_counts, .init = cr_redirect_stderr)
{
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "c.log", "a", 0), 0);
    lg = logger_with(h);
    LT_INFO(lg, "kept");
    cr_assert_eq(lt_handler_close(h), 0);
    cr_assert_eq(lt_handler_close(h), 0, "twice is harmless");
    LT_INFO(lg, "dropped");
    cr_assert_eq(lt_handler_error_count(h), 1);
    cr_assert_str_eq(slurp("c.log"), "kept\n");
    cr_assert_eq(lt_handler_control(h, LT_HANDLER_CTL_REOPEN, NULL), LT_ECLOSED);
    lt_handler_unref(h);
}

Test(handler_core, name_defaults_to_kind)
{
    lt_handler *h;

    cr_assert_eq(lt_null_handler_new(&h), 0);
    cr_assert_str_eq(lt_handler_name(h), "null");
    cr_assert_eq(lt_handler_set_name(h, "quiet"), 0);
    cr_assert_str_eq(lt_handler_name(h), "quiet");
    cr_assert_eq(lt_handler_control(h, 12345, NULL), LT_ENOTSUP);
    cr_assert_null(lt_handler_unref(h));
    cr_assert_null(lt_handler_unref(NULL));
}

static int bad_open(void *state, const void *arg)
{
    (void)state;
    (void)arg;
    return LT_EACCES;
}

Test(handler_core, new_checks_its_arguments)
{
    static const lt_handler_type failing = {
        .version = LT_HANDLER_TYPE_VERSION, .name = "failing", .open = bad_open};
    static const lt_handler_type future = {.version = LT_HANDLER_TYPE_VERSION + 1, .name = "f"};
    lt_handler *h = NULL;

    cr_assert_eq(lt_handler_new(&h, &failing, NULL), LT_EACCES);
    cr_assert_eq(lt_handler_new(&h, &future, NULL), LT_EINVAL);
    cr_assert_eq(lt_handler_new(NULL, &failing, NULL), LT_EINVAL);
    cr_assert_null(h);
}

static bool only_errors(void *ud, lt_record *rec)
{
    (void)ud;
    return lt_record_level(rec) >= LT_LEVEL_ERROR;
}

Test(handler_core, handler_filters)
{
    capture *c;
    lt_handler *h = capture_new(&c);
    lt_filter *f;
    lt_logger *lg = logger_with(h);

    cr_assert_eq(lt_callback_filter_new(&f, only_errors, NULL, NULL), 0);
    cr_assert_eq(lt_handler_add_filter(h, f), 0);
    LT_INFO(lg, "no");
    LT_ERROR(lg, "yes");
    cr_assert_eq(lt_handler_remove_filter(h, f), 0);
    cr_assert_eq(lt_handler_remove_filter(h, f), LT_ENOENT);
    LT_INFO(lg, "again");
    cr_assert_str_eq(capture_text(c), "yes\nagain\n");
    lt_filter_unref(f);
    lt_handler_unref(h);
}

static bool forward(void *ud, lt_record *rec)
{
    cr_assert_eq(lt_handler_handle(ud, rec), 1);
    return false;
}

/* lt_handler_handle() is Python's Handler.handle(): filters and emit, no
 * level check; the way a MemoryHandler hands records to its target. */
Test(handler_core, handle_bypasses_the_level)
{
    capture *c, *unused;
    lt_handler *target = capture_new(&c), *h = capture_new(&unused);
    lt_filter *f;

    lt_handler_set_level(target, LT_LEVEL_CRITICAL);
    cr_assert_eq(lt_callback_filter_new(&f, forward, target, NULL), 0);
    lt_handler_add_filter(h, f);
    lt_filter_unref(f);
    LT_INFO(logger_with(h), "forwarded");
    cr_assert_str_eq(capture_text(c), "forwarded\n");
    cr_assert_eq(capture_count(unused), 0);
    lt_handler_unref(h);
    lt_handler_unref(target);
}

static bool log_again(void *ud, lt_record *rec)
{
    (void)rec;
    LT_ERROR((lt_logger *)ud, "from inside the handler");
    return true;
}

/* A filter that logs into its own handler would recurse forever: the inner
 * record is refused and counted, the outer one is written. */
Test(handler_core, no_recursion_into_the_same_handler)
{
    capture *c;
    lt_handler *h = capture_new(&c);
    lt_filter *f;
    lt_logger *lg = logger_with(h);

    cr_assert_eq(lt_callback_filter_new(&f, log_again, lg, NULL), 0);
    lt_handler_add_filter(h, f);
    lt_filter_unref(f);
    LT_INFO(lg, "outer");
    cr_assert_str_eq(capture_text(c), "outer\n");
    cr_assert_eq(lt_handler_error_count(h), 1);
    lt_handler_unref(h);
}

static int failing_flush(void *state)
{
    (void)state;
    return LT_EIO;
}

Test(handler_core, close_returns_the_flush_error)
{
    static const lt_handler_type kind = {
        .version = LT_HANDLER_TYPE_VERSION, .name = "ff", .flags = LT_HANDLER_RAW,
        .flush = failing_flush};
    lt_handler *h;

    cr_assert_eq(lt_handler_new(&h, &kind, NULL), 0);
    cr_assert_eq(lt_handler_flush(h), LT_EIO);
    cr_assert_eq(lt_handler_close(h), LT_EIO);
    cr_assert_eq(lt_handler_close(h), 0, "closed already: nothing to flush");
    lt_handler_unref(h);
}
