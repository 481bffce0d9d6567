/* tests/test_ini.c - the configparser dialect of src/ini.c.
 *
 * Expected values marked "Python:" were printed by Python 3.11.7's
 * configparser.ConfigParser reading the same text the way fileConfig() opens
 * a file (UTF-8, universal newlines), not by this code. The last test replays
 * tests/data/ini_oracle.c (linked with this file by tests/CMakeLists.txt): the oracle's
 * config.ini files and random texts, each with Python's reading of it. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"
#include "internal.h"

bool lt_test_ini_case(size_t i, const char **name, const char **text, const char **dump);

static lt__ini *parse_ok(const char *text)
{
    lt__ini *ini = NULL;
    lt_error err = {0};
    int rc = lt__ini_parse(text, strlen(text), "t.ini", &ini, &err);

    cr_assert_eq(rc, 0, "%s at line %d: %s", lt_err_name(rc), err.line, err.message);
    cr_assert_not_null(ini);
    return ini;
}

/* @key of @section, interpolated (or @raw), must be @want. */
static void expect_value(lt__ini *ini, const char *section, const char *key, bool raw,
                         const char *want)
{
    const char *got = NULL;
    lt_error err = {0};
    int rc = lt__ini_get(ini, section, key, raw, &got, &err);

    cr_expect_eq(rc, 1, "[%s] %s: %s %s", section, key, lt_err_name(rc), err.message);
    if (rc == 1)
        cr_expect_str_eq(got, want, "[%s] %s", section, key);
}

#define EXPECT(ini, section, key, want)     expect_value(ini, section, key, false, want)
#define EXPECT_RAW(ini, section, key, want) expect_value(ini, section, key, true, want)

static void expect_absent(lt__ini *ini, const char *section, const char *key)
{
    const char *got = "untouched";

    cr_expect_eq(lt__ini_get(ini, section, key, false, &got, NULL), 0, "[%s] %s", section, key);
    cr_expect_null(got, "[%s] %s", section, key);
}

static void expect_parse_error(const char *text, int code, int line, int column, const char *msg)
{
    lt__ini *ini = (lt__ini *)(uintptr_t)1;
    lt_error err = {0};
    int rc = lt__ini_parse(text, strlen(text), "app.ini", &ini, &err);

    cr_expect_eq(rc, code, "got %s (%s)", lt_err_name(rc), err.message);
    cr_expect_eq(err.code, rc);
    cr_expect_null(ini);
    cr_expect_str_eq(err.file, "app.ini");
    cr_expect_eq(err.line, line, "line %d: %s", err.line, err.message);
    cr_expect_eq(err.column, column, "column %d: %s", err.column, err.message);
    cr_expect_not_null(strstr(err.message, msg), "message '%s' lacks '%s'", err.message, msg);
}

/* @key of @section must fail to interpolate with @code, at @line. */
static void expect_interp_error(lt__ini *ini, const char *section, const char *key, int code,
                                int line, const char *msg)
{
    const char *got = "untouched";
    lt_error err = {0};
    int rc = lt__ini_get(ini, section, key, false, &got, &err);

    cr_expect_eq(rc, code, "[%s] %s: got %s (%s)", section, key, lt_err_name(rc), err.message);
    cr_expect_eq(err.code, rc);
    cr_expect_null(got);
    cr_expect_str_eq(err.file, "t.ini");
    cr_expect_eq(err.line, line, "[%s] %s: line %d", section, key, err.line);
    cr_expect_not_null(strstr(err.message, msg), "message '%s' lacks '%s'", err.message, msg);
}

/* ---- reading ------------------------------------------------------------- */

Test(ini, sections_and_keys)
{
    lt__ini *ini = parse_ok("[loggers]\nkeys=root\n\n[logger_root]\nlevel=DEBUG\nhandlers=\n");

    cr_expect(lt__ini_has_section(ini, "loggers"));
    cr_expect(lt__ini_has_section(ini, "logger_root"));
    cr_expect_not(lt__ini_has_section(ini, "handlers"));
    EXPECT(ini, "loggers", "keys", "root");
    EXPECT(ini, "logger_root", "level", "DEBUG");
    EXPECT(ini, "logger_root", "handlers", "");
    lt__ini_free(ini);
}

/* Python: optionxform() lower-cases keys; LEVEL and Handlers read as level, handlers. */
Test(ini, keys_are_case_insensitive)
{
    lt__ini *ini = parse_ok("[a]\nLEVEL = DEBUG\nHandlers=x\n");

    EXPECT(ini, "a", "level", "DEBUG");
    EXPECT(ini, "a", "LEVEL", "DEBUG");
    EXPECT(ini, "a", "hAnDlErS", "x");
    lt__ini_free(ini);
}

/* Python: [a] and [A] are two sections. */
Test(ini, section_names_are_case_sensitive)
{
    lt__ini *ini = parse_ok("[a]\nk=v\n[A]\nk=w\n");

    EXPECT(ini, "a", "k", "v");
    EXPECT(ini, "A", "k", "w");
    cr_expect_not(lt__ini_has_section(ini, "Loggers"));
    lt__ini_free(ini);
}

/* Python: k='v', format='a=b : c', j='v:w=x'. */
Test(ini, first_delimiter_splits_and_values_are_stripped)
{
    lt__ini *ini = parse_ok("[a]\nk \t=\t v \t\nformat: a=b : c\nj=v:w=x\n");

    EXPECT(ini, "a", "k", "v");
    EXPECT(ini, "a", "format", "a=b : c");
    EXPECT(ini, "a", "j", "v:w=x");
    lt__ini_free(ini);
}

/* Python: no inline comments: k='v ; not a comment', j='# not either'. */
Test(ini, no_inline_comments)
{
    lt__ini *ini = parse_ok("[a]\nk=v ; not a comment\nj=# not either\n");

    EXPECT(ini, "a", "k", "v ; not a comment");
    EXPECT(ini, "a", "j", "# not either");
    lt__ini_free(ini);
}

/* Python: '#' and ';' lines, indented or not, before or in sections, are ignored. */
Test(ini, whole_line_comments)
{
    lt__ini *ini = parse_ok("# c\n; c\n\n   # indented\n[a]\n  ; c\nk=1\n");

    EXPECT(ini, "a", "k", "1");
    cr_expect_eq(lt__ini_line(ini, "a", "k"), 7);
    lt__ini_free(ini);
}

/* Python strips what str.isspace() calls space: k=NBSP v U+3000 reads 'v'. */
Test(ini, unicode_whitespace_is_stripped)
{
    lt__ini *ini = parse_ok("[a]\nk=\xc2\xa0v\xe3\x80\x80\n");

    EXPECT(ini, "a", "k", "v");
    lt__ini_free(ini);
}

/* Python: k='1\n\nmore\ncont' (inner empty line kept, comment line and trailing empty
 * lines dropped), j='2'. */
Test(ini, continuation_lines)
{
    lt__ini *ini = parse_ok("[a]\nk=1\n\n   more\n  # comment\n  cont\n\n\nj=2\n");

    EXPECT(ini, "a", "k", "1\n\nmore\ncont");
    EXPECT(ini, "a", "j", "2");
    cr_expect_eq(lt__ini_line(ini, "a", "j"), 9);
    lt__ini_free(ini);
}

/* Python: an empty first line stays: j='\nx'. */
Test(ini, continuation_after_empty_value)
{
    lt__ini *ini = parse_ok("[a]\nj=\n  x\n");

    EXPECT(ini, "a", "j", "\nx");
    lt__ini_free(ini);
}

/* Python: an indented "[b]" continues the value: k='1\n[b]', and there is no [b]. */
Test(ini, continuation_wins_over_header)
{
    lt__ini *ini = parse_ok("[a]\nk=1\n  [b]\nj=2\n");

    EXPECT(ini, "a", "k", "1\n[b]");
    EXPECT(ini, "a", "j", "2");
    cr_expect_not(lt__ini_has_section(ini, "b"));
    lt__ini_free(ini);
}

/* Python compares indents in characters: after a key indented by one NBSP (2 bytes),
 * two NBSPs and two spaces are both deeper: k='v\nmore\nk2 = 1'. */
Test(ini, indentation_counts_characters)
{
    lt__ini *ini = parse_ok("[a]\n\xc2\xa0k=v\n\xc2\xa0\xc2\xa0more\n  k2 = 1\n");

    EXPECT(ini, "a", "k", "v\nmore\nk2 = 1");
    expect_absent(ini, "a", "k2");
    lt__ini_free(ini);
}

/* Python (universal newlines): "\r\n", "\r" and "\n" all end lines:
 * k='1\ntwo\n\nthree', j='2'. */
Test(ini, crlf_and_cr_line_ends)
{
    const char text[] = "[a]\r\nk=1\r  two\r\n\r\n  three\rj=2";
    lt__ini *ini = parse_ok(text);

    EXPECT(ini, "a", "k", "1\ntwo\n\nthree");
    EXPECT(ini, "a", "j", "2");
    cr_expect_eq(lt__ini_line(ini, "a", "j"), 6);
    lt__ini_free(ini);
}

/* Python: the name runs to the last ']', the rest is ignored: [e]]] is 'e]]',
 * "[a] ; c" is 'a', "[ d ]x" is ' d '. */
Test(ini, section_header_forms)
{
    lt__ini *ini = parse_ok("[e]]]\n[a] ; c\n[ d ]x\n");

    cr_expect(lt__ini_has_section(ini, "e]]"));
    cr_expect(lt__ini_has_section(ini, "a"));
    cr_expect(lt__ini_has_section(ini, " d "));
    cr_expect_eq(lt__ini_line(ini, " d ", NULL), 3);
    lt__ini_free(ini);
}

Test(ini, empty_text)
{
    lt__ini *ini = parse_ok("");

    cr_expect_not(lt__ini_has_section(ini, "loggers"));
    expect_absent(ini, "DEFAULT", "keys");
    lt__ini_free(ini);
}

/* Bytes that are not UTF-8 whitespace pass through untouched. */
Test(ini, non_ascii_values_pass_through)
{
    lt__ini *ini = parse_ok("[formatter_f]\nformat=\xc3\xa9 %(message)s \xf0\x9f\x98\x80\n");

    EXPECT_RAW(ini, "formatter_f", "format", "\xc3\xa9 %(message)s \xf0\x9f\x98\x80");
    lt__ini_free(ini);
}

/* ---- [DEFAULT] ----------------------------------------------------------- */

/* Python: [a] has x='2' (its own) and level='INFO'; [b] has level and x='1'. */
Test(ini, default_keys_in_every_section)
{
    lt__ini *ini = parse_ok("[DEFAULT]\nlevel=INFO\nx=1\n[a]\nx=2\n[b]\n");

    EXPECT(ini, "a", "x", "2");
    EXPECT(ini, "a", "level", "INFO");
    EXPECT(ini, "b", "level", "INFO");
    EXPECT(ini, "b", "x", "1");
    EXPECT(ini, "DEFAULT", "x", "1");
    expect_absent(ini, "nosuch", "level");
    lt__ini_free(ini);
}

/* Python: has_section('DEFAULT') is False even with a [DEFAULT] section. */
Test(ini, default_is_not_a_section)
{
    lt__ini *ini = parse_ok("[DEFAULT]\nx=1\n[a]\n");

    cr_expect_not(lt__ini_has_section(ini, "DEFAULT"));
    cr_expect_eq(lt__ini_line(ini, "DEFAULT", NULL), 1);
    lt__ini_free(ini);
}

/* Python: [DEFAULT] may come back (both x and y are defaults); [default] is a plain
 * section. */
Test(ini, default_may_repeat)
{
    lt__ini *ini = parse_ok("[DEFAULT]\nx=1\n[a]\n[DEFAULT]\ny=2\n[default]\nz=3\n");

    EXPECT(ini, "a", "x", "1");
    EXPECT(ini, "a", "y", "2");
    expect_absent(ini, "a", "z");
    cr_expect(lt__ini_has_section(ini, "default"));
    lt__ini_free(ini);
}

Test(ini, absent_sections_and_keys)
{
    lt__ini *ini = parse_ok("[a]\nk=v\n");

    expect_absent(ini, "b", "k");
    expect_absent(ini, "a", "j");
    expect_absent(ini, "A", "k");
    cr_expect_eq(lt__ini_line(ini, "a", "j"), 0);
    cr_expect_eq(lt__ini_line(ini, "b", NULL), 0);
    lt__ini_free(ini);
}

Test(ini, lines_of_sections_and_keys)
{
    lt__ini *ini = parse_ok("# top\n[DEFAULT]\nlevel=INFO\n\n[handler_x]\nclass=FileHandler\n"
                            "args=('a.log',\n  'w')\nLevel2=1\n");

    cr_expect_eq(lt__ini_line(ini, "handler_x", NULL), 5);
    cr_expect_eq(lt__ini_line(ini, "handler_x", "class"), 6);
    cr_expect_eq(lt__ini_line(ini, "handler_x", "args"), 7, "the line of the key, not the last");
    cr_expect_eq(lt__ini_line(ini, "handler_x", "LEVEL2"), 9);
    cr_expect_eq(lt__ini_line(ini, "handler_x", "level"), 3, "inherited: its [DEFAULT] line");
    cr_expect_eq(lt__ini_line(ini, "DEFAULT", "level"), 3);
    lt__ini_free(ini);
}

struct visit {
    char log[512];
};

static int visit(const char *section, const char *key, const char *raw, int line, void *ud)
{
    struct visit *v = ud;
    size_t n = strlen(v->log);

    snprintf(v->log + n, sizeof(v->log) - n, "%s:%s=%s@%d;", section, key ? key : "-",
             raw ? raw : "-", line);
    return 0;
}

static int stop_at_b(const char *section, const char *key, const char *raw, int line, void *ud)
{
    (void)key;
    (void)raw;
    (void)line;
    (void)ud;
    return strcmp(section, "b") == 0 ? 42 : 0;
}

Test(ini, foreach_in_file_order)
{
    lt__ini *ini = parse_ok("[b]\nK=1\n[DEFAULT]\nd=x\n[a]\nk=2\nj=3\n");
    struct visit v = {""};

    cr_expect_eq(lt__ini_foreach(ini, visit, &v), 0);
    cr_expect_str_eq(v.log, "DEFAULT:d=x@4;b:-=-@1;b:k=1@2;a:-=-@5;a:k=2@6;a:j=3@7;");
    cr_expect_eq(lt__ini_foreach(ini, stop_at_b, NULL), 42);
    lt__ini_free(ini);
}

/* ---- parse errors -------------------------------------------------------- */

/* Python: MissingSectionHeaderError at line 1 (comments and blank lines may come first). */
Test(ini, error_missing_section_header)
{
    expect_parse_error("k=v\n[a]\n", LT_ESYNTAX, 1, 1, "before the first [section] header");
    expect_parse_error("# c\n\n  level=INFO\n[a]\n", LT_ESYNTAX, 3, 3, "before the first");
    expect_parse_error("[a\n", LT_ESYNTAX, 1, 1, "before the first");
}

/* Python: a UTF-8 byte order mark is not whitespace, so "\ufeff[a]" is no header. */
Test(ini, error_byte_order_mark)
{
    expect_parse_error("\xef\xbb\xbf[a]\nk=v\n", LT_ESYNTAX, 1, 1, "before the first");
}

/* Python: ParsingError for the line without a delimiter, and for "[]". */
Test(ini, error_no_delimiter)
{
    expect_parse_error("[a]\nk=v\n  x\nnodelim\n", LT_ESYNTAX, 4, 1, "line has no '=' or ':'");
    expect_parse_error("[a]\n[]\n", LT_ESYNTAX, 2, 1, "line has no '=' or ':'");
    expect_parse_error("[a]\n  k=1\n x\n", LT_ESYNTAX, 3, 2, "line has no '=' or ':'");
}

/* Python: ParsingError for "=v" and ": v". */
Test(ini, error_empty_option_name)
{
    expect_parse_error("[a]\n=v\n", LT_ESYNTAX, 2, 1, "no option name before '='");
    expect_parse_error("[a]\n  : v\n", LT_ESYNTAX, 2, 3, "no option name before ':'");
}

/* Python: DuplicateSectionError at line 4. */
Test(ini, error_duplicate_section)
{
    expect_parse_error("[a]\nk=v\n[b]\n [a] \n", LT_ECONFIG, 4, 2,
                       "duplicate section [a] (first at line 1)");
}

/* Python: DuplicateOptionError at line 3 ('K' is 'k'), and across [DEFAULT] sections. */
Test(ini, error_duplicate_option)
{
    expect_parse_error("[a]\nk=v\nK=w\n", LT_ECONFIG, 3, 1,
                       "duplicate option 'k' in [a] (first at line 2)");
    expect_parse_error("[DEFAULT]\nx=1\n[a]\n[DEFAULT]\n  X : 2\n", LT_ECONFIG, 5, 3,
                       "duplicate option 'x' in [DEFAULT] (first at line 2)");
}

Test(ini, error_without_err_and_name)
{
    lt__ini *ini = NULL;
    lt_error err;

    cr_expect_eq(lt__ini_parse("k=v", 3, NULL, &ini, NULL), LT_ESYNTAX);
    cr_expect_null(ini);
    cr_expect_eq(lt__ini_parse("k=v", 3, NULL, &ini, &err), LT_ESYNTAX);
    cr_expect_str_eq(err.file, "<string>");
}

/* Only @len bytes are read: the text need not end with a NUL. */
Test(ini, length_bounds_the_text)
{
    const char text[] = "[a]\nk=v\nbroken";
    lt__ini *ini = NULL;

    cr_assert_eq(lt__ini_parse(text, strlen("[a]\nk=v\n"), "t.ini", &ini, NULL), 0);
    EXPECT(ini, "a", "k", "v");
    lt__ini_free(ini);
}

/* ---- interpolation ------------------------------------------------------- */

/* Python: k='1-1-%-1!' (%(X)s is %(x)s; y comes from [DEFAULT] and is itself
 * interpolated in [a]); the raw value is untouched. */
Test(ini, interpolation_basics)
{
    lt__ini *ini = parse_ok("[a]\nk=%(x)s-%(X)s-%%-%(y)s\nx=1\n[DEFAULT]\ny=%(x)s!\n");

    EXPECT(ini, "a", "k", "1-1-%-1!");
    EXPECT_RAW(ini, "a", "k", "%(x)s-%(X)s-%%-%(y)s");
    EXPECT(ini, "a", "y", "1!");
    lt__ini_free(ini);
}

/* Python: a [DEFAULT] value is interpolated in the section asked for:
 * [b] d='B/log'; in [DEFAULT] itself x is missing. */
Test(ini, interpolation_default_value_per_section)
{
    lt__ini *ini = parse_ok("[DEFAULT]\nd=%(x)s/log\n[a]\nx=A\n[b]\nx=B\n");

    EXPECT(ini, "a", "d", "A/log");
    EXPECT(ini, "b", "d", "B/log");
    EXPECT(ini, "a", "d", "A/log");
    expect_interp_error(ini, "DEFAULT", "d", LT_EUNKNOWN, 2, "%(x)s");
    lt__ini_free(ini);
}

/* Python: j='100%' (k's '%%' is read through j too). */
Test(ini, interpolation_escaped_percent_through_reference)
{
    lt__ini *ini = parse_ok("[a]\nk=100%%\nj=%(k)s\n");

    EXPECT(ini, "a", "k", "100%");
    EXPECT(ini, "a", "j", "100%");
    lt__ini_free(ini);
}

/* The interpolated string is kept: asking again gives the same pointer. */
Test(ini, interpolation_result_is_owned_by_ini)
{
    lt__ini *ini = parse_ok("[a]\nk=%(x)s\nx=1\n");
    const char *first, *second;

    cr_assert_eq(lt__ini_get(ini, "a", "k", false, &first, NULL), 1);
    cr_assert_eq(lt__ini_get(ini, "a", "K", false, &second, NULL), 1);
    cr_expect_eq(first, second);
    cr_expect_str_eq(first, "1");
    lt__ini_free(ini);
}

/* Python: InterpolationMissingOptionError naming 'nosuch'; at the [DEFAULT] line for
 * an inherited key. */
Test(ini, interpolation_missing_key)
{
    lt__ini *ini = parse_ok("[DEFAULT]\nf=%(logdir)s/app.log\n[h]\nclass=x\nargs=(%(nosuch)s,)\n");

    expect_interp_error(ini, "h", "args", LT_EUNKNOWN, 5, "%(nosuch)s");
    expect_interp_error(ini, "h", "f", LT_EUNKNOWN, 2, "%(logdir)s");
    EXPECT_RAW(ini, "h", "args", "(%(nosuch)s,)");
    lt__ini_free(ini);
}

/* Python: InterpolationSyntaxError "'%' must be followed by '%' or '(', found: ...". */
Test(ini, interpolation_bad_percent)
{
    lt__ini *ini = parse_ok("[a]\nk=100%\nj=50% done\n");

    expect_interp_error(ini, "a", "k", LT_ESYNTAX, 2, "'%' must be followed by '%' or '('");
    expect_interp_error(ini, "a", "j", LT_ESYNTAX, 3, "found '% done'");
    EXPECT_RAW(ini, "a", "k", "100%");
    lt__ini_free(ini);
}

/* Python: InterpolationSyntaxError "bad interpolation variable reference" for each. */
Test(ini, interpolation_bad_reference)
{
    lt__ini *ini = parse_ok("[a]\nk=%(x\nj=%()s\ni=%(x)d\nx=1\n");

    expect_interp_error(ini, "a", "k", LT_ESYNTAX, 2, "bad interpolation variable reference");
    expect_interp_error(ini, "a", "j", LT_ESYNTAX, 3, "bad interpolation variable reference");
    expect_interp_error(ini, "a", "i", LT_ESYNTAX, 4, "'%(x)d'");
    lt__ini_free(ini);
}

/* Python: 10 nested references resolve; an 11th level fails only when that value
 * holds a '%' (InterpolationDepthError), as does a key naming itself. */
Test(ini, interpolation_depth)
{
    lt__ini *ini = parse_ok("[a]\nk0=%(k1)s\nk1=%(k2)s\nk2=%(k3)s\nk3=%(k4)s\nk4=%(k5)s\n"
                            "k5=%(k6)s\nk6=%(k7)s\nk7=%(k8)s\nk8=%(k9)s\nk9=%(k10)s\nk10=end\n"
                            "[b]\nk0=%(k1)s\nk1=%(k2)s\nk2=%(k3)s\nk3=%(k4)s\nk4=%(k5)s\n"
                            "k5=%(k6)s\nk6=%(k7)s\nk7=%(k8)s\nk8=%(k9)s\nk9=%(k10)s\n"
                            "k10=100%%\n[c]\nself=%(self)s\n");

    EXPECT(ini, "a", "k0", "end");
    EXPECT(ini, "b", "k1", "100%");
    expect_interp_error(ini, "b", "k0", LT_ECONFIG, 14, "more than 10 deep");
    expect_interp_error(ini, "c", "self", LT_ECONFIG, 26, "more than 10 deep");
    lt__ini_free(ini);
}

/* ---- Python's reading of whole files ------------------------------------- */

struct dump {
    lt__ini *ini;
    FILE *out;
    const char *section; /* the section being walked, NULL in [DEFAULT] */
    const char *defaults[64];
    size_t ndefaults;
    const char *own[64]; /* the keys of the section being walked */
    size_t nown;
};

static void dump_escaped(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\')
            fputs("\\\\", out);
        else if (*s == '\n')
            fputs("\\n", out);
        else if (*s == '\t')
            fputs("\\t", out);
        else
            fputc(*s, out);
    }
}

static void dump_key(struct dump *d, const char *tag, const char *section, const char *key)
{
    const char *raw = NULL, *cooked = NULL;
    int rc;

    cr_assert_eq(lt__ini_get(d->ini, section, key, true, &raw, NULL), 1, "[%s] %s", section, key);
    fprintf(d->out, "%s\t", tag);
    dump_escaped(d->out, key);
    fputc('\t', d->out);
    dump_escaped(d->out, raw);
    fputc('\t', d->out);
    rc = lt__ini_get(d->ini, section, key, false, &cooked, NULL);
    if (rc == 1)
        dump_escaped(d->out, cooked);
    else
        fprintf(d->out, "!%s", lt_err_name(rc));
    fputc('\n', d->out);
}

/* The [DEFAULT] keys the section did not set itself, as ConfigParser.options(). */
static void dump_inherited(struct dump *d)
{
    for (size_t i = 0; d->section && i < d->ndefaults; i++) {
        bool own = false;
        for (size_t j = 0; j < d->nown; j++)
            own = own || strcmp(d->own[j], d->defaults[i]) == 0;
        if (!own)
            dump_key(d, "K", d->section, d->defaults[i]);
    }
    d->nown = 0;
}

static int dump_visit(const char *section, const char *key, const char *raw, int line, void *ud)
{
    struct dump *d = ud;

    (void)raw;
    (void)line;
    if (!key) {
        dump_inherited(d);
        d->section = section;
        fputs("S\t", d->out);
        dump_escaped(d->out, section);
        fputc('\n', d->out);
    } else if (!d->section) {
        cr_assert_lt(d->ndefaults, LT__ARRAY_SIZE(d->defaults));
        d->defaults[d->ndefaults++] = key;
        dump_key(d, "D", "DEFAULT", key);
    } else {
        cr_assert_lt(d->nown, LT__ARRAY_SIZE(d->own));
        d->own[d->nown++] = key;
        dump_key(d, "K", section, key);
    }
    return 0;
}

/* @text as the support file's dumps show what Python read. */
static char *dump_ini(const char *text)
{
    struct dump d = {0};
    char *buf = NULL;
    size_t size = 0;
    lt_error err = {0};
    int rc = lt__ini_parse(text, strlen(text), "t.ini", &d.ini, &err);

    d.out = open_memstream(&buf, &size);
    cr_assert_not_null(d.out);
    if (rc < 0) {
        fprintf(d.out, "ERROR\t%s\t%d\n", lt_err_name(rc), err.line);
    } else {
        lt__ini_foreach(d.ini, dump_visit, &d);
        dump_inherited(&d);
    }
    fclose(d.out);
    lt__ini_free(d.ini);
    return buf;
}

Test(ini, reads_as_python_does)
{
    const char *name, *text, *want;
    size_t i;

    for (i = 0; lt_test_ini_case(i, &name, &text, &want); i++) {
        char *got = dump_ini(text);
        cr_expect_str_eq(got, want, "%s", name);
        free(got);
    }
    cr_expect_gt(i, 100, "the oracle snapshot and the random texts are all there");
}

/* Found by tests/fuzz/fuzz_ini: a key with NUL bytes read past the stored
 * key when compared with an earlier one. A NUL is refused where it is. */
Test(ini, a_nul_byte_is_refused_with_its_place)
{
    static const char text[] = "[s]\nformat=a\nform\0at=b\n";
    lt__ini *ini = (lt__ini *)(uintptr_t)1;
    lt_error err = {0};

    cr_expect_eq(lt__ini_parse(text, sizeof(text) - 1, "app.ini", &ini, &err), LT_ESYNTAX);
    cr_expect_null(ini);
    cr_expect_eq(err.line, 3);
    cr_expect_eq(err.column, 5);
    cr_expect_not_null(strstr(err.message, "NUL byte"), "%s", err.message);
}
