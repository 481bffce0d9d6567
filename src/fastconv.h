/* src/fastconv.h - printf conversions without printf, for the conversions
 * most log calls use. Each appends to @out exactly what snprintf(@spec, ...)
 * would write and returns true, or appends nothing and returns false when
 * @spec is not one it takes (the caller then uses snprintf). */
#ifndef LOGTREE_FASTCONV_H
#define LOGTREE_FASTCONV_H

#include <stdbool.h>
#include <stdint.h>

#include "internal.h"

/* A spec read once, for a caller that converts with it many times. */
enum lt__fast_width {
    LT__FAST_INT,
    LT__FAST_LONG,
    LT__FAST_LLONG,
    LT__FAST_SIZE,
    LT__FAST_SHORT,
    LT__FAST_CHAR
};
struct lt__fast_spec {
    enum { LT__FAST_NONE, LT__FAST_INTEGER, LT__FAST_FIXED } kind;
    enum lt__fast_width width; /* LT__FAST_INTEGER: the type the length names */
    bool is_signed;            /* LT__FAST_INTEGER: d or i */
    int prec;                  /* LT__FAST_FIXED: the decimals */
};

/* Which of the conversions below takes @spec (LT__FAST_NONE: neither). */
void lt__fast_parse(const char *spec, struct lt__fast_spec *f);

/* @f from "%d", "%i", "%u" with no length or h, hh, l, ll, z, j, t; @bits
 * the argument (sign-extended for signed types, zero-extended for unsigned). */
bool lt__fast_integer(lt_buf *out, const struct lt__fast_spec *f, uint64_t bits);

/* @f from "%f", "%.f" or "%.Nf" (N a single digit; or F), for a double, in
 * the C locale's decimal point (a locale with another one: false). */
bool lt__fast_double(lt_buf *out, const struct lt__fast_spec *f, double x);

#endif /* LOGTREE_FASTCONV_H */
