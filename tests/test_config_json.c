/* tests/test_config_json.c - dictConfig JSON configs (src/config_json.c):
 * every key of the schema, located errors, failed loads that change
 * nothing, format detection, reload, the environment, and the tree view.
 * Python's own reading of the same JSON is checked by the oracle
 * (tests/oracle/cases/json_*); these tests pin what the oracle's CLI cannot
 * reach (filters, incremental, the logtree object, reload). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static lt_error err;

static int load(const char *text)
{
    lt_error_clear(&err);
    return lt_config_json_string(text, strlen(text), "t.json", 0, &err);
}

static void expect_error(const char *text, int code, int line, int column, const char *what)
{
    int r = load(text);

    cr_assert_eq(r, code, "expected %s, got %s (%s)", lt_err_name(code), lt_err_name(r),
                 err.message);
    cr_assert_str_eq(err.file, "t.json");
    cr_expect_eq(err.line, line, "line %d, expected %d: %s", err.line, line, err.message);
    cr_expect_eq(err.column, column, "column %d, expected %d: %s", err.column, column,
                 err.message);
    cr_expect(strstr(err.message, what) != NULL, "message '%s' lacks '%s'", err.message, what);
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

/* Whether the tree's description names @text: the handlers of a reload
 * are in place once it does (the file itself exists earlier: the load
 * checks that it can be created). */
static bool tree_has(const char *text)
{
    char *dump = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&dump, &len);
    bool has;

    cr_assert(f);
    lt_dump_tree(f);
    fclose(f);
    has = strstr(dump, text) != NULL;
    free(dump);
    return has;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

Test(config_json, routes_as_configured)
{
    enter_temp_dir();
    cr_assert_eq(load("{\"version\": 1,\n"
                      " \"formatters\": {\"f\": {\"format\": \"%(levelname)s|%(name)s|%(message)s\"}},\n"
                      " \"handlers\": {\"file\": {\"class\": \"logging.FileHandler\",\n"
                      "   \"filename\": \"db.log\", \"mode\": \"w\", \"level\": \"INFO\",\n"
                      "   \"formatter\": \"f\"}},\n"
                      " \"loggers\": {\"app.db\": {\"level\": \"DEBUG\", \"handlers\": [\"file\"],\n"
                      "   \"propagate\": false}},\n"
                      " \"root\": {\"level\": \"ERROR\"}}"),
                 0, "%s", err.message);
    LT_DEBUG(lt_get_logger("app.db"), "below the handler's level");
    LT_INFO(lt_get_logger("app.db.pool"), "child of db");
    cr_assert_str_eq(slurp("db.log"), "INFO|app.db.pool|child of db\n");
    cr_assert_eq(lt_logger_level(lt_get_logger(NULL)), LT_LEVEL_ERROR);
    cr_assert_not(lt_logger_propagate(lt_get_logger("app.db")));
}

Test(config_json, formatter_keys_and_classes)
{
    enter_temp_dir();
    cr_assert_eq(load("{\"version\": 1,\n"
                      " \"formatters\": {\n"
                      "  \"brace\": {\"format\": \"{levelname}/{message}\", \"style\": \"{\",\n"
                      "             \"validate\": true, \"datefmt\": \"%Y\"},\n"
                      "  \"json\": {\"()\": \"logtree.JSONFormatter\",\n"
                      "            \"attributes\": [\"levelname\", \"message\"],\n"
                      "            \"rename\": {\"levelname\": \"lvl\"}, \"extra\": false},\n"
                      "  \"logfmt\": {\"()\": \"LogfmtFormatter\", \"attributes\": \"message\"},\n"
                      "  \"access\": {\"class\": \"logtree.AccessFormatter\", \"format\": \"%h %>s\"},\n"
                      "  \"dflt\": {\"format\": \"%(app)s %(n)03d %(x).1f %(status)s %(message)s\",\n"
                      "            \"defaults\": {\"app\": \"web\", \"n\": 7, \"x\": 2.25, \"status\": 0}}},\n"
                      " \"handlers\": {\n"
                      "  \"a\": {\"class\": \"logging.FileHandler\", \"filename\": \"a.log\", \"formatter\": \"brace\"},\n"
                      "  \"b\": {\"class\": \"logging.FileHandler\", \"filename\": \"b.log\", \"formatter\": \"json\"},\n"
                      "  \"c\": {\"class\": \"logging.FileHandler\", \"filename\": \"c.log\", \"formatter\": \"logfmt\"},\n"
                      "  \"d\": {\"class\": \"logging.FileHandler\", \"filename\": \"d.log\", \"formatter\": \"access\"},\n"
                      "  \"e\": {\"class\": \"logging.FileHandler\", \"filename\": \"e.log\", \"formatter\": \"dflt\"}},\n"
                      " \"root\": {\"level\": \"INFO\", \"handlers\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}}"),
                 0, "%s", err.message);
    LT_INFO(lt_get_logger("x"), "hi", LT_F("remote_addr", "10.0.0.1"), LT_F("status", 200));
    cr_expect_str_eq(slurp("a.log"), "INFO/hi\n");
    cr_expect_str_eq(slurp("b.log"), "{\"lvl\":\"INFO\",\"message\":\"hi\"}\n");
    cr_expect_str_eq(slurp("c.log"), "msg=hi remote_addr=10.0.0.1 status=200\n");
    cr_expect_str_eq(slurp("d.log"), "10.0.0.1 200\n");
    /* defaults fill what the record lacks; its own field wins (status) */
    cr_expect_str_eq(slurp("e.log"), "web 007 2.2 200 hi\n");
}

Test(config_json, filters_on_handlers_and_loggers)
{
    enter_temp_dir();
    cr_assert_eq(load("{\"version\": 1,\n"
                      " \"filters\": {\"db\": {\"name\": \"app.db\"}, \"app\": {\"name\": \"app\"}},\n"
                      " \"handlers\": {\"h\": {\"class\": \"logging.FileHandler\", \"filename\": \"h.log\",\n"
                      "                       \"filters\": [\"db\"]}},\n"
                      " \"loggers\": {\"app\": {\"filters\": [\"app\"]}},\n"
                      " \"root\": {\"level\": \"DEBUG\", \"handlers\": [\"h\"]}}"),
                 0, "%s", err.message);
    LT_INFO(lt_get_logger("app.db"), "db");
    LT_INFO(lt_get_logger("app.http"), "http");
    LT_INFO(lt_get_logger("app.dbx"), "dbx");
    LT_INFO(lt_get_logger("other"), "other");
    cr_expect_str_eq(slurp("h.log"), "db\n");
}

Test(config_json, handler_class_keys_are_the_class_arguments)
{
    enter_temp_dir();
    cr_assert_eq(load("{\"version\": 1, \"handlers\": {\n"
                      " \"rot\": {\"class\": \"logging.handlers.RotatingFileHandler\",\n"
                      "   \"filename\": \"r.log\", \"maxBytes\": 10, \"backupCount\": 2},\n"
                      " \"timed\": {\"class\": \"logging.handlers.TimedRotatingFileHandler\",\n"
                      "   \"filename\": \"t.log\", \"when\": \"midnight\", \"utc\": true},\n"
                      " \"mem\": {\"class\": \"logging.handlers.MemoryHandler\", \"capacity\": 2,\n"
                      "   \"target\": \"rot\"},\n"
                      " \"lazy\": {\"class\": \"logging.FileHandler\", \"filename\": \"lazy.log\",\n"
                      "   \"delay\": true, \"encoding\": \"utf-8\"}},\n"
                      " \"root\": {\"level\": \"INFO\", \"handlers\": [\"mem\", \"timed\"]}}"),
                 0, "%s", err.message);
    LT_INFO(lt_get_logger("a"), "first line");
    LT_INFO(lt_get_logger("a"), "second line");
    cr_expect_str_eq(slurp("t.log"), "first line\nsecond line\n");
    cr_expect_str_eq(slurp("r.log.1"), "first line\n");
    cr_expect_str_eq(slurp("r.log"), "second line\n");
    cr_expect_neq(access("lazy.log", F_OK), 0, "a delayed handler opens nothing");
}

Test(config_json, ext_streams)
{
    cr_assert_eq(load("{\"version\": 1, \"handlers\": {\n"
                      " \"o\": {\"class\": \"logging.StreamHandler\", \"stream\": \"ext://sys.stdout\"},\n"
                      " \"e\": {\"class\": \"StreamHandler\", \"stream\": \"ext://sys.stderr\"},\n"
                      " \"d\": {\"class\": \"logging.StreamHandler\"}}}"),
                 0, "%s", err.message);
    expect_error("{\"version\": 1, \"handlers\": {\n"
                 " \"o\": {\"class\": \"logging.StreamHandler\", \"stream\": \"ext://os.devnull\"}}}",
                 LT_EUNSUPPORTED, 2, 52, "cannot resolve 'ext://os.devnull'");
}

Test(config_json, errors_are_located)
{
    expect_error("[1]", LT_ECONFIG, 1, 1, "a dictConfig is a JSON object");
    expect_error("{\"root\": {}}", LT_ECONFIG, 1, 1, "no \"version\"");
    expect_error("{\"version\": 2}", LT_ECONFIG, 1, 13, "unsupported version");
    expect_error("{\"version\": 1,\n \"root\": {\"level\": \"debug\"}}", LT_ELEVEL, 2, 20,
                 "unknown level 'debug'");
    expect_error("{\"version\": 1,\n \"root\": {\"level\": 1.5}}", LT_ELEVEL, 2, 20,
                 "level must be a name or an integer");
    expect_error("{\"version\": 1,\n \"root\": {\"handlers\": [\"nope\"]}}", LT_ECONFIG, 2, 24,
                 "no handler named 'nope'");
    expect_error("{\"version\": 1,\n \"root\": {\"handlers\": \"h\"}}", LT_ECONFIG, 2, 23,
                 "handlers must be an array of names");
    expect_error("{\"version\": 1,\n \"loggers\": {\"a\": {\"filters\": [\"f\"]}}}", LT_ECONFIG,
                 2, 32, "no filter named 'f'");
    expect_error("{\"version\": 1, \"handlers\": {\n \"h\": {\"class\": \"NoSuchHandler\"}}}",
                 LT_EUNKNOWN, 2, 17, "unknown handler class 'NoSuchHandler'");
    expect_error("{\"version\": 1, \"handlers\": {\n \"h\": {\"level\": \"INFO\"}}}", LT_ECONFIG,
                 2, 7, "has no \"class\"");
    expect_error("{\"version\": 1, \"handlers\": {\n \"h\": {\"class\": \"logging.FileHandler\"}}}",
                 LT_ECONFIG, 2, 7, "missing its required argument 'filename'");
    expect_error("{\"version\": 1, \"handlers\": {\n \"h\": {\"class\": \"logging.FileHandler\",\n"
                 "  \"filename\": \"x\", \"encodng\": \"utf-8\"}}}",
                 LT_ECONFIG, 3, 20, "unexpected keyword argument 'encodng'");
    expect_error("{\"version\": 1, \"handlers\": {\n \"h\": {\"class\": \"logging.FileHandler\",\n"
                 "  \"filename\": \"x\", \"mode\": \"r\"}}}",
                 LT_ECONFIG, 3, 28, "mode 'r' is not supported");
    expect_error("{\"version\": 1, \"handlers\": {\n \"h\": {\"class\": \"logging.StreamHandler\",\n"
                 "  \"formatter\": \"f\"}}}",
                 LT_ECONFIG, 3, 16, "no formatter named 'f'");
    expect_error("{\"version\": 1, \"formatters\": {\n \"f\": {\"format\": \"%(levelname)d\"}}}",
                 LT_EFORMAT, 2, 18, "formatter 'f'");
    expect_error("{\"version\": 1, \"formatters\": {\n \"f\": {\"style\": \"#\"}}}", LT_EINVAL,
                 2, 17, "style must be one of");
    expect_error("{\"version\": 1, \"formatters\": {\n \"f\": {\"()\": \"logtree.JSONFormatter\",\n"
                 "  \"atributes\": \"message\"}}}",
                 LT_ECONFIG, 3, 3, "unexpected keyword argument 'atributes'");
    expect_error("{\"version\": 1, \"formatters\": {\n \"f\": {\"()\": \"myapp.Fmt\"}}}",
                 LT_EUNKNOWN, 2, 14, "unknown formatter class 'myapp.Fmt'");
    expect_error("{\"version\": 1, \"handlers\": {\n"
                 " \"a\": {\"class\": \"logging.handlers.MemoryHandler\", \"capacity\": 1,\n"
                 "  \"target\": \"b\"},\n"
                 " \"b\": {\"class\": \"logging.handlers.MemoryHandler\", \"capacity\": 1,\n"
                 "  \"target\": \"a\"}}}",
                 LT_ECONFIG, 3, 13, "round forever");
    expect_error("{\"version\": 1, \"logtree\": {\"overflow\": \"spill\"}}", LT_ECONFIG, 1, 40,
                 "overflow must be block, drop or grow");
    expect_error("{\"version\": 1,,}", LT_ESYNTAX, 1, 15, "expected a string");
}

Test(config_json, failed_load_changes_nothing)
{
    enter_temp_dir();
    cr_assert_eq(load("{\"version\": 1, \"handlers\": {\"h\": {\"class\": \"logging.FileHandler\","
                      " \"filename\": \"keep.log\"}}, \"root\": {\"level\": \"INFO\", "
                      "\"handlers\": [\"h\"]}}"),
                 0, "%s", err.message);
    write_file("w.log", "precious\n");
    /* the second handler is fine and mode 'w'; the third cannot open */
    cr_assert_lt(load("{\"version\": 1, \"handlers\": {"
                      "\"a\": {\"class\": \"logging.FileHandler\", \"filename\": \"w.log\", \"mode\": \"w\"},"
                      "\"b\": {\"class\": \"logging.FileHandler\", \"filename\": \"/no/such/dir/x.log\"}},"
                      " \"root\": {\"level\": \"DEBUG\", \"handlers\": [\"a\", \"b\"]}}"),
                 0);
    cr_expect(strstr(err.message, "cannot open '/no/such/dir/x.log'"), "%s", err.message);
    LT_INFO(lt_get_logger("x"), "still here");
    LT_DEBUG(lt_get_logger("x"), "root is still INFO");
    cr_expect_str_eq(slurp("keep.log"), "still here\n");
    cr_expect_str_eq(slurp("w.log"), "precious\n");
}

Test(config_json, disable_existing_loggers)
{
    lt_logger *old = lt_get_logger("old"), *kept = lt_get_logger("app.child");

    cr_assert_eq(load("{\"version\": 1, \"loggers\": {\"app\": {}}}"), 0, "%s", err.message);
    cr_expect(lt_logger_disabled(old));
    cr_expect_not(lt_logger_disabled(kept), "a descendant of a configured logger is kept");
    cr_assert_eq(load("{\"version\": 1, \"disable_existing_loggers\": false}"), 0);
    cr_expect_not(lt_logger_disabled(old));
    cr_assert_eq(lt_config_json_string("{\"version\": 1}", 14, NULL, LT_CONFIG_KEEP_EXISTING,
                                       &err),
                 0);
    cr_expect_not(lt_logger_disabled(old), "LT_CONFIG_KEEP_EXISTING is the default then");
    cr_assert_eq(lt_config_json_string("{\"version\": 1, \"disable_existing_loggers\": true}",
                                       48, NULL, LT_CONFIG_KEEP_EXISTING, &err),
                 0);
    cr_expect(lt_logger_disabled(old), "the file's key wins over the flag");
}

Test(config_json, incremental_changes_levels_only)
{
    enter_temp_dir();
    cr_assert_eq(load("{\"version\": 1, \"handlers\": {\"h\": {\"class\": \"logging.FileHandler\","
                      " \"filename\": \"i.log\", \"level\": \"ERROR\"}},"
                      " \"loggers\": {\"a\": {\"level\": \"ERROR\", \"handlers\": [\"h\"]}}}"),
                 0, "%s", err.message);
    cr_assert_eq(load("{\"version\": 1, \"incremental\": true,"
                      " \"handlers\": {\"h\": {\"level\": \"INFO\", \"class\": \"ignored\"}},"
                      " \"loggers\": {\"a\": {\"level\": \"INFO\", \"handlers\": [\"ignored\"],"
                      "                       \"propagate\": false}}}"),
                 0, "%s", err.message);
    LT_INFO(lt_get_logger("a"), "now visible");
    cr_expect_str_eq(slurp("i.log"), "now visible\n");
    cr_expect_not(lt_logger_propagate(lt_get_logger("a")));
    expect_error("{\"version\": 1, \"incremental\": true, \"handlers\": {\"nope\": {}}}",
                 LT_ECONFIG, 1, 50, "no handler named 'nope' is running");
}

Test(config_json, logtree_settings)
{
    cr_assert_eq(load("{\"version\": 1, \"logtree\": {\"async\": true, \"ring_size\": \"64KiB\","
                      " \"overflow\": \"drop\"}}"),
                 0, "%s", err.message);
    cr_assert_eq(lt_async_stop(), 0, "async mode was started by the config");
}

Test(config_json, check_only_changes_nothing)
{
    enter_temp_dir();
    write_file("c.json", "{\"version\": 1, \"handlers\": {\"h\": {\"class\": "
                         "\"logging.FileHandler\", \"filename\": \"never.log\"}},"
                         " \"root\": {\"level\": \"DEBUG\", \"handlers\": [\"h\"]}}");
    cr_assert_eq(lt_config_file("c.json", LT_CONFIG_CHECK_ONLY, &err), 0, "%s", err.message);
    cr_expect_neq(access("never.log", F_OK), 0);
    cr_expect_eq(lt_logger_level(lt_get_logger(NULL)), LT_LEVEL_WARNING);
    cr_expect_eq(lt_config_reload(&err), LT_ENOENT, "a check is not remembered for reload");
}

Test(config_json, lt_config_file_detects_the_format)
{
    enter_temp_dir();
    write_file("a.conf", "\n  {\"version\": 1, \"root\": {\"level\": \"ERROR\"}}\n");
    write_file("b.conf", "[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n"
                         "[logger_root]\nlevel=DEBUG\nhandlers=\n");
    cr_assert_eq(lt_config_file("a.conf", 0, &err), 0, "%s", err.message);
    cr_expect_eq(lt_logger_level(lt_get_logger(NULL)), LT_LEVEL_ERROR);
    cr_assert_eq(lt_config_file("b.conf", 0, &err), 0, "%s", err.message);
    cr_expect_eq(lt_logger_level(lt_get_logger(NULL)), LT_LEVEL_DEBUG);
    write_file("c.conf", "{\"version\": 1,\n \"root\": {\"level\": \"ERROR\"},\n}");
    cr_assert_eq(lt_config_file("c.conf", 0, &err), LT_ESYNTAX);
    cr_expect_str_eq(err.file, "c.conf");
    cr_expect_eq(err.line, 3);
    cr_expect_eq(err.column, 1);
}

Test(config_json, reload_keeps_loggers_and_reports_failures)
{
    lt_logger *lg;

    enter_temp_dir();
    write_file("r.json", "{\"version\": 1, \"handlers\": {\"h\": {\"class\": "
                         "\"logging.FileHandler\", \"filename\": \"one.log\"}},"
                         " \"loggers\": {\"app\": {\"level\": \"INFO\", \"handlers\": [\"h\"]}}}");
    cr_assert_eq(lt_config_file("r.json", 0, &err), 0, "%s", err.message);
    lg = lt_get_logger("app");
    LT_INFO(lg, "to one");
    write_file("r.json", "{\"version\": 1, \"handlers\": {\"h\": {\"class\": "
                         "\"logging.FileHandler\", \"filename\": \"two.log\"}},"
                         " \"loggers\": {\"app\": {\"level\": \"INFO\", \"handlers\": [\"h\"]}}}");
    cr_assert_eq(lt_config_reload(&err), 0, "%s", err.message);
    cr_assert_eq(lt_get_logger("app"), lg, "the logger keeps its identity");
    LT_INFO(lg, "to two");
    write_file("r.json", "{\"version\": 1, \"handlers\": {\"h\": {\"class\": \"Nope\"}}}");
    cr_assert_eq(lt_config_reload(&err), LT_EUNKNOWN);
    cr_expect_str_eq(err.file, "r.json");
    LT_INFO(lg, "still two");
    cr_expect_str_eq(slurp("one.log"), "to one\n");
    cr_expect_str_eq(slurp("two.log"), "to two\nstill two\n");
}

Test(config_json, watcher_reloads_on_request_and_on_change)
{
    lt_logger *lg = lt_get_logger("w");

    enter_temp_dir();
    cr_assert_eq(lt_config_reload_request(), LT_ENOENT, "no watcher yet");
    write_file("w.ini", "[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=\n"
                        "[logger_root]\nlevel=INFO\nhandlers=h\n"
                        "[handler_h]\nclass=FileHandler\nargs=('a.log',)\n");
    cr_assert_eq(lt_config_file("w.ini", LT_CONFIG_KEEP_EXISTING, &err), 0, "%s", err.message);
    cr_assert_eq(lt_config_watch_start(20), 0);
    cr_assert_eq(lt_config_watch_start(20), LT_EEXIST);
    write_file("w.ini", "{\"version\": 1, \"disable_existing_loggers\": false,"
                        " \"handlers\": {\"h\": {\"class\": \"logging.FileHandler\","
                        " \"filename\": \"b.log\"}}, \"root\": {\"level\": \"INFO\","
                        " \"handlers\": [\"h\"]}}");
    for (int i = 0; i < 500 && !tree_has("/b.log'"); i++)
        pause_ms(10);
    LT_INFO(lg, "after the change");
    cr_expect_str_eq(slurp("b.log"), "after the change\n");
    cr_assert_eq(lt_config_watch_stop(), 0);
    cr_assert_eq(lt_config_watch_stop(), LT_ENOENT);
    /* on request only (interval 0) */
    cr_assert_eq(lt_config_watch_start(0), 0);
    write_file("w.ini", "{\"version\": 1, \"disable_existing_loggers\": false,"
                        " \"handlers\": {\"h\": {\"class\": \"logging.FileHandler\","
                        " \"filename\": \"c.log\"}}, \"root\": {\"level\": \"INFO\","
                        " \"handlers\": [\"h\"]}}");
    cr_assert_eq(lt_config_reload_request(), 0);
    for (int i = 0; i < 500 && !tree_has("/c.log'"); i++)
        pause_ms(10);
    LT_INFO(lg, "after the request");
    cr_expect_str_eq(slurp("c.log"), "after the request\n");
    cr_assert_eq(lt_config_watch_stop(), 0);
}

Test(config_json, logtree_level_overrides_every_config)
{
    setenv("LOGTREE_LEVEL", "app.db=debug, app.http=Warning,25", 1);
    cr_assert_eq(load("{\"version\": 1, \"root\": {\"level\": \"ERROR\"},"
                      " \"loggers\": {\"app.db\": {\"level\": \"ERROR\"}}}"),
                 0, "%s", err.message);
    cr_expect_eq(lt_logger_level(lt_get_logger("app.db")), LT_LEVEL_DEBUG);
    cr_expect_eq(lt_logger_level(lt_get_logger("app.http")), LT_LEVEL_WARNING);
    cr_expect_eq(lt_logger_level(lt_get_logger(NULL)), 25);
    cr_expect(lt_logger_is_enabled_for(lt_get_logger("app.db.pool"), LT_LEVEL_DEBUG));
}

Test(config_json, logtree_config_at_first_logger_use)
{
    enter_temp_dir();
    write_file("env.json", "{\"version\": 1, \"handlers\": {\"h\": {\"class\": "
                           "\"logging.FileHandler\", \"filename\": \"env.log\"}},"
                           " \"root\": {\"level\": \"INFO\", \"handlers\": [\"h\"]}}");
    setenv("LOGTREE_CONFIG", "env.json", 1);
    setenv("LOGTREE_LEVEL", "ERROR", 1);
    LT_WARNING(lt_get_logger("x"), "below LOGTREE_LEVEL");
    LT_ERROR(lt_get_logger("x"), "configured from the environment");
    cr_expect_str_eq(slurp("env.log"), "configured from the environment\n");
    cr_expect_eq(lt_config_reload(&err), 0, "LOGTREE_CONFIG's file is the one to reload");
}

Test(config_json, logtree_config_not_when_the_program_configured)
{
    enter_temp_dir();
    write_file("env.json", "{\"version\": 1, \"handlers\": {\"h\": {\"class\": "
                           "\"logging.FileHandler\", \"filename\": \"env.log\"}},"
                           " \"root\": {\"level\": \"INFO\", \"handlers\": [\"h\"]}}");
    setenv("LOGTREE_CONFIG", "env.json", 1);
    cr_assert_eq(load("{\"version\": 1, \"root\": {\"level\": \"DEBUG\"}}"), 0);
    LT_ERROR(lt_get_logger("x"), "not to env.log");
    cr_expect_neq(access("env.log", F_OK), 0);
    cr_expect_eq(lt_logger_level(lt_get_logger(NULL)), LT_LEVEL_DEBUG);
}

Test(config_json, dump_tree)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f;

    enter_temp_dir();
    cr_assert_eq(load("{\"version\": 1,\n"
                      " \"filters\": {\"f\": {\"name\": \"app.db\"}},\n"
                      " \"handlers\": {\"h\": {\"class\": \"logging.FileHandler\", \"filename\": \"t.log\",\n"
                      "   \"level\": \"INFO\", \"formatter\": \"j\"}},\n"
                      " \"formatters\": {\"j\": {\"()\": \"logtree.JSONFormatter\"}},\n"
                      " \"loggers\": {\"app.db\": {\"level\": \"DEBUG\", \"handlers\": [\"h\"],\n"
                      "   \"propagate\": false, \"filters\": [\"f\"]}}}"),
                 0, "%s", err.message);
    (void)lt_get_logger("app.db.pool");
    (void)lt_get_logger("zzz");
    f = open_memstream(&text, &len);
    cr_assert_eq(lt_dump_tree(f), 0);
    fclose(f);
    {
        char want[2048];

        snprintf(want, sizeof(want),
                 "<--\"\"\n"
                 "   Level WARNING\n"
                 "   |\n"
                 "   o<--[app]\n"
                 "   |   |\n"
                 "   |   o   \"app.db\"\n"
                 "   |       Level DEBUG\n"
                 "   |       Propagate OFF\n"
                 "   |       Filter name='app.db'\n"
                 "   |       Handler File '%s/t.log'\n"
                 "   |         Name 'h'\n"
                 "   |         Level INFO\n"
                 "   |         Formatter json attributes='time,levelname,name,message' "
                 "rename='levelname:level,name:logger' datefmt=None utc=False\n"
                 "   |       |\n"
                 "   |       o<--\"app.db.pool\"\n"
                 "   |           Level NOTSET so inherits level DEBUG\n"
                 "   |\n"
                 "   o<--\"zzz\"\n"
                 "       Level NOTSET so inherits level WARNING\n",
                 getcwd((char[1024]){0}, 1024));
        cr_expect_str_eq(text, want);
    }
    free(text);
}

Test(config_json, a_forked_child_leaves_the_parents_watcher_alone)
{
    int status;
    pid_t pid;

    enter_temp_dir();
    write_file("f.json", "{\"version\": 1, \"disable_existing_loggers\": false,"
                         " \"handlers\": {\"h\": {\"class\": \"logging.FileHandler\","
                         " \"filename\": \"one.log\"}}, \"root\": {\"level\": \"INFO\","
                         " \"handlers\": [\"h\"]}}");
    cr_assert_eq(lt_config_file("f.json", 0, &err), 0, "%s", err.message);
    cr_assert_eq(lt_config_watch_start(0), 0);
    pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        /* the child neither asks the parent's thread nor stops it, nor does
         * its shutdown. _exit(): LeakSanitizer's check at exit() can hang in
         * the child of a threaded process (an allocator lock taken at fork). */
        int ok = lt_config_reload_request() == LT_ENOENT && lt_config_watch_stop() == LT_ENOENT;

        lt_shutdown();
        _exit(ok ? 0 : 1);
    }
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    write_file("f.json", "{\"version\": 1, \"disable_existing_loggers\": false,"
                         " \"handlers\": {\"h\": {\"class\": \"logging.FileHandler\","
                         " \"filename\": \"two.log\"}}, \"root\": {\"level\": \"INFO\","
                         " \"handlers\": [\"h\"]}}");
    cr_assert_eq(lt_config_reload_request(), 0, "the parent's watcher still runs");
    for (int i = 0; i < 500 && !tree_has("/two.log'"); i++)
        pause_ms(10);
    cr_expect(tree_has("/two.log'"));
    cr_assert_eq(lt_config_watch_stop(), 0);
}
