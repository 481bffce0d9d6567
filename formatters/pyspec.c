/* formatters/pyspec.c - reading format()'s mini-language,
 * [[fill]align][sign][#][0][width][grouping][.precision][type], once, when a
 * format is compiled. It accepts what logging.Formatter's validation pattern
 * accepts (so no 'z', no nested "{width}") and reads it as CPython's
 * parse_internal_render_format_spec() does. */
#include <string.h>

#include "pyformat.h"

void lt__pyspec_init(lt__pyspec *spec)
{
    memset(spec, 0, sizeof(*spec));
    spec->width = -1;
    spec->precision = -1;
}

bool lt__pyspec_empty(const lt__pyspec *s)
{
    return s->width < 0 && s->precision < 0 && !s->type && !s->align && !s->sign && !s->grouping &&
           !s->alt && !s->zero && !s->fill_len;
}

static bool is_align(char c)
{
    return c == '<' || c == '>' || c == '^' || c == '=';
}

/* The decimal number at s[*pos..len) into *ret, -1 if there is none.
 * Returns: false if it is above LT__PYSPEC_MAX. */
static bool read_number(const char *s, size_t len, size_t *pos, int *ret)
{
    long long v = -1;

    for (; *pos < len && s[*pos] >= '0' && s[*pos] <= '9'; (*pos)++) {
        v = (v < 0 ? 0 : v * 10) + (s[*pos] - '0');
        if (v > LT__PYSPEC_MAX)
            return false;
    }
    *ret = (int)v;
    return true;
}

static size_t read_fill_align(const char *s, size_t len, lt__pyspec *spec)
{
    uint32_t cp;
    size_t n = lt__utf8_next(s, len, &cp);

    /* the pattern's '.' takes any character but a newline */
    if (n < len && is_align(s[n]) && cp != '\n') {
        memcpy(spec->fill, s, n);
        spec->fill_len = (unsigned char)n;
        spec->align = s[n];
        return n + 1;
    }
    if (is_align(s[0])) {
        spec->align = s[0];
        return 1;
    }
    return 0;
}

/* CPython allows ',' and '_' with these types only, '_' in b o x X too. */
static const char *check_grouping(const lt__pyspec *spec)
{
    if (!spec->grouping || !spec->type || strchr("deEfFgG%", spec->type))
        return NULL;
    if (spec->grouping == '_' && strchr("boxX", spec->type))
        return NULL;
    return spec->grouping == ',' ? "Cannot specify ',' with this format code"
                                 : "Cannot specify '_' with this format code";
}

const char *lt__pyspec_parse(const char *s, size_t len, lt__pyspec *spec)
{
    char conv = spec->conv;
    size_t pos;

    lt__pyspec_init(spec);
    spec->conv = conv;
    if (!len)
        return NULL;
    pos = read_fill_align(s, len, spec);
    if (pos < len && (s[pos] == '+' || s[pos] == '-' || s[pos] == ' '))
        spec->sign = s[pos++];
    if (pos < len && s[pos] == '#') {
        spec->alt = true;
        pos++;
    }
    /* after an explicit fill a '0' starts the width, as in CPython */
    if (pos < len && s[pos] == '0' && !spec->fill_len) {
        spec->zero = true;
        pos++;
    }
    if (!read_number(s, len, &pos, &spec->width))
        return "Too many decimal digits in format string";
    if (pos < len && (s[pos] == ',' || s[pos] == '_'))
        spec->grouping = s[pos++];
    if (pos < len && (s[pos] == ',' || s[pos] == '_'))
        return "Cannot specify both ',' and '_'";
    if (pos < len && s[pos] == '.') {
        pos++;
        if (!read_number(s, len, &pos, &spec->precision))
            return "Too many decimal digits in format string";
        if (spec->precision < 0)
            return "Format specifier missing precision";
    }
    if (len - pos > 1)
        return "Invalid format specifier";
    if (pos < len)
        spec->type = s[pos];
    /* the pattern's [bcdefgnosx%] ignores case, but only E F G X are types */
    if (spec->type && !strchr("bcdeEfFgGnosxX%", spec->type))
        return "Unknown format code";
    return check_grouping(spec);
}
