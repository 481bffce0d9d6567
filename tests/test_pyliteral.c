/* tests/test_pyliteral.c - the Python subset of args= and kwargs= (src/pyliteral.c).
 *
 * Every expected value in the *_cases tables was produced by Python 3.11.7,
 * not by this code: eval(text, vars(logging)) with logging.handlers and
 * logging.config imported (as fileConfig() runs it), written in the canonical
 * form repr() below prints: None True False, 10, f1.5 for a float (%.17g),
 * strings in '' with every byte outside printable ASCII (and ' and \) as
 * \xHH of its UTF-8, sys.stdout, (a, b) with (a,) for one item, {'k': v}.
 * The error tables give our code, column and message; the comment on each
 * line is the exception Python raised for the same text. */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "pyliteral.h"

struct py_case {
    const char *text;
    const char *want; /* Python's value, canonical form */
};

struct py_err {
    const char *text;
    int code;
    int column;
    const char *msg; /* a part of our message */
};

static void put_repr(FILE *f, const lt__pyval *v)
{
    switch (v->kind) {
    case LT__PY_NONE:
        fputs("None", f);
        break;
    case LT__PY_BOOL:
        fputs(v->as.b ? "True" : "False", f);
        break;
    case LT__PY_INT:
        fprintf(f, "%lld", v->as.i);
        break;
    case LT__PY_FLOAT:
        fprintf(f, "f%.17g", v->as.f);
        break;
    case LT__PY_STR:
        fputc('\'', f);
        for (size_t i = 0; i < v->as.str.len; i++) {
            unsigned char c = (unsigned char)v->as.str.ptr[i];
            if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
                fputc(c, f);
            else
                fprintf(f, "\\x%02x", c);
        }
        fputc('\'', f);
        break;
    case LT__PY_NAME:
        fputs(v->as.str.ptr, f);
        break;
    case LT__PY_TUPLE:
        fputc('(', f);
        for (size_t i = 0; i < v->as.tuple.n; i++) {
            fputs(i ? ", " : "", f);
            put_repr(f, v->as.tuple.items[i]);
        }
        fputs(v->as.tuple.n == 1 ? ",)" : ")", f);
        break;
    case LT__PY_DICT:
        fputc('{', f);
        for (size_t i = 0; i < v->as.dict.n; i++) {
            fputs(i ? ", " : "", f);
            put_repr(f, v->as.dict.keys[i]);
            fputs(": ", f);
            put_repr(f, v->as.dict.values[i]);
        }
        fputc('}', f);
        break;
    }
}

static char *repr(const lt__pyval *v)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);

    cr_assert_not_null(f);
    put_repr(f, v);
    fclose(f);
    return buf;
}

static void check_values(const struct py_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        lt__pyval *v = NULL;
        lt_error err = {0};
        int rc = lt__py_parse(c[i].text, &v, &err);

        cr_expect_eq(rc, 0, "[%s]: %s %s", c[i].text, lt_err_name(rc), err.message);
        if (rc == 0) {
            char *got = repr(v);
            cr_expect_str_eq(got, c[i].want, "[%s]", c[i].text);
            free(got);
        }
        lt__py_free(v);
    }
}

static void check_errors(const struct py_err *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        lt__pyval *v = NULL;
        lt_error err = {0};
        int rc = lt__py_parse(e[i].text, &v, &err);

        cr_expect_eq(rc, e[i].code, "[%s]: got %s (%s)", e[i].text, lt_err_name(rc), err.message);
        cr_expect_eq(err.code, rc, "[%s]", e[i].text);
        cr_expect_eq(err.column, e[i].column, "[%s]: column %d (%s)", e[i].text, err.column,
                     err.message);
        cr_expect_not_null(strstr(err.message, e[i].msg), "[%s]: message '%s' lacks '%s'",
                           e[i].text, err.message, e[i].msg);
        cr_expect_eq(err.line, 0, "[%s]: the line is the caller's", e[i].text);
        cr_expect_str_empty(err.file, "[%s]: the file is the caller's", e[i].text);
        cr_expect_null(v, "[%s]", e[i].text);
        lt__py_free(v);
    }
}

#define CHECK_VALUES(table) check_values(table, LT__ARRAY_SIZE(table))
#define CHECK_ERRORS(table) check_errors(table, LT__ARRAY_SIZE(table))

/* Parse @text, which must succeed. */
static lt__pyval *parse_ok(const char *text)
{
    lt__pyval *v = NULL;
    lt_error err = {0};
    int rc = lt__py_parse(text, &v, &err);

    cr_assert_eq(rc, 0, "[%s]: %s %s", text, lt_err_name(rc), err.message);
    cr_assert_not_null(v);
    return v;
}

/* ---- the forms real configs use (oracle README table), values from Python */

/* Each form of the README's "Argument forms real configs use" table. */
static const struct py_case readme_forms_cases[] = {
    {"(sys.stdout,)", "(sys.stdout,)"},
    {"(sys.stderr,)", "(sys.stderr,)"},
    {"()", "()"},
    {"(sys.stdout, )", "(sys.stdout,)"},
    {"{'stream': sys.stdout}", "{'stream': sys.stdout}"},
    {"('app.log',)", "('app.log',)"},
    {"('app.log', 'a')", "('app.log', 'a')"},
    {"('app.log', 'w')", "('app.log', 'w')"},
    {"(\"app.log\", \"w\", \"utf-8\")", "('app.log', 'w', 'utf-8')"},
    {"('app.log', 'a', None, True)", "('app.log', 'a', None, True)"},
    {"('/var/log/app/app.log', 'a')", "('/var/log/app/app.log', 'a')"},
    {"{'encoding': 'utf-8'}", "{'encoding': 'utf-8'}"},
    {"{'delay': True}", "{'delay': True}"},
    {"{'filename': 'x.log', 'mode': 'w'}", "{'filename': 'x.log', 'mode': 'w'}"},
    {"('app.log', 'a', 1048576, 5)", "('app.log', 'a', 1048576, 5)"},
    {"('app.log', 'a', 10*1024*1024, 5)", "('app.log', 'a', 10485760, 5)"},
    {"('app.log', 'a', 5000000, 3, 'utf-8')", "('app.log', 'a', 5000000, 3, 'utf-8')"},
    {"('app.log', 'a', 0, 0, None, True)", "('app.log', 'a', 0, 0, None, True)"},
    {"{'maxBytes': 1048576, 'backupCount': 3}", "{'maxBytes': 1048576, 'backupCount': 3}"},
    {"('app.log', 'midnight', 1, 7)", "('app.log', 'midnight', 1, 7)"},
    {"('app.log', 'D', 1, 30, 'utf-8')", "('app.log', 'D', 1, 30, 'utf-8')"},
    {"('app.log', 'W0', 1, 4)", "('app.log', 'W0', 1, 4)"},
    {"('app.log', 'h', 1, 24, None, False, True)", "('app.log', 'h', 1, 24, None, False, True)"},
    {"{'when': 'midnight', 'backupCount': 7, 'utc': True}",
     "{'when': 'midnight', 'backupCount': 7, 'utc': True}"},
    {"('/var/log/app.log',)", "('/var/log/app.log',)"},
    {"('app.log', 'w', 'utf-8')", "('app.log', 'w', 'utf-8')"},
    {"('/dev/log',)", "('/dev/log',)"},
    {"('/dev/log', handlers.SysLogHandler.LOG_LOCAL0)", "('/dev/log', 16)"},
    {"(('localhost', handlers.SYSLOG_UDP_PORT), handlers.SysLogHandler.LOG_USER)",
     "(('localhost', 514), 1)"},
    {"(('127.0.0.1', 514), 'local0')", "(('127.0.0.1', 514), 'local0')"},
    {"(('logs.example', 514), handlers.SysLogHandler.LOG_DAEMON, handlers.socket.SOCK_STREAM)",
     "(('logs.example', 514), 3, 1)"},
    {"{'address': '/dev/log', 'facility': 'daemon'}",
     "{'address': '/dev/log', 'facility': 'daemon'}"},
    {"('localhost', handlers.DEFAULT_TCP_LOGGING_PORT)", "('localhost', 9020)"},
    {"('logs.example', 9020)", "('logs.example', 9020)"},
    {"('localhost', handlers.DEFAULT_UDP_LOGGING_PORT)", "('localhost', 9021)"},
    {"(10,)", "(10,)"},
    {"(10, ERROR)", "(10, 40)"},
    {"(100, 40)", "(100, 40)"},
    {"{'flushOnClose': False}", "{'flushOnClose': False}"},
};

Test(pyliteral, readme_forms)
{
    CHECK_VALUES(readme_forms_cases);
}

/* Every args= and kwargs= line of the oracle's cases (not interpolated ones). */
static const struct py_case oracle_lines_cases[] = {
    {"( 'name with spaces.log' , 'w' , None , False )",
     "('name with spaces.log', 'w', None, False)"},
    {"(\"double-quoted.log\", \"w\")", "('double-quoted.log', 'w')"},
    {"('big.log', 'a', 10*1024*1024, 5)", "('big.log', 'a', 10485760, 5)"},
    {"('buffered.log', 'a')", "('buffered.log', 'a')"},
    {"('c.log',)", "('c.log',)"},
    {"('created-empty.log',)", "('created-empty.log',)"},
    {"('d.log',)", "('d.log',)"},
    {"('days.log', 'D', 1, 3, 'utf-8')", "('days.log', 'D', 1, 3, 'utf-8')"},
    {"('e.log',)", "('e.log',)"},
    {"('f.log',)", "('f.log',)"},
    {"('ghost.log', 'w')", "('ghost.log', 'w')"},
    {"('hours.log',)", "('hours.log',)"},
    {"('keyword.log',)", "('keyword.log',)"},
    {"('long.log', 'w')", "('long.log', 'w')"},
    {"('max24.log', 'a', 24, 5)", "('max24.log', 'a', 24, 5)"},
    {"('max25.log', 'a', 25, 5)", "('max25.log', 'a', 25, 5)"},
    {"('midnight.log', 'midnight', 1, 7)", "('midnight.log', 'midnight', 1, 7)"},
    {"('mode.log', 'a')", "('mode.log', 'a')"},
    {"('never-created.log', 'w', None, True)", "('never-created.log', 'w', None, True)"},
    {"('positional.log', 'w', 'utf-8')", "('positional.log', 'w', 'utf-8')"},
    {"('r.log', 'a', 20, 0)", "('r.log', 'a', 20, 0)"},
    {"('r.log', 'a', 20, 3)", "('r.log', 'a', 20, 3)"},
    {"('r.log', 'a', 30, 3)", "('r.log', 'a', 30, 3)"},
    {"('r.log', 'w', 0, 1)", "('r.log', 'w', 0, 1)"},
    {"('r.log', 'w', 1000, 1)", "('r.log', 'w', 1000, 1)"},
    {"('rot.log', 'a', 0, 0, None, True)", "('rot.log', 'a', 0, 0, None, True)"},
    {"('shared.log', 'a')", "('shared.log', 'a')"},
    {"('small.log', 'a', 2*15, 1)", "('small.log', 'a', 30, 1)"},
    {"('timed.log', 'w')", "('timed.log', 'w')"},
    {"('trailing-comma.log', 'w',)", "('trailing-comma.log', 'w')"},
    {"('unicode.log', 'w')", "('unicode.log', 'w')"},
    {"('unused.log', 'a', 30, 2, None, True)", "('unused.log', 'a', 30, 2, None, True)"},
    {"('used-kw.log',)", "('used-kw.log',)"},
    {"('used.log', 'a', 30, 2, None, True)", "('used.log', 'a', 30, 2, None, True)"},
    {"('used.log', 'a', None, True)", "('used.log', 'a', None, True)"},
    {"('watched-w.log', 'w', 'utf-8')", "('watched-w.log', 'w', 'utf-8')"},
    {"('watched.log',)", "('watched.log',)"},
    {"(('127.0.0.1', 9), handlers.SysLogHandler.LOG_LOCAL0)", "(('127.0.0.1', 9), 16)"},
    {"(100, 30)", "(100, 30)"},
    {"(100, ERROR)", "(100, 40)"},
    {"(100,)", "(100,)"},
    {"(3, CRITICAL)", "(3, 50)"},
    {"{\"filename\": 'kw.log', 'mode': \"w\", 'encoding': None}",
     "{'filename': 'kw.log', 'mode': 'w', 'encoding': None}"},
    {"{'mode': 'w', 'encoding': 'utf-8'}", "{'mode': 'w', 'encoding': 'utf-8'}"},
    {"{'when': 'h', 'interval': 2, 'backupCount': 1, 'utc': True}",
     "{'when': 'h', 'interval': 2, 'backupCount': 1, 'utc': True}"},
};

Test(pyliteral, oracle_lines)
{
    CHECK_VALUES(oracle_lines_cases);
}

/* ---- one behaviour per test, values from Python ---------------------------- */

static const struct py_case string_quotes_cases[] = {
    {"'app.log'", "'app.log'"},
    {"\"app.log\"", "'app.log'"},
    {"''", "''"},
    {"\"\"", "''"},
    {"'it\"s'", "'it\"s'"},
    {"\"it's\"", "'it\\x27s'"},
    {"u'x'", "'x'"},
    {"U\"x\"", "'x'"},
    {"'\303\251\360\237\230\200 \303\274n\303\257'",
     "'\\xc3\\xa9\\xf0\\x9f\\x98\\x80 \\xc3\\xbcn\\xc3\\xaf'"},
};

Test(pyliteral, string_quotes)
{
    CHECK_VALUES(string_quotes_cases);
}

static const struct py_case string_escapes_cases[] = {
    {"'\\\\'", "'\\x5c'"},
    {"'\\''", "'\\x27'"},
    {"'\\\"'", "'\"'"},
    {"'a\\nb\\tc\\rd'", "'a\\x0ab\\x09c\\x0dd'"},
    {"'\\a\\b\\f\\v'", "'\\x07\\x08\\x0c\\x0b'"},
    {"'\\0'", "'\\x00'"},
    {"'\\x41\\x7e'", "'A~'"},
    {"'\\xe9'", "'\\xc3\\xa9'"},
    {"'\\u00e9\\u20ac'", "'\\xc3\\xa9\\xe2\\x82\\xac'"},
    {"'\\U0001F600'", "'\\xf0\\x9f\\x98\\x80'"},
    {"'\\101\\7\\777'", "'A\\x07\\xc7\\xbf'"},
    {"'\\d\\q'", "'\\x5cd\\x5cq'"},
    {"'C:\\logs\\app.log'", "'C:\\x5clogs\\x07pp.log'"},
    {"'a\\\nb'", "'ab'"},
    {"'\\8\\9'", "'\\x5c8\\x5c9'"},
};

Test(pyliteral, string_escapes)
{
    CHECK_VALUES(string_escapes_cases);
}

static const struct py_case raw_strings_cases[] = {
    {"r'\\n'", "'\\x5cn'"},      {"R'\\d\\x41'", "'\\x5cd\\x5cx41'"},
    {"r'\\''", "'\\x5c\\x27'"},  {"r'C:\\logs\\app.log'", "'C:\\x5clogs\\x5capp.log'"},
    {"r'\\\\'", "'\\x5c\\x5c'"}, {"r'a\\\nb'", "'a\\x5c\\x0ab'"},
};

Test(pyliteral, raw_strings)
{
    CHECK_VALUES(raw_strings_cases);
}

static const struct py_case triple_quoted_strings_cases[] = {
    {"'''a''b'''", "'a\\x27\\x27b'"},
    {"\"\"\"it's \"quoted\" \"\"\"", "'it\\x27s \"quoted\" '"},
    {"'''line1\nline2'''", "'line1\\x0aline2'"},
    {"'''a\\\nb'''", "'ab'"},
    {"r'''\\n'''", "'\\x5cn'"},
    {"''''''", "''"},
};

Test(pyliteral, triple_quoted_strings)
{
    CHECK_VALUES(triple_quoted_strings_cases);
}

static const struct py_case adjacent_strings_cases[] = {
    {"'a' 'b'", "'ab'"},
    {"'a' \"b\"", "'ab'"},
    {"'a' r'\\n' '\\n'", "'a\\x5cn\\x0a'"},
    {"('a'\n 'b',)", "('ab',)"},
    {"'a' 'b' + 'c'", "'abc'"},
    {"'/var/log/' + 'app.log'", "'/var/log/app.log'"},
};

Test(pyliteral, adjacent_strings)
{
    CHECK_VALUES(adjacent_strings_cases);
}

static const struct py_case integers_cases[] = {
    {"0", "0"},
    {"00", "0"},
    {"0_0", "0"},
    {"7", "7"},
    {"1_000_000", "1000000"},
    {"0x1F", "31"},
    {"0X_ff", "255"},
    {"0o17", "15"},
    {"0O7_7", "63"},
    {"0b101", "5"},
    {"0B_1", "1"},
    {"9223372036854775807", "9223372036854775807"},
};

Test(pyliteral, integers)
{
    CHECK_VALUES(integers_cases);
}

static const struct py_case integer_arithmetic_cases[] = {
    {"2*3+4", "10"},
    {"2+3*4", "14"},
    {"2-3-4", "-5"},
    {"10*1024*1024", "10485760"},
    {"(1024*1024)", "1048576"},
    {"-2*3", "-6"},
    {"- -2", "2"},
    {"+-+2", "-2"},
    {"1--1", "2"},
    {"1 -1", "0"},
    {"2**10", "1024"},
    {"-2**2", "-4"},
    {"2**3**2", "512"},
    {"(-2)**3", "-8"},
    {"2**0", "1"},
    {"0**0", "1"},
    {"-0", "0"},
    {"2 * (3 + 4)", "14"},
    {"-9223372036854775807 - 1", "-9223372036854775808"},
    {"3037000499*3037000499", "9223372030926249001"},
};

Test(pyliteral, integer_arithmetic)
{
    CHECK_VALUES(integer_arithmetic_cases);
}

static const struct py_case floats_cases[] = {
    {"1.5", "f1.5"},
    {".5", "f0.5"},
    {"1.", "f1"},
    {"0.", "f0"},
    {"1e3", "f1000"},
    {"1E+2", "f100"},
    {"2.5e-3", "f0.0025000000000000001"},
    {"1_0.5_0", "f10.5"},
    {"00.5", "f0.5"},
    {"09.5", "f9.5"},
    {"1e400", "finf"},
    {"-0.0", "f-0"},
    {"1e-400", "f0"},
};

Test(pyliteral, floats)
{
    CHECK_VALUES(floats_cases);
}

static const struct py_case float_arithmetic_cases[] = {
    {"2*1.5", "f3"},   {"1.5*2", "f3"},      {"0.1+0.2", "f0.30000000000000004"}, {"1-0.5", "f0.5"},
    {"-1.5", "f-1.5"}, {"1e308*10", "finf"}, {"10*1024*1024.0", "f10485760"},
};

Test(pyliteral, float_arithmetic)
{
    CHECK_VALUES(float_arithmetic_cases);
}

static const struct py_case bool_arithmetic_cases[] = {
    {"True + 1", "2"}, {"True * 3", "3"},        {"-True", "-1"},
    {"+False", "0"},   {"False - 1.5", "f-1.5"},
};

Test(pyliteral, bool_arithmetic)
{
    CHECK_VALUES(bool_arithmetic_cases);
}

static const struct py_case constants_cases[] = {
    {"None", "None"},
    {"True", "True"},
    {"False", "False"},
    {"(None, True, False)", "(None, True, False)"},
};

Test(pyliteral, constants)
{
    CHECK_VALUES(constants_cases);
}

static const struct py_case level_names_cases[] = {
    {"NOTSET", "0"}, {"DEBUG", "10"},    {"INFO", "20"},  {"WARNING", "30"},  {"WARN", "30"},
    {"ERROR", "40"}, {"CRITICAL", "50"}, {"FATAL", "50"}, {"INFO + 5", "25"},
};

Test(pyliteral, level_names)
{
    CHECK_VALUES(level_names_cases);
}

static const struct py_case handler_constants_cases[] = {
    {"handlers.DEFAULT_TCP_LOGGING_PORT", "9020"},
    {"handlers.DEFAULT_UDP_LOGGING_PORT", "9021"},
    {"handlers.DEFAULT_HTTP_LOGGING_PORT", "9022"},
    {"handlers.DEFAULT_SOAP_LOGGING_PORT", "9023"},
    {"handlers.SYSLOG_UDP_PORT", "514"},
    {"handlers.SYSLOG_TCP_PORT", "514"},
    {"handlers.socket.SOCK_STREAM", "1"},
    {"handlers.socket.SOCK_DGRAM", "2"},
    {"handlers . SYSLOG_UDP_PORT", "514"},
    {"handlers.SysLogHandler.LOG_ALERT", "1"},
    {"handlers.SysLogHandler.LOG_AUTH", "4"},
    {"handlers.SysLogHandler.LOG_AUTHPRIV", "10"},
    {"handlers.SysLogHandler.LOG_CONSOLE", "14"},
    {"handlers.SysLogHandler.LOG_CRIT", "2"},
    {"handlers.SysLogHandler.LOG_CRON", "9"},
    {"handlers.SysLogHandler.LOG_DAEMON", "3"},
    {"handlers.SysLogHandler.LOG_DEBUG", "7"},
    {"handlers.SysLogHandler.LOG_EMERG", "0"},
    {"handlers.SysLogHandler.LOG_ERR", "3"},
    {"handlers.SysLogHandler.LOG_FTP", "11"},
    {"handlers.SysLogHandler.LOG_INFO", "6"},
    {"handlers.SysLogHandler.LOG_KERN", "0"},
    {"handlers.SysLogHandler.LOG_LOCAL0", "16"},
    {"handlers.SysLogHandler.LOG_LOCAL1", "17"},
    {"handlers.SysLogHandler.LOG_LOCAL2", "18"},
    {"handlers.SysLogHandler.LOG_LOCAL3", "19"},
    {"handlers.SysLogHandler.LOG_LOCAL4", "20"},
    {"handlers.SysLogHandler.LOG_LOCAL5", "21"},
    {"handlers.SysLogHandler.LOG_LOCAL6", "22"},
    {"handlers.SysLogHandler.LOG_LOCAL7", "23"},
    {"handlers.SysLogHandler.LOG_LPR", "6"},
    {"handlers.SysLogHandler.LOG_MAIL", "2"},
    {"handlers.SysLogHandler.LOG_NEWS", "7"},
    {"handlers.SysLogHandler.LOG_NOTICE", "5"},
    {"handlers.SysLogHandler.LOG_NTP", "12"},
    {"handlers.SysLogHandler.LOG_SECURITY", "13"},
    {"handlers.SysLogHandler.LOG_SOLCRON", "15"},
    {"handlers.SysLogHandler.LOG_SYSLOG", "5"},
    {"handlers.SysLogHandler.LOG_USER", "1"},
    {"handlers.SysLogHandler.LOG_UUCP", "8"},
    {"handlers.SysLogHandler.LOG_WARNING", "4"},
};

Test(pyliteral, handler_constants)
{
    CHECK_VALUES(handler_constants_cases);
}

static const struct py_case stream_names_cases[] = {
    {"sys.stdout", "sys.stdout"},
    {"sys.stderr", "sys.stderr"},
    {"sys . stdout", "sys.stdout"},
    {"(sys.stderr)", "sys.stderr"},
};

Test(pyliteral, stream_names)
{
    CHECK_VALUES(stream_names_cases);
}

static const struct py_case tuples_cases[] = {
    {"()", "()"},
    {"( )", "()"},
    {"(1,)", "(1,)"},
    {"(1, )", "(1,)"},
    {"(1, 2)", "(1, 2)"},
    {"(1, 2,)", "(1, 2)"},
    {"((1, 2), ('a',), ())", "((1, 2), ('a',), ())"},
    {"(\n1,\n2\n)", "(1, 2)"},
    {"(1,\t2 ,3)", "(1, 2, 3)"},
};

Test(pyliteral, tuples)
{
    CHECK_VALUES(tuples_cases);
}

static const struct py_case parenthesised_not_tuple_cases[] = {
    {"(1)", "1"},
    {"('a')", "'a'"},
    {"((1))", "1"},
    {"(sys.stdout)", "sys.stdout"},
    {"(1024*1024)", "1048576"},
};

Test(pyliteral, parenthesised_not_tuple)
{
    CHECK_VALUES(parenthesised_not_tuple_cases);
}

static const struct py_case top_level_tuple_cases[] = {
    {"'a', 'b'", "('a', 'b')"},
    {"'a',", "('a',)"},
    {"sys.stdout,", "(sys.stdout,)"},
    {"1, (2, 3)", "(1, (2, 3))"},
};

Test(pyliteral, top_level_tuple)
{
    CHECK_VALUES(top_level_tuple_cases);
}

static const struct py_case dicts_cases[] = {
    {"{}", "{}"},
    {"{'a': 1}", "{'a': 1}"},
    {"{'a': 1,}", "{'a': 1}"},
    {"{\"a\" : 1 , 'b':(2,)}", "{'a': 1, 'b': (2,)}"},
    {"{'a': {'b': None}}", "{'a': {'b': None}}"},
    {"{'a' 'b': 1}", "{'ab': 1}"},
    {"{\n'a': 1,\n}", "{'a': 1}"},
};

Test(pyliteral, dicts)
{
    CHECK_VALUES(dicts_cases);
}

static const struct py_case dict_duplicate_keys_cases[] = {
    {"{'a': 1, 'b': 2, 'a': 3}", "{'a': 3, 'b': 2}"},
    {"{'a': 1, 'a': 2, 'a': 3}", "{'a': 3}"},
};

Test(pyliteral, dict_duplicate_keys)
{
    CHECK_VALUES(dict_duplicate_keys_cases);
}

static const struct py_case blanks_and_comments_cases[] = {
    {"  (1,)  ", "(1,)"},         {"\t(1,)", "(1,)"},
    {"(1, # one\n 2)", "(1, 2)"}, {"(1,) # trailing comment", "(1,)"},
    {"\n(1,)\n", "(1,)"},         {"# c\n(1,)", "(1,)"},
    {"(1,)\n# c\n", "(1,)"},      {"1 + \\\n 2", "3"},
    {"(1,\\\n 2)", "(1, 2)"},     {"(\0141,)", "(1,)"},
    {"(1,)\n \n", "(1,)"},
};

Test(pyliteral, blanks_and_comments)
{
    CHECK_VALUES(blanks_and_comments_cases);
}

/* ---- errors: our code and column; Python's exception in the comment -------- */

static const struct py_err error_empty_cases[] = {
    {"", LT_ESYNTAX, 1, "expected a value"},                  /* Python: SyntaxError */
    {"   ", LT_ESYNTAX, 4, "expected a value"},               /* Python: SyntaxError */
    {"# only a comment", LT_ESYNTAX, 17, "expected a value"}, /* Python: SyntaxError */
    {"\n\n", LT_ESYNTAX, 3, "expected a value"},              /* Python: SyntaxError */
};

Test(pyliteral, error_empty)
{
    CHECK_ERRORS(error_empty_cases);
}

static const struct py_err error_unterminated_string_cases[] = {
    {"('app.log,)", LT_ESYNTAX, 2, "unterminated string"},            /* Python: SyntaxError */
    {"('a\nb',)", LT_ESYNTAX, 2, "unterminated string"},              /* Python: SyntaxError */
    {"'''abc''", LT_ESYNTAX, 1, "unterminated triple-quoted string"}, /* Python: SyntaxError */
    {"r'\\'", LT_ESYNTAX, 1, "unterminated string"},                  /* Python: SyntaxError */
    {"'abc\\", LT_ESYNTAX, 1, "unterminated string"},                 /* Python: SyntaxError */
};

Test(pyliteral, error_unterminated_string)
{
    CHECK_ERRORS(error_unterminated_string_cases);
}

static const struct py_err error_bad_escape_cases[] = {
    {"'\\x4'", LT_ESYNTAX, 2, "truncated \\x escape"},             /* Python: SyntaxError */
    {"('ok', '\\u12')", LT_ESYNTAX, 9, "truncated \\u escape"},    /* Python: SyntaxError */
    {"'\\U00110000'", LT_ESYNTAX, 2, "illegal Unicode character"}, /* Python: SyntaxError */
    {"'\\xg0'", LT_ESYNTAX, 2, "truncated \\x escape"},            /* Python: SyntaxError */
};

Test(pyliteral, error_bad_escape)
{
    CHECK_ERRORS(error_bad_escape_cases);
}

static const struct py_err error_unknown_name_cases[] = {
    {"(foo,)", LT_EUNKNOWN, 2, "name 'foo' is not defined"},                 /* Python: NameError */
    {"(logging.INFO,)", LT_EUNKNOWN, 2, "name 'logging' is not defined"},    /* Python: NameError */
    {"(sys.stdout, dbg)", LT_EUNKNOWN, 14, "name 'dbg' is not defined"},     /* Python: NameError */
    {"{'stream': stdout}", LT_EUNKNOWN, 12, "name 'stdout' is not defined"}, /* Python: NameError */
    {"none", LT_EUNKNOWN, 1, "name 'none' is not defined"},                  /* Python: NameError */
};

Test(pyliteral, error_unknown_name)
{
    CHECK_ERRORS(error_unknown_name_cases);
}

static const struct py_err error_name_not_supported_cases[] = {
    {"os.sep", LT_EUNSUPPORTED, 1, "not supported in args: 'os.sep'"},   /* Python: evaluates it */
    {"(sys.stdin,)", LT_EUNSUPPORTED, 2, "'sys.stdin'"},                 /* Python: evaluates it */
    {"('x', handlers.ST_DEV)", LT_EUNSUPPORTED, 7, "'handlers.ST_DEV'"}, /* Python: evaluates it */
    {"len", LT_EUNSUPPORTED, 1, "'len'"},                                /* Python: evaluates it */
};

Test(pyliteral, error_name_not_supported)
{
    CHECK_ERRORS(error_name_not_supported_cases);
}

static const struct py_err error_unsupported_constructs_cases[] = {
    {"(os.getcwd(),)", LT_EUNSUPPORTED, 2, "calls ('os.getcwd(...)')"}, /* Python: evaluates it */
    {"(dict(a=1),)", LT_EUNSUPPORTED, 2, "calls ('dict(...)')"},        /* Python: evaluates it */
    {"('a'.upper(),)", LT_EUNSUPPORTED, 5, "attributes of values"},     /* Python: evaluates it */
    {"((1, 2)[0],)", LT_EUNSUPPORTED, 8, "subscripts"},                 /* Python: evaluates it */
    {"([1, 2],)", LT_EUNSUPPORTED, 2, "lists"},                         /* Python: evaluates it */
    {"{'a', 'b'}", LT_EUNSUPPORTED, 5, "sets"},                         /* Python: evaluates it */
    {"{1: 'a'}", LT_EUNSUPPORTED, 2,
     "dict keys that are not strings (int)"},                     /* Python: evaluates it */
    {"(lambda: 1,)", LT_EUNSUPPORTED, 2, "'lambda'"},             /* Python: evaluates it */
    {"(1 if True else 2,)", LT_EUNSUPPORTED, 4, "'if'"},          /* Python: evaluates it */
    {"(not True,)", LT_EUNSUPPORTED, 2, "'not'"},                 /* Python: evaluates it */
    {"(1 and 2,)", LT_EUNSUPPORTED, 4, "'and'"},                  /* Python: evaluates it */
    {"(10/2,)", LT_EUNSUPPORTED, 4, "the operator '/'"},          /* Python: evaluates it */
    {"(10//2,)", LT_EUNSUPPORTED, 4, "the operator '//'"},        /* Python: evaluates it */
    {"(10 % 3,)", LT_EUNSUPPORTED, 5, "the operator '%'"},        /* Python: evaluates it */
    {"(1 < 2,)", LT_EUNSUPPORTED, 4, "the operator '<'"},         /* Python: evaluates it */
    {"(2**-1,)", LT_EUNSUPPORTED, 3, "negative exponents"},       /* Python: evaluates it */
    {"(2.0**2,)", LT_EUNSUPPORTED, 5, "'**' with floats"},        /* Python: evaluates it */
    {"(b'x',)", LT_EUNSUPPORTED, 2, "bytes literals"},            /* Python: evaluates it */
    {"(f'{x}',)", LT_EUNSUPPORTED, 2, "f-strings"},               /* Python: NameError */
    {"(1j,)", LT_EUNSUPPORTED, 2, "complex numbers"},             /* Python: evaluates it */
    {"(*a,)", LT_EUNSUPPORTED, 2, "unpacking with '*'"},          /* Python: NameError */
    {"{**a}", LT_EUNSUPPORTED, 2, "'**' in a dict"},              /* Python: NameError */
    {"('a' * 2,)", LT_EUNSUPPORTED, 6, "for *: 'str' and 'int'"}, /* Python: evaluates it */
    {"('\\N{BULLET}',)", LT_EUNSUPPORTED, 3, "\\N{...} escapes"}, /* Python: evaluates it */
    {"('\\ud800',)", LT_EUNSUPPORTED, 3, "surrogate"},            /* Python: evaluates it */
    {"(...,)", LT_EUNSUPPORTED, 2, "'...'"},                      /* Python: evaluates it */
    {"(~1,)", LT_EUNSUPPORTED, 2, "'~'"},                         /* Python: evaluates it */
};

Test(pyliteral, error_unsupported_constructs)
{
    CHECK_ERRORS(error_unsupported_constructs_cases);
}

static const struct py_err error_operand_types_cases[] = {
    {"(1 + 'a',)", LT_EUNSUPPORTED, 4,
     "unsupported operand types for +: 'int' and 'str'"},                   /* Python: TypeError */
    {"(-'a',)", LT_EUNSUPPORTED, 2, "bad operand type for unary -: 'str'"}, /* Python: TypeError */
    {"(None * 2,)", LT_EUNSUPPORTED, 7, "for *: 'None' and 'int'"},         /* Python: TypeError */
    {"(sys.stdout + 1,)", LT_EUNSUPPORTED, 13, "'name' and 'int'"},         /* Python: TypeError */
};

Test(pyliteral, error_operand_types)
{
    CHECK_ERRORS(error_operand_types_cases);
}

static const struct py_err error_int_overflow_cases[] = {
    {"(9223372036854775808,)", LT_ERANGE, 2, "does not fit in 64 bits"},  /* Python: evaluates it */
    {"(0x8000000000000000,)", LT_ERANGE, 2, "does not fit in 64 bits"},   /* Python: evaluates it */
    {"(9223372036854775807 + 1,)", LT_ERANGE, 22, "'+'"},                 /* Python: evaluates it */
    {"(-9223372036854775807 - 2,)", LT_ERANGE, 23, "'-'"},                /* Python: evaluates it */
    {"(3037000500*3037000500,)", LT_ERANGE, 12, "'*'"},                   /* Python: evaluates it */
    {"(2**63,)", LT_ERANGE, 3, "'**'"},                                   /* Python: evaluates it */
    {"(-9223372036854775808,)", LT_ERANGE, 3, "does not fit in 64 bits"}, /* Python: evaluates it */
};

Test(pyliteral, error_int_overflow)
{
    CHECK_ERRORS(error_int_overflow_cases);
}

static const struct py_err error_bad_numbers_cases[] = {
    {"(07,)", LT_ESYNTAX, 2, "leading zeros"},               /* Python: SyntaxError */
    {"(1__0,)", LT_ESYNTAX, 3, "invalid decimal literal"},   /* Python: SyntaxError */
    {"(1_,)", LT_ESYNTAX, 3, "invalid decimal literal"},     /* Python: SyntaxError */
    {"(1abc,)", LT_ESYNTAX, 3, "invalid decimal literal"},   /* Python: SyntaxError */
    {"(0x,)", LT_ESYNTAX, 2, "invalid hexadecimal literal"}, /* Python: SyntaxError */
    {"(0o8,)", LT_ESYNTAX, 2, "invalid octal literal"},      /* Python: SyntaxError */
    {"(0b2,)", LT_ESYNTAX, 2, "invalid binary literal"},     /* Python: SyntaxError */
    {"(1e,)", LT_ESYNTAX, 3, "invalid decimal literal"},     /* Python: SyntaxError */
    {"(1._5,)", LT_ESYNTAX, 4, "invalid decimal literal"},   /* Python: SyntaxError */
};

Test(pyliteral, error_bad_numbers)
{
    CHECK_ERRORS(error_bad_numbers_cases);
}

static const struct py_err error_syntax_cases[] = {
    {"(1 2)", LT_ESYNTAX, 4, "expected ',' or ')', found '2'"},     /* Python: SyntaxError */
    {"(,)", LT_ESYNTAX, 2, "expected a value, found ','"},          /* Python: SyntaxError */
    {"(1,,)", LT_ESYNTAX, 4, "expected a value"},                   /* Python: SyntaxError */
    {"{'a': 1 'b': 2}", LT_ESYNTAX, 9, "expected ',' or '}'"},      /* Python: SyntaxError */
    {"{'a' 1}", LT_ESYNTAX, 6, "expected ':'"},                     /* Python: SyntaxError */
    {"('app.log', 'w'", LT_ESYNTAX, 1, "'(' was never closed"},     /* Python: SyntaxError */
    {"{'a': (1,}", LT_ESYNTAX, 10, "expected a value, found '}'"},  /* Python: SyntaxError */
    {"(1,))", LT_ESYNTAX, 5, "expected the end of the expression"}, /* Python: SyntaxError */
    {"(filename='x.log')", LT_ESYNTAX, 10,
     "keyword arguments go in kwargs"},                    /* Python: SyntaxError */
    {"(1, class)", LT_ESYNTAX, 5, "'class' is a keyword"}, /* Python: SyntaxError */
    {"('a', \001)", LT_ESYNTAX, 7, "byte 0x01"},           /* Python: SyntaxError */
    {"('a',) ; x", LT_ESYNTAX, 8, "found ';'"},            /* Python: SyntaxError */
};

Test(pyliteral, error_syntax)
{
    CHECK_ERRORS(error_syntax_cases);
}

static const struct py_err error_second_line_cases[] = {
    {"1,\n2", LT_ESYNTAX, 4, "a second expression"},      /* Python: SyntaxError */
    {"(1,)\n(2,)", LT_ESYNTAX, 6, "a second expression"}, /* Python: SyntaxError */
    {"(1,) \\\n", LT_ESYNTAX, 6, "found '\\'"},           /* Python: SyntaxError */
    {"1 +\n2", LT_ESYNTAX, 4,
     "expected a value before the end of the line"}, /* Python: SyntaxError */
};

Test(pyliteral, error_second_line)
{
    CHECK_ERRORS(error_second_line_cases);
}

static const struct py_err error_unexpected_indent_cases[] = {
    {"\n  (1,)", LT_ESYNTAX, 2, "unexpected indent"}, /* Python: IndentationError */
    {"(1,)\n  ", LT_ESYNTAX, 6, "unexpected indent"}, /* Python: IndentationError */
};

Test(pyliteral, error_unexpected_indent)
{
    CHECK_ERRORS(error_unexpected_indent_cases);
}

/* ---- the value tree itself ------------------------------------------------ */

Test(pyliteral, columns_point_into_the_text)
{
    lt__pyval *v = parse_ok("(1, 'a', (2,), {'k': -3})");
    const lt__pyval *d = v->as.tuple.items[3];

    cr_expect_eq(v->column, 1);
    cr_expect_eq(v->as.tuple.items[0]->column, 2);
    cr_expect_eq(v->as.tuple.items[1]->column, 5);
    cr_expect_eq(v->as.tuple.items[2]->column, 10);
    cr_expect_eq(v->as.tuple.items[2]->as.tuple.items[0]->column, 11);
    cr_expect_eq(d->column, 16);
    cr_expect_eq(d->as.dict.keys[0]->column, 17);
    cr_expect_eq(d->as.dict.values[0]->column, 22, "a signed value starts at its sign");
    lt__py_free(v);
}

Test(pyliteral, strings_keep_nul_and_length)
{
    /* Python: 'a\0b' is three characters */
    lt__pyval *v = parse_ok("'a\\0b'");

    cr_expect_eq(v->kind, LT__PY_STR);
    cr_expect_eq(v->as.str.len, 3);
    cr_expect_eq(memcmp(v->as.str.ptr, "a\0b", 4), 0, "NUL-terminated after its length too");
    lt__py_free(v);
}

Test(pyliteral, streams_stay_names)
{
    lt__pyval *v = parse_ok("(sys . stderr,)");
    const lt__pyval *s = v->as.tuple.items[0];

    cr_expect_eq(s->kind, LT__PY_NAME);
    cr_expect_str_eq(s->as.str.ptr, "sys.stderr", "the dotted text, without the spaces");
    cr_expect_eq(s->as.str.len, strlen("sys.stderr"));
    lt__py_free(v);
}

Test(pyliteral, dict_get)
{
    lt__pyval *v = parse_ok("{'mode': 'w', 'delay': True, 'mode': 'a'}");
    const lt__pyval *mode = lt__py_dict_get(v, "mode");
    lt__pyval *t = parse_ok("('mode',)");

    cr_expect_eq(v->as.dict.n, 2, "a repeated key is stored once");
    cr_assert_not_null(mode);
    cr_expect_str_eq(mode->as.str.ptr, "a", "the last value wins, as in Python");
    cr_expect_eq(lt__py_dict_get(v, "delay")->kind, LT__PY_BOOL);
    cr_expect_null(lt__py_dict_get(v, "encoding"));
    cr_expect_null(lt__py_dict_get(v, "Mode"), "keys are case-sensitive");
    cr_expect_null(lt__py_dict_get(t, "mode"), "not a dict");
    cr_expect_null(lt__py_dict_get(NULL, "mode"));
    lt__py_free(v);
    lt__py_free(t);
}

Test(pyliteral, kind_names)
{
    cr_expect_str_eq(lt__py_kind_name(LT__PY_NONE), "None");
    cr_expect_str_eq(lt__py_kind_name(LT__PY_BOOL), "bool");
    cr_expect_str_eq(lt__py_kind_name(LT__PY_INT), "int");
    cr_expect_str_eq(lt__py_kind_name(LT__PY_FLOAT), "float");
    cr_expect_str_eq(lt__py_kind_name(LT__PY_STR), "str");
    cr_expect_str_eq(lt__py_kind_name(LT__PY_NAME), "name");
    cr_expect_str_eq(lt__py_kind_name(LT__PY_TUPLE), "tuple");
    cr_expect_str_eq(lt__py_kind_name(LT__PY_DICT), "dict");
}

Test(pyliteral, err_may_be_null)
{
    lt__pyval *v = NULL;

    cr_expect_eq(lt__py_parse("('app.log'", &v, NULL), LT_ESYNTAX);
    cr_expect_null(v);
    lt__py_free(NULL);
}

/* Python 3.11: 200 nested parentheses parse, 201 are "too many". */
Test(pyliteral, nesting_limit_as_python)
{
    char text[512];
    lt__pyval *v = NULL;
    lt_error err;

    memset(text, '(', 200);
    text[200] = '1';
    memset(text + 201, ')', 200);
    text[401] = '\0';
    cr_expect_eq(lt__py_parse(text, &v, &err), 0, "%s", err.message);
    cr_expect_eq(v ? v->as.i : 0, 1);
    lt__py_free(v);
    memset(text, '(', 201);
    text[201] = '1';
    memset(text + 202, ')', 201);
    text[403] = '\0';
    cr_expect_eq(lt__py_parse(text, &v, &err), LT_ESYNTAX);
    cr_expect_eq(err.column, 201);
    cr_expect_not_null(strstr(err.message, "too many nested parentheses"));
}

/* Python 3.11 takes 900 signs in a row; far more must fail, not overflow the stack. */
Test(pyliteral, deep_signs_bounded)
{
    static char text[100002];
    lt__pyval *v = NULL;
    lt_error err;

    memset(text, '-', 900);
    strcpy(text + 900, "1");
    cr_expect_eq(lt__py_parse(text, &v, &err), 0, "%s", err.message);
    cr_expect_eq(v ? v->as.i : 0, 1);
    lt__py_free(v);
    memset(text, '-', 100000);
    strcpy(text + 100000, "1");
    cr_expect_eq(lt__py_parse(text, &v, &err), LT_EUNSUPPORTED);
    text[0] = '2';
    for (size_t i = 1; i + 3 < sizeof(text); i += 3) {
        memcpy(text + i, "**2", 3);
        text[i + 3] = '\0';
    }
    cr_expect_lt(lt__py_parse(text, &v, &err), 0, "a chain of ** fails cleanly too");
}

/* Python's '.' is the decimal point whatever LC_NUMERIC says. */
Test(pyliteral, floats_ignore_the_locale)
{
    static const char *const comma_locales[] = {"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
                                                "fr_FR.utf8",  "de_DE",      "fr_FR"};
    const char *set = NULL;
    lt__pyval *v;

    for (size_t i = 0; i < LT__ARRAY_SIZE(comma_locales) && !set; i++)
        set = setlocale(LC_NUMERIC, comma_locales[i]);
    if (!set)
        cr_skip_test("no locale with a decimal comma is installed");
    v = parse_ok("(2.5, 1_0.25e1)");
    setlocale(LC_NUMERIC, "C");
    cr_expect_float_eq(v->as.tuple.items[0]->as.f, 2.5, 0.0);
    cr_expect_float_eq(v->as.tuple.items[1]->as.f, 102.5, 0.0);
    lt__py_free(v);
}
