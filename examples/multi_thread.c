/* examples/multi_thread.c - many threads, one file, no lost or torn lines.
 *
 * Each handler has its own lock, so one handler serves every thread; the
 * threadName attribute tells the threads apart. */
#include <pthread.h>
#include <stdio.h>

#include <logtree/logtree.h>

#define THREADS 4
#define RECORDS 1000

static void *worker(void *arg)
{
    lt_logger *lg = lt_get_logger("app.worker");
    long id = (long)arg;

    for (int i = 0; i < RECORDS; i++)
        LT_INFO(lg, "worker %ld: item %d", id, i);
    return NULL;
}

int main(void)
{
    pthread_t threads[THREADS];
    lt_error err;
    char text[512];

    if (lt_basic_config(&(lt_basic_options){.level = LT_LEVEL_INFO,
                                             .filename = "multi_thread.log",
                                             .filemode = "w",
                                             .format = "%(threadName)s %(message)s"},
                        &err) < 0) {
        lt_error_format(&err, text, sizeof(text));
        fprintf(stderr, "multi_thread: %s\n", text);
        return 1;
    }
    for (long i = 0; i < THREADS; i++)
        pthread_create(&threads[i], NULL, worker, (void *)i);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    lt_shutdown();
    printf("%d records in multi_thread.log\n", THREADS * RECORDS);
    return 0;
}
