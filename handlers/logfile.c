/* handlers/logfile.c - see logfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logfile.h"

/* Python keeps os.path.abspath(filename): a program that changes directory
 * later still writes (and rotates) the file it started with. Without a
 * current directory (removed), the path stays relative. */
static char *absolute_path(const char *path)
{
    size_t size = 256;
    char *cwd = NULL, *abs;

    if (path[0] == '/')
        return strdup(path);
    for (;;) {
        char *more = realloc(cwd, size);

        if (!more) {
            free(cwd);
            return NULL;
        }
        cwd = more;
        if (getcwd(cwd, size))
            break;
        if (errno != ERANGE) {
            free(cwd);
            return strdup(path);
        }
        size *= 2;
    }
    size = strlen(cwd) + strlen(path) + 2;
    abs = malloc(size);
    if (abs)
        snprintf(abs, size, "%s%s%s", cwd, strcmp(cwd, "/") == 0 ? "" : "/", path);
    free(cwd);
    return abs;
}

int lt__logfile_init(struct lt__logfile *f, const char *path, bool truncate, bool delay)
{
    int r;

    f->fd = -1;
    strcpy(f->terminator, "\n");
    f->open_flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0);
    if (!(f->path = absolute_path(path)))
        return LT_ENOMEM;
    if (delay)
        return 0;
    if ((r = lt__logfile_open(f)) < 0)
        free(f->path);
    return r;
}

int lt__logfile_open(struct lt__logfile *f)
{
    struct stat st;
    int fd = open(f->path, f->open_flags, 0666);

    if (fd < 0 || fstat(fd, &st) < 0) {
        int r = -errno;

        if (fd >= 0)
            close(fd);
        return r;
    }
    lt__logfile_close_fd(f);
    f->fd = fd;
    f->dev = st.st_dev;
    f->ino = st.st_ino;
    /* "w" truncates the first time only: a reopen must not lose lines. */
    if (!f->keep_truncating)
        f->open_flags &= ~O_TRUNC;
    return 0;
}

void lt__logfile_close_fd(struct lt__logfile *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

int lt__logfile_write(struct lt__logfile *f, lt_buf *msg)
{
    int r;

    if (f->fd < 0 && (r = lt__logfile_open(f)) < 0)
        return r; /* a delayed open failed: reported, and tried again next time */
    lt_buf_puts(msg, f->terminator);
    if (lt_buf_error(msg))
        return lt_buf_error(msg);
    return lt_write_all(f->fd, lt_buf_data(msg), lt_buf_len(msg));
}

void lt__logfile_free(struct lt__logfile *f)
{
    lt__logfile_close_fd(f);
    free(f->path);
}

int lt__logfile_control(struct lt__logfile *f, int op, void *arg)
{
    int flags = f->open_flags, r;

    switch (op) {
    case LT_HANDLER_CTL_REOPEN:
        /* Asked for (logrotate's postrotate): keep whatever is there now. */
        if (f->fd < 0)
            return 0;
        f->open_flags &= ~O_TRUNC;
        r = lt__logfile_open(f);
        f->open_flags = flags;
        return r;
    case LT_HANDLER_CTL_DESCRIBE:
        lt_buf_printf(arg, "'%s'", f->path);
        return 0;
    case LT_HANDLER_CTL_SET_TERMINATOR:
        if (!arg)
            return LT_EINVAL;
        if (strlen(arg) >= sizeof(f->terminator))
            return LT_ERANGE;
        strcpy(f->terminator, arg);
        return 0;
    default:
        return LT_ENOTSUP;
    }
}
