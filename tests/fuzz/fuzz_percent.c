/* tests/fuzz/fuzz_percent.c - Python's %, { and $ format styles: compiling
 * a format, then formatting a record with arbitrary message and fields. */
#include <stdlib.h>

#include "support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char styles[] = {'%', '{', '$'};
    struct fuzz_input in = {data, size};
    char style = styles[fuzz_take_byte(&in) % 3];
    char *format = fuzz_take_string(&in, NULL), *datefmt = fuzz_take_string(&in, NULL);
    lt_formatter *f;
    lt_error err;

    if (lt_percent_formatter_new(&f,
                                 &(lt_percent_options){.format = format,
                                                       .datefmt = datefmt,
                                                       .style = style,
                                                       .utc = fuzz_take_byte(&in) & 1},
                                 &err) == 0) {
        fuzz_log_through(f, &in, NULL);
        lt_formatter_unref(f);
    }
    free(format);
    free(datefmt);
    return 0;
}
