/* formatters/pynumber.c - where the sign, the prefix, the padding and the
 * digit groups of a number go. format() and the '%' operator lay numbers
 * out differently, each as CPython does (calc_number_widths() in
 * Python/formatter_unicode.c; unicode_format_arg_output() in
 * Objects/unicodeobject.c); both are here so that they can be compared. */
#include <string.h>

#include "buf.h"
#include "pyformat.h"

char *lt__py_utoa(uint64_t mag, unsigned base, bool upper, char *end)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";

    do {
        *--end = digits[mag % base];
        mag /= base;
    } while (mag);
    return end;
}

bool lt__py_int_parts(const lt_value *v, bool *neg, uint64_t *mag)
{
    int64_t i = v->type == LT_VALUE_INT ? v->as.i : 0;

    if (v->type == LT_VALUE_DOUBLE) {
        if (!(v->as.d > -9.2e18 && v->as.d < 9.2e18))
            return false;
        i = (int64_t)v->as.d;
    }
    *neg = i < 0;
    *mag = v->type == LT_VALUE_BOOL   ? v->as.b
           : v->type == LT_VALUE_UINT ? v->as.u
           : *neg                     ? 0 - (uint64_t)i
                                      : (uint64_t)i;
    return true;
}

/* Python's InsertThousandsGrouping() counting pass: how many digits,
 * leading zeros included, the number shows so that with its separators it
 * fills @min_width (zero padding of "=" alignment happens inside the groups:
 * format(1234, "010,") is "00,001,234"). */
static size_t grouped_digits(size_t ndigits, long min_width, unsigned group)
{
    long remaining = (long)ndigits, total = 0;

    if (!group)
        return (size_t)(remaining > min_width ? remaining : min_width > 1 ? min_width : 1);
    for (;;) {
        long want = remaining > min_width ? remaining : min_width;
        long len = want < 1 ? 1 : want < (long)group ? want : (long)group;

        total += len;
        remaining -= remaining < len ? remaining : len;
        min_width -= len;
        if (remaining <= 0 && min_width <= 0)
            return (size_t)total;
        min_width--; /* the separator */
    }
}

static void put_grouped(lt_buf *out, const lt__pynum *num, size_t total, char sep)
{
    size_t pad = total - num->ndigits;

    if (!num->group) {
        lt__py_fill(out, "0", 1, pad);
        lt__buf_put(out, num->digits, num->ndigits);
        return;
    }
    for (size_t i = 0; i < total; i++) {
        if (i && (total - i) % num->group == 0)
            lt__buf_putc(out, sep);
        lt__buf_putc(out, i < pad ? '0' : num->digits[i - pad]);
    }
}

static void put_rest(lt_buf *out, const lt__pynum *num)
{
    lt__buf_put(out, num->rest, num->zeros_at);
    lt__py_fill(out, "0", 1, num->zeros);
    lt__buf_put(out, num->rest + num->zeros_at, num->rest_len - num->zeros_at);
}

static char sign_of(const lt__pynum *num, char flag)
{
    if (num->neg)
        return '-';
    return flag == '+' || flag == ' ' ? flag : 0;
}

void lt__pynum_put(lt_buf *out, const lt__pynum *num, const lt__pyspec *spec)
{
    const char *fill = spec->fill_len ? spec->fill : spec->zero ? "0" : " ";
    size_t fill_len = spec->fill_len ? spec->fill_len : 1;
    char align = spec->align ? spec->align : spec->zero && !spec->fill_len ? '=' : '>';
    char sign = sign_of(num, spec->sign);
    size_t prefix_len = strlen(num->prefix), digits = 0, seps = 0, lpad = 0, spad = 0, rpad = 0;
    long other = (sign != 0) + (long)(prefix_len + num->rest_chars + num->zeros), pad;
    bool zero_fill = fill_len == 1 && fill[0] == '0' && align == '=';

    if (num->ndigits) {
        digits = grouped_digits(num->ndigits, zero_fill ? spec->width - other : 0, num->group);
        seps = num->group ? (digits - 1) / num->group : 0;
    }
    pad = spec->width - other - (long)(digits + seps);
    if (pad > 0 && align == '<')
        rpad = (size_t)pad;
    else if (pad > 0 && align == '^')
        lpad = (size_t)pad / 2, rpad = (size_t)pad - lpad;
    else if (pad > 0 && align == '=')
        spad = (size_t)pad;
    else if (pad > 0)
        lpad = (size_t)pad;
    lt__py_fill(out, fill, fill_len, lpad);
    if (sign)
        lt__buf_putc(out, sign);
    lt__buf_put(out, num->prefix, prefix_len);
    lt__py_fill(out, fill, fill_len, spad);
    if (digits)
        put_grouped(out, num, digits, spec->grouping);
    put_rest(out, num);
    lt__py_fill(out, fill, fill_len, rpad);
}

/* The '%' operator counts in a width that the sign and the prefix share
 * with the digits, and pads with '0' between them and the digits, or with
 * spaces in front of all of them. */
void lt__pynum_put_percent(lt_buf *out, const lt__pynum *num, const lt__pyspec *spec)
{
    char sign = sign_of(num, spec->sign), fill = spec->zero ? '0' : ' ';
    size_t prefix_len = strlen(num->prefix);
    long len = (long)(prefix_len + num->ndigits + num->rest_chars + num->zeros);
    long width = spec->width > len ? spec->width : len;

    if (sign && fill == '0')
        lt__buf_putc(out, sign);
    if (sign && width > len)
        width--;
    if (prefix_len && fill == '0')
        lt__buf_put(out, num->prefix, prefix_len);
    width = width - (long)prefix_len < 0 ? 0 : width - (long)prefix_len;
    len -= (long)prefix_len;
    if (width > len && !spec->left) {
        lt__py_fill(out, &fill, 1, (size_t)(width - len));
        width = len;
    }
    if (sign && fill == ' ')
        lt__buf_putc(out, sign);
    if (prefix_len && fill == ' ')
        lt__buf_put(out, num->prefix, prefix_len);
    lt__buf_put(out, num->digits, num->ndigits);
    put_rest(out, num);
    if (width > len)
        lt__py_fill(out, " ", 1, (size_t)(width - len));
}
