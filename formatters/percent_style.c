/* formatters/percent_style.c - the '%' style, "%(levelname)-8s": a
 * conversion is '%', a (name), flags #0- +, a width, a .precision, a length
 * modifier h l L that Python ignores, and one of d i o u x X e E f F g G c
 * r s a; "%%" is a percent sign; the rest is literal text. What Python
 * accepts only to fail on every record (a '*' width, "%s" without a name,
 * "%(name)%") is refused here, with its column. */
#include <string.h>

#include "percent.h"

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Python's \w; any non-ASCII byte passes, being likely part of a letter. */
static bool is_word(char c)
{
    return c == '_' || is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (unsigned char)c >= 0x80;
}

/* A number at format[*pos] into *ret (-1 if none). Returns: false if too big. */
static bool read_number(const char *format, size_t *pos, int *ret)
{
    long long v = -1;

    for (; is_digit(format[*pos]); (*pos)++) {
        v = (v < 0 ? 0 : v * 10) + (format[*pos] - '0');
        if (v > LT__PYSPEC_MAX)
            return false;
    }
    *ret = (int)v;
    return true;
}

static void set_flag(lt__pyspec *spec, char flag)
{
    if (flag == '-')
        spec->left = true;
    else if (flag == '+')
        spec->sign = '+';
    else if (flag == ' ' && spec->sign != '+')
        spec->sign = ' ';
    else if (flag == '#')
        spec->alt = true;
    else if (flag == '0')
        spec->zero = true;
}

static int bad_char(const char *format, size_t at, size_t p, lt_error *err)
{
    uint32_t cp;
    size_t n = lt__utf8_next(format + p, strlen(format + p), &cp);

    return lt__format_error(err, at, "unsupported format character '%.*s' in '%.*s'", (int)n,
                            format + p, (int)(p + n - at), format + at);
}

/* What follows "%(name)": flags, width, precision, conversion. */
static int read_spec(const char *format, size_t at, size_t *pos, lt__pyspec *spec, lt_error *err)
{
    size_t p = *pos;

    for (; format[p] && strchr("-+ #0", format[p]); p++)
        set_flag(spec, format[p]);
    if (format[p] == '*' || (format[p] == '.' && format[p + 1] == '*'))
        return lt__format_error(err, at,
                                "a '*' width or precision takes an argument, and "
                                "records have none: write the number");
    if (!read_number(format, &p, &spec->width))
        return lt__format_error(err, at, "width too big");
    if (format[p] == '.') {
        p++;
        if (!read_number(format, &p, &spec->precision))
            return lt__format_error(err, at, "precision too big");
        if (spec->precision < 0)
            spec->precision = 0; /* "%(name).s": Python reads no digits as 0 */
    }
    if (format[p] == 'h' || format[p] == 'l' || format[p] == 'L')
        p++;
    if (!format[p])
        return lt__format_error(err, at, "incomplete format: '%s' ends without a conversion",
                                format + at);
    if (!strchr("diouxXeEfFgGcrsa", format[p]))
        return bad_char(format, at, p, err);
    spec->type = format[p];
    *pos = p + 1;
    return 0;
}

static int unnamed(const char *format, size_t at, lt_error *err)
{
    if (!format[at + 1])
        return lt__format_error(err, at,
                                "incomplete format: a '%%' ends the format "
                                "(write '%%%%' for a percent sign)");
    return lt__format_error(err, at,
                            "a '%%' without a (name): fields are named, as in "
                            "'%%(message)s'; write '%%%%' for a percent sign");
}

static int conversion(lt__program *prog, const char *format, size_t *pos, lt_error *err)
{
    size_t at = *pos, p = at + 2, name = p, name_len;
    lt__pyspec spec;
    int depth = 1;

    if (format[at + 1] != '(')
        return unnamed(format, at, err);
    /* a key runs to the ')' that balances its '(', as in Python */
    for (; format[p] && depth; p++)
        depth += format[p] == '(' ? 1 : format[p] == ')' ? -1 : 0;
    if (depth)
        return lt__format_error(err, at, "incomplete format key: '%%(' without its ')'");
    name_len = p - 1 - name;
    if (!name_len)
        return lt__format_error(err, at, "empty field name in '%%()'");
    lt__pyspec_init(&spec);
    if (read_spec(format, at, &p, &spec, err) < 0)
        return LT_EFORMAT;
    *pos = p;
    return lt__program_add_field(prog, format, at, p, format + name, name_len, &spec, err);
}

int lt__parse_percent(lt__program *prog, const char *format, lt_error *err)
{
    size_t i = 0, lit = 0;
    int r;

    while (format[i]) {
        if (format[i] != '%') {
            i++;
        } else if (format[i + 1] == '%') {
            /* the first '%' ends the literal text, the second is skipped */
            if ((r = lt__program_add_text(prog, format + lit, i + 1 - lit)) < 0)
                return r;
            i += 2;
            lit = i;
        } else {
            if ((r = lt__program_add_text(prog, format + lit, i - lit)) < 0 ||
                (r = conversion(prog, format, &i, err)) < 0)
                return r;
            lit = i;
        }
    }
    return lt__program_add_text(prog, format + lit, i - lit);
}

/* One match of Python's validation pattern at format[i] (a '%'). */
static bool validates_at(const char *format, size_t i)
{
    size_t p = i + 2;

    if (format[i + 1] != '(')
        return false;
    while (is_word(format[p]))
        p++;
    if (p == i + 2 || format[p++] != ')')
        return false;
    while (format[p] && strchr("#0+ -", format[p]))
        p++;
    if (format[p] == '*')
        p++;
    else
        while (is_digit(format[p]))
            p++;
    if (format[p] == '.' && (format[p + 1] == '*' || is_digit(format[p + 1]))) {
        p += 2;
        while (format[p - 1] != '*' && is_digit(format[p]))
            p++;
    }
    return format[p] && strchr("diouxefgcrsa%DIOUXEFGCRSA", format[p]);
}

bool lt__percent_validates(const char *format)
{
    for (const char *p = strchr(format, '%'); p; p = strchr(p + 1, '%'))
        if (validates_at(format, (size_t)(p - format)))
            return true;
    return false;
}
