/* src/tree.c - lt_dump_tree(): the logger tree as text, in the layout of
 * Python's logging_tree package (Brandon Rhodes), which Python users know:
 *
 *     <--""
 *        Level WARNING
 *        Handler Stream <stderr>
 *        |
 *        o<--"app"
 *        |   Level DEBUG
 *        |   Handler File '/var/log/app.log'
 *        |     Level INFO
 *        |     Formatter fmt='%(asctime)s %(message)s' datefmt=None
 *        |   Handler Memory capacity=100
 *        |     Flushes output to:
 *        |       Handler Stream <stderr>
 *        |   |
 *        |   o<--[app.db]
 *        |       |
 *        |       o   "app.db.pool"
 *        |           Level NOTSET so inherits level DEBUG
 *        |           Propagate OFF
 *        |
 *        o<--"zzz"
 *            Level NOTSET so inherits level WARNING
 *
 * [name] is a placeholder: a name with no logger of its own, only
 * descendants. The snapshot is taken under the tree's locks and printed
 * after they are released. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sys.h"

struct node {
    const char *name; /* "" for the root */
    lt_logger *lg;    /* NULL: a placeholder */
};

struct snapshot {
    struct node *nodes;
    size_t n, cap;
    char **owned; /* placeholder names */
    size_t nowned;
    lt_buf *out;
};

static int add_node(struct snapshot *s, const char *name, lt_logger *lg)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        struct node *n = lt__realloc(s->nodes, cap * sizeof(*n));

        if (!n)
            return LT_ENOMEM;
        s->nodes = n;
        s->cap = cap;
    }
    s->nodes[s->n++] = (struct node){name, lg};
    return 0;
}

static void collect(lt_logger *lg, void *ud)
{
    struct snapshot *s = ud;
    const char *name = lt_logger_name(lg);

    if (add_node(s, name, lg) < 0)
        return;
    /* Every dotted prefix exists, as a logger or as a placeholder. */
    for (const char *dot = strchr(name, '.'); dot; dot = strchr(dot + 1, '.')) {
        char *prefix = lt__strndup(name, (size_t)(dot - name));
        char **owned = lt__realloc(s->owned, (s->nowned + 1) * sizeof(*owned));

        if (!prefix || !owned) {
            free(prefix);
            if (owned)
                s->owned = owned;
            return;
        }
        s->owned = owned;
        s->owned[s->nowned++] = prefix;
        (void)add_node(s, prefix, NULL);
    }
}

/* By name, a logger before a placeholder of the same name. */
static int compare_nodes(const void *a, const void *b)
{
    const struct node *x = a, *y = b;
    int c = strcmp(x->name, y->name);

    return c ? c : (x->lg == NULL) - (y->lg == NULL);
}

static bool is_child(const char *parent, const char *name)
{
    const char *dot = strrchr(name, '.');
    size_t n = dot ? (size_t)(dot - name) : 0;

    if (!*parent)
        return !dot && *name;
    return dot && strlen(parent) == n && strncmp(parent, name, n) == 0;
}

static const char *level_name(int level, char *buf, size_t size)
{
    size_t len;

    return lt__level_name_or_number(level, buf, size, &len);
}

static int effective_level(const lt_logger *lg)
{
    for (; lg; lg = lg->parent)
        if (lg->level != LT_LEVEL_NOTSET)
            return lg->level;
    return LT_LEVEL_NOTSET;
}

static const char *kind_title(const char *kind)
{
    static const char *const map[][2] = {
        {"stream", "Stream"},   {"fd", "Stream"},       {"file", "File"},
        {"rotating", "RotatingFile"}, {"timed_rotating", "TimedRotatingFile"},
        {"watched", "WatchedFile"},   {"memory", "Memory"}, {"null", "Null"},
    };

    for (size_t i = 0; i < LT__ARRAY_SIZE(map); i++)
        if (strcmp(kind, map[i][0]) == 0)
            return map[i][1];
    return kind;
}

static void line(struct snapshot *s, const char *prefix, const char *text)
{
    lt_buf_puts(s->out, prefix);
    lt_buf_puts(s->out, text);
    /* logging_tree strips the ends of its lines. */
    while (lt_buf_len(s->out) > 0 && lt_buf_data(s->out)[lt_buf_len(s->out) - 1] == ' ')
        lt_buf_truncate(s->out, lt_buf_len(s->out) - 1);
    lt_buf_putc(s->out, '\n');
}

/* @h, its lines after @prefix and @lead ("   " under a logger); a memory
 * handler's target follows, as logging_tree nests it: "Flushes output to:",
 * then the target four columns further in. */
static void describe_handler(struct snapshot *s, const char *prefix, const char *lead,
                             lt_handler *h)
{
    struct lt__handler_view v = {0};
    lt_buf *where = NULL, *filters = NULL, *fmt = NULL;
    lt_handler *target = NULL;
    char text[1024], lv[32];

    if (lt_buf_new(&where) < 0 || lt_buf_new(&filters) < 0 || lt_buf_new(&fmt) < 0)
        goto out;
    v.filters = filters;
    lt__handler_describe(h, &v);
    (void)lt_handler_control(h, LT_HANDLER_CTL_DESCRIBE, where);
    snprintf(text, sizeof(text), "%sHandler %s %s", lead, kind_title(v.kind),
             lt_buf_len(where) ? lt_buf_data(where) : "");
    line(s, prefix, text);
    if (v.named) { /* logging_tree shows no names: only those a config gave */
        snprintf(text, sizeof(text), "%s  Name '%s'", lead, lt_handler_name(h));
        line(s, prefix, text);
    }
    if (v.level != LT_LEVEL_NOTSET) {
        snprintf(text, sizeof(text), "%s  Level %s", lead, level_name(v.level, lv, sizeof(lv)));
        line(s, prefix, text);
    }
    for (const char *f = lt_buf_len(filters) ? lt_buf_data(filters) : ""; *f;) {
        const char *end = strchr(f, '\n');

        snprintf(text, sizeof(text), "%s  Filter %.*s", lead, (int)(end - f), f);
        line(s, prefix, text);
        f = end + 1;
    }
    if (v.formatter && lt_formatter_describe(v.formatter, fmt) == 0) {
        snprintf(text, sizeof(text), "%s  Formatter %s", lead, lt_buf_data(fmt));
        line(s, prefix, text);
    }
    if (lt_memory_handler_get_target(h, &target) == 0 && target) {
        char nested[256];

        snprintf(text, sizeof(text), "%s  Flushes output to:", lead);
        line(s, prefix, text);
        /* Chains are at most 64 long (lt_memory_handler_set_target()); one
         * deeper than the room here is cut rather than drawn wrong. */
        if ((size_t)snprintf(nested, sizeof(nested), "%s    ", lead) < sizeof(nested))
            describe_handler(s, prefix, nested, target);
        lt_handler_unref(target);
    }
out:
    lt_formatter_unref(v.formatter);
    lt_buf_free(where);
    lt_buf_free(filters);
    lt_buf_free(fmt);
}

static void describe_logger(struct snapshot *s, const char *prefix, const lt_logger *lg)
{
    char text[1024], a[32], b[32];

    if (lg->level == LT_LEVEL_NOTSET && lg->parent)
        snprintf(text, sizeof(text), "   Level NOTSET so inherits level %s",
                 level_name(effective_level(lg), a, sizeof(a)));
    else
        snprintf(text, sizeof(text), "   Level %s", level_name(lg->level, b, sizeof(b)));
    line(s, prefix, text);
    if (!lg->propagate)
        line(s, prefix, "   Propagate OFF");
    if (lg->disabled)
        line(s, prefix, "   Disabled");
    for (size_t i = 0; i < lg->filters.n; i++) {
        lt_buf *f = NULL;

        if (lt_buf_new(&f) < 0)
            continue;
        lt__filter_describe(lg->filters.items[i], f);
        snprintf(text, sizeof(text), "   Filter %s", lt_buf_data(f));
        line(s, prefix, text);
        lt_buf_free(f);
    }
    for (size_t i = 0; i < lg->nhandlers; i++)
        describe_handler(s, prefix, "   ", lg->handlers[i]);
}

/* The node @i with its first line after @first and the others after @rest;
 * its children below it, as logging_tree draws them. */
static void describe(struct snapshot *s, size_t i, const char *first, const char *rest)
{
    const struct node *nd = &s->nodes[i];
    size_t last = SIZE_MAX;
    char text[1024];

    /* logging_tree draws no arrow into a logger that does not propagate. */
    if (nd->lg)
        snprintf(text, sizeof(text), "%s\"%s\"", nd->lg->propagate ? "<--" : "   ", nd->name);
    else
        snprintf(text, sizeof(text), "<--[%s]", nd->name);
    line(s, first, text);
    if (nd->lg)
        describe_logger(s, rest, nd->lg);
    for (size_t j = 0; j < s->n; j++)
        if (is_child(nd->name, s->nodes[j].name))
            last = j;
    if (last == SIZE_MAX)
        return;
    for (size_t j = 0; j < s->n; j++) {
        char child_first[512], child_rest[512];

        if (!is_child(nd->name, s->nodes[j].name))
            continue;
        line(s, rest, "   |");
        snprintf(child_first, sizeof(child_first), "%s   o", rest);
        snprintf(child_rest, sizeof(child_rest), "%s%s", rest, j == last ? "    " : "   |");
        describe(s, j, child_first, child_rest);
    }
}

int lt_dump_tree(FILE *out)
{
    struct snapshot s = {0};
    int r = 0;

    LT__RETURN_IF(!out, LT_EINVAL);
    lt__init();
    if ((r = lt_buf_new(&s.out)) < 0)
        return r;
    lt__routes_rdlock();
    lt__state_lock();
    if ((r = add_node(&s, "", lt__root())) == 0) {
        size_t w = 1;

        lt__logger_for_each_locked(collect, &s);
        qsort(s.nodes + 1, s.n - 1, sizeof(*s.nodes), compare_nodes);
        /* One node per name: a logger's, else the placeholder. */
        for (size_t i = 1; i < s.n; i++)
            if (strcmp(s.nodes[i].name, s.nodes[w - 1].name) != 0)
                s.nodes[w++] = s.nodes[i];
        s.n = w;
        describe(&s, 0, "", "");
    }
    lt__state_unlock();
    lt__routes_rdunlock();
    if (r == 0 && (r = lt_buf_error(s.out)) == 0 &&
        (fwrite(lt_buf_data(s.out), 1, lt_buf_len(s.out), out) != lt_buf_len(s.out) ||
         fflush(out) != 0))
        r = LT_EIO;
    for (size_t i = 0; i < s.nowned; i++)
        free(s.owned[i]);
    free(s.owned);
    free(s.nodes);
    lt_buf_free(s.out);
    return r;
}
