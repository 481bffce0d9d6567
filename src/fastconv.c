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

static const uint64_t pow10_u[20] = {
    1u,           10u,           100u,           1000u,           10000u,
    100000u,      1000000u,      10000000u,      100000000u,      1000000000u,
    10000000000u, 100000000000u, 1000000000000u, 10000000000000u, 100000000000000u,
    1000000000000000u, 10000000000000000u, 100000000000000000u, 1000000000000000000u,
    10000000000000000000u};

/* From the bit length: log10(2) is about 1233 / 4096, which gives the
 * digits of the least number of that length or one less. v | 1 has the
 * digits of v (a power of ten above 1 is even) and is never 0. */
static size_t count_digits(uint64_t v)
{
    uint64_t w = v | 1;
    size_t t = ((size_t)(64 - __builtin_clzll(w)) * 1233) >> 12;

    return t + 1 - (w < pow10_u[t]);
}

/* "00".."99": two digits per division halves the divisions, which are most
 * of a number's cost. */
static const char two_digits[201] = "00010203040506070809"
                                    "10111213141516171819"
                                    "20212223242526272829"
                                    "30313233343536373839"
                                    "40414243444546474849"
                                    "50515253545556575859"
                                    "60616263646566676869"
                                    "70717273747576777879"
                                    "80818283848586878889"
                                    "90919293949596979899";

/* The last @n digits of @v, zero-padded, right-aligned before @end;
 * returns their start. */
static char *padded_digits(uint64_t v, int n, char *end)
{
    for (; n >= 2; n -= 2, v /= 100)
        memcpy(end -= 2, &two_digits[2 * (v % 100)], 2);
    if (n)
        *--end = (char)('0' + v % 10);
    return end;
}

/* The digits of @v, right-aligned before @end; returns their start. */
static char *digits(uint64_t v, char *end)
{
    for (; v >= 100; v /= 100)
        memcpy(end -= 2, &two_digits[2 * (v % 100)], 2);
    if (v >= 10)
        memcpy(end -= 2, &two_digits[2 * v], 2);
    else
        *--end = (char)('0' + v);
    return end;
}

/* @r / 10^@prec for @r < 2^53, by a multiplication in double (exact for
 * @r) and a correction of the one unit its rounding can be off: a 64-bit
 * division costs more than all the digits it splits, and the compiler makes
 * one division by a register of a switch over constant divisors. */
static uint64_t div_pow10(uint64_t r, int prec)
{
    static const double inverse[10] = {1, 1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9};
    uint64_t p = pow10_u[prec], q = (uint64_t)((double)r * inverse[prec]);

    if (q * p > r)
        q--;
    else if (r - q * p >= p)
        q++;
    return q;
}

/* "-"? int_part ("." frac_part in @prec digits)?, written where it goes:
 * digits built on the stack and then copied would be read back across the
 * small stores that wrote them, which the CPU cannot forward (a stall
 * costing more than the digits). */
LT__ALWAYS_INLINE static inline void put_number(lt_buf *out, bool negative, uint64_t int_part,
                                                uint64_t frac_part, int prec)
{
    size_t len = (size_t)negative + count_digits(int_part) + (prec > 0 ? (size_t)prec + 1 : 0);
    char scratch[48]; /* 1 + 20 + 1 + 9 at most */
    bool fits = out->data && !out->err && len <= out->cap - out->len;
    char *at = fits ? out->data + out->len : scratch, *end = at + len;

    if (prec > 0) {
        end = padded_digits(frac_part, prec, end);
        *--end = '.';
    }
    end = digits(int_part, end);
    if (negative)
        *--end = '-';
    if (!fits) {
        lt_buf_append(out, scratch, len);
        return;
    }
    out->len += len;
    out->data[out->len] = '\0';
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
        put_number(out, s < 0, s < 0 ? 0 - (uint64_t)s : (uint64_t)s, 0, 0);
    else
        put_number(out, false, u, 0, 0);
}

/* @x with @prec decimals, rounded as printf rounds (to nearest, on the
 * exact binary value). The product @x * 10^prec is one rounding away from
 * the exact one (10^prec is exact): within scaled * 2^-53. Its fraction
 * decides the rounding unless it lies within four times that of one half,
 * which is left to printf; below 2^53 the truncation is exact. */
static bool fixed(lt_buf *out, double x, int prec)
{
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
    int_part = div_pow10(r, prec);
    frac_part = r - int_part * pow10_u[prec];
    put_number(out, signbit(x), int_part, frac_part, prec);
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
