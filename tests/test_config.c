/* tests/test_config.c - fileConfig INI files: what they set up, every error
 * they can make (with file and line), and that a failed load changes nothing. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

#define HEAD                                                                                       \
    "[loggers]\nkeys=root\n\n[handlers]\nkeys=out\n\n[formatters]\nkeys=plain\n\n"               \
    "[logger_root]\nlevel=DEBUG\nhandlers=out\n\n"

static lt_error err;

static int load(const char *text)
{
    lt_error_clear(&err);
    return lt_config_string(text, strlen(text), "test.ini", 0, &err);
}

/* The config must fail with @code at @line, and its message must contain @what. */
static void expect_error(const char *text, int code, int line, const char *what)
{
    int r = load(text);

    cr_assert_eq(r, code, "expected %s, got %s (%s)", lt_err_name(code), lt_err_name(r),
                 err.message);
    cr_assert_eq(err.code, code);
    cr_assert_str_eq(err.file, "test.ini");
    cr_assert_eq(err.line, line, "line %d, expected %d: %s", err.line, line, err.message);
    cr_assert(strstr(err.message, what) != NULL, "message '%s' lacks '%s'", err.message, what);
}

Test(config, routes_as_configured)
{
    enter_temp_dir();
    cr_assert_eq(load("[loggers]\nkeys=root,db\n[handlers]\nkeys=file\n[formatters]\nkeys=f\n"
                      "[logger_root]\nlevel=ERROR\nhandlers=\n"
                      "[logger_db]\nlevel=DEBUG\nhandlers=file\npropagate=0\nqualname=app.db\n"
                      "[handler_file]\nclass=FileHandler\nargs=('db.log', 'w')\nlevel=INFO\n"
                      "formatter=f\n"
                      "[formatter_f]\nformat=%(levelname)s|%(name)s|%(message)s\n"),
                 0, "%s", err.message);
    LT_DEBUG(lt_get_logger("app.db"), "below the handler's level");
    LT_INFO(lt_get_logger("app.db.pool"), "child of db");
    LT_WARNING(lt_get_logger("app"), "no handler on app: last resort would print");
    cr_assert_str_eq(slurp("db.log"), "INFO|app.db.pool|child of db\n");
    cr_assert_eq(lt_logger_level(lt_get_logger(NULL)), LT_LEVEL_ERROR);
    cr_assert_not(lt_logger_propagate(lt_get_logger("app.db")));
}

Test(config, file_errors)
{
    cr_assert_eq(lt_config_file("/no/such/logging.ini", 0, &err), LT_ENOENT);
    cr_assert_str_eq(err.file, "/no/such/logging.ini");
    enter_temp_dir();
    FILE *fp = fopen("empty.ini", "w");
    fclose(fp);
    cr_assert_eq(lt_config_file("empty.ini", 0, &err), LT_ECONFIG);
    cr_assert(strstr(err.message, "empty") != NULL);
}

Test(config, errors_name_the_line)
{
    expect_error("[loggers]\nkeys=root\n[handlers]\nkeys=\n[logger_root]\nhandlers=\n",
                 LT_ECONFIG, 0, "no [formatters] section");
    expect_error("[loggers]\nkeys=app\n[handlers]\nkeys=\n[formatters]\nkeys=\n", LT_ECONFIG, 2,
                 "must include root");
    expect_error(HEAD "[handler_out]\nclass=NoSuchHandler\n[formatter_plain]\n", LT_EUNKNOWN, 15,
                 "unknown handler class 'NoSuchHandler'");
    expect_error("[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n"
                 "[logger_root]\nlevel=debug\nhandlers=\n",
                 LT_ELEVEL, 8, "unknown level 'debug'");
    expect_error("[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n"
                 "[logger_root]\nlevel=INFO ; the default\nhandlers=\n",
                 LT_ELEVEL, 8, "unknown level 'INFO ; the default'");
    expect_error("[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n"
                 "[logger_root]\nlevel=DEBUG\n",
                 LT_ECONFIG, 7, "has no 'handlers' key");
    expect_error("[loggers]\nkeys=root\n[handlers]\nkeys=out\n[formatters]\nkeys=\n"
                 "[logger_root]\nhandlers=out\n",
                 LT_ECONFIG, 4, "no section [handler_out]");
    expect_error("[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n"
                 "[logger_root]\nhandlers=ghost\n",
                 LT_ECONFIG, 8, "handler 'ghost' is not listed");
}

Test(config, formatter_errors)
{
    expect_error(HEAD "[handler_out]\nclass=StreamHandler\nformatter=plain\n"
                      "[formatter_plain]\nformat=no fields\n",
                 LT_EFORMAT, 18, "no fields");
    expect_error(HEAD "[handler_out]\nclass=StreamHandler\nformatter=plain\n"
                      "[formatter_plain]\nformat=%(message)s\nstyle=#\n",
                 LT_EINVAL, 19, "style");
    expect_error(HEAD "[handler_out]\nclass=StreamHandler\nformatter=plain\n"
                      "[formatter_plain]\nformat={levelname!x} {message}\nstyle={\n",
                 LT_EFORMAT, 18, "invalid conversion: 'x' (use !r, !s or !a) at column 1");
    expect_error(HEAD "[handler_out]\nclass=StreamHandler\nformatter=other\n"
                      "[formatter_plain]\nformat=%(message)s\n",
                 LT_ECONFIG, 16, "formatter 'other' is not listed");
    expect_error(HEAD "[handler_out]\nclass=StreamHandler\n"
                      "[formatter_plain]\nclass=mymodule.JsonFormatter\n",
                 LT_EUNKNOWN, 17, "formatter class 'mymodule.JsonFormatter'");
}

Test(config, argument_errors)
{
    expect_error(HEAD "[handler_out]\nclass=FileHandler\nargs=('a.log', 'x')\n"
                      "[formatter_plain]\n",
                 LT_ECONFIG, 16, "mode 'x' is not supported");
    expect_error(HEAD "[handler_out]\nclass=FileHandler\nargs=('a.log', 'a', 'latin-1')\n"
                      "[formatter_plain]\n",
                 LT_ECONFIG, 16, "encoding 'latin-1' is not supported");
    expect_error(HEAD "[handler_out]\nclass=FileHandler\nargs=('a.log'\n[formatter_plain]\n",
                 LT_ESYNTAX, 16, "args:");
    expect_error(HEAD "[handler_out]\nclass=FileHandler\nargs=('a.log')\n[formatter_plain]\n",
                 LT_ECONFIG, 16, "args must be a tuple");
    expect_error(HEAD "[handler_out]\nclass=FileHandler\nargs=()\n[formatter_plain]\n",
                 LT_ECONFIG, 16, "missing its required argument 'filename'");
    expect_error(HEAD "[handler_out]\nclass=FileHandler\nargs=('a.log',)\n"
                      "kwargs={'filename': 'b.log'}\n[formatter_plain]\n",
                 LT_ECONFIG, 17, "multiple values for argument 'filename'");
    expect_error(HEAD "[handler_out]\nclass=StreamHandler\nkwargs={'strem': sys.stdout}\n"
                      "[formatter_plain]\n",
                 LT_ECONFIG, 16, "unexpected keyword argument 'strem'");
    expect_error(HEAD "[handler_out]\nclass=StreamHandler\nargs=(sys.stdin,)\n"
                      "[formatter_plain]\n",
                 LT_EUNSUPPORTED, 16, "sys.stdin");
    expect_error(HEAD "[handler_out]\nclass=StreamHandler\nargs=(open('x'),)\n"
                      "[formatter_plain]\n",
                 LT_EUNSUPPORTED, 16, "args");
    expect_error(HEAD "[handler_out]\nclass=FileHandler\nargs=('a.log', 'a', None, False, None, 1)\n"
                      "[formatter_plain]\n",
                 LT_ECONFIG, 16, "at most 5 arguments (6 given)");
}

Test(config, logger_section_errors)
{
    expect_error("[loggers]\nkeys=root,app\n[handlers]\nkeys=\n[formatters]\nkeys=\n"
                 "[logger_root]\nhandlers=\n[logger_app]\nhandlers=\n",
                 LT_ECONFIG, 9, "has no 'qualname' key");
    expect_error("[loggers]\nkeys=root,app\n[handlers]\nkeys=\n[formatters]\nkeys=\n"
                 "[logger_root]\nhandlers=\n[logger_app]\nhandlers=\nqualname=app\npropagate=yes\n",
                 LT_ECONFIG, 12, "propagate must be an integer");
    expect_error("[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n"
                 "[logger_root]\nhandlers=\nlevel=%(nope)s\n",
                 LT_EUNKNOWN, 9, "nope");
}

Test(config, syntax_errors_come_from_the_parser)
{
    expect_error("keys=root\n", LT_ESYNTAX, 1, "");
    expect_error("[loggers]\nkeys=root\nnot a key value line\n", LT_ESYNTAX, 3, "");
    expect_error("[loggers]\nkeys=root\n[loggers]\nkeys=x\n", LT_ECONFIG, 3, "");
}

/* The old configuration stays whole when a new one fails, even when the
 * failure is a file that cannot be opened after other handlers were made. */
Test(config, failed_load_changes_nothing)
{
    enter_temp_dir();
    cr_assert_eq(load(HEAD "[handler_out]\nclass=FileHandler\nargs=('old.log', 'w')\n"
                           "formatter=plain\n[formatter_plain]\nformat=old %(message)s\n"),
                 0, "%s", err.message);
    expect_error("[loggers]\nkeys=root\n[handlers]\nkeys=a,b\n[formatters]\nkeys=\n"
                 "[logger_root]\nlevel=CRITICAL\nhandlers=a,b\n"
                 "[handler_a]\nclass=FileHandler\nargs=('new.log', 'w')\n"
                 "[handler_b]\nclass=FileHandler\nargs=('no/such/dir/x.log',)\n",
                 LT_ENOENT, 15, "no/such/dir/x.log");
    LT_INFO(lt_get_logger("x"), "still configured");
    cr_assert_eq(lt_logger_level(lt_get_logger(NULL)), LT_LEVEL_DEBUG);
    cr_assert_str_eq(slurp("old.log"), "old still configured\n");
    cr_assert_str_eq(slurp("new.log"), "", "the new handler was made, then closed again");
}

Test(config, a_new_config_closes_the_old_handlers)
{
    enter_temp_dir();
    cr_assert_eq(load(HEAD "[handler_out]\nclass=FileHandler\nargs=('one.log',)\n"
                           "[formatter_plain]\n"),
                 0);
    LT_INFO(lt_get_logger(NULL), "to one");
    cr_assert_eq(load(HEAD "[handler_out]\nclass=FileHandler\nargs=('two.log',)\n"
                           "[formatter_plain]\n"),
                 0);
    LT_INFO(lt_get_logger(NULL), "to two");
    cr_assert_str_eq(slurp("one.log"), "to one\n");
    cr_assert_str_eq(slurp("two.log"), "to two\n");
}

/* _handle_existing_loggers: loggers that exist before the load and that it
 * does not name are disabled; children of named ones are reset instead. */
Test(config, disable_existing_loggers)
{
    const char *text = "[loggers]\nkeys=root,app\n[handlers]\nkeys=\n[formatters]\nkeys=\n"
                       "[logger_root]\nlevel=DEBUG\nhandlers=\n"
                       "[logger_app]\nlevel=INFO\nhandlers=\nqualname=app\n";
    lt_logger *other = lt_get_logger("other"), *child = lt_get_logger("app.child");

    lt_logger_set_level(child, LT_LEVEL_ERROR);
    lt_logger_set_propagate(child, false);
    cr_assert_eq(load(text), 0);
    cr_assert(lt_logger_disabled(other));
    cr_assert_not(lt_logger_disabled(child));
    cr_assert_eq(lt_logger_level(child), LT_LEVEL_NOTSET);
    cr_assert(lt_logger_propagate(child));
    cr_assert_not(lt_logger_disabled(lt_get_logger("created.after")));
    cr_assert_eq(lt_config_string(text, strlen(text), NULL, LT_CONFIG_KEEP_EXISTING, &err), 0);
    cr_assert_not(lt_logger_disabled(other), "keep existing re-enables nothing but disables "
                                             "nothing either: Python sets disabled = False");
}

Test(config, interpolation_and_defaults)
{
    enter_temp_dir();
    cr_assert_eq(load("[DEFAULT]\nname=svc\nlevel=ERROR\n"
                      "[loggers]\nkeys=root,db\n[handlers]\nkeys=f\n[formatters]\nkeys=\n"
                      "[logger_root]\nhandlers=f\n"
                      "[logger_db]\nhandlers=\nqualname=%(name)s.db\nlevel=DEBUG\n"
                      "[handler_f]\nclass=FileHandler\nargs=('%(name)s-100%%.log', 'w')\nlevel=DEBUG\n"),
                 0, "%s", err.message);
    LT_DEBUG(lt_get_logger("svc.db"), "db is DEBUG");
    LT_WARNING(lt_get_logger("x"), "root is ERROR from DEFAULT");
    cr_assert_str_eq(slurp("svc-100%.log"), "db is DEBUG\n");
}

Test(config, handler_spellings_and_forms)
{
    enter_temp_dir();
    cr_assert_eq(load("[loggers]\nkeys=root\n[handlers]\nkeys=a,b,c,d\n[formatters]\nkeys=\n"
                      "[logger_root]\nlevel=DEBUG\nhandlers=a,b,c,d\n"
                      "[handler_a]\nclass=logging.FileHandler\nargs=(\"a.log\", \"w\", \"utf-8\")\n"
                      "[handler_b]\nclass=FileHandler\nargs=()\n"
                      "kwargs={'filename': 'b.log', 'delay': True}\n"
                      "[handler_c]\nclass=logging.NullHandler\n"
                      "[handler_d]\nclass=NullHandler\nargs=(ERROR,)\n"),
                 0, "%s", err.message);
    cr_assert_eq(access("b.log", F_OK), -1, "delay=True: not opened yet");
    LT_INFO(lt_get_logger(NULL), "x");
    cr_assert_str_eq(slurp("a.log"), "x\n");
    cr_assert_str_eq(slurp("b.log"), "x\n");
    cr_assert_eq(load("[loggers]\nkeys=root\n[handlers]\nkeys=a\n[formatters]\nkeys=\n"
                      "[logger_root]\nhandlers=a\n[handler_a]\nclass=handlers.StreamHandler\n"),
                 LT_EUNKNOWN, "logging.handlers has no StreamHandler");
}

/* A file a failed load names with mode 'w' keeps its content: every file is
 * checked before any is opened for real. */
Test(config, failed_load_truncates_nothing)
{
    FILE *fp;

    enter_temp_dir();
    fp = fopen("live.log", "w");
    fputs("precious\n", fp);
    fclose(fp);
    expect_error("[loggers]\nkeys=root\n[handlers]\nkeys=a,b\n[formatters]\nkeys=\n"
                 "[logger_root]\nhandlers=a,b\n"
                 "[handler_a]\nclass=FileHandler\nargs=('live.log', 'w')\n"
                 "[handler_b]\nclass=FileHandler\nargs=('missing/dir/b.log', 'w')\n",
                 LT_ENOENT, 14, "missing/dir/b.log");
    cr_assert_str_eq(slurp("live.log"), "precious\n");
    expect_error("[loggers]\nkeys=root\n[handlers]\nkeys=a,b\n[formatters]\nkeys=\n"
                 "[logger_root]\nhandlers=a,b\n"
                 "[handler_a]\nclass=FileHandler\nargs=('fresh.log', 'w')\n"
                 "[handler_b]\nclass=FileHandler\nargs=('missing/dir/b.log', 'w')\n",
                 LT_ENOENT, 14, "missing/dir/b.log");
    cr_assert_eq(access("fresh.log", F_OK), -1, "the check leaves no file behind");
}

/* Python removes the first "root" from the keys; a second one is an
 * ordinary logger section, whose qualname is missing. */
Test(config, root_listed_twice)
{
    lt_get_logger("existing.logger");
    expect_error("[loggers]\nkeys=root,root\n[handlers]\nkeys=\n[formatters]\nkeys=\n"
                 "[logger_root]\nhandlers=\n",
                 LT_ECONFIG, 7, "has no 'qualname' key");
}

/* The network classes: Python's argument forms load; bad ones are named
 * with their line (nothing is connected while loading: UDP and an absent
 * TCP server are not errors). */
Test(config, network_handler_arguments)
{
    cr_assert_eq(load(HEAD "[handler_out]\nclass=handlers.SysLogHandler\n"
                           "args=(('127.0.0.1', 9), 'local0')\n[formatter_plain]\n"),
                 0, "%s", err.message);
    cr_assert_eq(load(HEAD "[handler_out]\nclass=handlers.SysLogHandler\n"
                           "args=(('127.0.0.1', 9), handlers.SysLogHandler.LOG_USER, "
                           "socket.SOCK_STREAM)\nkwargs={'format': 'rfc5424', 'framing': "
                           "'newline', 'queue_size': 5, 'overflow': 'drop_newest', "
                           "'timeout': 0.2}\n[formatter_plain]\n"),
                 0, "%s", err.message);
    cr_assert_eq(load(HEAD "[handler_out]\nclass=handlers.SocketHandler\n"
                           "args=('127.0.0.1', handlers.DEFAULT_TCP_LOGGING_PORT)\n"
                           "kwargs={'wire': 'lines'}\n[formatter_plain]\n"),
                 0, "%s", err.message);
    cr_assert_eq(load(HEAD "[handler_out]\nclass=logtree.JournalHandler\n"
                           "kwargs={'path': '/nonexistent/journal.sock'}\n[formatter_plain]\n"),
                 0, "%s", err.message);
    expect_error(HEAD "[handler_out]\nclass=handlers.SysLogHandler\n"
                      "args=(('127.0.0.1', 514), 'local9')\n[formatter_plain]\n",
                 LT_ECONFIG, 16, "facility 'local9'");
    expect_error(HEAD "[handler_out]\nclass=handlers.SysLogHandler\n"
                      "args=(('127.0.0.1', 514),)\nkwargs={'format': 'rfc9999'}\n"
                      "[formatter_plain]\n",
                 LT_ECONFIG, 17, "format 'rfc9999' is not one of auto, python, rfc3164, rfc5424");
    expect_error(HEAD "[handler_out]\nclass=handlers.SysLogHandler\n"
                      "args=(('127.0.0.1', 70000),)\n[formatter_plain]\n",
                 LT_ECONFIG, 16, "address port must be 1 to 65535");
    expect_error(HEAD "[handler_out]\nclass=handlers.SocketHandler\n"
                      "args=('127.0.0.1', 9020)\nkwargs={'wire': 'xml'}\n[formatter_plain]\n",
                 LT_ECONFIG, 17, "wire 'xml' is not one of pickle, lines");
    expect_error(HEAD "[handler_out]\nclass=handlers.DatagramHandler\n"
                      "args=('127.0.0.1', 9021)\nkwargs={'overflow': 'drop_all'}\n"
                      "[formatter_plain]\n",
                 LT_ECONFIG, 17, "overflow 'drop_all'");
    expect_error(HEAD "[handler_out]\nclass=handlers.SocketHandler\nargs=('127.0.0.1',)\n"
                      "[formatter_plain]\n",
                 LT_ECONFIG, 16, "missing its required argument 'port'");
}
