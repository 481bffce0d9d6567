/* tests/fuzz/fuzz_config_json.c - fuzzing entry point of the JSON loader
 * (parser and dictConfig checks). tests/fuzz/run.sh builds and runs it with
 * libFuzzer (see tests/fuzz/README.md). Without libFuzzer, tests/fuzz/driver.c
 * runs it over files (CTest does, over the oracle's configs). Nothing is
 * opened or changed: LT_CONFIG_CHECK_ONLY. */
#include <stddef.h>
#include <stdint.h>

#include <logtree/logtree.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lt_error err;

    (void)lt_config_json_string((const char *)data, size, "fuzz.json", LT_CONFIG_CHECK_ONLY,
                                &err);
    return 0;
}
