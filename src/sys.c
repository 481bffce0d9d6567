/* src/sys.c - the seam of src/sys.h in the shipped libraries: plain calls. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sys.h"

ssize_t lt__sys_write(int fd, const void *buf, size_t len)
{
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
    return open(path, flags, mode);
}

int lt__sys_rename(const char *from, const char *to)
{
    return rename(from, to);
}

ssize_t lt__sys_send(int fd, const void *buf, size_t len, int flags)
{
    return send(fd, buf, len, flags);
}

ssize_t lt__sys_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
                       socklen_t tolen)
{
    return sendto(fd, buf, len, flags, to, tolen);
}

ssize_t lt__sys_sendmsg(int fd, const struct msghdr *msg, int flags)
{
    return sendmsg(fd, msg, flags);
}

int lt__sys_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
    return connect(fd, sa, len);
}

void *lt__malloc(size_t size)
{
    return malloc(size);
}

void *lt__calloc(size_t n, size_t size)
{
    return calloc(n, size);
}

void *lt__realloc(void *p, size_t size)
{
    return realloc(p, size);
}

char *lt__strdup(const char *s)
{
    return strdup(s);
}

char *lt__strndup(const char *s, size_t n)
{
    return strndup(s, n);
}

void *lt__aligned_alloc(size_t align, size_t size)
{
    return aligned_alloc(align, size);
}
