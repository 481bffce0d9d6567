/* tests/test_logfmt_formatter.c - the logfmt formatter: exact bytes for
 * every value type and every quoting rule, control bytes, invalid UTF-8,
 * huge values, many fields, keys that collide; and every line read back by
 * a parser nobody here wrote, the npm package logfmt (Heroku's), compared
 * with the key-value pairs it must give. That parser reads a backslash as
 * "take the next character as it is": it gives '"' and '\\' back exactly,
 * but reads Go's \n, \t and \u00XX escapes of control characters as "n",
 * "t" and "u00XX"; the expected pairs of lines with control characters say
 * so. Install the parser with tests/parsers/setup.sh; a missing one fails
 * the test unless LT_ALLOW_MISSING_PARSERS=1. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

/* ---- records through the formatter under test ---- */

static lt_formatter *fmt;
static lt_buf *line;          /* fmt's rendering of the last record */
static const lt_field *added; /* fields a filter adds to each record */
static size_t n_added;
static struct timespec rec_time; /* the last record's time */
static lt_buf *kept, *expected;  /* lines for the parser, and the pairs they must give */

static bool copy_next; /* keep a copy of the next record in copied */
static lt_record *copied;

static bool format_filter(void *userdata, lt_record *rec)
{
    (void)userdata;
    for (size_t i = 0; i < n_added; i++)
        cr_assert_eq(lt_record_set_field(rec, added[i].key, &added[i].value), 0, "field %s",
                     added[i].key);
    rec_time = lt_record_time(rec);
    if (copy_next) {
        cr_assert_eq(lt_record_copy(rec, &copied), 0);
        copy_next = false;
    }
    lt_buf_truncate(line, 0);
    cr_assert_eq(lt_formatter_format(fmt, rec, line), 0);
    return false; /* formatted: nothing else needs it */
}

static lt_formatter *logfmt(const lt_logfmt_options *o)
{
    lt_formatter *f = NULL;
    lt_error err = {0};

    cr_assert_eq(lt_logfmt_formatter_new(&f, o, &err), 0, "%s", err.message);
    return f;
}

/* The logger "t", at DEBUG, whose records @f formats into line. */
static lt_logger *use(lt_formatter *f)
{
    lt_logger *lg = lt_get_logger("t");
    lt_filter *filter;

    lt_formatter_unref(fmt);
    fmt = f;
    if (!line) {
        cr_assert_eq(lt_buf_new(&line), 0);
        cr_assert_eq(lt_buf_new(&kept), 0);
        cr_assert_eq(lt_buf_new(&expected), 0);
        lt_buf_puts(expected, "[\n");
        cr_assert_eq(lt_callback_filter_new(&filter, format_filter, NULL, NULL), 0);
        lt_logger_add_filter(lg, filter);
        lt_filter_unref(filter);
        lt_logger_set_level(lg, LT_LEVEL_DEBUG);
    }
    return lg;
}

static void add_fields(const lt_field *fields, size_t n)
{
    added = fields;
    n_added = n;
}

static const char *text(void)
{
    return lt_buf_data(line);
}

/* Keep the last line for the parser, with @js, a JSON object of the pairs it
 * must read back (strings; true, false and null where it makes those). */
static void keep(const char *js)
{
    if (lt_buf_len(kept))
        lt_buf_puts(expected, ",\n");
    lt_buf_append(kept, lt_buf_data(line), lt_buf_len(line));
    lt_buf_putc(kept, '\n');
    lt_buf_puts(expected, js);
}

#define CHECK_LINE(want, js)            \
    do {                                \
        cr_assert_str_eq(text(), want); \
        keep(js);                       \
    } while (0)

static const char *rfc3339_utc(void)
{
    static char s[80];
    struct tm tm;
    size_t n;

    gmtime_r(&rec_time.tv_sec, &tm);
    n = strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(s + n, sizeof(s) - n, ".%06ldZ", rec_time.tv_nsec / 1000);
    return s;
}

/* ---- the parser ---- */

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *fp = fopen(path, "wb");

    cr_assert(fp, "%s: %s", path, strerror(errno));
    cr_assert_eq(fwrite(data, 1, len, fp), len);
    cr_assert_eq(fclose(fp), 0);
}

/* Reads lines.logfmt strictly as UTF-8, each line with logfmt.parse(), and
 * compares the pairs (and their order) with expected.json. */
static const char checker[] =
    "const fs = require('fs');\n"
    "const logfmt = require('logfmt');\n"
    "const text = new TextDecoder('utf-8', {fatal: "
    "true}).decode(fs.readFileSync('lines.logfmt'));\n"
    "const lines = text.split('\\n');\n"
    "if (lines.pop() !== '') { console.error('no newline after the last line'); process.exit(1); "
    "}\n"
    "const want = JSON.parse(fs.readFileSync('expected.json', 'utf8'));\n"
    "if (lines.length !== want.length) {\n"
    "  console.error(`${lines.length} lines, ${want.length} expected`); process.exit(1);\n"
    "}\n"
    "let bad = 0;\n"
    "lines.forEach((l, i) => {\n"
    "  const got = JSON.stringify(logfmt.parse(l)), w = JSON.stringify(want[i]);\n"
    "  if (got !== w) {\n"
    "    console.error(`line ${i + 1}:\\n got  ${got.slice(0, 3000)}\\n want ${w.slice(0, "
    "3000)}`);\n"
    "    bad++;\n"
    "  }\n"
    "});\n"
    "process.exit(bad ? 1 : 0);\n";

/* Every kept line must read back as its expected pairs. */
static void check_parser(void)
{
    const char *dir;
    char cmd[1200];

    if (system("command -v node >/dev/null 2>&1") != 0)
        parser_missing("node");
    if (!(dir = parsers_dir()))
        parser_missing("the npm package logfmt");
    enter_temp_dir();
    lt_buf_puts(expected, "\n]\n");
    write_file("lines.logfmt", lt_buf_data(kept), lt_buf_len(kept));
    write_file("expected.json", lt_buf_data(expected), lt_buf_len(expected));
    write_file("check.js", checker, strlen(checker));
    snprintf(cmd, sizeof(cmd), "NODE_PATH='%s/node_modules' node check.js", dir);
    cr_assert_eq(system(cmd), 0, "the logfmt parser read the lines otherwise");
}

/* ---- the default shape ---- */

Test(logfmt, default_shape_and_types)
{
    lt_logger *lg = use(logfmt(&(lt_logfmt_options){.utc = true}));
    char want[512], js[512];

    LT_INFO(lg, "user %s logged in", "bob", LT_F("uid", 42), LT_F("ms", 12.5),
            LT_F("admin", (bool)true));
    snprintf(want, sizeof(want),
             "time=%s level=info logger=t msg=\"user bob logged in\" uid=42 ms=12.5 admin=true",
             rfc3339_utc());
    snprintf(js, sizeof(js),
             "{\"time\": \"%s\", \"level\": \"info\", \"logger\": \"t\", \"msg\": \"user bob "
             "logged in\", \"uid\": \"42\", \"ms\": \"12.5\", \"admin\": true}",
             rfc3339_utc());
    CHECK_LINE(want, js);
    check_parser();
}

Test(logfmt, time_with_offset)
{
    lt_logger *lg;
    char want[128], when[64];
    struct tm tm;

    setenv("TZ", "XYZ-5:30", 1);
    tzset();
    lg = use(logfmt(&(lt_logfmt_options){.attributes = "time"}));
    LT_INFO(lg, "x");
    localtime_r(&rec_time.tv_sec, &tm);
    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(want, sizeof(want), "time=%s.%06ld+05:30", when, rec_time.tv_nsec / 1000);
    cr_assert_str_eq(text(), want);
}

Test(logfmt, every_value_type)
{
    static const lt_field fields[] = {
        {"null", {.type = LT_VALUE_NULL}},
        {"yes", {.type = LT_VALUE_BOOL, .as.b = true}},
        {"no", {.type = LT_VALUE_BOOL, .as.b = false}},
        {"neg", {.type = LT_VALUE_INT, .as.i = -42}},
        {"int_min", {.type = LT_VALUE_INT, .as.i = INT64_MIN}},
        {"uint_max", {.type = LT_VALUE_UINT, .as.u = UINT64_MAX}},
        {"d", {.type = LT_VALUE_DOUBLE, .as.d = 0.1}},
        {"whole", {.type = LT_VALUE_DOUBLE, .as.d = 12.0}},
        {"big", {.type = LT_VALUE_DOUBLE, .as.d = 1e16}},
        {"tiny", {.type = LT_VALUE_DOUBLE, .as.d = 5e-324}},
        {"nan", {.type = LT_VALUE_DOUBLE, .as.d = NAN}},
        {"inf", {.type = LT_VALUE_DOUBLE, .as.d = INFINITY}},
        {"ninf", {.type = LT_VALUE_DOUBLE, .as.d = -INFINITY}},
        {"empty", {.type = LT_VALUE_STRING, .as.s = {"", 0}}},
        {"str", {.type = LT_VALUE_STRING, .as.s = {"word", 4}}},
    };
    lt_logger *lg = use(logfmt(&(lt_logfmt_options){.attributes = ""}));

    add_fields(fields, sizeof(fields) / sizeof(fields[0]));
    LT_INFO(lg, "m");
    CHECK_LINE("null= yes=true no=false neg=-42 int_min=-9223372036854775808 "
               "uint_max=18446744073709551615 d=0.1 whole=12.0 big=1e+16 tiny=5e-324 nan=NaN "
               "inf=+Inf ninf=-Inf empty=\"\" str=word",
               "{\"null\": null, \"yes\": true, \"no\": false, \"neg\": \"-42\", "
               "\"int_min\": \"-9223372036854775808\", \"uint_max\": \"18446744073709551615\", "
               "\"d\": \"0.1\", \"whole\": \"12.0\", \"big\": \"1e+16\", \"tiny\": \"5e-324\", "
               "\"nan\": \"NaN\", \"inf\": \"+Inf\", \"ninf\": \"-Inf\", \"empty\": \"\", "
               "\"str\": \"word\"}");
    check_parser();
}

/* ---- quoting ---- */

/* Quoted exactly when needed; what needs no escape reads back exactly. */
Test(logfmt, quotes_exactly_when_needed)
{
    static const struct {
        const char *value, *out, *js;
    } cases[] = {
        {"plain", "plain", "\"plain\""},
        {"", "\"\"", "\"\""},
        {"a b", "\"a b\"", "\"a b\""},
        {" lead", "\" lead\"", "\" lead\""},
        {"a=b", "\"a=b\"", "\"a=b\""},
        {"=", "\"=\"", "\"=\""},
        {"a\"b", "\"a\\\"b\"", "\"a\\\"b\""},
        {"\"", "\"\\\"\"", "\"\\\"\""},
        {"a\\b", "\"a\\\\b\"", "\"a\\\\b\""},
        {"x\" evil=1 y=\"", "\"x\\\" evil=1 y=\\\"\"", "\"x\\\" evil=1 y=\\\"\""},
        {"é€😀", "é€😀", "\"é€😀\""},
        {"\xc2\xa0nbsp", "\xc2\xa0nbsp", "\"\\u00a0nbsp\""},
        {"a\xe2\x80\xa8z", "a\xe2\x80\xa8z", "\"a\\u2028z\""},
        {"null", "null", "\"null\""},
        {"-", "-", "\"-\""},
        {"a:b,c;d/e?f&g#h'i", "a:b,c;d/e?f&g#h'i", "\"a:b,c;d/e?f&g#h'i\""},
        {"{\"a\":1}", "\"{\\\"a\\\":1}\"", "\"{\\\"a\\\":1}\""},
    };
    lt_logger *lg = use(logfmt(&(lt_logfmt_options){.attributes = ""}));

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lt_field f = {"k", lt_value_str(cases[i].value)};
        char want[256], js[256];

        add_fields(&f, 1);
        LT_INFO(lg, "m");
        snprintf(want, sizeof(want), "k=%s", cases[i].out);
        snprintf(js, sizeof(js), "{\"k\": %s}", cases[i].js);
        CHECK_LINE(want, js);
    }
    check_parser();
}

/* What the npm parser reads from the inside of a quoted value @esc: each
 * character after a backslash as it is; as a JSON string into @js. */
static char *npm_reading(const char *esc, char *js)
{
    for (const char *e = esc; *e; e++) {
        if (*e == '\\')
            e++;
        if (*e == '"' || *e == '\\')
            *js++ = '\\';
        *js++ = *e;
    }
    *js = '\0';
    return js;
}

/* Control characters are quoted and escaped as Go's encoder does. The npm
 * parser reads the escapes of Go's as their letters: the line stays one
 * line with the same keys, which is all it can tell. */
Test(logfmt, every_control_byte_is_escaped)
{
    char bytes[40], want[1024], js[1024], *j;
    size_t n = 0;
    lt_logger *lg = use(logfmt(&(lt_logfmt_options){.attributes = "message"}));
    const char *esc = "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\u0008\\t\\n\\u000b"
                      "\\u000c\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016"
                      "\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\\u007f"
                      "\\\"\\\\ \\u0080\\u009f";

    for (int c = 0; c < 0x20; c++)
        bytes[n++] = (char)c;
    bytes[n++] = 0x7f;
    bytes[n++] = '"';
    bytes[n++] = '\\';
    bytes[n++] = ' ';
    memcpy(bytes + n, "\xc2\x80\xc2\x9f", 4);
    n += 4;
    lt_log_text_at(lg, LT_LEVEL_INFO, NULL, bytes, n);
    snprintf(want, sizeof(want), "msg=\"%s\"", esc);
    j = npm_reading(esc, js + sprintf(js, "{\"msg\": \""));
    sprintf(j, "\"}");
    CHECK_LINE(want, js);
    LT_INFO(lg, "m", LT_F("ctl", LT_STR(bytes, n)), LT_F("after", 1));
    snprintf(want, sizeof(want), "msg=m ctl=\"%s\" after=1", esc);
    j = npm_reading(esc, js + sprintf(js, "{\"msg\": \"m\", \"ctl\": \""));
    sprintf(j, "\", \"after\": \"1\"}");
    CHECK_LINE(want, js);
    check_parser();
}

Test(logfmt, nul_bytes_inside_strings)
{
    lt_logger *lg = use(logfmt(&(lt_logfmt_options){.attributes = "message"}));

    lt_log_text_at(lg, LT_LEVEL_INFO, NULL, "a\0b", 3);
    CHECK_LINE("msg=\"a\\u0000b\"", "{\"msg\": \"au0000b\"}");
    check_parser();
}

/* Invalid UTF-8 is quoted (as Go quotes it) and each maximal invalid
 * sequence becomes one U+FFFD, written as it is. */
Test(logfmt, invalid_utf8_becomes_replacement_characters)
{
    static const struct {
        const char *bytes, *out, *js;
    } cases[] = {
        {"a\x80z", "\"a\xef\xbf\xbdz\"", "\"a\\ufffdz\""},
        {"\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"", "\"\\ufffd\\ufffd\""},
        {"\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"", "\"\\ufffd\\ufffd\\ufffd\""},
        {"ab\xe2\x82", "\"ab\xef\xbf\xbd\"", "\"ab\\ufffd\""},
        {"ab\xf0\x9f\x98", "\"ab\xef\xbf\xbd\"", "\"ab\\ufffd\""},
        {"\xf4\x90\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"",
         "\"\\ufffd\\ufffd\\ufffd\\ufffd\""},
        {"\xff z", "\"\xef\xbf\xbd z\"", "\"\\ufffd z\""},
    };
    lt_logger *lg = use(logfmt(&(lt_logfmt_options){.attributes = ""}));

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lt_field f = {"k", lt_value_str(cases[i].bytes)};
        char want[256], js[256];

        add_fields(&f, 1);
        LT_INFO(lg, "m");
        snprintf(want, sizeof(want), "k=%s", cases[i].out);
        snprintf(js, sizeof(js), "{\"k\": %s}", cases[i].js);
        CHECK_LINE(want, js);
    }
    check_parser();
}

/* The core keeps keys well-formed (record.h): a call-site key with broken
 * UTF-8 arrives renamed, and the formatter prints it as it is. */
Test(logfmt, field_keys_with_invalid_utf8)
{
    lt_logger *lg = use(logfmt(&(lt_logfmt_options){.attributes = ""}));

    LT_INFO(lg, "m", LT_F("k\xff", 1), LT_F("é\xc3", 2));
    CHECK_LINE("_k_=1 _é_=2", "{\"_k_\": \"1\", \"_é_\": \"2\"}");
    check_parser();
}

Test(logfmt, one_megabyte_value)
{
    static const char unit[] = "ab \"c\\ d=é€ ";
    size_t unit_len = sizeof(unit) - 1, units = (1u << 20) / unit_len + 1, len = units * unit_len;
    const char *esc = "ab \\\"c\\\\ d=é€ ", *js_unit = "ab \\\"c\\\\ d=é€ ";
    size_t esc_len = strlen(esc);
    char *big = malloc(len);
    lt_logger *lg = use(logfmt(&(lt_logfmt_options){.attributes = ""}));
    lt_buf *js;

    cr_assert_geq(len, 1u << 20);
    for (size_t i = 0; i < units; i++)
        memcpy(big + i * unit_len, unit, unit_len);
    LT_INFO(lg, "m", LT_F("big", LT_STR(big, len)), LT_F("next", 1));
    cr_assert_eq(lt_buf_len(line), strlen("big=\"\" next=1") + units * esc_len);
    cr_assert(strncmp(text(), "big=\"", 5) == 0);
    for (size_t i = 0; i < units; i++)
        cr_assert(memcmp(text() + 5 + i * esc_len, esc, esc_len) == 0, "unit %zu", i);
    cr_assert_str_eq(text() + 5 + units * esc_len, "\" next=1");
    cr_assert_eq(lt_buf_new(&js), 0);
    lt_buf_puts(js, "{\"big\": \"");
    for (size_t i = 0; i < units; i++)
        lt_buf_puts(js, js_unit);
    lt_buf_puts(js, "\", \"next\": \"1\"}");
    keep(lt_buf_data(js));
    lt_buf_free(js);
    free(big);
    check_parser();
}

Test(logfmt, a_thousand_fields)
{
    static lt_field fields[1000];
    static char keys[1000][8];
    lt_logger *lg = use(logfmt(&(lt_logfmt_options){.attributes = "message"}));
    lt_buf *want, *js;

    cr_assert_eq(lt_buf_new(&want), 0);
    cr_assert_eq(lt_buf_new(&js), 0);
    lt_buf_puts(want, "msg=m");
    lt_buf_puts(js, "{\"msg\": \"m\"");
    for (int i = 0; i < 1000; i++) {
        snprintf(keys[i], sizeof(keys[i]), "k%d", i);
        fields[i].key = keys[i];
        fields[i].value = i % 2 ? lt_value_int(i) : lt_value_str("v w");
        if (i % 2)
            lt_buf_printf(want, " k%d=%d", i, i);
        else
            lt_buf_printf(want, " k%d=\"v w\"", i);
        lt_buf_printf(js, i % 2 ? ", \"k%d\": \"%d\"" : ", \"k%d\": \"v w\"", i, i);
    }
    lt_buf_putc(js, '}');
    add_fields(fields, 1000);
    LT_INFO(lg, "m");
    CHECK_LINE(lt_buf_data(want), lt_buf_data(js));
    lt_buf_free(want);
    lt_buf_free(js);
    check_parser();
}

/* ---- keys ---- */

Test(logfmt, field_keys_never_collide_with_attributes)
{
    static const lt_field fields[] = {
        {"level", {.type = LT_VALUE_STRING, .as.s = {"f1", 2}}},
        {"_level", {.type = LT_VALUE_STRING, .as.s = {"f2", 2}}},
        {"logger", {.type = LT_VALUE_STRING, .as.s = {"f3", 2}}},
        {"time", {.type = LT_VALUE_STRING, .as.s = {"f5", 2}}},
    };
    lt_logger *lg = use(logfmt(&(lt_logfmt_options){.utc = true}));
    char want[512], js[512];

    add_fields(fields, sizeof(fields) / sizeof(fields[0]));
    LT_INFO(lg, "hi", LT_F("message", "m"));
    snprintf(want, sizeof(want),
             "time=%s level=info logger=t msg=hi _message=m __level=f1 _level=f2 _logger=f3 "
             "_time=f5",
             rfc3339_utc());
    snprintf(js, sizeof(js),
             "{\"time\": \"%s\", \"level\": \"info\", \"logger\": \"t\", \"msg\": \"hi\", "
             "\"_message\": \"m\", \"__level\": \"f1\", \"_level\": \"f2\", \"_logger\": \"f3\", "
             "\"_time\": \"f5\"}",
             rfc3339_utc());
    CHECK_LINE(want, js);
    check_parser();
}

Test(logfmt, errno_and_strerror_when_set)
{
    lt_logger *lg = use(logfmt(&(lt_logfmt_options){.attributes = "levelname,message"}));

    errno = ENOENT;
    LT_ERRNO(lg, LT_LEVEL_ERROR, "open failed");
    CHECK_LINE("level=error msg=\"open failed\" errno=2 strerror=\"No such file or directory\"",
               "{\"level\": \"error\", \"msg\": \"open failed\", \"errno\": \"2\", "
               "\"strerror\": \"No such file or directory\"}");
    check_parser();
}

Test(logfmt, level_case)
{
    lt_logger *lg = use(logfmt(&(lt_logfmt_options){.attributes = "levelname"}));

    LT_CRITICAL(lg, "m");
    cr_assert_str_eq(text(), "level=critical");
    LT_LOG(lg, 35, "m");
    CHECK_LINE("level=\"level 35\"", "{\"level\": \"level 35\"}");
    use(logfmt(&(lt_logfmt_options){.attributes = "levelname", .level_case = LT_LEVEL_CASE_KEEP}));
    LT_CRITICAL(lg, "m");
    cr_assert_str_eq(text(), "level=CRITICAL");
    cr_assert_eq(lt_add_level_name(36, "Näme\"x"), 0);
    use(logfmt(&(lt_logfmt_options){.attributes = "levelname", .level_case = LT_LEVEL_CASE_UPPER}));
    LT_LOG(lg, 36, "m");
    CHECK_LINE("level=\"NäME\\\"X\"", "{\"level\": \"NäME\\\"X\"}");
    check_parser();
}

Test(logfmt, renames_and_omit_fields)
{
    lt_logger *lg = use(logfmt(&(lt_logfmt_options){
        .attributes = "message,levelname,lineno", .rename = "message:text", .omit_fields = true}));
    char want[128];
    int line_no = __LINE__ + 1;
    LT_INFO(lg, "a b", LT_F("k", 1));

    snprintf(want, sizeof(want), "text=\"a b\" levelname=info lineno=%d", line_no);
    cr_assert_str_eq(text(), want);
}

/* asctime prints a space by default: quoted. */
Test(logfmt, asctime_is_quoted_when_it_must_be)
{
    lt_logger *lg = use(logfmt(&(lt_logfmt_options){.attributes = "asctime", .utc = true}));
    char want[128], when[64];
    struct tm tm;

    LT_INFO(lg, "x");
    gmtime_r(&rec_time.tv_sec, &tm);
    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(want, sizeof(want), "asctime=\"%s,%03ld\"", when, rec_time.tv_nsec / 1000000);
    cr_assert_str_eq(text(), want);
    use(logfmt(&(lt_logfmt_options){.attributes = "asctime", .datefmt = "%Y", .utc = true}));
    LT_INFO(lg, "x");
    strftime(when, sizeof(when), "asctime=%Y", &tm);
    cr_assert_str_eq(text(), when);
}

Test(logfmt, bad_options_are_refused)
{
    lt_formatter *f = NULL;
    lt_error err;

    lt_error_clear(&err);
    cr_assert_eq(lt_logfmt_formatter_new(&f, &(lt_logfmt_options){.attributes = "nope"}, &err),
                 LT_EINVAL);
    cr_assert(strstr(err.message, "unknown attribute 'nope'"), "%s", err.message);
    cr_assert_eq(lt_logfmt_formatter_new(&f, &(lt_logfmt_options){.rename = "name:a=b"}, &err),
                 LT_EINVAL);
    cr_assert(strstr(err.message, "'a=b' is not a key"), "%s", err.message);
    cr_assert_eq(
        lt_logfmt_formatter_new(&f, &(lt_logfmt_options){.level_case = (lt_level_case)9}, &err),
        LT_EINVAL);
    cr_assert_null(f);
}

/* Everything a record carries comes back from the parser: the message and
 * every field, text with spaces, quotes, backslashes, '=' and any Unicode. */
Test(logfmt, never_loses_data)
{
    static const char message[] = "user \"bob\" said: a=b \\ c é€😀 {\"x\": [1]}";
    static const lt_field fields[] = {
        {"s", {.type = LT_VALUE_STRING, .as.s = {"k=v \"q\" \\", 9}}},
        {"i", {.type = LT_VALUE_INT, .as.i = INT64_MIN}},
        {"u", {.type = LT_VALUE_UINT, .as.u = UINT64_MAX}},
        {"d", {.type = LT_VALUE_DOUBLE, .as.d = 0.1}},
        {"b", {.type = LT_VALUE_BOOL, .as.b = false}},
        {"n", {.type = LT_VALUE_NULL}},
        {"e", {.type = LT_VALUE_STRING, .as.s = {"", 0}}},
        {"level", {.type = LT_VALUE_STRING, .as.s = {"not the level", 13}}},
        {"ünï.côdé-key", {.type = LT_VALUE_STRING, .as.s = {"v", 1}}},
    };
    lt_logger *lg = use(logfmt(&(lt_logfmt_options){.utc = true}));
    char js[1024];

    add_fields(fields, sizeof(fields) / sizeof(fields[0]));
    lt_log_text_at(lg, LT_LEVEL_CRITICAL, NULL, message, sizeof(message) - 1);
    snprintf(js, sizeof(js),
             "{\"time\": \"%s\", \"level\": \"critical\", \"logger\": \"t\", "
             "\"msg\": \"user \\\"bob\\\" said: a=b \\\\ c é€😀 {\\\"x\\\": [1]}\", "
             "\"s\": \"k=v \\\"q\\\" \\\\\", \"i\": \"-9223372036854775808\", "
             "\"u\": \"18446744073709551615\", \"d\": \"0.1\", \"b\": false, \"n\": null, "
             "\"e\": \"\", \"_level\": \"not the level\", \"ünï.côdé-key\": \"v\"}",
             rfc3339_utc());
    keep(js);
    check_parser();
}

/* ---- threads ---- */

struct worker {
    pthread_t id;
    const char *want;
    int wrong;
};

/* One formatter, one record, many threads: each rendering the same. */
static void *format_again_and_again(void *arg)
{
    struct worker *w = arg;
    lt_buf *b;

    if (lt_buf_new(&b) < 0)
        return NULL;
    for (int i = 0; i < 20000; i++) {
        lt_buf_truncate(b, 0);
        if (lt_formatter_format(fmt, copied, b) != 0 || strcmp(lt_buf_data(b), w->want) != 0)
            w->wrong++;
    }
    lt_buf_free(b);
    return NULL;
}

Test(logfmt, formats_on_many_threads_at_once)
{
    static const lt_field fields[] = {
        {"s", {.type = LT_VALUE_STRING, .as.s = {"a \"b\" \xff", 7}}},
        {"level", {.type = LT_VALUE_DOUBLE, .as.d = 0.1}},
    };
    lt_logger *lg = use(logfmt(
        &(lt_logfmt_options){.attributes = "time,asctime,levelname,name,message", .utc = true}));
    struct worker workers[4];

    add_fields(fields, 2);
    copy_next = true;
    LT_INFO(lg, "m", LT_F("n", 7));
    for (int i = 0; i < 4; i++) {
        workers[i].want = text();
        workers[i].wrong = 0;
        cr_assert_eq(pthread_create(&workers[i].id, NULL, format_again_and_again, &workers[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(workers[i].id, NULL);
        cr_assert_eq(workers[i].wrong, 0, "thread %d: %d renderings differ", i, workers[i].wrong);
    }
    lt_record_free(copied);
}

/* ---- config files ---- */

static int load(const char *ini, lt_error *err)
{
    lt_error_clear(err);
    return lt_config_string(ini, strlen(ini), "test.ini", 0, err);
}

#define INI_HEAD                                                         \
    "[loggers]\nkeys=root\n[handlers]\nkeys=out\n[formatters]\nkeys=l\n" \
    "[logger_root]\nlevel=DEBUG\nhandlers=out\n"                         \
    "[handler_out]\nclass=FileHandler\nargs=('out.log', 'w')\nformatter=l\n"

Test(logfmt, config_class_and_keys)
{
    lt_error err;

    enter_temp_dir();
    cr_assert_eq(load(INI_HEAD "[formatter_l]\nclass=LogfmtFormatter\n"
                               "attributes=levelname,name,message\nrename=name:logger\n"
                               "level_case=keep\nextra=no\n",
                      &err),
                 0, "%s", err.message);
    LT_WARNING(lt_get_logger(NULL), "hi there", LT_F("k", 1));
    cr_assert_str_eq(slurp("out.log"), "levelname=WARNING logger=root message=\"hi there\"\n");
    cr_assert_eq(load(INI_HEAD "[formatter_l]\nclass=logtree.LogfmtFormatter\n"
                               "attributes=time,message\nutc=1\n",
                      &err),
                 0, "%s", err.message);
    LT_WARNING(lt_get_logger(NULL), "hi", LT_F("k", 1));
    cr_assert(strstr(slurp("out.log"), "Z msg=hi k=1\n"), "%s", slurp("out.log"));
}

Test(logfmt, config_errors_name_the_key)
{
    lt_error err;

    cr_assert_eq(load(INI_HEAD "[formatter_l]\nclass=LogfmtFormatter\nattributes=levelname\n"
                               "rename=levelname:a b\n",
                      &err),
                 LT_ECONFIG);
    cr_assert_eq(err.line, 17, "%d: %s", err.line, err.message);
    cr_assert(strstr(err.message, "'a b' is not a key"), "%s", err.message);
    cr_assert_eq(
        load(INI_HEAD "[formatter_l]\nclass=LogfmtFormatter\nattributes=levelname,x\n", &err),
        LT_ECONFIG);
    cr_assert_eq(err.line, 16, "%d: %s", err.line, err.message);
    cr_assert(strstr(err.message, "unknown attribute 'x'"), "%s", err.message);
}

/* What lt_dump_tree() prints after "Formatter ": the kind and its options,
 * defaults filled in, strings as Python's repr() (quotes picked as it does). */
Test(logfmt, describes_itself_with_its_options)
{
    lt_formatter *f;
    lt_buf *b;

    cr_assert_eq(lt_buf_new(&b), 0);
    cr_assert_eq(lt_logfmt_formatter_new(&f, NULL, NULL), 0);
    cr_assert_eq(lt_formatter_describe(f, b), 0);
    cr_expect_str_eq(lt_buf_data(b), "logfmt attributes='time,levelname,name,message' "
                                     "rename='levelname:level,name:logger,message:msg' "
                                     "datefmt=None utc=False");
    lt_formatter_unref(f);
    lt_buf_truncate(b, 0);
    cr_assert_eq(lt_logfmt_formatter_new(&f,
                                         &(lt_logfmt_options){.attributes = "asctime,message",
                                                              .rename = "",
                                                              .datefmt = "%H'%M",
                                                              .utc = true,
                                                              .omit_fields = true},
                                         NULL),
                 0);
    cr_assert_eq(lt_formatter_describe(f, b), 0);
    cr_expect_str_eq(lt_buf_data(b), "logfmt attributes='asctime,message' rename='' "
                                     "datefmt=\"%H'%M\" utc=True omit_fields=True");
    lt_formatter_unref(f);
    cr_expect_eq(lt_formatter_describe(NULL, b), LT_EINVAL);
    lt_buf_free(b);
}
