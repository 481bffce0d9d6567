/* src/config_ini.c - Python's logging.config.fileConfig(), in two phases.
 *
 * Phase one reads and checks everything (sections, keys, levels, formats,
 * handler classes and their arguments) and changes nothing. Phase two opens
 * the handlers, then swaps the new configuration into the tree under its
 * write lock, so that a record logged meanwhile meets either the old handlers
 * or the new ones, and a config that fails leaves the old one whole. The rules
 * are Python 3.11's config.py: _create_formatters, _install_handlers,
 * _install_loggers, _handle_existing_loggers. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_loader.h"
#include "config_state.h"
#include "ini.h"
#include "sys.h"

/* A comma-separated list of keys, each stripped, as _strip_spaces() does. */
struct keys {
    char *storage;
    const char **items;
    size_t n;
};

struct fmt_plan {
    const char *key;
    lt_formatter *formatter;
};

struct handler_plan {
    const char *key;
    char section[160];
    lt__pyval *args;
    lt__pyval *kwargs;
    struct lt__handler_spec spec;
    bool has_level;
    int level;
    lt_formatter *formatter; /* borrowed from the formatter plans */
    const char *target;      /* MemoryHandler's target= key; NULL or "" for none */
    size_t target_index;     /* the plan it names */
    lt_handler *handler;     /* phase two */
};

struct logger_plan {
    const char *qualname; /* NULL for the root */
    bool has_level;
    int level;
    bool propagate;
    struct keys handlers;
    size_t *handler_index;
    lt_logger *logger; /* phase two */
};

struct load {
    lt__ini *ini;
    const char *file;
    lt_error *err;
    bool disable_existing;
    struct keys fmt_keys, handler_keys, logger_keys;
    struct fmt_plan *fmts;
    struct handler_plan *handlers;
    struct logger_plan *loggers;
    struct lt__async_plan async;
    bool check_only; /* LT_CONFIG_CHECK_ONLY: phase one and the files' check */
    bool delay_open; /* LT_CONFIG_DELAY_OPEN: every file handler as delay=True */
};

static int fail(struct load *ld, int code, const char *section, const char *key,
                const char *fmt, ...) LT_PRINTF(5, 6);

/* Every error names the file and the line of the key (or section) at fault. */
static int fail(struct load *ld, int code, const char *section, const char *key,
                const char *fmt, ...)
{
    char message[sizeof(ld->err->message)];
    va_list ap;
    int line = section ? lt__ini_line(ld->ini, section, key) : 0;

    if (!ld->err)
        return code;
    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    return lt__error_set(ld->err, code, ld->file, line, 0, "%s", message);
}

/* ---- reading keys ---- */

/* 1 and *ret if present, 0 (*ret left as it was: the default) if not,
 * negative on an interpolation error (@err already filled by the parser). */
static int get(struct load *ld, const char *section, const char *key, bool raw, const char **ret)
{
    const char *value;
    int r = lt__ini_get(ld->ini, section, key, raw, &value, ld->err);

    if (r > 0)
        *ret = value;
    return r;
}

static int require(struct load *ld, const char *section, const char *key, const char **ret)
{
    int r = get(ld, section, key, false, ret);

    if (r == 0)
        return fail(ld, LT_ECONFIG, section, NULL, "section [%s] has no '%s' key", section, key);
    return r < 0 ? r : 0;
}

static int split_keys(const char *text, struct keys *ret)
{
    size_t n = 1;
    char *p;

    for (const char *c = text; *c; c++)
        n += *c == ',';
    ret->storage = lt__strdup(text);
    ret->items = lt__calloc(n, sizeof(*ret->items));
    if (!ret->storage || !ret->items)
        return LT_ENOMEM;
    ret->n = 0;
    for (p = ret->storage;; p++) {
        char *start = p, *end;

        while (*p && *p != ',')
            p++;
        end = p;
        while (start < end && (*start == ' ' || *start == '\t' || *start == '\n'))
            start++;
        while (end > start && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n'))
            end--;
        ret->items[ret->n++] = start;
        if (!*p) {
            *end = '\0';
            break;
        }
        *end = '\0';
    }
    return 0;
}

static void free_keys(struct keys *k)
{
    free(k->storage);
    free(k->items);
    memset(k, 0, sizeof(*k));
}

/* [NAME] keys=..., required as Python's cp[NAME]["keys"]. An empty value is
 * no keys at all. */
static int read_key_list(struct load *ld, const char *section, struct keys *ret)
{
    const char *text = "";
    int r;

    if (!lt__ini_has_section(ld->ini, section))
        return fail(ld, LT_ECONFIG, NULL, NULL, "no [%s] section", section);
    if ((r = require(ld, section, "keys", &text)) < 0)
        return r;
    if (!*text)
        return 0;
    return split_keys(text, ret);
}

/* A level as Python's _checkLevel() takes it from a config: a level name,
 * never a number ("10" is an unknown level there too). */
static int read_level(struct load *ld, const char *section, bool *has, int *level)
{
    const char *text = "";
    int r = get(ld, section, "level", false, &text);

    *has = r > 0;
    if (r <= 0)
        return r;
    if (lt_level_from_name(text, level) < 0)
        return fail(ld, LT_ELEVEL, section, "level",
                    "unknown level '%s' (levels are names such as DEBUG, INFO, WARNING)", text);
    return 0;
}

static int section_name(struct load *ld, char *buf, size_t size, const char *prefix,
                        const char *key, const char *list)
{
    snprintf(buf, size, "%s%s", prefix, key);
    if (!lt__ini_has_section(ld->ini, buf))
        return fail(ld, LT_ECONFIG, list, "keys",
                    "'%s' is listed in [%s] keys but there is no section [%s]", key, list, buf);
    return 0;
}

/* ---- phase one: formatters ---- */

struct section_reader {
    struct load *ld;
    const char *section;
};

/* fileConfig reads a formatter's keys raw (no interpolation). */
static int section_get(void *ud, const char *key, const char **ret)
{
    struct section_reader *r = ud;

    return get(r->ld, r->section, key, true, ret);
}

static int plan_formatter(struct load *ld, const char *key, struct fmt_plan *plan)
{
    const struct lt__formatter_class *cls;
    struct lt__key_error e = {0};
    const char *name = "";
    char section[160];
    struct section_reader reader = {ld, section};
    struct lt__section sec = {section_get, &reader};
    int r;

    plan->key = key;
    if ((r = section_name(ld, section, sizeof(section), "formatter_", key, "formatters")) < 0 ||
        (r = get(ld, section, "class", false, &name)) < 0)
        return r;
    if (!(cls = lt__formatter_class_find(name)))
        return fail(ld, LT_EUNKNOWN, section, "class", "unknown formatter class '%s'", name);
    r = lt__formatter_build(cls, &sec, &plan->formatter, &e);
    if (r < 0 && e.message[0])
        return fail(ld, r, section, e.key, "%s", e.message);
    return r;
}

static int plan_formatters(struct load *ld)
{
    int r = read_key_list(ld, "formatters", &ld->fmt_keys);

    if (r < 0)
        return r;
    ld->fmts = lt__calloc(ld->fmt_keys.n + 1, sizeof(*ld->fmts));
    if (!ld->fmts)
        return LT_ENOMEM;
    for (size_t i = 0; i < ld->fmt_keys.n; i++)
        if ((r = plan_formatter(ld, ld->fmt_keys.items[i], &ld->fmts[i])) < 0)
            return r;
    return 0;
}

static lt_formatter *find_formatter(struct load *ld, const char *key, bool *found)
{
    /* Later sections of the same key win, as in Python's dict. */
    for (size_t i = ld->fmt_keys.n; i-- > 0;) {
        if (strcmp(ld->fmts[i].key, key) == 0) {
            *found = true;
            return ld->fmts[i].formatter;
        }
    }
    *found = false;
    return NULL;
}

/* ---- phase one: handlers ---- */

static int parse_literal(struct load *ld, const char *section, const char *key, const char *text,
                         lt__pyval **ret)
{
    lt_error perr;
    int r = lt__py_parse(text, ret, &perr);

    if (r < 0)
        return fail(ld, r, section, key, "%s: %s at column %d of '%s'", key, perr.message,
                    perr.column, text);
    return 0;
}

/* Whether @at is @v or inside it (a tuple item, a dict key or value, nested). */
static bool holds(const lt__pyval *v, const lt__pyval *at)
{
    if (!v)
        return false;
    if (v == at)
        return true;
    if (v->kind == LT__PY_TUPLE)
        for (size_t i = 0; i < v->as.tuple.n; i++)
            if (holds(v->as.tuple.items[i], at))
                return true;
    if (v->kind == LT__PY_DICT)
        for (size_t i = 0; i < v->as.dict.n; i++)
            if (v->as.dict.keys[i] == at || holds(v->as.dict.values[i], at))
                return true;
    return false;
}

static int plan_handler_args(struct load *ld, struct handler_plan *plan)
{
    const char *args = "()", *kwargs = "{}";
    struct lt__arg_error e = {0};
    int r;

    if ((r = get(ld, plan->section, "args", false, &args)) < 0 ||
        (r = get(ld, plan->section, "kwargs", false, &kwargs)) < 0)
        return r;
    if ((r = parse_literal(ld, plan->section, "args", args, &plan->args)) < 0 ||
        (r = parse_literal(ld, plan->section, "kwargs", kwargs, &plan->kwargs)) < 0)
        return r;
    r = lt__handler_class_prepare(plan->spec.cls, plan->args, plan->kwargs, &plan->spec, &e);
    plan->spec.delay |= ld->delay_open;
    if (r < 0) {
        /* Which of the two the faulty value came from (it may sit deep
         * inside one: the port of SysLogHandler's address tuple). */
        bool in_kwargs = e.at && !holds(plan->args, e.at) && holds(plan->kwargs, e.at);

        return fail(ld, r, plan->section, in_kwargs ? "kwargs" : "args", "%s", e.message);
    }
    return 0;
}

static int plan_handler(struct load *ld, const char *key, struct handler_plan *plan)
{
    const char *cls = "", *fmt = "";
    bool found;
    int r;

    plan->key = key;
    if ((r = section_name(ld, plan->section, sizeof(plan->section), "handler_", key,
                          "handlers")) < 0)
        return r;
    if ((r = require(ld, plan->section, "class", &cls)) < 0)
        return r;
    plan->spec.cls = lt__handler_class_find(cls);
    if (!plan->spec.cls)
        return fail(ld, LT_EUNKNOWN, plan->section, "class", "unknown handler class '%s'", cls);
    if ((r = plan_handler_args(ld, plan)) < 0 ||
        (r = read_level(ld, plan->section, &plan->has_level, &plan->level)) < 0 ||
        (r = get(ld, plan->section, "formatter", false, &fmt)) < 0)
        return r;
    if (*fmt && !(plan->formatter = find_formatter(ld, fmt, &found)) && !found)
        return fail(ld, LT_ECONFIG, plan->section, "formatter",
                    "formatter '%s' is not listed in [formatters] keys", fmt);
    if (plan->spec.takes_target &&
        (r = get(ld, plan->section, "target", false, &plan->target)) < 0)
        return r;
    return 0;
}

static bool has_target(const struct handler_plan *plan)
{
    return plan->target && *plan->target;
}

/* _install_handlers()' fixups: a target= names a handler listed in
 * [handlers] keys (a later section wins, as in Python's dict), and never
 * one that passes records back (Python accepts that, then recurses at the
 * first flush). */
static int plan_targets(struct load *ld)
{
    size_t n = ld->handler_keys.n;

    for (size_t i = 0; i < n; i++) {
        struct handler_plan *p = &ld->handlers[i];
        size_t j = n;

        if (!has_target(p))
            continue;
        while (j-- > 0 && strcmp(ld->handlers[j].key, p->target) != 0)
            ;
        if (j == SIZE_MAX)
            return fail(ld, LT_ECONFIG, p->section, "target",
                        "target handler '%s' is not listed in [handlers] keys", p->target);
        p->target_index = j;
    }
    for (size_t i = 0; i < n; i++) {
        size_t at = i;

        for (size_t step = 0; step < n && has_target(&ld->handlers[at]); step++) {
            at = ld->handlers[at].target_index;
            if (at == i)
                return fail(ld, LT_ECONFIG, ld->handlers[i].section, "target",
                            "target '%s' passes records back to handler '%s': they would go "
                            "round forever",
                            ld->handlers[i].target, ld->handlers[i].key);
        }
    }
    return 0;
}

static int plan_handlers(struct load *ld)
{
    int r = read_key_list(ld, "handlers", &ld->handler_keys);

    if (r < 0)
        return r;
    ld->handlers = lt__calloc(ld->handler_keys.n + 1, sizeof(*ld->handlers));
    if (!ld->handlers)
        return LT_ENOMEM;
    for (size_t i = 0; i < ld->handler_keys.n; i++)
        if ((r = plan_handler(ld, ld->handler_keys.items[i], &ld->handlers[i])) < 0)
            return r;
    return plan_targets(ld);
}

/* ---- phase one: loggers ---- */

/* Python's int() on the propagate value: optional sign, digits, single
 * underscores between digits. */
static bool parse_python_int(const char *s, long *ret)
{
    char digits[32];
    size_t n = 0;

    if (*s == '+' || *s == '-')
        digits[n++] = *s++;
    if (!(*s >= '0' && *s <= '9'))
        return false;
    for (; *s && n < sizeof(digits) - 1; s++) {
        if (*s == '_' && s[1] >= '0' && s[1] <= '9' && s[-1] != '_')
            continue;
        if (!(*s >= '0' && *s <= '9'))
            return false;
        digits[n++] = *s;
    }
    digits[n] = '\0';
    *ret = strtol(digits, NULL, 10);
    return !*s;
}

static int find_handler_index(struct load *ld, const char *section, const char *key,
                              size_t *ret)
{
    for (size_t i = ld->handler_keys.n; i-- > 0;) {
        if (strcmp(ld->handlers[i].key, key) == 0) {
            *ret = i;
            return 0;
        }
    }
    return fail(ld, LT_ECONFIG, section, "handlers",
                "handler '%s' is not listed in [handlers] keys", key);
}

static int plan_logger_handlers(struct load *ld, const char *section, struct logger_plan *plan)
{
    const char *list = "";
    int r;

    if ((r = require(ld, section, "handlers", &list)) < 0)
        return r;
    if (*list && (r = split_keys(list, &plan->handlers)) < 0)
        return r;
    plan->handler_index = lt__calloc(plan->handlers.n + 1, sizeof(*plan->handler_index));
    if (!plan->handler_index)
        return LT_ENOMEM;
    for (size_t i = 0; i < plan->handlers.n; i++)
        if ((r = find_handler_index(ld, section, plan->handlers.items[i],
                                    &plan->handler_index[i])) < 0)
            return r;
    return 0;
}

/* The root's section (@is_root) has no qualname or propagate to read; a
 * second "root" in the keys is an ordinary section, as Python's
 * list.remove() takes out only the first. */
static int plan_logger(struct load *ld, const char *key, bool is_root, struct logger_plan *plan)
{
    const char *text = "";
    char section[160], why[128];
    long propagate = 1;
    int r;

    if ((r = section_name(ld, section, sizeof(section), "logger_", key, "loggers")) < 0 ||
        (r = read_level(ld, section, &plan->has_level, &plan->level)) < 0 ||
        (r = plan_logger_handlers(ld, section, plan)) < 0)
        return r;
    plan->propagate = true;
    if (is_root)
        return 0;
    if ((r = require(ld, section, "qualname", &plan->qualname)) < 0)
        return r;
    if (lt__logger_name_problem(plan->qualname, why, sizeof(why)))
        return fail(ld, LT_ENAMETOOLONG, section, "qualname", "%s", why);
    if ((r = get(ld, section, "propagate", false, &text)) < 0)
        return r;
    if (r > 0 && !parse_python_int(text, &propagate))
        return fail(ld, LT_ECONFIG, section, "propagate",
                    "propagate must be an integer (0 or 1), not '%s'", text);
    plan->propagate = propagate != 0;
    return 0;
}

/* The root first, then the others in their order, as _install_loggers. */
static int plan_loggers(struct load *ld)
{
    size_t root = SIZE_MAX, n;
    int r = read_key_list(ld, "loggers", &ld->logger_keys);

    if (r < 0)
        return r;
    n = ld->logger_keys.n;
    for (size_t i = 0; i < n && root == SIZE_MAX; i++)
        if (strcmp(ld->logger_keys.items[i], "root") == 0)
            root = i;
    if (root == SIZE_MAX)
        return fail(ld, LT_ECONFIG, "loggers", "keys", "[loggers] keys must include root");
    ld->loggers = lt__calloc(n + 1, sizeof(*ld->loggers));
    if (!ld->loggers)
        return LT_ENOMEM;
    if ((r = plan_logger(ld, "root", true, &ld->loggers[0])) < 0)
        return r;
    for (size_t i = 0, at = 1; i < n; i++)
        if (i != root &&
            (r = plan_logger(ld, ld->logger_keys.items[i], false, &ld->loggers[at++])) < 0)
            return r;
    return 0;
}

/* ---- phase two: open, then swap ---- */

static int cannot_open(struct load *ld, const struct handler_plan *p, int r)
{
    return fail(ld, r, p->section, "args", "handler '%s': cannot open '%s': %s", p->key,
                p->spec.filename ? p->spec.filename : "", lt_strerror(r));
}

/* Every file is checked before any is opened for real: a handler with mode
 * "w" truncates its file, which must not happen for a load that fails. */
static int preflight(struct load *ld)
{
    for (size_t i = 0; i < ld->handler_keys.n; i++) {
        int r = lt__handler_preflight(&ld->handlers[i].spec);

        if (r < 0)
            return cannot_open(ld, &ld->handlers[i], r);
    }
    return 0;
}

static int open_handlers(struct load *ld)
{
    for (size_t i = 0; i < ld->handler_keys.n; i++) {
        struct handler_plan *p = &ld->handlers[i];
        int r = lt__handler_create(&p->spec, &p->handler);

        if (r < 0)
            return cannot_open(ld, p, r);
        lt_handler_set_name(p->handler, p->key);
        if (p->has_level)
            lt_handler_set_level(p->handler, p->level);
        lt_handler_set_formatter(p->handler, p->formatter);
    }
    /* Targets once all handlers exist: a target may come later in keys=. */
    for (size_t i = 0; i < ld->handler_keys.n; i++) {
        struct handler_plan *p = &ld->handlers[i];
        int r;

        if (has_target(p) &&
            (r = lt_memory_handler_set_target(p->handler,
                                              ld->handlers[p->target_index].handler)) < 0)
            return fail(ld, r, p->section, "target", "handler '%s': cannot set target '%s': %s",
                        p->key, p->target, lt_strerror(r));
    }
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(lt_logger_name(*(lt_logger *const *)a), lt_logger_name(*(lt_logger *const *)b));
}

struct logger_list {
    lt_logger **items;
    size_t n;
    size_t cap;
};

static void collect_logger(lt_logger *lg, void *ud)
{
    struct logger_list *l = ud;

    if (l->n < l->cap)
        l->items[l->n++] = lg;
}

static void install_logger(struct load *ld, struct logger_plan *p)
{
    if (p->has_level)
        lt__logger_set_level_locked(p->logger, p->level);
    lt__logger_set_propagate_locked(p->logger, p->propagate);
    lt__logger_set_disabled_locked(p->logger, false);
    for (size_t i = 0; i < p->handlers.n; i++)
        (void)lt__logger_add_handler_locked(p->logger, ld->handlers[p->handler_index[i]].handler);
}

static bool is_configured(struct load *ld, const lt_logger *lg)
{
    for (size_t i = 1; i < ld->logger_keys.n; i++)
        if (ld->loggers[i].logger == lg)
            return true;
    return false;
}

/* _handle_existing_loggers(): loggers from before that the new config does
 * not name are disabled, except the children of ones it names, which are
 * reset to inherit. */
static void handle_existing(struct load *ld, struct logger_list *existing)
{
    for (size_t i = 0; i < existing->n; i++) {
        lt_logger *lg = existing->items[i];
        bool child = false;

        if (is_configured(ld, lg))
            continue;
        for (size_t j = 1; j < ld->logger_keys.n && !child; j++) {
            const char *qn = ld->loggers[j].qualname;
            size_t n = strlen(qn);

            /* Python checks that qn was in loggerDict, which an existing
             * descendant guarantees (as a logger or a placeholder). */
            child = strncmp(lt_logger_name(lg), qn, n) == 0 && lt_logger_name(lg)[n] == '.';
        }
        if (child) {
            lt__logger_set_level_locked(lg, LT_LEVEL_NOTSET);
            lt__logger_set_propagate_locked(lg, true);
        } else {
            lt__logger_set_disabled_locked(lg, ld->disable_existing);
        }
    }
}

/* Loggers that exist before the swap, sorted by name, as _install_loggers
 * takes them from loggerDict. */
static int list_existing(struct logger_list *existing)
{
    existing->cap = lt__logger_count_locked();
    existing->items = lt__calloc(existing->cap + 1, sizeof(*existing->items));
    if (!existing->items)
        return LT_ENOMEM;
    lt__logger_for_each_locked(collect_logger, existing);
    qsort(existing->items, existing->n, sizeof(*existing->items), compare_names);
    return 0;
}

static int make_loggers(struct load *ld)
{
    ld->loggers[0].logger = lt__logger_lookup_locked(NULL);
    for (size_t i = 1; i < ld->logger_keys.n; i++)
        if (!(ld->loggers[i].logger = lt__get_logger_locked(ld->loggers[i].qualname)))
            return LT_ENOMEM;
    return 0;
}

static int swap_in(struct load *ld, struct lt__detached *old)
{
    struct logger_list existing = {0};
    int r;

    if ((r = lt__routes_wrlock(NULL)) < 0)
        return r;
    lt__state_lock();
    if ((r = list_existing(&existing)) == 0 && (r = make_loggers(ld)) == 0) {
        lt__tree_detach_all_handlers_locked(lt__detached_keep, old);
        for (size_t i = 0; i < ld->logger_keys.n; i++)
            install_logger(ld, &ld->loggers[i]);
        handle_existing(ld, &existing);
        lt__env_levels_apply_locked();
        lt__tree_refresh_locked();
    }
    lt__state_unlock();
    lt__routes_wrunlock();
    free(existing.items);
    return r;
}

/* ---- the whole load ---- */

static void release(struct load *ld)
{
    for (size_t i = 0; ld->fmts && i < ld->fmt_keys.n; i++)
        lt_formatter_unref(ld->fmts[i].formatter);
    for (size_t i = 0; ld->handlers && i < ld->handler_keys.n; i++) {
        lt__py_free(ld->handlers[i].args);
        lt__py_free(ld->handlers[i].kwargs);
        lt_handler_unref(ld->handlers[i].handler);
    }
    for (size_t i = 0; ld->loggers && i < ld->logger_keys.n; i++) {
        free_keys(&ld->loggers[i].handlers);
        free(ld->loggers[i].handler_index);
    }
    free(ld->fmts);
    free(ld->handlers);
    free(ld->loggers);
    free_keys(&ld->fmt_keys);
    free_keys(&ld->handler_keys);
    free_keys(&ld->logger_keys);
    lt__ini_free(ld->ini);
}

/* [logtree]: logtree's own settings, which Python's fileConfig ignores. */
static int plan_setting(const char *section, const char *key, const char *raw, int line,
                        void *ud)
{
    struct load *ld = ud;
    struct lt__key_error e = {0};
    const char *value = raw;
    int r;

    (void)line;
    if (strcmp(section, "logtree") != 0 || !key)
        return 0;
    if ((r = get(ld, "logtree", key, false, &value)) < 0)
        return r;
    if (lt__async_setting(&ld->async, key, value, &e) < 0)
        return fail(ld, LT_ECONFIG, "logtree", e.key, "%s", e.message);
    return 0;
}

static int plan_async(struct load *ld)
{
    return lt__ini_foreach(ld->ini, plan_setting, ld);
}

static int load(struct load *ld)
{
    struct lt__detached old = {0};
    int r;

    if ((r = plan_formatters(ld)) < 0 || (r = plan_handlers(ld)) < 0 ||
        (r = plan_loggers(ld)) < 0 || (r = plan_async(ld)) < 0)
        return r;
    if ((r = preflight(ld)) < 0 || ld->check_only || (r = open_handlers(ld)) < 0)
        return r;
    if ((r = swap_in(ld, &old)) < 0)
        return fail(ld, r, NULL, NULL, "out of memory while installing the configuration");
    lt__detached_close(&old, NULL);
    if ((r = lt__async_apply_locked(&ld->async)) < 0)
        return fail(ld, r, "logtree", NULL, "cannot start asynchronous mode: %s",
                    lt_strerror(r));
    return 0;
}

int lt__config_ini_locked(const char *text, size_t len, const char *name, unsigned flags,
                          lt_error *err)
{
    struct load ld = {0};
    int r;

    if ((r = lt__config_size_check(text, len, name, err)) < 0)
        return r;
    ld.file = name;
    ld.err = err;
    ld.disable_existing = !(flags & LT_CONFIG_KEEP_EXISTING);
    ld.check_only = (flags & LT_CONFIG_CHECK_ONLY) != 0;
    ld.delay_open = (flags & LT_CONFIG_DELAY_OPEN) != 0;
    r = lt__ini_parse(text, len, ld.file, &ld.ini, err);
    if (r == 0)
        r = load(&ld);
    release(&ld);
    return r;
}
