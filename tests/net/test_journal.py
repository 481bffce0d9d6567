#!/usr/bin/env python3
"""JournalHandler against a receiver of journald's native protocol (stdlib
only), on a datagram socket in a temp dir, as systemd-journald reads
/run/systemd/journal/socket:

  - each datagram (or the sealed memfd passed with SCM_RIGHTS, for big
    entries) parsed strictly: KEY=value lines, or KEY, newline, a 64-bit
    little-endian length, the bytes, newline (the binary-safe form);
  - every record's MESSAGE, PRIORITY (from the level), SYSLOG_IDENTIFIER,
    LOGGER, CODE_FILE, CODE_LINE, CODE_FUNC, THREAD_NAME and its fields
    upper-cased, byte for byte; hostile messages (newline, NUL, invalid
    UTF-8) and a 1 MB message each arrive as one entry;
  - the socket gone and back: records wait in the queue, the overflow is
    counted and announced once (LOGTREE_DROPPED).

    test_journal.py NET_CLIENT
"""
import array
import fcntl
import os
import re
import shutil
import socket
import struct
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlib import Client, check, fail  # noqa: E402

LEVELS = {10: 7, 20: 6, 30: 4, 40: 3, 50: 2, 25: 6, 5: 7}
NAME = re.compile(rb"^[A-Z0-9][A-Z0-9_]{0,63}$")


def parse_entry(data):
    """journald's native protocol -> [(name, value bytes)]; strict."""
    fields, i = [], 0
    while i < len(data):
        nl = data.index(b"\n", i)
        line = data[i:nl]
        eq = line.find(b"=")
        if eq >= 0:
            name, value = line[:eq], line[eq + 1:]
            i = nl + 1
        else:
            name = line
            (size,) = struct.unpack("<Q", data[nl + 1:nl + 9])
            value = data[nl + 9:nl + 9 + size]
            check(len(value) == size and data[nl + 9 + size:nl + 10 + size] == b"\n",
                  f"binary field {name!r}: {size} bytes and a newline")
            i = nl + 10 + size
        check(NAME.match(name), f"a valid field name: {name!r}")
        fields.append((name.decode(), value))
    return fields


class Receiver:
    def __init__(self, path):
        self.path = path
        self.entries = []
        self.sock = None
        self.open()

    def open(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
        self.sock.bind(self.path)

    def close(self):
        self.sock.close()
        os.unlink(self.path)

    def drain(self):
        self.sock.setblocking(False)
        while True:
            try:
                data, anc, _, _ = self.sock.recvmsg(1 << 20, socket.CMSG_SPACE(4 * 4))
            except BlockingIOError:
                return
            fds = array.array("i")
            for level, kind, payload in anc:
                if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                    fds.frombytes(payload[:len(payload) - len(payload) % fds.itemsize])
            if fds:
                check(data == b"" and len(fds) == 1, "a memfd alone in its datagram")
                seals = fcntl.fcntl(fds[0], fcntl.F_GET_SEALS)
                need = fcntl.F_SEAL_SEAL | fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | \
                    fcntl.F_SEAL_WRITE
                check(seals & need == need, f"the memfd is sealed as journald demands: {seals}")
                with os.fdopen(fds[0], "rb") as f:
                    f.seek(0)  # journald maps it from the start
                    data = f.read()
            self.entries.append(parse_entry(data))

    def wait_for(self, n, timeout=10):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.drain()
            if len(self.entries) >= n:
                return self.entries
            time.sleep(0.02)
        fail(f"timed out waiting for {n} journal entries, got {len(self.entries)}")


def check_entry(e, s):
    what = f"seq {s['seq']}"
    d = dict(e)
    check(len(d) == len(e), f"{what}: each field once: {[n for n, _ in e]}")
    want = {
        "MESSAGE": bytes.fromhex(s["msg"]),
        "PRIORITY": str(LEVELS[s["levelno"]]).encode(),
        "SYSLOG_IDENTIFIER": b"net_client",
        "LOGGER": s["name"].encode(),
        "CODE_FILE": s["pathname"].encode(),
        "CODE_LINE": str(s["lineno"]).encode(),
        "CODE_FUNC": s["funcName"].encode(),
        "THREAD_NAME": b"MainThread",
    }
    for key, (kind, value) in s["fields"].items():
        if kind == "s":
            v = bytes.fromhex(value)
        elif kind == "b":
            v = b"true" if value else b"false"
        elif kind == "d":
            v = repr(float(value)).encode()
        else:
            v = str(value).encode()
        want["F_" + key.upper() if key.upper() in want else key.upper()] = v
    check(d == want, f"{what}: entry {dict((k, v[:80]) for k, v in d.items())!r}, "
          f"expected {dict((k, v[:80]) for k, v in want.items())!r}")


def ini_form(cli, workdir, rcv):
    """logtree.JournalHandler from an INI file, through the logtree tool."""
    import subprocess
    ini = os.path.join(workdir, "journal.ini")
    with open(ini, "w") as f:
        f.write("[loggers]\nkeys=root\n[handlers]\nkeys=j\n[formatters]\nkeys=\n"
                "[logger_root]\nlevel=DEBUG\nhandlers=j\n[handler_j]\n"
                "class=logtree.JournalHandler\n"
                f"kwargs={{'path': '{rcv.path}', 'identifier': 'myapp', 'queue_size': 5}}\n")
    rcv.entries = []
    r = subprocess.run([cli, "--config", ini, "--level", "ERROR", "-f", "user_id=7", "from ini"],
                       capture_output=True, text=True)
    check(r.returncode == 0, f"logtree --config: {r.returncode} {r.stderr}")
    d = dict(rcv.wait_for(1)[0])
    check(d["MESSAGE"] == b"from ini" and d["SYSLOG_IDENTIFIER"] == b"myapp" and
          d["PRIORITY"] == b"3" and d["USER_ID"] == b"7", f"INI journal entry: {d}")
    print("INI: logtree.JournalHandler checked")


def main():
    sys.stdout.reconfigure(line_buffering=True)
    exe = sys.argv[1]
    workdir = tempfile.mkdtemp(prefix="logtree-journal-")
    path = os.path.join(workdir, "journal.sock")
    try:
        rcv = Receiver(path)
        client = Client(exe)
        client.cmd(f"handler journal path={path} queue=10 retry=0.1")
        client.cmd("logger app.journal")
        client.cmd("fields on")
        for level in LEVELS:
            client.cmd(f"level {level}")
            client.cmd("log 2 hello\\sjournal")
            rcv.drain()  # journald reads as they come; the socket queues few
        client.cmd("level 40")
        client.cmd("log 1 nl\\nin\\0nul]\"q\\\\\\xff\\x80bad\\xf0\\x9f\\x98\\x80ok")
        client.cmd("fields off")
        client.cmd("log 1 no\\sfields")
        client.cmd("big 1048576")
        check(client.cmd("flush")[0]["flush"] == 0, "flush")
        got = rcv.wait_for(len(client.sent))
        check(len(got) == len(client.sent), f"{len(client.sent)} sent, {len(got)} received")
        for e, s in zip(got, client.sent):
            check_entry(e, s)
        print(f"journal: {len(got)} entries checked field by field")

        # The socket goes away (journald restarting): 15 records, a queue of 10.
        rcv.drain()
        rcv.close()
        before = len(client.sent)
        client.cmd("log 15 while\\saway")
        st = client.stats()
        check(st["queued"] == 10 and st["dropped"] == 5, f"10 queued, 5 dropped: {st}")
        rcv.open()
        rcv.entries = []
        check(client.cmd("flush")[0]["flush"] == 0, "flush once the socket is back")
        got = rcv.wait_for(11)
        notice = dict(got[0])
        check(notice.get("LOGTREE_DROPPED") == b"5" and notice.get("PRIORITY") == b"4" and
              notice.get("MESSAGE") == b"5 records dropped", f"the notice first: {notice}")
        kept = client.sent[before + 5:]
        for e, s in zip(got[1:], kept):
            check_entry(e, s)
        time.sleep(0.2)
        rcv.drain()
        check(len(rcv.entries) == 11, f"nothing more: {len(rcv.entries)}")
        status, err = client.close()
        check(status == 0, f"net_client exit {status}: {err}")
        print("journal: away and back: 10 kept, 5 dropped and announced")
        if len(sys.argv) > 2:
            ini_form(sys.argv[2], workdir, rcv)
        rcv.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("ok")


if __name__ == "__main__":
    main()
