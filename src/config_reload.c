/* src/config_reload.c - reloading the config file from a thread of logtree's:
 * on request (lt_config_reload_request(), async-signal-safe: one write(2) to
 * a self-pipe, for SIGHUP handlers) and, optionally, when the file changes
 * (polled with stat(2): libc only, and it sees editors that replace the file
 * as well as those that rewrite it).
 *
 * The reload itself is lt_config_reload(): everything is checked before
 * anything changes, so a broken file leaves the running configuration; the
 * watcher reports that on stderr and waits for the next change. */
#if defined(__linux__)
#define _GNU_SOURCE /* pipe2(): the pipe is close-on-exec from its first moment */
#endif
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

#include "config_state.h"
#include "sys.h"

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t watcher;
static bool running;
static int pipe_fds[2] = {-1, -1};
static atomic_int wake_fd = -1; /* read by signal handlers */
static int poll_ms;
static atomic_int owner; /* the process whose thread it is: not a fork's child */

struct file_id {
    bool exists;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
};

static struct file_id identify(void)
{
    char path[4096];
    struct file_id id = {0};
    struct stat st;

    if (lt__config_reload_path(path, sizeof(path)) == 0 && stat(path, &st) == 0) {
        id.exists = true;
        id.dev = st.st_dev;
        id.ino = st.st_ino;
        id.size = st.st_size;
        id.mtime = st.st_mtim;
    }
    return id;
}

static bool same(const struct file_id *a, const struct file_id *b)
{
    return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino &&
           a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
           a->mtime.tv_nsec == b->mtime.tv_nsec;
}

static void reload(void)
{
    lt_error err;
    char text[1024];

    if (lt_config_reload(&err) < 0) {
        lt_error_format(&err, text, sizeof(text));
        lt__report("config reload failed, the running configuration is kept: %s", text);
    }
}

static struct file_id first_seen;

static void *watch_main(void *arg)
{
    struct file_id seen = first_seen;

    (void)arg;
    for (;;) {
        struct pollfd pfd = {pipe_fds[0], POLLIN, 0};
        int n = poll(&pfd, 1, poll_ms > 0 ? poll_ms : -1);
        char buf[64];
        bool asked = false, stop = false;

        if (n > 0) {
            ssize_t got = read(pipe_fds[0], buf, sizeof(buf));

            for (ssize_t i = 0; i < got; i++) {
                stop = stop || buf[i] == 'q';
                asked = asked || buf[i] == 'r';
            }
        }
        if (stop)
            return NULL;
        if (poll_ms > 0) {
            struct file_id now = identify();

            /* A file being replaced may be missing for a moment: wait. */
            if (!same(&now, &seen) && now.exists)
                asked = true;
            if (now.exists)
                seen = now;
        }
        if (asked) {
            /* What the file was before it is read: if it is still being
             * written, the next look sees it changed and loads it again. */
            seen = identify();
            reload();
        }
    }
}

int lt_config_watch_start(int interval_ms)
{
    int r = 0;

    LT__RETURN_IF(interval_ms < 0, LT_EINVAL);
    lt__init();
    pthread_mutex_lock(&watch_lock);
    if (running && atomic_load(&owner) != (int)getpid()) {
        /* Inherited from the parent across fork(): not ours. */
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        running = false;
    }
    if (running) {
        r = LT_EEXIST;
        goto out;
    }
#if defined(__linux__)
    if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) < 0) {
        r = -errno;
        goto out;
    }
#else
    /* Elsewhere a fork() and exec() by another thread between these calls
     * can inherit the pipe (docs/security.md, "Files"). */
    if (pipe(pipe_fds) < 0) {
        r = -errno;
        goto out;
    }
    for (int i = 0; i < 2; i++) {
        fcntl(pipe_fds[i], F_SETFD, FD_CLOEXEC);
        fcntl(pipe_fds[i], F_SETFL, O_NONBLOCK);
    }
#endif
    poll_ms = interval_ms;
    /* Taken now: a change right after this call is a change. */
    first_seen = identify();
    if ((r = -pthread_create(&watcher, NULL, watch_main, NULL)) < 0) {
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        pipe_fds[0] = pipe_fds[1] = -1;
        goto out;
    }
    running = true;
    atomic_store(&owner, (int)getpid());
    atomic_store(&wake_fd, pipe_fds[1]);
out:
    pthread_mutex_unlock(&watch_lock);
    return r;
}

int lt_config_watch_stop(void)
{
    int r = 0;

    pthread_mutex_lock(&watch_lock);
    if (!running) {
        r = LT_ENOENT;
    } else if (atomic_load(&owner) != (int)getpid()) {
        /* A forked child: the thread and the pipe's other end are the
         * parent's; let go of our copies, and never stop the parent's. */
        atomic_store(&wake_fd, -1);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        pipe_fds[0] = pipe_fds[1] = -1;
        running = false;
        r = LT_ENOENT;
    } else {
        atomic_store(&wake_fd, -1);
        while (lt__sys_write(pipe_fds[1], "q", 1) < 0 && errno == EINTR)
            ;
        pthread_join(watcher, NULL);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        pipe_fds[0] = pipe_fds[1] = -1;
        running = false;
    }
    pthread_mutex_unlock(&watch_lock);
    return r;
}

int lt_config_reload_request(void)
{
    int saved = errno, fd = atomic_load(&wake_fd), r = 0;

    if (fd < 0 || atomic_load(&owner) != (int)getpid())
        r = LT_ENOENT;
    else if (lt__sys_write(fd, "r", 1) < 0 && errno != EAGAIN)
        r = -errno;
    errno = saved;
    return r;
}

void lt__watch_stop_for_shutdown(void)
{
    (void)lt_config_watch_stop();
}
