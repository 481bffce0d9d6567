/* tests/test_cli.c - the logtree tool as shell scripts use it: options, exit
 * statuses, stdin modes. (Its output against Python's is the oracle's job.) */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

static char out[65536], err_text[65536];

/* Run the tool with @args (a shell fragment) and @input on stdin; capture
 * its stdout and stderr (@extra: more redirections, applied last); return its
 * exit status. */
static int run_with(const char *args, const char *input, const char *extra)
{
    char cmd[4096];
    FILE *in;
    int status;

    in = fopen("stdin.txt", "w");
    fputs(input ? input : "", in);
    fclose(in);
    snprintf(cmd, sizeof(cmd), "%s/logtree %s < stdin.txt > stdout.txt 2> stderr.txt %s",
             LT_BINARY_DIR, args, extra);
    status = system(cmd);
    snprintf(out, sizeof(out), "%s", slurp("stdout.txt"));
    snprintf(err_text, sizeof(err_text), "%s", slurp("stderr.txt"));
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int run(const char *args, const char *input)
{
    return run_with(args, input, "");
}

static void write_config(void)
{
    FILE *fp = fopen("c.ini", "w");

    fputs("[loggers]\nkeys=root\n[handlers]\nkeys=out\n[formatters]\nkeys=f\n"
          "[logger_root]\nlevel=DEBUG\nhandlers=out\n"
          "[handler_out]\nclass=StreamHandler\nargs=(sys.stdout,)\nformatter=f\n"
          "[formatter_f]\nformat=%(levelname)s:%(name)s:%(message)s\n",
          fp);
    fclose(fp);
}

Test(cli, messages_as_arguments)
{
    enter_temp_dir();
    write_config();
    cr_assert_eq(run("--config c.ini one 'two %s' -- --three", NULL), 0);
    cr_assert_str_eq(out, "INFO:root:one\nINFO:root:two %s\nINFO:root:--three\n");
    cr_assert_eq(run("--name=app.db --level ERROR --config=c.ini 'disk full'", NULL), 0);
    cr_assert_str_eq(out, "ERROR:app.db:disk full\n");
    cr_assert_eq(run("--config c.ini --level 25 custom", NULL), 0);
    cr_assert_str_eq(out, "Level 25:root:custom\n");
}

Test(cli, stdin_lines)
{
    enter_temp_dir();
    write_config();
    cr_assert_eq(run("--config c.ini --name batch", "a\n\n  b \nlast"), 0);
    cr_assert_str_eq(out, "INFO:batch:a\nINFO:batch:\nINFO:batch:  b \nINFO:batch:last\n");
    cr_assert_eq(run("--config c.ini", ""), 0);
    cr_assert_str_eq(out, "");
}

Test(cli, tsv_and_malformed_lines)
{
    enter_temp_dir();
    write_config();
    cr_assert_eq(run("--config c.ini --tsv", "app\tWARNING\tw\tith tab\nbad line\n\tNOPE\tx\n"
                                            "root\t30\tlast\n"),
                 1);
    cr_assert_str_eq(out, "WARNING:app:w\tith tab\nWARNING:root:last\n");
    cr_assert(strstr(err_text, "stdin line 2") != NULL, "%s", err_text);
    cr_assert(strstr(err_text, "stdin line 3") != NULL, "%s", err_text);
}

Test(cli, usage_and_config_errors_exit_2)
{
    enter_temp_dir();
    write_config();
    cr_assert_eq(run("hello", NULL), 2);
    cr_assert(strstr(err_text, "--config FILE is required") != NULL);
    cr_assert_eq(run("--config c.ini --bogus x", NULL), 2);
    cr_assert(strstr(err_text, "unknown option: --bogus") != NULL);
    cr_assert_eq(run("--config c.ini --level debug x", NULL), 2);
    cr_assert_eq(run("--config c.ini --level", NULL), 2);
    cr_assert_eq(run("--config missing.ini x", NULL), 2);
    cr_assert(strstr(err_text, "missing.ini") != NULL);
    FILE *fp = fopen("bad.ini", "w");
    fputs("[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n"
          "[logger_root]\nlevel=LOUD\nhandlers=\n", fp);
    fclose(fp);
    cr_assert_eq(run("--config bad.ini x", NULL), 2);
    cr_assert_str_eq(err_text, "logtree: bad.ini:8: unknown level 'LOUD' (levels are names such "
                               "as DEBUG, INFO, WARNING)\n");
    cr_assert_str_eq(out, "");
}

Test(cli, help_and_version)
{
    char want[64];

    enter_temp_dir();
    cr_assert_eq(run("--help", NULL), 0);
    cr_assert(strstr(out, "usage: logtree --config FILE ") != NULL);
    cr_assert_eq(run("--version", NULL), 0);
    snprintf(want, sizeof(want), "logtree %s\n", LT_VERSION_STRING);
    cr_assert_str_eq(out, want);
}

Test(cli, closed_stdout_is_reported_and_exits_1)
{
    enter_temp_dir();
    write_config();
    cr_assert_eq(run_with("--config c.ini a b", NULL, ">&-"), 1);
    cr_assert(strstr(err_text, "handler 'out' (stream, <stdout>): emit: bad file descriptor") != NULL,
              "%s", err_text);
}

static void write_field_config(void)
{
    FILE *fp = fopen("f.ini", "w");

    fputs("[loggers]\nkeys=root\n[handlers]\nkeys=out\n[formatters]\nkeys=f\n"
          "[logger_root]\nlevel=DEBUG\nhandlers=out\n"
          "[handler_out]\nclass=StreamHandler\nargs=(sys.stdout,)\nformatter=f\n"
          "[formatter_f]\nformat=%(message)s|%(app)r|%(n)r|%(x)r|%(ok)r|%(id)r\n",
          fp);
    fclose(fp);
}

Test(cli, fields_from_options_are_typed)
{
    enter_temp_dir();
    write_field_config();
    cr_assert_eq(run("--config f.ini -f app=demo --field n=42 -f x=1.5 -f ok=false -f id:s=7 m",
                     NULL),
                 0, "%s", err_text);
    cr_assert_str_eq(out, "m|'demo'|42|1.5|False|'7'\n");
    cr_assert_eq(run("--config f.ini -f novalue m", NULL), 2);
    cr_assert_eq(run("--config f.ini -f =x m", NULL), 2);
}

Test(cli, tsv_field_columns)
{
    enter_temp_dir();
    write_field_config();
    cr_assert_eq(run("--config f.ini -f app=all --tsv",
                     "root\tINFO\thello\tn=42\tx=-0.5\n"
                     "root\tINFO\ttab\tin message\tok=true\n"
                     "root\tINFO\tnone\n"),
                 0, "%s", err_text);
    cr_assert_str_eq(out, "hello|'all'|42|-0.5|<ok?>|<id?>\n"
                          "tab\tin message|'all'|<n?>|<x?>|True|<id?>\n"
                          "none|'all'|<n?>|<x?>|<ok?>|<id?>\n");
}

/* tree loads the config with every file handler delayed: looking at a
 * config creates no log file and truncates none (mode 'w' included). */
Test(cli, tree_opens_no_file_and_shows_formatters_and_memory_targets)
{
    char want[4096], cwd[1024];
    FILE *fp;
    DIR *d;
    int n = 0;

    enter_temp_dir();
    cr_assert(getcwd(cwd, sizeof(cwd)));
    fp = fopen("old.log", "w");
    fputs("keep me\n", fp);
    fclose(fp);
    fp = fopen("t.ini", "w");
    fputs("[loggers]\nkeys=root,app\n[handlers]\nkeys=old,rot,mem\n[formatters]\nkeys=p,j\n"
          "[logger_root]\nlevel=WARNING\nhandlers=old\n"
          "[logger_app]\nlevel=INFO\nhandlers=mem\nqualname=app\npropagate=0\n"
          "[handler_old]\nclass=FileHandler\nargs=('old.log', 'w')\nformatter=p\n"
          "[handler_rot]\nclass=handlers.RotatingFileHandler\nlevel=ERROR\n"
          "args=('new.log', 'a', 1000, 3)\nformatter=j\n"
          "[handler_mem]\nclass=handlers.MemoryHandler\nargs=(50, ERROR)\ntarget=rot\n"
          "[formatter_p]\nformat=%(asctime)s %(name)s: it's %(message)s\ndatefmt=%H:%M:%S\n"
          "[formatter_j]\nclass=logtree.JSONFormatter\nattributes=time,message\n",
          fp);
    fclose(fp);
    cr_assert_eq(run("tree --config t.ini", NULL), 0, "%s", err_text);
    snprintf(want, sizeof(want),
             "<--\"\"\n"
             "   Level WARNING\n"
             "   Handler File '%s/old.log'\n"
             "     Name 'old'\n"
             "     Formatter fmt=\"%%(asctime)s %%(name)s: it's %%(message)s\" datefmt='%%H:%%M:%%S'\n"
             "   |\n"
             "   o   \"app\"\n"
             "       Level INFO\n"
             "       Propagate OFF\n"
             "       Handler Memory capacity=50\n"
             "         Name 'mem'\n"
             "         Flushes output to:\n"
             "           Handler RotatingFile '%s/new.log'\n"
             "             Name 'rot'\n"
             "             Level ERROR\n"
             "             Formatter json attributes='time,message' "
             "rename='levelname:level,name:logger' datefmt=None utc=False\n",
             cwd, cwd);
    cr_assert_str_eq(out, want);
    cr_assert_str_eq(slurp("old.log"), "keep me\n", "mode 'w' truncated nothing");
    cr_assert(access("new.log", F_OK) != 0, "no file was created");
    /* Nothing else either: the directory holds what the test wrote. */
    d = opendir(".");
    cr_assert(d);
    for (struct dirent *e; (e = readdir(d));)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
            strcmp(e->d_name, "old.log") != 0 && strcmp(e->d_name, "t.ini") != 0 &&
            strcmp(e->d_name, "stdin.txt") != 0 && strcmp(e->d_name, "stdout.txt") != 0 &&
            strcmp(e->d_name, "stderr.txt") != 0)
            cr_expect_fail("left behind: %s (%d)", e->d_name, ++n);
    closedir(d);
}

Test(cli, json_config_and_the_check_and_tree_commands)
{
    FILE *fp;

    enter_temp_dir();
    write_config();
    fp = fopen("c.json", "w");
    fputs("{\"version\": 1,\n"
          " \"formatters\": {\"f\": {\"format\": \"%(levelname)s|%(name)s|%(message)s\"}},\n"
          " \"handlers\": {\"out\": {\"class\": \"logging.StreamHandler\",\n"
          "   \"stream\": \"ext://sys.stdout\", \"formatter\": \"f\"}},\n"
          " \"loggers\": {\"app\": {\"level\": \"DEBUG\", \"handlers\": [\"out\"],"
          " \"propagate\": false}}}\n",
          fp);
    fclose(fp);
    cr_assert_eq(run("--config c.json --name app.x --level DEBUG hello", NULL), 0, "%s",
                 err_text);
    cr_assert_str_eq(out, "DEBUG|app.x|hello\n");

    cr_assert_eq(run("check --config c.json", NULL), 0, "%s", err_text);
    cr_assert_str_eq(out, "c.json: ok\n");
    cr_assert_eq(run("check --config=c.ini", NULL), 0, "%s", err_text);

    cr_assert_eq(run("tree --config c.json", NULL), 0, "%s", err_text);
    cr_assert_str_eq(out, "<--\"\"\n"
                          "   Level WARNING\n"
                          "   |\n"
                          "   o   \"app\"\n"
                          "       Level DEBUG\n"
                          "       Propagate OFF\n"
                          "       Handler Stream <stdout>\n"
                          "         Name 'out'\n"
                          "         Formatter fmt='%(levelname)s|%(name)s|%(message)s' "
                          "datefmt=None\n");

    fp = fopen("bad.json", "w");
    fputs("{\"version\": 1,\n \"root\": {\"level\": \"verbose\"}\n}\n", fp);
    fclose(fp);
    cr_assert_eq(run("check --config bad.json", NULL), 2);
    cr_assert_str_eq(out, "");
    cr_assert_str_eq(err_text, "logtree: bad.json:2:20: unknown level 'verbose' (levels are "
                               "names such as DEBUG, INFO, WARNING, or numbers)\n");
    cr_assert_eq(run("tree --config bad.json", NULL), 2);
    cr_assert_eq(run("check", NULL), 2);
    cr_assert_eq(run("check --config c.json --name x", NULL), 2);
}
