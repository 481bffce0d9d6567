/* tests/stress_rotation.c - threads logging through rotating handlers whose
 * rotator runs on the handler's rotation thread, with a namer and the flush
 * policy on; a plain program so that it runs under ThreadSanitizer.
 * Exits non-zero on the first broken expectation: afterwards every record is
 * in exactly one file (app.log or a renamed backup), none torn. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <logtree/logtree.h>

#define THREADS 4
#define RECORDS 3000
#define BACKUPS 400

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            exit(1);                                                                 \
        }                                                                            \
    } while (0)

static lt_logger *lg;

static int namer(void *arg, const char *default_name, lt_buf *name)
{
    (void)arg;
    lt_buf_printf(name, "%s.bak", default_name);
    return 0;
}

/* A slow "compressor": copy, then remove the source. */
static int rotator(void *arg, const char *source, const char *dest)
{
    FILE *in = fopen(source, "rb"), *out = fopen(dest, "wb");
    char buf[4096];
    size_t n;

    (void)arg;
    if (!in || !out) {
        if (in)
            fclose(in);
        if (out)
            fclose(out);
        return LT_EIO;
    }
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        fwrite(buf, 1, n, out);
    fclose(in);
    fclose(out);
    nanosleep(&(struct timespec){0, 1000000}, NULL);
    return unlink(source) == 0 ? 0 : LT_EIO;
}

static void *log_records(void *arg)
{
    long id = (long)arg;

    for (int i = 0; i < RECORDS; i++)
        LT_INFO(lg, "t%ld-%05d-%s", id, i, "zzzzzzzzzzzzzzzzzzzz");
    return NULL;
}

static int count_file(const char *path, char *seen)
{
    FILE *f = fopen(path, "r");
    char line[256];
    int n = 0;

    if (!f)
        return 0;
    while (fgets(line, sizeof(line), f)) {
        long t;
        int i;

        CHECK(sscanf(line, "t%ld-%05d-zzzzzzzzzzzzzzzzzzzz\n", &t, &i) == 2);
        CHECK(strlen(line) == strlen("t0-00000-zzzzzzzzzzzzzzzzzzzz\n"));
        CHECK(!seen[t * RECORDS + i]);
        seen[t * RECORDS + i] = 1;
        n++;
    }
    fclose(f);
    return n;
}

int main(void)
{
    char dir[] = "/tmp/lt-stress-rotation-XXXXXX", path[512];
    lt_file_options o = {.namer = namer, .rotator = rotator, .flush_records = 8};
    pthread_t t[THREADS];
    lt_handler *h;
    char *seen = calloc(THREADS * RECORDS, 1);
    int total = 0;

    CHECK(mkdtemp(dir) && chdir(dir) == 0);
    CHECK(lt_rotating_file_handler_new_opts(&h, "app.log", 4096, BACKUPS, &o) == 0);
    lg = lt_get_logger("stress");
    lt_logger_set_level(lg, LT_LEVEL_INFO);
    CHECK(lt_logger_add_handler(lg, h) == 0);
    for (long i = 0; i < THREADS; i++)
        CHECK(pthread_create(&t[i], NULL, log_records, (void *)i) == 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    CHECK(lt_handler_flush(h) == 0);
    lt_handler_unref(h);
    lt_shutdown();
    total += count_file("app.log", seen);
    for (int i = 1; i <= BACKUPS; i++) {
        snprintf(path, sizeof(path), "app.log.%d.bak", i);
        total += count_file(path, seen);
        unlink(path);
    }
    unlink("app.log");
    CHECK(chdir("/") == 0 && rmdir(dir) == 0); /* nothing else was left */
    CHECK(total == THREADS * RECORDS);
    free(seen);
    puts("stress_rotation: ok");
    return 0;
}
