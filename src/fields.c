/* src/fields.c - field keys and sets of fields: the checks every key gets,
 * and the copies that bound loggers, thread contexts and kept records make. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "sys.h"

#define KEY_MAX 64

/* ASCII letters, digits, '_', '.', '-'; non-ASCII letters are taken as
 * well-formed UTF-8 sequences (Python's \w takes them too). */
static bool key_char(char c, bool first)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
        return true;
    return !first && ((c >= '0' && c <= '9') || c == '.' || c == '-');
}

/* The length of the well-formed UTF-8 sequence at @s (2 to 4), or 0. */
static size_t utf8_sequence(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
    unsigned cp;

    if (n == 0 || c > 0xF4)
        return 0;
    cp = c & (0x7F >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    /* no overlong forms, no surrogates, nothing above U+10FFFF */
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* Non-ASCII bytes must form well-formed UTF-8, so that every formatter can
 * print the key as it is and two keys never come out the same. */
bool lt__key_valid(const char *key)
{
    size_t n = 0;

    while (key[n]) {
        size_t step = (unsigned char)key[n] >= 0x80 ? utf8_sequence((const unsigned char *)key + n)
                                                    : key_char(key[n], n == 0);

        if (step == 0 || n + step > KEY_MAX)
            return false;
        n += step;
    }
    return n > 0 && !lt__is_record_attr(key);
}

/* "_" + @key with every byte outside the set (or of broken UTF-8) replaced
 * by '_', cut to the longest key allowed: what LT_F() promises for a key
 * that is not valid. */
static size_t fixed_key(const char *key, char *out)
{
    size_t n = 1;

    out[0] = '_';
    for (size_t i = 0; key[i] && n < KEY_MAX;) {
        size_t step = (unsigned char)key[i] >= 0x80 ? utf8_sequence((const unsigned char *)key + i)
                                                    : 0;

        if (step && n + step <= KEY_MAX) {
            memcpy(out + n, key + i, step);
            n += step;
            i += step;
            continue;
        }
        out[n++] = key_char(key[i], false) ? key[i] : '_';
        i++;
    }
    out[n] = '\0';
    return n;
}

static size_t value_bytes(const lt_value *v)
{
    return v->type == LT_VALUE_STRING ? v->as.s.len + 1 : 0;
}

/* The block header sits before the fields, so that a record can chain the
 * blocks it owns without another allocation. */
lt_field *lt__fields_dup(const lt_field *src, size_t n)
{
    size_t total = sizeof(struct lt__owned) + n * sizeof(lt_field);
    struct lt__owned *block;
    lt_field *dst;
    char *cursor;

    for (size_t i = 0; i < n; i++)
        total += KEY_MAX + 2 + value_bytes(&src[i].value);
    block = lt__malloc(total);
    if (!block)
        return NULL;
    block->next = NULL;
    dst = (lt_field *)(block + 1);
    cursor = (char *)(dst + n);
    for (size_t i = 0; i < n; i++) {
        const char *key = src[i].key ? src[i].key : "";

        dst[i].key = cursor;
        if (lt__key_valid(key)) {
            strcpy(cursor, key);
            cursor += strlen(key) + 1;
        } else {
            cursor += fixed_key(key, cursor) + 1;
        }
        dst[i].value = src[i].value;
        if (src[i].value.type == LT_VALUE_STRING) {
            memcpy(cursor, src[i].value.as.s.ptr, src[i].value.as.s.len);
            cursor[src[i].value.as.s.len] = '\0';
            dst[i].value.as.s.ptr = cursor;
            cursor += src[i].value.as.s.len + 1;
        }
    }
    return dst;
}

void lt__fields_free(lt_field *fields)
{
    if (fields)
        free((struct lt__owned *)(void *)fields - 1);
}

void lt__owned_add(struct lt__owned **list, lt_field *fields)
{
    struct lt__owned *block = (struct lt__owned *)(void *)fields - 1;

    block->next = *list;
    *list = block;
}

void lt__owned_free(struct lt__owned **list)
{
    while (*list) {
        struct lt__owned *next = (*list)->next;

        free(*list);
        *list = next;
    }
}

void lt__fields_merge(lt_field *dst, size_t *n, const lt_field *src, size_t m)
{
    for (size_t i = 0; i < m; i++) {
        size_t j = 0;

        while (j < *n && strcmp(dst[j].key, src[i].key) != 0)
            j++;
        dst[j] = src[i]; /* a key seen before keeps its place, takes the new value */
        if (j == *n)
            ++*n;
    }
}

void lt__fields_cap(lt_field *fields, size_t *n)
{
    if (*n <= LT_MAX_FIELDS)
        return;
    fields[LT_MAX_FIELDS - 1].key = "fields_dropped";
    fields[LT_MAX_FIELDS - 1].value = lt_value_int((long long)(*n - (LT_MAX_FIELDS - 1)));
    *n = LT_MAX_FIELDS;
}
