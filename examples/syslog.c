/* examples/syslog.c - send records to a syslog server as RFC 5424, with the
 * record's fields as structured data.
 *
 * To run without a server, the program stands one in itself: a UDP socket
 * on 127.0.0.1 that prints what arrives. Point the handler at your rsyslog,
 * syslog-ng or Vector instead (host/port, or socktype SOCK_STREAM for TCP with
 * octet counting), or at journald with lt_journal_handler_new().
 *
 *     $ ./syslog
 *     received: <132>1 2026-11-27T18:12:13.123456+00:00 host billing 4242 - \
 *       [example@32473 order="A-17" amount="12.5"] order paid
 */
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include <logtree/logtree.h>

int main(void)
{
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(addr);
    int server = socket(AF_INET, SOCK_DGRAM, 0);
    lt_handler *h;
    char buf[2048];
    ssize_t n;

    /* The stand-in syslog server, on a port the system picks. */
    if (server < 0 || bind(server, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
        getsockname(server, (struct sockaddr *)&addr, &len) < 0)
        return 1;

    if (lt_syslog_handler_new(&h, &(lt_syslog_options){
                                      .host = "127.0.0.1",
                                      .port = ntohs(addr.sin_port),
                                      .facility = "local0",
                                      .format = LT_SYSLOG_FORMAT_RFC5424,
                                      .app_name = "billing",
                                      .sd_id = "example@32473",
                                  }) < 0)
        return 1;
    lt_logger_add_handler(lt_get_logger(NULL), h);
    lt_handler_unref(h); /* the root logger keeps its own reference */

    LT_WARNING(lt_get_logger("billing"), "order paid", LT_F("order", "A-17"),
               LT_F("amount", 12.5));

    if ((n = recv(server, buf, sizeof(buf) - 1, 0)) < 0)
        return 1;
    buf[n] = '\0';
    printf("received: %s\n", buf);
    close(server);
    return 0;
}
