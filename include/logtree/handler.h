/* logtree/handler.h - where records go: the handler vtable, for people who
 * write handlers, and the API every handler shares.
 *
 * A handler kind is a static const lt_handler_type. logtree owns each
 * handler's state (state_size bytes, zeroed) and its lock, and calls the
 * kind's slots with that lock held, so a slot never runs twice at once for one
 * handler even when the handler serves several loggers and threads. The
 * built-in handlers (handlers.h) are written exactly this way, against this
 * header and nothing else.
 *
 * What the core does around emit: the handler's level (checked by the logger
 * before it calls the handler), its filters, and its formatter, which renders
 * the record into the buffer emit receives. When emit fails, the core reports
 * it on stderr once per streak of failures (not once per record), counts every
 * lost record (lt_handler_error_count()), and goes on; the program is never
 * stopped by a handler. */
#ifndef LOGTREE_HANDLER_H
#define LOGTREE_HANDLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <logtree/common.h>
#include <logtree/formatter.h>
#include <logtree/logger.h>
#include <logtree/record.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LT_HANDLER_TYPE_VERSION 1

/* lt_handler_type.flags */
#define LT_HANDLER_RAW 0x1u /* emit needs only the record: the core formats nothing */
/* Readers split the kind's output into lines (a file, syslog): record text
 * is escaped by default (LT_ESCAPE_CONTROLS; see lt_handler_set_escape()). */
#define LT_HANDLER_ESCAPE 0x2u

/* lt_handler_control() operations every kind may implement. */
#define LT_HANDLER_CTL_REOPEN         1 /* reopen files (logrotate's postrotate) */
#define LT_HANDLER_CTL_AFTER_FORK     2 /* in the child: drop what the parent shares */
#define LT_HANDLER_CTL_SET_TERMINATOR 3 /* arg: const char *; copied by the kind */
/* arg: lt_buf *: append where records go, as lt_dump_tree() shows it: a
 * file as '/var/log/app.log', a stream as <stderr>. The core also asks when
 * it reports a failure, so that the report names the file. */
#define LT_HANDLER_CTL_DESCRIBE 4
/* arg: lt_handler_stats *: add the kind's own counts (bytes written) to what
 * the core filled in. For lt_handler_get_stats(). */
#define LT_HANDLER_CTL_STATS 5
/* arg: int64_t *, a CLOCK_MONOTONIC time in milliseconds: write out what
 * has waited as long as the kind lets records wait (lt_file_options'
 * flush_ms), and lower *arg to when what still waits will be due. The
 * library's flush timer asks every handler; kinds that hold nothing need
 * not implement it. */
#define LT_HANDLER_CTL_FLUSH_DUE 6

/* What emit may return besides 0 and a negative LT_E* code: the record was
 * taken, but is not written yet (a buffering kind) or the kind reported a
 * problem about it itself (lt_handler_report()). The core counts the record
 * as taken and does not end a failure streak, as it does after a 0. */
#define LT_EMIT_PENDING 1

/* What a handler did since it was made (lt_handler_get_stats()). */
typedef struct lt_handler_stats {
    uint64_t records; /* records the kind took: emit returned 0 or LT_EMIT_PENDING */
    uint64_t bytes;   /* bytes written, as the kind counts them (LT_HANDLER_CTL_STATS); 0 if
                         the kind does not say */
    uint64_t errors;  /* failures: each failed format or emit, each lt_handler_report() */
    uint64_t dropped; /* records lost: failed, refused (closed handler, a loop), or reported
                         lost by the kind; lt_handler_error_count() */
    uint64_t truncated; /* records cut to LT_MAX_RECORD_BYTES (written, so also in records) */
} lt_handler_stats;

/* The most bytes one formatted record may take: what the handler's formatter
 * renders, before the kind adds its terminator ("\n") or framing. A longer
 * record is not dropped: it is cut, before a UTF-8 sequence, and ends in the
 * marker "...[truncated N bytes]", N the bytes of the formatted record left
 * out, so that it is at most LT_MAX_RECORD_BYTES bytes; the cut is counted in
 * lt_handler_stats.truncated. Asynchronous records are cut the same way, by
 * the backend thread. A cut JSON or logfmt record no longer parses: the
 * marker says why. Raw kinds (MemoryHandler, SocketHandler's pickles) get the
 * record itself; a memory handler's target cuts what it formats. */
#define LT_MAX_RECORD_BYTES ((size_t)1 << 20)

typedef struct lt_handler_type {
    int version;       /* LT_HANDLER_TYPE_VERSION you compiled against */
    const char *name;  /* "file"; names the kind in errors and config files */
    size_t state_size; /* bytes of per-handler state, zeroed, owned by logtree */
    unsigned flags;    /* LT_HANDLER_RAW, LT_HANDLER_ESCAPE, or 0 */

    /* Set up state from the constructor's argument. NULL: nothing to do. On
     * failure, release what it acquired and return a negative LT_E* code;
     * close is not called then. Not called with the lock held: nothing else
     * can reach the handler yet. */
    int (*open)(void *state, const void *arg);

    /* Write one record. @msg holds the record as the handler's formatter
     * rendered it, without a terminator; it is scratch space the kind may
     * append to (a newline, say) before writing. For LT_HANDLER_RAW kinds
     * @msg is NULL. Return 0 (written), LT_EMIT_PENDING, or a negative LT_E*
     * code (the record is lost). */
    int (*emit)(void *state, const lt_record *rec, lt_buf *msg);

    /* Push out what the kind buffers. NULL: nothing is buffered. */
    int (*flush)(void *state);

    /* Release what open acquired. Called once, after the last emit: from
     * lt_handler_close(), lt_shutdown(), or the last lt_handler_unref().
     * NULL: nothing to release. */
    void (*close)(void *state);

    /* Optional operations, LT_HANDLER_CTL_* or the kind's own (>= 1000).
     * NULL, or return LT_ENOTSUP for operations the kind does not know. */
    int (*control)(void *state, int op, void *arg);
} lt_handler_type;

/**
 * Make a handler of kind @type, opened with @arg.
 *
 * The handler starts at level NOTSET (handles everything that reaches it),
 * with no filters and no formatter (it prints "%(message)s").
 *
 * Returns: 0 and *@ret set (one reference, yours); what open returned;
 * LT_EINVAL for a NULL @ret or @type or a @type of a newer version; LT_ENOMEM.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_handler_new(lt_handler **ret, const lt_handler_type *type, const void *arg);

/**
 * Take another reference to @h.
 * Returns: @h. Threads: any thread. Since: 0.1
 */
LT_API lt_handler *lt_handler_ref(lt_handler *h);

/**
 * Drop a reference to @h; the last one flushes, closes and frees it. Loggers
 * hold their own references, so a handler attached to a logger lives on.
 * NULL is ignored.
 * Returns: NULL, so that `h = lt_handler_unref(h);` clears the pointer.
 * Threads: any thread. Since: 0.1
 */
LT_API lt_handler *lt_handler_unref(lt_handler *h);

/**
 * Handle only records at @level or above (default NOTSET: all).
 * Returns: nothing; this cannot fail. Threads: any thread. Since: 0.1
 */
LT_API void lt_handler_set_level(lt_handler *h, int level);

/**
 * The level of @h.
 * Returns: the level. Threads: any thread. Since: 0.1
 */
LT_API int lt_handler_level(const lt_handler *h);

/**
 * Render records for @h with @f; NULL restores the default "%(message)s".
 * Takes its own reference to @f and drops the one to the formatter it replaces.
 * Returns: 0, LT_EINVAL if @h is NULL. Threads: any thread, also while others
 * log through @h. Since: 0.1
 */
LT_API int lt_handler_set_formatter(lt_handler *h, lt_formatter *f);

/**
 * Choose what becomes of control characters and invalid UTF-8 in the text a
 * record supplies (its message, arguments, fields, logger name, strerror)
 * when @h's formatter renders it; the literal text of the format string is
 * never touched. LT_ESCAPE_CONTROLS writes CR as \r, LF as \n, and the
 * other control characters (not TAB) and invalid bytes as \xhh, so that no
 * record can forge a line or a terminal escape sequence; LT_ESCAPE_NONE
 * writes the bytes as they are (Python's behaviour; a multi-line message
 * stays multi-line); LT_ESCAPE_DEFAULT restores the kind's choice:
 * LT_ESCAPE_CONTROLS for the kinds flagged LT_HANDLER_ESCAPE (the file
 * handlers and SysLogHandler), LT_ESCAPE_NONE for the others (streams, which
 * keep Python's behaviour on a terminal). It applies to the percent
 * formatters and the default one; the JSON, logfmt and access-log
 * formatters always escape as their formats require. Config files say
 * kwargs={'escape': 'none'} or 'controls' (docs/security.md).
 *
 * Returns: 0; LT_EINVAL for a NULL @h or an unknown @e.
 * Threads: any thread, also while others log through @h. Since: 0.1
 */
LT_API int lt_handler_set_escape(lt_handler *h, lt_escape e);

/**
 * What @h does with control characters in record text: LT_ESCAPE_NONE or
 * LT_ESCAPE_CONTROLS, the kind's default resolved (lt_handler_set_escape()).
 * Returns: the setting; LT_ESCAPE_NONE for a NULL @h. Threads: any thread.
 * Since: 0.1
 */
LT_API lt_escape lt_handler_escape(const lt_handler *h);

/**
 * Check records with @f before @h emits them. Takes its own reference to @f;
 * adding a filter twice does nothing.
 * Returns: 0, LT_EINVAL, LT_ENOMEM. Threads: any thread. Since: 0.1
 */
LT_API int lt_handler_add_filter(lt_handler *h, lt_filter *f);

/**
 * Remove @f from @h and drop the handler's reference to it.
 * Returns: 0, LT_ENOENT if @f is not on @h, LT_EINVAL. Threads: any thread. Since: 0.1
 */
LT_API int lt_handler_remove_filter(lt_handler *h, lt_filter *f);

/**
 * Give @h a name, used in its error reports and by configuration files.
 * @name is copied; NULL clears it.
 * Returns: 0, LT_ENOMEM, LT_EINVAL. Threads: any thread. Since: 0.1
 */
LT_API int lt_handler_set_name(lt_handler *h, const char *name);

/**
 * The name of @h, or the name of its kind when it has none.
 * Returns: a string valid until the name changes or @h is freed.
 * Threads: any thread. Since: 0.1
 */
LT_API const char *lt_handler_name(const lt_handler *h);

/**
 * Pass @rec to @h as Python's Handler.handle() does: run the handler's
 * filters, format, emit; the handler's level is not checked. For handlers that
 * forward records to other handlers (MemoryHandler's target).
 *
 * Returns: 1 if the record was emitted, 0 if a filter dropped it, or a
 * negative LT_E* code if formatting or emit failed (the failure is reported
 * and counted as for any record), LT_ECLOSED if @h is closed, LT_EINVAL.
 * Threads: any thread.
 * Since: 0.1
 */
LT_API int lt_handler_handle(lt_handler *h, lt_record *rec);

/**
 * Push out whatever @h buffers.
 * Returns: 0 or the kind's negative LT_E* code. Threads: any thread. Since: 0.1
 */
LT_API int lt_handler_flush(lt_handler *h);

/**
 * Flush and close @h now. Records that reach it later are dropped and counted.
 * Closing twice does nothing. The handler stays attached, and allocated, until
 * its last reference is dropped.
 * Returns: 0 or the negative LT_E* code of the flush. Threads: any thread. Since: 0.1
 */
LT_API int lt_handler_close(lt_handler *h);

/**
 * Run a control operation (LT_HANDLER_CTL_* or the kind's own) on @h.
 * Returns: what the kind returned, LT_ENOTSUP if it has no such operation.
 * Threads: any thread. Since: 0.1
 */
LT_API int lt_handler_control(lt_handler *h, int op, void *arg);

/**
 * The number of records @h failed to write (emit or format failed, or the
 * handler was closed) since it was made.
 * Returns: the count. Threads: any thread. Since: 0.1
 */
LT_API uint64_t lt_handler_error_count(const lt_handler *h);

/**
 * The number of records any handler failed to write since the program
 * started: the sum of every handler's lt_handler_error_count(), including
 * handlers freed since. A quick health check ("did we lose anything?").
 * Returns: the count. Threads: any thread. Since: 0.1
 */
LT_API uint64_t lt_error_count(void);

/**
 * Counts of what @h did since it was made: records taken, bytes written (if
 * its kind counts them), failures and records lost. Counts only grow.
 *
 * Returns: 0 and *@ret filled; LT_EINVAL for a NULL @h or @ret.
 * Threads: any thread; takes the handler's lock for a moment.
 * Since: 0.1
 */
LT_API int lt_handler_get_stats(lt_handler *h, lt_handler_stats *ret);

/**
 * Run lt_handler_control(h, @op, @arg) on every live handler, newest first:
 * for operations that concern all handlers of a kind (reopen every file,
 * write out what waited too long). Handlers the calling thread is inside of
 * (a filter or handler calling this) are skipped rather than deadlocked on.
 *
 * Returns: the number of handlers whose kind carried it out (returned 0 or
 * more); kinds without the operation and closed handlers are not counted.
 * Threads: any thread, not from a signal handler (it takes locks and
 * allocates): see lt_reopen_files() for SIGHUP.
 * Since: 0.1
 */
LT_API int lt_handlers_control(int op, void *arg);

/**
 * For handler authors, from inside a slot: report a failure that emit's
 * return value cannot carry, or the end of one. @state is the pointer the
 * slot was given.
 *
 * A @code below 0 is a failure: @what (such as "rotate /var/log/app.log")
 * and lt_strerror(@code) are printed on stderr, once per streak of failures
 * as for a failed emit (a streak a failed emit began counts too); the
 * failure is counted in errors and @lost records in dropped. Use it for
 * records lost outside emit (a buffer that could not be written at flush or
 * close), and for failures that lost nothing (a rotation that failed while
 * the record still went to the current file): emit then returns
 * LT_EMIT_PENDING or 0; either way the core leaves the streak on. A @code of
 * 0 ends a streak, as a written record does ("works again"); @what and
 * @lost are then ignored.
 *
 * Returns: nothing. Threads: the slot's thread, with the handler's lock held
 * (as logtree calls every slot but open). Since: 0.1
 */
LT_API void lt_handler_report(void *state, int code, uint64_t lost, const char *what);

/**
 * For handler authors, from inside emit: whether the record may wait in the
 * kind's memory until the end of the current batch instead of being written
 * now. The asynchronous backend (lt_async_start()) hands records to the
 * handlers in batches of a few thousand; a kind that writes each record with
 * a system call can gather them and write once. @state is the pointer the
 * slot was given. When this returns true, @write_out(@arg) is called once at
 * the end of the batch, on the same thread, with the handler's lock held (not
 * if the handler was closed meanwhile: its close slot writes what it held);
 * it writes out what the kind held and reports its failures with
 * lt_handler_report(). Emit then returns LT_EMIT_PENDING for a held record.
 *
 * Returns: true inside a batch (the caller may hold the record); false
 * outside one, or if memory ran out: write the record now.
 * Threads: the slot's thread, with the handler's lock held. Since: 0.1
 */
LT_API bool lt_handler_batch_hold(void *state, void (*write_out)(void *arg), void *arg);

/**
 * For handler authors: write all @len bytes of @buf to @fd, retrying after
 * short writes and EINTR, and after EAGAIN (a non-blocking pipe or socket)
 * once @fd takes bytes again, waiting at most a second each time. SIGPIPE
 * is blocked in the calling thread during the write, so a pipe or socket
 * whose reader is gone gives LT_EPIPE instead of ending the program (a
 * SIGPIPE pending from elsewhere stays pending).
 * Returns: 0, or -errno of the failing write(2). Threads: any thread. Since: 0.1
 */
LT_API int lt_write_all(int fd, const void *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* LOGTREE_HANDLER_H */
