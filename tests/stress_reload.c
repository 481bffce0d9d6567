/* tests/stress_reload.c - reload under load, as a plain program so that it
 * runs under ThreadSanitizer (label "tsan").
 *
 * 4 threads log continuously on logger "app" while the main thread reloads
 * the config 100 times, alternating between two JSON configs that write to
 * different files (a.log, b.log), through lt_config_reload() and, every
 * tenth time, through the watcher thread (lt_config_reload_request(), the
 * SIGHUP path). Every reload swaps in new handlers while records are on
 * their way. At the end the lines across both files must equal the calls:
 * a record logged during a swap goes to the old handlers or to the new
 * ones, never nowhere, and never twice. A config that fails to load (every
 * 25th reload writes a broken one) must leave the running one in place. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <logtree/logtree.h>

#define THREADS 4
#define RELOADS 100

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);              \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

static atomic_int stop;
static atomic_long calls;

static const char config_a[] =
    "{\"version\": 1, \"disable_existing_loggers\": false,\n"
    " \"formatters\": {\"f\": {\"format\": \"%(name)s %(message)s\"}},\n"
    " \"handlers\": {\"out\": {\"class\": \"logging.FileHandler\", \"filename\": \"a.log\",\n"
    "                        \"formatter\": \"f\"}},\n"
    " \"loggers\": {\"app\": {\"level\": \"INFO\", \"handlers\": [\"out\"], \"propagate\": false}}}\n";
static const char config_b[] =
    "[loggers]\nkeys=root,app\n[handlers]\nkeys=out\n[formatters]\nkeys=f\n"
    "[logger_root]\nhandlers=\n"
    "[logger_app]\nlevel=INFO\nhandlers=out\npropagate=0\nqualname=app\n"
    "[handler_out]\nclass=FileHandler\nargs=('b.log',)\nformatter=f\n"
    "[formatter_f]\nformat=%(name)s %(message)s\n";
static const char config_broken[] = "{\"version\": 1, \"handlers\": {\"out\": {\"class\": 7}}}";

static void write_config(const char *text)
{
    /* Replaced by a rename, as editors and deploy tools do: a reader sees
     * the old file or the new one. */
    FILE *f = fopen("logging.conf.tmp", "w");

    CHECK(f);
    fputs(text, f);
    CHECK(fclose(f) == 0);
    CHECK(rename("logging.conf.tmp", "logging.conf") == 0);
}

static void *log_records(void *arg)
{
    lt_logger *lg = lt_get_logger("app");
    long id = (long)arg, n = 0;

    while (!atomic_load(&stop)) {
        LT_INFO(lg, "thread %ld record %ld", id, n++);
        atomic_fetch_add(&calls, 1);
    }
    return NULL;
}

static long count_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    long n = 0;
    int c;

    if (!f)
        return 0;
    while ((c = fgetc(f)) != EOF)
        n += c == '\n';
    fclose(f);
    return n;
}

static long file_size(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

int main(void)
{
    char dir[] = "/tmp/lt-reload-XXXXXX";
    pthread_t threads[THREADS];
    lt_error err;
    long lines;

    CHECK(mkdtemp(dir) && chdir(dir) == 0);
    write_config(config_a);
    CHECK(lt_config_file("logging.conf", 0, &err) == 0);
    CHECK(lt_config_watch_start(0) == 0);
    for (long i = 0; i < THREADS; i++)
        CHECK(pthread_create(&threads[i], NULL, log_records, (void *)i) == 0);
    for (int i = 1; i <= RELOADS; i++) {
        const char *want = i % 2 ? "b.log" : "a.log";

        if (i % 25 == 0) {
            write_config(config_broken);
            CHECK(lt_config_reload(&err) == LT_ECONFIG);
        }
        write_config(i % 2 ? config_b : config_a);
        if (i % 10 == 0) {
            long before = file_size(want);

            /* The SIGHUP path: the watcher reloads; wait until the new
             * file receives records. */
            CHECK(lt_config_reload_request() == 0);
            for (int t = 0; t < 2000 && file_size(want) == before; t++)
                pause_ms(5);
            CHECK(file_size(want) > before);
        } else {
            CHECK(lt_config_reload(&err) == 0);
        }
        pause_ms(2);
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(lt_config_watch_stop() == 0);
    lt_shutdown();
    lines = count_lines("a.log") + count_lines("b.log");
    printf("stress_reload: %d reloads, %ld calls, %ld lines (a.log %ld, b.log %ld)\n", RELOADS,
           atomic_load(&calls), lines, count_lines("a.log"), count_lines("b.log"));
    CHECK(lines == atomic_load(&calls));
    CHECK(count_lines("a.log") > 0 && count_lines("b.log") > 0);
    unlink("a.log");
    unlink("b.log");
    unlink("logging.conf");
    CHECK(chdir("/") == 0 && rmdir(dir) == 0);
    return 0;
}
