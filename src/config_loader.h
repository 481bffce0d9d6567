/* src/config_loader.h - what the configuration loaders share: the handler
 * classes config files can name, and how their arguments are checked before
 * anything is opened. */
#ifndef LOGTREE_CONFIG_LOADER_H
#define LOGTREE_CONFIG_LOADER_H

#include <stdio.h>

#include "internal.h"
#include "pyliteral.h"

/* A handler section's arguments, checked: enough to create the handler
 * later without any further error but the system's (a file that cannot be
 * opened). Strings are borrowed from the parsed arguments. */
struct lt__handler_spec {
    const struct lt__handler_class *cls;
    FILE *stream;         /* StreamHandler */
    const char *filename; /* FileHandler and its relatives */
    const char *mode;
    bool delay;
    int level;             /* NullHandler(level) */
    uint64_t max_bytes;    /* RotatingFileHandler */
    unsigned backup_count; /* and TimedRotatingFileHandler */
    const char *when;      /* TimedRotatingFileHandler */
    long interval;
    bool utc;
    bool multiprocess; /* both rotating kinds: kwargs={'multiprocess': True} */
    unsigned permissions; /* the file kinds: kwargs={'permissions': 0o600}; 0: default */
    bool nofollow;        /* and kwargs={'nofollow': True} */
    size_t capacity; /* MemoryHandler */
    int flush_level;
    bool takes_target; /* the section's target= key names its target */
    lt_escape escape;  /* kwargs={'escape': ...} of the classes that take it */
    /* The network handlers (config_net.c); strings borrowed as above. */
    lt_syslog_options syslog;  /* SysLogHandler */
    char facility[16];         /* syslog.facility when given as a number */
    lt_socket_options socket;  /* SocketHandler, DatagramHandler */
    const char *host;          /* their host, or Unix socket path when port is 0 */
    int port;
    lt_journal_options journal; /* logtree.JournalHandler */
};

/* Where an argument error is: the value it is about (NULL: the whole call),
 * and what is wrong. */
struct lt__arg_error {
    const lt__pyval *at;
    char message[256];
};

/* The class called @name in a config file, in any spelling Python resolves
 * (X, logging.X, handlers.X, logging.handlers.X as appropriate), or NULL. */
const struct lt__handler_class *lt__handler_class_find(const char *name);

/* Bind @args (a tuple, or NULL for none) and @kwargs (a dict, or NULL) to the
 * parameters of @cls as a Python call would, and check them into @spec.
 * Returns 0, or LT_ECONFIG with @e filled. */
int lt__handler_class_prepare(const struct lt__handler_class *cls, const lt__pyval *args,
                              const lt__pyval *kwargs, struct lt__handler_spec *spec,
                              struct lt__arg_error *e);

/* Check that the file @spec names (if any, and not delayed) can be opened
 * for writing, without changing it (a file made for the check is removed).
 * Returns 0 or -errno. */
int lt__handler_preflight(const struct lt__handler_spec *spec);

/* Create the handler @spec describes. Returns 0 and *@ret, or the system's
 * error (a file that cannot be opened). */
int lt__handler_create(const struct lt__handler_spec *spec, lt_handler **ret);

/* For the classes' checks: fill @e (what is wrong, at @at: NULL for the
 * whole call) and return LT_ECONFIG. */
int lt__arg_fail(struct lt__arg_error *e, const lt__pyval *at, const char *fmt, ...)
    LT_PRINTF(3, 4);

/* An argument that is absent or None. */
bool lt__py_is_none(const lt__pyval *v);

/* A class's check() gets argv with its positional parameters first, then
 * from argv[LT__CLASS_POSITIONAL] on its keyword-only ones (logtree's own
 * settings, which Python's classes do not have), each NULL when not given. */
#define LT__CLASS_POSITIONAL 10

/* ---- the network handler classes (config_net.c): check and create, as the
 * table in config_classes.c calls them ---- */

int lt__check_syslog_args(const lt__pyval *const *argv, struct lt__handler_spec *spec,
                          struct lt__arg_error *e);
int lt__check_socket_args(const lt__pyval *const *argv, struct lt__handler_spec *spec,
                          struct lt__arg_error *e);
int lt__check_journal_args(const lt__pyval *const *argv, struct lt__handler_spec *spec,
                           struct lt__arg_error *e);
int lt__create_syslog(const struct lt__handler_spec *spec, lt_handler **ret);
int lt__create_socket(const struct lt__handler_spec *spec, lt_handler **ret);
int lt__create_datagram(const struct lt__handler_spec *spec, lt_handler **ret);
int lt__create_journal(const struct lt__handler_spec *spec, lt_handler **ret);

/* ---- formatter classes (config_formatters.c) ---- */

/* A config section as a formatter class reads it: get() returns 1 and the
 * raw value of @key, 0 if the section has no such key (leaving *@ret), or a
 * negative code (the loader has filled its error). */
struct lt__section {
    int (*get)(void *ud, const char *key, const char **ret);
    void *ud;
};

/* Which key of the section is at fault (NULL: the section), and why. */
struct lt__key_error {
    const char *key;
    char message[256];
};

struct lt__formatter_class {
    const char *name; /* "logging.Formatter", "JSONFormatter" */
    int (*build)(const struct lt__section *sec, lt_formatter **ret, struct lt__key_error *e);
};

/* Fill @e; returns LT_ECONFIG. */
int lt__key_error(struct lt__key_error *e, const char *key, const char *fmt, ...)
    LT_PRINTF(3, 4);

/* The class called @name (NULL or "": logging.Formatter), or NULL. */
const struct lt__formatter_class *lt__formatter_class_find(const char *name);

/* Make the formatter @sec describes. Returns 0 and *@ret, or a negative code
 * with @e saying which key is wrong and why. */
int lt__formatter_build(const struct lt__formatter_class *cls, const struct lt__section *sec,
                        lt_formatter **ret, struct lt__key_error *e);

/* ---- logtree's own settings (config_async.c) ---- */

/* What a config says of asynchronous mode. */
struct lt__async_plan {
    bool given; /* the config says async = on or off; else the mode stays as it is */
    bool on;
    lt_async_options opts;
};

/* ConfigParser.getboolean()'s words. */
bool lt__parse_bool(const char *text, bool *ret);

/* Read one setting into @plan. Returns 0, or LT_ECONFIG with @e filled. */
int lt__async_setting(struct lt__async_plan *plan, const char *key, const char *value,
                      struct lt__key_error *e);

/* Switch asynchronous mode as @plan says (nothing if not given); with the
 * config lock held. */
int lt__async_apply_locked(const struct lt__async_plan *plan);

#endif /* LOGTREE_CONFIG_LOADER_H */
