/* tests/fuzz/fuzz_ini.c - the INI reader (ConfigParser's syntax and
 * interpolation), then the whole fileConfig loader on what it accepts.
 * run.sh runs it in a scratch directory, where FileHandlers the fuzzer
 * writes create their files; paths that could leave it are refused first. */
#include <stdlib.h>
#include <string.h>

#include "ini.h"
#include "support.h"

static int get_each(const char *section, const char *key, const char *raw, int line, void *ud)
{
    const char *value;

    (void)raw;
    (void)line;
    if (key) /* NULL: the section's header */
        (void)lt__ini_get(ud, section, key, false, &value, NULL);
    return 0;
}

static bool contains(const uint8_t *data, size_t size, const char *what)
{
    size_t n = strlen(what);

    for (size_t i = 0; i + n <= size; i++)
        if (memcmp(data + i, what, n) == 0)
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    lt__ini *ini;
    lt_error err;

    if (lt__ini_parse((const char *)data, size, "fuzz.ini", &ini, &err) == 0) {
        (void)lt__ini_foreach(ini, get_each, ini);
        lt__ini_free(ini);
    }
    /* Only relative file names: a fuzzer must not write outside its directory. */
    if (!contains(data, size, "/") && !contains(data, size, "~") && !contains(data, size, ".."))
        (void)lt_config_string((const char *)data, size, "fuzz.ini", 0, &err);
    return 0;
}
