/* tests/fuzz/fuzz_config_ini.c - fuzzing entry point of the INI loader
 * (ConfigParser syntax, Python literals, fileConfig checks); built and run as
 * fuzz_config_json.c says. Nothing is opened or changed: LT_CONFIG_CHECK_ONLY.
 * An input starting with '{' goes to the JSON loader, as lt_config_string()
 * decides; that is fine for a fuzzer. */
#include <stddef.h>
#include <stdint.h>

#include <logtree/logtree.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lt_error err;

    (void)lt_config_string((const char *)data, size, "fuzz.ini", LT_CONFIG_CHECK_ONLY, &err);
    return 0;
}
