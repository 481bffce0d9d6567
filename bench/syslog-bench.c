/* bench/syslog-bench.c - records/s through SysLogHandler to a syslog daemon:
 *
 *     syslog-bench udp|tcp PORT COUNT
 *
 * Logs COUNT INFO records "request N from 10.0.0.1 took 1.250 ms" with two
 * fields to 127.0.0.1:PORT (RFC 5424; octet counting over TCP), flushes,
 * and prints "records_per_s N" on stdout. Run by bench/syslog_bench.py beside
 * Python's SysLogHandler. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <logtree/logtree.h>

int main(int argc, char **argv)
{
    lt_handler *h;
    lt_logger *lg = lt_get_logger("bench");
    struct timespec t0, t1;
    long count;
    double s;

    if (argc != 4)
        return 2;
    count = atol(argv[3]);
    if (lt_syslog_handler_new(&h, &(lt_syslog_options){
                                      .host = "127.0.0.1",
                                      .port = atoi(argv[2]),
                                      .socktype = strcmp(argv[1], "tcp") == 0 ? SOCK_STREAM
                                                                              : SOCK_DGRAM,
                                      .facility = "local0",
                                      .net = {.queue_size = 100000},
                                  }) < 0)
        return 1;
    lt_logger_add_handler(lt_get_logger(NULL), h);
    lt_logger_set_level(lt_get_logger(NULL), LT_LEVEL_INFO);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long i = 0; i < count; i++)
        LT_INFO(lg, "request %ld from %s took %.3f ms", i, "10.0.0.1", 1.25, LT_F("user", "alice"),
                LT_F("status", 200));
    lt_handler_flush(h);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("records_per_s %.0f errors %llu\n", (double)count / s,
           (unsigned long long)lt_handler_error_count(h));
    lt_handler_unref(h);
    return 0;
}
