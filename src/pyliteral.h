/* src/pyliteral.h - the Python expressions fileConfig() configs put in args=
 * and kwargs=, which Python evaluates with eval(text, vars(logging)).
 *
 * A safe subset is parsed and evaluated here: tuples, parenthesised
 * expressions, dicts with string keys, strings (any quoting, escapes, raw,
 * adjacent literals joined), integers and floats with + - * ** and unary
 * signs, None/True/False, and the dotted names of logging's namespace that
 * configs use (level names, handlers.* constants; sys.stdout and sys.stderr
 * stay symbolic). Everything else Python would accept is refused as
 * "not supported", never guessed. */
#ifndef LOGTREE_PYLITERAL_H
#define LOGTREE_PYLITERAL_H

#include <stdbool.h>
#include <stddef.h>

#include <logtree/common.h>

typedef enum {
    LT__PY_NONE,
    LT__PY_BOOL,
    LT__PY_INT,
    LT__PY_FLOAT,
    LT__PY_STR,
    LT__PY_NAME, /* sys.stdout, sys.stderr: the dotted text in as.str */
    LT__PY_TUPLE,
    LT__PY_DICT
} lt__py_kind;

typedef struct lt__pyval lt__pyval;

struct lt__pyval {
    lt__py_kind kind;
    int column; /* 1-based byte offset in the parsed text where it starts */
    union {
        bool b;
        long long i;
        double f;
        struct {
            char *ptr; /* UTF-8, NUL-terminated; may hold NULs ('\0') */
            size_t len;
        } str; /* STR and NAME */
        struct {
            lt__pyval **items;
            size_t n;
        } tuple;
        struct {
            lt__pyval **keys; /* all STR, distinct (a repeated key keeps its
                                 first place and its last value, as Python) */
            lt__pyval **values;
            size_t n;
        } dict;
    } as;
};

/* Parse and evaluate the whole of @text (NUL-terminated; whitespace, newlines
 * inside brackets and '#' comments allowed as in Python). A top-level
 * "a, b" is a tuple, as in Python; "(a)" is not. Returns 0 and *@ret, or a
 * negative code with @err (may be NULL) holding the 1-based byte column in
 * @text and a message (file and line left for the caller):
 *   LT_ESYNTAX       what Python also rejects as a syntax error;
 *   LT_EUNKNOWN      a name Python does not know ("name 'x' is not defined");
 *   LT_EUNSUPPORTED  valid Python beyond this subset (calls, lists, f-strings,
 *                    '/', names such as os.sep, operand types Python rejects);
 *   LT_ERANGE        an integer beyond 64 bits (Python's ints have no limit);
 *   LT_ENOMEM. */
int lt__py_parse(const char *text, lt__pyval **ret, lt_error *err);

/* Free @v and everything under it. NULL is allowed. */
void lt__py_free(lt__pyval *v);

/* "None", "bool", "int", "float", "str", "name", "tuple", "dict". */
const char *lt__py_kind_name(lt__py_kind k);

/* The value of @key in @dict; NULL if absent or @dict is not a dict. */
const lt__pyval *lt__py_dict_get(const lt__pyval *dict, const char *key);

#endif /* LOGTREE_PYLITERAL_H */
