/* logtree/formatter.h - turning a record into bytes: the formatter vtable, for
 * people who write formatters, and the growable buffer formatters write into.
 *
 * A formatter kind is a static const lt_formatter_type. logtree allocates its
 * per-instance state (state_size bytes, zeroed), calls open once with the
 * constructor's argument, format for each record, close once at the end. The
 * built-in formatters (formatters.h) are written exactly this way. */
#ifndef LOGTREE_FORMATTER_H
#define LOGTREE_FORMATTER_H

#include <stdbool.h>
#include <stddef.h>

#include <logtree/common.h>
#include <logtree/record.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A growable byte buffer. Appending never fails from the caller's view: when
 * memory runs out the buffer remembers it, drops what does not fit, and
 * lt_buf_error() reports it, so formatters check once at the end. */
typedef struct lt_buf lt_buf;

/**
 * A new empty buffer.
 * Returns: 0 and *@ret set, LT_ENOMEM, LT_EINVAL. Threads: any thread. Since: 0.1
 */
LT_API int lt_buf_new(lt_buf **ret);

/**
 * Free @b and its bytes. NULL is allowed and ignored.
 * Returns: nothing. Threads: the thread that owns @b. Since: 0.1
 */
LT_API void lt_buf_free(lt_buf *b);

/**
 * Append @len bytes of @data to @b.
 * Returns: nothing; see lt_buf_error(). Threads: the thread that owns @b. Since: 0.1
 */
LT_API void lt_buf_append(lt_buf *b, const void *data, size_t len);

/**
 * Append the NUL-terminated string @s to @b (without its NUL).
 * Returns: nothing; see lt_buf_error(). Threads: the thread that owns @b. Since: 0.1
 */
LT_API void lt_buf_puts(lt_buf *b, const char *s);

/**
 * Append the byte @c to @b.
 * Returns: nothing; see lt_buf_error(). Threads: the thread that owns @b. Since: 0.1
 */
LT_API void lt_buf_putc(lt_buf *b, char c);

/**
 * Append printf-style text to @b.
 * Returns: nothing; see lt_buf_error(). Threads: the thread that owns @b. Since: 0.1
 */
LT_API void lt_buf_printf(lt_buf *b, const char *fmt, ...) LT_PRINTF(2, 3);

/**
 * The bytes of @b. They are always followed by a NUL byte that is not counted
 * in lt_buf_len(), so the data can be used as a C string.
 * Returns: a pointer valid until the next change to @b; never NULL.
 * Threads: the thread that owns @b. Since: 0.1
 */
LT_API const char *lt_buf_data(const lt_buf *b);

/**
 * The number of bytes in @b.
 * Returns: the length. Threads: the thread that owns @b. Since: 0.1
 */
LT_API size_t lt_buf_len(const lt_buf *b);

/**
 * Cut @b to its first @len bytes (no-op if it is not longer), and forget any
 * earlier out-of-memory error. lt_buf_truncate(b, 0) empties @b.
 * Returns: nothing. Threads: the thread that owns @b. Since: 0.1
 */
LT_API void lt_buf_truncate(lt_buf *b, size_t len);

/* What record-supplied text becomes in a buffer (lt_buf_set_escape()), and
 * the handler setting that chooses it (lt_handler_set_escape()). */
typedef enum lt_escape {
    LT_ESCAPE_DEFAULT = 0, /* a handler: its kind's choice; a buffer: LT_ESCAPE_NONE */
    LT_ESCAPE_NONE = 1,    /* the bytes as they are: Python's behaviour */
    /* CR as \r, LF as \n; every other control character (C0 but TAB, DEL, C1)
     * and every byte of invalid UTF-8 as \xhh (lower-case hex, one per byte):
     * the text can neither end a line nor send a terminal escape sequence. */
    LT_ESCAPE_CONTROLS = 2
} lt_escape;

/**
 * Set what lt_buf_escape_from() does in @b: @e is LT_ESCAPE_NONE (the
 * default of a new buffer; LT_ESCAPE_DEFAULT means the same) or
 * LT_ESCAPE_CONTROLS. The handlers set it on the buffer they format into,
 * from lt_handler_set_escape(); set it yourself on a buffer you pass to
 * lt_formatter_format(). Emptying @b keeps it.
 *
 * Returns: nothing; an unknown @e is taken as LT_ESCAPE_CONTROLS.
 * Threads: the thread that owns @b. Since: 0.1
 */
LT_API void lt_buf_set_escape(lt_buf *b, lt_escape e);

/**
 * What lt_buf_escape_from() does in @b (lt_buf_set_escape()). For handler
 * authors: the buffer emit receives carries the handler's setting, so a
 * kind that writes record text of its own (syslog's structured data) can
 * escape it alike.
 * Returns: LT_ESCAPE_NONE or LT_ESCAPE_CONTROLS.
 * Threads: the thread that owns @b. Since: 0.1
 */
LT_API lt_escape lt_buf_escape(const lt_buf *b);

/**
 * For formatter authors: escape, as @b's setting says (lt_buf_set_escape()),
 * the bytes appended to @b since it was @start bytes long. Call it after
 * appending each piece of text the record supplies (the message, a field,
 * the logger's name), never after the literal text of the user's format:
 * that is how a handler's escaping applies to what an attacker may control
 * and to nothing else. Escaped text holds nothing left to escape, so a
 * piece escaped twice comes out the same.
 *
 * Returns: nothing; see lt_buf_error() (escaping may need memory).
 * Threads: the thread that owns @b. Since: 0.1
 */
LT_API void lt_buf_escape_from(lt_buf *b, size_t start);

/**
 * Whether appending to @b failed since it was last emptied.
 * Returns: 0, or LT_ENOMEM if some append was dropped. Threads: the thread that
 * owns @b. Since: 0.1
 */
LT_API int lt_buf_error(const lt_buf *b);

#define LT_FORMATTER_TYPE_VERSION 2

typedef struct lt_formatter lt_formatter;

typedef struct lt_formatter_type {
    int version;       /* LT_FORMATTER_TYPE_VERSION you compiled against */
    const char *name;  /* "percent"; names the kind in errors and config files */
    size_t state_size; /* bytes of per-formatter state, zeroed, owned by logtree */

    /* Set up state from the constructor's argument (compile a format string,
     * say). NULL: nothing to do. On failure, release what it acquired, fill
     * @err (may be NULL) and return a negative LT_E* code; close is not called. */
    int (*open)(void *state, const void *arg, lt_error *err);

    /* Append the rendering of @rec to @out, without a line terminator (the
     * handler adds its own). Runs on several threads at once for one formatter:
     * after open, treat state as read-only. Return 0 or a negative LT_E* code;
     * on failure the handler drops the record and counts it. */
    int (*format)(void *state, const lt_record *rec, lt_buf *out);

    /* Release what open acquired. NULL: nothing to release. */
    void (*close)(void *state);

    /* Version 2 on; NULL: described by its name alone. Append what this
     * formatter is, for lt_formatter_describe(), without newlines: Python's
     * logging_tree shows a logging.Formatter as "fmt='%(message)s'
     * datefmt=None", other kinds by what they are ("json attributes=..."). */
    void (*describe)(const void *state, lt_buf *out);
} lt_formatter_type;

/**
 * Make a formatter of kind @type, opened with @arg.
 *
 * Returns: 0 and *@ret set (one reference, yours); otherwise what open
 * returned (with @err filled), LT_EINVAL for a NULL @ret or @type or a @type of
 * a newer version, LT_ENOMEM.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_formatter_new(lt_formatter **ret, const lt_formatter_type *type, const void *arg,
                            lt_error *err);

/**
 * Take another reference to @f.
 * Returns: @f. Threads: any thread. Since: 0.1
 */
LT_API lt_formatter *lt_formatter_ref(lt_formatter *f);

/**
 * Drop a reference to @f; the last one closes and frees it. NULL is ignored.
 * Returns: NULL, so that `f = lt_formatter_unref(f);` clears the pointer.
 * Threads: any thread. Since: 0.1
 */
LT_API lt_formatter *lt_formatter_unref(lt_formatter *f);

/**
 * Append the rendering of @rec by @f to @out.
 * Returns: 0 or the negative LT_E* code the kind returned.
 * Threads: any thread. Since: 0.1
 */
LT_API int lt_formatter_format(lt_formatter *f, const lt_record *rec, lt_buf *out);

/**
 * Append to @out what @f is, as lt_dump_tree() shows it after "Formatter ":
 * what the kind's describe slot appends, or else the kind's name. The
 * built-in kinds follow Python's logging_tree: "fmt='%(message)s'
 * datefmt=None" for a percent formatter (any style, as logging.Formatter),
 * the kind and its options for the others ("json attributes='...' ...").
 * Returns: 0; LT_EINVAL for a NULL @f or @out; LT_ENOMEM if @out could not
 * grow (see lt_buf_error()). Threads: any thread. Since: 0.1
 */
LT_API int lt_formatter_describe(const lt_formatter *f, lt_buf *out);

/**
 * Append the creation time of @rec to @out as Python's Formatter.formatTime():
 * strftime(@datefmt) of the local time (UTC if @utc), or, when @datefmt is
 * NULL or empty, "2003-07-08 16:49:45,896" (milliseconds after a comma).
 * %Z prints "UTC" for UTC times, as Python does.
 * Returns: nothing; see lt_buf_error(). Threads: any thread. Since: 0.1
 */
LT_API void lt_format_time(const lt_record *rec, const char *datefmt, bool utc, lt_buf *out);

#ifdef __cplusplus
}
#endif

#endif /* LOGTREE_FORMATTER_H */
