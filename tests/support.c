/* tests/support.c - see support.h. */
#define _GNU_SOURCE /* RTLD_NEXT */
#include <criterion/criterion.h>
#include <dirent.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

/* Locked: tests read it from one thread while others log into it. */
struct capture {
    pthread_mutex_t lock;
    char **lines;
    size_t n;
};

struct capture_state {
    capture *store;
};

static int capture_open(void *state, const void *arg)
{
    ((struct capture_state *)state)->store = (capture *)(void *)(uintptr_t)arg;
    return 0;
}

static int capture_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    capture *c = ((struct capture_state *)state)->store;
    char *line = strdup(lt_buf_data(msg)), **lines;

    (void)rec;
    pthread_mutex_lock(&c->lock);
    lines = realloc(c->lines, (c->n + 1) * sizeof(*lines));
    if (lines && line) {
        c->lines = lines;
        c->lines[c->n++] = line;
    }
    pthread_mutex_unlock(&c->lock);
    if (!lines || !line) {
        free(line);
        return LT_ENOMEM;
    }
    return 0;
}

static void capture_close(void *state)
{
    capture *c = ((struct capture_state *)state)->store;

    for (size_t i = 0; i < c->n; i++)
        free(c->lines[i]);
    free(c->lines);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static const lt_handler_type capture_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "capture",
    .state_size = sizeof(struct capture_state),
    .open = capture_open,
    .emit = capture_emit,
    .close = capture_close,
};

lt_handler *capture_new(capture **ret)
{
    capture *c = calloc(1, sizeof(*c));
    lt_handler *h = NULL;

    if (!c)
        abort();
    pthread_mutex_init(&c->lock, NULL);
    if (lt_handler_new(&h, &capture_type, c) < 0)
        abort();
    *ret = c;
    return h;
}

size_t capture_count(capture *c)
{
    size_t n;

    pthread_mutex_lock(&c->lock);
    n = c->n;
    pthread_mutex_unlock(&c->lock);
    return n;
}

const char *capture_line(capture *c, size_t i)
{
    const char *line;

    pthread_mutex_lock(&c->lock);
    line = i < c->n ? c->lines[i] : "";
    pthread_mutex_unlock(&c->lock);
    return line;
}

const char *capture_text(capture *c)
{
    static char text[1 << 20];
    size_t len = 0;

    text[0] = '\0';
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < c->n && len < sizeof(text); i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len, "%s\n", c->lines[i]);
    pthread_mutex_unlock(&c->lock);
    return text;
}

const char *render(lt_formatter *f, const char *name, int level, const char *msg)
{
    static char out[1 << 16];
    lt_logger *lg = lt_get_logger(name);
    capture *c;
    lt_handler *h = capture_new(&c);

    lt_handler_set_formatter(h, f);
    lt_logger_add_handler(lg, h);
    lt_logger_set_level(lg, 1);
    lt_log_text_at(lg, level, NULL, msg, strlen(msg));
    snprintf(out, sizeof(out), "%s", capture_line(c, 0));
    lt_logger_remove_handler(lg, h);
    lt_handler_unref(h);
    return out;
}

int open_fd_count(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n - 1; /* the directory's own descriptor */
}

const char *slurp(const char *path)
{
    static char data[1 << 20];
    FILE *f = fopen(path, "rb");
    size_t n = 0;

    data[0] = '\0';
    if (!f)
        return data;
    n = fread(data, 1, sizeof(data) - 1, f);
    data[n] = '\0';
    fclose(f);
    return data;
}

const char *enter_temp_dir(void)
{
    static char dir[256];

    snprintf(dir, sizeof(dir), "/tmp/logtree-test-XXXXXX");
    if (!mkdtemp(dir) || chdir(dir) != 0)
        abort();
    return dir;
}

/* Every Criterion test in every test binary (they all link this file) fails
 * when it leaves a descriptor open that it did not find open. The trampoline
 * Criterion generates for each Test() calls criterion_internal_test_main()
 * from the test binary, so the definition below takes the call and runs the
 * body through fd_checked_body() inside Criterion's own one (same setjmp,
 * same test process, so cr_assert() fails the test as usual).
 *
 * The descriptors are compared by number and what they point to, taken after
 * the test's .init and after its body, and after lt_shutdown(): the handlers
 * the tree still holds close there, and one that does not close its
 * descriptor is a leak. A descriptor the test closed (reading a redirected
 * stderr closes Criterion's pipe) is no leak. */
struct fd_set_snapshot {
    int n;
    int fd[256];
    char target[256][128];
};

static void fd_snapshot(struct fd_set_snapshot *s)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;

    s->n = 0;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL && s->n < 256) {
        char link[64];
        ssize_t len;
        int fd = atoi(e->d_name);

        if (e->d_name[0] == '.' || fd == dirfd(d))
            continue;
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        len = readlink(link, s->target[s->n], sizeof(s->target[0]) - 1);
        s->target[s->n][len < 0 ? 0 : len] = '\0';
        s->fd[s->n++] = fd;
    }
    closedir(d);
}

static bool fd_was_open(const struct fd_set_snapshot *s, int fd, const char *target)
{
    for (int i = 0; i < s->n; i++)
        if (s->fd[i] == fd && strcmp(s->target[i], target) == 0)
            return true;
    return false;
}

static void (*checked_body)(void);
static struct fd_set_snapshot fds_before, fds_after;

static void fd_checked_body(void)
{
    fd_snapshot(&fds_before);
    checked_body();
    lt_shutdown();
    fd_snapshot(&fds_after);
    for (int i = 0; i < fds_after.n; i++)
        cr_assert(fd_was_open(&fds_before, fds_after.fd[i], fds_after.target[i]),
                  "the test leaves descriptor %d (%s) open, which it did not find open",
                  fds_after.fd[i], fds_after.target[i]);
}

void criterion_internal_test_main(void (*fn)(void))
{
    void (*real)(void (*)(void));

    *(void **)&real = dlsym(RTLD_NEXT, "criterion_internal_test_main");
    if (!real)
        abort();
    checked_body = fn;
    real(fd_checked_body);
}

const char *parsers_dir(void)
{
    static char dir[1024];
    const char *env = getenv("LT_PARSERS_DIR");
    const char *const candidates[] = {env, LT_BINARY_DIR "/parsers",
                                      LT_SOURCE_DIR "/build/parsers"};
    char probe[1100];

    for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
        if (!candidates[i] || !*candidates[i])
            continue;
        snprintf(probe, sizeof(probe), "%s/node_modules/logfmt/package.json", candidates[i]);
        if (access(probe, F_OK) == 0) {
            snprintf(dir, sizeof(dir), "%s", candidates[i]);
            return dir;
        }
    }
    return NULL;
}

void parser_missing(const char *what)
{
    const char *allow = getenv("LT_ALLOW_MISSING_PARSERS");

    if (allow && strcmp(allow, "1") == 0)
        cr_skip_test("%s is not installed (tests/parsers/setup.sh installs it)", what);
    cr_assert_fail("%s is not installed: run tests/parsers/setup.sh, or set "
                   "LT_ALLOW_MISSING_PARSERS=1 to skip the tests that need it",
                   what);
}
