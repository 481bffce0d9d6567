/* tests/test_net.c - what the network handlers promise in-process (the real
 * peers are in tests/net/): records queued while the peer is away and still
 * queued at close are lost loudly, reported once and counted. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <logtree/logtree.h>

/* A TCP port on 127.0.0.1 that nobody listens on (bound, then closed). */
static int dead_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    cr_assert(fd >= 0);
    cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    cr_assert_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd);
    return ntohs(a.sin_port);
}

Test(net, records_queued_at_close_are_reported_and_counted, .init = cr_redirect_stderr)
{
    lt_handler *h;
    lt_logger *lg = lt_get_logger("net.close");
    char err[4096] = "";
    FILE *f;

    cr_assert_eq(lt_socket_handler_new(&h, "127.0.0.1", dead_port(), NULL), 0);
    lt_handler_set_name(h, "sock");
    lt_logger_add_handler(lg, h);
    lt_logger_set_level(lg, LT_LEVEL_INFO);
    lt_logger_set_propagate(lg, false);
    for (int i = 0; i < 5; i++)
        LT_INFO(lg, "record %d", i);
    cr_assert_eq(lt_handler_error_count(h), 0, "queued, not lost yet");
    lt_handler_close(h);
    cr_expect_eq(lt_handler_error_count(h), 5);
    lt_logger_remove_handler(lg, h);
    lt_handler_unref(h);
    fflush(stderr);
    f = cr_get_redirected_stderr();
    fread(err, 1, sizeof(err) - 1, f);
    cr_expect(strstr(err, "handler 'sock'") && strstr(err, "5 records still queued"), "%s", err);
}
