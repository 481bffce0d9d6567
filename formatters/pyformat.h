/* formatters/pyformat.h - printing record values exactly as Python prints
 * them: str(), repr() and ascii(), the conversions of the '%' operator, and
 * format()'s mini-language. Shared by the formatters that mimic Python;
 * written against the public headers only, like every formatter.
 *
 * Nothing here allocates: every function writes into an lt_buf and keeps its
 * scratch on the stack, so one compiled format serves many threads. */
#ifndef LOGTREE_FORMATTERS_PYFORMAT_H
#define LOGTREE_FORMATTERS_PYFORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <logtree/formatter.h>
#include <logtree/record.h>

/* One conversion spec, parsed once when a format is compiled. The '%'
 * operator and format() read different parts of it, as marked. */
typedef struct lt__pyspec {
    int width;              /* -1: none */
    int precision;          /* -1: none */
    char type;              /* '%': the conversion; '{': the presentation type, 0 if none */
    char conv;              /* '{': 's', 'r' or 'a' from !s !r !a; 0 if none */
    char align;             /* '{': '<' '>' '^' '='; 0 for the value's default */
    char sign;              /* '+', ' ' ('{' also '-'); 0 if none */
    char grouping;          /* '{': ',' or '_'; 0 if none */
    bool alt;               /* '#' */
    bool zero;              /* '0' */
    bool left;              /* '%': the '-' flag */
    unsigned char fill_len; /* '{': bytes of fill; 0: none given */
    char fill[4];           /* '{': the fill character, UTF-8 */
} lt__pyspec;

/* The largest width or precision a spec may give. Python allows up to
 * INT_MAX; half leaves room for the arithmetic around it. */
#define LT__PYSPEC_MAX (0x7fffffff / 2)

/* A spec with nothing given: "%s" minus the 's', or "{name}". */
void lt__pyspec_init(lt__pyspec *spec);

/* Whether @spec gives nothing but perhaps a conv: format() then prints str(). */
bool lt__pyspec_empty(const lt__pyspec *spec);

/* Parse format()'s mini-language ("*^10.3f") from @s, @len bytes, into
 * @spec, whose conv is left alone. Accepts what logging.Formatter's
 * validation accepts, minus nested fields and the type letters no value
 * can take ('D', 'S', ...). Returns: NULL, or why @s is not a spec. */
const char *lt__pyspec_parse(const char *s, size_t len, lt__pyspec *spec);

/* Append str(@v). */
void lt__py_str(lt_buf *out, const lt_value *v);

/* format()'s rules for a value of @type under @spec (its conv applied
 * first). Returns: NULL if any such value can be formatted (some may still
 * be out of range, like {:c} of -1), else Python's complaint. */
const char *lt__py_format_check(const lt__pyspec *spec, lt_value_type type);

/* Append format(@v, @spec) (after !s, !r or !a).
 * Returns: 0, or -1 with nothing appended if Python would raise. */
int lt__py_format(lt_buf *out, const lt__pyspec *spec, const lt_value *v);

/* The '%' operator's rules for a value of @type under @spec, as
 * lt__py_format_check(). */
const char *lt__py_percent_check(const lt__pyspec *spec, lt_value_type type);

/* Append "%<spec>" % @v, for one conversion of the '%' operator.
 * Returns: 0, or -1 with nothing appended if Python would raise. */
int lt__py_percent(lt_buf *out, const lt__pyspec *spec, const lt_value *v);

/* ---- the pieces the functions above are made of ---- */

/* The code point at @s (@len > 0 bytes left) into *@cp. A byte that does not
 * start valid UTF-8 stands for itself as Python's surrogateescape decodes it
 * (U+DC80 + byte), so it counts as one character and repr() shows \udcXX.
 * Returns: the bytes used, 1 to 4. */
size_t lt__utf8_next(const char *s, size_t len, uint32_t *cp);

/* Encode @cp (at most U+10FFFF, not a surrogate) into @buf.
 * Returns: its bytes, 1 to 4. */
size_t lt__utf8_encode(uint32_t cp, char buf[4]);

/* Append @cp (as lt__utf8_encode() takes it) to @out in UTF-8. */
void lt__utf8_put(lt_buf *out, uint32_t cp);

/* Python's str.isprintable() for one code point (Unicode 14.0, as in 3.11). */
bool lt__py_isprintable(uint32_t cp);

/* Text to print: bytes as they are, or their repr() or ascii(). */
typedef struct lt__pytext {
    const char *ptr;
    size_t len;
    char quote; /* 0: the bytes as they are; '\'' or '"': repr() with that quote */
    bool ascii; /* with quote: ascii(), non-ASCII escaped too */
} lt__pytext;

/* @t for the bytes @ptr, @len: as they are (@how 's'), their repr() ('r') or
 * ascii() ('a'); repr() picks its quote as Python does. */
void lt__pytext_init(lt__pytext *t, const char *ptr, size_t len, char how);

/* Append at most @max characters of @t to @out; @out NULL only counts.
 * Returns: the characters appended (or counted). */
size_t lt__pytext_put(const lt__pytext *t, lt_buf *out, size_t max);

/* Append Python's repr() of the string @s, or None for NULL: how the
 * formatters describe their options (lt_formatter_describe()). */
void lt__py_put_repr(lt_buf *out, const char *s);

/* Append @n copies of the @len-byte character @fill. */
void lt__py_fill(lt_buf *out, const char *fill, size_t len, size_t n);

/* @t for str(@v), repr(@v) or ascii(@v) (@how 's', 'r' or 'a'); values other
 * than strings are written into @small. */
void lt__py_value_text(const lt_value *v, char how, char small[32], lt__pytext *t);

/* Append @t cut to @precision characters (-1: all) and padded to @width
 * characters with @fill (@fill_len bytes): @align '<', '>' or '^'. */
void lt__pytext_pad(lt_buf *out, const lt__pytext *t, int precision, int width, char align,
                    const char *fill, size_t fill_len);

/* The room a float rendering may need: 309 integer digits, a point, up to
 * 1100 fraction digits, an exponent, a '%' (fraction digits beyond are owed,
 * see zeros). */
#define LT__PYFLOAT_MAX 1536

/* Flags of lt__pyfloat_format(), Python's Py_DTSF_*. */
#define LT__DTSF_ALT       1u /* '#': keep the point and trailing zeros */
#define LT__DTSF_ADD_DOT_0 2u /* integral results in fixed notation get ".0" */

/* A float as Python's PyOS_double_to_string() renders it, without its sign.
 * Precision can ask for more zeros than fit: text[0..zeros_at) is followed
 * by @zeros '0's, then text[zeros_at..len). */
typedef struct lt__pyfloat {
    char text[LT__PYFLOAT_MAX];
    size_t len;
    size_t zeros_at;
    size_t zeros;
    size_t int_digits; /* the leading digits, before '.', 'e' or the end (0: inf, nan) */
    bool neg;          /* a '-' belongs in front (never for nan) */
} lt__pyfloat;

/* Render @d with @code 'e' 'E' 'f' 'F' 'g' 'G' (precision @precision) or 'r'
 * (repr(); @precision 0) and LT__DTSF_* @flags into @f. */
void lt__pyfloat_format(lt__pyfloat *f, double d, char code, int precision, unsigned flags);

/* The sign and magnitude of an int, uint or bool @v, or of a double
 * truncated toward zero as Python's int() does.
 * Returns: false for a double outside the int64 range (or not finite). */
bool lt__py_int_parts(const lt_value *v, bool *neg, uint64_t *mag);

/* The digits of @mag in @base (2, 8, 10, 16), written backwards from @end.
 * Returns: where they start. */
char *lt__py_utoa(uint64_t mag, unsigned base, bool upper, char *end);

/* A number laid out by format(): [sign][prefix][digits][rest], where the
 * digits take the grouping and '0' padding and rest holds point, fraction,
 * exponent, '%' (or the character of 'c'), with @zeros '0's owed at
 * rest + zeros_at. */
typedef struct lt__pynum {
    bool neg;
    const char *prefix; /* "0x", "0o", "0b", "0X" or "" */
    const char *digits;
    size_t ndigits;
    const char *rest;
    size_t rest_len;   /* bytes */
    size_t rest_chars; /* characters */
    size_t zeros_at;
    size_t zeros;
    unsigned group; /* digits per group: 3, 4 ('_' in b o x X), 0: no grouping */
} lt__pynum;

/* Append @num padded and aligned by format()'s rules for numbers. */
void lt__pynum_put(lt_buf *out, const lt__pynum *num, const lt__pyspec *spec);

/* Append @num padded by the '%' operator's rules for numeric conversions
 * (no grouping there; an int's precision zeros are owed zeros of rest). */
void lt__pynum_put_percent(lt_buf *out, const lt__pynum *num, const lt__pyspec *spec);

#endif /* LOGTREE_FORMATTERS_PYFORMAT_H */
