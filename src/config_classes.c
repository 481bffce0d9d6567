/* src/config_classes.c - the handler classes a config file may name, with
 * Python's signatures, and the checking of their arguments.
 *
 * fileConfig() calls klass(*args, **kwargs). Here the call is bound the way
 * Python binds it (positional, then keywords, defaults, the same errors), and
 * each argument is checked before any handler exists, so that a config that
 * would fail halfway fails before it changes anything. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_loader.h"
#include "sys.h"

#define MAX_PARAMS LT__CLASS_POSITIONAL
/* Keyword-only parameters logtree adds to Python's classes (kwargs only,
 * as Python has no such argument), after the positional ones in argv. */
#define MAX_KWONLY  13
#define MAX_INT_ARG 2147483647LL

struct lt__handler_class {
    const char *name;
    int in_handlers_module; /* logging.handlers.X (true) rather than logging.X (false),
                               or LOGTREE_MODULE: logtree's own, X or logtree.X */
    const char *params[MAX_PARAMS];
    size_t nrequired;
    const char *kwonly[MAX_KWONLY]; /* argv[MAX_PARAMS + i] */
    int (*check)(const lt__pyval *const *argv, struct lt__handler_spec *spec,
                 struct lt__arg_error *e);
    int (*create)(const struct lt__handler_spec *spec, lt_handler **ret);
};

#define LOGTREE_MODULE 2

int lt__arg_fail(struct lt__arg_error *e, const lt__pyval *at, const char *fmt, ...)
{
    va_list ap;

    e->at = at;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof(e->message), fmt, ap);
    va_end(ap);
    return LT_ECONFIG;
}

/* ---- argument checks shared by the classes ---- */

bool lt__py_is_none(const lt__pyval *v)
{
    return !v || v->kind == LT__PY_NONE;
}

/* Python's truth value, for flags such as delay. */
static bool truthy(const lt__pyval *v)
{
    switch (v ? v->kind : LT__PY_NONE) {
    case LT__PY_BOOL:
        return v->as.b;
    case LT__PY_INT:
        return v->as.i != 0;
    case LT__PY_FLOAT:
        return v->as.f != 0.0;
    case LT__PY_STR:
        return v->as.str.len > 0;
    case LT__PY_TUPLE:
        return v->as.tuple.n > 0;
    case LT__PY_DICT:
        return v->as.dict.n > 0;
    case LT__PY_NAME:
        return true;
    default:
        return false;
    }
}

static int want_str(const lt__pyval *v, const char *what, const char **ret, struct lt__arg_error *e)
{
    if (!v || v->kind != LT__PY_STR)
        return lt__arg_fail(e, v, "%s must be a string, not %s", what,
                            v ? lt__py_kind_name(v->kind) : "missing");
    if (strlen(v->as.str.ptr) != v->as.str.len)
        return lt__arg_fail(e, v, "%s contains a NUL character", what);
    *ret = v->as.str.ptr;
    return 0;
}

/* Python writes with the encoding asked for; logtree writes the UTF-8 it is
 * given, so only UTF-8 (or no encoding, which is UTF-8 here) is honest. */
static int check_encoding(const lt__pyval *v, struct lt__arg_error *e)
{
    static const char *const utf8_names[] = {"utf_8", "utf8", "u8", "utf", "cp65001"};
    char norm[32];
    const char *name = "";
    size_t i;
    int r;

    if (lt__py_is_none(v))
        return 0;
    if ((r = want_str(v, "encoding", &name, e)) < 0)
        return r;
    for (i = 0; name[i] && i < sizeof(norm) - 1; i++) {
        char c = name[i];

        norm[i] = (c == '-' || c == ' ') ? '_' : (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    norm[i] = '\0';
    for (i = 0; i < LT__ARRAY_SIZE(utf8_names); i++)
        if (strcmp(norm, utf8_names[i]) == 0)
            return 0;
    return lt__arg_fail(e, v, "encoding '%s' is not supported: logtree writes UTF-8", name);
}

static int check_errors_arg(const lt__pyval *v, struct lt__arg_error *e)
{
    const char *ignored = NULL;

    return lt__py_is_none(v) ? 0 : want_str(v, "errors", &ignored, e);
}

/* An integer as Python's int() would pass it (a bool is an int too). */
static int want_int(const lt__pyval *v, const char *what, long long *ret, struct lt__arg_error *e)
{
    if (v && v->kind == LT__PY_INT) {
        *ret = v->as.i;
        return 0;
    }
    if (v && v->kind == LT__PY_BOOL) {
        *ret = v->as.b;
        return 0;
    }
    return lt__arg_fail(e, v, "%s must be an integer, not %s", what,
                        v ? lt__py_kind_name(v->kind) : "missing");
}

/* backupCount: Python tests "backupCount > 0", so a negative one is 0. */
static int want_backup_count(const lt__pyval *v, unsigned *ret, struct lt__arg_error *e)
{
    long long n = 0;
    int r;

    *ret = 0;
    if (!v)
        return 0;
    if ((r = want_int(v, "backupCount", &n, e)) < 0)
        return r;
    if (n > MAX_INT_ARG)
        return lt__arg_fail(e, v, "backupCount %lld is too large (at most %lld)", n, MAX_INT_ARG);
    *ret = n > 0 ? (unsigned)n : 0;
    return 0;
}

/* maxBytes: Python compares a size with it, so 0 or less never rotates and
 * a float (10e6) works as its ceiling. */
static int want_max_bytes(const lt__pyval *v, uint64_t *ret, struct lt__arg_error *e)
{
    long long n = 0;
    int r;

    *ret = 0;
    if (v && v->kind == LT__PY_FLOAT) {
        double f = v->as.f;

        if (!(f < 9.0e18))
            return lt__arg_fail(e, v, "maxBytes must be a number of bytes below 9e18");
        if (f > 0) {
            *ret = (uint64_t)f;
            *ret += (double)*ret < f;
        }
        return 0;
    }
    if (v && (r = want_int(v, "maxBytes", &n, e)) < 0)
        return r;
    *ret = n > 0 ? (uint64_t)n : 0;
    return 0;
}

/* permissions: an integer (0o640, 416) or a string of octal digits
 * ('0640', as chmod takes it), 1 to 0o7777. argv[MAX_PARAMS + @at]. */
static int check_permissions(const lt__pyval *v, unsigned *ret, struct lt__arg_error *e)
{
    long long n = 0;
    int r;

    *ret = 0;
    if (lt__py_is_none(v))
        return 0;
    if (v->kind == LT__PY_STR) {
        const char *s = v->as.str.ptr;

        if (!*s || strspn(s, "01234567") != strlen(s) || strlen(s) > 5)
            return lt__arg_fail(e, v, "permissions '%s' must be octal digits, such as '0640'", s);
        n = strtoll(s, NULL, 8);
    } else if ((r = want_int(v, "permissions", &n, e)) < 0) {
        return r;
    }
    if (n < 1 || n > 07777)
        return lt__arg_fail(e, v, "permissions must be 0o1 to 0o7777, such as 0o640, not %#llo", n);
    *ret = (unsigned)n;
    return 0;
}

/* The keyword-only arguments every file class takes: permissions, nofollow
 * (kwonly slots 0 and 1). */
static int check_file_kwonly(const lt__pyval *const *argv, struct lt__handler_spec *spec,
                             struct lt__arg_error *e)
{
    spec->nofollow = truthy(argv[MAX_PARAMS + 1]);
    return check_permissions(argv[MAX_PARAMS], &spec->permissions, e);
}

static int check_file_args(const lt__pyval *const *argv, struct lt__handler_spec *spec,
                           struct lt__arg_error *e)
{
    int r;

    /* (filename, mode='a', encoding=None, delay=False, errors=None) */
    if ((r = want_str(argv[0], "filename", &spec->filename, e)) < 0)
        return r;
    spec->mode = "a";
    if (argv[1] && (r = want_str(argv[1], "mode", &spec->mode, e)) < 0)
        return r;
    if (strcmp(spec->mode, "a") != 0 && strcmp(spec->mode, "w") != 0)
        return lt__arg_fail(e, argv[1], "mode '%s' is not supported: use 'a' or 'w'", spec->mode);
    if ((r = check_encoding(argv[2], e)) < 0)
        return r;
    spec->delay = truthy(argv[3]);
    if ((r = check_file_kwonly(argv, spec, e)) < 0)
        return r;
    return check_errors_arg(argv[4], e);
}

static int check_rotating_args(const lt__pyval *const *argv, struct lt__handler_spec *spec,
                               struct lt__arg_error *e)
{
    int r;

    /* (filename, mode='a', maxBytes=0, backupCount=0, encoding=None,
     *  delay=False, errors=None) */
    if ((r = want_str(argv[0], "filename", &spec->filename, e)) < 0 ||
        (r = want_max_bytes(argv[2], &spec->max_bytes, e)) < 0 ||
        (r = want_backup_count(argv[3], &spec->backup_count, e)) < 0)
        return r;
    spec->mode = "a";
    if (argv[1] && (r = want_str(argv[1], "mode", &spec->mode, e)) < 0)
        return r;
    /* maxBytes > 0 replaces any mode with 'a', before Python looks at it. */
    if (spec->max_bytes > 0)
        spec->mode = "a";
    else if (strcmp(spec->mode, "a") != 0 && strcmp(spec->mode, "w") != 0)
        return lt__arg_fail(e, argv[1], "mode '%s' is not supported: use 'a' or 'w'", spec->mode);
    if ((r = check_encoding(argv[4], e)) < 0)
        return r;
    spec->delay = truthy(argv[5]);
    spec->multiprocess = truthy(argv[MAX_PARAMS + 2]);
    if ((r = check_file_kwonly(argv, spec, e)) < 0)
        return r;
    return check_errors_arg(argv[6], e);
}

/* when, as TimedRotatingFileHandler.__init__ checks when.upper(). */
static int check_when(const lt__pyval *v, const char **ret, struct lt__arg_error *e)
{
    static const char *const names[] = {"S", "M", "H", "D", "MIDNIGHT"};
    const char *when = "h";
    char upper[16];
    size_t i, len;
    int r;

    *ret = when;
    if (!v)
        return 0;
    if ((r = want_str(v, "when", &when, e)) < 0)
        return r;
    *ret = when;
    len = strlen(when);
    for (i = 0; i < len && i < sizeof(upper) - 1; i++)
        upper[i] = (when[i] >= 'a' && when[i] <= 'z') ? (char)(when[i] - 32) : when[i];
    upper[i] = '\0';
    if (upper[0] == 'W') {
        if (len != 2)
            return lt__arg_fail(e, v, "when '%s': weekly rollover needs a day, W0 (Monday) to W6",
                                when);
        if (upper[1] < '0' || upper[1] > '6')
            return lt__arg_fail(e, v, "when '%s': the day of a weekly rollover is 0 (Monday) to 6",
                                when);
        return 0;
    }
    for (i = 0; len < sizeof(upper) && i < LT__ARRAY_SIZE(names); i++)
        if (strcmp(upper, names[i]) == 0)
            return 0;
    return lt__arg_fail(
        e, v, "when '%s' is not a rollover interval: use S, M, H, D, MIDNIGHT or W0-W6", when);
}

static int check_timed_args(const lt__pyval *const *argv, struct lt__handler_spec *spec,
                            struct lt__arg_error *e)
{
    long long interval = 1;
    int r;

    /* (filename, when='h', interval=1, backupCount=0, encoding=None,
     *  delay=False, utc=False, atTime=None, errors=None) */
    if ((r = want_str(argv[0], "filename", &spec->filename, e)) < 0 ||
        (r = check_when(argv[1], &spec->when, e)) < 0 ||
        (argv[2] && (r = want_int(argv[2], "interval", &interval, e)) < 0) ||
        (r = want_backup_count(argv[3], &spec->backup_count, e)) < 0 ||
        (r = check_encoding(argv[4], e)) < 0)
        return r;
    /* Python takes 0 or less, then loops forever at the first rollover. */
    if (interval < 1 || interval > MAX_INT_ARG)
        return lt__arg_fail(e, argv[2], "interval must be 1 to %lld, not %lld", MAX_INT_ARG,
                            interval);
    spec->interval = (long)interval;
    spec->mode = "a";
    spec->delay = truthy(argv[5]);
    spec->utc = truthy(argv[6]);
    spec->multiprocess = truthy(argv[MAX_PARAMS + 2]);
    if ((r = check_file_kwonly(argv, spec, e)) < 0)
        return r;
    if (!lt__py_is_none(argv[7]))
        return lt__arg_fail(e, argv[7],
                            "atTime is not supported (it is a datetime.time, which configs here "
                            "cannot express): leave it None");
    return check_errors_arg(argv[8], e);
}

/* flushLevel: a level number, or (more than Python 3.11, which stores the
 * string and then fails at the first record) a level name. */
static int check_flush_level(const lt__pyval *v, int *ret, struct lt__arg_error *e)
{
    long long n = LT_LEVEL_ERROR;
    int r;

    *ret = LT_LEVEL_ERROR;
    if (!v)
        return 0;
    if (v->kind == LT__PY_STR) {
        if (lt_level_from_name(v->as.str.ptr, ret) == 0)
            return 0;
        return lt__arg_fail(e, v, "flushLevel '%s' is not a level name", v->as.str.ptr);
    }
    if ((r = want_int(v, "flushLevel", &n, e)) < 0)
        return r;
    if (n < -MAX_INT_ARG || n > MAX_INT_ARG)
        return lt__arg_fail(e, v, "flushLevel %lld is out of range", n);
    *ret = (int)n;
    return 0;
}

static int check_memory_args(const lt__pyval *const *argv, struct lt__handler_spec *spec,
                             struct lt__arg_error *e)
{
    long long capacity = 0;
    int r;

    /* (capacity, flushLevel=ERROR, target=None, flushOnClose=True) */
    if ((r = want_int(argv[0], "capacity", &capacity, e)) < 0 ||
        (r = check_flush_level(argv[1], &spec->flush_level, e)) < 0)
        return r;
    if (capacity < 0)
        return lt__arg_fail(e, argv[0], "capacity must be 0 or more, not %lld", capacity);
    spec->capacity = (size_t)capacity;
    if (!lt__py_is_none(argv[2]))
        return lt__arg_fail(e, argv[2],
                            "target must be None here: name the target handler with the "
                            "section's target= key");
    /* flushOnClose=False is accepted and has no effect: closing flushes, as
     * Python 3.11's shutdown() and fileConfig() do before they close. */
    (void)truthy(argv[3]);
    spec->takes_target = true;
    return 0;
}

static int check_stream_args(const lt__pyval *const *argv, struct lt__handler_spec *spec,
                             struct lt__arg_error *e)
{
    const lt__pyval *v = argv[0];

    spec->stream = stderr;
    if (lt__py_is_none(v))
        return 0;
    if (v->kind == LT__PY_NAME && strcmp(v->as.str.ptr, "sys.stdout") == 0)
        spec->stream = stdout;
    else if (!(v->kind == LT__PY_NAME && strcmp(v->as.str.ptr, "sys.stderr") == 0))
        return lt__arg_fail(e, v, "stream must be sys.stdout or sys.stderr");
    return 0;
}

static int check_level_arg(const lt__pyval *const *argv, struct lt__handler_spec *spec,
                           struct lt__arg_error *e)
{
    const lt__pyval *v = argv[0];

    spec->level = LT_LEVEL_NOTSET;
    if (!v)
        return 0;
    if (v->kind == LT__PY_INT && v->as.i >= -2147483647 && v->as.i <= 2147483647) {
        spec->level = (int)v->as.i;
        return 0;
    }
    if (v->kind == LT__PY_STR && lt_level_from_name(v->as.str.ptr, &spec->level) == 0)
        return 0;
    return lt__arg_fail(e, v, "level must be a level number or name");
}

/* ---- creating them ---- */

static int create_stream(const struct lt__handler_spec *spec, lt_handler **ret)
{
    return lt_stream_handler_new(ret, spec->stream);
}

static int create_file(const struct lt__handler_spec *spec, lt_handler **ret)
{
    lt_file_options o = {.mode = spec->mode,
                         .flags = spec->delay ? LT_FILE_DELAY : 0,
                         .permissions = spec->permissions,
                         .nofollow = spec->nofollow};

    return lt_file_handler_new_opts(ret, spec->filename, &o);
}

static int create_rotating(const struct lt__handler_spec *spec, lt_handler **ret)
{
    lt_file_options o = {.mode = spec->mode,
                         .flags = spec->delay ? LT_FILE_DELAY : 0,
                         .multiprocess = spec->multiprocess,
                         .permissions = spec->permissions,
                         .nofollow = spec->nofollow};

    return lt_rotating_file_handler_new_opts(ret, spec->filename, spec->max_bytes,
                                             spec->backup_count, &o);
}

static int create_timed(const struct lt__handler_spec *spec, lt_handler **ret)
{
    lt_file_options o = {.flags =
                             (spec->delay ? LT_FILE_DELAY : 0) | (spec->utc ? LT_ROTATE_UTC : 0),
                         .multiprocess = spec->multiprocess,
                         .permissions = spec->permissions,
                         .nofollow = spec->nofollow};

    return lt_timed_rotating_file_handler_new_opts(ret, spec->filename, spec->when, spec->interval,
                                                   spec->backup_count, &o);
}

static int create_watched(const struct lt__handler_spec *spec, lt_handler **ret)
{
    lt_file_options o = {.mode = spec->mode,
                         .flags = spec->delay ? LT_FILE_DELAY : 0,
                         .permissions = spec->permissions,
                         .nofollow = spec->nofollow};

    return lt_watched_file_handler_new_opts(ret, spec->filename, &o);
}

static int create_memory(const struct lt__handler_spec *spec, lt_handler **ret)
{
    return lt_memory_handler_new(ret, spec->capacity, spec->flush_level, NULL, 0);
}

static int create_null(const struct lt__handler_spec *spec, lt_handler **ret)
{
    int r = lt_null_handler_new(ret);

    if (r == 0)
        lt_handler_set_level(*ret, spec->level);
    return r;
}

static const struct lt__handler_class classes[] = {
    {"StreamHandler", false, {"stream"}, 0, {"escape"}, check_stream_args, create_stream},
    {"FileHandler",
     false,
     {"filename", "mode", "encoding", "delay", "errors"},
     1,
     {"permissions", "nofollow", "escape"},
     check_file_args,
     create_file},
    {"NullHandler", false, {"level"}, 0, {NULL}, check_level_arg, create_null},
    {"RotatingFileHandler",
     true,
     {"filename", "mode", "maxBytes", "backupCount", "encoding", "delay", "errors"},
     1,
     {"permissions", "nofollow", "multiprocess", "escape"},
     check_rotating_args,
     create_rotating},
    {"TimedRotatingFileHandler",
     true,
     {"filename", "when", "interval", "backupCount", "encoding", "delay", "utc", "atTime",
      "errors"},
     1,
     {"permissions", "nofollow", "multiprocess", "escape"},
     check_timed_args,
     create_timed},
    {"WatchedFileHandler",
     true,
     {"filename", "mode", "encoding", "delay", "errors"},
     1,
     {"permissions", "nofollow", "escape"},
     check_file_args,
     create_watched},
    {"MemoryHandler",
     true,
     {"capacity", "flushLevel", "target", "flushOnClose"},
     1,
     {NULL},
     check_memory_args,
     create_memory},
    /* Python's signatures; logtree's own settings are keyword-only
     * (config_net.c, docs/config.md). */
    {"SysLogHandler",
     true,
     {"address", "facility", "socktype"},
     0,
     {"format", "framing", "ident", "app_name", "hostname", "msgid", "sd_id", "max_size", "utc",
      "queue_size", "overflow", "timeout", "escape"},
     lt__check_syslog_args,
     lt__create_syslog},
    {"SocketHandler",
     true,
     {"host", "port"},
     2,
     {"wire", "queue_size", "overflow", "timeout", "escape"},
     lt__check_socket_args,
     lt__create_socket},
    {"DatagramHandler",
     true,
     {"host", "port"},
     2,
     {"wire", "queue_size", "overflow", "timeout", "escape"},
     lt__check_socket_args,
     lt__create_datagram},
    {"JournalHandler",
     LOGTREE_MODULE,
     {"identifier", "path"},
     0,
     {"queue_size", "overflow", "timeout", "escape"},
     lt__check_journal_args,
     lt__create_journal},
};

/* Python resolves logging.X and X for the classes of logging itself, and
 * handlers.X and logging.handlers.X for those of logging.handlers; logtree's
 * own classes are X and logtree.X. */
const struct lt__handler_class *lt__handler_class_find(const char *name)
{
    for (size_t i = 0; i < LT__ARRAY_SIZE(classes); i++) {
        const struct lt__handler_class *c = &classes[i];
        const char *prefixes[2];

        prefixes[0] = c->in_handlers_module ? "handlers." : "";
        prefixes[1] = c->in_handlers_module ? "logging.handlers." : "logging.";
        if (c->in_handlers_module == LOGTREE_MODULE) {
            prefixes[0] = "";
            prefixes[1] = "logtree.";
        }
        for (size_t p = 0; p < 2; p++) {
            size_t n = strlen(prefixes[p]);

            if (strncmp(name, prefixes[p], n) == 0 && strcmp(name + n, c->name) == 0)
                return c;
        }
    }
    return NULL;
}

/* escape='none' or 'controls': a setting of the handler itself
 * (lt_handler_set_escape()), so read here for every class that lists it. */
static int check_escape(const struct lt__handler_class *cls, const lt__pyval *const *argv,
                        struct lt__handler_spec *spec, struct lt__arg_error *e)
{
    const char *word = NULL;
    int r;

    spec->escape = LT_ESCAPE_DEFAULT;
    for (size_t i = 0; i < MAX_KWONLY && cls->kwonly[i]; i++) {
        const lt__pyval *v = argv[MAX_PARAMS + i];

        if (strcmp(cls->kwonly[i], "escape") != 0 || lt__py_is_none(v))
            continue;
        if ((r = want_str(v, "escape", &word, e)) < 0)
            return r;
        if (strcmp(word, "none") == 0)
            spec->escape = LT_ESCAPE_NONE;
        else if (strcmp(word, "controls") == 0)
            spec->escape = LT_ESCAPE_CONTROLS;
        else
            return lt__arg_fail(e, v,
                                "escape '%s' is not a policy: use 'controls' (escape control "
                                "characters in record text) or 'none' (Python's behaviour)",
                                word);
    }
    return 0;
}

static size_t param_count(const struct lt__handler_class *cls)
{
    size_t n = 0;

    while (n < MAX_PARAMS && cls->params[n])
        n++;
    return n;
}

static int bind_keywords(const struct lt__handler_class *cls, const lt__pyval *kwargs,
                         const lt__pyval **argv, struct lt__arg_error *e)
{
    size_t nparams = param_count(cls);

    for (size_t k = 0; kwargs && k < kwargs->as.dict.n; k++) {
        const char *key = kwargs->as.dict.keys[k]->as.str.ptr;
        size_t p = 0;

        while (p < nparams && strcmp(cls->params[p], key) != 0)
            p++;
        for (size_t i = 0; p == nparams && i < MAX_KWONLY; i++)
            if (cls->kwonly[i] && strcmp(cls->kwonly[i], key) == 0)
                p = MAX_PARAMS + i;
        if (p == nparams) /* (MAX_PARAMS is above every class's nparams) */
            return lt__arg_fail(e, kwargs->as.dict.keys[k],
                                "%s got an unexpected keyword argument '%s'", cls->name, key);
        if (argv[p])
            return lt__arg_fail(e, kwargs->as.dict.keys[k],
                                "%s got multiple values for argument '%s'", cls->name, key);
        argv[p] = kwargs->as.dict.values[k];
    }
    return 0;
}

int lt__handler_class_prepare(const struct lt__handler_class *cls, const lt__pyval *args,
                              const lt__pyval *kwargs, struct lt__handler_spec *spec,
                              struct lt__arg_error *e)
{
    const lt__pyval *argv[MAX_PARAMS + MAX_KWONLY] = {0};
    size_t nparams = param_count(cls), nargs = args ? args->as.tuple.n : 0;
    int r;

    memset(spec, 0, sizeof(*spec));
    spec->cls = cls;
    if (args && args->kind != LT__PY_TUPLE)
        return lt__arg_fail(e, args, "args must be a tuple, such as ('app.log',) with its comma");
    if (kwargs && kwargs->kind != LT__PY_DICT)
        return lt__arg_fail(e, kwargs, "kwargs must be a dict, such as {'delay': True}");
    if (nargs > nparams)
        return lt__arg_fail(e, args->as.tuple.items[nparams],
                            "%s takes at most %zu arguments (%zu given)", cls->name, nparams,
                            nargs);
    for (size_t i = 0; i < nargs; i++)
        argv[i] = args->as.tuple.items[i];
    if ((r = bind_keywords(cls, kwargs, argv, e)) < 0)
        return r;
    for (size_t i = 0; i < cls->nrequired; i++)
        if (!argv[i])
            return lt__arg_fail(e, NULL, "%s is missing its required argument '%s'", cls->name,
                                cls->params[i]);
    if ((r = check_escape(cls, argv, spec, e)) < 0)
        return r;
    return cls->check(argv, spec, e);
}

int lt__handler_preflight(const struct lt__handler_spec *spec)
{
    struct stat st;
    bool existed;
    int fd;

    if (!spec->filename || spec->delay)
        return 0;
    /* nofollow: a link (even a dangling one) is there, and refused. */
    existed = (spec->nofollow ? lstat(spec->filename, &st) : stat(spec->filename, &st)) == 0;
    if (existed) {
        fd = lt__sys_open(spec->filename,
                  O_WRONLY | O_APPEND | O_CLOEXEC | (spec->nofollow ? O_NOFOLLOW : 0));
    } else {
        /* Prove the directory takes a new file with a probe of our own: the
         * log file itself is never created here, so never removed again
         * while another process (multiprocess) may be opening it. */
        char probe[PATH_MAX];

        if ((size_t)snprintf(probe, sizeof(probe), "%s.lt~%ld", spec->filename,
                             (long)getpid()) >= sizeof(probe))
            return LT_ENAMETOOLONG;
        fd = lt__sys_open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0)
            (void)unlink(probe);
    }
    if (fd < 0)
        return -errno;
    close(fd);
    return 0;
}

int lt__handler_create(const struct lt__handler_spec *spec, lt_handler **ret)
{
    int r = spec->cls->create(spec, ret);

    if (r == 0 && spec->escape != LT_ESCAPE_DEFAULT)
        (void)lt_handler_set_escape(*ret, spec->escape); /* checked: cannot fail */
    return r;
}
