/* formatters/dollar_style.c - the '$' style, string.Template's syntax:
 * "$name" and "${name}" with ASCII identifiers, "$$" for a dollar sign. Any
 * other '$' is refused, as logging's StringTemplateStyle.validate() does. */
#include "percent.h"

static bool is_ident(char c, bool first)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (!first && c >= '0' && c <= '9');
}

static int field(lt__program *prog, const char *format, size_t *pos, lt_error *err)
{
    size_t at = *pos, name = at + 1, len = 0, end;
    bool braced = format[name] == '{';
    lt__pyspec spec;

    name += braced;
    while (is_ident(format[name + len], len == 0))
        len++;
    if (!len || (braced && format[name + len] != '}'))
        return lt__format_error(err, at,
                                "bare '$' not allowed: write '$$' for a dollar sign, "
                                "'$name' or '${name}' for a field");
    end = name + len + braced;
    lt__pyspec_init(&spec);
    spec.type = 's';
    *pos = end;
    return lt__program_add_field(prog, format, at, end, format + name, len, &spec, err);
}

int lt__parse_dollar(lt__program *prog, const char *format, lt_error *err)
{
    size_t i = 0, lit = 0;
    int r;

    while (format[i]) {
        if (format[i] != '$') {
            i++;
        } else if (format[i + 1] == '$') {
            /* the first '$' ends the literal text, the second is skipped */
            if ((r = lt__program_add_text(prog, format + lit, i + 1 - lit)) < 0)
                return r;
            i += 2;
            lit = i;
        } else {
            if ((r = lt__program_add_text(prog, format + lit, i - lit)) < 0 ||
                (r = field(prog, format, &i, err)) < 0)
                return r;
            lit = i;
        }
    }
    return lt__program_add_text(prog, format + lit, i - lit);
}
