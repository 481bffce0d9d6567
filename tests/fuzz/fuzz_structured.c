/* tests/fuzz/fuzz_structured.c - the JSON and logfmt formatters on records
 * with arbitrary message, keys and values (any bytes, invalid UTF-8, control
 * characters). Property: one record is one line, whatever the bytes. */
#include <stdlib.h>
#include <string.h>

#include "support.h"

static void one_line(const char *line, size_t len)
{
    if (memchr(line, '\n', len) || memchr(line, '\r', len) || memchr(line, '\0', len))
        abort(); /* a raw line break or NUL: a reader would see two records */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = {data, size};
    lt_formatter *f;
    int r;

    if (fuzz_take_byte(&in) & 1)
        r = lt_json_formatter_new(&f, NULL, NULL);
    else
        r = lt_logfmt_formatter_new(&f, NULL, NULL);
    if (r != 0)
        abort();
    fuzz_log_through(f, &in, one_line);
    lt_formatter_unref(f);
    return 0;
}
