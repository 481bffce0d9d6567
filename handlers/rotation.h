/* handlers/rotation.h - Python's rotator off the logging path, for the two
 * rotating kinds. Under the handler's lock a rollover only renames the file
 * to "<path>.rotating.N" (lt__rotation_park()) and opens a new one; a
 * thread of the handler then calls the kind's finish() for each parked file
 * in order (shift older backups, run the rotator), so that records never
 * wait for a rotator that compresses. Internal to handlers/. */
#ifndef LOGTREE_HANDLERS_ROTATION_H
#define LOGTREE_HANDLERS_ROTATION_H

#include <pthread.h>
#include <stdbool.h>

#include "logfile.h"

/* Finish one parked file: @dest is what was given to park (NULL: the kind
 * knows). Runs on the rotation thread, without the handler's lock. Returns
 * 0 or a negative LT_E* code. */
typedef int (*lt__rotation_finish)(void *kind, const char *parked, const char *dest);

struct lt__parked;

struct lt__rotation {
    bool on; /* lt__rotation_init() ran: the other calls are no-ops otherwise */
    char *path;
    lt__rotation_finish finish;
    void *kind;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_t thread;
    bool started;
    bool stop;
    unsigned long seq;
    struct lt__parked *first, *last; /* waiting, oldest first */
    bool busy;                       /* the thread is finishing one */
    /* The thread's failure, for the next record to report. */
    int fail_code;
    char fail_what[1024];
};

/* Set up (no thread yet). Returns 0 or LT_ENOMEM. */
int lt__rotation_init(struct lt__rotation *r, const char *path, lt__rotation_finish finish,
                      void *kind);

/* Rename @path to "<path>.rotating.N" and have the thread finish it, with
 * @dest (copied; NULL allowed). Returns 0 or -errno (nothing renamed). */
int lt__rotation_park(struct lt__rotation *r, const char *path, const char *dest);

/* Report through @f what the thread failed at since the last call. */
void lt__rotation_poll(struct lt__rotation *r, struct lt__logfile *f);

/* Wait until every parked file is finished. */
void lt__rotation_wait(struct lt__rotation *r);

/* fsync() the directory of @f's path, if @f asks for fsync. */
void lt__rotation_sync_dir(const struct lt__logfile *f);

/* Finish every parked file, stop the thread, free. */
void lt__rotation_free(struct lt__rotation *r);

/* In the child of fork(): the thread is the parent's, and so are the files
 * it had to finish. */
void lt__rotation_after_fork(struct lt__rotation *r);

#endif /* LOGTREE_HANDLERS_ROTATION_H */
