/* formatters/pyfloat.c - a double as Python writes it: repr()'s shortest
 * round-trip digits, and the e/f/g renderings of the '%' operator and
 * format(), which differ from C's printf in their details ('.0' endings,
 * the switch to exponents, "inf" without a sign for nan).
 *
 * The digits come from the C library (printf rounds exactly, like Python's
 * dtoa), read back locale-independently; the layout around them is a port
 * of CPython's format_float_short() (Python/pystrtod.c). */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pyformat.h"

/* A double has at most 767 significant digits and none past 1074 places
 * after the point: asking printf for more only adds zeros, which the layout
 * adds itself. */
#define MAX_SIG_DIGITS  800
#define MAX_FRAC_DIGITS 1100

/* What David Gay's dtoa returns: the significant digits, no trailing zeros,
 * and the position of the decimal point relative to them. */
struct digits {
    char s[LT__PYFLOAT_MAX];
    int n;
    int decpt;
    bool neg;
};

/* Read printf's "%e" or "%f" text, whatever the locale's decimal point. */
static void read_printf(const char *p, struct digits *g)
{
    int int_digits = 0, exp = 0, lead = 0;

    g->neg = *p == '-';
    p += g->neg;
    g->n = 0;
    for (; *p >= '0' && *p <= '9'; p++, int_digits++)
        g->s[g->n++] = *p;
    while (*p && *p != 'e' && (*p < '0' || *p > '9'))
        p++;
    for (; *p >= '0' && *p <= '9'; p++)
        g->s[g->n++] = *p;
    if (*p == 'e')
        exp = atoi(p + 1);
    while (lead < g->n && g->s[lead] == '0')
        lead++;
    memmove(g->s, g->s + lead, (size_t)(g->n - lead));
    g->n -= lead;
    g->decpt = int_digits + exp - lead;
    while (g->n > 0 && g->s[g->n - 1] == '0')
        g->n--;
    if (g->n == 0) {
        g->s[g->n++] = '0';
        g->decpt = 1;
    }
}

/* Whether the @p digits of @m, times 10^(@exp - @p + 1), read back as @d:
 * if so, they become @buf (in "%e"'s shape, which read_printf() takes). */
static bool round_trips(double d, uint64_t m, int p, int exp, char buf[48])
{
    char digits[24], tmp[48];

    if (snprintf(digits, sizeof(digits), "%" PRIu64, m) != p)
        return false;
    snprintf(tmp, sizeof(tmp), "%s%se%d", d < 0 ? "-" : "", digits, exp - p + 1);
    if (strtod(tmp, NULL) != d)
        return false;
    snprintf(buf, 48, "%s%c.%se%d", d < 0 ? "-" : "", digits[0], digits + 1, exp);
    return true;
}

/* Whether some @p digits read back as @d; if so, the nearest such are left
 * in @buf. The nearest @p digits usually are the ones, but next to a power
 * of two the rounding interval is lopsided, and the digits one unit away,
 * on the far side of @d, may read back when they do not: 2**-24 is
 * 5.960464477539063e-08, not ...062e-08. No other digits can. */
static bool digits_at(double d, int p, char buf[48])
{
    struct digits near;
    uint64_t m = 0;

    snprintf(buf, 48, "%.*e", p - 1, d);
    if (strtod(buf, NULL) == d)
        return true;
    read_printf(buf, &near);
    for (int i = 0; i < p; i++)
        m = m * 10 + (uint64_t)(i < near.n ? near.s[i] - '0' : 0);
    return round_trips(d, m + 1, p, near.decpt - 1, buf) ||
           (m > 1 && round_trips(d, m - 1, p, near.decpt - 1, buf));
}

/* repr(): the fewest digits that read back as @d, the nearest to @d if
 * several do (Gay's mode 0). When some p digits read back, so do p + 1 (add
 * a zero), and 17 always do, so a binary search finds the fewest. Faster,
 * for a normal double: its rounding interval is narrower than the step of
 * 15 digits, so at most one 15-digit number reads back, and if one does,
 * it is the fewest digits followed by zeros. */
static void digits_shortest(double d, struct digits *g)
{
    char buf[48];
    int lo = 1, hi = 17;

    if (d >= DBL_MIN || d <= -DBL_MIN) {
        if (!digits_at(d, 15, buf) && !digits_at(d, 16, buf))
            digits_at(d, 17, buf);
        read_printf(buf, g);
        return;
    }
    while (lo < hi) {
        int mid = (lo + hi) / 2;

        if (digits_at(d, mid, buf))
            hi = mid;
        else
            lo = mid + 1;
    }
    digits_at(d, lo, buf);
    read_printf(buf, g);
}

/* @n significant digits ("%e") or @n digits after the point ("%f"). */
static void digits_rounded(double d, bool fixed, int n, struct digits *g)
{
    char buf[LT__PYFLOAT_MAX];

    if (fixed)
        snprintf(buf, sizeof(buf), "%.*f", n < MAX_FRAC_DIGITS ? n : MAX_FRAC_DIGITS, d);
    else
        snprintf(buf, sizeof(buf), "%.*e", (n < MAX_SIG_DIGITS ? n : MAX_SIG_DIGITS) - 1, d);
    read_printf(buf, g);
}

static void put_chars(lt__pyfloat *f, char c, long n)
{
    for (; n > 0; n--)
        f->text[f->len++] = c;
}

static void special(lt__pyfloat *f, double d, bool upper)
{
    memcpy(f->text, isnan(d) ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf"), 3);
    f->len = f->zeros_at = 3;
    f->neg = isinf(d) && d < 0;
}

/* Where the layout puts the point and how far the digits run, as
 * format_float_short() decides it. */
struct layout {
    long decpt, start, end;
    bool use_exp;
    int exp;
};

static void plan(const struct digits *g, char code, int precision, unsigned flags, struct layout *l)
{
    bool dot0 = flags & LT__DTSF_ADD_DOT_0;

    l->decpt = g->decpt;
    l->end = g->n;
    l->use_exp = false;
    if (code == 'e') {
        l->use_exp = true;
        l->end = precision;
    } else if (code == 'f') {
        l->end = l->decpt + precision;
    } else if (code == 'g') {
        l->use_exp = l->decpt <= -4 || l->decpt > (dot0 ? precision - 1 : precision);
        if (flags & LT__DTSF_ALT)
            l->end = precision;
    } else {
        l->use_exp = l->decpt <= -4 || l->decpt > 16;
    }
    l->exp = (int)l->decpt - 1;
    if (l->use_exp)
        l->decpt = 1;
    l->start = l->decpt <= 0 ? l->decpt - 1 : 0;
    if (!l->use_exp && dot0)
        l->end = l->end > l->decpt ? l->end : l->decpt + 1;
    else
        l->end = l->end > l->decpt ? l->end : l->decpt;
}

static void lay_out(lt__pyfloat *f, const struct digits *g, const struct layout *l, unsigned flags,
                    bool upper)
{
    long n = g->n;

    if (l->decpt <= 0) {
        put_chars(f, '0', l->decpt - l->start);
        put_chars(f, '.', 1);
        put_chars(f, '0', -l->decpt);
    }
    if (l->decpt > 0 && l->decpt <= n) {
        memcpy(f->text + f->len, g->s, (size_t)l->decpt);
        f->len += (size_t)l->decpt;
        put_chars(f, '.', 1);
        memcpy(f->text + f->len, g->s + l->decpt, (size_t)(n - l->decpt));
        f->len += (size_t)(n - l->decpt);
    } else {
        memcpy(f->text + f->len, g->s, (size_t)n);
        f->len += (size_t)n;
    }
    if (n < l->decpt) {
        put_chars(f, '0', l->decpt - n);
        put_chars(f, '.', 1);
        f->zeros = (size_t)(l->end - l->decpt);
    } else {
        f->zeros = (size_t)(l->end - n);
    }
    if (!f->zeros && f->text[f->len - 1] == '.' && !(flags & LT__DTSF_ALT))
        f->len--;
    f->zeros_at = f->len;
    if (l->use_exp)
        f->len += (size_t)snprintf(f->text + f->len, sizeof(f->text) - f->len, "%c%+.02d",
                                   upper ? 'E' : 'e', l->exp);
}

void lt__pyfloat_format(lt__pyfloat *f, double d, char code, int precision, unsigned flags)
{
    bool upper = code == 'E' || code == 'F' || code == 'G';
    struct digits g;
    struct layout l;

    f->len = f->zeros = f->zeros_at = f->int_digits = 0;
    f->neg = false;
    code = upper ? (char)(code - 'A' + 'a') : code;
    if (!isfinite(d)) {
        special(f, d, upper);
        return;
    }
    if (code == 'g' && precision == 0)
        precision = 1;
    if (code == 'r')
        digits_shortest(d, &g);
    else
        digits_rounded(d, code == 'f', code == 'e' ? precision + 1 : precision, &g);
    plan(&g, code, code == 'e' ? precision + 1 : precision, flags, &l);
    f->neg = g.neg;
    lay_out(f, &g, &l, flags, upper);
    while (f->int_digits < f->len && f->text[f->int_digits] >= '0' && f->text[f->int_digits] <= '9')
        f->int_digits++;
}
