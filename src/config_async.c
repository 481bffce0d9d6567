/* src/config_async.c - the settings of logtree's own that config files carry
 * beside Python's: the [logtree] section of an INI file (which Python's
 * fileConfig ignores, so the same file still works there), and later the
 * "logtree" object of a JSON config. Keys: async, ring_size, overflow,
 * grow_limit, crash_handler. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_loader.h"

/* As ConfigParser.getboolean(): 1/yes/true/on, 0/no/false/off, any case. */
bool lt__parse_bool(const char *text, bool *ret)
{
    static const char *const yes[] = {"1", "yes", "true", "on"}, *const no[] = {"0", "no",
                                                                                 "false", "off"};

    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(text, yes[i]) == 0 || strcasecmp(text, no[i]) == 0) {
            *ret = strcasecmp(text, yes[i]) == 0;
            return true;
        }
    }
    return false;
}

/* A size: digits, then an optional unit K, M or G (also KB, KiB, ...; all
 * powers of 1024), any case. */
static bool parse_size(const char *text, size_t *ret)
{
    static const struct {
        const char *unit;
        size_t factor;
    } units[] = {{"", 1},          {"b", 1},           {"k", 1024},      {"kb", 1024},
                 {"kib", 1024},    {"m", 1 << 20},     {"mb", 1 << 20},  {"mib", 1 << 20},
                 {"g", 1ul << 30}, {"gb", 1ul << 30},  {"gib", 1ul << 30}};
    char *end;
    unsigned long long n;

    if (*text < '0' || *text > '9')
        return false;
    n = strtoull(text, &end, 10);
    while (*end == ' ')
        end++;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (strcasecmp(end, units[i].unit) == 0 && n <= SIZE_MAX / units[i].factor) {
            *ret = (size_t)n * units[i].factor;
            return true;
        }
    }
    return false;
}

int lt__async_setting(struct lt__async_plan *plan, const char *key, const char *value,
                      struct lt__key_error *e)
{
    static const char *const policies[] = {"block", "drop", "grow"};

    if (strcmp(key, "async") == 0 && (plan->given = true))
        return lt__parse_bool(value, &plan->on)
                   ? 0
                   : lt__key_error(e, "async", "async must be on or off, not '%s'", value);
    if (strcmp(key, "crash_handler") == 0)
        return lt__parse_bool(value, &plan->opts.crash_handler)
                   ? 0
                   : lt__key_error(e, key, "crash_handler must be on or off, not '%s'", value);
    if (strcmp(key, "ring_size") == 0 || strcmp(key, "grow_limit") == 0) {
        size_t *at = key[0] == 'r' ? &plan->opts.ring_size : &plan->opts.grow_limit;

        if (!parse_size(value, at) || (key[0] == 'r' && *at < 4096))
            return lt__key_error(e, key, "%s must be a size such as 1MiB or 65536 (at least "
                                         "4KiB for a ring), not '%s'", key, value);
        return 0;
    }
    if (strcmp(key, "overflow") == 0) {
        for (size_t i = 0; i < 3; i++) {
            if (strcasecmp(value, policies[i]) == 0) {
                plan->opts.overflow = (lt_async_overflow)i;
                return 0;
            }
        }
        return lt__key_error(e, key, "overflow must be block, drop or grow, not '%s'", value);
    }
    return lt__key_error(e, key, "unknown key '%s' (async, ring_size, overflow, grow_limit, "
                                 "crash_handler)", key);
}

/* Make the running mode what @plan says; with the config lock held. */
int lt__async_apply_locked(const struct lt__async_plan *plan)
{
    if (!plan->given)
        return 0;
    (void)lt__async_stop_locked(); /* LT_ENOENT when it was not running: fine */
    return plan->on ? lt__async_start_locked(&plan->opts) : 0;
}
