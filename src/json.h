/* src/json.h - a strict RFC 8259 JSON parser for configuration files.
 *
 * libc only. The whole text is read into a tree of values, each knowing the
 * line and column where it starts, so that a loader can say where a value it
 * rejects is. What is refused, with "file:line:column: what":
 *   - anything RFC 8259's grammar does not produce: comments, trailing
 *     commas, single quotes, NaN/Infinity, leading zeros or '+', a bare '.5',
 *     control characters inside strings, text after the value;
 *   - bytes that are not UTF-8 (overlong forms, surrogates, beyond U+10FFFF),
 *     and a byte-order mark (RFC 8259 section 8.1: senders must not add one);
 *   - \u escapes of lone surrogates (Python accepts them, but the result
 *     cannot be UTF-8); pairs are joined;
 *   - nesting deeper than LT__JSON_MAX_DEPTH, a text longer than
 *     LT__JSON_MAX_SIZE.
 * Duplicate keys in an object are accepted, the last value winning in the
 * first key's place, as Python's json (and dict) keep them. */
#ifndef LOGTREE_JSON_H
#define LOGTREE_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <logtree/common.h>

#define LT__JSON_MAX_DEPTH 512
#define LT__JSON_MAX_SIZE  ((size_t)64 << 20)

typedef enum {
    LT__JSON_NULL,
    LT__JSON_BOOL,
    LT__JSON_NUMBER,
    LT__JSON_STRING,
    LT__JSON_ARRAY,
    LT__JSON_OBJECT
} lt__json_kind;

typedef struct lt__json lt__json;

struct lt__json_member {
    char *key; /* UTF-8, NUL-terminated; may hold NULs (see key_len) */
    size_t key_len;
    int line, column; /* of the key */
    lt__json *value;
};

struct lt__json {
    lt__json_kind kind;
    int line, column; /* 1-based; columns count bytes */
    union {
        bool b;
        struct {
            char *text;   /* as written: "1e400", "-0", "12" */
            double d;     /* its value as a double (inf when beyond) */
            long long i;  /* its value when is_int && fits */
            bool is_int;  /* no fraction and no exponent, as Python's int */
            bool fits;    /* is_int and within 64 bits */
        } num;
        struct {
            char *ptr; /* UTF-8, NUL-terminated; may hold NULs (\u0000) */
            size_t len;
        } str;
        struct {
            lt__json **items;
            size_t n;
        } arr;
        struct {
            struct lt__json_member *members; /* in order of first appearance */
            size_t n;
        } obj;
    } as;
};

/* Parse the @len bytes of @text as one JSON value. Returns 0 and *@ret, or
 * LT_ESYNTAX (LT_ENOMEM) with @err (may be NULL) holding @file, the line,
 * the column and what was expected. */
int lt__json_parse(const char *text, size_t len, const char *file, lt__json **ret,
                   lt_error *err);

/* Free @v and everything under it. NULL is allowed. */
void lt__json_free(lt__json *v);

/* The member @key of the object @obj (NULL if absent or not an object). */
const struct lt__json_member *lt__json_member(const lt__json *obj, const char *key);

/* Its value, or NULL. */
const lt__json *lt__json_get(const lt__json *obj, const char *key);

/* "null", "a boolean", "a number", "a string", "an array", "an object". */
const char *lt__json_kind_name(lt__json_kind k);

/* Python's truth value of @v (null, false, 0, "", [], {} are false). */
bool lt__json_truthy(const lt__json *v);

#endif /* LOGTREE_JSON_H */
