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
static void integer(lt_buf *out, const struct lt__fast_spec *f, uint64_t bits)
{
    int64_t s;
    uint64_t u;

    switch (f->width) {
    case LT__FAST_INT:
        s = (int)bits;
        u = (unsigned)bits;
        break;
    case LT__FAST_LONG:
        s = (long)bits;
        u = (unsigned long)bits;
        break;
    case LT__FAST_LLONG:
        s = (long long)bits;
        u = (unsigned long long)bits;
        break;
    /* size_t and ptrdiff_t have one width */
    case LT__FAST_SIZE:
        s = (ptrdiff_t)(size_t)bits;
        u = (size_t)bits;
        break;
    case LT__FAST_SHORT:
        s = (short)bits;
        u = (unsigned short)bits;
        break;
    default:
        s = (signed char)bits;
        u = (unsigned char)bits;
        break;
    }
    if (f->is_signed)
        put_unsigned(out, s < 0 ? 0 - (uint64_t)s : (uint64_t)s, s < 0);
    else
        put_unsigned(out, u, false);
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

/* The length modifier of "%<length><conv>" as the width to convert to. */
static bool integer_width(const char *length, size_t n, struct lt__fast_spec *f)
{
    static const struct {
        const char *length;
        enum lt__fast_width width;
    } widths[] = {{"", LT__FAST_INT},    {"l", LT__FAST_LONG}, {"ll", LT__FAST_LLONG},
                  {"j", LT__FAST_LLONG}, {"z", LT__FAST_SIZE}, {"t", LT__FAST_SIZE},
                  {"h", LT__FAST_SHORT}, {"hh", LT__FAST_CHAR}};

    for (size_t i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
        if (strlen(widths[i].length) == n && memcmp(widths[i].length, length, n) == 0) {
            f->width = widths[i].width;
            return true;
        }
    }
    return false;
}

void lt__fast_parse(const char *spec, struct lt__fast_spec *f)
{
    size_t n = strlen(spec);

    f->kind = LT__FAST_NONE;
    if (n < 2 || spec[0] != '%')
        return;
    /* "%" + length + d, i or u, nothing else: no flags, width, precision */
    if (n <= 4 && strchr("diu", spec[n - 1]) && integer_width(spec + 1, n - 2, f)) {
        f->kind = LT__FAST_INTEGER;
        f->is_signed = spec[n - 1] != 'u';
        return;
    }
    /* "%f", "%.f", "%.Nf" (or F): precision 6, 0, N */
    if (spec[n - 1] != 'f' && spec[n - 1] != 'F')
        return;
    if (n == 2)
        f->prec = 6;
    else if (n == 3 && spec[1] == '.')
        f->prec = 0;
    else if (n == 4 && spec[1] == '.' && spec[2] >= '0' && spec[2] <= '9')
        f->prec = spec[2] - '0';
    else
        return;
    f->kind = LT__FAST_FIXED;
}

bool lt__fast_integer(lt_buf *out, const struct lt__fast_spec *f, uint64_t bits)
{
    if (f->kind != LT__FAST_INTEGER)
        return false;
    integer(out, f, bits);
    return true;
}

bool lt__fast_double(lt_buf *out, const struct lt__fast_spec *f, double x)
{
    return f->kind == LT__FAST_FIXED && fixed(out, x, f->prec);
}
