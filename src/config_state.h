/* src/config_state.h - what the configuration front door (config_file.c)
 * shares with the loaders: which format a text is, the loaders themselves,
 * whether the program has configured logging, and the environment's
 * overrides. */
#ifndef LOGTREE_CONFIG_STATE_H
#define LOGTREE_CONFIG_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "internal.h"

/* The loaders, with the config lock held: INI (config_ini.c) and JSON
 * (config_json.c). @name is the file name for errors. */
int lt__config_ini_locked(const char *text, size_t len, const char *name, unsigned flags,
                          lt_error *err);
int lt__config_json_locked(const char *text, size_t len, const char *name, unsigned flags,
                           lt_error *err);

/* Read all of @path (NUL-terminated in *@ret, to free). */
int lt__read_config_file(const char *path, char **ret, size_t *len, lt_error *err);
/* LT_EFBIG, located at its first byte past it, for a text over LT_MAX_CONFIG_BYTES. */
int lt__config_size_check(const char *text, size_t len, const char *name, lt_error *err);

/* The program configured logging (any config call): LOGTREE_CONFIG is then
 * not applied at the first logger use. */
void lt__config_mark_configured(void);

/* LOGTREE_CONFIG at the first logger use (lt_get_logger()). */
void lt__env_config_once(void);

/* LOGTREE_LEVEL applied to the tree: with the state locked, before
 * lt__tree_refresh_locked(). A malformed value is reported once. */
void lt__env_levels_apply_locked(void);

/* The file lt_config_reload() would read, copied into @buf; LT_ENOENT. */
int lt__config_reload_path(char *buf, size_t size);

/* The file watcher, stopped by lt_shutdown() (config_reload.c). */
void lt__watch_stop_for_shutdown(void);

#endif /* LOGTREE_CONFIG_STATE_H */
