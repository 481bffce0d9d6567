/* src/cli/main.c - the logtree command: log from a shell script through the
 * same config file as the application.
 *
 *     logtree --config FILE [--name LOGGER] [--level LEVEL] [-f KEY=VALUE]... [--tsv]
 *             [MESSAGE ...]
 *     logtree check --config FILE
 *     logtree tree --config FILE
 *
 * FILE is a fileConfig INI file or a dictConfig JSON file (by content).
 * check: read and check FILE completely, changing nothing; exit 0, or 2
 * with the located error. tree: load FILE with every file handler delayed
 * (LT_CONFIG_DELAY_OPEN: no log file is created or truncated) and print the
 * logger tree as Python's logging_tree does (lt_dump_tree()).
 *
 * The config is loaded as fileConfig(FILE, disable_existing_loggers=True)
 * would; each MESSAGE (or else each line of stdin) becomes one record, logged
 * as Python's Logger.log(level, message) logs it: the text is never treated as
 * a format. Exit status: 0; 1 if a stdin line was malformed (reported and
 * skipped) or a handler could not write a record (reported by the handler);
 * 2 for a usage or config error (nothing is logged then). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define EXIT_RUNTIME   1
#define EXIT_USAGE     2

static const char usage[] = "usage: logtree --config FILE [--name LOGGER] [--level LEVEL] "
                            "[-f KEY=VALUE]... [--tsv] [MESSAGE ...]\n"
                            "       logtree check --config FILE\n"
                            "       logtree tree --config FILE\n";

static const char help[] =
    "Log messages through a Python logging config file: fileConfig INI, or\n"
    "dictConfig JSON (a file whose first character is '{').\n"
    "\n"
    "  check           only check the config: exit 0, or 2 with the located error\n"
    "  tree            load the config (opening no log file) and print the logger\n"
    "                  tree (as logging_tree)\n"
    "  --config FILE   the config to load (required)\n"
    "  --name LOGGER   the logger to log on (default: the root logger)\n"
    "  --level LEVEL   DEBUG, INFO, WARNING, ERROR, CRITICAL or a number (default INFO)\n"
    "  -f, --field KEY=VALUE\n"
    "                  add a field to every record: 42 is an integer, 1.5 a float,\n"
    "                  true/false a bool, anything else a string (KEY:s=VALUE: a string)\n"
    "  --tsv           read stdin lines as LOGGER<TAB>LEVEL<TAB>MESSAGE[<TAB>KEY=VALUE]...\n"
    "  --help          print this help\n"
    "  --version       print the version\n"
    "\n"
    "Each MESSAGE is one record; without any, each line of stdin is one.\n"
    "Exit status: 0 ok; 1 a malformed stdin line was skipped or a record could not be\n"
    "written; 2 usage or config error.\n";

struct options {
    const char *config;
    const char *name;
    int level;
    bool tsv;
    char **messages;
    int nmessages;
    lt_field *fields; /* -f, borrowing from argv */
    int nfields;
};

static const lt_callsite cli_site = {.file = __FILE__, .func = "main", .line = __LINE__};

/* The level names the tool takes, exactly so spelled, or a decimal number. */
static bool parse_level(const char *text, int *ret)
{
    static const char *const names[] = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"};
    static const int levels[] = {LT_LEVEL_DEBUG, LT_LEVEL_INFO, LT_LEVEL_WARNING, LT_LEVEL_ERROR,
                                 LT_LEVEL_CRITICAL};
    const char *p = text + (text[0] == '-');
    char *end;
    long n;

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcmp(text, names[i]) == 0) {
            *ret = levels[i];
            return true;
        }
    }
    if (*p < '0' || *p > '9')
        return false;
    errno = 0;
    n = strtol(text, &end, 10);
    if (*end || errno || n < INT_MIN || n > INT_MAX)
        return false;
    *ret = (int)n;
    return true;
}

static int usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "logtree: %s%s\n%s", what, arg, usage);
    return EXIT_USAGE;
}

/* --opt VALUE or --opt=VALUE; *@i is moved past what was used. */
static int option_value(int argc, char **argv, int *i, const char *eq, const char **ret)
{
    if (eq) {
        *ret = eq + 1;
        return 0;
    }
    if (*i + 1 >= argc)
        return usage_error("this option needs a value: ", argv[*i]);
    *ret = argv[++*i];
    return 0;
}

static int parse_field(int argc, char **argv, int *i, const char *eq, struct options *o)
{
    const char *value;
    int r;

    if ((r = option_value(argc, argv, i, eq, &value)) != 0)
        return r;
    if (!cli_parse_field((char *)(uintptr_t)value, &o->fields[o->nfields]))
        return usage_error("a field is KEY=VALUE, not: ", value);
    o->nfields++;
    return 0;
}

static int parse_option(int argc, char **argv, int *i, struct options *o)
{
    const char *arg = argv[*i], *eq = strchr(arg, '='), *value;
    size_t keylen = eq ? (size_t)(eq - arg) : strlen(arg);
    int r;

    if (strcmp(arg, "-f") == 0)
        return parse_field(argc, argv, i, NULL, o);
    if (keylen == 7 && strncmp(arg, "--field", 7) == 0)
        return parse_field(argc, argv, i, eq, o);
    if (!eq && strcmp(arg, "--tsv") == 0) {
        o->tsv = true;
        return 0;
    }
    if (keylen == 8 && strncmp(arg, "--config", 8) == 0)
        return option_value(argc, argv, i, eq, &o->config);
    if (keylen == 6 && strncmp(arg, "--name", 6) == 0)
        return option_value(argc, argv, i, eq, &o->name);
    if (keylen == 7 && strncmp(arg, "--level", 7) == 0) {
        if ((r = option_value(argc, argv, i, eq, &value)) != 0)
            return r;
        if (!parse_level(value, &o->level))
            return usage_error("invalid level: ", value);
        return 0;
    }
    return usage_error("unknown option: ", arg);
}

/* GNU style: options anywhere, --opt=value, and -- ends them. Returns -1 to go
 * on, or an exit status (after --help or --version, or on a usage error). */
static int parse_args(int argc, char **argv, struct options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int r;

        if (strcmp(arg, "--") == 0) {
            while (++i < argc)
                o->messages[o->nmessages++] = argv[i];
            break;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            printf("%s\n%s", usage, help);
            return 0;
        }
        if (strcmp(arg, "--version") == 0) {
            printf("logtree %s\n", lt_version_string());
            return 0;
        }
        if (arg[0] != '-' || strcmp(arg, "-") == 0) {
            o->messages[o->nmessages++] = argv[i];
            continue;
        }
        if (strncmp(arg, "--", 2) != 0 && strcmp(arg, "-f") != 0)
            return usage_error("unknown option: ", arg);
        if ((r = parse_option(argc, argv, &i, o)) != 0)
            return r;
    }
    if (!o->config)
        return usage_error("--config FILE is required", "");
    return -1;
}

static void log_text(const char *name, int level, const char *text, size_t len)
{
    lt_log_text_at(lt_get_logger(name), level, &cli_site, text, len);
}

static char *last_tab(char *s, size_t len)
{
    while (len-- > 0)
        if (s[len] == '\t')
            return s + len;
    return NULL;
}

/* The KEY=VALUE columns at the end of a TSV message; the message keeps
 * every column before them (tabs included, as Python's split does). */
static int take_field_columns(char *message, size_t *len, lt_field *fields, int max)
{
    int n = 0;
    char *tab;

    while (n < max && (tab = last_tab(message, *len)) && cli_looks_like_field(tab + 1) &&
           cli_parse_field(tab + 1, &fields[n])) {
        *tab = '\0';
        n++;
        *len = (size_t)(tab - message);
    }
    return n;
}

/* LOGGER<TAB>LEVEL<TAB>MESSAGE[<TAB>KEY=VALUE]..., split at the first two tabs. */
static bool log_tsv_line(char *line, size_t len)
{
    char *tab1 = memchr(line, '\t', len), *tab2, *message;
    lt_field fields[32];
    size_t mlen;
    int level, n;

    if (!tab1 || !(tab2 = memchr(tab1 + 1, '\t', len - (size_t)(tab1 + 1 - line))))
        return false;
    *tab1 = *tab2 = '\0';
    if (!parse_level(tab1 + 1, &level))
        return false;
    message = tab2 + 1;
    mlen = len - (size_t)(message - line);
    n = take_field_columns(message, &mlen, fields, 32);
    if (n > 0)
        lt_context_push(fields, (size_t)n);
    log_text(line, level, message, mlen);
    if (n > 0)
        lt_context_pop();
    return true;
}

/* Each line of stdin, without its '\n' (a '\r' stays), is one record. */
static int log_stdin(const struct options *o)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int status = 0;

    for (long number = 1; (n = getline(&line, &cap, stdin)) >= 0; number++) {
        size_t len = (size_t)n;

        if (len > 0 && line[len - 1] == '\n')
            line[--len] = '\0';
        if (!o->tsv) {
            log_text(o->name, o->level, line, len);
        } else if (!log_tsv_line(line, len)) {
            fprintf(stderr, "logtree: stdin line %ld: expected LOGGER<TAB>LEVEL<TAB>MESSAGE\n",
                    number);
            status = EXIT_RUNTIME;
        }
    }
    free(line);
    return status;
}

/* logtree check|tree --config FILE */
static int command(const char *cmd, int argc, char **argv)
{
    const char *config = NULL;
    lt_error err;
    char where[1024];

    for (int i = 2; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        size_t keylen = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
        int r;

        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            printf("%s\n%s", usage, help);
            return 0;
        }
        if (keylen != 8 || strncmp(argv[i], "--config", 8) != 0)
            return usage_error("unknown argument: ", argv[i]);
        if ((r = option_value(argc, argv, &i, eq, &config)) != 0)
            return r;
    }
    if (!config)
        return usage_error("--config FILE is required", "");
    /* tree builds the handlers but opens no file: looking must not create
     * or truncate a log. */
    if (lt_config_file(config, strcmp(cmd, "check") == 0 ? LT_CONFIG_CHECK_ONLY : LT_CONFIG_DELAY_OPEN,
                       &err) < 0) {
        lt_error_format(&err, where, sizeof(where));
        fprintf(stderr, "logtree: %s\n", where);
        return EXIT_USAGE;
    }
    if (strcmp(cmd, "tree") == 0 && lt_dump_tree(stdout) < 0)
        return EXIT_RUNTIME;
    if (strcmp(cmd, "check") == 0)
        printf("%s: ok\n", config);
    return 0;
}

int main(int argc, char **argv)
{
    struct options o = {.name = "", .level = LT_LEVEL_INFO};
    lt_error err;
    char where[1024];
    int status;

    if (argc > 1 && (strcmp(argv[1], "check") == 0 || strcmp(argv[1], "tree") == 0))
        return command(argv[1], argc, argv);
    o.messages = calloc((size_t)argc + 1, sizeof(*o.messages));
    o.fields = calloc((size_t)argc + 1, sizeof(*o.fields));
    if (!o.messages || !o.fields)
        return EXIT_USAGE;
    status = parse_args(argc, argv, &o);
    if (status >= 0)
        goto out;
    if (lt_config_file(o.config, 0, &err) < 0) {
        lt_error_format(&err, where, sizeof(where));
        fprintf(stderr, "logtree: %s\n", where);
        status = EXIT_USAGE;
        goto out;
    }
    status = 0;
    if (o.nfields > 0)
        lt_context_push(o.fields, (size_t)o.nfields);
    for (int i = 0; i < o.nmessages; i++)
        log_text(o.name, o.level, o.messages[i], strlen(o.messages[i]));
    if (o.nmessages == 0)
        status = log_stdin(&o);
    lt_context_restore(0);
    lt_shutdown();
    if (lt_error_count() > 0)
        status = EXIT_RUNTIME;
out:
    free(o.messages);
    free(o.fields);
    return status;
}
