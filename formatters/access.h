/* formatters/access.h - the access-log formatter's compiled pattern, shared
 * by its compiler (access_compile.c) and its renderer (access.c). Written
 * against the public headers only, like every formatter. */
#ifndef LOGTREE_FORMATTERS_ACCESS_H
#define LOGTREE_FORMATTERS_ACCESS_H

#include <stdbool.h>
#include <stddef.h>

#include <logtree/formatter.h>

/* What one item of a compiled LogFormat prints. */
typedef enum lt__access_kind {
    LT__ACC_TEXT,      /* literal bytes: text */
    LT__ACC_FIELD,     /* a field, escaped: key (then key2) */
    LT__ACC_WHOLE,     /* a field that counts (status, bytes): floats rounded */
    LT__ACC_ATTR,      /* %{name}x of a record attribute: attr */
    LT__ACC_USER,      /* %u: as FIELD, but an empty user prints "" */
    LT__ACC_QUERY,     /* %q: "?" and the query, or nothing */
    LT__ACC_REQUEST,   /* %r: request, or method path?query protocol */
    LT__ACC_BYTES_CLF, /* %b: as WHOLE, but 0 prints "-" */
    LT__ACC_DURATION,  /* %D, %T: duration_us divided by div */
    LT__ACC_TIME_CLF,  /* %t: [10/Oct/2000:13:55:36 -0700] */
    LT__ACC_TIME_FMT,  /* %{format}t: strftime(text) */
    LT__ACC_TIME_EPOCH /* %{sec}t and friends: time since the epoch / div % mod */
} lt__access_kind;

/* "no key": an item that reads one field, or none. */
#define LT__ACC_NONE ((size_t)-1)

typedef struct lt__access_item {
    lt__access_kind kind;
    int attr;      /* ATTR: the lt_attr number */
    size_t text;   /* TEXT, TIME_FMT: offset in the pool (TIME_FMT: NUL-terminated) */
    size_t len;    /* TEXT: bytes */
    size_t key;    /* the field's key: offset in the pool, or LT__ACC_NONE */
    size_t key2;   /* a second key tried when the first is missing, or LT__ACC_NONE */
    long long div; /* DURATION, TIME_EPOCH: the unit, as a divisor */
    long long mod; /* TIME_EPOCH: 0, or the modulus of a *_frac */
    size_t codes;  /* status codes of a condition: offset in the codes array */
    size_t ncodes; /* 0: no condition */
    bool negate;   /* the condition was given with '!': print unless it matches */
} lt__access_item;

typedef struct lt__access_program {
    lt__access_item *items;
    size_t n;
    char *pool; /* literal text, keys and time formats, referred to by offset */
    int *codes; /* the status codes of every condition */
} lt__access_program;

/* Compile @pattern, a LogFormat or the name of a preset, into @prog. Returns
 * 0, LT_EFORMAT with @err (may be NULL) naming the column of the fault, or
 * LT_ENOMEM. On failure @prog holds nothing to free. */
int lt__access_compile(lt__access_program *prog, const char *pattern, lt_error *err);

/* Free what lt__access_compile() made. */
void lt__access_program_free(lt__access_program *prog);

#endif /* LOGTREE_FORMATTERS_ACCESS_H */
