/* logtree/common.h - what every other logtree header needs: the export macro,
 * error codes, and the error details that configuration loaders fill in.
 *
 * Errors. A function that can fail returns int: 0 (or a meaningful count) on
 * success, a negative LT_E* code on failure. System errors pass through
 * unchanged (LT_ENOENT == -ENOENT), so a handler can simply `return -errno;`.
 * logtree's own codes live below -4000, out of the way of any errno value.
 * Codes are never renumbered. */
#ifndef LOGTREE_COMMON_H
#define LOGTREE_COMMON_H

#include <errno.h>
#include <stddef.h>

#if defined(LT_STATIC)
#define LT_API
#elif defined(__GNUC__)
#define LT_API __attribute__((visibility("default")))
#else
#define LT_API
#endif

/* Lets the compiler check a printf-style format against its arguments. */
#if defined(__GNUC__)
#define LT_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
#else
#define LT_PRINTF(fmt_index, first_arg)
#endif

/* X(name, value, message): every error code logtree returns. */
#define LT_ERROR_MAP(X)                                                                            \
    X(EPERM, -EPERM, "operation not permitted")                                                    \
    X(ENOENT, -ENOENT, "no such file or directory")                                                \
    X(EINTR, -EINTR, "interrupted system call")                                                    \
    X(EIO, -EIO, "input/output error")                                                             \
    X(EBADF, -EBADF, "bad file descriptor")                                                        \
    X(EAGAIN, -EAGAIN, "resource temporarily unavailable")                                         \
    X(ENOMEM, -ENOMEM, "out of memory")                                                            \
    X(EACCES, -EACCES, "permission denied")                                                        \
    X(EEXIST, -EEXIST, "file exists")                                                              \
    X(ENOTDIR, -ENOTDIR, "not a directory")                                                        \
    X(EISDIR, -EISDIR, "is a directory")                                                           \
    X(EINVAL, -EINVAL, "invalid argument")                                                         \
    X(EMFILE, -EMFILE, "too many open files")                                                      \
    X(EFBIG, -EFBIG, "file too large")                                                             \
    X(ENOSPC, -ENOSPC, "no space left on device")                                                  \
    X(EROFS, -EROFS, "read-only file system")                                                      \
    X(EPIPE, -EPIPE, "broken pipe")                                                                \
    X(ERANGE, -ERANGE, "result out of range")                                                      \
    X(ENAMETOOLONG, -ENAMETOOLONG, "file name too long")                                           \
    X(ELOOP, -ELOOP, "too many levels of symbolic links, or a link refused")                       \
    X(ENOTSUP, -ENOTSUP, "operation not supported")                                                \
    X(EDQUOT, -EDQUOT, "disk quota exceeded")                                                      \
    X(ECONNREFUSED, -ECONNREFUSED, "connection refused")                                           \
    X(ECONNRESET, -ECONNRESET, "connection reset by peer")                                         \
    X(ETIMEDOUT, -ETIMEDOUT, "connection timed out")                                               \
    X(EDEADLK, -EDEADLK, "would deadlock: called from inside a handler or filter")                 \
    X(ESYNTAX, -4001, "syntax error")                                                              \
    X(ECONFIG, -4002, "invalid configuration")                                                     \
    X(EUNKNOWN, -4003, "unknown name")                                                             \
    X(EFORMAT, -4004, "invalid format string")                                                     \
    X(ELEVEL, -4005, "unknown level name")                                                         \
    X(ECLOSED, -4006, "handler is closed")                                                         \
    X(EUNSUPPORTED, -4007, "not supported by logtree")

#define LT__ERROR_ENUM(name, value, message) LT_##name = (value),
enum lt_errno { LT_ERROR_MAP(LT__ERROR_ENUM) };
#undef LT__ERROR_ENUM

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A sentence that explains an error code, such as "no space left on device".
 *
 * Returns: a static string for every LT_E* code; "unknown error" for any
 * other value. Never NULL, never to be freed.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API const char *lt_strerror(int code);

/**
 * The name of an error code without its LT_ prefix, such as "ENOSPC".
 *
 * Returns: a static string for every LT_E* code; "UNKNOWN" for any other
 * value. Never NULL, never to be freed.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API const char *lt_err_name(int code);

/* Where and why a configuration (or a format string) was rejected. A value
 * type: declare one on the stack and pass its address; loaders fill it only
 * when they fail. line and column count from 1; 0 means "not about a line"
 * or "column unknown". */
typedef struct lt_error {
    int code;          /* the negative LT_E* code the function returned */
    int line;          /* 1-based line in file, 0 if none */
    int column;        /* 1-based column in that line (bytes), 0 if unknown */
    char file[256];    /* the file (or "<string>"), empty if none */
    char message[512]; /* what was wrong, in words, without the location */
} lt_error;

/**
 * Reset @err to "no error": code 0, no location, empty texts.
 *
 * Returns: nothing; @err NULL is allowed and ignored.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API void lt_error_clear(lt_error *err);

/**
 * Write @err as one line, "file:line:column: message", into @buf.
 *
 * Parts that are unknown are left out ("file:line: message", "message").
 * The text is always NUL-terminated when @size > 0, and cut if it must be.
 *
 * Returns: the length the whole text has (as snprintf), or 0 if @err is NULL.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API size_t lt_error_format(const lt_error *err, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* LOGTREE_COMMON_H */
