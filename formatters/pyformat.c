/* formatters/pyformat.c - str() of a record value, and format(value, spec)
 * with the '{' style's conversions: which specs a type takes (checked when a
 * format is compiled, for the attributes whose type is known) and how each
 * type renders, after CPython's Python/formatter_unicode.c. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "pyformat.h"

/* repr() of a double is at most 24 bytes ("-2.2250738585072014e-308"). */
static size_t float_repr(double d, char buf[32])
{
    lt__pyfloat f;
    size_t n = 0;

    lt__pyfloat_format(&f, d, 'r', 0, LT__DTSF_ADD_DOT_0);
    if (f.neg)
        buf[n++] = '-';
    memcpy(buf + n, f.text, f.zeros_at);
    n += f.zeros_at;
    memset(buf + n, '0', f.zeros);
    n += f.zeros;
    memcpy(buf + n, f.text + f.zeros_at, f.len - f.zeros_at);
    return n + f.len - f.zeros_at;
}

static size_t str_small(const lt_value *v, char buf[32])
{
    switch (v->type) {
    case LT_VALUE_BOOL:
        return (size_t)snprintf(buf, 32, "%s", v->as.b ? "True" : "False");
    case LT_VALUE_INT:
        return (size_t)snprintf(buf, 32, "%" PRId64, v->as.i);
    case LT_VALUE_UINT:
        return (size_t)snprintf(buf, 32, "%" PRIu64, v->as.u);
    case LT_VALUE_DOUBLE:
        return float_repr(v->as.d, buf);
    default:
        return (size_t)snprintf(buf, 32, "None");
    }
}

void lt__py_str(lt_buf *out, const lt_value *v)
{
    char small[32];

    if (v->type == LT_VALUE_STRING)
        lt__buf_put(out, v->as.s.ptr, v->as.s.len);
    else
        lt__buf_put(out, small, str_small(v, small));
}

void lt__py_value_text(const lt_value *v, char how, char small[32], lt__pytext *t)
{
    /* repr() and ascii() of numbers, bools and None are their str() */
    if (v->type == LT_VALUE_STRING)
        lt__pytext_init(t, v->as.s.ptr, v->as.s.len, how);
    else
        lt__pytext_init(t, small, str_small(v, small), 's');
}

static const char *check_str(const lt__pyspec *s)
{
    if (s->grouping)
        return "Cannot specify ',' or '_' with a str";
    if (s->type && s->type != 's')
        return "Unknown format code for object of type 'str'";
    if (s->sign)
        return "Sign not allowed in string format specifier";
    if (s->alt)
        return "Alternate form (#) not allowed in string format specifier";
    if (s->align == '=')
        return "'=' alignment not allowed in string format specifier";
    return NULL;
}

static const char *check_int(const lt__pyspec *s)
{
    if (s->type && strchr("eEfFgG%", s->type))
        return NULL; /* formatted as a float */
    if (s->type && !strchr("bcdoxXn", s->type))
        return "Unknown format code for object of type 'int'";
    if (s->precision >= 0)
        return "Precision not allowed in integer format specifier";
    if (s->type == 'c' && s->sign)
        return "Sign not allowed with integer format specifier 'c'";
    if (s->type == 'c' && s->alt)
        return "Alternate form (#) not allowed with integer format specifier 'c'";
    return NULL;
}

const char *lt__py_format_check(const lt__pyspec *spec, lt_value_type type)
{
    if (spec->conv)
        type = LT_VALUE_STRING;
    if (lt__pyspec_empty(spec))
        return NULL;
    switch (type) {
    case LT_VALUE_STRING:
        return check_str(spec);
    case LT_VALUE_DOUBLE:
        if (spec->type && !strchr("eEfFgGn%", spec->type))
            return "Unknown format code for object of type 'float'";
        return NULL;
    case LT_VALUE_NULL:
        return "unsupported format string passed to NoneType.__format__";
    default:
        return check_int(spec);
    }
}

static void format_float(lt_buf *out, const lt__pyspec *s, double d)
{
    lt__pyfloat f;
    lt__pynum num = {.prefix = "", .group = s->grouping ? 3 : 0};
    unsigned flags = s->alt ? LT__DTSF_ALT : 0;
    int precision = s->precision, fallback = 6;
    char code = s->type;

    if (!code) {
        /* repr(), or with a precision 'g' that keeps a ".0" */
        flags |= LT__DTSF_ADD_DOT_0;
        code = precision < 0 ? 'r' : 'g';
        fallback = 0;
    } else if (code == 'n') {
        code = 'g';
    } else if (code == '%') {
        code = 'f';
        d *= 100;
    }
    lt__pyfloat_format(&f, d, code, precision < 0 ? fallback : precision, flags);
    if (s->type == '%')
        f.text[f.len++] = '%';
    num.neg = f.neg;
    num.digits = f.text;
    num.ndigits = f.int_digits;
    num.rest = f.text + f.int_digits;
    num.rest_len = num.rest_chars = f.len - f.int_digits;
    num.zeros_at = f.zeros_at - f.int_digits;
    num.zeros = f.zeros;
    lt__pynum_put(out, &num, s);
}

static unsigned base_of(char type)
{
    switch (type) {
    case 'b':
        return 2;
    case 'o':
        return 8;
    case 'x':
    case 'X':
        return 16;
    default:
        return 10;
    }
}

static int format_int(lt_buf *out, const lt__pyspec *s, bool neg, uint64_t mag)
{
    char buf[72], *end = buf + sizeof(buf);
    lt__pynum num = {.neg = neg, .prefix = ""};
    unsigned base = base_of(s->type);

    if (s->type == 'c') {
        if (neg || mag > 0x10ffff || (mag >= 0xd800 && mag <= 0xdfff))
            return -1; /* Python raises, or makes a lone surrogate */
        num.rest = buf;
        num.rest_len = lt__utf8_encode((uint32_t)mag, buf);
        num.rest_chars = 1;
        num.zeros_at = num.rest_len;
        lt__pynum_put(out, &num, s);
        return 0;
    }
    if (s->alt && base != 10)
        num.prefix = s->type == 'b' ? "0b" : s->type == 'o' ? "0o" : s->type == 'x' ? "0x" : "0X";
    num.digits = lt__py_utoa(mag, base, s->type == 'X', end);
    num.ndigits = (size_t)(end - num.digits);
    num.rest = "";
    if (s->grouping)
        num.group = s->grouping == '_' && base != 10 ? 4 : 3;
    lt__pynum_put(out, &num, s);
    return 0;
}

static int format_number(lt_buf *out, const lt__pyspec *s, const lt_value *v)
{
    bool neg;
    uint64_t mag;

    if (v->type == LT_VALUE_DOUBLE) {
        format_float(out, s, v->as.d);
        return 0;
    }
    lt__py_int_parts(v, &neg, &mag);
    if (s->type && strchr("eEfFgG%", s->type)) {
        format_float(out, s, neg ? -(double)mag : (double)mag);
        return 0;
    }
    return format_int(out, s, neg, mag);
}

int lt__py_format(lt_buf *out, const lt__pyspec *spec, const lt_value *v)
{
    char small[32];
    lt__pytext t;

    if (lt__py_format_check(spec, v->type))
        return -1;
    if (lt__pyspec_empty(spec) && !spec->conv) {
        lt__py_str(out, v);
        return 0;
    }
    if (spec->conv || v->type == LT_VALUE_STRING) {
        lt__py_value_text(v, spec->conv ? spec->conv : 's', small, &t);
        lt__pytext_pad(out, &t, spec->precision, spec->width, spec->align ? spec->align : '<',
                       spec->fill_len ? spec->fill
                       : spec->zero   ? "0"
                                      : " ",
                       spec->fill_len ? spec->fill_len : 1);
        return 0;
    }
    return format_number(out, spec, v);
}
