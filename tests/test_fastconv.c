/* tests/test_fastconv.c - the printf conversions asynchronous mode makes
 * without printf (src/fastconv.c) against the C library's own snprintf():
 * every output must be the same bytes, or the fast path must decline. */
#include <criterion/criterion.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fastconv.h"

#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* A reproducible stream of 64 random bits (xorshift64*). */
static uint64_t next_random(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 2685821657736338717ull;
}

/* The conversions as the backend makes them: the spec read once, then used. */
static bool double_by_spec(lt_buf *out, const char *spec, double x)
{
    struct lt__fast_spec f;

    lt__fast_parse(spec, &f);
    return lt__fast_double(out, &f, x);
}

static bool integer_by_spec(lt_buf *out, const char *spec, uint64_t bits)
{
    struct lt__fast_spec f;

    lt__fast_parse(spec, &f);
    return lt__fast_integer(out, &f, bits);
}

/* Returns whether the fast path took it; if so, it must equal snprintf. */
static bool same_double(const char *spec, double x)
{
    char expected[512];
    lt_buf out = {0};
    bool taken;

    snprintf(expected, sizeof(expected), spec, x);
    taken = double_by_spec(&out, spec, x);
    if (taken)
        cr_expect_str_eq(lt_buf_data(&out), expected, "%s of %.17g", spec, x);
    else
        cr_expect_eq(lt_buf_len(&out), 0, "declined %s of %.17g but wrote", spec, x);
    lt__buf_release(&out);
    return taken;
}

static const char *const fixed_specs[] = {"%f",   "%F",   "%.f",  "%.0f", "%.1f", "%.2f",
                                          "%.3f", "%.4f", "%.5f", "%.6f", "%.7f", "%.9f"};

Test(fastconv, doubles_at_the_edges)
{
    static const double values[] = {
        0.0,        -0.0,       0.5,       1.5,       2.5,        -2.5,       0.125,
        0.375,      1e-9,       -1e-9,     5e-10,     0.0005,     0.0015,     12.345,
        -12.345,    0.1,        0.2,       0.3,       1.005,      2.675,      9.9995,
        99.5,       4294967295, 4294967296, 4294967295.5, 429496.7295, 1e300, -1e300,
        DBL_MIN,    DBL_TRUE_MIN, DBL_MAX, INFINITY,  -INFINITY,  NAN,        123456789.987654321,
    };

    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
        for (size_t s = 0; s < sizeof(fixed_specs) / sizeof(fixed_specs[0]); s++)
            (void)same_double(fixed_specs[s], values[i]);
}

Test(fastconv, a_million_random_doubles)
{
    uint64_t state = 0x9E3779B97F4A7C15ull;
    size_t taken = 0, total = 0;

    for (int i = 0; i < 1000000; i++) {
        uint64_t r = next_random(&state);
        /* Values a log line holds: milliseconds, ratios, prices, of every
         * magnitude from 1e-6 to 1e10, and exact binary fractions (ties). */
        double mantissa = (double)(r >> 11) / 9007199254740992.0;
        double x = mantissa * 1e-6;

        for (int e = (int)(r % 17); e > 0; e--)
            x *= 10;

        if (r & 1024)
            x = -x;
        if ((r & 0x3000) == 0x3000)
            x = (double)(int64_t)(r >> 40) / 1024.0; /* k/1024: many exact ties */
        total++;
        taken += same_double(fixed_specs[r % (sizeof(fixed_specs) / sizeof(fixed_specs[0]))], x);
    }
    /* The fast path must take nearly everything, or it buys nothing. */
    cr_expect_gt(taken, total * 9 / 10, "fast path took %zu of %zu", taken, total);
}

Test(fastconv, other_specs_are_declined)
{
    static const char *const specs[] = {"%10.3f", "%-f", "%+f", "%#.0f", "%.10f", "%e",
                                        "%g",     "%a",  "%.12f", "%05.1f"};
    lt_buf out = {0};

    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
        cr_expect(!double_by_spec(&out, specs[i], 1.5), "%s taken", specs[i]);
    cr_expect_eq(lt_buf_len(&out), 0);
}

Test(fastconv, a_locale_with_a_decimal_comma_is_left_to_printf)
{
    lt_buf out = {0};

    if (!setlocale(LC_NUMERIC, "de_DE.UTF-8") && !setlocale(LC_NUMERIC, "fr_FR.UTF-8"))
        cr_skip_test("no locale with a decimal comma is installed");
    cr_expect(!double_by_spec(&out, "%.3f", 1.5));
    setlocale(LC_NUMERIC, "C");
    cr_expect(double_by_spec(&out, "%.3f", 1.5));
    cr_expect_str_eq(lt_buf_data(&out), "1.500");
    lt__buf_release(&out);
}

/* @bits holds the argument as the ring does: sign-extended if signed. */
#define SAME_INT(spec, type, value)                                                                \
    do {                                                                                           \
        char expected[64];                                                                         \
        lt_buf out = {0};                                                                          \
        type v = (value);                                                                          \
        uint64_t bits = (uint64_t)(int64_t)v;                                                      \
        if ((type)-1 > 0)                                                                          \
            bits = (uint64_t)v;                                                                    \
        snprintf(expected, sizeof(expected), spec, v);                                             \
        cr_assert(integer_by_spec(&out, spec, bits), "%s declined", spec);                        \
        cr_expect_str_eq(lt_buf_data(&out), expected, "%s", spec);                                 \
        lt__buf_release(&out);                                                                     \
    } while (0)

Test(fastconv, integers_of_every_length)
{
    uint64_t state = 42;

    for (int i = 0; i < 100000; i++) {
        uint64_t r = next_random(&state) >> (next_random(&state) % 64);

        SAME_INT("%d", int, (int)r);
        SAME_INT("%i", int, (int)r);
        SAME_INT("%u", unsigned, (unsigned)r);
        SAME_INT("%ld", long, (long)r);
        SAME_INT("%lu", unsigned long, (unsigned long)r);
        SAME_INT("%lld", long long, (long long)r);
        SAME_INT("%llu", unsigned long long, (unsigned long long)r);
        SAME_INT("%zu", size_t, (size_t)r);
        SAME_INT("%zd", ptrdiff_t, (ptrdiff_t)r);
        SAME_INT("%hd", int, (short)r);
        SAME_INT("%hhu", int, (unsigned char)r);
    }
    SAME_INT("%d", int, INT32_MIN);
    SAME_INT("%lld", long long, INT64_MIN);
    SAME_INT("%llu", unsigned long long, UINT64_MAX);
    SAME_INT("%d", int, 0);
}

Test(fastconv, a_signed_argument_printed_unsigned_and_back)
{
    char expected[64];
    lt_buf out = {0};

    /* %u of an int -1, as a call may pass it: printf prints 4294967295. */
    snprintf(expected, sizeof(expected), "%u", (unsigned)-1);
    cr_assert(integer_by_spec(&out, "%u", (uint64_t)(int64_t)-1));
    cr_expect_str_eq(lt_buf_data(&out), expected);
    lt__buf_release(&out);
    cr_expect(!integer_by_spec(&out, "%5d", 1));
    cr_expect(!integer_by_spec(&out, "%-d", 1));
    cr_expect(!integer_by_spec(&out, "%x", 1));
    cr_expect(!integer_by_spec(&out, "%Lf", 1));
    cr_expect_eq(lt_buf_len(&out), 0);
}
