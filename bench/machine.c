/* bench/machine.c - what the JSON says about the machine and the sources:
 * CPU model, core count, git revision, Python's version; and the peak RSS
 * of the harness itself (a forked child that logs nothing), which every
 * library's figure includes. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#ifndef BENCH_SOURCE_DIR
#define BENCH_SOURCE_DIR "."
#endif

/* The first line @cmd prints, without its newline; "" if none. */
static void first_line(const char *cmd, char *buf, size_t size)
{
    FILE *p = popen(cmd, "r");

    buf[0] = '\0';
    if (!p)
        return;
    if (fgets(buf, (int)size, p))
        buf[strcspn(buf, "\n")] = '\0';
    pclose(p);
}

void bench_machine(struct bench_config *cfg)
{
    char line[256], dirty[8];
    FILE *fp = fopen("/proc/cpuinfo", "r");

    snprintf(cfg->cpu_model, sizeof(cfg->cpu_model), "unknown");
    while (fp && fgets(line, sizeof(line), fp)) {
        char *colon = strchr(line, ':');

        if (strncmp(line, "model name", 10) == 0 && colon) {
            colon += 1 + (colon[1] == ' ');
            colon[strcspn(colon, "\n")] = '\0';
            snprintf(cfg->cpu_model, sizeof(cfg->cpu_model), "%s", colon);
            break;
        }
    }
    if (fp)
        fclose(fp);
    cfg->cores = (int)sysconf(_SC_NPROCESSORS_ONLN);
    first_line("git -C '" BENCH_SOURCE_DIR "' rev-parse --short=12 HEAD 2>/dev/null",
               cfg->git_revision, sizeof(cfg->git_revision));
    first_line("git -C '" BENCH_SOURCE_DIR "' status --porcelain --untracked-files=no "
               "2>/dev/null | head -c1",
               dirty, sizeof(dirty));
    if (!cfg->git_revision[0])
        snprintf(cfg->git_revision, sizeof(cfg->git_revision), "unknown");
    else if (dirty[0])
        strncat(cfg->git_revision, "-dirty",
                sizeof(cfg->git_revision) - strlen(cfg->git_revision) - 1);
    if (cfg->python)
        first_line("python3 -c 'import sys; print(sys.version.split()[0])' 2>/dev/null",
                   cfg->python_version, sizeof(cfg->python_version));
}

long bench_harness_rss(void)
{
    struct rusage ru;
    int status;
    pid_t pid;

    fflush(NULL);
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0)
        _exit(0);
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    return ru.ru_maxrss;
}
