/* src/ini.h - the INI dialect of Python's configparser.ConfigParser, as
 * logging.config.fileConfig() reads it (Python 3.11).
 *
 * Delimiters '=' and ':' (the first one on the line wins), whole-line comments
 * starting with '#' or ';' (never inline), keys lower-cased, section names
 * case-sensitive, values stripped, lines indented deeper than their key line
 * continuing the value (joined with '\n'), strict duplicate checks, and
 * [DEFAULT] whose keys every section inherits. Values are interpolated on
 * request with BasicInterpolation: %(key)s and %%. */
#ifndef LOGTREE_INI_H
#define LOGTREE_INI_H

#include <stdbool.h>
#include <stddef.h>

#include <logtree/common.h>

typedef struct lt__ini lt__ini;

/* Parse @len bytes of @text ('\n', '\r\n' and '\r' end lines). @name is the
 * file name used in errors. Returns 0 and *@ret, or a negative code: LT_ESYNTAX
 * (a line before any section header, a line without '=' or ':', an empty
 * option name), LT_ECONFIG (duplicate section or option), LT_ENOMEM; @err (may
 * be NULL) then holds @name, the 1-based line and byte column, and a message.
 * Python reports some errors only at the end of the file; this reports the
 * first one. */
int lt__ini_parse(const char *text, size_t len, const char *name, lt__ini **ret, lt_error *err);

/* Free @ini and every string it handed out. NULL is allowed. */
void lt__ini_free(lt__ini *ini);

/* True if [@section] is in the file. As in Python, "DEFAULT" is not a section
 * (false even when the file has [DEFAULT]); lt__ini_get() still reads it. */
bool lt__ini_has_section(const lt__ini *ini, const char *section);

/* Look @key (any case) up in @section, then in [DEFAULT], as
 * ConfigParser.get() does; @section "DEFAULT" reads [DEFAULT] alone.
 * Returns 1 and *@ret (owned by @ini, valid until lt__ini_free()), 0 if the
 * section or the key does not exist, or a negative code for an interpolation
 * error: LT_ESYNTAX (a '%' not followed by '%' or '(', or a malformed
 * %(name)s), LT_EUNKNOWN (%(name)s names no key), LT_ECONFIG (references nested
 * more than 10 deep), LT_ENOMEM; @err then names the file and the line of
 * @key. @raw skips interpolation. */
int lt__ini_get(lt__ini *ini, const char *section, const char *key, bool raw, const char **ret,
                lt_error *err);

/* The 1-based line of @key in @section (of the section header when @key is
 * NULL); for a key inherited from [DEFAULT], its line there. 0 if unknown. */
int lt__ini_line(const lt__ini *ini, const char *section, const char *key);

/* Called for every option of [DEFAULT] (section "DEFAULT"), then for each
 * section in file order: once with @key and @raw NULL and the header's line,
 * then for each of its own options. A non-zero return stops the walk. */
typedef int (*lt__ini_visit_fn)(const char *section, const char *key, const char *raw, int line,
                                void *ud);

/* Walk @ini as described above. Returns 0, or what @fn returned to stop. */
int lt__ini_foreach(const lt__ini *ini, lt__ini_visit_fn fn, void *ud);

#endif /* LOGTREE_INI_H */
