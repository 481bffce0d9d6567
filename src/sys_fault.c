/* src/sys_fault.c - the seam of src/sys.h in the test library only
 * (logtree_fault): each call asks the plan of its kind whether to fail.
 * Never part of liblogtree.so or liblogtree.a (CMakeLists.txt leaves it out). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys.h"

struct plan {
    atomic_ulong calls;    /* since the plan was set */
    atomic_ulong injected; /* of those, failed */
    atomic_ulong first;    /* the first call to fail; 0: none */
    atomic_ulong last;     /* the last call to fail; 0: no end */
    atomic_int err;
};

static struct plan plans[LT__FAULT_KINDS];

void lt__fault_set(enum lt__fault_kind kind, int err, unsigned long nth, unsigned long count)
{
    struct plan *p = &plans[kind];

    atomic_store(&p->first, 0); /* no failure while the plan changes */
    atomic_store(&p->calls, 0);
    atomic_store(&p->injected, 0);
    atomic_store(&p->err, err);
    atomic_store(&p->last, count ? nth + count - 1 : 0);
    atomic_store(&p->first, nth);
}

void lt__fault_clear(enum lt__fault_kind kind)
{
    atomic_store(&plans[kind].first, 0);
}

unsigned long lt__fault_calls(enum lt__fault_kind kind)
{
    return atomic_load(&plans[kind].calls);
}

unsigned long lt__fault_injected(enum lt__fault_kind kind)
{
    return atomic_load(&plans[kind].injected);
}

/* Count the call; true (errno set) when the plan says this one fails. */
static int fails(enum lt__fault_kind kind)
{
    struct plan *p = &plans[kind];
    unsigned long n = atomic_fetch_add(&p->calls, 1) + 1;
    unsigned long first = atomic_load(&p->first), last = atomic_load(&p->last);

    if (first == 0 || n < first || (last != 0 && n > last))
        return 0;
    atomic_fetch_add(&p->injected, 1);
    errno = atomic_load(&p->err);
    return 1;
}

ssize_t lt__sys_write(int fd, const void *buf, size_t len)
{
    if (fd > STDERR_FILENO && fails(LT__FAULT_WRITE))
        return -1;
    return write(fd, buf, len);
}

int lt__sys_open(const char *path, int flags, ...)
{
    mode_t mode = 0;

    if (flags & O_CREAT) {
        va_list ap;

        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (fails(LT__FAULT_OPEN))
        return -1;
    return open(path, flags, mode);
}

int lt__sys_rename(const char *from, const char *to)
{
    if (fails(LT__FAULT_RENAME))
        return -1;
    return rename(from, to);
}

ssize_t lt__sys_send(int fd, const void *buf, size_t len, int flags)
{
    if (fails(LT__FAULT_SEND))
        return -1;
    return send(fd, buf, len, flags);
}

ssize_t lt__sys_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
                       socklen_t tolen)
{
    if (fails(LT__FAULT_SEND))
        return -1;
    return sendto(fd, buf, len, flags, to, tolen);
}

ssize_t lt__sys_sendmsg(int fd, const struct msghdr *msg, int flags)
{
    if (fails(LT__FAULT_SEND))
        return -1;
    return sendmsg(fd, msg, flags);
}

int lt__sys_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
    if (fails(LT__FAULT_CONNECT))
        return -1;
    return connect(fd, sa, len);
}

void *lt__malloc(size_t size)
{
    return fails(LT__FAULT_ALLOC) ? NULL : malloc(size);
}

void *lt__calloc(size_t n, size_t size)
{
    return fails(LT__FAULT_ALLOC) ? NULL : calloc(n, size);
}

void *lt__realloc(void *p, size_t size)
{
    return fails(LT__FAULT_ALLOC) ? NULL : realloc(p, size);
}

char *lt__strdup(const char *s)
{
    return fails(LT__FAULT_ALLOC) ? NULL : strdup(s);
}

char *lt__strndup(const char *s, size_t n)
{
    return fails(LT__FAULT_ALLOC) ? NULL : strndup(s, n);
}

void *lt__aligned_alloc(size_t align, size_t size)
{
    return fails(LT__FAULT_ALLOC) ? NULL : aligned_alloc(align, size);
}
