/* handlers/wire.c - text encodings the network handlers share: valid UTF-8
 * (receivers in Python, and RFC 5424's SD-PARAMs, refuse anything else),
 * Python's repr() of a double, RFC 3339 times, the host name. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net.h"

static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

static bool cont(unsigned char c, unsigned char lo, unsigned char hi)
{
    return c >= lo && c <= hi;
}

/* The length of the valid UTF-8 sequence at @s (at most @len bytes), or 0
 * with *@bad set to the length of its maximal invalid prefix (at least 1). */
static size_t utf8_seq(const unsigned char *s, size_t len, size_t *bad)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xbf;
    size_t need, i;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        need = 1;
    else if (c >= 0xe0 && c <= 0xef)
        need = 2;
    else if (c >= 0xf0 && c <= 0xf4)
        need = 3;
    else {
        *bad = 1;
        return 0;
    }
    if (c == 0xe0)
        lo = 0xa0;
    else if (c == 0xed)
        hi = 0x9f;
    else if (c == 0xf0)
        lo = 0x90;
    else if (c == 0xf4)
        hi = 0x8f;
    for (i = 1; i <= need; i++) {
        if (i >= len || !cont(s[i], i == 1 ? lo : 0x80, i == 1 ? hi : 0xbf)) {
            *bad = i;
            return 0;
        }
    }
    return need + 1;
}

void lt__utf8_append(lt_buf *out, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t start = 0, i = 0;

    while (i < len) {
        size_t bad = 0, n = p[i] < 0x80 ? 1 : utf8_seq(p + i, len - i, &bad);

        if (n > 0) {
            i += n;
            continue;
        }
        lt_buf_append(out, s + start, i - start);
        lt_buf_append(out, replacement, sizeof(replacement) - 1);
        i += bad;
        start = i;
    }
    lt_buf_append(out, s + start, len - start);
}

/* The shortest "%.*e" that reads back as @d: its digits and exponent. */
static void shortest_digits(double d, char *digits, size_t size, int *exp10)
{
    char buf[40], *e;
    size_t nd = 0;

    for (int prec = 0; prec < 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*e", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    e = strchr(buf, 'e');
    *exp10 = atoi(e + 1);
    for (const char *p = buf; p < e && nd + 1 < size; p++)
        if (*p >= '0' && *p <= '9')
            digits[nd++] = *p;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    digits[nd] = '\0';
}

/* Python's float_repr_style 'short': exponent form below 1e-4 and from 1e16. */
void lt__double_append(lt_buf *out, double d)
{
    char digits[24];
    int exp10;
    size_t nd;

    if (isnan(d) || isinf(d)) {
        lt_buf_puts(out, isnan(d) ? "nan" : d < 0 ? "-inf" : "inf");
        return;
    }
    if (signbit(d))
        lt_buf_putc(out, '-');
    shortest_digits(fabs(d), digits, sizeof(digits), &exp10);
    nd = strlen(digits);
    if (exp10 < -4 || exp10 >= 16) {
        lt_buf_putc(out, digits[0]);
        if (nd > 1) {
            lt_buf_putc(out, '.');
            lt_buf_puts(out, digits + 1);
        }
        lt_buf_printf(out, "e%c%02d", exp10 < 0 ? '-' : '+', abs(exp10));
    } else if (exp10 < 0) {
        lt_buf_puts(out, "0.");
        for (int i = -1; i > exp10; i--)
            lt_buf_putc(out, '0');
        lt_buf_puts(out, digits);
    } else {
        size_t whole = (size_t)exp10 + 1;

        for (size_t i = 0; i < whole; i++)
            lt_buf_putc(out, i < nd ? digits[i] : '0');
        lt_buf_putc(out, '.');
        lt_buf_puts(out, whole < nd ? digits + whole : "0");
    }
}

/* Seconds east of UTC of local time @lt, which is @t (no tm_gmtoff in POSIX). */
static long utc_offset(time_t t, const struct tm *lt)
{
    struct tm gt;
    long days;

    gmtime_r(&t, &gt);
    days = lt->tm_yday - gt.tm_yday;
    if (lt->tm_year != gt.tm_year)
        days = lt->tm_year > gt.tm_year ? 1 : -1;
    return ((days * 24 + lt->tm_hour - gt.tm_hour) * 60 + lt->tm_min - gt.tm_min) * 60 +
           lt->tm_sec - gt.tm_sec;
}

void lt__rfc3339_append(lt_buf *out, struct timespec ts, bool utc)
{
    struct tm tm;
    long off = 0;

    if (utc)
        gmtime_r(&ts.tv_sec, &tm);
    else {
        localtime_r(&ts.tv_sec, &tm);
        off = utc_offset(ts.tv_sec, &tm);
    }
    lt_buf_printf(out, "%04d-%02d-%02dT%02d:%02d:%02d.%06ld%c%02ld:%02ld", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  (long)(ts.tv_nsec / 1000), off < 0 ? '-' : '+', labs(off) / 3600,
                  labs(off) % 3600 / 60);
}

void lt__hostname(char *buf, size_t size)
{
    if (gethostname(buf, size) != 0 || !buf[0]) {
        snprintf(buf, size, "localhost");
        return;
    }
    buf[size - 1] = '\0';
}
