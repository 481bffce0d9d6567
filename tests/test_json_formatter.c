/* tests/test_json_formatter.c - the JSON Lines formatter: exact bytes for
 * every value type, every control byte, invalid UTF-8, huge values, many
 * fields, keys that collide; and every line read back by parsers nobody here
 * wrote: Python's json module (strict: no NaN tokens, no duplicate keys)
 * compares the values, and jq must read the lines as it reads Python's own
 * rendering of the same values. Install the parsers with
 * tests/parsers/setup.sh; a missing one fails the test unless
 * LT_ALLOW_MISSING_PARSERS=1. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

/* ---- records through the formatter under test ---- */

static lt_formatter *fmt;
static lt_buf *line;          /* fmt's rendering of the last record */
static const lt_field *added; /* fields a filter adds to each record */
static size_t n_added;
static struct timespec rec_time; /* the last record's time */
static double rec_created;
static lt_buf *kept, *expected; /* lines for the parsers, and their values */

static bool copy_next; /* keep a copy of the next record in copied */
static lt_record *copied;

static bool format_filter(void *userdata, lt_record *rec)
{
    lt_value v;

    (void)userdata;
    for (size_t i = 0; i < n_added; i++)
        cr_assert_eq(lt_record_set_field(rec, added[i].key, &added[i].value), 0, "field %s",
                     added[i].key);
    rec_time = lt_record_time(rec);
    if (copy_next) {
        cr_assert_eq(lt_record_copy(rec, &copied), 0);
        copy_next = false;
    }
    cr_assert(lt_record_get(rec, LT_ATTR_CREATED, &v));
    rec_created = v.as.d;
    lt_buf_truncate(line, 0);
    cr_assert_eq(lt_formatter_format(fmt, rec, line), 0);
    return false; /* formatted: nothing else needs it */
}

static lt_formatter *json(const lt_json_options *o)
{
    lt_formatter *f = NULL;
    lt_error err = {0};

    cr_assert_eq(lt_json_formatter_new(&f, o, &err), 0, "%s", err.message);
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

/* Keep the last line for the parsers, with @py, a Python expression of the
 * value it must read back as. */
static void keep(const char *py)
{
    lt_buf_append(kept, lt_buf_data(line), lt_buf_len(line));
    lt_buf_putc(kept, '\n');
    lt_buf_puts(expected, py);
    lt_buf_puts(expected, ",\n");
}

#define CHECK_LINE(want, py)            \
    do {                                \
        cr_assert_str_eq(text(), want); \
        keep(py);                       \
    } while (0)

/* The record's time as the formatter must print it: local time with the
 * offset @zone ("+05:30"), or UTC with "Z" when @zone is NULL. */
static const char *rfc3339(const char *zone)
{
    static char s[80];
    struct tm tm;
    size_t n;

    if (zone)
        localtime_r(&rec_time.tv_sec, &tm);
    else
        gmtime_r(&rec_time.tv_sec, &tm);
    n = strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(s + n, sizeof(s) - n, ".%06ld%s", rec_time.tv_nsec / 1000, zone ? zone : "Z");
    return s;
}

/* ---- the parsers ---- */

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *fp = fopen(path, "wb");

    cr_assert(fp, "%s: %s", path, strerror(errno));
    cr_assert_eq(fwrite(data, 1, len, fp), len);
    cr_assert_eq(fclose(fp), 0);
}

static bool allowed_missing(void)
{
    const char *allow = getenv("LT_ALLOW_MISSING_PARSERS");

    return allow && strcmp(allow, "1") == 0;
}

static void need(const char *command, const char *what)
{
    char probe[256];

    snprintf(probe, sizeof(probe), "command -v %s >/dev/null 2>&1", command);
    if (system(probe) == 0)
        return;
    if (allowed_missing())
        cr_skip_test("%s is not installed (tests/parsers/setup.sh installs it)", what);
    cr_assert_fail("%s is not installed: run tests/parsers/setup.sh, or set "
                   "LT_ALLOW_MISSING_PARSERS=1 to skip the tests that need it",
                   what);
}

/* Reads lines.jsonl strictly as UTF-8 and each line strictly as JSON (no
 * NaN or Infinity tokens, no key twice), compares each with the expected
 * value by its json.dumps() (so that types and key order count: 1 is not
 * 1.0 nor True), and writes Python's rendering of the expected values to
 * canon.jsonl for jq. */
static const char checker[] =
    "import collections, json, sys\n"
    "def pairs(kv):\n"
    "    twice = [k for k, n in collections.Counter(k for k, _ in kv).items() if n > 1]\n"
    "    if twice:\n"
    "        raise ValueError('keys twice: %r' % twice)\n"
    "    return dict(kv)\n"
    "def constant(name):\n"
    "    raise ValueError('not JSON: ' + name)\n"
    "text = open('lines.jsonl', 'rb').read().decode('utf-8')\n"
    "if '\\u2028' in text or '\\u2029' in text:\n"
    "    sys.exit('a raw U+2028 or U+2029')\n"
    "lines = text.split('\\n')\n"
    "if lines.pop() != '':\n"
    "    sys.exit('no newline after the last line')\n"
    "want = eval(open('expected.py', encoding='utf-8').read())\n"
    "if len(lines) != len(want):\n"
    "    sys.exit('%d lines, %d expected' % (len(lines), len(want)))\n"
    "with open('canon.jsonl', 'w', encoding='utf-8') as canon:\n"
    "    for i, (line, w) in enumerate(zip(lines, want)):\n"
    "        got = json.loads(line, object_pairs_hook=pairs, parse_constant=constant)\n"
    "        a, b = json.dumps(got), json.dumps(w)\n"
    "        if a != b:\n"
    "            sys.exit('line %d:\\n got  %s\\n want %s' % (i + 1, a[:3000], b[:3000]))\n"
    "        canon.write(json.dumps(w, ensure_ascii=False, separators=(',', ':')) + '\\n')\n";

/* Every kept line must read back, in Python and in jq, as its expected value. */
static void check_parsers(void)
{
    need("python3", "python3");
    need("jq", "jq");
    enter_temp_dir();
    write_file("lines.jsonl", lt_buf_data(kept), lt_buf_len(kept));
    lt_buf_puts(expected, "]\n");
    write_file("expected.py", lt_buf_data(expected), lt_buf_len(expected));
    write_file("check.py", checker, strlen(checker));
    cr_assert_eq(system("python3 check.py"), 0, "Python's json read the lines otherwise");
    cr_assert_eq(system("jq -c . lines.jsonl > jq_got.txt"), 0, "jq could not read the lines");
    cr_assert_eq(system("jq -c . canon.jsonl > jq_want.txt"), 0);
    cr_assert_eq(system("cmp -s jq_got.txt jq_want.txt"), 0,
                 "jq read the lines otherwise than Python's rendering of the values");
}

/* ---- the default shape ---- */

Test(json, default_shape_and_types)
{
    lt_logger *lg;
    char want[512];

    setenv("TZ", "UTC0", 1);
    tzset();
    lg = use(json(NULL));
    LT_INFO(lg, "user %s logged in", "bob", LT_F("uid", 42), LT_F("ms", 12.5),
            LT_F("admin", (bool)true));
    snprintf(want, sizeof(want),
             "{\"time\":\"%s\",\"level\":\"INFO\",\"logger\":\"t\",\"message\":\"user bob logged "
             "in\",\"uid\":42,\"ms\":12.5,\"admin\":true}",
             rfc3339("+00:00"));
    cr_assert_str_eq(text(), want);
    char py[512];
    snprintf(py, sizeof(py),
             "{'time': '%s', 'level': 'INFO', 'logger': 't', 'message': 'user bob logged in', "
             "'uid': 42, 'ms': 12.5, 'admin': True}",
             rfc3339("+00:00"));
    keep(py);
    check_parsers();
}

Test(json, time_is_rfc3339_with_offset)
{
    lt_logger *lg;
    char want[256];

    setenv("TZ", "XYZ-5:30", 1); /* five and a half hours east of Greenwich */
    tzset();
    lg = use(json(&(lt_json_options){.attributes = "time"}));
    LT_INFO(lg, "x");
    snprintf(want, sizeof(want), "{\"time\":\"%s\"}", rfc3339("+05:30"));
    cr_assert_str_eq(text(), want);
    cr_assert_eq(strlen(text()), strlen("{\"time\":\"2026-11-27T18:12:13.123456+05:30\"}"));
}

Test(json, time_west_of_greenwich)
{
    lt_logger *lg;
    char want[256];

    setenv("TZ", "ABC+3:30", 1);
    tzset();
    lg = use(json(&(lt_json_options){.attributes = "time"}));
    LT_INFO(lg, "x");
    snprintf(want, sizeof(want), "{\"time\":\"%s\"}", rfc3339("-03:30"));
    cr_assert_str_eq(text(), want);
}

Test(json, time_in_utc_ends_in_z)
{
    lt_logger *lg;
    char want[256];

    setenv("TZ", "XYZ-5:30", 1);
    tzset();
    lg = use(json(&(lt_json_options){.attributes = "time", .utc = true}));
    LT_INFO(lg, "x");
    snprintf(want, sizeof(want), "{\"time\":\"%s\"}", rfc3339(NULL));
    cr_assert_str_eq(text(), want);
    cr_assert(strchr(text(), 'Z'));
}

/* ---- values ---- */

Test(json, every_value_type)
{
    static const lt_field fields[] = {
        {"null", {.type = LT_VALUE_NULL}},
        {"yes", {.type = LT_VALUE_BOOL, .as.b = true}},
        {"no", {.type = LT_VALUE_BOOL, .as.b = false}},
        {"zero", {.type = LT_VALUE_INT, .as.i = 0}},
        {"neg", {.type = LT_VALUE_INT, .as.i = -42}},
        {"int_min", {.type = LT_VALUE_INT, .as.i = INT64_MIN}},
        {"int_max", {.type = LT_VALUE_INT, .as.i = INT64_MAX}},
        {"uint_zero", {.type = LT_VALUE_UINT, .as.u = 0}},
        {"uint_max", {.type = LT_VALUE_UINT, .as.u = UINT64_MAX}},
        {"empty", {.type = LT_VALUE_STRING, .as.s = {"", 0}}},
        {"str", {.type = LT_VALUE_STRING, .as.s = {"héllo wörld", 13}}},
    };
    lt_logger *lg = use(json(&(lt_json_options){.attributes = "message"}));

    add_fields(fields, sizeof(fields) / sizeof(fields[0]));
    LT_INFO(lg, "m");
    CHECK_LINE("{\"message\":\"m\",\"null\":null,\"yes\":true,\"no\":false,\"zero\":0,\"neg\":-42,"
               "\"int_min\":-9223372036854775808,\"int_max\":9223372036854775807,"
               "\"uint_zero\":0,\"uint_max\":18446744073709551615,\"empty\":\"\","
               "\"str\":\"héllo wörld\"}",
               "{'message': 'm', 'null': None, 'yes': True, 'no': False, 'zero': 0, 'neg': -42, "
               "'int_min': -2**63, 'int_max': 2**63 - 1, 'uint_zero': 0, 'uint_max': 2**64 - 1, "
               "'empty': '', 'str': 'héllo wörld'}");
    check_parsers();
}

/* The shortest text that reads back as the same double, as Python's repr(). */
Test(json, doubles_round_trip)
{
    static const double values[] = {0.1,
                                    12.0,
                                    -0.0,
                                    1e16,
                                    1e-05,
                                    5e-324,
                                    1.7976931348623157e308,
                                    123456789.123,
                                    5.960464477539063e-08,
                                    1e22,
                                    1e23,
                                    2.5e-7,
                                    -1.5,
                                    0.30000000000000004};
    static const char *const reprs[] = {"0.1",
                                        "12.0",
                                        "-0.0",
                                        "1e+16",
                                        "1e-05",
                                        "5e-324",
                                        "1.7976931348623157e+308",
                                        "123456789.123",
                                        "5.960464477539063e-08",
                                        "1e+22",
                                        "1e+23",
                                        "2.5e-07",
                                        "-1.5",
                                        "0.30000000000000004"};
    lt_logger *lg = use(json(&(lt_json_options){.attributes = ""}));

    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        lt_field f = {"d", lt_value_double(values[i])};
        char want[128], py[128];

        add_fields(&f, 1);
        LT_INFO(lg, "m");
        snprintf(want, sizeof(want), "{\"d\":%s}", reprs[i]);
        snprintf(py, sizeof(py), "{'d': float.fromhex('%a')}", values[i]);
        CHECK_LINE(want, py);
    }
    check_parsers();
}

Test(json, nan_and_infinities_are_strings)
{
    lt_logger *lg = use(json(&(lt_json_options){.attributes = ""}));

    LT_INFO(lg, "m", LT_F("nan", NAN), LT_F("inf", INFINITY), LT_F("ninf", -INFINITY));
    CHECK_LINE("{\"nan\":\"NaN\",\"inf\":\"Infinity\",\"ninf\":\"-Infinity\"}",
               "{'nan': 'NaN', 'inf': 'Infinity', 'ninf': '-Infinity'}");
    check_parsers();
}

Test(json, attributes_keep_their_types)
{
    lt_logger *lg = use(json(&(lt_json_options){
        .attributes = "name,levelno,levelname,lineno,funcName,args,exc_info,msg,message,process"}));
    char want[512], py[512];
    int line_no;

    line_no = __LINE__ + 1;
    LT_WARNING(lg, "%d apples", 3);
    snprintf(want, sizeof(want),
             "{\"logger\":\"t\",\"levelno\":30,\"level\":\"WARNING\",\"lineno\":%d,"
             "\"funcName\":\"%s\",\"args\":null,\"exc_info\":null,\"msg\":\"%%d apples\","
             "\"message\":\"3 apples\",\"process\":%d}",
             line_no, __func__, (int)getpid());
    snprintf(py, sizeof(py),
             "{'logger': 't', 'levelno': 30, 'level': 'WARNING', 'lineno': %d, 'funcName': '%s', "
             "'args': None, 'exc_info': None, 'msg': '%%d apples', 'message': '3 apples', "
             "'process': %d}",
             line_no, __func__, (int)getpid());
    CHECK_LINE(want, py);
    check_parsers();
}

Test(json, created_reads_back_exactly)
{
    lt_logger *lg = use(json(&(lt_json_options){.attributes = "created"}));
    char py[128];

    LT_INFO(lg, "x");
    snprintf(py, sizeof(py), "{'created': float.fromhex('%a')}", rec_created);
    keep(py);
    check_parsers();
}

/* ---- hostile text ---- */

/* Every control byte, quotes and backslashes, in the message and in a field,
 * NUL included (both have a length). */
Test(json, every_control_byte_is_escaped)
{
    char bytes[40];
    size_t n = 0;
    lt_logger *lg = use(json(&(lt_json_options){.attributes = "message"}));
    const char *esc = "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b"
                      "\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016"
                      "\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\\u007f"
                      "\\\"\\\\/";
    char want[1024];

    for (int c = 0; c < 0x20; c++)
        bytes[n++] = (char)c;
    bytes[n++] = 0x7f;
    bytes[n++] = '"';
    bytes[n++] = '\\';
    bytes[n++] = '/';
    lt_log_text_at(lg, LT_LEVEL_INFO, NULL, bytes, n);
    snprintf(want, sizeof(want), "{\"message\":\"%s\"}", esc);
    CHECK_LINE(want, "{'message': ''.join(map(chr, range(32))) + '\\x7f\"\\\\/'}");
    LT_INFO(lg, "m", LT_F("ctl", LT_STR(bytes, n)));
    snprintf(want, sizeof(want), "{\"message\":\"m\",\"ctl\":\"%s\"}", esc);
    CHECK_LINE(want, "{'message': 'm', 'ctl': ''.join(map(chr, range(32))) + '\\x7f\"\\\\/'}");
    check_parsers();
}

Test(json, nul_bytes_inside_strings_survive)
{
    lt_logger *lg = use(json(&(lt_json_options){.attributes = "message"}));

    lt_log_text_at(lg, LT_LEVEL_INFO, NULL, "a\0b", 3);
    CHECK_LINE("{\"message\":\"a\\u0000b\"}", "{'message': 'a\\x00b'}");
    LT_INFO(lg, "%s", "", LT_F("k", LT_STR("\0x\0", 3)));
    CHECK_LINE("{\"message\":\"\",\"k\":\"\\u0000x\\u0000\"}", "{'message': '', 'k': '\\0x\\0'}");
    check_parsers();
}

/* C1 controls are escaped, and so are U+2028 and U+2029, which end a line
 * in JavaScript; other characters, of every length, go out as they are. */
Test(json, c1_controls_and_line_separators)
{
    lt_logger *lg = use(json(&(lt_json_options){.attributes = ""}));

    LT_INFO(lg, "m", LT_F("c1", "\xc2\x80\xc2\x85\xc2\x9f"),
            LT_F("ls", "a\xe2\x80\xa8z\xe2\x80\xa9"),
            LT_F("ok", "\xc2\xa0é€😀\xef\xbf\xbf\xef\xbf\xbd\xf4\x8f\xbf\xbf"));
    CHECK_LINE("{\"c1\":\"\\u0080\\u0085\\u009f\",\"ls\":\"a\\u2028z\\u2029\","
               "\"ok\":\"\xc2\xa0é€😀\xef\xbf\xbf\xef\xbf\xbd\xf4\x8f\xbf\xbf\"}",
               "{'c1': '\\x80\\x85\\x9f', 'ls': 'a\\u2028z\\u2029', "
               "'ok': '\\xa0é€😀\\uffff\\ufffd\\U0010ffff'}");
    check_parsers();
}

/* Each maximal invalid sequence is one U+FFFD, as Python's decoder has it:
 * Python's bytes.decode('utf-8', 'replace') is the expected value. */
Test(json, invalid_utf8_becomes_replacement_characters)
{
    static const struct {
        const char *key, *bytes, *escaped, *py;
    } cases[] = {
        {"lone_continuation", "a\x80z", "a\\ufffdz", "b'a\\x80z'"},
        {"continuations", "\x80\xbf\x80", "\\ufffd\\ufffd\\ufffd", "b'\\x80\\xbf\\x80'"},
        {"overlong_2", "\xc0\xaf", "\\ufffd\\ufffd", "b'\\xc0\\xaf'"},
        {"overlong_3", "\xe0\x80\xaf", "\\ufffd\\ufffd\\ufffd", "b'\\xe0\\x80\\xaf'"},
        {"overlong_4", "\xf0\x80\x80\xaf", "\\ufffd\\ufffd\\ufffd\\ufffd",
         "b'\\xf0\\x80\\x80\\xaf'"},
        {"surrogate_high", "\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd", "b'\\xed\\xa0\\x80'"},
        {"surrogate_low", "x\xed\xbf\xbfy", "x\\ufffd\\ufffd\\ufffdy", "b'x\\xed\\xbf\\xbfy'"},
        {"past_10ffff", "\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd",
         "b'\\xf4\\x90\\x80\\x80'"},
        {"never_bytes", "\xf5\xfe\xff", "\\ufffd\\ufffd\\ufffd", "b'\\xf5\\xfe\\xff'"},
        {"cut_in_middle", "\xe2\x82z", "\\ufffdz", "b'\\xe2\\x82z'"},
        {"cut_at_end_3", "ab\xe2\x82", "ab\\ufffd", "b'ab\\xe2\\x82'"},
        {"cut_at_end_4", "ab\xf0\x9f\x98", "ab\\ufffd", "b'ab\\xf0\\x9f\\x98'"},
        {"lead_then_lead", "\xc3\xc3\xa9", "\\ufffdé", "b'\\xc3\\xc3\\xa9'"},
    };
    lt_logger *lg = use(json(&(lt_json_options){.attributes = ""}));

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        lt_field f = {cases[i].key, lt_value_str(cases[i].bytes)};
        char want[256], py[256];

        add_fields(&f, 1);
        LT_INFO(lg, "m");
        snprintf(want, sizeof(want), "{\"%s\":\"%s\"}", cases[i].key, cases[i].escaped);
        snprintf(py, sizeof(py), "{'%s': %s.decode('utf-8', 'replace')}", cases[i].key,
                 cases[i].py);
        CHECK_LINE(want, py);
    }
    /* in the message too */
    add_fields(NULL, 0);
    use(json(&(lt_json_options){.attributes = "message"}));
    lt_log_text_at(lg, LT_LEVEL_INFO, NULL, "bad \xff", 5);
    CHECK_LINE("{\"message\":\"bad \\ufffd\"}", "{'message': 'bad \\ufffd'}");
    check_parsers();
}

/* The core keeps keys well-formed (record.h): a call-site key with broken
 * UTF-8 arrives renamed, and the formatter prints it as it is. */
Test(json, field_keys_with_invalid_utf8)
{
    lt_logger *lg = use(json(&(lt_json_options){.attributes = ""}));

    LT_INFO(lg, "m", LT_F("k\xff", 1), LT_F("é\xc3", 2));
    CHECK_LINE("{\"_k_\":1,\"_é_\":2}", "{'_k_': 1, '_é_': 2}");
    check_parsers();
}

Test(json, one_megabyte_value)
{
    static const char unit[] = "ab\"c\\\n\t é\x01\xff z";
    size_t unit_len = sizeof(unit) - 1, units = (1u << 20) / unit_len + 1, len = units * unit_len;
    char *big = malloc(len), py[256];
    lt_logger *lg = use(json(&(lt_json_options){.attributes = ""}));
    const char *esc = "ab\\\"c\\\\\\n\\t é\\u0001\\ufffd z";
    size_t esc_len = strlen(esc);

    cr_assert_geq(len, 1u << 20);
    for (size_t i = 0; i < units; i++)
        memcpy(big + i * unit_len, unit, unit_len);
    LT_INFO(lg, "m", LT_F("big", LT_STR(big, len)));
    cr_assert_eq(lt_buf_len(line), strlen("{\"big\":\"\"}") + units * esc_len);
    cr_assert(strncmp(text(), "{\"big\":\"", 8) == 0);
    for (size_t i = 0; i < units; i++)
        cr_assert(memcmp(text() + 8 + i * esc_len, esc, esc_len) == 0, "unit %zu", i);
    cr_assert_str_eq(text() + 8 + units * esc_len, "\"}");
    snprintf(py, sizeof(py),
             "{'big': (b'ab\"c\\\\\\n\\t \\xc3\\xa9\\x01\\xff z' * %zu).decode('utf-8', "
             "'replace')}",
             units);
    keep(py);
    check_parsers();
    free(big);
}

Test(json, a_thousand_fields)
{
    static lt_field fields[1000];
    static char keys[1000][8];
    lt_logger *lg = use(json(&(lt_json_options){.attributes = "message"}));
    lt_buf *want;

    cr_assert_eq(lt_buf_new(&want), 0);
    lt_buf_puts(want, "{\"message\":\"m\"");
    for (int i = 0; i < 1000; i++) {
        snprintf(keys[i], sizeof(keys[i]), "k%d", i);
        fields[i].key = keys[i];
        fields[i].value = i % 2 ? lt_value_int(i) : lt_value_str("v\"");
        if (i % 2)
            lt_buf_printf(want, ",\"k%d\":%d", i, i);
        else
            lt_buf_printf(want, ",\"k%d\":\"v\\\"\"", i);
    }
    lt_buf_putc(want, '}');
    add_fields(fields, 1000);
    LT_INFO(lg, "m");
    CHECK_LINE(lt_buf_data(want), "dict([('message', 'm')] + [('k%d' % i, i if i % 2 else 'v\"') "
                                  "for i in range(1000)])");
    lt_buf_free(want);
    check_parsers();
}

/* ---- keys ---- */

/* A field whose key an attribute prints under moves to '_' + key, and
 * further while that is taken: no key twice, no value lost. */
Test(json, field_keys_never_collide_with_attributes)
{
    static const lt_field fields[] = {
        {"level", {.type = LT_VALUE_STRING, .as.s = {"f1", 2}}},
        {"_level", {.type = LT_VALUE_STRING, .as.s = {"f2", 2}}},
        {"logger", {.type = LT_VALUE_STRING, .as.s = {"f3", 2}}},
        {"time", {.type = LT_VALUE_STRING, .as.s = {"f4", 2}}},
    };
    lt_logger *lg = use(json(&(lt_json_options){.utc = true}));
    char want[512], py[512];

    add_fields(fields, 4);
    LT_INFO(lg, "hi", LT_F("message", "m"));
    snprintf(want, sizeof(want),
             "{\"time\":\"%s\",\"level\":\"INFO\",\"logger\":\"t\",\"message\":\"hi\","
             "\"_message\":\"m\",\"__level\":\"f1\",\"_level\":\"f2\",\"_logger\":\"f3\","
             "\"_time\":\"f4\"}",
             rfc3339(NULL));
    snprintf(py, sizeof(py),
             "{'time': '%s', 'level': 'INFO', 'logger': 't', 'message': 'hi', '_message': 'm', "
             "'__level': 'f1', '_level': 'f2', '_logger': 'f3', '_time': 'f4'}",
             rfc3339(NULL));
    CHECK_LINE(want, py);
    check_parsers();
}

/* Renamed keys that begin with '_' make chains: each field still gets a
 * key of its own. */
Test(json, collisions_chain_through_renamed_keys)
{
    static const lt_field fields[] = {
        {"level", {.type = LT_VALUE_STRING, .as.s = {"a", 1}}},
        {"_level", {.type = LT_VALUE_STRING, .as.s = {"b", 1}}},
        {"text", {.type = LT_VALUE_STRING, .as.s = {"c", 1}}},
    };
    lt_logger *lg =
        use(json(&(lt_json_options){.attributes = "levelname,name,message",
                                    .rename = "levelname:level,name:_level,message:text"}));

    /* "level" -> "_level" (an attribute's) -> "__level"; "_level" -> "__level"
     * (the field before's) -> "___level" */
    add_fields(fields, 3);
    LT_INFO(lg, "hi");
    CHECK_LINE("{\"level\":\"INFO\",\"_level\":\"t\",\"text\":\"hi\",\"__level\":\"a\","
               "\"___level\":\"b\",\"_text\":\"c\"}",
               "{'level': 'INFO', '_level': 't', 'text': 'hi', '__level': 'a', '___level': 'b', "
               "'_text': 'c'}");
    check_parsers();
}

Test(json, errno_and_strerror_when_set)
{
    lt_logger *lg = use(json(&(lt_json_options){.attributes = "message"}));

    errno = ENOENT;
    LT_ERRNO(lg, LT_LEVEL_ERROR, "open failed");
    CHECK_LINE("{\"message\":\"open failed\",\"errno\":2,\"strerror\":\"No such file or "
               "directory\"}",
               "{'message': 'open failed', 'errno': 2, 'strerror': 'No such file or directory'}");
    LT_INFO(lg, "fine");
    CHECK_LINE("{\"message\":\"fine\"}", "{'message': 'fine'}");
    check_parsers();
}

Test(json, errno_listed_or_renamed)
{
    lt_logger *lg = use(json(&(lt_json_options){.attributes = "errno,message"}));

    LT_INFO(lg, "fine");
    cr_assert_str_eq(text(), "{\"errno\":0,\"message\":\"fine\"}");
    use(json(&(lt_json_options){.attributes = "message", .rename = "errno:err,strerror:why"}));
    errno = EACCES;
    LT_ERRNO(lg, LT_LEVEL_ERROR, "no");
    cr_assert_str_eq(text(), "{\"message\":\"no\",\"err\":13,\"why\":\"Permission denied\"}");
}

Test(json, renames_and_order)
{
    lt_logger *lg = use(
        json(&(lt_json_options){.attributes = " message , levelname,name ",
                                .rename = "levelname:severity, name:log.logger,message:@message"}));

    LT_ERROR(lg, "boom", LT_F("k", 1));
    CHECK_LINE("{\"@message\":\"boom\",\"severity\":\"ERROR\",\"log.logger\":\"t\",\"k\":1}",
               "{'@message': 'boom', 'severity': 'ERROR', 'log.logger': 't', 'k': 1}");
    use(json(&(lt_json_options){.attributes = "levelname,name", .rename = ""}));
    LT_ERROR(lg, "boom");
    CHECK_LINE("{\"levelname\":\"ERROR\",\"name\":\"t\"}", "{'levelname': 'ERROR', 'name': 't'}");
    check_parsers();
}

Test(json, omit_fields)
{
    lt_logger *lg = use(json(&(lt_json_options){.attributes = "message", .omit_fields = true}));

    LT_INFO(lg, "m", LT_F("k", 1));
    cr_assert_str_eq(text(), "{\"message\":\"m\"}");
    use(json(&(lt_json_options){.attributes = "", .omit_fields = true}));
    LT_INFO(lg, "m", LT_F("k", 1));
    cr_assert_str_eq(text(), "{}");
}

Test(json, level_case)
{
    lt_logger *lg =
        use(json(&(lt_json_options){.attributes = "levelname", .level_case = LT_LEVEL_CASE_LOWER}));

    LT_WARNING(lg, "m");
    cr_assert_str_eq(text(), "{\"level\":\"warning\"}");
    LT_LOG(lg, 35, "m");
    cr_assert_str_eq(text(), "{\"level\":\"level 35\"}");
    cr_assert_eq(lt_add_level_name(36, "Näme\"x"), 0);
    use(json(&(lt_json_options){.attributes = "levelname", .level_case = LT_LEVEL_CASE_UPPER}));
    LT_LOG(lg, 36, "m");
    cr_assert_str_eq(text(), "{\"level\":\"NäME\\\"X\"}");
    keep("{'level': 'NäME\"X'}");
    use(json(&(lt_json_options){.attributes = "levelname"}));
    LT_LOG(lg, 36, "m");
    cr_assert_str_eq(text(), "{\"level\":\"Näme\\\"x\"}");
    check_parsers();
}

/* ---- asctime ---- */

Test(json, asctime_as_python_formats_it)
{
    lt_logger *lg = use(json(&(lt_json_options){.attributes = "asctime", .utc = true}));
    char want[128], when[64];
    struct tm tm;

    LT_INFO(lg, "x");
    gmtime_r(&rec_time.tv_sec, &tm);
    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(want, sizeof(want), "{\"asctime\":\"%s,%03ld\"}", when, rec_time.tv_nsec / 1000000);
    cr_assert_str_eq(text(), want);
}

/* A datefmt can put anything in asctime: it is escaped like any string,
 * however long. */
Test(json, asctime_with_hostile_datefmt)
{
    lt_json_options o = {.attributes = "asctime,message", .datefmt = "\"%Y\"\\\t", .utc = true};
    lt_logger *lg = use(json(&o));
    char want[4096], py[128], year[8], *datefmt, *w;
    struct tm tm;

    LT_INFO(lg, "x");
    gmtime_r(&rec_time.tv_sec, &tm);
    strftime(year, sizeof(year), "%Y", &tm);
    snprintf(want, sizeof(want), "{\"asctime\":\"\\\"%s\\\"\\\\\\t\",\"message\":\"x\"}", year);
    snprintf(py, sizeof(py), "{'asctime': '\"%s\"\\\\\\t', 'message': 'x'}", year);
    CHECK_LINE(want, py);
    /* past the 512 bytes kept on the stack */
    datefmt = malloc(2 * 400 + 1);
    for (int i = 0; i < 400; i++)
        memcpy(datefmt + 2 * i, "\"a", 2);
    datefmt[800] = '\0';
    use(json(&(lt_json_options){.attributes = "asctime", .datefmt = datefmt}));
    free(datefmt);
    LT_INFO(lg, "x");
    w = want + snprintf(want, sizeof(want), "{\"asctime\":\"");
    for (int i = 0; i < 400; i++)
        w += snprintf(w, 4, "\\\"a");
    snprintf(w, 3, "\"}");
    cr_assert_str_eq(text(), want);
    keep("{'asctime': '\"a' * 400}");
    check_parsers();
}

/* Everything a record carries comes back from the parsers, whatever it holds. */
Test(json, never_loses_data)
{
    static const char message[] = "quote\" backslash\\ newline\n tab\t nul\0 bell\a del\x7f "
                                  "c1\xc2\x85 ls\xe2\x80\xa8 é€😀 \"}{,:[]";
    static const lt_field fields[] = {
        {"s", {.type = LT_VALUE_STRING, .as.s = {"{\"a\": [1, 2]}\r\n\0", 16}}},
        {"i", {.type = LT_VALUE_INT, .as.i = INT64_MIN}},
        {"u", {.type = LT_VALUE_UINT, .as.u = UINT64_MAX}},
        {"d", {.type = LT_VALUE_DOUBLE, .as.d = 0.1}},
        {"b", {.type = LT_VALUE_BOOL, .as.b = false}},
        {"n", {.type = LT_VALUE_NULL}},
        {"e", {.type = LT_VALUE_STRING, .as.s = {"", 0}}},
        {"level", {.type = LT_VALUE_STRING, .as.s = {"not the level", 13}}},
        {"ünï.côdé-key", {.type = LT_VALUE_STRING, .as.s = {"v", 1}}},
    };
    lt_logger *lg = use(json(&(lt_json_options){.utc = true}));
    char py[1024];

    add_fields(fields, sizeof(fields) / sizeof(fields[0]));
    lt_log_text_at(lg, LT_LEVEL_CRITICAL, NULL, message, sizeof(message) - 1);
    snprintf(py, sizeof(py),
             "{'time': '%s', 'level': 'CRITICAL', 'logger': 't', "
             "'message': 'quote\" backslash\\\\ newline\\n tab\\t nul\\0 bell\\a del\\x7f "
             "c1\\x85 ls\\u2028 é€😀 \"}{,:[]', "
             "'s': '{\"a\": [1, 2]}\\r\\n\\0', 'i': -2**63, 'u': 2**64 - 1, 'd': 0.1, "
             "'b': False, 'n': None, 'e': '', '_level': 'not the level', 'ünï.côdé-key': 'v'}",
             rfc3339(NULL));
    keep(py);
    check_parsers();
}

/* ---- errors ---- */

static void expect_bad(const char *attributes, const char *rename, const char *what)
{
    lt_json_options o = {.attributes = attributes, .rename = rename};
    lt_formatter *f = NULL;
    lt_error err;

    lt_error_clear(&err);
    cr_assert_eq(lt_json_formatter_new(&f, &o, &err), LT_EINVAL, "%s / %s", attributes, rename);
    cr_assert_null(f);
    cr_assert_eq(err.code, LT_EINVAL);
    cr_assert(strstr(err.message, what), "'%s' lacks '%s'", err.message, what);
}

Test(json, bad_options_are_refused_when_made)
{
    expect_bad("levelname,bogus", NULL, "unknown attribute 'bogus'");
    expect_bad("message,message", NULL, "'message' is listed twice");
    expect_bad("message,,name", NULL, "empty name");
    expect_bad(NULL, "levelname", "'levelname' is not old:new");
    expect_bad(NULL, "nope:x", "unknown attribute 'nope'");
    expect_bad(NULL, "name:a,name:b", "'name' is renamed twice");
    expect_bad(NULL, "name:a b", "'a b' is not a key");
    expect_bad(NULL, "name:", "'' is not a key");
    expect_bad(NULL, "name:a=b", "is not a key");
    expect_bad(NULL, "name:a\"b", "is not a key");
    expect_bad(NULL, "name:a\\b", "is not a key");
    expect_bad(NULL, "name:a\x01", "is not a key");
    expect_bad(NULL, "name:a\xff", "is not a key");
    expect_bad(NULL, "name:a\xc2\x85", "is not a key");
    expect_bad(NULL, "levelname:name", "would both print as 'name'");
    expect_bad(NULL, "message:errno", "would both print as 'errno'");
    expect_bad("time,asctime", "time:t,asctime:t", "would both print as 't'");
}

Test(json, options_may_be_null_and_strings_are_copied)
{
    char attrs[] = "message", rename[] = "message:text";
    lt_json_options o = {.attributes = attrs, .rename = rename};
    lt_logger *lg = use(json(&o));

    memset(attrs, 'x', sizeof(attrs) - 1);
    memset(rename, 'x', sizeof(rename) - 1);
    LT_INFO(lg, "m");
    cr_assert_str_eq(text(), "{\"text\":\"m\"}");
    lt_formatter_unref(fmt);
    fmt = NULL;
    cr_assert_eq(lt_json_formatter_new(NULL, NULL, NULL), LT_EINVAL);
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

Test(json, formats_on_many_threads_at_once)
{
    static const lt_field fields[] = {
        {"s", {.type = LT_VALUE_STRING, .as.s = {"a \"b\" \xff", 7}}},
        {"level", {.type = LT_VALUE_DOUBLE, .as.d = 0.1}},
    };
    lt_logger *lg = use(
        json(&(lt_json_options){.attributes = "time,asctime,levelname,name,message", .utc = true}));
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
    "[loggers]\nkeys=root\n[handlers]\nkeys=out\n[formatters]\nkeys=j\n" \
    "[logger_root]\nlevel=DEBUG\nhandlers=out\n"                         \
    "[handler_out]\nclass=FileHandler\nargs=('out.log', 'w')\nformatter=j\n"

Test(json, config_class_and_keys)
{
    lt_error err;

    enter_temp_dir();
    cr_assert_eq(load(INI_HEAD "[formatter_j]\nclass=JSONFormatter\n"
                               "attributes=levelname, name, message\n"
                               "rename=levelname:severity\nlevel_case=lower\nextra=false\n",
                      &err),
                 0, "%s", err.message);
    LT_WARNING(lt_get_logger(NULL), "hi", LT_F("k", 1));
    cr_assert_str_eq(slurp("out.log"), "{\"severity\":\"warning\",\"name\":\"root\",\"message\":"
                                       "\"hi\"}\n");
    cr_assert_eq(load(INI_HEAD "[formatter_j]\nclass=logtree.JSONFormatter\n"
                               "attributes=time,message\nutc=true\n",
                      &err),
                 0, "%s", err.message);
    LT_WARNING(lt_get_logger(NULL), "hi", LT_F("k", 1));
    cr_assert(strstr(slurp("out.log"), "Z\",\"message\":\"hi\",\"k\":1}\n"), "%s",
              slurp("out.log"));
}

static void expect_config_error(const char *section, int line, const char *what)
{
    char ini[1024];
    lt_error err;

    snprintf(ini, sizeof(ini), INI_HEAD "[formatter_j]\n%s", section);
    cr_assert_eq(load(ini, &err), LT_ECONFIG, "%s: %s", section, err.message);
    cr_assert_eq(err.line, line, "line %d, expected %d: %s", err.line, line, err.message);
    cr_assert(strstr(err.message, what), "'%s' lacks '%s'", err.message, what);
}

Test(json, config_errors_name_the_key)
{
    /* the section's second key is on line 16 */
    expect_config_error("class=JSONFormatter\nattributes=message,bogus\n", 16, "'bogus'");
    expect_config_error("class=JSONFormatter\nrename=levelname:name\nattributes=levelname,name\n",
                        16, "both print as 'name'");
    expect_config_error("class=JSONFormatter\nrename=name:a b\n", 16, "not a key");
    expect_config_error("class=JSONFormatter\nutc=maybe\n", 16, "utc must be true or false");
    expect_config_error("class=JSONFormatter\nextra=2\n", 16, "extra must be true or false");
    expect_config_error("class=JSONFormatter\nlevel_case=title\n", 16,
                        "level_case must be keep, lower or upper");
}
