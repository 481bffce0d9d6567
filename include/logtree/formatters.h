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

/* Options of lt_access_formatter_new(). Zero means the default. */
typedef struct lt_access_options {
    const char *format; /* "combined" (also NULL or ""), "common", or a LogFormat pattern */
    bool utc;           /* %t and %{format}t in UTC instead of local time */
} lt_access_options;

/**
 * Make a formatter that writes access-log lines as Apache's mod_log_config
 * does, from the fields of each record: a `LogFormat` pattern, or one of the
 * presets "common" (`%h %l %u %t "%r" %>s %b`) and "combined" (common, then
 * `"%{Referer}i" "%{User-Agent}i"`; nginx's combined has the same layout but
 * prints 0 for an empty body where Apache's `%b` prints "-").
 *
 * The directives read fields of fixed names, so that any program can feed
 * them: `%h` `%a` remote_addr, `%A` local_addr, `%l` ident, `%u` remote_user,
 * `%m` method, `%U` path, `%q` query (as "?query"; nothing when missing),
 * `%H` protocol, `%r` request if present, else "method path?query protocol"
 * from those fields, `%s` `%>s` status, `%b` `%B` bytes (`%b` prints "-" for
 * 0), `%D` duration_us, `%T` duration_us in whole seconds (`%{ms}T`,
 * `%{us}T`, `%{s}T` in that unit), `%v` `%V` host, `%p` server_port,
 * `%{remote}p` remote_port, `%{Name}i` the request header Name as the field
 * "header.name" (lower case), except `%{Referer}i` referer and
 * `%{User-Agent}i` user_agent (then header.referer, header.user-agent),
 * `%{Name}o` the response header as "resp_header.name", `%{name}x` any field
 * or record attribute by its name, `%P` `%{pid}P` the process id, `%{tid}P`
 * the thread. `%t` is the record's time as "[10/Oct/2000:13:55:36 -0700]",
 * `%{format}t` its strftime(format), and `%{sec}t` `%{msec}t` `%{usec}t`
 * `%{msec_frac}t` `%{usec_frac}t` as in Apache ("begin:" and "end:" prefixes
 * are accepted and ignored: a record has one time). `%%` is a percent sign;
 * literal text may use `\n` `\t` `\r` `\\`. Apache's conditions work:
 * `%400,501{User-Agent}i` prints the field only for those statuses,
 * `%!200,304r` for all others, "-" otherwise; `<` and `>` are accepted.
 *
 * A missing or null field prints "-" (an empty remote_user prints `""`, as
 * in Apache). Strings are escaped as Apache's ap_escape_logitem() escapes
 * them, so that no value can end a quoted field or forge a line: `\"`, `\\`,
 * `\b` `\n` `\r` `\t` `\v`, and `\xhh` for any other byte below 0x20, 0x7f,
 * every byte above it (UTF-8 too, as Apache does) and NUL. Integers print in
 * decimal, floats as Python's repr(), booleans as true and false.
 *
 * @opts may be NULL for all defaults; its strings are copied.
 *
 * Returns: 0 and *@ret set (one reference, yours); LT_EFORMAT with @err
 * naming the column of the fault (line 0, file empty) for a malformed
 * pattern or an unknown directive; LT_ENOMEM.
 * Threads: any thread; the formatter formats on any number at once.
 * Since: 0.1
 */
LT_API int lt_access_formatter_new(lt_formatter **ret, const lt_access_options *opts,
                                   lt_error *err);

/* ---- structured output: JSON Lines and logfmt ----
 *
 * Both print a record as keys and typed values, and choose what to print the
 * same way:
 *
 * attributes  which record attributes come first, in order: a comma-separated
 *             list of their Python names (record.h: "levelname", "name",
 *             "message", "created", "lineno", ...) plus two the formatters
 *             make: "time", the creation time in RFC 3339 with microseconds
 *             and the UTC offset (2026-11-27T18:12:13.123456+05:30, or
 *             ...13.123456Z with utc), and "asctime", Python's
 *             Formatter.formatTime() with datefmt (lt_format_time()). Spaces
 *             around names are ignored; a name listed twice is an error.
 *             NULL: "time,levelname,name,message". "": no attributes.
 * rename      the key each attribute is printed under, as "old:new" pairs,
 *             comma-separated ("levelname:level,name:logger"); attributes not
 *             renamed keep their Python name. A new key is any UTF-8 without
 *             spaces, control characters, '=', '"', '\', ',', ':', U+2028,
 *             U+2029 or U+FFFD.
 *             Giving rename replaces the formatter's default renames
 *             (JSON: levelname:level,name:logger; logfmt: the same plus
 *             message:msg); "" renames nothing.
 * fields      after the attributes come errno and strerror, when the record
 *             has an errno (LT_ERRNO()) and neither is listed, then the
 *             record's fields in their order, each under its own key, unless
 *             omit_fields. A field whose key is also the key of an attribute
 *             the formatter prints (after renaming: a field "level", say) is
 *             printed under its key with '_' in front ("_level"), more '_'
 *             while that key too is taken by an attribute or another field:
 *             no key is ever printed twice, and no value is lost.
 *
 * Values keep their types: integers print exactly in the full 64-bit range,
 * doubles as Python's repr() (the shortest text that reads back as the same
 * double: 0.1, 12.0, 1e+16), bools as true and false. Text is UTF-8: each
 * maximal invalid sequence (a stray continuation byte, an overlong form, an
 * encoded surrogate, a sequence cut short) becomes one U+FFFD, as Python's
 * bytes.decode("utf-8", "replace") does; NUL bytes inside strings with a
 * length are kept (escaped). Keys need no quoting: the keys of attributes are
 * checked when the formatter is made, and field keys follow record.h's rules,
 * except that record.h does not require their non-ASCII bytes to be UTF-8:
 * bytes that are not print as U+FFFD in JSON and as '_' in logfmt. */

/* The letter case of the level name (levelname) in structured output. */
typedef enum lt_level_case {
    LT_LEVEL_CASE_DEFAULT = 0, /* the formatter's own: JSON keeps, logfmt lowers */
    LT_LEVEL_CASE_KEEP,        /* as lt_record_levelname(): "INFO", "Level 35" */
    LT_LEVEL_CASE_LOWER,       /* ASCII letters lowered: "info", "level 35" */
    LT_LEVEL_CASE_UPPER        /* ASCII letters raised: "INFO", "LEVEL 35" */
} lt_level_case;

/* Options of lt_json_formatter_new(). Zero means the default. */
typedef struct lt_json_options {
    const char *attributes;   /* NULL: "time,levelname,name,message"; see above */
    const char *rename;       /* NULL: "levelname:level,name:logger"; "": none */
    const char *datefmt;      /* asctime's strftime format; NULL or "": Python's */
    lt_level_case level_case; /* default: as the record has it ("INFO") */
    bool utc;                 /* time and asctime in UTC instead of local time */
    bool omit_fields;         /* print the attributes only, not the record's fields */
} lt_json_options;

/**
 * Make a formatter that prints each record as one JSON object (JSON Lines).
 *
 * By default: {"time":"2026-11-27T18:12:13.123456+05:30","level":"INFO",
 * "logger":"app.db","message":"user logged in","uid":42,"admin":true}, the
 * keys and their order chosen as the top of this section says. The object
 * has no newline in it (the handler ends the line) and is valid RFC 8259
 * for any record: '"', '\', every control character (U+0000-U+001F, U+007F,
 * U+0080-U+009F) and U+2028, U+2029 are escaped (\n, \u0000, ...; the
 * escaped line is also valid JavaScript), invalid UTF-8 becomes \ufffd.
 * Doubles that JSON cannot hold print as the strings "NaN", "Infinity" and
 * "-Infinity"; null fields as null. @opts may be NULL for all defaults; its
 * strings are copied.
 *
 * Returns: 0 and *@ret set (one reference, yours); LT_EINVAL with @err saying
 * why for an unknown attribute name, a malformed rename, a key that is not
 * allowed or two attributes that would print under one key; LT_ENOMEM.
 * Threads: any thread; the formatter formats on any number at once.
 * Since: 0.1
 */
LT_API int lt_json_formatter_new(lt_formatter **ret, const lt_json_options *opts, lt_error *err);

/* Options of lt_logfmt_formatter_new(). Zero means the default. */
typedef struct lt_logfmt_options {
    const char *attributes;   /* NULL: "time,levelname,name,message"; see above */
    const char *rename;       /* NULL: "levelname:level,name:logger,message:msg" */
    const char *datefmt;      /* asctime's strftime format; NULL or "": Python's */
    lt_level_case level_case; /* default: lowered ("info") */
    bool utc;                 /* time and asctime in UTC instead of local time */
    bool omit_fields;         /* print the attributes only, not the record's fields */
} lt_logfmt_options;

/**
 * Make a formatter that prints each record as one logfmt line.
 *
 * By default: time=2026-11-27T18:12:13.123456+05:30 level=info logger=app.db
 * msg="user logged in" uid=42 admin=true, the keys and their order chosen as
 * the top of this section says, pairs separated by one space. A value is
 * quoted exactly when it must be: when it is empty, or holds a space, '=',
 * '"', '\', a control character (U+0000-U+001F, U+007F, U+0080-U+009F) or
 * invalid UTF-8; inside quotes '"' and '\' are escaped with '\', newline,
 * carriage return and tab as \n \r \t, other control characters as
 * \u00XX, as Go's logfmt encoder (github.com/go-logfmt/logfmt) writes them,
 * and invalid UTF-8 becomes U+FFFD (unescaped). A null value prints as
 * nothing (key=), an empty string as key="", bools as true and false,
 * numbers bare; doubles that are not finite as NaN, +Inf and -Inf (Go's
 * spelling). The line has no newline in it. @opts may be NULL for all
 * defaults; its strings are copied.
 *
 * Returns: 0 and *@ret set (one reference, yours); LT_EINVAL with @err saying
 * why for an unknown attribute name, a malformed rename, a key that is not
 * allowed or two attributes that would print under one key; LT_ENOMEM.
 * Threads: any thread; the formatter formats on any number at once.
 * Since: 0.1
 */
LT_API int lt_logfmt_formatter_new(lt_formatter **ret, const lt_logfmt_options *opts,
                                   lt_error *err);

#ifdef __cplusplus
}
#endif

#endif /* LOGTREE_FORMATTERS_H */
