"""What the network tests share (stdlib only): driving tests/net/net_client.c,
waiting for a receiver, free ports, failing and skipping."""
import json
import os
import socket
import subprocess
import sys
import time

SKIP = 77


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def missing(what, how):
    """A peer the test needs is not installed: a failure, or a skip when
    LT_ALLOW_MISSING_PARSERS=1."""
    if os.environ.get("LT_ALLOW_MISSING_PARSERS") == "1":
        print(f"SKIP: {what} missing (LT_ALLOW_MISSING_PARSERS=1)")
        sys.exit(SKIP)
    fail(f"{what} missing ({how})")


def free_port(kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_until(cond, timeout=10.0, what="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = cond()
        if value:
            return value
        time.sleep(0.02)
    fail(f"timed out waiting for {what}")


def read_json_lines(path):
    """The complete lines of @path; a line still being written is left for
    the next call."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return []
    out = []
    for line in data[:data.rfind(b"\n") + 1].split(b"\n"):
        if not line:
            continue
        try:
            out.append(json.loads(line.decode("utf-8")))
        except ValueError:
            fail(f"{path}: not a JSON line: {line[:200]!r}")
    return out


class Client:
    """net_client, one command at a time: each returns the JSON lines it printed."""

    def __init__(self, exe, env=None):
        self.proc = subprocess.Popen([exe], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True, env=env)
        self.sent = []  # every record it logged, as it describes them

    def cmd(self, line):
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        lines = []
        while True:
            raw = self.proc.stdout.readline()
            if not raw:
                fail(f"net_client died on {line!r} (status {self.proc.wait()}): "
                     f"{self.proc.stderr.read()}")
            obj = json.loads(raw)
            if obj.get("done"):
                break
            if "seq" in obj:
                self.sent.append(obj)
            lines.append(obj)
        return lines

    def stats(self):
        return self.cmd("stats")[0]

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                fail("net_client did not exit")
        err = self.proc.stderr.read()
        return self.proc.returncode, err


def text_of(hexmsg):
    """The message as a Python receiver decodes it: invalid UTF-8 replaced."""
    return bytes.fromhex(hexmsg).decode("utf-8", "replace")
