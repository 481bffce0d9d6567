/* src/sys.h - the fault-injection seam: every write, open, rename, send,
 * connect and allocation of the library goes through these.
 *
 * The shipped libraries link src/sys.c, where each is a plain call of the
 * libc function. The test library (logtree_fault, tests/CMakeLists.txt)
 * links src/sys_fault.c instead, from the same objects otherwise: there a
 * test can make the Nth call of a kind fail with an errno of its choice
 * (lt__fault_set() below). Link-time substitution keeps the seam out of the
 * release build and costs one compilation, not two; the price is one extra
 * function call around a malloc or a system call, too small to measure.
 * tests/style/check_sys_calls.sh fails when a raw call appears elsewhere.
 * free() and close() cannot fail in a way the library could act on: not
 * wrapped. Allocations inside libc (getaddrinfo, stdio) are not seen. */
#ifndef LOGTREE_SYS_H
#define LOGTREE_SYS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

ssize_t lt__sys_write(int fd, const void *buf, size_t len);
/* open(2); the mode is read when flags ask for O_CREAT. */
int lt__sys_open(const char *path, int flags, ...);
int lt__sys_rename(const char *from, const char *to);
ssize_t lt__sys_send(int fd, const void *buf, size_t len, int flags);
ssize_t lt__sys_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
                       socklen_t tolen);
ssize_t lt__sys_sendmsg(int fd, const struct msghdr *msg, int flags);
int lt__sys_connect(int fd, const struct sockaddr *sa, socklen_t len);

/* Not a seam: after EAGAIN on @fd (a non-blocking pipe or socket given to
 * a handler), wait until it takes bytes again, at most
 * LT__WRITABLE_WAIT_MS; true when it does, so the write is tried again and
 * nothing is lost to a full pipe. In src/handler.c. */
#define LT__WRITABLE_WAIT_MS 1000
bool lt__wait_writable(int fd);

/* Not a seam either: a write that may meet a closed pipe or socket goes
 * between these, so SIGPIPE never ends the host (src/handler.c). */
struct lt__sigpipe {
    sigset_t old;
    bool was_pending;
};
void lt__sigpipe_block(struct lt__sigpipe *g);
void lt__sigpipe_unblock(struct lt__sigpipe *g, bool epipe);

void *lt__malloc(size_t size);
void *lt__calloc(size_t n, size_t size);
void *lt__realloc(void *p, size_t size);
char *lt__strdup(const char *s);
char *lt__strndup(const char *s, size_t n);
void *lt__aligned_alloc(size_t align, size_t size);

/* ---- the test library only (src/sys_fault.c) ----
 * The kinds of call a plan can fail. LT__FAULT_SEND covers send, sendto and
 * sendmsg; LT__FAULT_ALLOC all six allocators. */
enum lt__fault_kind {
    LT__FAULT_WRITE,
    LT__FAULT_OPEN,
    LT__FAULT_RENAME,
    LT__FAULT_SEND,
    LT__FAULT_CONNECT,
    LT__FAULT_ALLOC,
    LT__FAULT_KINDS
};

/* From now on, calls number @nth .. @nth + @count - 1 of @kind (counted from
 * 1 at this call; @count 0: every call from @nth until cleared) fail with
 * @err (errno set, -1 or NULL returned). Writes to fds 0-2 never fail, so
 * the library's report on stderr stays readable. Calls from any thread
 * count (atomics). One plan per kind; setting one replaces it. */
void lt__fault_set(enum lt__fault_kind kind, int err, unsigned long nth, unsigned long count);
/* No more failures of @kind; its counts go on. */
void lt__fault_clear(enum lt__fault_kind kind);
/* Calls of @kind since its last lt__fault_set() (all calls, failed or not;
 * writes to fds 0-2 not counted), and how many of them were failed. */
unsigned long lt__fault_calls(enum lt__fault_kind kind);
unsigned long lt__fault_injected(enum lt__fault_kind kind);

#endif
