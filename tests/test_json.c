/* tests/test_json.c - the strict JSON parser of config files (src/json.c).
 *
 * The accept/reject tables follow JSONTestSuite's y_/n_ cases (Nicolas
 * Seriot's "Parsing JSON is a Minefield"); every input is also given to
 * Python's own json module (python3, at test time: json.loads with
 * parse_constant refusing NaN/Infinity), which must agree, except in the
 * documented places marked PYTHON_DIFFERS (lone surrogates, a BOM). Values
 * of accepted texts are compared with Python's reading of them: both sides
 * print the canonical form json.dumps(value, ensure_ascii=True) gives. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "json.h"

struct json_case {
    const char *text;
    size_t len; /* 0: strlen */
    bool accept;
    bool python_differs; /* Python decides the other way, on purpose */
};

#define Y(t)          {t, 0, true, false}
#define N(t)          {t, 0, false, false}
#define NB(t, n)      {t, n, false, false}
#define N_PY_ACCEPTS(t) {t, 0, false, true}

static const struct json_case cases[] = {
    /* y_: accepted */
    Y("{}"), Y("[]"), Y("0"), Y("-0"), Y("1"), Y("-1"), Y("1.5"), Y("1e10"), Y("1E+2"),
    Y("1e-2"), Y("-0.0e0"), Y("123456789012345678901234567890"), Y("1e400"), Y("-1e400"),
    Y("1.0e-400"), Y("true"), Y("false"), Y("null"), Y("\"\""), Y(" [1] "), Y("\t\r\n{}\n"),
    Y("[1,2,3]"), Y("[[[]]]"), Y("{\"a\":{\"b\":[null,true]}}"), Y("\"\\u0041\""),
    Y("\"\\ud83d\\ude00\""), Y("\"\\uD834\\uDD1E\""), Y("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""),
    Y("\"\\u0000\""), Y("\"é€😀\""), Y("\"\\u2028\\u2029\""), Y("{\"a\":1,\"a\":2}"),
    Y("{\"\":0}"), Y("[\"\\u00e9\"]"), Y("\"\xef\xbf\xbf\""), Y("\"\xf4\x8f\xbf\xbf\""),
    Y("[1e1,0.1e1,1E-1]"), Y("{\"a\" : [ 1 , 2 ] }"),
    /* n_: rejected */
    N(""), N(" "), N("["), N("]"), N("{"), N("[1,]"), N("[,1]"), N("{\"a\":1,}"),
    N("{,}"), N("{\"a\"}"), N("{\"a\" 1}"), N("{a:1}"), N("{'a':1}"), N("['a']"),
    N("[1 2]"), N("01"), N("-01"), N("+1"), N(".5"), N("1."), N("1.e1"), N("1e"), N("1e+"),
    N("-"), N("- 1"), N("0x10"), N("NaN"), N("Infinity"), N("-Infinity"), N("nan"),
    N("True"), N("nul"), N("truex"), N("[true false]"), N("\"abc"), N("\"\\x41\""),
    N("\"\\u12\""), N("\"\\u12G4\""), N("\"\\a\""), N("\"\\\""), N("\"a\tb\""),
    N("\"a\nb\""), N("\"\x01\""), N("[1] [2]"), N("{} x"), N("/* c */ {}"), N("{} // c"),
    N("[1,,2]"), N("\"\xc3\""), N("\"\xc0\xaf\""), N("\"\xe0\x80\xaf\""),
    N("\"\xed\xa0\x80\""), N("\"\xf4\x90\x80\x80\""), N("\"\xff\""), N("\"\x80\""),
    N("[\xc2\xa0]"), N("\x0c[]"), N("[\"a\",]"), N("{\"a\":}"), N("{:1}"), N("[1]x"),
    N("tru"), N("1 2"), N("[-]"), N("[1e1.5]"), N("\"\\U0041\""), N("{\"a\":1 \"b\":2}"),
    NB("[1]\0", 4), NB("\"a\0b\"", 5),
    /* Python accepts these; logtree does not, and says why (json.h). */
    N_PY_ACCEPTS("\"\\ud800\""), N_PY_ACCEPTS("\"\\udc00\""), N_PY_ACCEPTS("\"\\ud800x\""),
    N_PY_ACCEPTS("\"\\ud800\\u0041\""),
};

static size_t case_len(const struct json_case *c)
{
    return c->len ? c->len : strlen(c->text);
}

/* json.dumps() of Python, for the values the cases hold. */
static void dump(FILE *f, const lt__json *v)
{
    switch (v->kind) {
    case LT__JSON_NULL: fputs("null", f); break;
    case LT__JSON_BOOL: fputs(v->as.b ? "true" : "false", f); break;
    case LT__JSON_NUMBER:
        if (v->as.num.is_int) /* Python prints ints as written, but "-0" as 0 */
            fputs(strcmp(v->as.num.text, "-0") == 0 ? "0" : v->as.num.text, f);
        else
            fprintf(f, "%.17g", v->as.num.d);
        break;
    case LT__JSON_STRING:
        fputc('"', f);
        for (size_t i = 0; i < v->as.str.len; i++)
            fprintf(f, "%02x", (unsigned char)v->as.str.ptr[i]);
        fputc('"', f);
        break;
    case LT__JSON_ARRAY:
        fputc('[', f);
        for (size_t i = 0; i < v->as.arr.n; i++) {
            if (i)
                fputc(',', f);
            dump(f, v->as.arr.items[i]);
        }
        fputc(']', f);
        break;
    case LT__JSON_OBJECT:
        fputc('{', f);
        for (size_t i = 0; i < v->as.obj.n; i++) {
            if (i)
                fputc(',', f);
            fputc('"', f);
            for (size_t j = 0; j < v->as.obj.members[i].key_len; j++)
                fprintf(f, "%02x", (unsigned char)v->as.obj.members[i].key[j]);
            fputs("\":", f);
            dump(f, v->as.obj.members[i].value);
        }
        fputc('}', f);
        break;
    }
}

/* The same canonical form, from Python (strings as hex of their UTF-8, ints
 * as int(), floats as %.17g), or "REJECT": one line per input, the inputs
 * given as lines of hex. */
static const char python_dump[] =
    "import json,sys\n"
    "def c(v):\n"
    "    if v is None: return 'null'\n"
    "    if v is True: return 'true'\n"
    "    if v is False: return 'false'\n"
    "    if isinstance(v,int): return str(v)\n"
    "    if isinstance(v,float): return '%.17g' % v\n"
    "    if isinstance(v,str): return '\"'+v.encode('utf-8','surrogatepass').hex()+'\"'\n"
    "    if isinstance(v,list): return '['+','.join(c(x) for x in v)+']'\n"
    "    return '{'+','.join(c(k)+':'+c(x) for k,x in v.items())+'}'\n"
    "def bad(x): raise ValueError(x)\n"
    "for line in open(sys.argv[1]):\n"
    "    try:\n"
    "        print(c(json.loads(bytes.fromhex(line.strip()).decode('utf-8'),parse_constant=bad)))\n"
    "    except ValueError:\n"
    "        print('REJECT')\n";

/* Python's reading of every case, one line each (static). */
static char **run_python(void)
{
    static char *lines[LT__ARRAY_SIZE(cases)];
    char path[] = "/tmp/lt-json-XXXXXX", cmd[256], buf[65536];
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w"), *p;
    size_t n = 0;

    cr_assert(fd >= 0 && f);
    for (size_t i = 0; i < LT__ARRAY_SIZE(cases); i++) {
        for (size_t j = 0; j < case_len(&cases[i]); j++)
            fprintf(f, "%02x", (unsigned char)cases[i].text[j]);
        fputc('\n', f);
    }
    fclose(f);
    setenv("LT_PYDUMP", python_dump, 1);
    snprintf(cmd, sizeof(cmd), "python3 -c \"$LT_PYDUMP\" %s", path);
    p = popen(cmd, "r");
    cr_assert(p, "python3 is needed");
    while (n < LT__ARRAY_SIZE(cases) && fgets(buf, sizeof(buf), p)) {
        buf[strcspn(buf, "\n")] = '\0';
        lines[n++] = strdup(buf);
    }
    cr_assert_eq(pclose(p), 0, "python3 failed");
    cr_assert_eq(n, LT__ARRAY_SIZE(cases));
    unlink(path);
    return lines;
}

Test(json, accepts_and_rejects_as_rfc8259)
{
    for (size_t i = 0; i < LT__ARRAY_SIZE(cases); i++) {
        const struct json_case *c = &cases[i];
        lt__json *v = NULL;
        lt_error err;
        int r;

        lt_error_clear(&err);
        r = lt__json_parse(c->text, case_len(c), "t.json", &v, &err);
        cr_expect_eq(r == 0, c->accept, "case %zu '%s': %s", i, c->text, err.message);
        if (r < 0) {
            cr_expect_eq(r, LT_ESYNTAX, "case %zu", i);
            cr_expect(err.line >= 1 && err.column >= 1 && err.message[0], "case %zu", i);
            cr_expect_str_eq(err.file, "t.json");
        }
        lt__json_free(v);
    }
}

Test(json, agrees_with_python)
{
    char **python = run_python();

    for (size_t i = 0; i < LT__ARRAY_SIZE(cases); i++) {
        const struct json_case *c = &cases[i];
        const char *want = python[i];
        lt__json *v = NULL;
        char *got = NULL;
        size_t got_len = 0;
        FILE *f;

        if (lt__json_parse(c->text, case_len(c), "t.json", &v, NULL) < 0) {
            if (!c->python_differs)
                cr_expect_str_eq(want, "REJECT", "case %zu '%s'", i, c->text);
            else
                cr_expect_str_neq(want, "REJECT", "case %zu '%s'", i, c->text);
            continue;
        }
        f = open_memstream(&got, &got_len);
        dump(f, v);
        fclose(f);
        cr_expect_str_eq(got, want, "case %zu '%s'", i, c->text);
        free(got);
        lt__json_free(v);
    }
    for (size_t i = 0; i < LT__ARRAY_SIZE(cases); i++)
        free(python[i]);
}

Test(json, errors_are_located)
{
    static const struct {
        const char *text;
        int line, column;
        const char *msg;
    } errs[] = {
        {"{\n  \"a\": 1,\n}", 3, 1, "expected a string (an object's key), found '}'"},
        {"[1,\n 2,\n 03]", 3, 3, "leading zero"},
        {"{\"a\": tru}", 1, 7, "expected a value"},
        {"\"ab\\qc\"", 1, 4, "invalid escape"},
        {"[\n\"\\ud800\"]", 2, 2, "high surrogate without its low half"},
        {"{\"a\":\n  \"x\xffy\"}", 2, 5, "invalid UTF-8 (byte 0xff)"},
        {"{} {}", 1, 4, "expected the end of the text after the value, found '{'"},
        {"\xef\xbb\xbf{}", 1, 1, "byte-order mark"},
        {"{\"a\": \"line\nbreak\"}", 1, 12, "control character 0x0a"},
        {"[1, 2", 1, 6, "expected ',' or ']', found the end of the text"},
        {"{\"unterminated", 1, 2, "unterminated string"},
    };

    for (size_t i = 0; i < LT__ARRAY_SIZE(errs); i++) {
        lt__json *v = NULL;
        lt_error err;
        char line[600];

        cr_assert_eq(lt__json_parse(errs[i].text, strlen(errs[i].text), "c.json", &v, &err),
                     LT_ESYNTAX, "case %zu", i);
        lt_error_format(&err, line, sizeof(line));
        cr_expect_eq(err.line, errs[i].line, "case %zu: %s", i, line);
        cr_expect_eq(err.column, errs[i].column, "case %zu: %s", i, line);
        cr_expect(strstr(err.message, errs[i].msg), "case %zu: %s", i, line);
    }
}

static char *nested(size_t depth)
{
    char *s = malloc(2 * depth + 1);

    for (size_t i = 0; i < depth; i++) {
        s[i] = '[';
        s[2 * depth - 1 - i] = ']';
    }
    s[2 * depth] = '\0';
    return s;
}

Test(json, nesting_limit)
{
    char *ok = nested(LT__JSON_MAX_DEPTH), *deep = nested(LT__JSON_MAX_DEPTH + 1);
    char *very = nested(100000);
    lt__json *v = NULL;
    lt_error err;

    cr_expect_eq(lt__json_parse(ok, strlen(ok), "d", &v, &err), 0);
    lt__json_free(v);
    cr_expect_eq(lt__json_parse(deep, strlen(deep), "d", &v, &err), LT_ESYNTAX);
    cr_expect(strstr(err.message, "nested deeper than 512"), "%s", err.message);
    cr_expect_eq(err.column, LT__JSON_MAX_DEPTH + 1);
    /* far past the limit: refused, not a stack overflow */
    cr_expect_eq(lt__json_parse(very, strlen(very), "d", &v, &err), LT_ESYNTAX);
    free(ok);
    free(deep);
    free(very);
}

Test(json, size_limit)
{
    size_t n = LT__JSON_MAX_SIZE + 1;
    char *big = malloc(n);
    lt__json *v = NULL;
    lt_error err;

    memset(big, ' ', n);
    big[0] = '0';
    cr_expect_eq(lt__json_parse(big, n, "big", &v, &err), LT_ESYNTAX);
    cr_expect(strstr(err.message, "larger than"), "%s", err.message);
    free(big);
}

Test(json, numbers)
{
    lt__json *v = NULL;

    cr_assert_eq(lt__json_parse("[9223372036854775807, -9223372036854775808, "
                                "9223372036854775808, 1e400, 2.5, 10]",
                                strlen("[9223372036854775807, -9223372036854775808, "
                                       "9223372036854775808, 1e400, 2.5, 10]"),
                                "n", &v, NULL),
                 0);
    cr_expect(v->as.arr.items[0]->as.num.fits);
    cr_expect_eq(v->as.arr.items[0]->as.num.i, 9223372036854775807LL);
    cr_expect(v->as.arr.items[1]->as.num.fits);
    cr_expect(v->as.arr.items[2]->as.num.is_int && !v->as.arr.items[2]->as.num.fits);
    cr_expect_str_eq(v->as.arr.items[2]->as.num.text, "9223372036854775808");
    cr_expect(!v->as.arr.items[3]->as.num.is_int);
    cr_expect(v->as.arr.items[3]->as.num.d > 1e308);
    cr_expect(v->as.arr.items[4]->as.num.d == 2.5);
    cr_expect_eq(v->as.arr.items[5]->as.num.i, 10);
    lt__json_free(v);
}

Test(json, duplicate_keys_keep_first_place_last_value)
{
    const char *t = "{\"a\": 1, \"b\": 2, \"a\": [3]}";
    lt__json *v = NULL;

    cr_assert_eq(lt__json_parse(t, strlen(t), "d", &v, NULL), 0);
    cr_assert_eq(v->as.obj.n, 2);
    cr_expect_str_eq(v->as.obj.members[0].key, "a");
    cr_expect_eq(v->as.obj.members[0].value->kind, LT__JSON_ARRAY);
    cr_expect_eq(lt__json_get(v, "b")->as.num.i, 2);
    lt__json_free(v);
}

Test(json, positions_of_values)
{
    const char *t = "{\n  \"k\": [true,\n    \"v\"]\n}";
    lt__json *v = NULL;
    const struct lt__json_member *m;

    cr_assert_eq(lt__json_parse(t, strlen(t), "p", &v, NULL), 0);
    m = lt__json_member(v, "k");
    cr_assert(m);
    cr_expect_eq(m->line, 2);
    cr_expect_eq(m->column, 3);
    cr_expect_eq(m->value->as.arr.items[1]->line, 3);
    cr_expect_eq(m->value->as.arr.items[1]->column, 5);
    lt__json_free(v);
}
