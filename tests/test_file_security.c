/* tests/test_file_security.c - issue 9, files and fork (slice 9c): the
 * permissions log files are created with, nofollow, rotation against
 * symbolic links planted in place of the file, a backup or the lock, the
 * config keys, and fork() while another thread holds a handler's lock.
 * Real files in temporary directories. */
#define _DEFAULT_SOURCE /* symlink(), lstat() */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <logtree/logtree.h>

#include "support.h"

static lt_logger *logger_with(const char *name, lt_handler *h)
{
    lt_logger *lg = lt_get_logger(name);

    lt_logger_clear_handlers(lg);
    lt_logger_set_level(lg, LT_LEVEL_DEBUG);
    lt_logger_set_propagate(lg, false);
    cr_assert_eq(lt_logger_add_handler(lg, h), 0);
    return lg;
}

static void done(lt_logger *lg, lt_handler *h)
{
    lt_logger_clear_handlers(lg);
    lt_handler_unref(h);
}

static unsigned perm_of(const char *path)
{
    struct stat st;

    cr_assert_eq(lstat(path, &st), 0, "%s: %s", path, strerror(errno));
    return st.st_mode & 07777;
}

static bool is_link(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0 && S_ISLNK(st.st_mode);
}

static void write_file(const char *path, const char *text, unsigned perm)
{
    FILE *f = fopen(path, "w");

    cr_assert(f);
    fputs(text, f);
    fclose(f);
    cr_assert_eq(chmod(path, perm), 0);
}

/* The victim a planted link points at: its bytes and bits must not change. */
#define VICTIM_TEXT "precious, not a log\n"

static void assert_victim_untouched(const char *path)
{
    cr_assert_str_eq(slurp(path), VICTIM_TEXT, "%s was written through a link", path);
    cr_assert_eq(perm_of(path), 0600, "%s had its mode changed", path);
}

/* ---- permissions ---- */

Test(file_permissions, default_is_0640_for_file_lock_and_backups)
{
    lt_file_options o = {.multiprocess = true};
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    umask(022);
    cr_assert_eq(lt_rotating_file_handler_new_opts(&h, "app.log", 40, 2, &o), 0);
    lg = logger_with("perm", h);
    for (int i = 0; i < 5; i++)
        LT_INFO(lg, "a record of twenty-odd bytes %d", i);
    done(lg, h);
    cr_assert_eq(perm_of("app.log"), 0640);
    cr_assert_eq(perm_of("app.log.lock"), 0640);
    cr_assert_eq(perm_of("app.log.1"), 0640);
    cr_assert_eq(perm_of("app.log.2"), 0640);
}

Test(file_permissions, asked_for_bits_and_the_umask_on_top)
{
    lt_file_options o = {.permissions = 0644};
    lt_handler *h;

    enter_temp_dir();
    umask(0);
    cr_assert_eq(lt_file_handler_new_opts(&h, "open.log", &o), 0);
    lt_handler_unref(h);
    cr_assert_eq(perm_of("open.log"), 0644);
    umask(077);
    cr_assert_eq(lt_watched_file_handler_new_opts(&h, "masked.log", &o), 0);
    lt_handler_unref(h);
    cr_assert_eq(perm_of("masked.log"), 0600, "the umask applies on top");
    /* A file that exists keeps its own bits. */
    umask(022);
    write_file("old.log", "", 0604);
    cr_assert_eq(lt_file_handler_new_opts(&h, "old.log", NULL), 0);
    lt_handler_unref(h);
    cr_assert_eq(perm_of("old.log"), 0604);
}

Test(file_permissions, out_of_range_is_refused)
{
    lt_file_options o = {.permissions = 010000};
    lt_handler *h = NULL;

    enter_temp_dir();
    cr_assert_eq(lt_file_handler_new_opts(&h, "x.log", &o), LT_EINVAL);
    cr_assert_eq(lt_timed_rotating_file_handler_new_opts(&h, "x.log", "h", 1, 0, &o), LT_EINVAL);
    cr_assert_null(h);
    cr_assert_eq(access("x.log", F_OK), -1);
}

Test(file_permissions, ini_and_json_keys)
{
    static const char ini[] = "[loggers]\nkeys=root\n[handlers]\nkeys=f,r\n[formatters]\nkeys=\n"
                              "[logger_root]\nhandlers=f,r\n"
                              "[handler_f]\nclass=FileHandler\nargs=('f.log',)\n"
                              "kwargs={'permissions': 0o600, 'nofollow': True}\n"
                              "[handler_r]\nclass=handlers.RotatingFileHandler\n"
                              "args=('r.log', 'a', 100, 1)\nkwargs={'permissions': '0604'}\n";
    static const char json[] =
        "{\"version\": 1, \"handlers\": {"
        "\"t\": {\"class\": \"logging.handlers.TimedRotatingFileHandler\", \"filename\": "
        "\"t.log\", \"permissions\": 384},"
        "\"w\": {\"class\": \"logging.handlers.WatchedFileHandler\", \"filename\": \"w.log\", "
        "\"permissions\": \"0660\", \"nofollow\": true}},"
        "\"root\": {\"handlers\": [\"t\", \"w\"]}}";
    static const char bad[] = "{\"version\": 1, \"handlers\": {"
                              "\"t\": {\"class\": \"logging.FileHandler\", \"filename\": "
                              "\"b.log\", \"permissions\": \"rw-r-----\"}}}";
    lt_error err = {0};

    enter_temp_dir();
    umask(0);
    cr_assert_eq(lt_config_string(ini, strlen(ini), "t.ini", 0, &err), 0, "%s", err.message);
    cr_assert_eq(perm_of("f.log"), 0600);
    cr_assert_eq(perm_of("r.log"), 0604);
    cr_assert_eq(lt_config_json_string(json, strlen(json), "t.json", 0, &err), 0, "%s",
                 err.message);
    cr_assert_eq(perm_of("t.log"), 0600);
    cr_assert_eq(perm_of("w.log"), 0660);
    cr_assert_eq(lt_config_json_string(bad, strlen(bad), "b.json", 0, &err), LT_ECONFIG);
    cr_assert(strstr(err.message, "octal"), "%s", err.message);
    cr_assert_eq(access("b.log", F_OK), -1);
    lt_shutdown();
    umask(022);
}

Test(file_permissions, ini_nofollow_refuses_a_linked_file)
{
    static const char ini[] = "[loggers]\nkeys=root\n[handlers]\nkeys=f\n[formatters]\nkeys=\n"
                              "[logger_root]\nhandlers=f\n"
                              "[handler_f]\nclass=FileHandler\nargs=('app.log', 'w')\n"
                              "kwargs={'nofollow': True}\n";
    lt_error err = {0};

    enter_temp_dir();
    write_file("victim", VICTIM_TEXT, 0600);
    cr_assert_eq(symlink("victim", "app.log"), 0);
    cr_assert_neq(lt_config_string(ini, strlen(ini), "t.ini", 0, &err), 0);
    cr_assert(strstr(err.message, "app.log"), "%s", err.message);
    assert_victim_untouched("victim");
}

/* ---- symbolic links ---- */

/* nofollow: the file itself as a link is refused, "w" truncates nothing. */
Test(file_links, nofollow_refuses_the_file_and_the_lock)
{
    lt_file_options o = {.nofollow = true, .mode = "w"};
    lt_handler *h = NULL;

    enter_temp_dir();
    write_file("victim", VICTIM_TEXT, 0600);
    cr_assert_eq(symlink("victim", "app.log"), 0);
    cr_assert_eq(lt_file_handler_new_opts(&h, "app.log", &o), LT_ELOOP);
    cr_assert_eq(lt_watched_file_handler_new_opts(&h, "app.log", &o), LT_ELOOP);
    cr_assert_eq(lt_rotating_file_handler_new_opts(&h, "app.log", 0, 0, &o), LT_ELOOP);
    cr_assert_null(h);
    assert_victim_untouched("victim");

    /* The lock of multiprocess, planted as a link to a name that does not
     * exist yet: O_CREAT would make it. */
    lt_file_options m = {.nofollow = true, .multiprocess = true};

    cr_assert_eq(symlink("made-by-the-lock", "mp.log.lock"), 0);
    cr_assert_eq(lt_rotating_file_handler_new_opts(&h, "mp.log", 100, 1, &m), LT_ELOOP);
    cr_assert_eq(access("made-by-the-lock", F_OK), -1);
}

/* Without nofollow, the file is opened through a link as Python does (the
 * link may be the administrator's own): that is what the option is for. */
Test(file_links, without_nofollow_the_link_is_followed)
{
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    write_file("target.log", "", 0600);
    cr_assert_eq(symlink("target.log", "app.log"), 0);
    cr_assert_eq(lt_file_handler_new_opts(&h, "app.log", NULL), 0);
    lg = logger_with("links", h);
    LT_INFO(lg, "through the link");
    done(lg, h);
    cr_assert_str_eq(slurp("target.log"), "through the link\n");
}

/* A link planted after the handler opened: the watched handler's reopen
 * refuses it, reports, and writes nothing through it. */
Test(file_links, nofollow_watched_reopen_refuses_a_planted_link, .init = cr_redirect_stderr)
{
    lt_file_options o = {.nofollow = true};
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    write_file("victim", VICTIM_TEXT, 0600);
    cr_assert_eq(lt_watched_file_handler_new_opts(&h, "app.log", &o), 0);
    lg = logger_with("links", h);
    LT_INFO(lg, "one");
    cr_assert_eq(unlink("app.log"), 0);
    cr_assert_eq(symlink("victim", "app.log"), 0);
    LT_INFO(lg, "two");
    cr_assert_geq(lt_handler_error_count(h), 1);
    done(lg, h);
    assert_victim_untouched("victim");
}

/* Links planted as every backup name: each rollover renames over the link
 * (the link goes, its target stays), never writes through it. */
static void rotate_past_links(const lt_file_options *o)
{
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    write_file("victim", VICTIM_TEXT, 0600);
    cr_assert_eq(symlink("victim", "app.log.1"), 0);
    cr_assert_eq(symlink("victim", "app.log.2"), 0);
    cr_assert_eq(symlink("victim", "app.log.3"), 0);
    cr_assert_eq(lt_rotating_file_handler_new_opts(&h, "app.log", 30, 3, o), 0);
    lg = logger_with("links", h);
    for (int i = 0; i < 10; i++)
        LT_INFO(lg, "record number %d of ten", i);
    lt_flush();
    done(lg, h);
    assert_victim_untouched("victim");
    for (int i = 1; i <= 3; i++) {
        char name[32];

        snprintf(name, sizeof(name), "app.log.%d", i);
        cr_assert_not(is_link(name), "%s is still the planted link", name);
        cr_assert(strstr(slurp(name), "record number"), "%s: %s", name, slurp(name));
    }
}

Test(file_links, rotation_replaces_planted_backup_links)
{
    rotate_past_links(NULL);
}

Test(file_links, rotation_under_multiprocess_replaces_planted_backup_links)
{
    lt_file_options o = {.multiprocess = true};

    rotate_past_links(&o);
}

/* A gzip-like rotator writes a new file at dest: the handler unlinks dest
 * first, and a rotator that creates with O_EXCL | O_NOFOLLOW (as
 * docs/files.md says) cannot be sent through a link. */
static int copy_rotator(void *arg, const char *source, const char *dest)
{
    char buf[4096];
    int in = open(source, O_RDONLY | O_CLOEXEC), out;
    ssize_t n;

    (void)arg;
    if (in < 0)
        return -errno;
    out = open(dest, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
    if (out < 0) {
        int r = -errno;

        close(in);
        return r;
    }
    while ((n = read(in, buf, sizeof(buf))) > 0)
        if (write(out, buf, (size_t)n) != n)
            break;
    close(in);
    close(out);
    return unlink(source) == 0 ? 0 : -errno;
}

Test(file_links, rotator_path_replaces_planted_backup_links)
{
    lt_file_options o = {.rotator = copy_rotator};

    rotate_past_links(&o);
}

/* Time rotation's removal of old backups: a link named as a backup is
 * removed (the link, not its target), and a directory reached by such a
 * link is not entered. */
Test(file_links, timed_deletion_unlinks_links_not_targets)
{
    lt_handler *h;
    lt_logger *lg;

    enter_temp_dir();
    write_file("victim", VICTIM_TEXT, 0600);
    cr_assert_eq(mkdir("victim.d", 0700), 0);
    write_file("victim.d/app.log.2000-01-01_00-00-00", VICTIM_TEXT, 0600);
    cr_assert_eq(symlink("victim", "app.log.2000-01-01_00-00-00"), 0);
    cr_assert_eq(symlink("victim.d", "app.log.2000-01-01_00-00-01"), 0);
    cr_assert_eq(lt_timed_rotating_file_handler_new_opts(&h, "app.log", "S", 1, 1, NULL), 0);
    lg = logger_with("links", h);
    LT_INFO(lg, "first second");
    usleep(1100 * 1000);
    LT_INFO(lg, "the next second");
    lt_flush();
    done(lg, h);
    cr_assert_not(is_link("app.log.2000-01-01_00-00-00"));
    cr_assert_not(is_link("app.log.2000-01-01_00-00-01"));
    assert_victim_untouched("victim");
    assert_victim_untouched("victim.d/app.log.2000-01-01_00-00-00");
}

/* ---- fork while another thread holds a handler's lock ---- */

static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static bool inside, released;
static pid_t parent_pid;
static int out_fd = -1;

/* Writes each record to out_fd; the record "block" waits (in the parent)
 * until the test releases it, holding the handler's lock all the while. */
static int blocking_emit(void *state, const lt_record *rec, lt_buf *msg)
{
    (void)state;
    (void)rec;
    lt_buf_puts(msg, "\n");
    if (lt_write_all(out_fd, lt_buf_data(msg), lt_buf_len(msg)) < 0)
        return LT_EIO;
    if (getpid() == parent_pid && strcmp(lt_buf_data(msg), "block\n") == 0) {
        pthread_mutex_lock(&gate_lock);
        inside = true;
        pthread_cond_broadcast(&gate_cond);
        while (!released)
            pthread_cond_wait(&gate_cond, &gate_lock);
        pthread_mutex_unlock(&gate_lock);
    }
    return 0;
}

static const lt_handler_type blocking_type = {
    .version = LT_HANDLER_TYPE_VERSION,
    .name = "blocking",
    .emit = blocking_emit,
};

static void *flush_memory(void *arg)
{
    (void)lt_handler_flush(arg); /* the memory handler hands "block" to its target */
    return NULL;
}

Test(fork_safety, child_logs_through_a_handler_whose_lock_another_thread_holds)
{
    lt_handler *blocker, *mem;
    lt_logger *held, *direct;
    pthread_t t;
    pid_t pid;
    int status;

    enter_temp_dir();
    parent_pid = getpid();
    cr_assert((out_fd = open("fork.log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640)) >= 0);
    cr_assert_eq(lt_handler_new(&blocker, &blocking_type, NULL), 0);
    cr_assert_eq(lt_memory_handler_new(&mem, 100, LT_LEVEL_CRITICAL, blocker, 0), 0);
    held = logger_with("fork.held", mem);
    direct = logger_with("fork.direct", blocker);
    LT_INFO(held, "block");
    /* A thread that holds the blocker's lock outside any record's path
     * through the tree: the memory handler's flush, called directly. */
    cr_assert_eq(pthread_create(&t, NULL, flush_memory, mem), 0);
    pthread_mutex_lock(&gate_lock);
    while (!inside)
        pthread_cond_wait(&gate_cond, &gate_lock);
    pthread_mutex_unlock(&gate_lock);

    pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        alarm(10); /* a deadlock kills the child: the parent sees a signal */
        LT_INFO(direct, "from the child %d", 1);
        _exit(0);
    }
    alarm(20);
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    alarm(0);
    pthread_mutex_lock(&gate_lock);
    released = true;
    pthread_cond_broadcast(&gate_cond);
    pthread_mutex_unlock(&gate_lock);
    pthread_join(t, NULL);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %#x", status);
    LT_INFO(direct, "parent after");
    done(held, mem);
    lt_logger_clear_handlers(direct);
    lt_handler_unref(blocker);
    close(out_fd);
    cr_assert_str_eq(slurp("fork.log"), "block\nfrom the child 1\nparent after\n");
}
