/* src/fastconv.c - the commonest printf conversions without printf: plain
 * integers ("%d", "%lu", "%zu" ...) and fixed-point doubles ("%f", "%.3f"),
 * byte for byte what snprintf() writes, several times faster. Anything else,
 * or a double too close to a rounding tie to decide here, is left to
 * snprintf() (the function returns false). glibc's %f costs more than the
 * rest of a typical record's formatting; this is where asynchronous mode's
 * backend wins its throughput. */
#include <langinfo.h>
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "buf.h"
#include "fastconv.h"

static const uint64_t pow10_u[] = {1,      10,      100,      1000,      10000,
                                   100000, 1000000, 10000000, 100000000, 1000000000};

/* The digits of @v, right-aligned in @end's buffer; returns their start. */
static char *digits(uint64_t v, char *end)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

static void put_unsigned(lt_buf *out, uint64_t v, bool negative)
{
    char buf[24], *end = buf + sizeof(buf), *start = digits(v, end);

    if (negative)
        *--start = '-';
    lt__buf_put(out, start, (size_t)(end - start));
}

/* printf converts the argument to the type the length modifier names, then
 * prints it signed (d, i) or unsigned (u): do the same conversions. */
static bool integer(lt_buf *out, const char *length, char conv, uint64_t bits)
{
    bool is_signed = conv == 'd' || conv == 'i';
    int64_t s;
    uint64_t u;

    if (!*length) {
        s = (int)bits;
        u = (unsigned)bits;
    } else if (!strcmp(length, "l")) {
        s = (long)bits;
        u = (unsigned long)bits;
    } else if (!strcmp(length, "ll") || !strcmp(length, "j")) {
        s = (long long)bits;
        u = (unsigned long long)bits;
    } else if (!strcmp(length, "z") || !strcmp(length, "t")) {
        s = (ptrdiff_t)(size_t)bits; /* size_t and ptrdiff_t have one width */
        u = (size_t)bits;
    } else if (!strcmp(length, "h")) {
        s = (short)bits;
        u = (unsigned short)bits;
    } else if (!strcmp(length, "hh")) {
        s = (signed char)bits;
        u = (unsigned char)bits;
    } else {
        return false;
    }
    if (is_signed)
        put_unsigned(out, s < 0 ? 0 - (uint64_t)s : (uint64_t)s, s < 0);
    else
        put_unsigned(out, u, false);
    return true;
}

/* @x with @prec decimals, rounded as printf rounds (to nearest, on the
 * exact binary value). The product @x * 10^prec is one rounding away from
 * the exact one (10^prec is exact): within scaled * 2^-53. Its fraction
 * decides the rounding unless it lies within four times that of one half,
 * which is left to printf; below 2^53 the truncation is exact. */
static bool fixed(lt_buf *out, double x, int prec)
{
    char buf[48], *end = buf + sizeof(buf), *start;
    const char *point = nl_langinfo(RADIXCHAR);
    double scaled, whole, frac, margin;
    uint64_t r, int_part, frac_part;

    if (prec < 0 || prec > 9 || !isfinite(x) || point[0] != '.' || point[1] != '\0')
        return false;
    scaled = fabs(x) * (double)pow10_u[prec];
    if (!(scaled < 9007199254740992.0))
        return false;
    whole = (double)(uint64_t)scaled; /* floor, without libm */
    frac = scaled - whole;            /* exact */
    margin = scaled * 0x1p-51 + 0x1p-60;
    if (frac > 0.5 - margin && frac < 0.5 + margin)
        return false;
    r = (uint64_t)whole + (frac > 0.5);
    int_part = r / pow10_u[prec];
    frac_part = r % pow10_u[prec];
    start = end;
    for (int i = 0; i < prec; i++) {
        *--start = (char)('0' + frac_part % 10);
        frac_part /= 10;
    }
    if (prec > 0)
        *--start = '.';
    start = digits(int_part, start);
    if (signbit(x))
        *--start = '-';
    lt__buf_put(out, start, (size_t)(end - start));
    return true;
}

bool lt__fast_integer(lt_buf *out, const char *spec, uint64_t bits)
{
    char length[3];
    size_t n;

    /* "%" + length + conversion, nothing else: no flags, width, precision. */
    if (spec[0] != '%' || (n = strlen(spec)) < 2 || n > 4 || !strchr("diu", spec[n - 1]))
        return false;
    memcpy(length, spec + 1, n - 2);
    length[n - 2] = '\0';
    return integer(out, length, spec[n - 1], bits);
}

bool lt__fast_double(lt_buf *out, const char *spec, double x)
{
    /* "%f", "%.f", "%.Nf" (or F): precision 6, 0, N */
    if (!strcmp(spec, "%f") || !strcmp(spec, "%F"))
        return fixed(out, x, 6);
    if (spec[0] != '%' || spec[1] != '.')
        return false;
    if ((spec[2] == 'f' || spec[2] == 'F') && !spec[3])
        return fixed(out, x, 0);
    if (spec[2] >= '0' && spec[2] <= '9' && (spec[3] == 'f' || spec[3] == 'F') && !spec[4])
        return fixed(out, x, spec[2] - '0');
    return false;
}
