/* src/config_file.c - the front door of configuration files: INI or JSON by
 * content, the file last loaded (for lt_config_reload()), and the
 * environment's overrides, LOGTREE_CONFIG and LOGTREE_LEVEL.
 *
 * Precedence, lowest first: the program's own calls and config files;
 * LOGTREE_CONFIG, loaded at the first lt_get_logger() only if the program
 * has configured nothing by then; LOGTREE_LEVEL, applied after every
 * configuration (file, string, reload, basic config, LOGTREE_CONFIG) and at
 * the first lt_get_logger(), so its levels win over any config's. */
#include <ctype.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_state.h"
#include "sys.h"

static atomic_bool configured;
static atomic_bool env_done;
static pthread_once_t env_once = PTHREAD_ONCE_INIT;

/* Under the config lock: the file lt_config_reload() reads again. */
static char *last_path;
static unsigned last_flags;

void lt__config_mark_configured(void)
{
    atomic_store(&configured, true);
}

int lt__read_config_file(const char *path, char **ret, size_t *len, lt_error *err)
{
    int fd = lt__sys_open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    char *text = NULL;
    size_t want;
    ssize_t n;

    if (fd < 0)
        return lt__error_set(err, -errno, path, 0, 0, "cannot open: %s", lt_strerror(-errno));
    if (fstat(fd, &st) == 0) {
        /* One byte past the limit is enough for lt__config_size_check(). */
        want = (size_t)st.st_size > LT_MAX_CONFIG_BYTES ? LT_MAX_CONFIG_BYTES + 1
                                                          : (size_t)st.st_size;
        text = lt__malloc(want + 1);
    }
    if (!text) {
        close(fd);
        return lt__error_set(err, LT_ENOMEM, path, 0, 0, "cannot read the file");
    }
    n = read(fd, text, want);
    close(fd);
    if (n < 0 || (size_t)n != want) {
        free(text);
        return lt__error_set(err, LT_EIO, path, 0, 0, "cannot read the file");
    }
    text[n] = '\0';
    *ret = text;
    *len = (size_t)n;
    return 0;
}

int lt__config_size_check(const char *text, size_t len, const char *name, lt_error *err)
{
    int line = 1, column = 1;

    if (len <= LT_MAX_CONFIG_BYTES)
        return 0;
    for (size_t i = 0; i < LT_MAX_CONFIG_BYTES; i++, column++)
        if (text[i] == '\n') {
            line++;
            column = 0;
        }
    return lt__error_set(err, LT_EFBIG, name, line, column,
                         "the configuration is longer than %zu bytes (LT_MAX_CONFIG_BYTES)",
                         LT_MAX_CONFIG_BYTES);
}

/* JSON when the first byte after white space (or a byte-order mark, which
 * the JSON parser then refuses by name) is '{'; an INI file cannot start
 * so. */
static bool looks_like_json(const char *text, size_t len)
{
    size_t i = 0;

    if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
        i++;
    return i < len && text[i] == '{';
}

/* With the config lock held. */
static int load_locked(const char *text, size_t len, const char *name, unsigned flags,
                       lt_error *err)
{
    if (looks_like_json(text, len))
        return lt__config_json_locked(text, len, name, flags, err);
    return lt__config_ini_locked(text, len, name, flags, err);
}

int lt_config_string(const char *text, size_t len, const char *name, unsigned flags,
                     lt_error *err)
{
    int r;

    LT__RETURN_IF(!text && len, LT_EINVAL);
    lt_error_clear(err);
    lt__init();
    name = name ? name : "<string>";
    if (!(flags & LT_CONFIG_CHECK_ONLY))
        lt__config_mark_configured();
    lt__config_lock();
    r = load_locked(text ? text : "", len, name, flags, err);
    lt__config_unlock();
    if (r < 0 && err && !err->code)
        lt__error_set(err, r, name, 0, 0, "%s", lt_strerror(r));
    return r;
}

/* With the config lock held; remembers @path for lt_config_reload(). */
static int file_locked(const char *path, unsigned flags, lt_error *err)
{
    char *text = NULL, *copy;
    size_t len = 0;
    int r;

    if ((r = lt__read_config_file(path, &text, &len, err)) < 0)
        return r;
    if (len == 0)
        r = lt__error_set(err, LT_ECONFIG, path, 0, 0, "the file is empty");
    else
        r = load_locked(text, len, path, flags, err);
    free(text);
    if (r == 0 && !(flags & LT_CONFIG_CHECK_ONLY) && last_path != path &&
        (copy = lt__strdup(path))) {
        free(last_path);
        last_path = copy;
        last_flags = flags;
    }
    if (r < 0 && err && !err->code)
        lt__error_set(err, r, path, 0, 0, "%s", lt_strerror(r));
    return r;
}

int lt_config_file(const char *path, unsigned flags, lt_error *err)
{
    int r;

    LT__RETURN_IF(!path, LT_EINVAL);
    lt_error_clear(err);
    lt__init();
    if (!(flags & LT_CONFIG_CHECK_ONLY))
        lt__config_mark_configured();
    lt__config_lock();
    r = file_locked(path, flags, err);
    lt__config_unlock();
    return r;
}

int lt_config_reload(lt_error *err)
{
    int r;

    lt_error_clear(err);
    lt__init();
    lt__config_lock();
    if (!last_path)
        r = lt__error_set(err, LT_ENOENT, NULL, 0, 0,
                          "nothing to reload: no config file was loaded");
    else
        r = file_locked(last_path, last_flags, err);
    lt__config_unlock();
    return r;
}

int lt__config_reload_path(char *buf, size_t size)
{
    int r = LT_ENOENT;

    lt__config_lock();
    if (last_path && strlen(last_path) < size) {
        memcpy(buf, last_path, strlen(last_path) + 1);
        r = 0;
    }
    lt__config_unlock();
    return r;
}

/* ---- LOGTREE_LEVEL ---- */

/* A level as an operator types it: a name in any case, or a number. */
static bool env_level(const char *text, size_t len, int *ret)
{
    char name[32];
    char *end;
    long n;

    if (len == 0 || len >= sizeof(name))
        return false;
    for (size_t i = 0; i < len; i++)
        name[i] = (char)toupper((unsigned char)text[i]);
    name[len] = '\0';
    if (lt_level_from_name(name, ret) == 0)
        return true;
    memcpy(name, text, len);
    if (lt_level_from_name(name, ret) == 0)
        return true;
    n = strtol(name, &end, 10);
    if (*end || end == name || n < INT_MIN || n > INT_MAX)
        return false;
    *ret = (int)n;
    return true;
}

static void trim(const char **s, const char **e)
{
    while (*s < *e && isspace((unsigned char)**s))
        (*s)++;
    while (*e > *s && isspace((unsigned char)(*e)[-1]))
        (*e)--;
}

/* LEVEL (the root's) or NAME=LEVEL, comma-separated. @apply false: only
 * check. */
static bool env_levels(const char *spec, bool apply)
{
    const char *p = spec;

    while (*p) {
        const char *end = strchr(p, ','), *eq, *ls, *le;
        char name[512];
        int level;

        if (!end)
            end = p + strlen(p);
        eq = memchr(p, '=', (size_t)(end - p));
        ls = eq ? eq + 1 : p;
        le = end;
        trim(&ls, &le);
        if (!env_level(ls, (size_t)(le - ls), &level))
            return false;
        name[0] = '\0';
        if (eq) {
            const char *ns = p, *ne = eq;

            trim(&ns, &ne);
            if (ne == ns || (size_t)(ne - ns) >= sizeof(name))
                return false;
            memcpy(name, ns, (size_t)(ne - ns));
            name[ne - ns] = '\0';
        }
        if (apply) {
            lt_logger *lg = name[0] ? lt__get_logger_locked(name) : lt__logger_lookup_locked(NULL);

            if (lg)
                lt__logger_set_level_locked(lg, level);
        }
        p = *end ? end + 1 : end;
    }
    return true;
}

void lt__env_levels_apply_locked(void)
{
    static atomic_bool reported;
    const char *spec = getenv("LOGTREE_LEVEL");

    if (!spec || !*spec)
        return;
    if (!env_levels(spec, false)) {
        if (!atomic_exchange(&reported, true))
            lt__report("LOGTREE_LEVEL='%s' ignored: expected LEVEL or NAME=LEVEL,... "
                       "(levels such as debug, INFO, 25)",
                       spec);
        return;
    }
    (void)env_levels(spec, true);
}

/* ---- LOGTREE_CONFIG ---- */

static void env_config(void)
{
    const char *path = getenv("LOGTREE_CONFIG");
    lt_error err;
    char text[1024];

    if (!atomic_load(&configured) && path && *path) {
        if (lt_config_file(path, 0, &err) < 0) {
            lt_error_format(&err, text, sizeof(text));
            lt__report("LOGTREE_CONFIG: %s", text);
        } else {
            atomic_store(&env_done, true);
            return;
        }
    }
    /* LOGTREE_LEVEL also without any config. */
    lt__config_lock();
    if (lt__routes_wrlock(NULL) == 0) {
        lt__state_lock();
        lt__env_levels_apply_locked();
        lt__tree_refresh_locked();
        lt__state_unlock();
        lt__routes_wrunlock();
    }
    lt__config_unlock();
    atomic_store(&env_done, true);
}

void lt__env_config_once(void)
{
    if (atomic_load_explicit(&env_done, memory_order_acquire))
        return;
    pthread_once(&env_once, env_config);
}
