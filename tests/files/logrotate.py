#!/usr/bin/env python3
"""The real logrotate(8) against the logtree tool while it logs (issue 4).

create:       WatchedFileHandler. logrotate renames app.log to app.log.1
              (and .1 to .2, ...) and creates a new app.log; the handler sees
              the inode change at its next record and opens the new file.
              Records written between the rename and the reopen go to the
              renamed file. If a record comes between logrotate's rename and
              its create, the handler makes app.log itself (as Python's
              does); logrotate's O_EXCL create then fails and logrotate moves
              that file aside as app.log-DATE.backup and creates its own:
              those records are in the .backup file. Checked: every line
              exactly once across the files, in order within each, none
              torn.
copytruncate: FileHandler (O_APPEND). logrotate copies app.log to app.log.1
              and then truncates app.log; the handler keeps its descriptor
              and O_APPEND writes land at the new end. Lines written between
              logrotate's copy and its truncate are lost: that window is
              logrotate's own (docs/files.md); the copy may even end inside
              the line being written then (logrotate's read() can meet a
              write(2) halfway). Checked: no line twice, none torn (but a
              copy's last), order kept, and the lines missing form at most
              one run per rotation (only logrotate's windows lose lines).

Exits 1 on failure; 77 (a skip) only if logrotate is missing and
LT_ALLOW_MISSING_PARSERS=1.

usage: logrotate.py LOGTREE_BIN
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

LINES = 60000
ROTATIONS = 5
LINE = re.compile(r"^(\d{6}) y{30}$")

CONFIG = """[loggers]
keys=root
[handlers]
keys=h
[formatters]
keys=
[logger_root]
level=DEBUG
handlers=h
[handler_h]
class=%s
args=('app.log', 'a')
"""


def feed(proc, lines):
    """Lines at a steady pace, so that rotations land in the middle."""
    for i in range(lines):
        proc.stdin.write(b"%06d %s\n" % (i, b"y" * 30))
        if i % 500 == 499:
            proc.stdin.flush()
            time.sleep(0.005)
    proc.stdin.close()


def run(binary, logrotate, mode, handler):
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "config.ini"), "w") as f:
            f.write(CONFIG % handler)
        conf = os.path.join(d, "logrotate.conf")
        with open(conf, "w") as f:
            f.write("%s/app.log {\n  rotate 100\n  %s\n  missingok\n}\n"
                    % (d, "create 0644" if mode == "create" else "copytruncate"))
        proc = subprocess.Popen([binary, "--config", "config.ini"], cwd=d,
                                stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        feeder = threading.Thread(target=feed, args=(proc, LINES))
        feeder.start()
        done = 0
        while done < ROTATIONS and feeder.is_alive():
            time.sleep(0.1)
            r = subprocess.run([logrotate, "-f", "-s", os.path.join(d, "state"), conf],
                               capture_output=True, text=True)
            if r.returncode != 0:
                sys.exit("FAIL: logrotate: %s" % r.stderr)
            done += 1
        feeder.join()
        err = proc.stderr.read()
        if proc.wait() != 0 or err:
            sys.exit("FAIL: logtree exited %d: %s" % (proc.returncode, err.decode()))
        if done < 2:
            sys.exit("FAIL: only %d rotations happened while logging" % done)
        # logrotate's own rename (app.log-DATE.backup) when the handler had
        # already made the new app.log: see the docstring.
        names = sorted((n for n in os.listdir(d) if re.fullmatch(r"app\.log\.\d+", n)),
                       key=lambda n: -int(n.rsplit(".", 1)[1])) + ["app.log"]
        names += sorted(n for n in os.listdir(d) if re.fullmatch(r"app\.log-.*\.backup", n))
        seen = []
        for n in names:
            with open(os.path.join(d, n), "rb") as f:
                data = f.read()
            if data and not data.endswith(b"\n"):
                # copytruncate: logrotate's read() can meet a write(2) halfway
                # (reads take no lock against writes); the rest of that line
                # goes with the truncate: part of logrotate's window.
                if mode != "copytruncate" or n == "app.log":
                    sys.exit("FAIL: %s: %s ends inside a line" % (mode, n))
                data = data[:data.rfind(b"\n") + 1]
            here = []
            for raw in data.split(b"\n")[:-1]:
                m = LINE.match(raw.decode("ascii", "replace"))
                if not m:
                    sys.exit("FAIL: %s: torn line in %s: %r" % (mode, n, raw[:60]))
                here.append(int(m.group(1)))
            if here != sorted(set(here)):
                sys.exit("FAIL: %s: %s has a line twice, or out of order" % (mode, n))
            seen += here
        if len(seen) != len(set(seen)):
            sys.exit("FAIL: %s: a line twice" % mode)
        missing = sorted(set(range(LINES)) - set(seen))
        runs = sum(1 for i, v in enumerate(missing) if i == 0 or missing[i - 1] != v - 1)
        if mode == "create" and missing:
            sys.exit("FAIL: create: %d lines lost (first %d)" % (len(missing), missing[0]))
        if runs > done:
            sys.exit("FAIL: copytruncate: %d runs of lost lines for %d rotations"
                     % (runs, done))
        print("%s: %d rotations, %d files, %d lines lost in %d of logrotate's windows"
              % (mode, done, len(names), len(missing), runs))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    logrotate = shutil.which("logrotate") or (
        "/usr/sbin/logrotate" if os.path.exists("/usr/sbin/logrotate") else None)
    if not logrotate:
        if os.environ.get("LT_ALLOW_MISSING_PARSERS") == "1":
            print("logrotate is not installed: skipped")
            sys.exit(77)
        sys.exit("FAIL: logrotate is not installed (apt-get install logrotate), or set "
                 "LT_ALLOW_MISSING_PARSERS=1 to skip")
    run(binary, logrotate, "create", "handlers.WatchedFileHandler")
    run(binary, logrotate, "copytruncate", "FileHandler")


if __name__ == "__main__":
    main()
