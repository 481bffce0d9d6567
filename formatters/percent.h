/* formatters/percent.h - a percent-formatter format, compiled: the list of
 * pieces that percent.c walks for each record. percent_compile.c builds it
 * with one parser per style (percent_style.c, brace_style.c,
 * dollar_style.c). */
#ifndef LOGTREE_FORMATTERS_PERCENT_H
#define LOGTREE_FORMATTERS_PERCENT_H

#include <stdbool.h>
#include <stddef.h>

#include <logtree/common.h>

#include "pyformat.h"

/* What a segment prints, besides the lt_attr numbers of record.h. */
#define LT__SEG_TEXT    (-3) /* literal text */
#define LT__SEG_ASCTIME (-2) /* asctime, which the formatter renders */
#define LT__SEG_FIELD   (-1) /* a field of the record, found by name per record */

typedef struct lt__segment {
    int attr;         /* an lt_attr number or LT__SEG_* */
    bool plain;       /* a field printed as str(), with no spec to apply */
    const char *text; /* literal: its bytes (in the caller's format); field: its name */
    size_t len;       /* bytes of text */
    char *owned;      /* field: its name, NUL-terminated, freed with the program */
    lt__pyspec spec;  /* fields only */
} lt__segment;

typedef struct lt__program {
    char style;       /* '%', '{' or '$' */
    bool uses_errno;  /* some field prints errno or strerror */
    lt__segment *seg; /* in the order they print */
    size_t n, cap;
} lt__program;

/**
 * Compile @format, in @style '%', '{' or '$', into @prog (zeroed). Literal
 * segments point into @format, which must outlive @prog.
 * Returns: 0; LT_EFORMAT with @err (may be NULL) saying where and why;
 * LT_ENOMEM. On failure @prog holds nothing.
 */
int lt__program_compile(lt__program *prog, const char *format, char style, lt_error *err);

/* Free what @prog holds. */
void lt__program_free(lt__program *prog);

/* ---- for the style parsers ---- */

/* Add @len bytes of literal text (none: nothing added). Returns: 0, LT_ENOMEM. */
int lt__program_add_text(lt__program *prog, const char *text, size_t len);

/* Add the field @name (@len bytes) with @spec, whose text is
 * format[at..end): checks that @spec suits the attribute's type.
 * Returns: 0, LT_EFORMAT (with @err), LT_ENOMEM. */
int lt__program_add_field(lt__program *prog, const char *format, size_t at, size_t end,
                          const char *name, size_t len, const lt__pyspec *spec, lt_error *err);

/* Fill @err (if not NULL) for a fault at byte offset @at of the format.
 * Returns: LT_EFORMAT. */
int lt__format_error(lt_error *err, size_t at, const char *fmt, ...) LT_PRINTF(3, 4);

int lt__parse_percent(lt__program *prog, const char *format, lt_error *err);
int lt__parse_brace(lt__program *prog, const char *format, lt_error *err);
int lt__parse_dollar(lt__program *prog, const char *format, lt_error *err);

/* Whether Python's PercentStyle.validate() accepts @format: whether it
 * holds a match of %\(\w+\)[#0+ -]*(\*|\d+)?(\.(\*|\d+))?[diouxefgcrsa%]
 * (ignoring case), whatever the rest holds. */
bool lt__percent_validates(const char *format);

#endif /* LOGTREE_FORMATTERS_PERCENT_H */
