/* tests/stress_threads.c - many threads logging while others reconfigure,
 * as a plain program so that it runs under ThreadSanitizer (Criterion's
 * sandbox does not start under TSan). Exits non-zero on the first broken
 * expectation; TSan itself fails it on any data race.
 *
 * What runs at once: 6 threads logging; one thread changing levels,
 * propagate, filters and handlers; one thread loading the same config over
 * and over, each load swapping in new handlers; and a fork() whose child
 * logs. At the end every WARNING record of logger "kept" must be in kept.log
 * exactly once: a record logged during a swap meets the old handler or the
 * new one, never none. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <logtree/logtree.h>

#define LOGGERS 6
#define RECORDS 3000

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);              \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

static atomic_int stop;
static char dir[64];

static void *log_records(void *arg)
{
    long id = (long)arg;
    char name[32];

    snprintf(name, sizeof(name), "app.part%ld.sub", id % 3);
    for (int i = 0; i < RECORDS; i++) {
        lt_logger *lg = lt_get_logger(name);

        LT_WARNING(lt_get_logger("kept"), "thread %ld record %d", id, i);
        LT_INFO(lg, "info %ld %d %s", id, i, "text");
        LT_ERROR(lg, "error %ld %d", id, i);
    }
    return NULL;
}

static bool drop_odd(void *ud, lt_record *rec)
{
    (void)ud;
    return lt_record_message_len(rec) % 2 == 0;
}

static void *reconfigure(void *arg)
{
    lt_filter *f;
    lt_handler *null;

    (void)arg;
    CHECK(lt_callback_filter_new(&f, drop_odd, NULL, NULL) == 0);
    CHECK(lt_null_handler_new(&null) == 0);
    for (int i = 0; !atomic_load(&stop); i++) {
        lt_logger *app = lt_get_logger("app");

        lt_logger_set_level(app, i % 3 ? LT_LEVEL_DEBUG : LT_LEVEL_ERROR);
        lt_logger_set_propagate(lt_get_logger("app.part1"), i % 2);
        lt_logger_add_filter(app, f);
        lt_logger_add_handler(app, null);
        lt_logger_remove_filter(app, f);
        lt_logger_remove_handler(app, null);
        lt_disable(i % 5 ? LT_LEVEL_NOTSET : LT_LEVEL_DEBUG);
    }
    lt_filter_unref(f);
    lt_handler_unref(null);
    return NULL;
}

static char config[1024];

static void make_config(void)
{
    snprintf(config, sizeof(config),
             "[loggers]\nkeys=root,app,kept\n[handlers]\nkeys=f,k\n[formatters]\nkeys=p\n"
             "[logger_root]\nlevel=INFO\nhandlers=\n"
             "[logger_app]\nlevel=DEBUG\nhandlers=f\nqualname=app\n"
             "[logger_kept]\nlevel=WARNING\nhandlers=k\npropagate=0\nqualname=kept\n"
             "[handler_f]\nclass=FileHandler\nargs=('%s/app.log', 'a')\nformatter=p\n"
             "[handler_k]\nclass=FileHandler\nargs=('%s/kept.log', 'a')\nformatter=p\n"
             "[formatter_p]\nformat=%%(threadName)s %%(name)s %%(message)s\n",
             dir, dir);
}

static void load_config(void)
{
    lt_error err;

    CHECK(lt_config_string(config, strlen(config), "stress.ini", LT_CONFIG_KEEP_EXISTING, &err) ==
          0);
}

static void *reload_config(void *arg)
{
    (void)arg;
    while (!atomic_load(&stop))
        load_config();
    return NULL;
}

static size_t count_lines(const char *path)
{
    FILE *fp = fopen(path, "r");
    size_t n = 0;
    int c;

    CHECK(fp != NULL);
    while ((c = fgetc(fp)) != EOF)
        n += c == '\n';
    fclose(fp);
    return n;
}

static void fork_and_log_in_child(void)
{
    int status;
    pid_t pid = fork();

    CHECK(pid >= 0);
    if (pid == 0) {
        LT_WARNING(lt_get_logger("kept"), "from the child");
        lt_shutdown();
        _exit(0);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void)
{
    pthread_t loggers[LOGGERS], config_thread, reload_thread;
    char path[128];

    snprintf(dir, sizeof(dir), "/tmp/logtree-stress-XXXXXX");
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/kept.log", dir);
    make_config();
    load_config();

    pthread_create(&config_thread, NULL, reconfigure, NULL);
    pthread_create(&reload_thread, NULL, reload_config, NULL);
    for (long i = 0; i < LOGGERS; i++)
        pthread_create(&loggers[i], NULL, log_records, (void *)i);
    fork_and_log_in_child();
    for (int i = 0; i < LOGGERS; i++)
        pthread_join(loggers[i], NULL);
    atomic_store(&stop, 1);
    pthread_join(config_thread, NULL);
    pthread_join(reload_thread, NULL);
    lt_shutdown();

    CHECK(count_lines(path) == (size_t)LOGGERS * RECORDS + 1);
    printf("stress: %d threads x %d records, reconfigured meanwhile: ok\n", LOGGERS, RECORDS);
    return 0;
}
