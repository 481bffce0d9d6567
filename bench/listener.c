/* bench/listener.c - the local UDP syslog listener of the handlers
 * scenario's "syslog" variant: a thread in the measuring process receives
 * each datagram and writes it as one line to the output file, so that the
 * record count check reads it like any other sink's file. */
#include "listener.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int sock = -1;
static FILE *out;
static pthread_t thread;
static atomic_bool stopping;
static atomic_long received;

static void *receive(void *arg)
{
    static char buf[65536];

    (void)arg;
    for (;;) {
        ssize_t n = recv(sock, buf, sizeof(buf), 0);

        if (n > 0) {
            fwrite(buf, 1, (size_t)n, out);
            fputc('\n', out);
            atomic_fetch_add(&received, 1);
        } else if (atomic_load(&stopping)) {
            return NULL; /* the receive timeout passed with nothing more */
        }
    }
}

int bench_listener_start(const char *path)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(addr);
    struct timeval tick = {0, 100000};
    int big = 16 << 20;

    if ((sock = socket(AF_INET, SOCK_DGRAM, 0)) < 0 || !(out = fopen(path, "w")))
        return -1;
    /* A deep queue: the listener shares the machine with the logging
     * thread, and a datagram the kernel drops is a record lost. */
    (void)setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
    (void)setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof(tick));
    if (bind(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        getsockname(sock, (struct sockaddr *)&addr, &len) < 0 ||
        pthread_create(&thread, NULL, receive, NULL) != 0)
        return -1;
    return ntohs(addr.sin_port);
}

int bench_listener_stop(long expected)
{
    /* Until everything arrived, or nothing more for a second. */
    long seen = -1;

    for (int idle = 0; atomic_load(&received) < expected && idle < 10; idle++) {
        usleep(100000);
        if (atomic_load(&received) != seen)
            idle = 0;
        seen = atomic_load(&received);
    }
    atomic_store(&stopping, true);
    pthread_join(thread, NULL);
    close(sock);
    return fclose(out) == 0 ? 0 : -1;
}
