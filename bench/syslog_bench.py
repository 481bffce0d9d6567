#!/usr/bin/env python3
"""By hand: records/s over UDP and TCP to a real rsyslog on loopback, logtree's
SysLogHandler (bench/syslog-bench.c) beside Python's logging.handlers.
SysLogHandler sending the same records in the same run, and how many of
each arrived.

    bench/syslog_bench.py BUILD_DIR [COUNT] [RUNS]

rsyslog is started in the foreground with a config written here (imudp,
imtcp on free ports, output to a file); medians of RUNS runs are printed.
Python's TCP output is Python's own (unframed, NUL-terminated): rsyslog
splits it on its NULs only with imtcp's AddtlFrameDelimiter=0, set here.
"""
import logging
import logging.handlers
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

CONF = """
global(workDirectory="{d}" maxMessageSize="64k")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="{udp}" rcvBufSize="16m")
module(load="imtcp" AddtlFrameDelimiter="0")
input(type="imtcp" address="127.0.0.1" port="{tcp}")
template(name="t" type="string" string="%msg%\\n")
*.* action(type="omfile" file="{d}/out.log" template="t")
"""


def free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def lines(path):
    try:
        with open(path, "rb") as f:
            return f.read().count(b"\n")
    except FileNotFoundError:
        return 0


def settle(path, timeout=20):
    last, same = -1, 0
    end = time.monotonic() + timeout
    while time.monotonic() < end and same < 5:
        n = lines(path)
        same = same + 1 if n == last else 0
        last = n
        time.sleep(0.1)
    return last


def python_rate(proto, port, count):
    h = logging.handlers.SysLogHandler(
        ("127.0.0.1", port), logging.handlers.SysLogHandler.LOG_LOCAL0,
        socket.SOCK_STREAM if proto == "tcp" else socket.SOCK_DGRAM)
    lg = logging.getLogger(f"pybench.{proto}.{time.monotonic_ns()}")
    lg.propagate = False
    lg.addHandler(h)
    lg.setLevel(logging.INFO)
    t0 = time.perf_counter()
    for i in range(count):
        lg.info("request %d from %s took %.3f ms", i, "10.0.0.1", 1.25,
                extra={"user": "alice", "status": 200})
    h.flush()
    t = time.perf_counter() - t0
    h.close()
    return count / t


def main():
    build = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    d = tempfile.mkdtemp(prefix="logtree-bench-")
    ports = {"udp": free_port(socket.SOCK_DGRAM), "tcp": free_port(socket.SOCK_STREAM)}
    with open(f"{d}/rsyslog.conf", "w") as f:
        f.write(CONF.format(d=d, **ports))
    rs = subprocess.Popen(["rsyslogd", "-n", "-f", f"{d}/rsyslog.conf", "-i", f"{d}/pid"])
    out = f"{d}/out.log"
    try:
        time.sleep(1.5)
        print(f"{count} records per run, median of {runs} runs; rsyslog on loopback")
        print(f"{'':22} {'records/s':>12} {'arrived':>9}")
        for proto in ("udp", "tcp"):
            res = {"logtree": [], "python": []}
            got = {"logtree": [], "python": []}
            for _ in range(runs):
                for who in ("logtree", "python"):
                    before = settle(out)
                    if who == "logtree":
                        r = subprocess.run([f"{build}/bench/syslog-bench", proto,
                                            str(ports[proto]), str(count)],
                                           capture_output=True, text=True, check=True)
                        rate = float(r.stdout.split()[1])
                    else:
                        rate = python_rate(proto, ports[proto], count)
                    res[who].append(rate)
                    got[who].append(settle(out) - before)
            for who in ("logtree", "python"):
                print(f"{proto} {who:18} {statistics.median(res[who]):12.0f} "
                      f"{statistics.median(got[who]):9.0f}")
            print(f"{proto} ratio logtree/python {statistics.median(res['logtree']) / statistics.median(res['python']):.2f}")
    finally:
        rs.terminate()
        rs.wait()
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
