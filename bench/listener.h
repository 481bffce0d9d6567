/* bench/listener.h - a local UDP syslog listener writing each datagram as a
 * line of @path (bench/listener.c). */
#ifndef LOGTREE_BENCH_LISTENER_H
#define LOGTREE_BENCH_LISTENER_H

/* Start receiving on 127.0.0.1; returns the port, or -1. */
int bench_listener_start(const char *path);

/* Wait for @expected datagrams (or a second of silence), stop, close the
 * file; 0 or -1. */
int bench_listener_stop(long expected);

#endif
