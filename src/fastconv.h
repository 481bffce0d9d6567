/* src/fastconv.h - printf conversions without printf, for the conversions
 * most log calls use. Each appends to @out exactly what snprintf(@spec, ...)
 * would write and returns true, or appends nothing and returns false when
 * @spec is not one it takes (the caller then uses snprintf). */
#ifndef LOGTREE_FASTCONV_H
#define LOGTREE_FASTCONV_H

#include <stdbool.h>
#include <stdint.h>

#include "internal.h"

/* @spec "%d", "%i", "%u" with no length or h, hh, l, ll, z, j, t; @bits the
 * argument (sign-extended for signed types, zero-extended for unsigned). */
bool lt__fast_integer(lt_buf *out, const char *spec, uint64_t bits);

/* @spec "%f", "%.f" or "%.Nf" (N a single digit; or F) for a double, in
 * the C locale's decimal point (a locale with another one: false). */
bool lt__fast_double(lt_buf *out, const char *spec, double x);

#endif /* LOGTREE_FASTCONV_H */
