/* src/escape.c - LT_ESCAPE_CONTROLS: record-supplied text made safe for a
 * line-oriented log (docs/security.md, "Log injection").
 *
 * A line-oriented reader (tail, grep, a log shipper, a terminal) splits on
 * CR and LF and obeys ESC sequences; a program's logs carry text an
 * attacker chose (a user name, a request path). CR and LF become \r and \n,
 * readable as what they were; the other control characters (C0 but TAB,
 * DEL, and the C1 range, which some terminals obey in UTF-8) and each byte
 * of invalid UTF-8 become \xhh, as Apache writes them. TAB stays: it breaks
 * no line and messages use it to align. The backslash stays too: escaping
 * it would double every Windows path in every message, and what this
 * guards against is forged lines and terminal sequences, not ambiguity
 * within one line (JSON and logfmt give exact round trips). */
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "../formatters/structured.h"
#include "internal.h"
#include "sys.h"

void lt_buf_set_escape(lt_buf *b, lt_escape e)
{
    if (b)
        b->escape = e != LT_ESCAPE_NONE && e != LT_ESCAPE_DEFAULT;
}

lt_escape lt_buf_escape(const lt_buf *b)
{
    return b && b->escape ? LT_ESCAPE_CONTROLS : LT_ESCAPE_NONE;
}

/* Whether the byte at @s (of @len) starts something to escape; *@n: the
 * bytes it spans (a valid UTF-8 sequence is kept or escaped whole). */
static bool needs_escape(const char *s, size_t len, size_t *n)
{
    unsigned char c = (unsigned char)*s;
    uint32_t cp;

    if (c < 0x80) {
        *n = 1;
        return (c < 0x20 && c != '\t') || c == 0x7f;
    }
    *n = lt__utf8_decode(s, len, &cp);
    if (cp == LT__UTF8_BAD) {
        *n = 1; /* each byte of an invalid sequence is escaped alone */
        return true;
    }
    return lt__is_control(cp);
}

static void put_escaped(lt_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";

    if (n == 1 && (*s == '\n' || *s == '\r')) {
        lt__buf_put(b, *s == '\n' ? "\\n" : "\\r", 2);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};

        lt__buf_put(b, e, sizeof(e));
    }
}

/* Whether the 8 bytes at @s are all printable ASCII (0x20 to 0x7e): no
 * byte with the high bit, none below 0x20, none equal to 0x7f. */
static bool plain8(const char *s)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t w, del;

    memcpy(&w, s, 8);
    del = w ^ (0x7f * ones);
    return ((w | ((w - 0x20 * ones) & ~w) | ((del - ones) & ~del)) & highs) == 0;
}

#if defined(__SSE2__)
/* Whether the 16 bytes at @s are all printable ASCII, as plain8() does. */
static bool plain16(const char *s)
{
    const __m128i space = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7f);
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
    /* signed: the bytes from 0x80 up are below 0x20 too */
    __m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del));

    return _mm_movemask_epi8(bad) == 0;
}
#endif

/* From @i, blocks of @size bytes while @plain says so; a tail shorter than a
 * block is checked as the block that ends the text (overlapping the one
 * before) rather than byte by byte. Returns @len if all of it is plain,
 * else where the block with something else starts. */
static inline size_t plain_blocks(const char *s, size_t len, size_t i, size_t size,
                                  bool (*plain)(const char *))
{
    for (; len - i >= size && plain(s + i); i += size)
        ;
    if (i < len && len - i < size && len >= size && plain(s + len - size))
        return len;
    return i;
}

/* The length of the printable ASCII run @s starts with, found 16 bytes at a
 * time where SSE2 is (every x86-64), then 8: every record's text is
 * scanned, and nearly all of it is such a run. */
static size_t plain_run(const char *s, size_t len)
{
    size_t i = 0;

#if defined(__SSE2__)
    i = plain_blocks(s, len, i, 16, plain16);
#endif
    if (i < len)
        i = plain_blocks(s, len, i, 8, plain8);
    for (; i < len && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x7f; i++)
        ;
    return i;
}

bool lt__text_plain(const char *s, size_t len)
{
    return plain_run(s, len) == len;
}

void lt_buf_escape_from(lt_buf *b, size_t start)
{
    size_t i, n = 0, len;
    char small[256], *tail;

    if (!b || !b->escape || b->err || start >= b->len)
        return;
    for (i = start, len = b->len; i < len; i += n) {
        i += plain_run(b->data + i, len - i);
        if (i == len)
            break;
        if (b->data[i] == '\t') {
            n = 1;
            continue;
        }
        if (needs_escape(b->data + i, len - i, &n))
            break;
    }
    if (i == b->len)
        return; /* the usual case: nothing to do, nothing copied */
    /* The rest moves out and comes back escaped: it only grows. */
    len = b->len - i;
    tail = len <= sizeof(small) ? small : lt__malloc(len);
    if (!tail) {
        b->err = LT_ENOMEM;
        return;
    }
    memcpy(tail, b->data + i, len);
    lt_buf_truncate(b, i);
    for (size_t j = 0, run = 0; j < len; j += n) {
        bool esc = needs_escape(tail + j, len - j, &n);

        if (esc || j + n == len) {
            lt__buf_put(b, tail + run, (esc ? j : j + n) - run);
            if (esc)
                put_escaped(b, tail + j, n);
            run = j + n;
        }
    }
    if (tail != small)
        free(tail);
}
