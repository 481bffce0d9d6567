/* handlers/rotation.c - see rotation.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rotation.h"
#include "sys.h"

struct lt__parked {
    struct lt__parked *next;
    char *parked;
    char *dest;
};

int lt__rotation_init(struct lt__rotation *r, const char *path, lt__rotation_finish finish,
                      void *kind)
{
    if (!(r->path = lt__strdup(path)))
        return LT_ENOMEM;
    r->finish = finish;
    r->kind = kind;
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->cond, NULL);
    r->on = true;
    return 0;
}

static void free_parked(struct lt__parked *p)
{
    free(p->parked);
    free(p->dest);
    free(p);
}

static void *run(void *arg)
{
    struct lt__rotation *r = arg;

    pthread_mutex_lock(&r->lock);
    for (;;) {
        struct lt__parked *p = r->first;
        int code;

        if (!p) {
            if (r->stop)
                break;
            pthread_cond_wait(&r->cond, &r->lock);
            continue;
        }
        r->busy = true;
        pthread_mutex_unlock(&r->lock);
        code = r->finish(r->kind, p->parked, p->dest);
        pthread_mutex_lock(&r->lock);
        if (code < 0 && r->fail_code == 0) {
            r->fail_code = code;
            snprintf(r->fail_what, sizeof(r->fail_what), "rotate %s (rotator)", p->parked);
        }
        r->first = p->next;
        if (!r->first)
            r->last = NULL;
        r->busy = false;
        free_parked(p);
        pthread_cond_broadcast(&r->cond);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

int lt__rotation_park(struct lt__rotation *r, const char *path, const char *dest)
{
    struct lt__parked *p = lt__calloc(1, sizeof(*p));
    size_t size = strlen(path) + 40;
    int code = 0;

    if (!p || !(p->parked = lt__malloc(size)) || (dest && !(p->dest = lt__strdup(dest)))) {
        if (p)
            free_parked(p);
        return LT_ENOMEM;
    }
    pthread_mutex_lock(&r->lock);
    /* The pid too: a forked child parks files of its own. */
    snprintf(p->parked, size, "%s.rotating.%ld.%lu", path, (long)getpid(), r->seq);
    if (lt__sys_rename(path, p->parked) < 0) {
        code = errno == ENOENT ? 1 : -errno; /* no file (delay): nothing to rotate */
    } else if (!r->started && (code = -pthread_create(&r->thread, NULL, run, r)) == 0) {
        r->started = true;
    }
    if (code != 0) {
        if (code < 0 && !r->started && access(p->parked, F_OK) == 0)
            (void)lt__sys_rename(p->parked, path); /* renamed, but no thread: put it back */
        pthread_mutex_unlock(&r->lock);
        free_parked(p);
        return code < 0 ? code : 0;
    }
    r->seq++;
    if (r->last)
        r->last->next = p;
    else
        r->first = p;
    r->last = p;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    return 0;
}

void lt__rotation_poll(struct lt__rotation *r, struct lt__logfile *f)
{
    int code;
    char what[1024];

    if (!r->on)
        return;
    pthread_mutex_lock(&r->lock);
    code = r->fail_code;
    memcpy(what, r->fail_what, sizeof(what));
    r->fail_code = 0;
    pthread_mutex_unlock(&r->lock);
    if (code < 0)
        lt_handler_report(f->state, code, 0, what);
}

void lt__rotation_wait(struct lt__rotation *r)
{
    if (!r->on)
        return;
    pthread_mutex_lock(&r->lock);
    while (r->first)
        pthread_cond_wait(&r->cond, &r->lock);
    pthread_mutex_unlock(&r->lock);
}

void lt__rotation_sync_dir(const struct lt__logfile *f)
{
    char *dir, *slash;
    int fd;

    if (!f->fsync || !(dir = lt__strdup(f->path)))
        return;
    if ((slash = strrchr(dir, '/')))
        slash[slash == dir] = '\0'; /* "/x" -> "/" */
    if ((fd = lt__sys_open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

void lt__rotation_free(struct lt__rotation *r)
{
    if (!r->on)
        return;
    pthread_mutex_lock(&r->lock);
    r->stop = true;
    pthread_cond_broadcast(&r->cond);
    pthread_mutex_unlock(&r->lock);
    if (r->started)
        pthread_join(r->thread, NULL);
    while (r->first) { /* only if the thread never started */
        struct lt__parked *p = r->first;

        r->first = p->next;
        free_parked(p);
    }
    pthread_cond_destroy(&r->cond);
    pthread_mutex_destroy(&r->lock);
    free(r->path);
    r->on = false;
}

void lt__rotation_after_fork(struct lt__rotation *r)
{
    if (!r->on)
        return;
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->cond, NULL);
    r->started = false;
    r->busy = false;
    while (r->first) {
        struct lt__parked *p = r->first;

        r->first = p->next;
        free_parked(p);
    }
    r->last = NULL;
}
