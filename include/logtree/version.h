/* logtree/version.h - the version of the headers, and of the library at run time.
 *
 * These three numbers are the one source of truth: CMakeLists.txt reads them
 * from this file, so the package version, the shared library's version and
 * lt_version() can never disagree. */
#ifndef LOGTREE_VERSION_H
#define LOGTREE_VERSION_H

#include <logtree/common.h>

#define LT_VERSION_MAJOR 0
#define LT_VERSION_MINOR 1
#define LT_VERSION_PATCH 0

#define LT__STR(x)          #x
#define LT__XSTR(x)         LT__STR(x)
#define LT_VERSION_STRING                                                                          \
    LT__XSTR(LT_VERSION_MAJOR) "." LT__XSTR(LT_VERSION_MINOR) "." LT__XSTR(LT_VERSION_PATCH)

/* 0xMMmmpp, so that versions compare as integers. */
#define LT_VERSION_NUMBER ((LT_VERSION_MAJOR << 16) | (LT_VERSION_MINOR << 8) | LT_VERSION_PATCH)

/* True when the headers are at least version x.y.z: #if LT_VERSION_AT_LEAST(0, 2, 0) */
#define LT_VERSION_AT_LEAST(x, y, z) (LT_VERSION_NUMBER >= (((x) << 16) | ((y) << 8) | (z)))

#ifdef __cplusplus
extern "C" {
#endif

/**
 * The version of the library the program runs with, as LT_VERSION_NUMBER.
 *
 * Compare it with LT_VERSION_NUMBER to find out whether the program was
 * compiled against other headers than the library it loaded.
 *
 * Returns: (MAJOR << 16) | (MINOR << 8) | PATCH of the running library.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API unsigned lt_version(void);

/**
 * The version of the running library as text, such as "0.1.0".
 *
 * Returns: a static string; never NULL, never to be freed.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API const char *lt_version_string(void);

#ifdef __cplusplus
}
#endif

#endif /* LOGTREE_VERSION_H */
