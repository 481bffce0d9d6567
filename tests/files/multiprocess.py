#!/usr/bin/env python3
"""Several processes, one rotating log (issue 4, point 5).

Runs N copies of the `logtree` tool at once, each logging LINES numbered
lines through one config whose handler has kwargs={'multiprocess': True},
then reads every file left and checks what users rely on:

  size:  every line present exactly once across the files, none torn, no
         file over maxBytes, at most backupCount backups, and every backup
         filled to within one line of maxBytes (a second rotation at the same
         threshold would leave a near-empty one, or overwrite app.log.1 and
         lose lines);
  time:  the same with TimedRotatingFileHandler('S'): every line exactly
         once, and each process's lines in order across the dated files.

usage: multiprocess.py LOGTREE_BIN [size|time|all] [--procs N] [--lines N]
"""
import os
import re
import subprocess
import sys
import tempfile

LINE = re.compile(r"^p(\d+)-(\d{7})-x{20}$")


def run_writers(binary, workdir, procs, lines):
    inputs = []
    for p in range(procs):
        path = os.path.join(workdir, "in%d.txt" % p)
        with open(path, "w") as f:
            for i in range(lines):
                f.write("p%d-%07d-%s\n" % (p, i, "x" * 20))
        inputs.append(path)
    running = []
    for path in inputs:
        running.append(subprocess.Popen([binary, "--config", "config.ini"], cwd=workdir,
                                        stdin=open(path), stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE))
    for proc in running:
        out, err = proc.communicate(timeout=600)
        if proc.returncode != 0 or err:
            sys.exit("FAIL: a writer exited %d: %s" % (proc.returncode, err.decode()))
    for path in inputs:
        os.unlink(path)


def read_lines(workdir, names, procs, lines):
    seen = {}
    last = [-1] * procs
    for name in names:
        with open(os.path.join(workdir, name), "rb") as f:
            data = f.read()
        if data and not data.endswith(b"\n"):
            sys.exit("FAIL: %s ends inside a line" % name)
        for raw in data.split(b"\n")[:-1]:
            m = LINE.match(raw.decode("ascii", "replace"))
            if not m:
                sys.exit("FAIL: torn or foreign line in %s: %r" % (name, raw[:80]))
            key = (int(m.group(1)), int(m.group(2)))
            if key in seen:
                sys.exit("FAIL: line %r twice (%s and %s)" % (raw, seen[key], name))
            seen[key] = name
            if key[1] <= last[key[0]]:
                sys.exit("FAIL: process %d's lines out of order in %s" % (key[0], name))
            last[key[0]] = key[1]
    missing = procs * lines - len(seen)
    if missing:
        sys.exit("FAIL: %d lines missing" % missing)


def check_size(binary, procs, lines):
    max_bytes, backups = 200000, 200
    line_len = len("p0-0000000-") + 20 + 1
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "config.ini"), "w") as f:
            f.write("[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=\n"
                    "[logger_root]\nlevel=DEBUG\nhandlers=h\n"
                    "[handler_h]\nclass=handlers.RotatingFileHandler\n"
                    "args=('app.log', 'a', %d, %d)\nkwargs={'multiprocess': True}\n"
                    % (max_bytes, backups))
        run_writers(binary, d, procs, lines)
        names = [n for n in os.listdir(d) if n.startswith("app.log")]
        numbered = sorted((n for n in names if re.fullmatch(r"app\.log\.\d+", n)),
                          key=lambda n: -int(n.rsplit(".", 1)[1]))
        extra = set(names) - set(numbered) - {"app.log", "app.log.lock"}
        if extra:
            sys.exit("FAIL: unexpected files %s" % sorted(extra))
        if len(numbered) > backups:
            sys.exit("FAIL: %d backups, backupCount %d" % (len(numbered), backups))
        for n in numbered + ["app.log"]:
            size = os.path.getsize(os.path.join(d, n))
            if size > max_bytes:
                sys.exit("FAIL: %s has %d bytes, maxBytes %d" % (n, size, max_bytes))
            if n != "app.log" and size <= max_bytes - 2 * line_len:
                sys.exit("FAIL: %s has only %d bytes: rotated twice at one threshold?"
                         % (n, size))
        read_lines(d, numbered + ["app.log"], procs, lines)
        print("size: %d processes x %d lines in %d files: every line once, none torn, "
              "none over %d bytes" % (procs, lines, len(numbered) + 1, max_bytes))


def check_time(binary, procs, lines):
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "config.ini"), "w") as f:
            f.write("[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=\n"
                    "[logger_root]\nlevel=DEBUG\nhandlers=h\n"
                    "[handler_h]\nclass=handlers.TimedRotatingFileHandler\n"
                    "args=('app.log', 'S', 1, 0)\nkwargs={'multiprocess': True}\n")
        run_writers(binary, d, procs, lines)
        names = [n for n in os.listdir(d) if n.startswith("app.log")]
        dated = sorted(n for n in names
                       if re.fullmatch(r"app\.log\.\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d", n))
        extra = set(names) - set(dated) - {"app.log", "app.log.lock"}
        if extra:
            sys.exit("FAIL: unexpected files %s" % sorted(extra))
        read_lines(d, dated + ["app.log"], procs, lines)
        print("time: %d processes x %d lines in %d files: every line once, in order, "
              "none torn" % (procs, lines, len(dated) + 1))


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    binary = os.path.abspath(args.pop(0))
    what = args.pop(0) if args and not args[0].startswith("--") else "all"
    procs, lines = 4, 200000
    while args:
        opt, val = args.pop(0), int(args.pop(0))
        if opt == "--procs":
            procs = val
        elif opt == "--lines":
            lines = val
    if what in ("size", "all"):
        check_size(binary, procs, lines)
    if what in ("time", "all"):
        check_time(binary, procs, lines)


if __name__ == "__main__":
    main()
