/* formatters/pytext.c - text as Python sees it: UTF-8 decoded into code
 * points (widths and precisions count those, not bytes), and repr() and
 * ascii() of a string, truncated by characters when a precision asks. */
#include <stdint.h>
#include <string.h>

#include <logtree/handler.h>

#include "buf.h"
#include "pyformat.h"

static size_t invalid_byte(const unsigned char *p, uint32_t *cp)
{
    *cp = 0xdc00u + p[0];
    return 1;
}

/* The bytes of the sequence that @c starts, 0 if it starts none. */
static size_t lead_length(uint32_t c)
{
    if (c >= 0xc2 && c <= 0xdf)
        return 2;
    if (c >= 0xe0 && c <= 0xef)
        return 3;
    return c >= 0xf0 && c <= 0xf4 ? 4 : 0;
}

size_t lt__utf8_next(const char *s, size_t len, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    uint32_t c = p[0];
    size_t n = lead_length(c);

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (!n || len < n)
        return invalid_byte(p, cp);
    c &= 0x7fu >> n;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return invalid_byte(p, cp);
        c = (c << 6) | (p[i] & 0x3fu);
    }
    /* overlong forms, surrogates and code points past U+10FFFF */
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
        (c >= 0xd800 && c <= 0xdfff))
        return invalid_byte(p, cp);
    *cp = c;
    return n;
}

size_t lt__utf8_encode(uint32_t cp, char buf[4])
{
    if (cp < 0x80) {
        buf[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        buf[0] = (char)(0xc0 | (cp >> 6));
        buf[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        buf[0] = (char)(0xe0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        buf[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    buf[0] = (char)(0xf0 | (cp >> 18));
    buf[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    buf[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    buf[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

void lt__utf8_put(lt_buf *out, uint32_t cp)
{
    char u[4];

    lt__buf_put(out, u, lt__utf8_encode(cp, u));
}

void lt__pytext_init(lt__pytext *t, const char *ptr, size_t len, char how)
{
    bool squote = false, dquote = false;

    t->ptr = ptr;
    t->len = len;
    t->quote = 0;
    t->ascii = how == 'a';
    if (how != 'r' && how != 'a')
        return;
    for (size_t i = 0; i < len; i++) {
        squote |= ptr[i] == '\'';
        dquote |= ptr[i] == '"';
    }
    /* Python's unicode_repr: double quotes only when they spare escapes */
    t->quote = squote && !dquote ? '"' : '\'';
}

static size_t hex_escape(char *buf, char kind, uint32_t cp, int digits)
{
    static const char hex[] = "0123456789abcdef";

    buf[0] = '\\';
    buf[1] = kind;
    for (int i = 0; i < digits; i++)
        buf[2 + i] = hex[(cp >> (4 * (digits - 1 - i))) & 0xf];
    return (size_t)digits + 2;
}

/* The escape repr() writes for @cp into @buf, or 0 if @cp stays as it is. */
static size_t escape(uint32_t cp, const lt__pytext *t, char buf[10])
{
    if (cp == (uint32_t)t->quote || cp == '\\') {
        buf[0] = '\\';
        buf[1] = (char)cp;
        return 2;
    }
    if (cp == '\t' || cp == '\n' || cp == '\r') {
        buf[0] = '\\';
        buf[1] = cp == '\t' ? 't' : cp == '\n' ? 'n' : 'r';
        return 2;
    }
    if (cp < ' ' || cp == 0x7f)
        return hex_escape(buf, 'x', cp, 2);
    if (cp < 0x7f || (!t->ascii && lt__py_isprintable(cp)))
        return 0;
    if (cp <= 0xff)
        return hex_escape(buf, 'x', cp, 2);
    if (cp <= 0xffff)
        return hex_escape(buf, 'u', cp, 4);
    return hex_escape(buf, 'U', cp, 8);
}

/* Append the first @max characters of @piece, @chars characters in @len
 * bytes; an escape (ASCII) may be cut, a character may not. */
static size_t put_piece(lt_buf *out, const char *piece, size_t len, size_t chars, size_t max)
{
    if (chars > max)
        len = chars = max;
    if (out)
        lt__buf_put(out, piece, len);
    return chars;
}

static size_t put_plain(const lt__pytext *t, lt_buf *out, size_t max)
{
    size_t i = 0, chars = 0;
    uint32_t cp;

    while (i < t->len && chars < max) {
        i += lt__utf8_next(t->ptr + i, t->len - i, &cp);
        chars++;
    }
    if (out)
        lt__buf_put(out, t->ptr, i);
    return chars;
}

size_t lt__pytext_put(const lt__pytext *t, lt_buf *out, size_t max)
{
    size_t i = 0, done;
    char esc[10];
    uint32_t cp;

    if (!t->quote)
        return put_plain(t, out, max);
    done = put_piece(out, &t->quote, 1, 1, max);
    while (i < t->len && done < max) {
        size_t n = lt__utf8_next(t->ptr + i, t->len - i, &cp);
        size_t e = escape(cp, t, esc);

        if (e)
            done += put_piece(out, esc, e, e, max - done);
        else
            done += put_piece(out, t->ptr + i, n, 1, max - done);
        i += n;
    }
    if (done < max)
        done += put_piece(out, &t->quote, 1, 1, max - done);
    return done;
}

void lt__py_fill(lt_buf *out, const char *fill, size_t len, size_t n)
{
    char block[64];
    size_t per, used = lt_buf_len(out);

    if (len == 0 || len > sizeof(block))
        return;
    /* A width or precision of millions ("%(x)999999999s"): the handler cuts
     * a record past LT_MAX_RECORD_BYTES anyway, so the filling stops just
     * past it instead of taking memory and time for nothing. */
    if (used > LT_MAX_RECORD_BYTES)
        n = 0;
    else if (n > (LT_MAX_RECORD_BYTES + 1 - used) / len + 1)
        n = (LT_MAX_RECORD_BYTES + 1 - used) / len + 1;
    per = sizeof(block) / len;
    for (size_t i = 0; i < per; i++)
        memcpy(block + i * len, fill, len);
    for (; n > per; n -= per)
        lt__buf_put(out, block, per * len);
    lt__buf_put(out, block, n * len);
}

void lt__pytext_pad(lt_buf *out, const lt__pytext *t, int precision, int width, char align,
                    const char *fill, size_t fill_len)
{
    size_t max = precision >= 0 ? (size_t)precision : SIZE_MAX;
    size_t n, pad, lpad;

    if (width <= 0) {
        lt__pytext_put(t, out, max);
        return;
    }
    n = lt__pytext_put(t, NULL, max);
    pad = (size_t)width > n ? (size_t)width - n : 0;
    lpad = align == '>' ? pad : align == '^' ? pad / 2 : 0;
    lt__py_fill(out, fill, fill_len, lpad);
    lt__pytext_put(t, out, max);
    lt__py_fill(out, fill, fill_len, pad - lpad);
}

void lt__py_put_repr(lt_buf *out, const char *s)
{
    lt__pytext t;

    if (!s) {
        lt_buf_puts(out, "None");
        return;
    }
    lt__pytext_init(&t, s, strlen(s), 'r');
    (void)lt__pytext_put(&t, out, SIZE_MAX);
}
