/* src/buf.h - lt_buf inside the library: its fields, and appends with their
 * usual case inline, for the files that format records (formatters,
 * handlers, the backend) without the rest of internal.h. */
#ifndef LOGTREE_BUF_INTERNAL_H
#define LOGTREE_BUF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <logtree/formatter.h>

struct lt_buf {
    char *data; /* NUL-terminated when not NULL */
    size_t len;
    size_t cap; /* bytes usable before the NUL */
    int err;    /* LT_ENOMEM once an append was dropped */
    bool borrowed; /* data is the caller's array (lt__buf_on()): never freed */
    bool escape;   /* lt_buf_escape_from() escapes (LT_ESCAPE_CONTROLS) */
};

/* memcpy() for the few bytes most copies are (a level name, a separator, a
 * number, a short string argument): inline moves of fixed size, overlapping
 * for the odd lengths, instead of a call to the library's general copy. */
static inline void lt__copy_bytes(char *to, const char *from, size_t n)
{
    uint64_t a, b;
    uint32_t c, d;

    if (n > 16) {
        memcpy(to, from, n);
    } else if (n >= 8) {
        memcpy(&a, from, 8);
        memcpy(&b, from + n - 8, 8);
        memcpy(to, &a, 8);
        memcpy(to + n - 8, &b, 8);
    } else if (n >= 4) {
        memcpy(&c, from, 4);
        memcpy(&d, from + n - 4, 4);
        memcpy(to, &c, 4);
        memcpy(to + n - 4, &d, 4);
    } else if (n) {
        to[0] = from[0];
        to[n / 2] = from[n / 2];
        to[n - 1] = from[n - 1];
    }
}

/* lt_buf_append() and lt_buf_putc() with their usual case inline (the bytes
 * fit): a record's formatting is dozens of small appends, and a call each
 * was a good part of the backend's time. */
static inline void lt__buf_put(lt_buf *b, const void *data, size_t len)
{
    if (!b->data || b->err || len > b->cap - b->len) {
        lt_buf_append(b, data, len);
        return;
    }
    lt__copy_bytes(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

static inline void lt__buf_putc(lt_buf *b, char c)
{
    if (!b->data || b->err || b->len == b->cap) {
        lt_buf_putc(b, c);
        return;
    }
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

/* Whether the @len bytes at @s are all printable ASCII (0x20 to 0x7e),
 * which LT_ESCAPE_CONTROLS leaves as they are (escape.c). */
bool lt__text_plain(const char *s, size_t len);

/* Whether @rec's message is known to be such text: the backend knows it of
 * the messages it formats from a literal format (record.c). A formatter
 * then need not scan it for escaping. false when not known. */
bool lt__record_message_plain(const lt_record *rec);

/* A buffer embedded in another object: zero it, use it, release its bytes. */
void lt__buf_release(lt_buf *b);

/* A buffer that starts in the caller's @size bytes at @mem (on the stack)
 * and moves to the heap only if it outgrows them; lt__buf_release() it. */
void lt__buf_on(lt_buf *b, char *mem, size_t size);

/* @b's bytes as a string of its own for a caller who free()s it: heap
 * memory even when empty or still in lt__buf_on()'s array, NUL-terminated,
 * its length in *@len. @b is released either way. NULL if an append was
 * dropped or the copy failed: the caller reports LT_ENOMEM. */
char *lt__buf_take(lt_buf *b, size_t *len);

#endif /* LOGTREE_BUF_INTERNAL_H */
