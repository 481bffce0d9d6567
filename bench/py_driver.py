#!/usr/bin/env python3
"""bench/py_driver.py - Python's logging driven with logtree-bench's workload.

    py_driver.py SCENARIO COUNT THREADS PATH SAMPLES

logtree-bench runs this as its "python" library: a FileHandler to PATH with
the pattern "%(asctime)s %(levelname)s %(name)s %(message)s" and the
message "request %d from %s took %.3f ms" (an int, a 9-byte string, a
float), level INFO. It prints "key value" lines on stdout. Latency and
throughput run THREADS threads that split COUNT calls and start at one
barrier; for latency each thread times each of its own calls
(time.perf_counter_ns(), whose own cost is included, as the TSC read is in
the C drivers) into its own slice of one array, written to SAMPLES as
native 64-bit integers, which logtree-bench reduces with its own statistics.
With more than one thread the GIL serialises the calls, and a call's time
includes its wait for the GIL.
"""
import array
import logging
import sys
import threading
import time


def main():
    scenario, count, threads, path, samples = sys.argv[1:6]
    count, threads = int(count), int(threads)
    handler = logging.FileHandler(path, mode="w")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    log = logging.getLogger("bench")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    clock = time.perf_counter_ns
    request, client, took = 42, "127.0.0.1", 12.345

    if scenario == "disabled":
        start = clock()
        for _ in range(count):
            log.debug("request %d from %s took %.3f ms", request, client, took)
        print("ns_per_call", (clock() - start) / count)
    else:  # latency, throughput: THREADS threads split COUNT calls
        shares = [count // threads + (1 if i < count % threads else 0) for i in range(threads)]
        firsts = [sum(shares[:k]) for k in range(threads)]
        times = array.array("q", bytes(8 * count)) if scenario == "latency" else None
        ends = [0] * threads
        barrier = threading.Barrier(threads + 1)

        def producer(k):
            barrier.wait()
            if times is None:
                for _ in range(shares[k]):
                    log.info("request %d from %s took %.3f ms", request, client, took)
            else:
                for i in range(firsts[k], firsts[k] + shares[k]):
                    t = clock()
                    log.info("request %d from %s took %.3f ms", request, client, took)
                    times[i] = clock() - t
            ends[k] = clock()

        workers = [threading.Thread(target=producer, args=(k,)) for k in range(threads)]
        for w in workers:
            w.start()
        start = clock()
        barrier.wait()
        for w in workers:
            w.join()
        produced = max(ends)
        handler.close()
        closed = clock()
        print("producer_ns", produced - start)
        print("total_ns", closed - start)
        if times is not None:
            with open(samples, "wb") as f:
                times.tofile(f)
    handler.close()
    print("version", sys.version.split()[0])


if __name__ == "__main__":
    main()
