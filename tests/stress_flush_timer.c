/* tests/stress_flush_timer.c - the flush timer (flush_ms) under threads; a
 * plain program so that it runs under ThreadSanitizer. 4 threads log to 2
 * file handlers that hold records (flush_records 100, flush_ms 2) while the
 * timer writes them out and the main thread reopens every file and makes,
 * uses and closes short-lived handlers of the same kind. Exits non-zero on
 * the first broken expectation: afterwards every record is in its file
 * exactly once, none torn. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <logtree/logtree.h>

#define THREADS 4
#define RECORDS 4000
#define SIDE    200

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            exit(1);                                                                 \
        }                                                                            \
    } while (0)

static lt_logger *lg;
static pthread_barrier_t quiet;

static void *log_records(void *arg)
{
    long id = (long)arg;
    struct timespec pause = {0, 4000000};

    for (int i = 0; i < RECORDS; i++) {
        LT_INFO(lg, "t%ld-%05d-zzzzzzzzzzzzzzzzzzzz", id, i);
        if (i % 150 == 149) {
            /* All quiet together, longer than flush_ms: the timer's turn. */
            pthread_barrier_wait(&quiet);
            nanosleep(&pause, NULL);
        }
    }
    return NULL;
}

/* Every line "t<id>-<i>-zzz..." once; returns how many. */
static int count_file(const char *path, char *seen)
{
    FILE *f = fopen(path, "r");
    char line[256];
    int n = 0;

    CHECK(f);
    while (fgets(line, sizeof(line), f)) {
        long t;
        int i;

        CHECK(sscanf(line, "t%ld-%05d-zzzzzzzzzzzzzzzzzzzz\n", &t, &i) == 2);
        CHECK(strlen(line) == strlen("t0-00000-zzzzzzzzzzzzzzzzzzzz\n"));
        CHECK(t >= 0 && t < THREADS && i >= 0 && i < RECORDS && !seen[t * RECORDS + i]);
        seen[t * RECORDS + i] = 1;
        n++;
    }
    fclose(f);
    return n;
}

static int count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    int n = 0, c;

    CHECK(f);
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

int main(void)
{
    char dir[] = "/tmp/lt-stress-flush-timer-XXXXXX";
    lt_file_options o = {.flush_records = 100, .flush_ms = 2};
    struct timespec pause = {0, 3000000};
    pthread_t t[THREADS];
    lt_handler *a, *b;
    lt_logger *side = lt_get_logger("side");
    char *seen_a = calloc(THREADS * RECORDS, 1), *seen_b = calloc(THREADS * RECORDS, 1);

    CHECK(seen_a && seen_b && mkdtemp(dir) && chdir(dir) == 0);
    CHECK(pthread_barrier_init(&quiet, NULL, THREADS) == 0);
    CHECK(lt_file_handler_new_opts(&a, "a.log", &o) == 0);
    CHECK(lt_watched_file_handler_new_opts(&b, "b.log", &o) == 0);
    lg = lt_get_logger("stress");
    lt_logger_set_level(lg, LT_LEVEL_INFO);
    lt_logger_set_propagate(lg, false);
    CHECK(lt_logger_add_handler(lg, a) == 0 && lt_logger_add_handler(lg, b) == 0);
    lt_logger_set_level(side, LT_LEVEL_INFO);
    lt_logger_set_propagate(side, false);
    for (long i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, log_records, (void *)i) == 0);
    /* Meanwhile: reopen everything, and handlers come and go (their last
     * reference may be the timer's, which then closes them). */
    for (int i = 0; i < SIDE; i++) {
        lt_handler *c;

        CHECK(lt_file_handler_new_opts(&c, "c.log", &o) == 0);
        CHECK(lt_logger_add_handler(side, c) == 0);
        LT_INFO(side, "side %d", i);
        lt_logger_clear_handlers(side);
        if (i % 4 == 0)
            nanosleep(&pause, NULL); /* let the timer write it, or close it */
        lt_handler_unref(c);
        if (i % 10 == 0) {
            lt_handlers_control(LT_HANDLER_CTL_REOPEN, NULL);
            lt_reopen_files();
        }
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    pthread_barrier_destroy(&quiet);
    lt_handler_unref(a);
    lt_handler_unref(b);
    lt_shutdown();
    CHECK(count_file("a.log", seen_a) == THREADS * RECORDS);
    CHECK(count_file("b.log", seen_b) == THREADS * RECORDS);
    CHECK(count_lines("c.log") == SIDE);
    unlink("a.log");
    unlink("b.log");
    unlink("c.log");
    CHECK(chdir("/") == 0 && rmdir(dir) == 0); /* nothing else was left */
    free(seen_a);
    free(seen_b);
    puts("stress_flush_timer: ok");
    return 0;
}
