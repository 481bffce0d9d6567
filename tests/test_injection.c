/* tests/test_injection.c - log injection (issue 9, point 3): no record can
 * make a formatter or handler write a line break, a field separator its
 * reader misparses, or a terminal escape sequence, unless the user asked
 * for Python's raw behaviour (LT_ESCAPE_NONE).
 *
 * Every case feeds the same hostile bytes: CR, LF, CRLF, NUL, ANSI ESC
 * sequences, DEL, a C1 control, invalid UTF-8 (stray bytes, truncated
 * sequences) and a valid emoji, through real handlers into real files and
 * sockets. The output is then read as its consumer reads it
 * (tests/injection/read.py: Python's json, Apache's and RFC 5424's
 * grammars; the npm logfmt parser), and what comes back is compared with
 * bytes written down here by hand from the documented rules
 * (docs/security.md), never with anything logtree computed. */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "support.h"

/* ---- the hostile text and what each consumer must read back ---- */

static const char hostile[] = "a\rb\nc\r\nd\0e\x1b[31mred\x1b[0m\xff\xfe|\xe2\x82|\xf0\x9f\x98"
                              "|\tend\x7f\xc2\x9b\xf0\x9f\x98\x80";
#define HOSTILE_LEN (sizeof(hostile) - 1)

/* LT_ESCAPE_CONTROLS: CR \r, LF \n, other controls but TAB and each byte of
 * invalid UTF-8 as \xhh; TAB and the emoji as they are. */
static const char escaped[] = "a\\rb\\nc\\r\\nd\\x00e\\x1b[31mred\\x1b[0m\\xff\\xfe|\\xe2\\x82|"
                              "\\xf0\\x9f\\x98|\tend\\x7f\\xc2\\x9b\xf0\x9f\x98\x80";

/* JSON (RFC 8259, formatters.h): every character back as it was, each
 * maximal invalid sequence one U+FFFD. */
static const char json_back[] = "a\rb\nc\r\nd\0e\x1b[31mred\x1b[0m\xef\xbf\xbd\xef\xbf\xbd|"
                                "\xef\xbf\xbd|\xef\xbf\xbd|\tend\x7f\xc2\x9b\xf0\x9f\x98\x80";
#define JSON_BACK_LEN (sizeof(json_back) - 1)

/* A message that tries to forge a record of its own. */
static const char forged[] = "login bob\nCRITICAL:auth:root logged in";
static const char forged_escaped[] = "login bob\\nCRITICAL:auth:root logged in";

/* ---- reading files ---- */

/* The whole file at @path into a static buffer, its length in *@len. */
static const char *read_all(const char *path, size_t *len)
{
    static char data[1 << 16];
    FILE *fp = fopen(path, "rb");

    cr_assert_not_null(fp, "%s", path);
    *len = fread(data, 1, sizeof(data) - 1, fp);
    data[*len] = '\0';
    fclose(fp);
    return data;
}

static void assert_file(const char *path, const char *want, size_t want_len)
{
    size_t len;
    const char *got = read_all(path, &len);

    cr_assert_eq(len, want_len, "%s: %zu bytes, expected %zu: %s", path, len, want_len, got);
    cr_assert(memcmp(got, want, len) == 0, "%s holds\n%s\nexpected\n%s", path, got, want);
}

static void to_hex(const char *s, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++)
        sprintf(out + 2 * i, "%02x", (unsigned char)s[i]);
    out[2 * len] = '\0';
}

struct want {
    const char *bytes;
    size_t len;
};

#define WANT(s) {(s), sizeof(s) - 1}

/* Run tests/injection/read.py @mode on @path (then @keys): it must read
 * @records records and give back exactly the @n values of @want. */
static void read_back(const char *mode, const char *path, const char *keys, int records,
                      const struct want *want, size_t n)
{
    char cmd[2048], line[1 << 14], hex[1 << 14];
    FILE *p;
    int count = -1;
    size_t i = 0;

    snprintf(cmd, sizeof(cmd), "'%s' '%s/tests/injection/read.py' %s '%s' %s", LT_PYTHON,
             LT_SOURCE_DIR, mode, path, keys ? keys : "");
    p = popen(cmd, "r");
    cr_assert_not_null(p);
    if (fgets(line, sizeof(line), p))
        count = atoi(line);
    while (fgets(line, sizeof(line), p)) {
        line[strcspn(line, "\n")] = '\0';
        cr_assert_lt(i, n, "%s %s: more values than expected: %s", mode, path, line);
        to_hex(want[i].bytes, want[i].len, hex);
        cr_assert_str_eq(line, hex, "%s %s: value %zu read back otherwise", mode, path, i);
        i++;
    }
    cr_assert_eq(pclose(p), 0, "%s %s: the reader refused the file (see above)", mode, path);
    cr_assert_eq(count, records, "%s %s: %d records read, %d logged", mode, path, count, records);
    cr_assert_eq(i, n, "%s %s: %zu values read, %zu expected", mode, path, i, n);
}

/* ---- handlers ---- */

static lt_logger *logger_with(const char *name, lt_handler *h)
{
    lt_logger *lg = lt_get_logger(name);

    lt_logger_set_level(lg, LT_LEVEL_DEBUG);
    lt_logger_set_propagate(lg, false);
    cr_assert_eq(lt_logger_add_handler(lg, h), 0);
    return lg;
}

static void use_format(lt_handler *h, const char *format)
{
    lt_percent_options o = {.format = format};
    lt_formatter *f;

    cr_assert_eq(lt_percent_formatter_new(&f, &o, NULL), 0, "%s", format);
    lt_handler_set_formatter(h, f);
    lt_formatter_unref(f);
}

/* The three records every handler case logs: the hostile text as the
 * message, a forged line through a printf argument, the hostile text as a
 * field; with "%(message)s|%(user)s" they print as the lines below. */
static void log_hostile(lt_logger *lg)
{
    lt_log_text_at(lg, LT_LEVEL_WARNING, NULL, hostile, HOSTILE_LEN);
    LT_ERROR(lg, "%s", forged);
    LT_INFO(lg, "user", LT_F("user", LT_STR(hostile, HOSTILE_LEN)));
}

#define FMT "%(message)s|%(user)s"
static const char lines_escaped[] = "a\\rb\\nc\\r\\nd\\x00e\\x1b[31mred\\x1b[0m\\xff\\xfe|\\xe2\\x82|"
                                    "\\xf0\\x9f\\x98|\tend\\x7f\\xc2\\x9b\xf0\x9f\x98\x80|<user?>\n"
                                    "login bob\\nCRITICAL:auth:root logged in|<user?>\n"
                                    "user|a\\rb\\nc\\r\\nd\\x00e\\x1b[31mred\\x1b[0m\\xff\\xfe|"
                                    "\\xe2\\x82|\\xf0\\x9f\\x98|\tend\\x7f\\xc2\\x9b"
                                    "\xf0\x9f\x98\x80\n";

static const struct want lines_read[] = {
    WANT("a\\rb\\nc\\r\\nd\\x00e\\x1b[31mred\\x1b[0m\\xff\\xfe|\\xe2\\x82|\\xf0\\x9f\\x98|\tend"
         "\\x7f\\xc2\\x9b\xf0\x9f\x98\x80|<user?>"),
    WANT("login bob\\nCRITICAL:auth:root logged in|<user?>"),
    WANT("user|a\\rb\\nc\\r\\nd\\x00e\\x1b[31mred\\x1b[0m\\xff\\xfe|\\xe2\\x82|\\xf0\\x9f\\x98|\tend"
         "\\x7f\\xc2\\x9b\xf0\x9f\x98\x80"),
};

/* Python's behaviour, byte for byte. */
static const char lines_raw[] = "a\rb\nc\r\nd\0e\x1b[31mred\x1b[0m\xff\xfe|\xe2\x82|\xf0\x9f\x98"
                                "|\tend\x7f\xc2\x9b\xf0\x9f\x98\x80|<user?>\n"
                                "login bob\nCRITICAL:auth:root logged in|<user?>\n"
                                "user|a\rb\nc\r\nd\0e\x1b[31mred\x1b[0m\xff\xfe|\xe2\x82|\xf0\x9f"
                                "\x98|\tend\x7f\xc2\x9b\xf0\x9f\x98\x80\n";

/* Log the three records through @h (a handler writing @path), then check
 * the bytes and what a line reader makes of them. */
static void check_escaped(lt_handler *h, const char *path)
{
    cr_assert_eq(lt_handler_escape(h), LT_ESCAPE_CONTROLS);
    use_format(h, FMT);
    log_hostile(logger_with("t", h));
    lt_handler_flush(h);
    assert_file(path, lines_escaped, sizeof(lines_escaped) - 1);
    read_back("plain", path, NULL, 3, lines_read, 3);
}

Test(injection_handlers, file_escapes_by_default)
{
    lt_handler *h;
    int fds = open_fd_count();

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "app.log", NULL, 0), 0);
    check_escaped(h, "app.log");
    lt_logger_clear_handlers(lt_get_logger("t"));
    lt_handler_unref(h);
    cr_assert_eq(open_fd_count(), fds);
}

/* The asynchronous backend knows when a message it formats from a literal
 * format is printable ASCII and lets the formatter skip its scan: every
 * other message must still come out escaped, whatever brought the bytes in
 * (an argument, the format itself, a conversion printf makes). Each line
 * twice: once when the backend plans the format, once from the plan. */
Test(injection_async, messages_from_literal_formats)
{
    static const char want[] = "user bob\\nCRITICAL:root in\n"
                               "two\\nlines 7\n"
                               "esc \\x1b[31mred\n"
                               "tab\t1\n"
                               "char \\n!\n"
                               "padded    \\r|\n"
                               "bad \\xff\n"
                               "null (null)\n"
                               "\xc3\xa9t\xc3\xa9 1\n"
                               "plain 42 127.0.0.1 12.345\n";
    char all[2 * sizeof(want)];
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "app.log", NULL, 0), 0);
    use_format(h, "%(message)s");
    lg = logger_with("t", h);
    cr_assert_eq(lt_async_start(NULL), 0);
    for (int i = 0; i < 2; i++) {
        LT_INFO(lg, "user %s in", "bob\nCRITICAL:root");
        LT_INFO(lg, "two\nlines %d", 7);
        LT_INFO(lg, "esc %s", "\x1b[31mred");
        LT_INFO(lg, "tab\t%d", 1);
        LT_INFO(lg, "char %c!", '\n');
        LT_INFO(lg, "padded %4s|", "\r");
        LT_INFO(lg, "bad %s", "\xff");
        LT_INFO(lg, "null %s", (const char *)NULL);
        LT_INFO(lg, "\xc3\xa9t\xc3\xa9 %d", 1);
        LT_INFO(lg, "plain %d %s %.3f", 42, "127.0.0.1", 12.345);
    }
    cr_assert_eq(lt_flush(), 0);
    snprintf(all, sizeof(all), "%s%s", want, want);
    assert_file("app.log", all, strlen(all));
    lt_shutdown();
    lt_handler_unref(h);
}

Test(injection_handlers, rotating_escapes_by_default_in_every_file)
{
    lt_handler *h;
    size_t len;
    char all[4096] = "";

    enter_temp_dir();
    /* 100 bytes: each record rolls over (the first one an empty file, as
     * Python does), so the three lines end up in three files */
    cr_assert_eq(lt_rotating_file_handler_new(&h, "app.log", "a", 100, 5, 0), 0);
    cr_assert_eq(lt_handler_escape(h), LT_ESCAPE_CONTROLS);
    use_format(h, FMT);
    log_hostile(logger_with("t", h));
    lt_handler_unref(h);
    /* oldest first; each file, read alone, holds whole clean lines */
    for (int i = 5, at = 0; i >= 0; i--) {
        char name[32];
        const char *data;
        int n = 0;

        snprintf(name, sizeof(name), i ? "app.log.%d" : "app.log", i);
        if (access(name, F_OK) != 0)
            continue;
        data = read_all(name, &len);
        strcat(all, data);
        for (const char *p = data; (p = strchr(p, '\n')); p++)
            n++;
        if (n > 0)
            read_back("plain", name, NULL, n, &lines_read[at], (size_t)n);
        at += n;
    }
    cr_assert_str_eq(all, lines_escaped);
    cr_assert(access("app.log.2", F_OK) == 0, "the records were spread over files");
}

Test(injection_handlers, timed_rotating_escapes_by_default)
{
    lt_handler *h;

    enter_temp_dir();
    cr_assert_eq(lt_timed_rotating_file_handler_new(&h, "app.log", "midnight", 1, 3, 0), 0);
    check_escaped(h, "app.log");
    lt_handler_unref(h);
}

Test(injection_handlers, watched_escapes_by_default)
{
    lt_handler *h;

    enter_temp_dir();
    cr_assert_eq(lt_watched_file_handler_new(&h, "app.log", "a", 0), 0);
    check_escaped(h, "app.log");
    lt_handler_unref(h);
}

/* A StreamHandler keeps Python's behaviour unless asked: a multi-line
 * message stays multi-line on a terminal. */
Test(injection_handlers, stream_keeps_python_behaviour_unless_asked)
{
    lt_handler *h;
    FILE *fp;

    enter_temp_dir();
    fp = fopen("raw.log", "w");
    cr_assert_eq(lt_stream_handler_new(&h, fp), 0);
    cr_assert_eq(lt_handler_escape(h), LT_ESCAPE_NONE);
    use_format(h, FMT);
    log_hostile(logger_with("raw", h));
    assert_file("raw.log", lines_raw, sizeof(lines_raw) - 1);
    lt_logger_clear_handlers(lt_get_logger("raw"));
    lt_handler_unref(h);
    fclose(fp);

    fp = fopen("escaped.log", "w");
    cr_assert_eq(lt_stream_handler_new(&h, fp), 0);
    cr_assert_eq(lt_handler_set_escape(h, LT_ESCAPE_CONTROLS), 0);
    check_escaped(h, "escaped.log");
    lt_handler_unref(h);
    fclose(fp);
}

Test(injection_handlers, fd_handler_as_asked)
{
    lt_handler *h;
    int fd;

    enter_temp_dir();
    fd = open("fd.log", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert_eq(lt_fd_handler_new(&h, fd), 0);
    cr_assert_eq(lt_handler_escape(h), LT_ESCAPE_NONE);
    cr_assert_eq(lt_handler_set_escape(h, LT_ESCAPE_CONTROLS), 0);
    check_escaped(h, "fd.log");
    lt_handler_unref(h);
    close(fd);
}

/* Python's behaviour on a file, when the user asks for it. */
Test(injection_handlers, file_keeps_raw_bytes_when_asked)
{
    lt_handler *h;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "app.log", NULL, 0), 0);
    cr_assert_eq(lt_handler_set_escape(h, LT_ESCAPE_NONE), 0);
    use_format(h, FMT);
    log_hostile(logger_with("t", h));
    assert_file("app.log", lines_raw, sizeof(lines_raw) - 1);
    cr_assert_eq(lt_handler_set_escape(h, LT_ESCAPE_DEFAULT), 0);
    cr_assert_eq(lt_handler_escape(h), LT_ESCAPE_CONTROLS, "DEFAULT is the kind's choice again");
    cr_assert_eq(lt_handler_set_escape(h, (lt_escape)7), LT_EINVAL);
    cr_assert_eq(lt_handler_set_escape(NULL, LT_ESCAPE_NONE), LT_EINVAL);
    lt_handler_unref(h);
}

/* ---- the scan: one byte to escape anywhere in a text of any length ---- */

/* The scan goes by blocks of 16 and 8 bytes and checks a short tail as the
 * block that ends the text: every length around those sizes, the byte at
 * every place, each kind of byte that must come out escaped. */
Test(injection_scan, one_byte_anywhere_in_texts_of_every_length)
{
    static const struct {
        char byte;
        const char *escaped;
    } cases[] = {{'\n', "\\n"}, {'\x1b', "\\x1b"}, {'\x7f', "\\x7f"}, {'\x80', "\\x80"}};
    lt_buf *b;

    cr_assert_eq(lt_buf_new(&b), 0);
    lt_buf_set_escape(b, LT_ESCAPE_CONTROLS);
    for (size_t len = 1; len <= 40; len++) {
        char text[41], want[48];

        memset(text, 'a', len);
        lt_buf_truncate(b, 0);
        lt_buf_append(b, text, len);
        lt_buf_escape_from(b, 0);
        cr_assert_eq(lt_buf_len(b), len, "a plain text of %zu bytes changed", len);
        for (size_t at = 0; at < len; at++) {
            for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
                text[at] = cases[c].byte;
                snprintf(want, sizeof(want), "%.*s%s%.*s", (int)at, text, cases[c].escaped,
                         (int)(len - at - 1), text + at + 1);
                lt_buf_truncate(b, 0);
                lt_buf_puts(b, "<>");
                lt_buf_append(b, text, len);
                lt_buf_escape_from(b, 2);
                cr_assert_str_eq(lt_buf_data(b) + 2, want, "length %zu, byte %zu", len, at);
                text[at] = 'a';
            }
        }
    }
    lt_buf_free(b);
}

/* ---- the percent formatter: record text escaped, format text never ---- */

Test(injection_percent, format_text_is_the_users_record_text_is_escaped)
{
    lt_handler *h;
    lt_logger *lg;
    static const char want[] = "[svc\\x1b]0;pwned\\x07] one\\ntwo\n"
                               "  > WARNING x\\ry \\x1b[2J\n";

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "app.log", NULL, 0), 0);
    /* a newline and a tab of the user's own in the format stay */
    use_format(h, "[%(name)s] %(message)s\n  > %(levelname)s %(user)s");
    lg = logger_with("svc\x1b]0;pwned\x07", h);
    LT_WARNING(lg, "%s", "one\ntwo", LT_F("user", "x\ry \x1b[2J"));
    assert_file("app.log", want, sizeof(want) - 1);
    lt_handler_unref(h);
}

/* Every spelling of a field: {-style with a spec, $-style, %-style with a
 * width (counted before escaping), the errno text, the default formatter. */
Test(injection_percent, every_style_and_the_default_formatter)
{
    lt_handler *h;
    lt_formatter *f;
    lt_percent_options brace = {.format = "{message!s:>6}|{user}", .style = '{'};
    lt_percent_options dollar = {.format = "${message}|$user", .style = '$'};
    lt_logger *lg;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "app.log", NULL, 0), 0);
    lg = logger_with("t", h);
    errno = ENOENT;
    LT_ERRNO(lg, LT_LEVEL_ERROR, "a\nb");
    cr_assert_eq(lt_percent_formatter_new(&f, &brace, NULL), 0);
    lt_handler_set_formatter(h, f);
    lt_formatter_unref(f);
    LT_INFO(lg, "\x1b", LT_F("user", "\r"));
    cr_assert_eq(lt_percent_formatter_new(&f, &dollar, NULL), 0);
    lt_handler_set_formatter(h, f);
    lt_formatter_unref(f);
    LT_INFO(lg, "\n", LT_F("user", "\x7f"));
    use_format(h, "%(message)-4s|%(user)r");
    LT_INFO(lg, "\n", LT_F("user", "\n"));
    {
        static const char want[] = "a\\nb: Success\n"
                                   "     \\x1b|\\r\n"
                                   "\\n|\\x7f\n"
                                   "\\n   |'\\n'\n";
        size_t len;
        const char *got = read_all("app.log", &len);

        /* strerror(0) is the C library's; only its line matters here */
        cr_assert(strchr(got, '\n') && memcmp(got, "a\\nb: ", 6) == 0, "%s", got);
        got = strchr(got, '\n') + 1;
        cr_assert_str_eq(got, strchr(want, '\n') + 1);
    }
    lt_handler_unref(h);
}

/* ---- the structured formatters: escaped by their own specs ---- */

static void use_formatter(lt_handler *h, lt_formatter *f)
{
    lt_handler_set_formatter(h, f);
    lt_formatter_unref(f);
}

Test(injection_structured, json_reads_back_the_valid_utf8_form)
{
    lt_json_options o = {.attributes = "message"};
    const struct want want[] = {{json_back, JSON_BACK_LEN}, WANT("user"),
                                {json_back, JSON_BACK_LEN}, WANT(forged), WANT("x")};
    lt_handler *h;
    lt_formatter *f;
    lt_logger *lg;
    size_t len;
    char copy[8192];

    enter_temp_dir();
    for (int policy = 0; policy < 2; policy++) {
        const char *path = policy ? "none.jsonl" : "escape.jsonl";

        cr_assert_eq(lt_file_handler_new(&h, path, NULL, 0), 0);
        if (policy)
            lt_handler_set_escape(h, LT_ESCAPE_NONE);
        cr_assert_eq(lt_json_formatter_new(&f, &o, NULL), 0);
        use_formatter(h, f);
        lg = logger_with(path, h);
        lt_log_text_at(lg, LT_LEVEL_INFO, NULL, hostile, HOSTILE_LEN);
        LT_INFO(lg, "user", LT_F("user", LT_STR(hostile, HOSTILE_LEN)));
        LT_INFO(lg, "%s", forged, LT_F("user", "x"));
        lt_handler_unref(h);
    }
    /* RFC 8259's escaping, whatever the handler's setting */
    {
        const char *data = read_all("escape.jsonl", &len);

        memcpy(copy, data, len);
    }
    assert_file("none.jsonl", copy, len);
    read_back("json", "escape.jsonl", "message user", 3, want, 5);
}

/* The npm parser reads each line of app.logfmt (strict UTF-8) and prints
 * its keys and the value of "after": values that tried to forge a key or a
 * line must leave exactly the keys logged. */
static const char logfmt_reader[] =
    "const fs = require('fs'), logfmt = require('logfmt');\n"
    "const text = new TextDecoder('utf-8', {fatal: true}).decode(fs.readFileSync('app.logfmt'));\n"
    "const lines = text.split('\\n');\n"
    "if (lines.pop() !== '') process.exit(3);\n"
    "for (const l of lines) { const o = logfmt.parse(l);\n"
    "  console.log(Object.keys(o).join(',') + ' after=' + o.after); }\n";

Test(injection_structured, logfmt_values_forge_no_key_or_line)
{
    lt_logfmt_options o = {.attributes = "message"};
    const char *dir;
    lt_handler *h;
    lt_formatter *f;
    lt_logger *lg;
    char cmd[1400], line[256];
    FILE *p;
    int n = 0;

    if (system("command -v node >/dev/null 2>&1") != 0)
        parser_missing("node");
    if (!(dir = parsers_dir()))
        parser_missing("the npm package logfmt");
    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "app.logfmt", NULL, 0), 0);
    cr_assert_eq(lt_logfmt_formatter_new(&f, &o, NULL), 0);
    use_formatter(h, f);
    lg = logger_with("t", h);
    LT_INFO(lg, "m", LT_F("user", LT_STR(hostile, HOSTILE_LEN)), LT_F("after", 1));
    LT_INFO(lg, "%s", "x\" admin=true\nlevel=error", LT_F("user", "y admin=true"),
            LT_F("after", 2));
    LT_INFO(lg, "m", LT_F("user", "\\\" admin=true \\"), LT_F("after", 3));
    lt_handler_unref(h);
    {
        FILE *js = fopen("read.js", "w");

        fputs(logfmt_reader, js);
        fclose(js);
    }
    snprintf(cmd, sizeof(cmd), "NODE_PATH='%s/node_modules' node read.js", dir);
    p = popen(cmd, "r");
    while (fgets(line, sizeof(line), p)) {
        char want[64];

        snprintf(want, sizeof(want), "msg,user,after after=%d\n", ++n);
        cr_assert_str_eq(line, want, "line %d", n);
    }
    cr_assert_eq(pclose(p), 0, "the logfmt parser refused the file");
    cr_assert_eq(n, 3);
}

/* Apache's escaping is reversible: the reader gets back every byte. */
Test(injection_structured, access_log_reads_back_every_byte)
{
    lt_access_options o = {.format = "%h \"%r\" %>s \"%{User-Agent}i\""};
    static const char quoted[] = "GET /\" 200 \"x\" HTTP/1.1";
    const struct want want[] = {WANT(quoted), {hostile, HOSTILE_LEN}, WANT(forged), WANT("-")};
    lt_handler *h;
    lt_formatter *f;
    lt_logger *lg;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new(&h, "access.log", NULL, 0), 0);
    cr_assert_eq(lt_access_formatter_new(&f, &o, NULL), 0);
    use_formatter(h, f);
    lg = logger_with("t", h);
    LT_INFO(lg, "req", LT_F("remote_addr", "192.0.2.1"), LT_F("request", quoted),
            LT_F("status", 200), LT_F("user_agent", LT_STR(hostile, HOSTILE_LEN)));
    LT_INFO(lg, "req", LT_F("remote_addr", "192.0.2.1"), LT_F("request", forged),
            LT_F("status", 404), LT_F("user_agent", "-"));
    lt_handler_unref(h);
    read_back("access", "access.log", NULL, 2, want, 4);
}

/* ---- syslog: RFC 5424 through a real socket ---- */

/* A receive that waits at most 10 s: a test fails rather than hangs. */
static void no_hang(int fd)
{
    struct timeval tv = {10, 0};

    cr_assert_eq(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
}

static int udp_receiver(int *port)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    *port = ntohs(a.sin_port);
    no_hang(fd);
    return fd;
}

/* One datagram per record, none holding a raw CR, LF or NUL; written to
 * @path one per line for the RFC 5424 reader. */
static void receive_datagrams(int fd, int count, const char *path)
{
    FILE *out = fopen(path, "wb");
    char buf[8192];

    for (int i = 0; i < count; i++) {
        ssize_t n = recv(fd, buf, sizeof(buf), 0);

        cr_assert_gt(n, 0);
        cr_assert_null(memchr(buf, '\n', (size_t)n), "a raw LF in %.*s", (int)n, buf);
        cr_assert_null(memchr(buf, '\r', (size_t)n), "a raw CR in %.*s", (int)n, buf);
        cr_assert_null(memchr(buf, '\0', (size_t)n), "a raw NUL in %.*s", (int)n, buf);
        fwrite(buf, 1, (size_t)n, out);
        fputc('\n', out);
    }
    fclose(out);
}

Test(injection_syslog, rfc5424_message_and_structured_data)
{
    lt_syslog_options o = {.host = "127.0.0.1", .format = LT_SYSLOG_FORMAT_RFC5424};
    /* RFC 5424's three escapes in a value, and an attempt to close the
     * element and open another */
    static const char sd_attack[] = "x\"] [evil@1 admin=\"true\" \\";
    const struct want want[] = {{escaped, sizeof(escaped) - 1}, WANT("m"),
                                {escaped, sizeof(escaped) - 1}, WANT(sd_attack),
                                WANT(forged_escaped)};
    lt_handler *h;
    lt_logger *lg;
    int fd, port;

    enter_temp_dir();
    fd = udp_receiver(&port);
    o.port = port;
    cr_assert_eq(lt_syslog_handler_new(&h, &o), 0);
    cr_assert_eq(lt_handler_escape(h), LT_ESCAPE_CONTROLS);
    lg = logger_with("t", h);
    lt_log_text_at(lg, LT_LEVEL_WARNING, NULL, hostile, HOSTILE_LEN);
    LT_INFO(lg, "m", LT_F("user", LT_STR(hostile, HOSTILE_LEN)), LT_F("q", sd_attack));
    LT_ERROR(lg, "%s", forged);
    receive_datagrams(fd, 3, "syslog.txt");
    read_back("rfc5424", "syslog.txt", NULL, 3, want, 5);
    lt_handler_unref(h);
    close(fd);
}

/* TCP with octet counting (RFC 6587): each frame's count is its length and
 * no frame holds a raw line break. */
Test(injection_syslog, tcp_frames_hold_no_line_break)
{
    lt_syslog_options o = {.host = "127.0.0.1",
                           .socktype = SOCK_STREAM,
                           .format = LT_SYSLOG_FORMAT_RFC3164};
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t alen = sizeof(a);
    int srv = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), conn;
    char buf[16384];
    size_t have = 0, at = 0;
    lt_handler *h;
    lt_logger *lg;
    int frames = 0;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    cr_assert_eq(bind(srv, (struct sockaddr *)&a, sizeof(a)), 0);
    cr_assert_eq(listen(srv, 1), 0);
    cr_assert_eq(getsockname(srv, (struct sockaddr *)&a, &alen), 0);
    o.port = ntohs(a.sin_port);
    cr_assert_eq(lt_syslog_handler_new(&h, &o), 0);
    lg = logger_with("t", h);
    log_hostile(lg);
    conn = accept(srv, NULL, NULL);
    cr_assert_geq(conn, 0);
    lt_logger_clear_handlers(lt_get_logger("t"));
    lt_handler_unref(h); /* closes the connection after the last frame */
    no_hang(conn);
    for (ssize_t n; (n = recv(conn, buf + have, sizeof(buf) - have, 0)) > 0;)
        have += (size_t)n;
    while (at < have) {
        char *sp = memchr(buf + at, ' ', have - at);
        size_t count = strtoul(buf + at, NULL, 10);

        cr_assert_not_null(sp);
        at = (size_t)(sp - buf) + 1;
        cr_assert_leq(at + count, have, "frame %d: count %zu past the end", frames, count);
        cr_assert_null(memchr(buf + at, '\n', count), "frame %d holds a raw LF", frames);
        cr_assert_null(memchr(buf + at, '\r', count), "frame %d holds a raw CR", frames);
        cr_assert_null(memchr(buf + at, '\x1b', count), "frame %d holds a raw ESC", frames);
        at += count;
        frames++;
    }
    cr_assert_eq(frames, 3);
    close(conn);
    close(srv);
}

/* ---- configuration ---- */

Test(injection_config, ini_kwargs_choose_the_policy)
{
    static const char ini[] = "[loggers]\nkeys=root\n"
                              "[handlers]\nkeys=raw,safe\n"
                              "[formatters]\nkeys=\n"
                              "[logger_root]\nlevel=DEBUG\nhandlers=raw,safe\n"
                              "[handler_raw]\nclass=FileHandler\nargs=('raw.log',)\n"
                              "kwargs={'escape': 'none'}\n"
                              "[handler_safe]\nclass=StreamHandler\n"
                              "args=(sys.stdout,)\nkwargs={'escape': 'controls'}\n";
    lt_error err;
    FILE *saved;
    int keep = dup(1); /* stdout is given back: the test leaves no descriptor changed */

    enter_temp_dir();
    fflush(stdout);
    saved = freopen("safe.log", "w", stdout);
    cr_assert_not_null(saved);
    cr_assert_eq(lt_config_string(ini, sizeof(ini) - 1, "t.ini", 0, &err), 0, "%s", err.message);
    LT_INFO(lt_get_logger("x"), "%s", forged);
    lt_shutdown();
    fflush(stdout);
    dup2(keep, 1);
    close(keep);
    assert_file("raw.log", "login bob\nCRITICAL:auth:root logged in\n", sizeof(forged));
    assert_file("safe.log", "login bob\\nCRITICAL:auth:root logged in\n",
                sizeof(forged_escaped));
}

Test(injection_config, json_key_chooses_the_policy)
{
    static const char json[] =
        "{\"version\": 1,\n"
        " \"handlers\": {\"raw\": {\"class\": \"logging.FileHandler\", \"filename\": \"raw.log\",\n"
        "                        \"escape\": \"none\"},\n"
        "              \"safe\": {\"class\": \"logging.FileHandler\", \"filename\": \"safe.log\"}},\n"
        " \"root\": {\"level\": \"DEBUG\", \"handlers\": [\"raw\", \"safe\"]}}\n";
    lt_error err;

    enter_temp_dir();
    cr_assert_eq(lt_config_string(json, sizeof(json) - 1, "t.json", 0, &err), 0, "%s",
                 err.message);
    LT_INFO(lt_get_logger("x"), "%s", forged);
    lt_shutdown();
    assert_file("raw.log", "login bob\nCRITICAL:auth:root logged in\n", sizeof(forged));
    assert_file("safe.log", "login bob\\nCRITICAL:auth:root logged in\n",
                sizeof(forged_escaped));
}

Test(injection_config, unknown_policy_is_refused_where_it_is)
{
    static const char ini[] = "[loggers]\nkeys=root\n"
                              "[handlers]\nkeys=f\n"
                              "[formatters]\nkeys=\n"
                              "[logger_root]\nhandlers=f\n"
                              "[handler_f]\nclass=FileHandler\nargs=('f.log',)\n"
                              "kwargs={'escape': 'some'}\n";
    static const char json[] =
        "{\"version\": 1, \"handlers\": {\"m\": {\"class\": \"logging.handlers.MemoryHandler\",\n"
        "  \"capacity\": 1, \"escape\": \"none\"}}}\n";
    lt_error err;

    enter_temp_dir();
    cr_assert_eq(lt_config_string(ini, sizeof(ini) - 1, "t.ini", 0, &err), LT_ECONFIG);
    cr_assert_eq(err.line, 12, "%d: %s", err.line, err.message);
    cr_assert(strstr(err.message, "escape 'some'"), "%s", err.message);
    cr_assert_neq(access("f.log", F_OK), 0, "nothing was opened");
    /* a memory handler formats nothing: no escape to choose */
    cr_assert_eq(lt_config_string(json, sizeof(json) - 1, "t.json", 0, &err), LT_ECONFIG);
    cr_assert(strstr(err.message, "unexpected keyword argument 'escape'"), "%s", err.message);
    cr_assert_eq(err.line, 2);
}
