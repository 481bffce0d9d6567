/* src/buf.c - the growable buffer formatters and handlers write into.
 * Appends never fail from the caller's view: on ENOMEM the buffer keeps what
 * it has, remembers the error, and the formatter checks once at the end. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sys.h"

int lt_buf_new(lt_buf **ret)
{
    lt_buf *b;

    LT__RETURN_IF(!ret, LT_EINVAL);
    b = lt__calloc(1, sizeof(*b));
    if (!b)
        return LT_ENOMEM;
    *ret = b;
    return 0;
}

void lt__buf_release(lt_buf *b)
{
    if (!b->borrowed)
        free(b->data);
    memset(b, 0, sizeof(*b));
}

void lt__buf_on(lt_buf *b, char *mem, size_t size)
{
    memset(b, 0, sizeof(*b));
    b->data = mem;
    b->cap = size - 1;
    b->borrowed = true;
    mem[0] = '\0';
}

char *lt__buf_take(lt_buf *b, size_t *len)
{
    char *s = NULL;

    if (!b->err && b->data && !b->borrowed) {
        s = b->data;
        b->data = NULL;
    } else if (!b->err && (s = lt__malloc(b->len + 1))) {
        memcpy(s, lt_buf_data(b), b->len + 1); /* "" when b->data is NULL */
    }
    *len = b->len;
    lt__buf_release(b);
    return s;
}

void lt_buf_free(lt_buf *b)
{
    if (!b)
        return;
    lt__buf_release(b);
    free(b);
}

/* Make room for @extra more bytes plus the NUL; false (and err set) if not.
 * Out of line: appends that fit, nearly all of them, stay a few
 * instructions. */
LT__NOINLINE static bool buf_reserve(lt_buf *b, size_t extra)
{
    size_t need, cap;
    char *data;

    if (b->err)
        return false;
    if (extra > SIZE_MAX / 2 - b->len) {
        b->err = LT_ENOMEM;
        return false;
    }
    need = b->len + extra;
    if (b->data && need <= b->cap)
        return true;
    cap = b->cap ? b->cap : 120;
    while (cap < need)
        cap *= 2;
    data = b->borrowed ? lt__malloc(cap + 1) : lt__realloc(b->data, cap + 1);
    if (!data) {
        b->err = LT_ENOMEM;
        return false;
    }
    if (b->borrowed)
        memcpy(data, b->data, b->len + 1);
    b->borrowed = false;
    b->data = data;
    b->cap = cap;
    return true;
}

void lt_buf_append(lt_buf *b, const void *data, size_t len)
{
    if ((!b->data || b->err || len > b->cap - b->len) && !buf_reserve(b, len))
        return;
    lt__buf_put(b, data, len); /* it fits now: the inline copy */
}

void lt_buf_puts(lt_buf *b, const char *s)
{
    lt_buf_append(b, s, strlen(s));
}

void lt_buf_putc(lt_buf *b, char c)
{
    lt_buf_append(b, &c, 1);
}

void lt_buf_printf(lt_buf *b, const char *fmt, ...)
{
    va_list ap, again;
    char small[128];
    int n;

    va_start(ap, fmt);
    va_copy(again, ap);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    if (n >= 0 && (size_t)n < sizeof(small)) {
        lt_buf_append(b, small, (size_t)n);
    } else if (n >= 0 && buf_reserve(b, (size_t)n)) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, again);
        b->len += (size_t)n;
    }
    va_end(again);
    va_end(ap);
}

const char *lt_buf_data(const lt_buf *b)
{
    return b->data ? b->data : "";
}

size_t lt_buf_len(const lt_buf *b)
{
    return b->len;
}

void lt_buf_truncate(lt_buf *b, size_t len)
{
    if (len < b->len) {
        b->len = len;
        b->data[len] = '\0';
    }
    b->err = 0;
}

int lt_buf_error(const lt_buf *b)
{
    return b->err;
}
