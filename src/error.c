/* src/error.c - error codes as words, and the error details loaders fill. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

const char *lt_strerror(int code)
{
    switch (code) {
#define LT__ERROR_TEXT(name, value, message)                                                       \
    case LT_##name:                                                                                \
        return message;
        LT_ERROR_MAP(LT__ERROR_TEXT)
#undef LT__ERROR_TEXT
    default:
        return "unknown error";
    }
}

const char *lt_err_name(int code)
{
    switch (code) {
#define LT__ERROR_NAME(name, value, message)                                                       \
    case LT_##name:                                                                                \
        return #name;
        LT_ERROR_MAP(LT__ERROR_NAME)
#undef LT__ERROR_NAME
    default:
        return "UNKNOWN";
    }
}

void lt_error_clear(lt_error *err)
{
    if (err)
        memset(err, 0, sizeof(*err));
}

size_t lt_error_format(const lt_error *err, char *buf, size_t size)
{
    char where[320] = "";
    int n;

    if (!err)
        return 0;
    if (err->file[0] && err->line > 0 && err->column > 0)
        snprintf(where, sizeof(where), "%s:%d:%d: ", err->file, err->line, err->column);
    else if (err->file[0] && err->line > 0)
        snprintf(where, sizeof(where), "%s:%d: ", err->file, err->line);
    else if (err->file[0])
        snprintf(where, sizeof(where), "%s: ", err->file);
    else if (err->column > 0)
        snprintf(where, sizeof(where), "column %d: ", err->column);
    n = snprintf(buf, size, "%s%s", where, err->message[0] ? err->message : lt_strerror(err->code));
    return n < 0 ? 0 : (size_t)n;
}

int lt__error_set(lt_error *err, int code, const char *file, int line, int column,
                  const char *fmt, ...)
{
    va_list ap;

    if (!err)
        return code;
    lt_error_clear(err);
    err->code = code;
    err->line = line;
    err->column = column;
    if (file)
        snprintf(err->file, sizeof(err->file), "%s", file);
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof(err->message), fmt, ap);
    va_end(ap);
    return code;
}
