/* tests/stress_async.c - asynchronous mode under ThreadSanitizer (a plain
 * program: Criterion's sandbox does not start under TSan). Six threads log
 * with fields and context while another flushes, and the main thread stops
 * and starts async mode again and again; every record must arrive exactly
 * once, and in order per thread. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <logtree/logtree.h>

#define THREADS 6
#define RECORDS 50000

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);              \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long next_of[THREADS], total;
static bool out_of_order, bad_fields;
static atomic_int done;

struct sink {
    int unused;
};

static int sink_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    lt_value v;
    int t;
    long i;

    (void)state;
    if (sscanf(lt_buf_data(msg), "t%d i%ld", &t, &i) != 2)
        return 0;
    pthread_mutex_lock(&lock);
    if (i < next_of[t])
        out_of_order = true;
    next_of[t] = i + 1;
    total++;
    if (!lt_record_find_field(rec, "thread_no", &v) || v.as.i != t ||
        !lt_record_find_field(rec, "req", &v))
        bad_fields = true;
    pthread_mutex_unlock(&lock);
    return 0;
}

static const lt_handler_type sink_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "sink",
    .state_size = sizeof(struct sink),
    .emit = sink_emit,
};

static void *produce(void *arg)
{
    int t = (int)(intptr_t)arg;
    char req[16];

    snprintf(req, sizeof(req), "r-%d", t);
    LT_CONTEXT_PUSH(LT_F("req", req));
    for (long i = 0; i < RECORDS; i++)
        LT_INFO(lt_get_logger("s"), "t%d i%ld", t, i, LT_F("thread_no", t));
    lt_context_pop();
    return NULL;
}

static void *flush_often(void *arg)
{
    (void)arg;
    while (!atomic_load(&done))
        lt_flush();
    return NULL;
}

int main(void)
{
    pthread_t t[THREADS], flusher;
    lt_handler *h;
    lt_async_stats st;

    CHECK(lt_handler_new(&h, &sink_type, NULL) == 0);
    lt_logger_add_handler(lt_get_logger("s"), h);
    lt_logger_set_level(lt_get_logger("s"), LT_LEVEL_INFO);
    lt_handler_unref(h);
    CHECK(lt_async_start(&(lt_async_options){.ring_size = 8192}) == 0);
    for (int i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, produce, (void *)(intptr_t)i);
    pthread_create(&flusher, NULL, flush_often, NULL);
    for (int round = 0; round < 20; round++) {
        CHECK(lt_async_stop() == 0);
        CHECK(lt_async_start(&(lt_async_options){.ring_size = 8192}) == 0);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    atomic_store(&done, 1);
    pthread_join(flusher, NULL);
    CHECK(lt_flush() == 0);
    CHECK(lt_async_stats_get(&st) == 0);
    CHECK(lt_async_stop() == 0);
    lt_shutdown();
    pthread_mutex_lock(&lock);
    CHECK(total == (long)THREADS * RECORDS);
    CHECK(!out_of_order);
    CHECK(!bad_fields);
    pthread_mutex_unlock(&lock);
    printf("stress_async: %d threads x %d records, 20 stops and starts: ok\n", THREADS, RECORDS);
    return 0;
}
