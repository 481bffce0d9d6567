/* tests/fuzz/fuzz_access.c - the access-log formatter: compiling a
 * LogFormat pattern, then formatting a record with arbitrary fields (the
 * request's method, path, user agent ... come from fields). */
#include <stdlib.h>

#include "support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = {data, size};
    char *pattern = fuzz_take_string(&in, NULL);
    lt_formatter *f;
    lt_error err;

    if (lt_access_formatter_new(&f, &(lt_access_options){.format = pattern, .utc = true}, &err) ==
        0) {
        fuzz_log_through(f, &in, NULL);
        lt_formatter_unref(f);
    }
    free(pattern);
    return 0;
}
