/* formatters/structured.h - what the JSON and logfmt formatters share: the
 * plan of which attributes they print under which keys (compiled once from
 * the options, read-only afterwards), the keys the record's fields get, the
 * RFC 3339 time, and a UTF-8 decoder that marks invalid sequences. Written
 * against the public headers only, like every formatter. */
#ifndef LOGTREE_FORMATTERS_STRUCTURED_H
#define LOGTREE_FORMATTERS_STRUCTURED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <logtree/formatters.h>

/* What an item prints, besides the lt_attr numbers of record.h. */
#define LT__ITEM_TIME    (-1) /* RFC 3339 time */
#define LT__ITEM_ASCTIME (-2) /* lt_format_time() with the plan's datefmt */

/* Every attribute at most once, plus time and asctime. */
#define LT__ITEMS_MAX (LT_ATTR_COUNT + 2)

typedef struct lt__item {
    int attr;        /* an lt_attr number or LT__ITEM_* */
    const char *key; /* the key it prints under; points into the plan's keys */
    size_t key_len;
} lt__item;

/* The options both formatters take (lt_json_options, lt_logfmt_options). */
typedef struct lt__plan_options {
    const char *attributes;
    const char *rename;
    const char *datefmt;
    lt_level_case level_case;
    bool utc;
    bool omit_fields;
} lt__plan_options;

typedef struct lt__plan {
    lt__item items[LT__ITEMS_MAX]; /* the listed ones, then errno and strerror if not listed */
    size_t n;                      /* listed items */
    size_t n_errno;                /* items after those, printed when the record has an errno */
    char *keys;                    /* the keys, NUL-terminated, one block */
    char *datefmt;                 /* NULL: lt_format_time()'s default */
    char level_case;               /* 0: keep; 'l' lower; 'u' upper */
    bool utc;
    bool fields;
    unsigned char first_bytes[32]; /* bitmap of the first bytes of the items' keys */
    char *desc;                    /* the options, for lt__plan_describe() */
} lt__plan;

/* Compile @opts into @plan (zeroed). NULL attributes and rename take
 * "time,levelname,name,message" and @default_rename; level_case DEFAULT
 * takes @default_case.
 * Returns: 0; LT_EINVAL with @err (may be NULL) saying why; LT_ENOMEM. On
 * failure @plan holds nothing. */
int lt__plan_compile(lt__plan *plan, const lt__plan_options *opts, const char *default_rename,
                     lt_level_case default_case, lt_error *err);

void lt__plan_free(lt__plan *plan);

/* Append "@kind attributes='...' rename='...' datefmt=None utc=False": the
 * formatter's options as it was made, defaults filled in. */
void lt__plan_describe(const lt__plan *plan, const char *kind, lt_buf *out);

/* How many of the plan's items print for @rec (the errno pair or not). */
size_t lt__plan_count(const lt__plan *plan, const lt_record *rec);

/* Walks a record's fields and gives each the key it prints under: its own,
 * or, when that is an item's key, with as many '_' in front as it takes to
 * be free of items, of the record's fields and of the keys given so far. */
typedef struct lt__field_walk {
    const lt__plan *plan;
    const lt_record *rec;
    size_t next, count;
    size_t ntaken;
    struct {
        const char *key;
        size_t under;
    } taken[LT__ITEMS_MAX]; /* fields moved so far; fields are unique, so at most one per item */
} lt__field_walk;

void lt__field_walk_start(lt__field_walk *w, const lt__plan *plan, const lt_record *rec);

/* The next field: its key, the '_'s to print before it, its value.
 * Returns: false after the last field. */
bool lt__field_walk_next(lt__field_walk *w, const char **key, size_t *under, lt_value *value);

/* A staging area on the stack in front of the lt_buf a record goes to: a
 * record is written in many small pieces, and one lt_buf_append() per piece
 * would cost more than the pieces do. */
typedef struct lt__out {
    lt_buf *buf;
    size_t n;
    char stage[1024];
} lt__out;

static inline void lt__out_init(lt__out *o, lt_buf *buf)
{
    o->buf = buf;
    o->n = 0;
}

/* The lt_buf with everything staged in it: for writers that append there. */
static inline lt_buf *lt__out_flush(lt__out *o)
{
    lt_buf_append(o->buf, o->stage, o->n);
    o->n = 0;
    return o->buf;
}

static inline void lt__out_write(lt__out *o, const char *s, size_t len)
{
    if (len > sizeof(o->stage) - o->n) {
        lt__out_flush(o);
        if (len > sizeof(o->stage) / 2) {
            lt_buf_append(o->buf, s, len);
            return;
        }
    }
    memcpy(o->stage + o->n, s, len);
    o->n += len;
}

static inline void lt__out_putc(lt__out *o, char c)
{
    if (o->n == sizeof(o->stage))
        lt__out_flush(o);
    o->stage[o->n++] = c;
}

static inline void lt__out_puts(lt__out *o, const char *s)
{
    lt__out_write(o, s, strlen(s));
}

/* Write @n '_' characters. */
void lt__put_underscores(lt__out *o, size_t n);

/* Write the time of @rec as RFC 3339 with microseconds: the local time and
 * its offset ("+05:30"), or UTC with "Z". */
void lt__put_rfc3339(lt__out *o, const lt_record *rec, bool utc);

/* Write the decimal digits of an int or uint @v. */
void lt__put_integer(lt__out *o, const lt_value *v);

/* Write finite @d as Python's repr() writes it. */
void lt__put_repr(lt__out *o, double d);

/* A UTF-8 decoder that follows the Unicode standard's "maximal subpart"
 * practice (as Python's "replace" error handler does): each invalid
 * sequence it meets is one error, however many bytes it spans. */
#define LT__UTF8_BAD 0xFFFFFFFFu

/* The character at @s (@len > 0 bytes left) into *@cp, or LT__UTF8_BAD for
 * an invalid sequence. Returns: the bytes used, 1 to 4. */
size_t lt__utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Whether @cp is a control character: C0, DEL or C1. */
static inline bool lt__is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* ASCII letter @c in @letter_case: 0 (as it is), 'l' or 'u'. */
static inline char lt__cased(char c, char letter_case)
{
    if (letter_case == 'l' && c >= 'A' && c <= 'Z')
        return (char)(c - 'A' + 'a');
    if (letter_case == 'u' && c >= 'a' && c <= 'z')
        return (char)(c - 'a' + 'A');
    return c;
}

/* Text that an append function has already written to @out from @start on,
 * moved out of it to be written again in another form: on the stack when it
 * fits, else on the heap (a datefmt whose asctime runs past 512 bytes and
 * needs escaping: never, in practice). */
typedef struct lt__moved {
    const char *ptr;
    size_t len;
    char *heap;
    char small[512];
} lt__moved;

/* Returns: 0, or LT_ENOMEM (@out keeps the text). */
int lt__move_out(lt_buf *out, size_t start, lt__moved *m);
void lt__moved_release(lt__moved *m);

#endif /* LOGTREE_FORMATTERS_STRUCTURED_H */
