/* src/cli/fields.c - KEY=VALUE fields from the command line and TSV lines,
 * typed the way a shell user means them. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static bool parse_int(const char *s, long long *ret)
{
    char *end;

    if (!*s || (*s != '-' && *s != '+' && (*s < '0' || *s > '9')))
        return false;
    errno = 0;
    *ret = strtoll(s, &end, 10);
    return !*end && errno == 0 && end != s;
}

/* Digits with a '.' or an exponent; not inf or nan, which stay strings. */
static bool parse_float(const char *s, double *ret)
{
    char *end;

    if (!strpbrk(s, ".eE") || strpbrk(s, "iInN") || !*s)
        return false;
    errno = 0;
    *ret = strtod(s, &end);
    return !*end && errno == 0 && end != s;
}

static lt_value typed_value(const char *s, bool force_string)
{
    long long i;
    double d;

    if (force_string)
        return lt_value_str(s);
    if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
        return lt_value_bool(s[0] == 't');
    if (parse_int(s, &i))
        return lt_value_int(i);
    if (parse_float(s, &d))
        return lt_value_double(d);
    return lt_value_str(s);
}

/* Checked before anything is cut, so that a text that is not a field is
 * left as it was. */
bool cli_parse_field(char *text, lt_field *ret)
{
    char *eq = strchr(text, '='), *key_end = eq;
    bool force_string = false;

    if (!eq)
        return false;
    if (eq - text >= 2 && eq[-2] == ':' && eq[-1] == 's') {
        key_end = eq - 2;
        force_string = true;
    }
    if (key_end == text)
        return false;
    *key_end = '\0';
    *eq = '\0';
    ret->key = text;
    ret->value = typed_value(eq + 1, force_string);
    return true;
}

static bool key_byte(char c, bool first)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (unsigned char)c >= 0x80)
        return true;
    return !first && ((c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':');
}

bool cli_looks_like_field(const char *text)
{
    size_t n = 0;

    while (text[n] && text[n] != '=' && key_byte(text[n], n == 0))
        n++;
    return n > 0 && text[n] == '=';
}
