/* logtree/formatters.h - the formatters logtree brings.
 *
 * The percent formatter is Python's logging.Formatter: a format string in one
 * of three styles over the record's attributes (see record.h) and fields,
 *
 *     '%'  "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
 *     '{'  "{asctime} {levelname:<8} {name}: {message}"
 *     '$'  "$asctime $levelname ${name}: $message"
 *
 * with Python's conversions: for '%' the full conversion spec (flags #0- +,
 * width, .precision, conversions s r a d i u o x X e E f F g G c %); for '{'
 * the format-spec mini-language (fill, align, sign, #, 0, width, grouping
 * , and _, .precision, types b c d e E f F g G n o s x X %) and the conversions
 * !s !r !a; for '$' $name, ${name} and $$. Widths and precisions count
 * characters (UTF-8 code points), not bytes, as in Python.
 *
 * The format is checked completely when the formatter is made: a malformed
 * one is rejected with the position of the fault, never at log time, and so
 * is a conversion that cannot apply to a standard attribute (%(name)d). A name
 * that is neither an attribute nor a field of the record, nor in the
 * formatter's defaults, prints as "<name?>" instead of losing the record
 * (Python raises at log time); a field whose value does not suit the name's
 * conversion ("%(user)d" of a string) prints as "<name!>". */
#ifndef LOGTREE_FORMATTERS_H
#define LOGTREE_FORMATTERS_H

#include <stdbool.h>

#include <logtree/common.h>
#include <logtree/formatter.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Options of lt_percent_formatter_new(). Zero means the default, so
 * `(lt_percent_options){.format = "..."}` names only what differs. */
typedef struct lt_percent_options {
    const char *format;     /* NULL or "": "%(message)s" (in the chosen style) */
    const char *datefmt;    /* NULL or "": "%Y-%m-%d %H:%M:%S" plus ",mmm" */
    char style;             /* '%' (also 0), '{' or '$' */
    bool utc;               /* asctime in UTC instead of local time */
    const lt_field *defaults; /* values for names a record lacks (Python 3.10's
                                 defaults=); copied. A record's own field wins. */
    size_t ndefaults;
} lt_percent_options;

/**
 * Make a formatter like Python's logging.Formatter(format, datefmt, style).
 *
 * @opts may be NULL for all defaults; its strings are copied. Python's
 * validation applies (a format must use at least one field), and more: see
 * the top of this header.
 *
 * Returns: 0 and *@ret set (one reference, yours); LT_EFORMAT with @err
 * naming the column of the fault (line 0, file empty) for a malformed format;
 * LT_EINVAL for an unknown style; LT_ENOMEM.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_percent_formatter_new(lt_formatter **ret, const lt_percent_options *opts,
                                    lt_error *err);

#ifdef __cplusplus
}
#endif

#endif /* LOGTREE_FORMATTERS_H */
