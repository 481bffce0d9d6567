/* tests/test_access_formatter.c - the access-log formatter: Apache's
 * mod_log_config LogFormat over record fields.
 *
 * The expected lines of the presets are the examples of Apache's own
 * documentation (mod_log_config, "Common Log Format"): the same request,
 * time and zone give the same bytes. Escapes follow ap_escape_logitem(). */
#include <criterion/criterion.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "support.h"

/* 10/Oct/2000:13:55:36 -0700, Apache's example time. */
#define APACHE_TIME 971211336

/* A record made by hand, so that its time and fields are exactly known. */
static void make_record(lt_record *rec, const lt_field *fields, size_t n, time_t sec, long nsec)
{
    memset(rec, 0, sizeof(*rec));
    rec->name = "access";
    rec->name_len = strlen(rec->name);
    rec->levelno = LT_LEVEL_INFO;
    rec->levelname = "INFO";
    rec->levelname_len = strlen(rec->levelname);
    rec->pathname = "src/server.c";
    rec->funcname = "serve";
    rec->lineno = 42;
    rec->created.tv_sec = sec;
    rec->created.tv_nsec = nsec;
    rec->msg = rec->message = "GET / -> 200";
    rec->message_len = strlen(rec->message);
    rec->strerror = "";
    rec->thread = 77;
    rec->thread_name = "MainThread";
    rec->process_name = "server";
    rec->process = 4242;
    rec->fields = (lt_field *)(uintptr_t)fields;
    rec->nfields = n;
}

static lt_formatter *make_utc(const char *format, bool utc)
{
    lt_access_options o = {.format = format, .utc = utc};
    lt_formatter *f = NULL;
    lt_error err;

    lt_error_clear(&err);
    cr_assert_eq(lt_access_formatter_new(&f, &o, &err), 0, "%s: %s (column %d)", format,
                 err.message, err.column);
    return f;
}

static lt_formatter *make(const char *format)
{
    return make_utc(format, true);
}

/* The line @f makes of a record with @fields at @sec.@nsec (a static copy). */
static const char *format_at(lt_formatter *f, const lt_field *fields, size_t n, time_t sec,
                             long nsec)
{
    static char line[1 << 16];
    lt_record rec;
    lt_buf *b;

    cr_assert_eq(lt_buf_new(&b), 0);
    make_record(&rec, fields, n, sec, nsec);
    cr_assert_eq(lt_formatter_format(f, &rec, b), 0);
    snprintf(line, sizeof(line), "%s", lt_buf_data(b));
    lt_buf_free(b);
    return line;
}

static const char *format_fields(lt_formatter *f, const lt_field *fields, size_t n)
{
    return format_at(f, fields, n, APACHE_TIME, 0);
}

/* One pattern over some fields, checked and released. */
#define CHECK(pattern, expected, ...)                                                    \
    do {                                                                                 \
        lt_field fs_[] = {LT_F("_unused", 0), __VA_ARGS__};                              \
        lt_formatter *f_ = make(pattern);                                                \
        const char *got_ = format_fields(f_, fs_ + 1, sizeof(fs_) / sizeof(fs_[0]) - 1); \
        cr_expect_str_eq(got_, expected, "pattern %s: got [%s]", pattern, got_);         \
        lt_formatter_unref(f_);                                                          \
    } while (0)

#define CHECK0(pattern, expected)                                                \
    do {                                                                         \
        lt_formatter *f_ = make(pattern);                                        \
        const char *got_ = format_fields(f_, NULL, 0);                           \
        cr_expect_str_eq(got_, expected, "pattern %s: got [%s]", pattern, got_); \
        lt_formatter_unref(f_);                                                  \
    } while (0)

static void use_zone(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

/* ---- presets ---- */

Test(access, common_is_apaches_example)
{
    lt_field fs[] = {LT_F("remote_addr", "127.0.0.1"),
                     LT_F("remote_user", "frank"),
                     LT_F("method", "GET"),
                     LT_F("path", "/apache_pb.gif"),
                     LT_F("protocol", "HTTP/1.0"),
                     LT_F("status", 200),
                     LT_F("bytes", 2326)};
    lt_formatter *f = make_utc("common", false);

    use_zone("XST+7");
    cr_assert_str_eq(format_fields(f, fs, 7), "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "
                                              "\"GET /apache_pb.gif HTTP/1.0\" 200 2326");
    lt_formatter_unref(f);
}

Test(access, combined_is_apaches_example)
{
    lt_field fs[] = {LT_F("remote_addr", "127.0.0.1"),
                     LT_F("remote_user", "frank"),
                     LT_F("method", "GET"),
                     LT_F("path", "/apache_pb.gif"),
                     LT_F("protocol", "HTTP/1.0"),
                     LT_F("status", 200),
                     LT_F("bytes", 2326),
                     LT_F("referer", "http://www.example.com/start.html"),
                     LT_F("user_agent", "Mozilla/4.08 [en] (Win98; I ;Nav)")};
    const char *want =
        "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "
        "\"GET /apache_pb.gif HTTP/1.0\" 200 2326 "
        "\"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"";
    lt_formatter *f = make_utc("combined", false), *g = NULL, *h = make_utc("", false);
    lt_access_options none = {0};

    use_zone("XST+7");
    cr_assert_str_eq(format_fields(f, fs, 9), want);
    /* NULL options, and an empty format, are combined in local time */
    cr_assert_eq(lt_access_formatter_new(&g, NULL, NULL), 0);
    cr_assert_str_eq(format_fields(g, fs, 9), want);
    cr_assert_str_eq(format_fields(h, fs, 9), want);
    lt_formatter_unref(g);
    cr_assert_eq(lt_access_formatter_new(&g, &none, NULL), 0);
    cr_assert_str_eq(format_fields(g, fs, 9), want);
    lt_formatter_unref(f);
    lt_formatter_unref(g);
    lt_formatter_unref(h);
}

Test(access, missing_fields_print_a_dash)
{
    lt_formatter *f = make("combined");

    cr_assert_str_eq(format_fields(f, NULL, 0),
                     "- - - [10/Oct/2000:20:55:36 +0000] \"-\" - - \"-\" \"-\"");
    lt_formatter_unref(f);
    CHECK("%h %u %s %{Host}i %{X}o %{nothing}x", "- - - - - -", LT_F("remote_addr", (char *)NULL),
          LT_F("remote_user", (char *)NULL), LT_F("status", (char *)NULL));
}

/* ---- each directive ---- */

Test(access, client_and_server_directives)
{
    CHECK("%h|%a|%A|%l|%v|%V|%p|%{remote}p|%{canonical}p",
          "10.0.0.1|10.0.0.1|10.0.0.2|ident1|example.org|example.org|8080|51234|8080",
          LT_F("remote_addr", "10.0.0.1"), LT_F("local_addr", "10.0.0.2"), LT_F("ident", "ident1"),
          LT_F("host", "example.org"), LT_F("server_port", 8080), LT_F("remote_port", 51234));
}

Test(access, request_parts)
{
    CHECK("%m|%U|%q|%H", "POST|/a/b|?x=1&y=2|HTTP/1.1", LT_F("method", "POST"),
          LT_F("path", "/a/b"), LT_F("query", "x=1&y=2"), LT_F("protocol", "HTTP/1.1"));
    /* no query: %q prints nothing, as Apache; an empty one prints the '?' */
    CHECK("[%q]", "[]", LT_F("path", "/"));
    CHECK("[%q]", "[?]", LT_F("query", ""));
}

Test(access, request_line)
{
    CHECK("%r", "GET /search?q=a+b HTTP/1.1", LT_F("method", "GET"), LT_F("path", "/search"),
          LT_F("query", "q=a+b"), LT_F("protocol", "HTTP/1.1"));
    CHECK("%r", "GET / HTTP/1.1", LT_F("method", "GET"), LT_F("path", "/"),
          LT_F("protocol", "HTTP/1.1"));
    CHECK("%r", "GET /? HTTP/1.1", LT_F("method", "GET"), LT_F("path", "/"), LT_F("query", ""),
          LT_F("protocol", "HTTP/1.1"));
    /* HTTP/0.9 had no protocol in its request line */
    CHECK("%r", "GET /old", LT_F("method", "GET"), LT_F("path", "/old"));
    CHECK("%r", "- /x HTTP/1.0", LT_F("path", "/x"), LT_F("protocol", "HTTP/1.0"));
    /* a request field wins: the line exactly as it came */
    CHECK("%r", "GET  /raw  HTTP/1.1", LT_F("request", "GET  /raw  HTTP/1.1"),
          LT_F("method", "GET"), LT_F("path", "/x"));
    CHECK0("%r", "-");
}

Test(access, user)
{
    CHECK("%u", "frank", LT_F("remote_user", "frank"));
    /* Apache tells an empty user ("Authorization" with no name) from none */
    CHECK("%u", "\"\"", LT_F("remote_user", ""));
    CHECK0("%u", "-");
}

Test(access, status)
{
    CHECK("%s %>s %<s", "404 404 404", LT_F("status", 404));
    CHECK("%s", "404", LT_F("status", (unsigned short)404));
    CHECK("%s", "404", LT_F("status", "404"));
    CHECK("%s", "404", LT_F("status", 404.0));
}

Test(access, bytes_zero)
{
    CHECK("%b %B", "- 0", LT_F("bytes", 0));
    CHECK("%b %B", "- 0", LT_F("bytes", (size_t)0));
    CHECK("%b %B", "- 0", LT_F("bytes", 0.0));
    CHECK("%b %B", "- 0", LT_F("bytes", "0"));
    CHECK("%b %B", "1 1", LT_F("bytes", (uint64_t)1));
    CHECK("%b %B", "2 2", LT_F("bytes", 1.5));
    CHECK("%b %B", "-1 -1", LT_F("bytes", -1));
    CHECK("%b %B", "18446744073709551615 18446744073709551615", LT_F("bytes", UINT64_MAX));
    CHECK0("%b %B", "- -");
}

Test(access, durations)
{
    CHECK("%D %T %{s}T %{ms}T %{us}T", "2500123 2 2 2500 2500123", LT_F("duration_us", 2500123));
    CHECK("%D %T %{ms}T", "999999 0 999", LT_F("duration_us", (unsigned)999999));
    /* a float is rounded to whole microseconds first */
    CHECK("%D %T", "1235 0", LT_F("duration_us", 1234.6));
    CHECK("%D %T", "3000000 3", LT_F("duration_us", "3000000"));
    CHECK("%D %T", "nan nan", LT_F("duration_us", NAN));
    CHECK("%D %T", "- -", LT_F("status", 200));
}

Test(access, headers)
{
    CHECK("%{Host}i|%{X-Forwarded-For}i|%{x-forwarded-for}i|%{Content-Type}o",
          "example.org|1.2.3.4|1.2.3.4|text/plain", LT_F("header.host", "example.org"),
          LT_F("header.x-forwarded-for", "1.2.3.4"),
          LT_F("resp_header.content-type", "text/plain"));
    CHECK("%{1st}i|%{X.Y_z}o", "a|b", LT_F("header.1st", "a"), LT_F("resp_header.x.y_z", "b"));
    /* Referer and User-Agent: their own fields, in any case, then header.* */
    CHECK("%{Referer}i|%{REFERER}i|%{user-agent}i", "r1|r1|ua1", LT_F("referer", "r1"),
          LT_F("user_agent", "ua1"));
    CHECK("%{Referer}i|%{User-Agent}i", "r2|ua2", LT_F("header.referer", "r2"),
          LT_F("header.user-agent", "ua2"));
    CHECK("%{Referer}i", "r1", LT_F("referer", "r1"), LT_F("header.referer", "r2"));
}

Test(access, any_field_and_attributes)
{
    CHECK("%{request_id}x %{ms}x %{ok}x %{n}x %{big}x %{nothing}x",
          "abc 12.5 true -3 "
          "18446744073709551615 -",
          LT_F("request_id", "abc"), LT_F("ms", 12.5), LT_F("ok", (bool)true), LT_F("n", -3),
          LT_F("big", UINT64_MAX));
    CHECK("%{tenant.id}x %{x-y}x %{é}x", "t1 2 3", LT_F("tenant.id", "t1"), LT_F("x-y", 2),
          LT_F("é", 3));
    CHECK0("%{levelname}x %{name}x %{lineno}x %{message}x %{funcName}x",
           "INFO access 42 GET / -> 200 serve");
    CHECK0("%P %{pid}P %{tid}P", "4242 4242 77");
}

Test(access, literals)
{
    CHECK0("100%% \"sure\"", "100% \"sure\"");
    CHECK0("a\\tb\\nc\\rd\\\\e\\qf", "a\tb\nc\rd\\e\\qf");
    CHECK0("%%%%", "%%");
    CHECK0("", "- - - [10/Oct/2000:20:55:36 +0000] \"-\" - - \"-\" \"-\"");
    CHECK0("plain text only", "plain text only");
}

Test(access, conditions)
{
    CHECK("%400,501{User-Agent}i", "ua", LT_F("status", 400), LT_F("user_agent", "ua"));
    CHECK("%400,501{User-Agent}i", "ua", LT_F("status", 501), LT_F("user_agent", "ua"));
    CHECK("%400,501{User-Agent}i", "-", LT_F("status", 200), LT_F("user_agent", "ua"));
    CHECK("%!200,304r", "-", LT_F("status", 304), LT_F("request", "GET / HTTP/1.1"));
    CHECK("%!200,304r", "GET / HTTP/1.1", LT_F("status", 404), LT_F("request", "GET / HTTP/1.1"));
    /* no status: no code matches */
    CHECK("%200s|%!200{request}x", "-|r", LT_F("request", "r"));
    CHECK("%>200s", "200", LT_F("status", 200));
}

/* ---- time ---- */

Test(access, time_local_and_utc)
{
    lt_formatter *local = make_utc("%t", false), *utc = make_utc("%t", true);

    use_zone("XST+7");
    cr_assert_str_eq(format_at(local, NULL, 0, APACHE_TIME, 0), "[10/Oct/2000:13:55:36 -0700]");
    cr_assert_str_eq(format_at(utc, NULL, 0, APACHE_TIME, 0), "[10/Oct/2000:20:55:36 +0000]");
    /* the per-thread cache must not hand one formatter's zone to the other */
    cr_assert_str_eq(format_at(local, NULL, 0, APACHE_TIME, 0), "[10/Oct/2000:13:55:36 -0700]");
    use_zone("IST-5:30");
    cr_assert_str_eq(format_at(local, NULL, 0, 0, 0), "[01/Jan/1970:05:30:00 +0530]");
    cr_assert_str_eq(format_at(utc, NULL, 0, 1700000000, 0), "[14/Nov/2023:22:13:20 +0000]");
    lt_formatter_unref(local);
    lt_formatter_unref(utc);
}

Test(access, time_formats)
{
    lt_formatter *f = make("%{%Y-%m-%dT%H:%M:%S}t|%{begin:%d}t|%{end:%H}t");
    lt_formatter *g = make("%{sec}t %{msec}t %{usec}t %{msec_frac}t %{usec_frac}t "
                           "%{begin:msec_frac}t %{end:usec}t");

    cr_assert_str_eq(format_at(f, NULL, 0, APACHE_TIME, 5), "2000-10-10T20:55:36|10|20");
    cr_assert_str_eq(format_at(g, NULL, 0, APACHE_TIME, 7001000),
                     "971211336 971211336007 971211336007001 007 007001 007 971211336007001");
    lt_formatter_unref(f);
    lt_formatter_unref(g);
}

/* ---- hostile values ---- */

Test(access, hostile_values_are_escaped)
{
    static const char nul[] = "a\0b";

    CHECK("\"%{User-Agent}i\"", "\"Mozilla \\\"evil\\\" \\\\ \\\"\"",
          LT_F("user_agent", "Mozilla \"evil\" \\ \""));
    CHECK("%U", "/a\\r\\n1.2.3.4 - - [x] \\\"GET /forged",
          LT_F("path", "/a\r\n1.2.3.4 - - [x] \"GET /forged"));
    CHECK("%{x}x", "a\\x00b", LT_F("x", LT_STR(nul, 3)));
    CHECK("%{x}x", "\\b\\t\\v\\x01\\x1b[31m\\x7f\\x1f", LT_F("x", "\b\t\v\x01\x1b[31m\x7f\x1f"));
    /* Apache escapes every byte above 0x7e, UTF-8 or not */
    CHECK("%{x}x", "caf\\xc3\\xa9 \\xff", LT_F("x", "caf\xc3\xa9 \xff"));
    CHECK("%r", "GET /\\\" HTTP/1.1\\n", LT_F("request", "GET /\" HTTP/1.1\n"));
    CHECK("%r", "G\\\"T /\\\\ H\\x0c", LT_F("method", "G\"T"), LT_F("path", "/\\"),
          LT_F("protocol", "H\f"));
    CHECK("%q|%h|%u|%{Referer}i", "?\\x00|\\n|\\\"|\\t", LT_F("query", LT_STR(nul + 1, 1)),
          LT_F("remote_addr", "\n"), LT_F("remote_user", "\""), LT_F("referer", "\t"));
}

/* Undo Apache's escapes (as a log reader would). */
static size_t unescape(const char *s, char *out)
{
    size_t n = 0;

    while (*s) {
        if (*s != '\\') {
            out[n++] = *s++;
            continue;
        }
        s++;
        switch (*s) {
        case 'x': {
            char hex[3] = {s[1], s[2], 0};

            out[n++] = (char)strtol(hex, NULL, 16);
            s += 3;
            continue;
        }
        case 'b':
            out[n++] = '\b';
            break;
        case 'n':
            out[n++] = '\n';
            break;
        case 'r':
            out[n++] = '\r';
            break;
        case 't':
            out[n++] = '\t';
            break;
        case 'v':
            out[n++] = '\v';
            break;
        default:
            out[n++] = *s;
            break;
        }
        s++;
    }
    return n;
}

/* No data is lost: every byte value comes back from the escaped line, and
 * the line itself holds only printable ASCII. */
Test(access, every_byte_round_trips)
{
    char all[256], back[256 * 4];
    lt_formatter *f = make("%{x}x");
    const char *line;

    for (int i = 0; i < 256; i++)
        all[i] = (char)i;
    {
        lt_field fs[] = {LT_F("x", LT_STR(all, sizeof(all)))};

        line = format_fields(f, fs, 1);
    }
    for (const char *p = line; *p; p++)
        cr_assert(*p >= 0x20 && *p < 0x7f, "byte 0x%02x left raw", (unsigned char)*p);
    cr_assert_eq(unescape(line, back), sizeof(all));
    cr_assert_eq(memcmp(back, all, sizeof(all)), 0);
    lt_formatter_unref(f);
}

Test(access, megabyte_value)
{
    size_t n = 1 << 20;
    char *big = malloc(n);
    lt_formatter *f = make("\"%{User-Agent}i\"");
    lt_record rec;
    lt_buf *b;

    cr_assert(big);
    for (size_t i = 0; i < n; i++)
        big[i] = i % 1000 == 999 ? '"' : 'a';
    {
        lt_field fs[] = {LT_F("user_agent", LT_STR(big, n))};

        make_record(&rec, fs, 1, APACHE_TIME, 0);
        cr_assert_eq(lt_buf_new(&b), 0);
        cr_assert_eq(lt_formatter_format(f, &rec, b), 0);
    }
    cr_assert_eq(lt_buf_len(b), n + n / 1000 + 2);
    cr_assert_eq(strchr(lt_buf_data(b) + 1, '"'), lt_buf_data(b) + 1 + 999 + 1);
    lt_buf_free(b);
    free(big);
    lt_formatter_unref(f);
}

/* ---- malformed patterns ---- */

static void expect_error(const char *pattern, int column, const char *words)
{
    lt_access_options o = {.format = pattern};
    lt_formatter *f = NULL;
    lt_error err;

    lt_error_clear(&err);
    cr_expect_eq(lt_access_formatter_new(&f, &o, &err), LT_EFORMAT, "%s", pattern);
    cr_expect_null(f);
    cr_expect_eq(err.code, LT_EFORMAT);
    cr_expect_eq(err.column, column, "%s: column %d, not %d (%s)", pattern, err.column, column,
                 err.message);
    cr_expect(strstr(err.message, words) != NULL, "%s: message '%s' lacks '%s'", pattern,
              err.message, words);
}

Test(access, malformed_patterns)
{
    expect_error("%", 1, "without its letter");
    expect_error("%h %l %", 7, "without its letter");
    expect_error("%h %{Referer", 5, "'{' without its '}'");
    expect_error("abc %Z", 6, "'%Z'");
    expect_error("%h %>", 4, "without its letter");
    expect_error("%400,", 1, "without its letter");
    expect_error("%{X}%", 5, "'%%'");
    expect_error("%k", 2, "unsupported directive '%k'");
    expect_error("ab\x01%\x01", 5, "0x01");
    expect_error("%i", 2, "%{Name}i");
    expect_error("%{}o", 4, "needs a header name");
    expect_error("%x", 2, "%{name}x");
    expect_error("%h %{Bad Name}i", 5, "header name 'Bad Name'");
    expect_error("%{1abc}x", 2, "not a field key");
    expect_error("%{a b}x", 2, "not a field key");
    expect_error("%{minutes}T", 2, "unknown unit 'minutes'");
    expect_error("%{hextid}P", 2, "unknown %P format");
    expect_error("%1000s", 2, "at most 3 digits");
    expect_error("%{X-01234567890123456789012345678901234567890123456789012345}i", 2,
                 "cannot be part of a field key");
}

Test(access, errors_without_err_and_options)
{
    lt_access_options o = {.format = "%Z"};
    lt_formatter *f = NULL;

    cr_assert_eq(lt_access_formatter_new(&f, &o, NULL), LT_EFORMAT);
    cr_assert_null(f);
    cr_assert_eq(lt_access_formatter_new(NULL, &o, NULL), LT_EINVAL);
}

/* ---- through the library ---- */

Test(access, records_from_logging_calls)
{
    lt_logger *lg = lt_get_logger("http.access");
    lt_formatter *f = make("%h \"%r\" %>s %b %D \"%{X-Request-Id}i\" %{tenant.id}x");
    capture *c;
    lt_handler *h = capture_new(&c);
    const char *ua = "curl/8";
    unsigned long long bytes = 0;

    lt_handler_set_formatter(h, f);
    lt_logger_add_handler(lg, h);
    lt_logger_set_level(lg, LT_LEVEL_INFO);
    LT_INFO(lg, "%s %s", "GET", "/", LT_F("remote_addr", "::1"), LT_F("method", "GET"),
            LT_F("path", "/"), LT_F("protocol", "HTTP/1.1"), LT_F("status", 304),
            LT_F("bytes", bytes), LT_F("duration_us", 17L), LT_F("user_agent", ua),
            LT_F("header.x-request-id", "r-1"), LT_F("tenant.id", "t\"1"));
    cr_assert_eq(capture_count(c), 1);
    cr_assert_str_eq(capture_line(c, 0), "::1 \"GET / HTTP/1.1\" 304 - 17 \"r-1\" t\\\"1");
    lt_logger_remove_handler(lg, h);
    lt_handler_unref(h);
    lt_formatter_unref(f);
}

Test(access, config_file_class)
{
    static const char ini[] = "[loggers]\nkeys=root\n"
                              "[handlers]\nkeys=file\n"
                              "[formatters]\nkeys=access,common\n"
                              "[logger_root]\nlevel=INFO\nhandlers=file\n"
                              "[handler_file]\nclass=FileHandler\nargs=('access.log', 'w')\n"
                              "formatter=access\n"
                              "[formatter_access]\nclass=logtree.AccessFormatter\n"
                              "format=%h %t \"%r\" %>s %{%Y}t 100%%\nutc=yes\n"
                              "[formatter_common]\nclass=AccessFormatter\nformat=common\n";
    lt_error err;

    enter_temp_dir();
    lt_error_clear(&err);
    cr_assert_eq(lt_config_string(ini, strlen(ini), "<test>", 0, &err), 0, "%s (line %d)",
                 err.message, err.line);
    LT_INFO(lt_get_logger("x"), "hit", LT_F("remote_addr", "1.2.3.4"), LT_F("request", "GET /"),
            LT_F("status", 200));
    lt_shutdown();
    {
        const char *text = slurp("access.log");
        int y, d, h, m, s;
        char mon[4];

        cr_assert_eq(sscanf(text, "1.2.3.4 [%d/%3s/%d:%d:%d:%d +0000] \"GET /\" 200", &d, mon, &y,
                            &h, &m, &s),
                     6, "%s", text);
        cr_assert(strstr(text, " 100%\n") != NULL, "%s", text);
    }
}

static void expect_config_error(const char *formatter_lines, const char *words, int line)
{
    char ini[1024];
    lt_error err;

    snprintf(ini, sizeof(ini),
             "[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=a\n"
             "[logger_root]\nhandlers=\n[formatter_a]\n%s",
             formatter_lines);
    lt_error_clear(&err);
    cr_expect_lt(lt_config_string(ini, strlen(ini), "<test>", 0, &err), 0, "%s", ini);
    cr_expect(strstr(err.message, words) != NULL, "message '%s' lacks '%s'", err.message, words);
    cr_expect_eq(err.line, line, "line %d, not %d (%s)", err.line, line, err.message);
}

Test(access, config_file_errors)
{
    expect_config_error("class=AccessFormatter\nformat=%h %Z\n", "'%Z' at column 5", 11);
    expect_config_error("class=AccessFormatter\nutc=maybe\n", "utc must be true or false", 11);
    expect_config_error("class=logging.AccessFormatter\n", "unknown formatter class", 10);
}

/* ---- threads ---- */

struct worker {
    lt_formatter *f;
    int id;
    int bad;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    char want[128], path[32];
    lt_buf *b;

    if (lt_buf_new(&b) < 0)
        return NULL;
    snprintf(path, sizeof(path), "/t%d", w->id);
    for (int i = 0; i < 2000; i++) {
        lt_field fs[] = {LT_F("method", "GET"), LT_F("path", path), LT_F("status", w->id),
                         LT_F("bytes", i + 1)};
        lt_record rec;
        time_t sec = APACHE_TIME + i % 3 + w->id * 86400;
        struct tm tm;

        make_record(&rec, fs, 4, sec, 0);
        lt_buf_truncate(b, 0);
        lt_formatter_format(w->f, &rec, b);
        gmtime_r(&sec, &tm);
        snprintf(want, sizeof(want), "%02d:%02d:%02d \"GET /t%d\" %d %d", tm.tm_mday, tm.tm_min,
                 tm.tm_sec, w->id, w->id, i + 1);
        if (strcmp(lt_buf_data(b), want) != 0)
            w->bad++;
    }
    lt_buf_free(b);
    return NULL;
}

Test(access, one_formatter_many_threads)
{
    lt_formatter *f = make("%{%d:%M:%S}t \"%r\" %s %b");
    struct worker w[8];
    pthread_t t[8];

    for (int i = 0; i < 8; i++) {
        w[i] = (struct worker){f, i + 1, 0};
        cr_assert_eq(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        cr_expect_eq(w[i].bad, 0, "thread %d: %d wrong lines", i, w[i].bad);
    }
    lt_formatter_unref(f);
}

/* What lt_dump_tree() prints after "Formatter ". */
Test(access, describes_itself_with_its_format)
{
    lt_formatter *f;
    lt_buf *b;

    cr_assert_eq(lt_buf_new(&b), 0);
    cr_assert_eq(lt_access_formatter_new(&f, NULL, NULL), 0);
    cr_assert_eq(lt_formatter_describe(f, b), 0);
    cr_expect_str_eq(lt_buf_data(b), "access format='combined' utc=False");
    lt_formatter_unref(f);
    lt_buf_truncate(b, 0);
    cr_assert_eq(lt_access_formatter_new(
                     &f, &(lt_access_options){.format = "%h \"%r\" %>s", .utc = true}, NULL),
                 0);
    cr_assert_eq(lt_formatter_describe(f, b), 0);
    cr_expect_str_eq(lt_buf_data(b), "access format='%h \"%r\" %>s' utc=True");
    lt_formatter_unref(f);
    lt_buf_free(b);
}
