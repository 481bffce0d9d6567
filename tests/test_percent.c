/* tests/test_percent.c - the percent formatter, Python's logging.Formatter,
 * in its three styles.
 *
 * Every expected rendering in the Test()s that use CHECK() and CHECK_REC()
 * was produced by Python 3.11.7's logging.Formatter(format, style=style)
 * formatting logging.makeLogRecord() of the same name, levelno, levelname,
 * msg and fields, and pasted here. What Python has no answer for (its errors
 * at creation have no column; it raises where logtree prints a placeholder)
 * is logtree's own, and said so where it is tested. */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "support.h"

typedef struct field {
    const char *key;
    lt_value value;
} field;

#define VINT(v)                           \
    {                                     \
        .type = LT_VALUE_INT, .as.i = (v) \
    }
#define VUINT(v)                           \
    {                                      \
        .type = LT_VALUE_UINT, .as.u = (v) \
    }
#define VDBL(v)                              \
    {                                        \
        .type = LT_VALUE_DOUBLE, .as.d = (v) \
    }
#define VBOOL(v)                           \
    {                                      \
        .type = LT_VALUE_BOOL, .as.b = (v) \
    }
#define VNULL                 \
    {                         \
        .type = LT_VALUE_NULL \
    }
#define VSTR(v)                                                \
    {                                                          \
        .type = LT_VALUE_STRING, .as.s = {(v), sizeof(v) - 1 } \
    }

/* The fields that the next records get (each Test runs in its own process). */
static const field *the_fields;
static size_t the_count;

static void use_fields(const field *fields, size_t n)
{
    the_fields = fields;
    the_count = n;
}

static bool set_fields(void *userdata, lt_record *rec)
{
    (void)userdata;
    for (size_t i = 0; i < the_count; i++)
        cr_assert_eq(lt_record_set_field(rec, the_fields[i].key, &the_fields[i].value), 0);
    return true;
}

static lt_formatter *make(char style, const char *format, const char *datefmt, bool utc)
{
    lt_percent_options o = {.format = format, .datefmt = datefmt, .style = style, .utc = utc};
    lt_formatter *f = NULL;
    lt_error err = {0};

    cr_assert_eq(lt_percent_formatter_new(&f, &o, &err), 0, "format %s: %s (column %d)", format,
                 err.message, err.column);
    return f;
}

/* Log @msg at @level on logger @name, the fields of use_fields() added, and
 * return what @f rendered. */
static const char *render_with(lt_formatter *f, const char *name, int level, const char *msg)
{
    lt_logger *lg = lt_get_logger(name);
    lt_filter *filter;
    const char *out;

    cr_assert_eq(lt_callback_filter_new(&filter, set_fields, NULL, NULL), 0);
    lt_logger_add_filter(lg, filter);
    out = render(f, name, level, msg);
    lt_logger_remove_filter(lg, filter);
    lt_filter_unref(filter);
    return out;
}

static const char *format_as(char style, const char *format, const char *name, int level,
                             const char *msg)
{
    lt_formatter *f = make(style, format, NULL, false);
    const char *out = render_with(f, name, level, msg);

    lt_formatter_unref(f);
    return out;
}

#define CHECK_REC(style, name, level, msg, format, want) \
    cr_assert_str_eq(format_as(style, format, name, level, msg), want, "format: %s", format)
#define CHECK(style, format, want) CHECK_REC(style, "app", LT_LEVEL_INFO, "hi", format, want)

/* Formatter() prints the message alone: '%(message)s' in the chosen style. */
Test(percent, default_format_in_each_style)
{
    CHECK_REC('%', "app", 20, "just the message", "%(message)s", "just the message");
    CHECK_REC('{', "app", 20, "just the message", "{message}", "just the message");
    CHECK_REC('$', "app", 20, "just the message", "${message}", "just the message");
}

/* The oracle's fmt_percent_width_precision format; widths count characters. */
Test(percent, string_width_and_precision)
{
    const char *format =
        "[%(levelname)-8s][%(levelname)8s][%(name).3s][%(name)10.2s][%(name)-10.2s]"
        "[%(message).5s][%(message)-12s][%(levelno)05d][%(levelno)-5d][%(levelno)5d]";

    CHECK_REC('%', "a", 20, "hello", format,
              "[INFO    ][    INFO][a][         a][a         ][hello][hello       ][00020]"
              "[20   ][   20]");
    CHECK_REC('%', "ñandú.ßeta", 50, "ünïcödé wïdth", format,
              "[CRITICAL][CRITICAL][ñan][        ña][ña        ][ünïcö][ünïcödé wïdth][00050]"
              "[50   ][   50]");
    CHECK_REC('%', "x", 40, "", format,
              "[ERROR   ][   ERROR][x][         x][x         ][][            ][00040][40   ]"
              "[   40]");
    CHECK_REC('%', "abc", 35, "custom", format,
              "[Level 35][Level 35][abc][        ab][ab        ][custo][custom      ][00035]"
              "[35   ][   35]");
}

/* The oracle's fmt_percent_int_conversions format, on several levels. */
Test(percent, int_conversions_and_flags)
{
    const char *format =
        "%(levelno)d|%(levelno)i|%(levelno)u|%(levelno)x|%(levelno)X|%(levelno)o|%(levelno)#x|"
        "%(levelno)#X|%(levelno)#o|%(levelno)+d|%(levelno) d|%(levelno)+05d|%(levelno)-+6d|"
        "%(levelno)s|%(levelno)r|%(levelno)8.3d";

    CHECK_REC('%', "app", 7, "hi", format,
              "7|7|7|7|7|7|0x7|0X7|0o7|+7| 7|+0007|+7    |7|7|     007");
    CHECK_REC('%', "app", 255, "hi", format,
              "255|255|255|ff|FF|377|0xff|0XFF|0o377|+255| 255|+0255|+255  |255|255|     255");
    CHECK_REC('%', "app", 4095, "hi", format,
              "4095|4095|4095|fff|FFF|7777|0xfff|0XFFF|0o7777|+4095| 4095|+4095|+4095 |4095|"
              "4095|    4095");
    CHECK_REC('%', "app", 1000000, "hi", format,
              "1000000|1000000|1000000|f4240|F4240|3641100|0xf4240|0XF4240|0o3641100|+1000000|"
              " 1000000|+1000000|+1000000|1000000|1000000| 1000000");
}

/* Precision is a least number of digits; '0' pads after sign and prefix. */
Test(percent, int_precision_zero_and_alternate)
{
    static const field fields[] = {
        {"x", VINT(255)},
        {"y", VINT(-8)},
        {"z", VINT(0)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('%',
          "[%(x)08.3d][%(x)-08.3d][%(x)+.3d][%(x)#5.3o][%(x)#08x][%(x)-#8o][%(x) x][%(x)#.0o]"
          "[%(y)+o][%(y)#08o][%(y) 05d][%(y)+ d]",
          "[00000255][255     ][+255][0o377][0x0000ff][0o377   ][ ff][0o377][-10][-0o00010]"
          "[-0008][-8]");
    CHECK('%', "[%(z).0d][%(z).0x][%(z)#o][%(z)#x][%(z)+d][%(z) d]", "[0][0][0o0][0x0][+0][ 0]");
}

/* int64 and uint64 limits print exactly. */
Test(percent, int_extremes)
{
    static const field fields[] = {
        {"min", VINT(INT64_MIN)},
        {"max", VINT(INT64_MAX)},
        {"umax", VUINT(UINT64_MAX)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('%', "%(min)d %(max)d %(umax)d %(umax)x %(min)x %(min)#o",
          "-9223372036854775808 9223372036854775807 18446744073709551615 ffffffffffffffff "
          "-8000000000000000 -0o1000000000000000000000");
}

/* %c of an int is that code point, in UTF-8 (the oracle's fmt_percent_char_conversion). */
Test(percent, char_conversion)
{
    const char *format = "[%(levelno)c] %(message)s";

    CHECK_REC('%', "app", 65, "hi", format, "[A] hi");
    CHECK_REC('%', "app", 97, "hi", format, "[a] hi");
    CHECK_REC('%', "app", 233, "hi", format, "[é] hi");
    CHECK_REC('%', "app", 9731, "hi", format, "[☃] hi");
    CHECK_REC('%', "app", 128512, "hi", format, "[😀] hi");
}

/* %c takes a one-character string too; precision does not cut it. */
Test(percent, char_width_and_string)
{
    static const field fields[] = {
        {"c", VINT(233)},
        {"s", VSTR("☃")},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('%', "[%(c)5c][%(c)-3c][%(c)05c][%(c).0c][%(s)c][%(s)3c]",
          "[    é][é  ][    é][é][☃][  ☃]");
}

/* e E f F g G with flags, widths and precisions. */
Test(percent, float_conversions)
{
    static const field fields[] = {
        {"x", VDBL(1234.5678)},
        {"y", VDBL(-0.000123)},
        {"big", VDBL(1e+22)},
        {"tiny", VDBL(5e-324)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('%',
          "%(x)e|%(x)E|%(x)f|%(x)F|%(x)g|%(x)G|%(x).2e|%(x)#.0f|%(x)+.3g|%(x)010.2f|%(x)-10.1f|"
          "%(x)#g|%(x).0e|%(x)#.0e",
          "1.234568e+03|1.234568E+03|1234.567800|1234.567800|1234.57|1234.57|1.23e+03|1235.|"
          "+1.23e+03|0001234.57|1234.6    |1234.57|1e+03|1.e+03");
    CHECK('%', "%(y)e|%(y)f|%(y)g|%(y)G|%(y)+012.3e|%(y) f|%(y).10g",
          "-1.230000e-04|-0.000123|-0.000123|-0.000123|-001.230e-04|-0.000123|-0.000123");
    CHECK('%', "%(big)f|%(big)g|%(big).3e|%(tiny)g|%(tiny).3f|%(tiny)e",
          "10000000000000000000000.000000|1e+22|1.000e+22|4.94066e-324|0.000|4.940656e-324");
}

/* inf and nan: '0' pads them with zeros, nan has no sign, F E G shout. */
Test(percent, float_inf_and_nan)
{
    static const field fields[] = {
        {"i", VDBL(INFINITY)},
        {"n", VDBL(NAN)},
        {"m", VDBL(-INFINITY)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('%', "[%(i)f][%(i)+05f][%(i)F][%(n)e][%(n)+f][%(n)G][%(m)g][%(m)010.2f][%(n)05f]",
          "[inf][+0inf][INF][nan][+nan][NAN][-inf][-000000inf][00nan]");
}

/* e f g of an int convert it to a float first. */
Test(percent, float_conversions_of_ints)
{
    static const field fields[] = {
        {"t", VBOOL(true)},
        {"u", VUINT(UINT64_MAX)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('%', "%(levelno)e %(levelno)f %(levelno)g %(levelno).2f %(levelno)G %(t)f %(u).3e",
          "2.000000e+01 20.000000 20 20.00 20 1.000000 1.845e+19");
}

/* %d %i %u of a float truncate toward zero, exactly even past 2**64. */
Test(percent, int_conversions_of_floats)
{
    static const field fields[] = {
        {"a", VDBL(2.7)},  {"b", VDBL(-2.7)},  {"c", VDBL(1e+20)},
        {"d", VDBL(-0.5)}, {"e", VDBL(-12.9)}, {"t", VBOOL(true)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('%', "%(a)d %(b)d %(a)i %(b)u %(c)d %(d)d %(e)05d %(a).3d %(t)d %(t)x",
          "2 -2 2 -2 100000000000000000000 0 -0012 002 1 1");
}

/* %s is str(): a float prints as Python's repr, shortest round trip. */
Test(percent, str_of_values)
{
    static const field fields[] = {
        {"a", VDBL(1.5)},
        {"b", VDBL(1e+16)},
        {"c", VDBL(0.0001)},
        {"d", VDBL(1e-05)},
        {"e", VDBL(1701234567.123456)},
        {"f", VDBL(12.0)},
        {"g", VDBL(-0.0)},
        {"h", VDBL(INFINITY)},
        {"i", VDBL(NAN)},
        {"j", VDBL(5.960464477539063e-08)},
        {"k", VBOOL(true)},
        {"l", VBOOL(false)},
        {"m", VNULL},
        {"n", VUINT(UINT64_MAX)},
        {"o", VDBL(0.30000000000000004)},
        {"p", VDBL(1000000000000000.0)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('%', "%(a)s %(b)s %(c)s %(d)s %(e)s %(f)s %(g)s %(h)s %(i)s %(j)s",
          "1.5 1e+16 0.0001 1e-05 1701234567.123456 12.0 -0.0 inf nan 5.960464477539063e-08");
    CHECK('%', "%(k)s %(l)s %(m)s %(n)s %(o)s %(p)s",
          "True False None 18446744073709551615 0.30000000000000004 1000000000000000.0");
}

/* Attributes print as Python prints them: ints bare, None for exc_info and the like. */
Test(percent, str_of_attributes)
{
    CHECK('%',
          "%(levelno)s %(levelno)r %(levelno)a %(exc_info)r %(exc_text)s %(stack_info)s %(msg)s",
          "20 20 20 None None None hi");
}

/* %r quotes as Python's repr: single quotes unless only single quotes inside; escapes. */
Test(percent, repr_of_strings)
{
    static const field fields[] = {
        {"a", VSTR("plain")},
        {"b", VSTR("it's")},
        {"c", VSTR("say \"hi\"")},
        {"d", VSTR("both ' and \"")},
        {"e", VSTR("tab\tnl\nret\r back\\slash")},
        {"f", VSTR("\001\033\177\302\200\302\240\302\255 é ñ")},
        {"g", VSTR("\342\200\213\314\201 ☃ 😀 \342\200\250")},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('%', "%(a)r %(b)r %(c)r %(d)r", "'plain' \"it's\" 'say \"hi\"' 'both \\' and \"'");
    CHECK('%', "%(e)r", "'tab\\tnl\\nret\\r back\\\\slash'");
    CHECK('%', "%(f)r", "'\\x01\\x1b\\x7f\\x80\\xa0\\xad é ñ'");
    CHECK('%', "%(g)r", "'\\u200b\314\201 ☃ 😀 \\u2028'");
}

/* %a escapes every non-ASCII character: \xNN, \uNNNN, \UNNNNNNNN. */
Test(percent, ascii_of_strings)
{
    static const field fields[] = {
        {"a", VSTR("é☃😀\n")},
        {"b", VSTR("it's")},
        {"x", VDBL(1.5)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('%', "%(a)a %(b)a", "'\\xe9\\u2603\\U0001f600\\n' \"it's\"");
    CHECK('%', "%(levelno)a %(x)a", "20 1.5");
}

/* Widths and precisions apply to the repr text, by characters. */
Test(percent, repr_width_and_precision)
{
    static const field fields[] = {
        {"s", VSTR("abc")},
        {"u", VSTR("ñandú")},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('%', "[%(s).3r][%(s)10r][%(s)-10a][%(s).0r][%(u).4r][%(u)8a]",
          "['ab][     'abc']['abc'     ][]['ñan]['\\xf1and\\xfa']");
}

/* '%%' prints '%' (the oracle's fmt_percent_literal). Python's check only
 * looks for '%(word)s' anywhere, so '%%(name)s' alone passes it, and prints as is. */
Test(percent, literal_percent)
{
    CHECK_REC('%', "app", 20, "x", "100%% %(levelname)s %%(name)s %%%(message)s%%",
              "100% INFO %(name)s %x%");
    CHECK_REC('%', "app", 20, "x", "%%(name)s", "%(name)s");
}

/* Python ignores the h, l and L length modifiers. */
Test(percent, length_modifier_ignored)
{
    CHECK('%', "%(levelno)ld %(levelno)hd %(levelno)Lx %(name)ls %(message)s", "20 20 14 app hi");
}

/* '%(name).s' is precision 0; Python accepts it next to a valid field. */
Test(percent, precision_without_digits_is_zero)
{
    CHECK('%', "[%(name).s][%(name)5.s] %(message)s", "[][     ] hi");
}

/* Widths and precisions count code points, not bytes. */
Test(percent, unicode_counts_characters)
{
    CHECK_REC('%', "ñandú", 20, "😀x", "[%(name).3s][%(name)10.2s][%(name)-7s][%(message)4.1s]",
              "[ñan][        ña][ñandú  ][   😀]");
}

/* Non-ASCII text in the format and the logger name (the oracle's fmt_unicode_in_format). */
Test(percent, unicode_in_format)
{
    CHECK_REC('%', "ñandú", 20, "ünï", "→ %(levelname)s «%(name)s» ✓ %(message)s ☃",
              "→ INFO «ñandú» ✓ ünï ☃");
}

/* The message is never interpreted (the oracle's msg_specials_not_interpreted). */
Test(percent, special_characters_in_message)
{
    CHECK_REC('%', "app", 20, "100% sure", "%% %(message)s", "% 100% sure");
    CHECK_REC('{', "app", 20, "100% sure", "{{ {message}", "{ 100% sure");
    CHECK_REC('$', "app", 20, "100% sure", "$$ $message", "$ 100% sure");
    CHECK_REC('%', "app", 20, "%s %d %(name)s %% %", "%% %(message)s", "% %s %d %(name)s %% %");
    CHECK_REC('{', "app", 20, "%s %d %(name)s %% %", "{{ {message}", "{ %s %d %(name)s %% %");
    CHECK_REC('$', "app", 20, "%s %d %(name)s %% %", "$$ $message", "$ %s %d %(name)s %% %");
    CHECK_REC('%', "app", 20, "{} {0} {name} {{x}} {", "%% %(message)s", "% {} {0} {name} {{x}} {");
    CHECK_REC('{', "app", 20, "{} {0} {name} {{x}} {", "{{ {message}", "{ {} {0} {name} {{x}} {");
    CHECK_REC('$', "app", 20, "{} {0} {name} {{x}} {", "$$ $message", "$ {} {0} {name} {{x}} {");
    CHECK_REC('%', "app", 20, "$name ${message} $$ $", "%% %(message)s", "% $name ${message} $$ $");
    CHECK_REC('{', "app", 20, "$name ${message} $$ $", "{{ {message}", "{ $name ${message} $$ $");
    CHECK_REC('$', "app", 20, "$name ${message} $$ $", "$$ $message", "$ $name ${message} $$ $");
}

/* The oracle's attr_deterministic format. */
Test(percent, attribute_deterministic)
{
    CHECK_REC('%', "db.pool", 30, "m",
              "name=%(name)s levelname=%(levelname)s levelno=%(levelno)s message=%(message)s "
              "msg=%(msg)s",
              "name=db.pool levelname=WARNING levelno=30 message=m msg=m");
}

/* The oracle's fmt_brace_style format, on its records. */
Test(brace, oracle_format)
{
    const char *format =
        "[{levelname:<8}][{levelname:>8}][{levelname:^9}][{levelname:*^9}][{name:.3}]"
        "[{name:>10.2}][{levelno:05d}][{levelno:+d}][{levelno:x}][{levelno:#x}][{levelno:X}]"
        "[{levelno:o}][{levelno:b}][{levelno:.2f}][{levelno:e}][{levelno:08.3f}][{levelno:=+6}]"
        "[{levelno: d}][{levelno:,}][{levelno:_}][{levelno:%}][{levelno}] {{literal}} {message}";

    CHECK_REC('{', "app", 20, "info", format,
              "[INFO    ][    INFO][  INFO   ][**INFO***][app][        ap][00020][+20][14][0x14]"
              "[14][24][10100][20.00][2.000000e+01][0020.000][+   20][ 20][20][20][2000.000000%]"
              "[20] {literal} info");
    CHECK_REC('{', "database.pool", 30, "warn {0} {name}", format,
              "[WARNING ][ WARNING][ WARNING ][*WARNING*][dat][        da][00030][+30][1e][0x1e]"
              "[1E][36][11110][30.00][3.000000e+01][0030.000][+   30][ 30][30][30][3000.000000%]"
              "[30] {literal} warn {0} {name}");
    CHECK_REC('{', "ñandú", 1234567, "big", format,
              "[Level 1234567][Level 1234567][Level 1234567][Level 1234567][ñan][        ña]"
              "[1234567][+1234567][12d687][0x12d687][12D687][4553207][100101101011010000111]"
              "[1234567.00][1.234567e+06][1234567.000][+1234567][ 1234567][1,234,567][1_234_567]"
              "[123456700.000000%][1234567] {literal} big");
    CHECK_REC('{', "root", 7, "seven", format,
              "[Level 7 ][ Level 7][ Level 7 ][*Level 7*][roo][        ro][00007][+7][7][0x7][7]"
              "[7][111][7.00][7.000000e+00][0007.000][+    7][ 7][7][7][700.000000%]"
              "[7] {literal} seven");
}

/* Fill and alignment; '^' puts the odd space on the right; any character fills. */
Test(brace, fill_and_align)
{
    static const field fields[] = {
        {"s", VSTR("ab")},
        {"n", VINT(-12)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('{', "[{s:<6}][{s:>6}][{s:^6}][{s:^5}][{s:*^7}][{s:é>5}][{s:0<5}][{s:<<4}][{s:^^5}]",
          "[ab    ][    ab][  ab  ][ ab  ][**ab***][éééab][ab000][ab<<][^ab^^]");
    CHECK('{', "[{n:<6}][{n:>6}][{n:^6}][{n:=6}][{n:x=6}][{n:=^5}][{n}][{n:6}]",
          "[-12   ][   -12][ -12  ][-   12][-xxx12][=-12=][-12][   -12]");
}

/* Signs, '#' prefixes and '0' padding of numbers (and of strings). */
Test(brace, sign_alternate_zero)
{
    static const field fields[] = {
        {"p", VINT(255)},
        {"n", VINT(-5)},
        {"s", VSTR("ab")},
        {"z", VINT(0)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('{',
          "[{p:+}][{p: }][{p:-}][{n:+}][{n: }][{p:#b}][{p:#o}][{p:#x}][{p:#X}][{n:#X}]"
          "[{p:#010x}][{p:#=10x}][{p:*^#10x}]",
          "[+255][ 255][255][-5][-5][0b11111111][0o377][0xff][0XFF][-0X5][0x000000ff]"
          "[########ff][***0xff***]");
    CHECK('{', "[{p:08}][{n:08}][{p:<08}][{p:^08}][{n:>08}][{p:x<05}][{s:05}][{s:05.1}][{z:#b}]",
          "[00000255][-0000005][25500000][00255000][000000-5][255xx][ab000][a0000][0b0]");
}

/* ',' and '_' group by three, '_' by four in b o x X; '0' padding is grouped too. */
Test(brace, grouping)
{
    static const field fields[] = {
        {"a", VINT(1234567)}, {"b", VINT(-1234567890)}, {"c", VINT(1048575)}, {"d", VINT(1234)},
        {"e", VINT(-1234)},   {"f", VDBL(1234567.891)}, {"g", VDBL(1e+16)},   {"h", VDBL(1234.5)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('{',
          "[{a:,}][{a:_}][{b:,}][{a:_x}][{c:_x}][{a:_b}][{a:_o}][{c:_X}][{d:010,}][{e:010,}]"
          "[{d:09_}][{d:08,}][{e:=+10,}]",
          "[1,234,567][1_234_567][-1,234,567,890][12_d687][f_ffff][1_0010_1101_0110_1000_0111]"
          "[455_3207][F_FFFF][00,001,234][-0,001,234][0_001_234][0,001,234][-    1,234]");
    CHECK('{',
          "[{f:,}][{f:_}][{f:,.2f}][{f:_.2f}][{f:,e}][{f:,g}][{f:015,.1f}][{f:013,.1f}][{g:,}]"
          "[{h:,}]",
          "[1,234,567.891][1_234_567.891][1,234,567.89][1_234_567.89][1.234568e+06][1.23457e+06]"
          "[0,001,234,567.9][001,234,567.9][1e+16][1,234.5]");
}

/* b c d o x X n and no type, on ints. */
Test(brace, int_types)
{
    static const field fields[] = {
        {"a", VINT(65)},
        {"e", VINT(9731)},
        {"b", VINT(-1234567)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('{',
          "[{a:b}][{a:c}][{a:d}][{a:o}][{a:x}][{a:X}][{a:n}][{a}][{a:}][{a:>5c}][{e:c}][{b:n}]"
          "[{b:d}]",
          "[1000001][A][65][101][41][41][65][65][65][    A][☃][-1234567][-1234567]");
}

/* e E f F g G % on ints format a float. */
Test(brace, float_types_of_ints)
{
    static const field fields[] = {
        {"a", VINT(1234567)},
        {"b", VINT(-5)},
        {"c", VBOOL(true)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('{', "[{a:e}][{a:E}][{a:f}][{a:F}][{a:g}][{a:G}][{a:%}][{a:.2%}][{b:e}][{c:.1f}]",
          "[1.234567e+06][1.234567E+06][1234567.000000][1234567.000000][1.23457e+06]"
          "[1.23457E+06][123456700.000000%][123456700.00%][-5.000000e+00][1.0]");
}

/* e E f F g G n % on floats, with precisions. */
Test(brace, float_types)
{
    static const field fields[] = {
        {"x", VDBL(1234.5678)},
        {"y", VDBL(-1e-07)},
        {"z", VDBL(1e+100)},
        {"w", VDBL(0.125)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('{',
          "[{x:e}][{x:E}][{x:f}][{x:F}][{x:g}][{x:G}][{x:n}][{x:%}][{x:.2e}][{x:.0f}][{x:#.0f}]"
          "[{x:.3g}][{x:#.3g}][{x:.2n}][{x:.1%}]",
          "[1.234568e+03][1.234568E+03][1234.567800][1234.567800][1234.57][1234.57][1234.57]"
          "[123456.780000%][1.23e+03][1235][1235.][1.23e+03][1.23e+03][1.2e+03][123456.8%]");
    CHECK('{', "[{y:e}][{y:g}][{y:G}][{y:.2f}][{y:+.3e}][{y: g}][{z:f}][{z:F}][{w:.2%}]",
          "[-1.000000e-07][-1e-07][-1E-07][-0.00][-1.000e-07][-1e-07]"
          "[1000000000000000015902891109759918046836080856394528138978132755774783877217038106081"
          "3469985856815104.000000][1000000000000000015902891109759918046836080856394528138978132"
          "7557747838772170381060813469985856815104.000000][12.50%]");
}

/* No type: repr() without a precision; with one, like 'g' keeping a '.0'. */
Test(brace, float_no_type)
{
    static const field fields[] = {
        {"a", VDBL(12.0)}, {"b", VDBL(123.0)}, {"c", VDBL(1e+16)}, {"d", VDBL(0.0001)},
        {"e", VDBL(0.5)},  {"f", VDBL(1.0)},   {"g", VDBL(1e-05)}, {"h", VDBL(-0.0)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('{',
          "[{a}][{a:.3}][{a:.2}][{b:.3}][{c}][{c:.3}][{d:.3}][{e:.0}][{f:.0}][{g}][{a:#}][{f:#}]"
          "[{c:#}][{f:#.3}][{h:}][{h:10}]",
          "[12.0][12.0][1.2e+01][1.23e+02][1e+16][1e+16][0.0001][0.5][1e+00][1e-05][12.0][1.0]"
          "[1.e+16][1.00][-0.0][      -0.0]");
}

/* inf and nan under the mini-language. */
Test(brace, float_inf_and_nan)
{
    static const field fields[] = {
        {"i", VDBL(INFINITY)},
        {"n", VDBL(NAN)},
        {"m", VDBL(-INFINITY)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('{',
          "[{i:05}][{i:05f}][{i:F}][{i:E}][{n:+}][{n:=+010}][{m:010}][{i:,}][{n:%}][{i:.2%}]"
          "[{m:^9}]",
          "[00inf][00inf][INF][INF][+nan][+000000nan][-000000inf][inf][nan%][inf%][  -inf   ]");
}

/* Strings: s or no type, precision cuts characters, width pads characters. */
Test(brace, strings)
{
    static const field fields[] = {
        {"s", VSTR("ñandú")},
        {"e", VSTR("")},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('{', "[{s:s}][{s}][{s:.3}][{s:10}][{s:>10.2}][{s:^11}][{e:>3}][{e:.0}]",
          "[ñandú][ñandú][ñan][ñandú     ][        ña][   ñandú   ][   ][]");
}

/* !r !s !a convert first, then the spec applies to the text. */
Test(brace, conversions)
{
    static const field fields[] = {
        {"s", VSTR("né\n")}, {"n", VINT(42)}, {"x", VDBL(1.5)},
        {"b", VBOOL(true)},  {"z", VNULL},    {"q", VSTR("it's")},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('{',
          "[{s!r}][{s!s}][{s!a}][{s!r:>12}][{s!a:.4}][{n!r}][{n!s:>6}][{x!r}][{x!a:^9}][{b!r}]"
          "[{z!s}][{q!r}]",
          "['né\\n'][né\n]['n\\xe9\\n'][      'né\\n']['n\\x][42][    42][1.5][   1.5   ][True]"
          "[None][\"it's\"]");
}

/* A bool prints True with no spec, as an int with one; None takes only an empty spec. */
Test(brace, bool_and_none)
{
    static const field fields[] = {
        {"t", VBOOL(true)},
        {"f", VBOOL(false)},
        {"z", VNULL},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('{', "[{t}][{t:}][{t:>5}][{t:d}][{t:x}][{f:05}][{t:c}][{t:.2f}][{z}][{z:}][{z!r:>6}]",
          "[True][True][    1][1][1][00000][\001][1.00][None][None][  None]");
}

/* '{{' and '}}' print single braces. */
Test(brace, literal_braces)
{
    CHECK('{', "{{literal}} }}{message}{{", "{literal} }hi{");
    CHECK('{', "{{{message}}}", "{hi}");
}

/* A non-ASCII field name, and a non-ASCII fill character. */
Test(brace, non_ascii_names_and_fill)
{
    static const field fields[] = {
        {"ñ", VSTR("x")},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('{', "[{ñ:é^7}][{ñ!r}]", "[éééxééé]['x']");
}

/* $name, ${name} and $$; identifiers are ASCII, so '$message.' ends at the dot. */
Test(dollar, names_braced_and_escaped)
{
    static const field fields[] = {
        {"x", VDBL(1.5)},
        {"y", VNULL},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('$', "$levelname ${name}: $message.", "INFO app: hi.");
    CHECK('$', "$$${levelno}$$", "$20$");
    CHECK('$', "${message}x$message", "hixhi");
    CHECK('$', "$x$y", "1.5None");
}

/* ---- what Python would raise for, at log time ---- */

/* A name that is neither an attribute nor a field prints "<name?>" and the
 * record is kept (formatters.h); Python raises and loses the record. */
Test(fields, missing_name_placeholder)
{
    CHECK('%', "[%(nope)s][%(nope)5d] %(message)s", "[<nope?>][<nope?>] hi");
    CHECK('{', "[{nope}][{nope:>5}][{nope!r}] {message}", "[<nope?>][<nope?>][<nope?>] hi");
    CHECK('$', "[$nope][${nope}] $message", "[<nope?>][<nope?>] hi");
}

/* A field whose value the spec cannot format (its type is only known per
 * record) prints "<name!>"; Python raises. */
Test(fields, unformattable_value_placeholder)
{
    static const field fields[] = {
        {"s", VSTR("abc")}, {"big", VINT(0x110000)}, {"sur", VINT(0xd800)}, {"inf", VDBL(INFINITY)},
        {"nan", VDBL(NAN)}, {"none", VNULL},         {"f", VDBL(1.5)},
    };

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    CHECK('%', "%(s)d %(s)x %(s)e %(s)c %(big)c %(sur)c %(inf)d %(nan)i %(none)d %(f)x %(f)c",
          "<s!> <s!> <s!> <s!> <big!> <sur!> <inf!> <nan!> <none!> <f!> <f!>");
    CHECK('{', "{s:d} {s:+} {big:c} {none:>5} {f:d} {f:x} {s!r:d}",
          "<s!> <s!> <big!> <none!> <f!> <f!> <s!>");
}

/* args is always None in logtree (record.h); Python's would be (). */
Test(fields, args_is_none)
{
    CHECK('%', "%(args)s %(args)r", "None None");
    CHECK('{', "{args} {args!r:>5}", "None  None");
}

/* ---- errno, as the default formatter does it ---- */

static const char *log_errno(lt_formatter *f)
{
    static char out[512];
    lt_logger *lg = lt_get_logger("io");
    capture *c;
    lt_handler *h = capture_new(&c);

    lt_handler_set_formatter(h, f);
    lt_logger_add_handler(lg, h);
    lt_logger_set_level(lg, LT_LEVEL_DEBUG);
    lt_log_errno_at(lg, LT_LEVEL_ERROR, NULL, ENOENT, "cannot open %s", "x.conf");
    snprintf(out, sizeof(out), "%s", capture_line(c, 0));
    lt_logger_remove_handler(lg, h);
    lt_handler_unref(h);
    lt_formatter_unref(f);
    return out;
}

/* ": strerror" follows the line, as Python's exc_text would... */
Test(errno_suffix, suffix_when_not_printed)
{
    char want[256];

    snprintf(want, sizeof(want), "ERROR cannot open x.conf: %s", strerror(ENOENT));
    cr_assert_str_eq(log_errno(make('%', "%(levelname)s %(message)s", NULL, false)), want);
    cr_assert_str_eq(log_errno(make('{', "{levelname} {message}", NULL, false)), want);
}

/* ...unless the format prints errno or strerror itself. */
Test(errno_suffix, no_suffix_when_printed)
{
    char want[256];

    cr_assert_str_eq(log_errno(make('%', "%(message)s [%(errno)d]", NULL, false)),
                     "cannot open x.conf [2]");
    snprintf(want, sizeof(want), "cannot open x.conf (%s)", strerror(ENOENT));
    cr_assert_str_eq(log_errno(make('$', "$message ($strerror)", NULL, false)), want);
}

/* ---- asctime: the time varies, so its shape is checked ---- */

/* Whether @s has @shape: '9' stands for a digit, other characters for
 * themselves. */
static bool has_shape(const char *s, const char *shape)
{
    for (; *shape; s++, shape++) {
        if (*shape == '9' ? *s < '0' || *s > '9' : *s != *shape)
            return false;
    }
    return *s == '\0';
}

#define ASCTIME "9999-99-99 99:99:99,999"

static const char *format_time(char style, const char *format, const char *datefmt, bool utc)
{
    lt_formatter *f = make(style, format, datefmt, utc);
    const char *out = render_with(f, "app", LT_LEVEL_INFO, "hi");

    lt_formatter_unref(f);
    return out;
}

#define CHECK_SHAPE(out, shape) cr_assert(has_shape(out, shape), "'%s' is not '%s'", out, shape)

Test(asctime, default_format_in_each_style)
{
    CHECK_SHAPE(format_time('%', "%(asctime)s %(message)s", NULL, false), ASCTIME " hi");
    CHECK_SHAPE(format_time('{', "{asctime} {message}", NULL, false), ASCTIME " hi");
    CHECK_SHAPE(format_time('$', "$asctime|${asctime}", "", false), ASCTIME "|" ASCTIME);
}

/* The oracle's fmt_asctime_other_styles: widths pad the time like any text. */
Test(asctime, width_precision_and_repr)
{
    CHECK_SHAPE(format_time('%', "[%(asctime)-30s][%(asctime)30s]", NULL, false),
                "[" ASCTIME "       ][       " ASCTIME "]");
    CHECK_SHAPE(format_time('{', "[{asctime:>26}][{asctime:*^27}]", NULL, false),
                "[   " ASCTIME "][**" ASCTIME "**]");
    CHECK_SHAPE(format_time('%', "[%(asctime).4s][%(asctime)r][%(asctime)-6.2s]", NULL, false),
                "[9999]['" ASCTIME "'][99    ]");
}

/* With a datefmt, no milliseconds (the oracle's fmt_datefmt_msecs). */
Test(asctime, datefmt)
{
    CHECK_SHAPE(format_time('%', "%(asctime)s %(msecs)03d", "%Y/%m/%d %Hh", false),
                "9999/99/99 99h 999");
    CHECK_SHAPE(format_time('%', "%(asctime)12s", "%Y", false), "        9999");
}

Test(asctime, utc)
{
    time_t before = time(NULL), after;
    const char *out = format_time('%', "%(asctime)s", "%H:%M %Z", true);
    char want[2][32];
    struct tm tm;

    after = time(NULL);
    strftime(want[0], sizeof(want[0]), "%H:%M UTC", gmtime_r(&before, &tm));
    strftime(want[1], sizeof(want[1]), "%H:%M UTC", gmtime_r(&after, &tm));
    cr_assert(strcmp(out, want[0]) == 0 || strcmp(out, want[1]) == 0, "'%s' is not '%s'", out,
              want[0]);
}

/* A time longer than the formatter's scratch on the stack still pads. */
Test(asctime, long_rendering_padded)
{
    char datefmt[2 * 100 + 1] = "", shape[4 * 100 + 1] = "", want[600];
    const char *out;

    for (int i = 0; i < 100; i++) {
        strcat(datefmt, "%Y");
        strcat(shape, "9999");
    }
    out = format_time('%', "%(asctime)410s|", datefmt, false);
    snprintf(want, sizeof(want), "          %s|", shape);
    CHECK_SHAPE(out, want);
    out = format_time('{', "{asctime!r:.5}|", datefmt, false);
    CHECK_SHAPE(out, "'9999|");
}

/* ---- creation: every fault is refused, with its column ---- */

static void expect_error(char style, const char *format, int column, const char *words)
{
    lt_percent_options o = {.format = format, .style = style};
    lt_formatter *f = NULL;
    lt_error err;

    memset(&err, 0x55, sizeof(err));
    cr_assert_eq(lt_percent_formatter_new(&f, &o, &err), LT_EFORMAT, "format %s", format);
    cr_assert_null(f);
    cr_assert_eq(err.code, LT_EFORMAT);
    cr_assert_eq(err.line, 0);
    cr_assert_str_eq(err.file, "");
    cr_assert_eq(err.column, column, "format %s: column %d, not %d (%s)", format, err.column,
                 column, err.message);
    cr_assert(strstr(err.message, words), "format %s: '%s' does not say '%s'", format, err.message,
              words);
}

Test(errors, unknown_style)
{
    lt_percent_options o = {.format = "%(message)s", .style = '#'};
    lt_formatter *f = NULL;
    lt_error err;

    cr_assert_eq(lt_percent_formatter_new(&f, &o, &err), LT_EINVAL);
    cr_assert_null(f);
    cr_assert_eq(err.code, LT_EINVAL);
    cr_assert_str_eq(err.message, "style must be one of '%', '{' or '$'");
    o.style = 'x';
    cr_assert_eq(lt_percent_formatter_new(&f, &o, NULL), LT_EINVAL);
    cr_assert_eq(lt_percent_formatter_new(NULL, NULL, NULL), LT_EINVAL);
}

/* Python's validate(): a format must use a field of its style; column 0,
 * since no one place is at fault. */
Test(errors, no_fields)
{
    expect_error('%', "no fields at all", 0, "no fields");
    expect_error('%', "100%% done", 0, "no fields");
    expect_error('%', "%(a-b)s", 0, "no fields");      /* Python's pattern wants \w+ */
    expect_error('%', "%(levelno)ld", 0, "no fields"); /* nor a length modifier */
    expect_error('%', "%(message).s", 0, "no fields"); /* nor a '.' without digits */
    expect_error('{', "no fields", 0, "no fields");
    expect_error('{', "{{message}}", 0, "no fields");
    expect_error('$', "no fields", 0, "no fields");
    expect_error('$', "$$message", 0, "no fields");
}

Test(errors, percent_without_name)
{
    expect_error('%', "x %s y %(message)s", 3, "without a (name)");
    expect_error('%', "%d", 1, "without a (name)");
    expect_error('%', "%(message)s %", 13, "incomplete format");
    expect_error('%', "%(message)", 1, "incomplete format");
}

Test(errors, percent_name)
{
    expect_error('%', "ab %(message", 4, "incomplete format key");
    expect_error('%', "%(a(b)s", 1, "incomplete format key");
    expect_error('%', "%()s %(message)s", 1, "empty field name");
}

Test(errors, percent_star_width)
{
    expect_error('%', "%(message)*s", 1, "'*'");
    expect_error('%', "%(message).*s", 1, "'*'");
    expect_error('%', "x%(message)-*d", 2, "'*'");
}

Test(errors, percent_unknown_conversion)
{
    expect_error('%', "%(message)q", 1, "unsupported format character 'q'");
    expect_error('%', "%(message)S", 1, "unsupported format character 'S'");
    expect_error('%', "%(message)é", 1, "unsupported format character 'é'");
    expect_error('%', "%(levelno)5% %(message)s", 1, "unsupported format character '%'");
    expect_error('%', "%(message)s %(x)5", 13, "incomplete format");
    expect_error('%', "%(message)s %(levelno)999999999999d", 13, "width too big");
}

/* A conversion that cannot apply to an attribute's type: Python would raise
 * on every record. */
Test(errors, percent_attribute_type)
{
    expect_error('%', "%(levelname)d", 1, "a real number is required, not str");
    expect_error('%', "x %(created)x", 3, "an integer is required, not float");
    expect_error('%', "%(args)d", 1, "not NoneType");
    expect_error('%', "%(msecs)c", 1, "%c requires an int or a unicode character, not float");
    expect_error('%', "%(levelno)s %(funcName)e", 13, "must be real number, not str");
}

Test(errors, brace_names)
{
    expect_error('{', "{0}", 1, "positional");
    expect_error('{', "x {}", 3, "positional");
    expect_error('{', "{message} {1}", 11, "positional");
    expect_error('{', "{a.b}", 1, "attributes");
    expect_error('{', "{a[0]}", 1, "items");
    expect_error('{', "{a-b}", 1, "invalid field name");
    expect_error('{', "{ message}", 1, "invalid field name");
    expect_error('{', "{a{b}}", 1, "unexpected '{'");
}

Test(errors, brace_conversion)
{
    expect_error('{', "{levelname!x} {message}", 1, "invalid conversion: 'x'");
    expect_error('{', "{message!}", 1, "conversion specifier");
    expect_error('{', "{message!rx}", 1, "expected ':'");
}

Test(errors, brace_unmatched)
{
    expect_error('{', "{", 1, "Single '{'");
    expect_error('{', "x}", 2, "Single '}'");
    expect_error('{', "{message}}", 10, "Single '}'");
    expect_error('{', "ab {message", 4, "expected '}'");
    expect_error('{', "{message:{}", 1, "expected '}'");
    expect_error('{', "{message:>{levelno}}", 1, "nested");
}

Test(errors, brace_spec)
{
    expect_error('{', "{message:z}", 1, "Unknown format code");
    expect_error('{', "{message:D}", 1, "Unknown format code");
    expect_error('{', "{message:.}", 1, "missing precision");
    expect_error('{', "{message:xx}", 1, "Invalid format specifier");
    expect_error('{', "{levelno:,_}", 1, "both ',' and '_'");
    expect_error('{', "{levelno:,x}", 1, "Cannot specify ','");
    expect_error('{', "{levelno:_n}", 1, "Cannot specify '_'");
    expect_error('{', "{message:\n<5}", 1, "Invalid format specifier");
}

Test(errors, brace_attribute_type)
{
    expect_error('{', "{levelname:d}", 1, "Unknown format code for object of type 'str'");
    expect_error('{', "x{levelno:.2d}", 2, "Precision not allowed");
    expect_error('{', "{levelname:+}", 1, "Sign not allowed");
    expect_error('{', "{levelname:=9}", 1, "'=' alignment");
    expect_error('{', "{levelname:#}", 1, "Alternate form");
    expect_error('{', "{levelname:,}", 1, "Cannot specify");
    expect_error('{', "{levelno:s}", 1, "type 'int'");
    expect_error('{', "{created:x}", 1, "type 'float'");
    expect_error('{', "{args:>5}", 1, "NoneType");
    expect_error('{', "{levelno:+c}", 1, "Sign not allowed with integer format specifier 'c'");
    expect_error('{', "{levelno!r:d}", 1, "type 'str'");
}

Test(errors, dollar)
{
    expect_error('$', "$", 1, "bare '$'");
    expect_error('$', "$message $", 10, "bare '$'");
    expect_error('$', "$1", 1, "bare '$'");
    expect_error('$', "${message", 1, "bare '$'");
    expect_error('$', "${}", 1, "bare '$'");
    expect_error('$', "ñ $-", 4, "bare '$'"); /* columns count bytes */
}

/* Options may be NULL, and err too. */
Test(errors, null_options_and_error)
{
    lt_percent_options o = {.format = "%(x)q"};
    lt_formatter *f = NULL;

    cr_assert_eq(lt_percent_formatter_new(&f, NULL, NULL), 0);
    cr_assert_str_eq(render_with(f, "app", LT_LEVEL_INFO, "m"), "m");
    lt_formatter_unref(f);
    cr_assert_eq(lt_percent_formatter_new(&f, &o, NULL), LT_EFORMAT);
}

/* ---- one formatter, many threads ---- */

static lt_record *kept;

static bool keep_record(void *userdata, lt_record *rec)
{
    (void)userdata;
    cr_assert_eq(lt_record_copy(rec, &kept), 0);
    return true;
}

struct job {
    lt_formatter *f;
    const char *want;
    int wrong;
};

static void *format_often(void *arg)
{
    struct job *job = arg;
    lt_buf *b;

    if (lt_buf_new(&b) < 0)
        return NULL;
    for (int i = 0; i < 2000; i++) {
        lt_buf_truncate(b, 0);
        if (lt_formatter_format(job->f, kept, b) != 0 || strcmp(lt_buf_data(b), job->want) != 0)
            job->wrong++;
    }
    lt_buf_free(b);
    return NULL;
}

static void format_from_threads(char style, const char *format)
{
    static const field fields[] = {
        {"x", VDBL(1234.5678)},
        {"s", VSTR("ñandú 'q' \n")},
        {"n", VINT(-1234567)},
    };
    lt_logger *lg = lt_get_logger("threads");
    lt_formatter *f = make(style, format, NULL, false);
    lt_filter *keep;
    pthread_t tid[4];
    struct job jobs[4];
    lt_buf *b;

    use_fields(fields, sizeof(fields) / sizeof(fields[0]));
    cr_assert_eq(lt_callback_filter_new(&keep, keep_record, NULL, NULL), 0);
    lt_logger_add_filter(lg, keep);
    render_with(f, "threads", LT_LEVEL_WARNING, "shared");
    lt_logger_remove_filter(lg, keep);
    cr_assert_not_null(kept);
    cr_assert_eq(lt_buf_new(&b), 0);
    cr_assert_eq(lt_formatter_format(f, kept, b), 0);
    for (int i = 0; i < 4; i++) {
        jobs[i] = (struct job){.f = f, .want = lt_buf_data(b)};
        cr_assert_eq(pthread_create(&tid[i], NULL, format_often, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(tid[i], NULL);
        cr_assert_eq(jobs[i].wrong, 0, "thread %d: %d wrong renderings", i, jobs[i].wrong);
    }
    lt_buf_free(b);
    lt_record_free(kept);
    kept = NULL;
    lt_filter_unref(keep);
    lt_formatter_unref(f);
}

Test(threads, one_formatter_four_threads)
{
    format_from_threads('%', "%(asctime)-30s %(levelname)-8s %(name)s %(x).3f %(x)r %(x)s "
                             "%(s)r %(s)a %(s)10.3s %(n)+015d %(n)#x %(nope)s %(message)s");
    format_from_threads('{', "{asctime:>30} {levelname:^9} {x:,.2f} {x!r} {n:_} {n:#010x} "
                             "{s!a:>20} {nope} {message}");
}

static int upper_format(void *state, const lt_record *rec, lt_buf *out)
{
    (void)state;
    lt_buf_puts(out, lt_record_message(rec));
    return 0;
}

/* A type built against version 1 ends before the describe slot: what lies
 * past its end is never read. */
struct v1_type {
    int version;
    const char *name;
    size_t state_size;
    int (*open)(void *state, const void *arg, lt_error *err);
    int (*format)(void *state, const lt_record *rec, lt_buf *out);
    void (*close)(void *state);
};

/* What lt_dump_tree() prints after "Formatter ": logging_tree's
 * "fmt=%r datefmt=%r" of a logging.Formatter, whatever the style. */
Test(percent, describes_itself_as_logging_tree_shows_a_formatter)
{
    static const struct v1_type v1 = {1, "custom-v1", 0, NULL, upper_format, NULL};
    static const lt_formatter_type v2 = {
        .version = LT_FORMATTER_TYPE_VERSION, .name = "custom", .format = upper_format};
    lt_formatter *f;
    lt_buf *b;

    cr_assert_eq(lt_buf_new(&b), 0);
    cr_assert_eq(lt_percent_formatter_new(&f, NULL, NULL), 0);
    cr_assert_eq(lt_formatter_describe(f, b), 0);
    cr_expect_str_eq(lt_buf_data(b), "fmt='%(message)s' datefmt=None");
    lt_formatter_unref(f);

    lt_buf_truncate(b, 0);
    cr_assert_eq(lt_percent_formatter_new(
                     &f, &(lt_percent_options){.style = '{', .datefmt = "%d/%m \\ \"x\""}, NULL),
                 0);
    cr_assert_eq(lt_formatter_describe(f, b), 0);
    cr_expect_str_eq(lt_buf_data(b), "fmt='{message}' datefmt='%d/%m \\\\ \"x\"'");
    lt_formatter_unref(f);

    lt_buf_truncate(b, 0);
    cr_assert_eq(lt_formatter_new(&f, &v2, NULL, NULL), 0);
    cr_assert_eq(lt_formatter_describe(f, b), 0);
    cr_expect_str_eq(lt_buf_data(b), "custom");
    lt_formatter_unref(f);

    lt_buf_truncate(b, 0);
    cr_assert_eq(lt_formatter_new(&f, (const lt_formatter_type *)(const void *)&v1, NULL, NULL),
                 0);
    cr_assert_eq(lt_formatter_describe(f, b), 0);
    cr_expect_str_eq(lt_buf_data(b), "custom-v1");
    lt_formatter_unref(f);
    lt_buf_free(b);
}
