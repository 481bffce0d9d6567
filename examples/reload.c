/* examples/reload.c - a long-running program whose logging is changed
 * without a restart: SIGHUP (or an edit of the file) reloads the config.
 *
 *     build/examples/reload examples/logging.json
 *
 * The program loads the file, starts logtree's watcher thread (which also
 * reloads when the file changes), and reloads on SIGHUP through
 * lt_config_reload_request(), the async-signal-safe call. Here it sends
 * itself the signal; a service would get it from `kill -HUP` or systemd's
 * ExecReload=. Loggers it holds stay valid across reloads. */
#define _POSIX_C_SOURCE 200809L /* nanosleep */

#include <signal.h>
#include <stdio.h>
#include <time.h>

#include <logtree/logtree.h>

static lt_logger *db; /* looked up before the handler is installed */

static void on_hup(int sig)
{
    (void)sig;
    lt_config_reload_request(); /* one write(2) to a pipe: safe here */
    /* The only logging call safe in a signal handler: queued without a
     * lock, logged by the next record (LT_INFO() here could deadlock). */
    lt_log_signal_safe(db, LT_LEVEL_WARNING, "SIGHUP: reloading the config");
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "logging.json";
    struct timespec tick = {0, 200 * 1000000L};
    lt_error err;
    char text[1024];

    if (lt_config_file(path, 0, &err) < 0) {
        lt_error_format(&err, text, sizeof(text));
        fprintf(stderr, "reload: %s\n", text);
        return 2;
    }
    db = lt_get_logger("app.db"); /* the same pointer before and after reloads */
    lt_config_watch_start(1000);  /* also reload when the file changes */
    signal(SIGHUP, on_hup);

    LT_WARNING(db, "before the reload");
    raise(SIGHUP);
    nanosleep(&tick, NULL); /* the watcher thread reloads meanwhile */
    LT_WARNING(db, "after the reload");
    lt_dump_tree(stdout); /* what is configured now */
    return 0;             /* lt_shutdown() at exit stops the watcher */
}
