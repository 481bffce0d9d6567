/* bench/python.c - the "python" library: Python's logging, driven by
 * bench/py_driver.py with the same workload. Its per-call latencies come
 * back in a file and go through the same statistics as the C drivers'; its
 * peak RSS is the python process's own (wait4). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#ifndef BENCH_PY_DRIVER
#define BENCH_PY_DRIVER "py_driver.py"
#endif

/* Reduce the samples file; mmap'ed, so the parent does not keep a large
 * heap that every later child would inherit into its RSS. */
static int read_samples(const char *path, struct bench_sample *s)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    uint64_t *ns;

    if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < 8) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    ns = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    close(fd);
    if (ns == MAP_FAILED)
        return -1;
    bench_reduce_latency(ns, (size_t)st.st_size / 8, s);
    munmap(ns, (size_t)st.st_size);
    return 0;
}

int bench_run_python(const struct bench_config *cfg, const struct bench_job *j,
                     const char *path, struct bench_sample *s)
{
    char count[32], threads[32], samples[600], line[256];
    double producer_ns = NAN, total_ns = NAN, v;
    int fds[2], status;
    struct rusage ru;
    FILE *out;
    pid_t pid;

    snprintf(count, sizeof(count), "%ld", cfg->count);
    snprintf(threads, sizeof(threads), "%d", j->threads);
    snprintf(samples, sizeof(samples), "%s.samples", path);
    if (pipe(fds) < 0)
        return -1;
    fflush(NULL);
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        execlp("python3", "python3", BENCH_PY_DRIVER, j->scenario, count, threads, path, samples,
               (char *)NULL);
        perror("logtree-bench: python3");
        _exit(127);
    }
    close(fds[1]);
    out = fdopen(fds[0], "r");
    while (out && fgets(line, sizeof(line), out)) {
        if (sscanf(line, "ns_per_call %lf", &v) == 1)
            s->fig[F_NS_PER_CALL] = v;
        else if (sscanf(line, "producer_ns %lf", &v) == 1)
            producer_ns = v;
        else if (sscanf(line, "total_ns %lf", &v) == 1)
            total_ns = v;
    }
    if (out)
        fclose(out);
    else
        close(fds[0]);
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return -1;
    s->fig[F_RSS] = (double)ru.ru_maxrss;
    if (!isnan(producer_ns) && !isnan(total_ns) && producer_ns > 0) {
        s->fig[F_PRODUCER_RPS] = (double)cfg->count * 1e9 / producer_ns;
        s->fig[F_RPS] = (double)cfg->count * 1e9 / total_ns;
        s->fig[F_DRAIN_MS] = (total_ns - producer_ns) / 1e6;
        if (strcmp(j->scenario, "throughput") == 0)
            s->fig[F_NS_PER_CALL] = producer_ns / (double)cfg->count;
    }
    if (strcmp(j->scenario, "latency") == 0) {
        int r = read_samples(samples, s);

        unlink(samples);
        if (r < 0)
            return -1;
    }
    s->ok = 1;
    return 0;
}
