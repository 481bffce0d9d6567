/* src/pyliteral.c - parse and evaluate the Python subset of args= and kwargs=.
 *
 * A recursive-descent parser over Python 3.11's expression grammar, cut down
 * to what logging configs use, evaluating as it goes. Whatever it refuses,
 * it says whether Python would have refused it too (LT_ESYNTAX, LT_EUNKNOWN)
 * or would have run it (LT_EUNSUPPORTED), so that a user can tell "my config
 * is wrong" from "logtree does not do that". */
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../formatters/pyformat.h"
#include "internal.h"
#include "pyliteral.h"
#include "sys.h"

#define PY_MAX_NEST  200  /* Python: "too many nested parentheses" beyond 200 */
#define PY_MAX_DEPTH 1000 /* recursion through signs and "**": bounds the stack */

struct py {
    const char *text;
    const char *p;
    int nest;                      /* open brackets: newlines are spaces inside */
    int depth;                     /* recursion of the parser */
    const char *open[PY_MAX_NEST]; /* where each open bracket is */
    lt_error *err;
};

static int expr(struct py *ps, lt__pyval **out);

/* ---- errors and characters ----------------------------------------------- */

static int col(const struct py *ps, const char *at)
{
    return (int)(at - ps->text) + 1;
}

static int fail(struct py *ps, int code, const char *at, const char *fmt, ...) LT_PRINTF(4, 5);

static int fail(struct py *ps, int code, const char *at, const char *fmt, ...)
{
    char msg[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return lt__error_set(ps->err, code, NULL, 0, col(ps, at), "%s", msg);
}

static int nomem(struct py *ps)
{
    return lt__error_set(ps->err, LT_ENOMEM, NULL, 0, 0, "out of memory");
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident(char c)
{
    return is_alpha(c) || is_digit(c);
}

static bool is_newline(const char *p)
{
    return *p == '\n' || *p == '\r';
}

static const char *after_newline(const char *p)
{
    return p[0] == '\r' && p[1] == '\n' ? p + 2 : p + 1;
}

/* @word (@n bytes) in a list of words separated and surrounded by spaces. */
static bool in_words(const char *list, const char *word, size_t n)
{
    for (const char *w = list + 1; *w; w += strcspn(w, " ") + 1)
        if (strcspn(w, " ") == n && memcmp(w, word, n) == 0)
            return true;
    return false;
}

/* Spaces, comments, backslash-newlines, and newlines inside brackets (at the
 * top level a newline ends the expression, as in Python). */
static void skip(struct py *ps)
{
    for (;;) {
        const char *p = ps->p;
        if (*p == ' ' || *p == '\t' || *p == '\f') {
            ps->p++;
        } else if (*p == '#') {
            while (*ps->p && !is_newline(ps->p))
                ps->p++;
        } else if (*p == '\\' && is_newline(p + 1) && *after_newline(p + 1)) {
            ps->p = after_newline(p + 1); /* a continuation must continue something */
        } else if (ps->nest > 0 && is_newline(p)) {
            ps->p = after_newline(p);
        } else {
            return;
        }
    }
}

/* ---- values -------------------------------------------------------------- */

static lt__pyval *new_val(lt__py_kind kind, int column)
{
    lt__pyval *v = lt__calloc(1, sizeof(*v));

    if (v) {
        v->kind = kind;
        v->column = column;
    }
    return v;
}

void lt__py_free(lt__pyval *v)
{
    if (!v)
        return;
    switch (v->kind) {
    case LT__PY_STR:
    case LT__PY_NAME:
        free(v->as.str.ptr);
        break;
    case LT__PY_TUPLE:
        for (size_t i = 0; i < v->as.tuple.n; i++)
            lt__py_free(v->as.tuple.items[i]);
        free(v->as.tuple.items);
        break;
    case LT__PY_DICT:
        for (size_t i = 0; i < v->as.dict.n; i++) {
            lt__py_free(v->as.dict.keys[i]);
            lt__py_free(v->as.dict.values[i]);
        }
        free(v->as.dict.keys);
        free(v->as.dict.values);
        break;
    default:
        break;
    }
    free(v);
}

const char *lt__py_kind_name(lt__py_kind k)
{
    static const char *const names[] = {"None", "bool", "int",   "float",
                                        "str",  "name", "tuple", "dict"};

    return (size_t)k < LT__ARRAY_SIZE(names) ? names[k] : "?";
}

const lt__pyval *lt__py_dict_get(const lt__pyval *dict, const char *key)
{
    size_t n = strlen(key);

    if (!dict || dict->kind != LT__PY_DICT)
        return NULL;
    for (size_t i = 0; i < dict->as.dict.n; i++) {
        const lt__pyval *k = dict->as.dict.keys[i];
        if (k->as.str.len == n && memcmp(k->as.str.ptr, key, n) == 0)
            return dict->as.dict.values[i];
    }
    return NULL;
}

/* Append @item to a tuple, growing its array at each power of two. */
static int tuple_push(lt__pyval *t, lt__pyval *item)
{
    size_t n = t->as.tuple.n;

    if ((n & (n - 1)) == 0) {
        lt__pyval **items = lt__realloc(t->as.tuple.items, (n ? 2 * n : 1) * sizeof(*items));
        if (!items) {
            lt__py_free(item);
            return LT_ENOMEM;
        }
        t->as.tuple.items = items;
    }
    t->as.tuple.items[t->as.tuple.n++] = item;
    return 0;
}

/* A repeated key keeps its place and takes the new value, as in Python. */
static int dict_put(lt__pyval *d, lt__pyval *k, lt__pyval *v)
{
    size_t n = d->as.dict.n;
    lt__pyval **keys, **values;

    for (size_t i = 0; i < n; i++) {
        lt__pyval *old = d->as.dict.keys[i];
        if (old->as.str.len == k->as.str.len &&
            memcmp(old->as.str.ptr, k->as.str.ptr, k->as.str.len) == 0) {
            lt__py_free(d->as.dict.values[i]);
            d->as.dict.values[i] = v;
            lt__py_free(k);
            return 0;
        }
    }
    if ((n & (n - 1)) == 0) {
        keys = lt__realloc(d->as.dict.keys, (n ? 2 * n : 1) * sizeof(*keys));
        if (keys)
            d->as.dict.keys = keys;
        values = keys ? lt__realloc(d->as.dict.values, (n ? 2 * n : 1) * sizeof(*values)) : NULL;
        if (!values) {
            lt__py_free(k);
            lt__py_free(v);
            return LT_ENOMEM;
        }
        d->as.dict.values = values;
    }
    d->as.dict.keys[n] = k;
    d->as.dict.values[n] = v;
    d->as.dict.n++;
    return 0;
}

/* ---- strings ------------------------------------------------------------- */

enum { STR_NO, STR_YES, STR_BYTES, STR_FORMAT };

/* Whether a string literal starts at @p (a valid prefix and a quote): one of
 * STR_*, with *@raw and *@quote set. */
static int str_start(const char *p, bool *raw, const char **quote)
{
    static const char *const prefixes[] = {"", "r", "u", "b", "f", "br", "rb", "fr", "rf"};
    char pre[3] = "";
    size_t n = 0;

    while (n < 3 && is_alpha(p[n]) && p[n] != '_') {
        if (n == 2)
            return STR_NO;
        pre[n] = (char)(p[n] | 0x20);
        n++;
    }
    pre[n] = '\0';
    if (p[n] != '\'' && p[n] != '"')
        return STR_NO;
    for (size_t i = 0; i < LT__ARRAY_SIZE(prefixes); i++) {
        if (strcmp(pre, prefixes[i]) == 0) {
            *raw = strchr(pre, 'r') != NULL;
            *quote = p + n;
            return strchr(pre, 'b') ? STR_BYTES : strchr(pre, 'f') ? STR_FORMAT : STR_YES;
        }
    }
    return STR_NO;
}

static int hex_val(char c)
{
    if (is_digit(c))
        return c - '0';
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
        return (c | 0x20) - 'a' + 10;
    return 99;
}

/* \xHH, \uHHHH, \UHHHHHHHH at @bs: exactly @n hex digits. */
static int hex_escape(struct py *ps, const char *bs, int n, lt_buf *b)
{
    uint32_t cp = 0;

    for (int i = 0; i < n; i++) {
        if (hex_val(bs[2 + i]) > 15)
            return fail(ps, LT_ESYNTAX, bs, "truncated \\%c escape: it needs %d hex digits", bs[1],
                        n);
        cp = cp * 16 + (uint32_t)hex_val(bs[2 + i]);
    }
    if (cp > 0x10ffff)
        return fail(ps, LT_ESYNTAX, bs, "illegal Unicode character in \\U escape");
    if (cp >= 0xd800 && cp <= 0xdfff)
        return fail(ps, LT_EUNSUPPORTED, bs, "not supported in args: surrogate code points");
    ps->p = bs + 2 + n;
    lt__utf8_put(b, cp);
    return 0;
}

/* One backslash escape of a non-raw string, at ps->p. Unknown ones ("\d",
 * "C:\logs") keep their backslash, as Python 3.11 does (with a warning). */
static int escape(struct py *ps, lt_buf *b)
{
    static const char simple[] = "\\\\''\"\"a\ab\bf\fn\nr\rt\tv\v";
    const char *bs = ps->p, *s;
    char c = bs[1];
    uint32_t cp = 0;

    if (is_newline(bs + 1)) { /* a line continuation inside the string */
        ps->p = after_newline(bs + 1);
        return 0;
    }
    for (s = simple; *s; s += 2) {
        if (c == s[0]) {
            ps->p = bs + 2;
            lt__buf_putc(b, s[1]);
            return 0;
        }
    }
    if (c >= '0' && c <= '7') {
        for (ps->p = bs + 1; ps->p < bs + 4 && *ps->p >= '0' && *ps->p <= '7'; ps->p++)
            cp = cp * 8 + (uint32_t)(*ps->p - '0');
        lt__utf8_put(b, cp);
        return 0;
    }
    if (c == 'x' || c == 'u' || c == 'U')
        return hex_escape(ps, bs, c == 'x' ? 2 : c == 'u' ? 4 : 8, b);
    if (c == 'N')
        return fail(ps, LT_EUNSUPPORTED, bs, "not supported in args: \\N{...} escapes");
    ps->p = bs + 1;
    lt__buf_putc(b, '\\');
    return 0;
}

/* In a raw string a backslash stays, and keeps the next character (even the
 * quote) from ending the string. */
static int raw_escape(struct py *ps, lt_buf *b)
{
    const char *bs = ps->p;

    if (bs[1] == '\0') {
        ps->p = bs + 1;
        lt__buf_putc(b, '\\');
    } else if (is_newline(bs + 1)) {
        ps->p = after_newline(bs + 1);
        lt__buf_put(b, "\\\n", 2);
    } else {
        ps->p = bs + 2;
        lt__buf_put(b, bs, 2);
    }
    return 0;
}

/* One literal, its prefix included, appended to @b. */
static int str_lit(struct py *ps, lt_buf *b)
{
    const char *start = ps->p, *q, *p;
    bool raw, triple;
    int kind = str_start(start, &raw, &q), rc = 0;

    if (kind == STR_BYTES)
        return fail(ps, LT_EUNSUPPORTED, start, "not supported in args: bytes literals");
    if (kind == STR_FORMAT)
        return fail(ps, LT_EUNSUPPORTED, start, "not supported in args: f-strings");
    triple = q[1] == *q && q[2] == *q;
    ps->p = q + (triple ? 3 : 1);
    /* every append comes back here: a dropped one fails the parse first */
    while (rc == 0 && (rc = lt_buf_error(b)) == 0) {
        p = ps->p;
        if (*p == '\0' || (!triple && is_newline(p)))
            return fail(ps, LT_ESYNTAX, start, "unterminated %sstring",
                        triple ? "triple-quoted " : "");
        if (*p == *q && (!triple || (p[1] == *q && p[2] == *q))) {
            ps->p = p + (triple ? 3 : 1);
            break;
        }
        if (is_newline(p)) {
            ps->p = after_newline(p);
            lt__buf_putc(b, '\n');
        } else if (*p == '\\') {
            rc = raw ? raw_escape(ps, b) : escape(ps, b);
        } else {
            ps->p++;
            lt__buf_putc(b, *p);
        }
    }
    return rc;
}

/* Adjacent literals make one string: 'a' "b" r'\c'. */
static int strings(struct py *ps, lt__pyval **out)
{
    char mem[128]; /* most strings fit: the heap copy is then their exact size */
    lt_buf b;
    const char *start = ps->p, *q;
    char *str = NULL;
    size_t len = 0;
    bool raw;
    int rc;

    lt__buf_on(&b, mem, sizeof(mem));
    do {
        rc = str_lit(ps, &b);
        skip(ps);
    } while (rc == 0 && str_start(ps->p, &raw, &q) != STR_NO);
    if (rc < 0)
        lt__buf_release(&b);
    else if (!(str = lt__buf_take(&b, &len)))
        rc = LT_ENOMEM;
    if (rc == 0 && !(*out = new_val(LT__PY_STR, col(ps, start))))
        rc = LT_ENOMEM;
    if (rc < 0) {
        free(str);
        return rc;
    }
    (*out)->as.str.ptr = str;
    (*out)->as.str.len = len;
    return 0;
}

/* ---- numbers ------------------------------------------------------------- */

/* digit (["_"] digit)*: the end of it, or @p if there is no digit. */
static const char *digitpart(const char *p)
{
    if (!is_digit(*p))
        return p;
    for (p++; is_digit(*p) || (*p == '_' && is_digit(p[1])); p++)
        ;
    return p;
}

static int new_int(struct py *ps, const char *start, long long i, lt__pyval **out)
{
    if (!(*out = new_val(LT__PY_INT, col(ps, start))))
        return LT_ENOMEM;
    (*out)->as.i = i;
    return 0;
}

/* The digits of [@s, @e) in @base, '_' skipped; false on overflow. */
static bool int_value(const char *s, const char *e, int base, long long *ret)
{
    long long v = 0;

    for (; s < e; s++) {
        int d = hex_val(*s);
        if (*s == '_')
            continue;
        if (v > (LLONG_MAX - d) / base)
            return false;
        v = v * base + d;
    }
    *ret = v;
    return true;
}

/* 0x.., 0o.., 0b..: (["_"] digit)+ after the prefix. */
static int based_int(struct py *ps, lt__pyval **out)
{
    const char *s = ps->p, *p = s + 2;
    char k = (char)(s[1] | 0x20);
    int base = k == 'x' ? 16 : k == 'o' ? 8 : 2;
    const char *what = base == 16 ? "hexadecimal" : base == 8 ? "octal" : "binary";
    long long v;

    for (;;) {
        const char *d = *p == '_' ? p + 1 : p;
        if (hex_val(*d) >= base)
            break;
        p = d + 1;
    }
    if (p == s + 2 || is_ident(*p))
        return fail(ps, LT_ESYNTAX, s, "invalid %s literal", what);
    if (!int_value(s + 2, p, base, &v))
        return fail(ps, LT_ERANGE, s, "integer %.*s does not fit in 64 bits", (int)(p - s), s);
    ps->p = p;
    return new_int(ps, s, v, out);
}

/* strtod() reads the locale's decimal point; Python's is always '.'. */
static int float_value(struct py *ps, const char *s, const char *e, lt__pyval **out)
{
    const char *dp = localeconv()->decimal_point;
    size_t dpl = strlen(dp);
    char *buf = lt__malloc((size_t)(e - s) + dpl + 1), *o = buf;

    if (!buf)
        return LT_ENOMEM;
    for (; s < e; s++) {
        if (*s == '.') {
            memcpy(o, dp, dpl);
            o += dpl;
        } else if (*s != '_') {
            *o++ = *s;
        }
    }
    *o = '\0';
    if (!(*out = new_val(LT__PY_FLOAT, col(ps, ps->p)))) {
        free(buf);
        return LT_ENOMEM;
    }
    (*out)->as.f = strtod(buf, NULL); /* overflow gives inf, as in Python */
    free(buf);
    return 0;
}

/* Python 3.11 still reads "1if x else y" as "1 if x else y" (with a warning):
 * leave such a keyword to be refused as unsupported, like the spaced one. */
static bool glued_keyword(const char *p)
{
    size_t n = 0;

    while (is_ident(p[n]))
        n++;
    return in_words(" and else for if in is not or ", p, n);
}

static int number(struct py *ps, lt__pyval **out)
{
    const char *s = ps->p, *p = digitpart(s), *e;
    bool is_float = false;
    long long v;

    if (s[0] == '0' && s[1] && strchr("xXoObB", s[1]))
        return based_int(ps, out);
    if (*p == '.') {
        is_float = true;
        p = digitpart(p + 1);
    }
    if (*p == 'e' || *p == 'E') {
        e = p + 1 + (p[1] == '+' || p[1] == '-');
        if (is_digit(*e)) {
            is_float = true;
            p = digitpart(e);
        }
    }
    if (*p == 'j' || *p == 'J')
        return fail(ps, LT_EUNSUPPORTED, s, "not supported in args: complex numbers");
    if (is_ident(*p) && !glued_keyword(p))
        return fail(ps, LT_ESYNTAX, p, "invalid decimal literal");
    if (is_float) {
        int rc = float_value(ps, s, p, out);
        ps->p = p;
        return rc;
    }
    for (e = s; *s == '0' && e < p; e++)
        if (*e != '0' && *e != '_')
            return fail(ps, LT_ESYNTAX, s,
                        "leading zeros in decimal integer literals are not permitted "
                        "(0o starts an octal number)");
    if (!int_value(s, p, 10, &v))
        return fail(ps, LT_ERANGE, s, "integer %.*s does not fit in 64 bits", (int)(p - s), s);
    ps->p = p;
    return new_int(ps, s, v, out);
}

/* ---- names --------------------------------------------------------------- */

/* What eval(text, vars(logging)) can name: logging's globals (with
 * logging.handlers and logging.config imported, as fileConfig() does) and the
 * builtins, keywords left out. Python 3.11.7. Only used to tell "not defined"
 * from "not supported". */
static const char py_globals[] =
    " ArithmeticError AssertionError AttributeError BASIC_FORMAT BaseException BaseExceptionGroup"
    " BlockingIOError BrokenPipeError BufferError BufferingFormatter BytesWarning CRITICAL"
    " ChildProcessError ConnectionAbortedError ConnectionError ConnectionRefusedError"
    " ConnectionResetError DEBUG DeprecationWarning EOFError ERROR Ellipsis EncodingWarning"
    " EnvironmentError Exception ExceptionGroup FATAL FileExistsError FileHandler"
    " FileNotFoundError Filter Filterer FloatingPointError Formatter FutureWarning GeneratorExit"
    " GenericAlias Handler INFO IOError ImportError ImportWarning IndentationError IndexError"
    " InterruptedError IsADirectoryError KeyError KeyboardInterrupt LogRecord Logger LoggerAdapter"
    " LookupError Manager MemoryError ModuleNotFoundError NOTSET NameError NotADirectoryError"
    " NotImplemented NotImplementedError NullHandler OSError OverflowError"
    " PendingDeprecationWarning PercentStyle PermissionError PlaceHolder ProcessLookupError"
    " RecursionError ReferenceError ResourceWarning RootLogger RuntimeError RuntimeWarning"
    " StopAsyncIteration StopIteration StrFormatStyle StreamHandler StringTemplateStyle"
    " SyntaxError SyntaxWarning SystemError SystemExit TabError Template TimeoutError TypeError"
    " UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError"
    " UnicodeWarning UserWarning ValueError WARN WARNING Warning ZeroDivisionError _STYLES"
    " _StderrHandler __all__ __author__ __build_class__ __builtins__ __cached__ __date__ __debug__"
    " __doc__ __file__ __import__ __loader__ __name__ __package__ __path__ __spec__ __status__"
    " __version__ _acquireLock _addHandlerRef _after_at_fork_child_reinit_locks"
    " _at_fork_reinit_lock_weakset _checkLevel _defaultFormatter _defaultLastResort _handlerList"
    " _handlers _is_internal_frame _levelToName _lock _logRecordFactory _loggerClass _nameToLevel"
    " _register_at_fork_reinit_lock _releaseLock _removeHandlerRef _showwarning _srcfile"
    " _startTime _str_formatter _warnings_showwarning abs addLevelName aiter all anext any ascii"
    " atexit basicConfig bin bool breakpoint bytearray bytes callable captureWarnings chr"
    " classmethod collections compile complex config copyright credits critical currentframe debug"
    " delattr dict dir disable divmod enumerate error eval exception exec exit fatal filter float"
    " format frozenset getLevelName getLevelNamesMapping getLogRecordFactory getLogger"
    " getLoggerClass getattr globals handlers hasattr hash help hex id info input int io"
    " isinstance issubclass iter lastResort len license list locals log logMultiprocessing"
    " logProcesses logThreads makeLogRecord map max memoryview min next object oct open ord os pow"
    " print property quit raiseExceptions range re repr reversed root round set"
    " setLogRecordFactory setLoggerClass setattr shutdown slice sorted staticmethod str sum super"
    " sys threading time traceback tuple type vars warn warning warnings weakref zip ";

static const char py_keywords[] = " and as assert async await break class continue def del elif"
                                  " else except finally for from global if import in is lambda"
                                  " nonlocal not or pass raise return try while with yield ";

/* The keywords that can follow a value in valid Python. */
static const char py_infix_keywords[] = " if else and or not in is for async ";

static const struct {
    const char *name;
    int value;
} py_ints[] = {
    {"NOTSET", 0},
    {"DEBUG", 10},
    {"INFO", 20},
    {"WARNING", 30},
    {"WARN", 30},
    {"ERROR", 40},
    {"CRITICAL", 50},
    {"FATAL", 50},
    {"handlers.DEFAULT_TCP_LOGGING_PORT", 9020},
    {"handlers.DEFAULT_UDP_LOGGING_PORT", 9021},
    {"handlers.DEFAULT_HTTP_LOGGING_PORT", 9022},
    {"handlers.DEFAULT_SOAP_LOGGING_PORT", 9023},
    {"handlers.SYSLOG_UDP_PORT", 514},
    {"handlers.SYSLOG_TCP_PORT", 514},
    {"handlers.socket.SOCK_STREAM", 1},
    {"handlers.socket.SOCK_DGRAM", 2},
    /* Not in fileConfig's namespace, but how SysLogHandler's documentation
     * and most configs spell them (dictConfig users import socket). */
    {"socket.SOCK_STREAM", 1},
    {"socket.SOCK_DGRAM", 2},
};

/* handlers.SysLogHandler.LOG_*: priorities, then facilities. */
static const struct {
    const char *name;
    int value;
} py_syslog[] = {
    {"EMERG", 0},   {"ALERT", 1},     {"CRIT", 2},     {"ERR", 3},       {"WARNING", 4},
    {"NOTICE", 5},  {"INFO", 6},      {"DEBUG", 7},    {"KERN", 0},      {"USER", 1},
    {"MAIL", 2},    {"DAEMON", 3},    {"AUTH", 4},     {"SYSLOG", 5},    {"LPR", 6},
    {"NEWS", 7},    {"UUCP", 8},      {"CRON", 9},     {"AUTHPRIV", 10}, {"FTP", 11},
    {"NTP", 12},    {"SECURITY", 13}, {"CONSOLE", 14}, {"SOLCRON", 15},  {"LOCAL0", 16},
    {"LOCAL1", 17}, {"LOCAL2", 18},   {"LOCAL3", 19},  {"LOCAL4", 20},   {"LOCAL5", 21},
    {"LOCAL6", 22}, {"LOCAL7", 23},
};

#define PY_SYSLOG_PREFIX "handlers.SysLogHandler.LOG_"

static bool lookup_int(const char *name, long long *ret)
{
    size_t pl = strlen(PY_SYSLOG_PREFIX);

    for (size_t i = 0; i < LT__ARRAY_SIZE(py_ints); i++) {
        if (strcmp(name, py_ints[i].name) == 0) {
            *ret = py_ints[i].value;
            return true;
        }
    }
    if (strncmp(name, PY_SYSLOG_PREFIX, pl) != 0)
        return false;
    for (size_t i = 0; i < LT__ARRAY_SIZE(py_syslog); i++) {
        if (strcmp(name + pl, py_syslog[i].name) == 0) {
            *ret = py_syslog[i].value;
            return true;
        }
    }
    return false;
}

/* A dotted name, known or refused; @call if a '(' follows it. */
static int resolve(struct py *ps, const char *start, lt_buf *b, bool call, lt__pyval **out)
{
    const char *s = lt_buf_data(b);
    size_t first = strcspn(s, "."), len;
    long long i;
    char *kept;

    if (lookup_int(s, &i))
        return new_int(ps, start, i, out);
    if (strcmp(s, "sys.stdout") == 0 || strcmp(s, "sys.stderr") == 0) {
        if (!(kept = lt__buf_take(b, &len)))
            return LT_ENOMEM;
        if (!(*out = new_val(LT__PY_NAME, col(ps, start)))) {
            free(kept);
            return LT_ENOMEM;
        }
        (*out)->as.str.ptr = kept;
        (*out)->as.str.len = len;
        return 0;
    }
    if (!in_words(py_globals, s, first))
        return fail(ps, LT_EUNKNOWN, start, "name '%.*s' is not defined", (int)first, s);
    if (call)
        return fail(ps, LT_EUNSUPPORTED, start, "not supported in args: calls ('%s(...)')", s);
    return fail(ps, LT_EUNSUPPORTED, start,
                "not supported in args: '%s' (known names are the level names such as INFO, "
                "handlers.* constants, sys.stdout and sys.stderr)",
                s);
}

/* name ("." name)*, with spaces allowed around the dots as in Python. */
static int name(struct py *ps, lt__pyval **out)
{
    const char *start = ps->p, *w, *save;
    char mem[128];
    lt_buf b;
    int rc;

    lt__buf_on(&b, mem, sizeof(mem));
    for (;;) {
        for (w = ps->p; is_ident(*ps->p); ps->p++)
            ;
        lt__buf_put(&b, w, (size_t)(ps->p - w));
        save = ps->p;
        skip(ps);
        if (*ps->p == '.') {
            ps->p++;
            skip(ps);
            if (is_alpha(*ps->p)) {
                lt__buf_putc(&b, '.');
                continue;
            }
        }
        ps->p = save;
        break;
    }
    /* Python parses before it evaluates: "(name=value)" is a syntax error,
     * whatever the name; a dropped append (LT_ENOMEM) comes first, as the
     * name is not whole */
    skip(ps);
    rc = lt_buf_error(&b);
    if (rc == 0 && *ps->p == '=' && ps->p[1] != '=')
        rc = fail(ps, LT_ESYNTAX, ps->p, "'=' here: keyword arguments go in kwargs={...}");
    if (rc == 0)
        rc = resolve(ps, start, &b, *ps->p == '(', out);
    lt__buf_release(&b);
    return rc;
}

static int word(struct py *ps, lt__pyval **out)
{
    const char *s = ps->p, *e = s;
    size_t n;

    while (is_ident(*e))
        e++;
    n = (size_t)(e - s);
    if ((n == 4 && memcmp(s, "None", 4) == 0) || (n == 4 && memcmp(s, "True", 4) == 0) ||
        (n == 5 && memcmp(s, "False", 5) == 0)) {
        if (!(*out = new_val(*s == 'N' ? LT__PY_NONE : LT__PY_BOOL, col(ps, s))))
            return LT_ENOMEM;
        (*out)->as.b = *s == 'T';
        ps->p = e;
        return 0;
    }
    if (in_words(" lambda not await ", s, n))
        return fail(ps, LT_EUNSUPPORTED, s, "not supported in args: '%.*s'", (int)n, s);
    if (in_words(py_keywords, s, n))
        return fail(ps, LT_ESYNTAX, s, "invalid syntax: '%.*s' is a keyword", (int)n, s);
    return name(ps, out);
}

/* ---- arithmetic ---------------------------------------------------------- */

static bool mul_overflows(long long a, long long b, long long *res)
{
    if (a != 0 && b != 0) {
        if (a > 0 ? (b > 0 ? a > LLONG_MAX / b : b < LLONG_MIN / a)
                  : (b > 0 ? a < LLONG_MIN / b : b < LLONG_MAX / a))
            return true;
    }
    *res = a * b;
    return false;
}

static bool int_overflows(char op, long long a, long long b, long long *res)
{
    long long base = a;

    switch (op) {
    case '+':
        if ((b > 0 && a > LLONG_MAX - b) || (b < 0 && a < LLONG_MIN - b))
            return true;
        *res = a + b;
        return false;
    case '-':
        if ((b < 0 && a > LLONG_MAX + b) || (b > 0 && a < LLONG_MIN + b))
            return true;
        *res = a - b;
        return false;
    case '*':
        return mul_overflows(a, b, res);
    default: /* '^' is '**', b >= 0 */
        for (*res = 1; b > 0; b >>= 1) {
            if ((b & 1) && mul_overflows(*res, base, res))
                return true;
            if (b > 1 && mul_overflows(base, base, &base))
                return true;
        }
        return false;
    }
}

static const char *op_text(char op)
{
    return op == '+' ? "+" : op == '-' ? "-" : op == '*' ? "*" : "**";
}

/* Python's bool is an int: True + 1 == 2. */
static void bool_to_int(lt__pyval *v)
{
    if (v->kind == LT__PY_BOOL) {
        v->kind = LT__PY_INT;
        v->as.i = v->as.b;
    }
}

static bool is_number(const lt__pyval *v)
{
    return v->kind == LT__PY_INT || v->kind == LT__PY_FLOAT;
}

static double as_double(const lt__pyval *v)
{
    return v->kind == LT__PY_FLOAT ? v->as.f : (double)v->as.i;
}

static int numeric(struct py *ps, char op, const char *at, lt__pyval *l, const lt__pyval *r)
{
    double a, b;

    if (l->kind == LT__PY_INT && r->kind == LT__PY_INT) {
        if (op == '^' && r->as.i < 0)
            return fail(ps, LT_EUNSUPPORTED, at, "not supported in args: negative exponents");
        if (int_overflows(op, l->as.i, r->as.i, &l->as.i))
            return fail(ps, LT_ERANGE, at, "the result of '%s' does not fit in 64 bits",
                        op_text(op));
        return 0;
    }
    if (op == '^')
        return fail(ps, LT_EUNSUPPORTED, at, "not supported in args: '**' with floats");
    a = as_double(l);
    b = as_double(r);
    l->kind = LT__PY_FLOAT;
    l->as.f = op == '+' ? a + b : op == '-' ? a - b : a * b;
    return 0;
}

static int concat(lt__pyval *l, const lt__pyval *r)
{
    char *p = lt__realloc(l->as.str.ptr, l->as.str.len + r->as.str.len + 1);

    if (!p)
        return LT_ENOMEM;
    memcpy(p + l->as.str.len, r->as.str.ptr, r->as.str.len + 1);
    l->as.str.ptr = p;
    l->as.str.len += r->as.str.len;
    return 0;
}

/* @l @op @r into *@out (which is @l, reused); @l and @r are consumed. */
static int binop(struct py *ps, char op, const char *at, lt__pyval *l, lt__pyval *r,
                 lt__pyval **out)
{
    const char *lk = lt__py_kind_name(l->kind), *rk = lt__py_kind_name(r->kind);
    int rc;

    bool_to_int(l);
    bool_to_int(r);
    if (is_number(l) && is_number(r))
        rc = numeric(ps, op, at, l, r);
    else if (op == '+' && l->kind == LT__PY_STR && r->kind == LT__PY_STR)
        rc = concat(l, r);
    else
        rc = fail(ps, LT_EUNSUPPORTED, at, "unsupported operand types for %s: '%s' and '%s'",
                  op_text(op), lk, rk);
    lt__py_free(r);
    if (rc < 0) {
        lt__py_free(l);
        l = NULL;
    }
    *out = l;
    return rc;
}

static int sign(struct py *ps, const char *at, lt__pyval *v, lt__pyval **out)
{
    int rc = 0;

    bool_to_int(v);
    if (!is_number(v))
        rc = fail(ps, LT_EUNSUPPORTED, at, "bad operand type for unary %c: '%s'", *at,
                  lt__py_kind_name(v->kind));
    else if (*at == '-' && v->kind == LT__PY_INT && v->as.i == LLONG_MIN)
        rc = fail(ps, LT_ERANGE, at, "the result of unary '-' does not fit in 64 bits");
    else if (*at == '-' && v->kind == LT__PY_INT)
        v->as.i = -v->as.i;
    else if (*at == '-')
        v->as.f = -v->as.f;
    if (rc < 0) {
        lt__py_free(v);
        v = NULL;
    } else {
        v->column = col(ps, at);
    }
    *out = v;
    return rc;
}

/* ---- the grammar --------------------------------------------------------- */

/* What stands at ps->p where something else was @expected: valid Python we
 * do not take (an operator, a keyword) or a syntax error. */
static int unexpected(struct py *ps, const char *expected)
{
    static const char *const ops[] = {
        "//", "/", "%", "@", "<<", ">>", "<=", ">=", "<", ">", "==", "!=", "&", "|", "^", ":="};
    const char *p = ps->p;
    size_t n = 0;

    if (*p == '\0' && ps->nest > 0)
        return fail(ps, LT_ESYNTAX, ps->open[ps->nest - 1], "'%c' was never closed",
                    *ps->open[ps->nest - 1]);
    if (*p == '\0' || is_newline(p))
        return fail(ps, LT_ESYNTAX, p, "expected %s before the end of the line", expected);
    for (size_t i = 0; i < LT__ARRAY_SIZE(ops); i++)
        if (strncmp(p, ops[i], strlen(ops[i])) == 0)
            return fail(ps, LT_EUNSUPPORTED, p, "not supported in args: the operator '%s'", ops[i]);
    while (is_ident(p[n]))
        n++;
    if (n && in_words(py_infix_keywords, p, n))
        return fail(ps, LT_EUNSUPPORTED, p, "not supported in args: '%.*s'", (int)n, p);
    if (*p == '=')
        return fail(ps, LT_ESYNTAX, p, "expected %s, found '=' (keyword arguments go in kwargs)",
                    expected);
    if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
        return fail(ps, LT_ESYNTAX, p, "expected %s, found byte 0x%02x", expected,
                    (unsigned char)*p);
    return fail(ps, LT_ESYNTAX, p, "expected %s, found '%c'", expected, *p);
}

/* Where no value can start. */
static int bad_atom(struct py *ps)
{
    const char *p = ps->p;

    if (*p == '[')
        return fail(ps, LT_EUNSUPPORTED, p, "not supported in args: lists");
    if (*p == '*')
        return fail(ps, LT_EUNSUPPORTED, p, "not supported in args: unpacking with '*'");
    if (*p == '~')
        return fail(ps, LT_EUNSUPPORTED, p, "not supported in args: the operator '~'");
    if (strncmp(p, "...", 3) == 0)
        return fail(ps, LT_EUNSUPPORTED, p, "not supported in args: '...'");
    return unexpected(ps, "a value");
}

/* Calls, subscripts and attributes of a value Python would evaluate. */
static int no_trailer(struct py *ps)
{
    skip(ps);
    if (*ps->p == '(')
        return fail(ps, LT_EUNSUPPORTED, ps->p, "not supported in args: calls");
    if (*ps->p == '[')
        return fail(ps, LT_EUNSUPPORTED, ps->p, "not supported in args: subscripts");
    if (*ps->p == '.')
        return fail(ps, LT_EUNSUPPORTED, ps->p, "not supported in args: attributes of values");
    return 0;
}

static int enter(struct py *ps)
{
    if (ps->nest == PY_MAX_NEST)
        return fail(ps, LT_ESYNTAX, ps->p, "too many nested parentheses");
    ps->open[ps->nest++] = ps->p++;
    skip(ps);
    return 0;
}

static int close_bracket(struct py *ps, char c, const char *expected)
{
    skip(ps);
    if (*ps->p != c)
        return unexpected(ps, expected);
    ps->p++;
    ps->nest--;
    return 0;
}

/* The items of a tuple after its first, from the ',' that follows it. */
static int tuple_rest(struct py *ps, lt__pyval *t)
{
    lt__pyval *v;
    int rc = 0;

    while (rc == 0 && *ps->p == ',') {
        ps->p++;
        skip(ps);
        if (*ps->p == ')')
            break;
        if ((rc = expr(ps, &v)) == 0 && (rc = tuple_push(t, v)) == 0)
            skip(ps);
    }
    return rc < 0 ? rc : close_bracket(ps, ')', "',' or ')'");
}

/* (), (x), (x,), (x, y, ...): only a comma makes a tuple. */
static int paren(struct py *ps, lt__pyval **out)
{
    const char *open = ps->p;
    lt__pyval *v = NULL, *t;
    int rc;

    if ((rc = enter(ps)) < 0)
        return rc;
    if (*ps->p != ')') {
        if ((rc = expr(ps, &v)) < 0)
            return rc;
        skip(ps);
        if (*ps->p != ',') {
            if ((rc = close_bracket(ps, ')', "',' or ')'")) < 0) {
                lt__py_free(v);
                v = NULL;
            }
            *out = v;
            return rc;
        }
    }
    if (!(t = new_val(LT__PY_TUPLE, col(ps, open)))) {
        lt__py_free(v);
        return LT_ENOMEM;
    }
    rc = v ? tuple_push(t, v) : 0;
    if (rc == 0)
        rc = v ? tuple_rest(ps, t) : close_bracket(ps, ')', "')'");
    if (rc < 0) {
        lt__py_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

/* key: value, with string keys. */
static int dict_item(struct py *ps, lt__pyval *d)
{
    lt__pyval *k, *v;
    int rc;

    if (strncmp(ps->p, "**", 2) == 0)
        return fail(ps, LT_EUNSUPPORTED, ps->p, "not supported in args: '**' in a dict");
    if ((rc = expr(ps, &k)) < 0)
        return rc;
    skip(ps);
    if (*ps->p != ':' || ps->p[1] == '=') {
        if (*ps->p == ',' || *ps->p == '}')
            rc = fail(ps, LT_EUNSUPPORTED, ps->p, "not supported in args: sets");
        else
            rc = unexpected(ps, "':'");
        lt__py_free(k);
        return rc;
    }
    ps->p++;
    if ((rc = expr(ps, &v)) < 0) {
        lt__py_free(k);
        return rc;
    }
    if (k->kind != LT__PY_STR) {
        rc = fail(ps, LT_EUNSUPPORTED, ps->text + k->column - 1,
                  "not supported in args: dict keys that are not strings (%s)",
                  lt__py_kind_name(k->kind));
        lt__py_free(k);
        lt__py_free(v);
        return rc;
    }
    return dict_put(d, k, v);
}

/* {}, {k: v}, {k: v, ...} with an optional trailing comma. */
static int dict(struct py *ps, lt__pyval **out)
{
    lt__pyval *d = new_val(LT__PY_DICT, col(ps, ps->p));
    int rc;

    if (!d)
        return LT_ENOMEM;
    if ((rc = enter(ps)) < 0) {
        lt__py_free(d);
        return rc;
    }
    while (rc == 0 && *ps->p != '}') {
        if ((rc = dict_item(ps, d)) < 0)
            break;
        skip(ps);
        if (*ps->p == ',') {
            ps->p++;
            skip(ps);
        } else if (*ps->p != '}') {
            rc = unexpected(ps, "',' or '}'");
        }
    }
    if (rc == 0)
        rc = close_bracket(ps, '}', "'}'");
    if (rc < 0) {
        lt__py_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

static int atom(struct py *ps, lt__pyval **out)
{
    const char *p, *q;
    bool raw;

    skip(ps);
    p = ps->p;
    if (*p == '(')
        return paren(ps, out);
    if (*p == '{')
        return dict(ps, out);
    if (str_start(p, &raw, &q) != STR_NO)
        return strings(ps, out);
    if (is_digit(*p) || (*p == '.' && is_digit(p[1])))
        return number(ps, out);
    if (is_alpha(*p))
        return word(ps, out);
    return bad_atom(ps);
}

static int unary(struct py *ps, lt__pyval **out);

/* atom ["**" unary]: binds tighter than a sign on its left, -2**2 == -4. */
static int power(struct py *ps, lt__pyval **out)
{
    lt__pyval *l = NULL, *r = NULL;
    const char *op;
    int rc;

    if ((rc = atom(ps, &l)) < 0)
        return rc;
    if ((rc = no_trailer(ps)) < 0) {
        lt__py_free(l);
        return rc;
    }
    if (strncmp(ps->p, "**", 2) != 0 || ps->p[2] == '=') {
        *out = l;
        return 0;
    }
    op = ps->p;
    ps->p += 2;
    if ((rc = unary(ps, &r)) < 0) {
        lt__py_free(l);
        return rc;
    }
    return binop(ps, '^', op, l, r, out);
}

static int unary(struct py *ps, lt__pyval **out)
{
    const char *op;
    lt__pyval *v;
    int rc;

    skip(ps);
    op = ps->p;
    if (++ps->depth > PY_MAX_DEPTH) {
        rc = fail(ps, LT_EUNSUPPORTED, op, "not supported in args: expressions this deep");
    } else if ((*op == '-' || *op == '+') && op[1] != '=') {
        ps->p++;
        rc = unary(ps, &v);
        if (rc == 0)
            rc = sign(ps, op, v, out);
    } else {
        rc = power(ps, out);
    }
    ps->depth--;
    return rc;
}

/* unary ("*" unary)* */
static int term(struct py *ps, lt__pyval **out)
{
    lt__pyval *l = NULL, *r = NULL;
    const char *op;
    int rc;

    if ((rc = unary(ps, &l)) < 0)
        return rc;
    while (skip(ps), *(op = ps->p) == '*' && op[1] != '*' && op[1] != '=') {
        ps->p++;
        if ((rc = unary(ps, &r)) < 0) {
            lt__py_free(l);
            return rc;
        }
        if ((rc = binop(ps, '*', op, l, r, &l)) < 0)
            return rc;
    }
    *out = l;
    return 0;
}

/* term (("+" | "-") term)* */
static int expr(struct py *ps, lt__pyval **out)
{
    lt__pyval *l = NULL, *r = NULL;
    const char *op;
    int rc;

    if ((rc = term(ps, &l)) < 0)
        return rc;
    while (skip(ps), (*(op = ps->p) == '+' || *op == '-') && op[1] != '=') {
        ps->p++;
        if ((rc = term(ps, &r)) < 0) {
            lt__py_free(l);
            return rc;
        }
        if ((rc = binop(ps, *op, op, l, r, &l)) < 0)
            return rc;
    }
    *out = l;
    return 0;
}

/* The top level: eval() takes "a, b" (a tuple) as well as one value. */
static int testlist(struct py *ps, lt__pyval **out)
{
    lt__pyval *v, *t;
    int rc;

    if ((rc = expr(ps, &v)) < 0)
        return rc;
    skip(ps);
    if (*ps->p != ',') {
        *out = v;
        return 0;
    }
    if (!(t = new_val(LT__PY_TUPLE, v->column))) {
        lt__py_free(v);
        return LT_ENOMEM;
    }
    rc = tuple_push(t, v);
    while (rc == 0 && *ps->p == ',') {
        ps->p++;
        skip(ps);
        if (*ps->p == '\0' || is_newline(ps->p))
            break;
        if ((rc = expr(ps, &v)) == 0 && (rc = tuple_push(t, v)) == 0)
            skip(ps);
    }
    if (rc < 0) {
        lt__py_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

/* Whether the blanks [@s, @e) indent a line: a form feed resets the count. */
static bool indents(const char *s, const char *e)
{
    bool indented = false;

    for (; s < e; s++)
        indented = *s != '\f';
    return indented;
}

/* eval() strips spaces and tabs from the start; blank and comment lines may
 * come first, but the expression's own line must not be indented. */
static int leading(struct py *ps)
{
    const char *line, *p;
    bool first = true;

    while (*ps->p == ' ' || *ps->p == '\t')
        ps->p++;
    for (;;) {
        line = ps->p;
        for (p = line; *p == ' ' || *p == '\t' || *p == '\f'; p++)
            ;
        ps->p = p;
        if (*ps->p == '#')
            while (*ps->p && !is_newline(ps->p))
                ps->p++;
        if (!is_newline(ps->p))
            break;
        ps->p = after_newline(ps->p);
        first = false;
    }
    if (!first && *ps->p && indents(line, p))
        return fail(ps, LT_ESYNTAX, line, "unexpected indent");
    return 0;
}

/* After the expression: only blank and comment lines; Python takes a last
 * line of blanks without a newline for an indented one. */
static int trailing(struct py *ps)
{
    const char *line;

    skip(ps);
    if (*ps->p && !is_newline(ps->p))
        return unexpected(ps, "the end of the expression");
    while (*ps->p) {
        line = ps->p = after_newline(ps->p);
        skip(ps);
        if (*ps->p == '\0' && !strchr(line, '#') && indents(line, ps->p))
            return fail(ps, LT_ESYNTAX, line, "unexpected indent");
        if (*ps->p && !is_newline(ps->p))
            return fail(ps, LT_ESYNTAX, ps->p, "a second expression after the first one");
    }
    return 0;
}

int lt__py_parse(const char *text, lt__pyval **ret, lt_error *err)
{
    struct py ps = {.text = text, .p = text, .err = err};
    lt__pyval *v = NULL;
    int rc;

    *ret = NULL;
    rc = leading(&ps);
    if (rc == 0)
        rc = testlist(&ps, &v);
    if (rc == 0 && (rc = trailing(&ps)) < 0)
        lt__py_free(v);
    if (rc == LT_ENOMEM)
        nomem(&ps);
    if (rc == 0)
        *ret = v;
    return rc;
}
