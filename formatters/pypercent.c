/* formatters/pypercent.c - one conversion of Python's '%' operator,
 * "%(name)-+#08.3x" % record: which value types each conversion takes
 * (checked when a format is compiled, for the attributes whose type is
 * known) and how it renders them, after CPython's PyUnicode_Format(). */
#include <math.h>
#include <string.h>

#include "pyformat.h"

static bool is_intlike(lt_value_type type)
{
    return type == LT_VALUE_INT || type == LT_VALUE_UINT || type == LT_VALUE_BOOL;
}

const char *lt__py_percent_check(const lt__pyspec *spec, lt_value_type type)
{
    switch (spec->type) {
    case 's':
    case 'r':
    case 'a':
        return NULL;
    case 'c':
        if (is_intlike(type) || type == LT_VALUE_STRING)
            return NULL;
        return "%c requires an int or a unicode character";
    case 'o':
    case 'x':
    case 'X':
        return is_intlike(type) ? NULL : "an integer is required";
    case 'd':
    case 'i':
    case 'u':
        return is_intlike(type) || type == LT_VALUE_DOUBLE ? NULL : "a real number is required";
    default:
        return is_intlike(type) || type == LT_VALUE_DOUBLE ? NULL : "must be real number";
    }
}

static void put_text(lt_buf *out, const lt__pyspec *s, const lt__pytext *t, int precision)
{
    lt__pytext_pad(out, t, precision, s->width, s->left ? '<' : '>', " ", 1);
}

/* %c: an int that is a code point, or a string of one character. */
static int put_char(lt_buf *out, const lt__pyspec *s, const lt_value *v)
{
    char buf[4];
    uint32_t cp;
    lt__pytext t;

    if (v->type == LT_VALUE_STRING) {
        if (!v->as.s.len || lt__utf8_next(v->as.s.ptr, v->as.s.len, &cp) != v->as.s.len)
            return -1;
        lt__pytext_init(&t, v->as.s.ptr, v->as.s.len, 's');
    } else {
        bool neg;
        uint64_t x;

        /* Python raises past U+10FFFF and makes a lone surrogate of
         * U+D800..U+DFFF, which no UTF-8 output can carry */
        if (!lt__py_int_parts(v, &neg, &x) || neg || x > 0x10ffff || (x >= 0xd800 && x <= 0xdfff))
            return -1;
        lt__pytext_init(&t, buf, lt__utf8_encode((uint32_t)x, buf), 's');
    }
    put_text(out, s, &t, -1);
    return 0;
}

/* %d of a float too large for an int64 still prints exactly: '%d' % 1e20
 * (every double that large is an integer). */
static void put_huge_float(lt_buf *out, const lt__pyspec *s, double d)
{
    lt__pyfloat f;
    lt__pynum num = {.prefix = "", .neg = d < 0};

    lt__pyfloat_format(&f, d < 0 ? -d : d, 'f', 0, 0);
    num.rest = f.text;
    num.rest_len = num.rest_chars = f.int_digits;
    if (s->precision > 0 && (size_t)s->precision > f.int_digits)
        num.zeros = (size_t)s->precision - f.int_digits;
    lt__pynum_put_percent(out, &num, s);
}

static int put_int(lt_buf *out, const lt__pyspec *s, const lt_value *v)
{
    char buf[72], *end = buf + sizeof(buf);
    lt__pynum num = {.prefix = ""};
    unsigned base = s->type == 'o' ? 8 : s->type == 'x' || s->type == 'X' ? 16 : 10;
    uint64_t mag;
    size_t n;

    if (!lt__py_int_parts(v, &num.neg, &mag)) {
        if (!isfinite(v->as.d))
            return -1; /* Python: cannot convert float infinity (NaN) to integer */
        put_huge_float(out, s, v->as.d);
        return 0;
    }
    if (s->alt && base != 10)
        num.prefix = s->type == 'o' ? "0o" : s->type == 'x' ? "0x" : "0X";
    num.rest = lt__py_utoa(mag, base, s->type == 'X', end);
    n = (size_t)(end - num.rest);
    num.rest_len = num.rest_chars = n;
    /* the precision of an int is its least number of digits */
    num.zeros = s->precision > 0 && (size_t)s->precision > n ? (size_t)s->precision - n : 0;
    lt__pynum_put_percent(out, &num, s);
    return 0;
}

static void put_float(lt_buf *out, const lt__pyspec *s, double d)
{
    lt__pyfloat f;
    lt__pynum num = {.prefix = ""};

    lt__pyfloat_format(&f, d, s->type, s->precision < 0 ? 6 : s->precision,
                       s->alt ? LT__DTSF_ALT : 0);
    num.neg = f.neg;
    num.rest = f.text;
    num.rest_len = num.rest_chars = f.len;
    num.zeros_at = f.zeros_at;
    num.zeros = f.zeros;
    lt__pynum_put_percent(out, &num, s);
}

static double as_double(const lt_value *v)
{
    switch (v->type) {
    case LT_VALUE_INT:
        return (double)v->as.i;
    case LT_VALUE_UINT:
        return (double)v->as.u;
    case LT_VALUE_BOOL:
        return v->as.b;
    default:
        return v->as.d;
    }
}

int lt__py_percent(lt_buf *out, const lt__pyspec *spec, const lt_value *v)
{
    char small[32];
    lt__pytext t;

    if (lt__py_percent_check(spec, v->type))
        return -1;
    switch (spec->type) {
    case 's':
    case 'r':
    case 'a':
        lt__py_value_text(v, spec->type, small, &t);
        put_text(out, spec, &t, spec->precision);
        return 0;
    case 'c':
        return put_char(out, spec, v);
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X':
        return put_int(out, spec, v);
    default:
        put_float(out, spec, as_double(v));
        return 0;
    }
}
