/* tests/fuzz/fuzz_pyliteral.c - the reader of Python literals in args= and
 * kwargs= of INI handler sections. */
#include <stdlib.h>
#include <string.h>

#include "pyliteral.h"
#include "support.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_input in = {data, size};
    char *text = fuzz_take_string(&in, NULL);
    lt__pyval *v;
    lt_error err;

    if (lt__py_parse(text, &v, &err) == 0)
        lt__py_free(v);
    free(text);
    return 0;
}
