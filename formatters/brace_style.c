/* formatters/brace_style.c - the '{' style, "{levelname:<8} {message!r}":
 * fields found as str.format() finds them (MarkupIterator in CPython's
 * Objects/stringlib/unicode_format.h), "{{" and "}}" for braces. Names must
 * be plain: logtree has no positional arguments ({0}, {}) and its values
 * have no attributes or items ({a.b}, {a[0]}); nested fields in a spec
 * ({message:>{width}}) are refused too. */
#include <string.h>

#include "percent.h"

static bool is_word(char c)
{
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (unsigned char)c >= 0x80;
}

static int check_name(const char *format, size_t at, size_t start, size_t end, lt_error *err)
{
    const char *name = format + start;
    int len = (int)(end - start);
    size_t digits = strspn(name, "0123456789");

    if (!len)
        return lt__format_error(err, at,
                                "an empty field '{}' is positional, and logtree has "
                                "no positional arguments: name the field");
    if (digits >= (size_t)len)
        return lt__format_error(err, at,
                                "'{%.*s}' is positional, and logtree has no "
                                "positional arguments: name the field",
                                len, name);
    for (int i = 0; i < len; i++) {
        if (name[i] == '.' || name[i] == '[')
            return lt__format_error(err, at, "'%.*s': record values have no %s", len, name,
                                    name[i] == '.' ? "attributes" : "items");
        if (name[i] == '{')
            return lt__format_error(err, at, "unexpected '{' in field name");
        if (!is_word(name[i]))
            return lt__format_error(err, at, "invalid field name '%.*s'", len, name);
    }
    return 0;
}

/* The '}' that closes the field opened at format[at], counting nested
 * braces as Python does. Returns: its offset, or 0 if there is none. */
static size_t field_end(const char *format, size_t at)
{
    int depth = 1;

    for (size_t p = at + 1; format[p]; p++) {
        if (format[p] == '{')
            depth++;
        else if (format[p] == '}' && --depth == 0)
            return p;
    }
    return 0;
}

/* "!r" and the like at format[*p], up to @end. */
static int read_conversion(const char *format, size_t at, size_t *p, size_t end, char *conv,
                           lt_error *err)
{
    uint32_t cp;
    size_t n;

    if (*p + 1 >= end)
        return lt__format_error(err, at, "end of field while looking for conversion specifier");
    n = lt__utf8_next(format + *p + 1, end - *p - 1, &cp);
    if (*p + 1 + n < end && format[*p + 1 + n] != ':')
        return lt__format_error(err, at, "expected ':' after conversion specifier");
    if (cp != 'r' && cp != 's' && cp != 'a')
        return lt__format_error(err, at, "invalid conversion: '%.*s' (use !r, !s or !a)", (int)n,
                                format + *p + 1);
    *conv = (char)cp;
    *p += 1 + n;
    return 0;
}

static int field(lt__program *prog, const char *format, size_t *pos, lt_error *err)
{
    size_t at = *pos, end = field_end(format, at), p = at + 1, name_end, spec_at;
    lt__pyspec spec;
    const char *why;

    if (!end)
        return lt__format_error(err, at, "expected '}' before end of string");
    while (p < end && format[p] != '!' && format[p] != ':')
        p++;
    name_end = p;
    lt__pyspec_init(&spec);
    if (check_name(format, at, at + 1, p, err) < 0 ||
        (format[p] == '!' && read_conversion(format, at, &p, end, &spec.conv, err) < 0))
        return LT_EFORMAT;
    spec_at = p < end ? p + 1 : end;
    if (memchr(format + spec_at, '{', end - spec_at))
        return lt__format_error(err, at,
                                "'%.*s': nested fields in a format spec are not "
                                "supported",
                                (int)(end + 1 - at), format + at);
    why = lt__pyspec_parse(format + spec_at, end - spec_at, &spec);
    if (why)
        return lt__format_error(err, at, "bad specifier '%.*s': %s", (int)(end - spec_at),
                                format + spec_at, why);
    *pos = end + 1;
    return lt__program_add_field(prog, format, at, end + 1, format + at + 1, name_end - at - 1,
                                 &spec, err);
}

int lt__parse_brace(lt__program *prog, const char *format, lt_error *err)
{
    size_t i = 0, lit = 0;
    int r;

    while (format[i]) {
        char c = format[i];

        if (c != '{' && c != '}') {
            i++;
            continue;
        }
        if (format[i + 1] == c) { /* "{{" or "}}": the first brace is literal text */
            if ((r = lt__program_add_text(prog, format + lit, i + 1 - lit)) < 0)
                return r;
            i += 2;
            lit = i;
            continue;
        }
        if (c == '}' || !format[i + 1])
            return lt__format_error(err, i, "Single '%c' encountered in format string", c);
        if ((r = lt__program_add_text(prog, format + lit, i - lit)) < 0 ||
            (r = field(prog, format, &i, err)) < 0)
            return r;
        lit = i;
    }
    return lt__program_add_text(prog, format + lit, i - lit);
}
