/* src/version.c - the running library's version. */
#include "internal.h"

unsigned lt_version(void)
{
    return LT_VERSION_NUMBER;
}

const char *lt_version_string(void)
{
    return LT_VERSION_STRING;
}
