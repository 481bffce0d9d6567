#!/usr/bin/env python3
"""SocketHandler and DatagramHandler against the receiver of Python's logging
cookbook (receiver.py, stdlib only):

  - every attribute of every record, as Python's makeLogRecord() rebuilds it,
    for every level (custom ones too), typed fields, hostile messages
    (newlines, NUL, ']', '"', invalid UTF-8) and a 1 MB message;
  - the receiver killed mid-stream and restarted: no record lost or repeated
    within the queue's bound;
  - the queue overflowing while the receiver is down (oldest and newest
    dropped): exactly the overflow is lost, counted, and announced once by a
    "N records dropped" record where the records are missing;
  - a forked child logs over its own connection;
  - DatagramHandler over UDP, and the 'lines' wire (JSON Lines).

    test_socket.py NET_CLIENT
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlib import Client, check, fail, read_json_lines, text_of, wait_until  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
LEVELNAMES = {10: "DEBUG", 20: "INFO", 30: "WARNING", 40: "ERROR", 50: "CRITICAL"}


RECEIVERS = []


class Receiver:
    def __init__(self, kind, workdir, port=0):
        RECEIVERS.append(self)
        self.kind, self.workdir = kind, workdir
        self.out = os.path.join(workdir, f"{kind}.jsonl")
        self.port = port
        self.proc = None
        self.start()

    def start(self):
        portfile = os.path.join(self.workdir, f"{self.kind}.port")
        if os.path.exists(portfile):
            os.unlink(portfile)
        self.proc = subprocess.Popen([sys.executable, os.path.join(HERE, "receiver.py"),
                                      self.kind, str(self.port), self.out, portfile])
        wait_until(lambda: os.path.exists(portfile), what="receiver to listen")
        with open(portfile) as f:
            self.port = int(f.read())

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        if self.proc:
            self.proc.wait()

    def records(self):
        return read_json_lines(self.out)

    def wait_for(self, n, timeout=20):
        return wait_until(lambda: (lambda r: r if len(r) >= n else None)(self.records()),
                          timeout, f"{n} records at the receiver")


def check_fields(got, sent):
    for key, (kind, value) in sent["fields"].items():
        check(key in got, f"seq {sent['seq']}: field {key} missing")
        v = got[key]
        if kind == "s":
            want = text_of(value)
        elif kind == "u":
            want = int(value)
        elif kind == "d":
            want = float(value)
        else:
            want = value
        check(v == want and type(v) is type(want),
              f"seq {sent['seq']}: field {key}: expected {want!r}, got {v!r}")


def check_record(got, sent, t0, t1):
    seq = sent["seq"]
    msg = text_of(sent["msg"])
    levelno = sent["levelno"]
    levelname = LEVELNAMES.get(levelno, f"Level {levelno}")
    path = sent["pathname"]
    filename = os.path.basename(path)
    expect = {
        "name": sent["name"], "msg": msg, "args": None, "levelname": levelname,
        "levelno": levelno, "pathname": path, "filename": filename,
        "module": os.path.splitext(filename)[0], "exc_info": None, "exc_text": None,
        "stack_info": None, "lineno": sent["lineno"], "funcName": sent["funcName"],
        "thread": int(sent["thread"]), "threadName": "MainThread",
        "process": sent["process"], "message_from_getMessage": msg,
    }
    for key, want in expect.items():
        check(key in got, f"seq {seq}: attribute {key} missing")
        check(got[key] == want, f"seq {seq}: {key}: expected {want!r}, got {got[key]!r}")
    check(isinstance(got["created"], float) and t0 - 1 <= got["created"] <= t1 + 1,
          f"seq {seq}: created {got['created']!r} outside the run")
    check(isinstance(got["msecs"], float) and 0 <= got["msecs"] < 1000, f"seq {seq}: msecs")
    check(abs(got["msecs"] - (got["created"] % 1) * 1000) < 2, f"seq {seq}: msecs vs created")
    check(isinstance(got["relativeCreated"], float) and got["relativeCreated"] >= 0,
          f"seq {seq}: relativeCreated")
    check(got["processName"] == "net_client", f"seq {seq}: processName {got['processName']!r}")
    check("message" not in got or got["message"] == msg, f"seq {seq}: message")
    check(got["formatted"].endswith(" " + msg), f"seq {seq}: formatted by a Python handler")
    check_fields(got, sent)


def records_only(received):
    return [r for r in received if r.get("name") != "logtree"]


def check_stream(received, sent, t0, what):
    got = records_only(received)
    check(len(got) == len(sent), f"{what}: {len(sent)} records sent, {len(got)} received")
    for g, s in zip(got, sent):
        check(g["msg"] == text_of(s["msg"]), f"{what}: out of order or lost at seq {s['seq']}: "
              f"got {g['msg'][:60]!r}, expected {text_of(s['msg'])[:60]!r}")
        check_record(g, s, t0, time.time())


def every_attribute(client, rcv, t0):
    client.cmd("fields on")
    client.cmd("logger app.net")
    for level in (10, 20, 30, 40, 50, 25, 5, 1):
        client.cmd(f"level {level}")
        client.cmd("log 2 hello\\sworld")
    client.cmd("level 40")
    client.cmd("log 1 nl\\nin\\0nul]\"q\\\\\\xff\\x80\\xe2\\x82bad\\xf0\\x9f\\x98\\x80ok")
    client.cmd("big 1048576")
    check(client.cmd("flush")[0]["flush"] == 0, "flush failed")
    rcv.wait_for(len(client.sent))
    check_stream(rcv.records(), client.sent, t0, "every attribute")


def kill_and_restart(client, rcv, t0):
    base = len(client.sent)
    rcv.kill()
    client.cmd("log 30 while\\sthe\\sreceiver\\sis\\sdown")
    st = client.stats()
    check(st["queued"] == 30 and st["errors"] == 0, f"30 records queued, none lost: {st}")
    rcv.start()
    time.sleep(0.3)  # past retry_start
    client.cmd("log 5 after\\sthe\\srestart")
    rcv.wait_for(base + 35)
    check_stream(rcv.records(), client.sent, t0, "kill and restart")
    st = client.stats()
    check(st == {"dropped": 0, "errors": 0, "queued": 0}, f"nothing lost: {st}")


def overflow(client, rcv, t0, policy):
    """queue=50: 80 records while the receiver is down lose exactly 30."""
    rcv.kill()
    base = len(rcv.records())
    errors = client.stats()["errors"]
    before = len(client.sent)
    client.cmd(f"log 80 overflow\\s{policy}")
    st = client.stats()
    check(st["queued"] == 50 and st["errors"] == errors + 30,
          f"{policy}: 50 queued, 30 more lost: {st}")
    rcv.start()
    check(client.cmd("flush")[0]["flush"] == 0, "flush after restart")
    batch = client.sent[before:]
    kept = batch[30:] if policy == "oldest" else batch[:50]
    new = rcv.wait_for(base + 51)[base:]
    notice_at = 0 if policy == "oldest" else 50
    notice = new[notice_at]
    check(notice.get("name") == "logtree" and notice.get("dropped") == 30 and
          notice.get("msg") == "30 records dropped" and notice.get("levelname") == "WARNING",
          f"{policy}: the notice where the records are missing: {notice}")
    rest = new[:notice_at] + new[notice_at + 1:]
    check([r["msg"] for r in rest] == [text_of(s["msg"]) for s in kept],
          f"{policy}: the queued records, in order, around the notice")
    for g, s in zip(rest, kept):
        check_record(g, s, t0, time.time())
    time.sleep(0.2)
    check(len(rcv.records()) == base + 51, f"{policy}: nothing more than that")
    client.sent = client.sent[:before] + kept


def fork_child(client, rcv):
    base = len(rcv.records())
    lines = client.cmd("fork 3 from\\sthe\\schild")
    check(lines[-1].get("forked") == 0, f"child exit: {lines}")
    client.cmd("log 2 parent\\safter\\sfork")
    new = rcv.wait_for(base + 5)[base:]
    time.sleep(0.2)
    check(len(rcv.records()) == base + 5, "fork: each record once")
    pids = {r["process"] for r in new}
    check(len(pids) == 2, f"fork: records from the child's own process: {pids}")
    check(sum(1 for r in new if r["msg"].startswith("from the child")) == 3,
          "fork: the child's 3 records, once each")


def tcp(exe, workdir):
    rcv = Receiver("tcp", workdir)
    client = Client(exe)
    t0 = time.time()
    client.cmd(f"handler socket host=127.0.0.1 port={rcv.port} queue=50 retry=0.2 timeout=2")
    every_attribute(client, rcv, t0)
    kill_and_restart(client, rcv, t0)
    overflow(client, rcv, t0, "oldest")
    client.cmd(f"handler socket host=127.0.0.1 port={rcv.port} queue=50 retry=0.2 "
               "overflow=newest timeout=2")
    overflow(client, rcv, t0, "newest")
    fork_child(client, rcv)
    status, err = client.close()
    check(status == 0, f"net_client exit {status}: {err}")
    rcv.kill()
    print(f"tcp: {len(records_only(rcv.records()))} records checked")


def udp(exe, workdir):
    rcv = Receiver("udp", workdir)
    client = Client(exe)
    t0 = time.time()
    client.cmd(f"handler datagram host=localhost port={rcv.port}")
    client.cmd("fields on")
    for level in (10, 20, 30, 40, 50, 35):
        client.cmd(f"level {level}")
        client.cmd("log 3 over\\sudp")
    client.cmd("log 1 nl\\nin\\0nul]\"q\\xff")
    client.cmd("big 30000")
    rcv.wait_for(len(client.sent))
    check_stream(rcv.records(), client.sent, t0, "udp")
    status, err = client.close()
    check(status == 0 and err == "", f"net_client exit {status}: {err}")
    rcv.kill()
    print(f"udp: {len(client.sent)} records checked")


def lines(exe, workdir):
    import json
    rcv = Receiver("lines", workdir)
    client = Client(exe)
    client.cmd(f"handler socket host=127.0.0.1 port={rcv.port} wire=lines queue=10 retry=0.2")
    client.cmd("fields on")
    client.cmd("log 3 line\\none\\0two")
    rcv.wait_for(3)
    rcv.kill()
    client.cmd("log 15 queued")
    rcv.start()
    check(client.cmd("flush")[0]["flush"] == 0, "lines: flush")
    got = rcv.wait_for(3 + 1 + 10)
    objs = [json.loads(g["line"]) for g in got]
    check(all(o["message"].startswith("line\none\u0000two #") for o in objs[:3]),
          "lines: one JSON line per record, newline inside escaped")
    check(objs[3]["dropped"] == 5 and objs[3]["message"] == "5 records dropped",
          f"lines: the notice {objs[3]}")
    check([o["message"] for o in objs[4:]] == [f"queued #{i}" for i in range(9, 19)],
          "lines: the newest 10 kept")
    client.close()
    rcv.kill()
    print("lines: ok")


def backoff(exe, workdir):
    """Python's SocketHandler backoff: a lost connection is retried at once;
    after a failed attempt the next waits retryStart (here 1 s), then twice
    as long (retryFactor 2) after each further failure; records wait in the
    queue meanwhile and all arrive, in order, once the peer is back."""
    workdir = os.path.join(workdir, "backoff")
    os.mkdir(workdir)
    rcv = Receiver("tcp", workdir)
    client = Client(exe)
    client.cmd(f"handler socket host=127.0.0.1 port={rcv.port} retry=1.0 timeout=1")
    client.cmd("log 1 first")
    rcv.wait_for(1)
    rcv.kill()
    client.cmd("log 1 lost\\sconnection")  # retried at once: refused; next in 1 s
    t_fail = time.monotonic()
    rcv.start()
    client.cmd("log 1 too\\searly")
    time.sleep(0.3)
    check(len(rcv.records()) == 1 and client.stats()["queued"] == 2,
          f"no attempt before retryStart: {len(rcv.records())} {client.stats()}")
    time.sleep(max(0.0, t_fail + 1.2 - time.monotonic()))
    client.cmd("log 1 after\\sretryStart")
    rcv.wait_for(4)

    rcv.kill()
    client.cmd("log 1 lost\\sagain")  # refused at once: the next attempt in 1 s
    t_fail = time.monotonic()
    time.sleep(1.2)
    client.cmd("log 1 second\\sfailure")  # refused again: the next in 2 s
    t_fail = time.monotonic()
    rcv.start()
    time.sleep(max(0.0, t_fail + 1.3 - time.monotonic()))
    client.cmd("log 1 still\\swaiting")
    time.sleep(0.3)
    check(len(rcv.records()) == 4 and client.stats()["queued"] == 3,
          f"the wait doubled after the second failure: {client.stats()}")
    time.sleep(max(0.0, t_fail + 2.3 - time.monotonic()))
    client.cmd("log 1 after\\sthe\\sdoubled\\swait")
    got = rcv.wait_for(8)
    check([g["msg"] for g in got] == [bytes.fromhex(s["msg"]).decode() for s in client.sent],
          f"every record once, in order: {[g['msg'] for g in got]}")
    st = client.stats()
    check(st == {"dropped": 0, "errors": 0, "queued": 0}, f"nothing lost: {st}")
    status, err = client.close()
    check(status == 0, f"net_client exit {status}: {err}")
    rcv.kill()
    print("backoff: retryStart, then doubled; nothing lost")


INI = """[loggers]
keys=root
[handlers]
keys=tcp,udp,lines
[formatters]
keys=json
[logger_root]
level=DEBUG
handlers=tcp,udp,lines
[handler_tcp]
class=handlers.SocketHandler
args=('127.0.0.1', {tcp})
[handler_udp]
class=logging.handlers.DatagramHandler
args=('localhost', {udp})
[handler_lines]
class=handlers.SocketHandler
formatter=json
args=('127.0.0.1', {lines})
kwargs={{'wire': 'lines', 'queue_size': 100, 'overflow': 'drop_newest', 'timeout': 0.5}}
[formatter_json]
class=logtree.JSONFormatter
"""


def ini_forms(cli, workdir):
    """SocketHandler, DatagramHandler and the lines wire from an INI file,
    through the logtree tool."""
    import json
    workdir = os.path.join(workdir, "ini")
    os.mkdir(workdir)
    tcp, udp, lns = (Receiver(k, workdir) for k in ("tcp", "udp", "lines"))
    ini = os.path.join(workdir, "sock.ini")
    with open(ini, "w") as f:
        f.write(INI.format(tcp=tcp.port, udp=udp.port, lines=lns.port))
    r = subprocess.run([cli, "--config", ini, "--name", "ini.app", "--level", "WARNING",
                        "-f", "user=bob", "from ini"], capture_output=True, text=True)
    check(r.returncode == 0, f"logtree --config: {r.returncode} {r.stderr}")
    for rcv in (tcp, udp):
        got = rcv.wait_for(1)
        g = got[0]
        check(len(got) == 1 and g["name"] == "ini.app" and g["msg"] == "from ini" and
              g["levelname"] == "WARNING" and g["user"] == "bob" and g["processName"] == "logtree",
              f"INI {rcv.kind}: {g}")
    line = json.loads(lns.wait_for(1)[0]["line"])
    check(line.get("message") == "from ini" and line.get("user") == "bob",
          f"INI lines: {line}")
    # The same handlers from a dictConfig JSON file: the class's arguments
    # are the handler's keys, logtree's ("wire") beside Python's.
    cfg = os.path.join(workdir, "sock.json")
    with open(cfg, "w") as f:
        json.dump({"version": 1, "formatters": {"json": {"()": "logtree.JSONFormatter"}},
                   "handlers": {
                       "tcp": {"class": "logging.handlers.SocketHandler", "host": "127.0.0.1",
                               "port": tcp.port},
                       "udp": {"class": "logging.handlers.DatagramHandler",
                               "host": "localhost", "port": udp.port},
                       "lines": {"class": "logging.handlers.SocketHandler", "formatter": "json",
                                 "host": "127.0.0.1", "port": lns.port, "wire": "lines",
                                 "queue_size": 100}},
                   "root": {"level": "DEBUG", "handlers": ["tcp", "udp", "lines"]}}, f)
    r = subprocess.run([cli, "--config", cfg, "--name", "json.app", "from json"],
                       capture_output=True, text=True)
    check(r.returncode == 0, f"logtree --config (JSON): {r.returncode} {r.stderr}")
    for rcv in (tcp, udp):
        g = rcv.wait_for(2)[1]
        check(g["name"] == "json.app" and g["msg"] == "from json", f"JSON {rcv.kind}: {g}")
    line = json.loads(lns.wait_for(2)[1]["line"])
    check(line.get("message") == "from json", f"JSON lines: {line}")
    for r in (tcp, udp, lns):
        r.kill()
    print("INI and JSON: SocketHandler, DatagramHandler and wire=lines checked")


def timed(client, line):
    t = time.monotonic()
    client.cmd(line)
    return time.monotonic() - t


def stalled(exe, workdir):
    """A peer that takes the connection but never reads, and one whose
    listen queue is full (connect never completes): no log call waits much
    longer than the timeout, records queue, nothing is raised (SIGPIPE
    keeps its default action in net_client)."""
    import socket
    sink = socket.socket()
    sink.bind(("127.0.0.1", 0))
    sink.listen(1)
    client = Client(exe)
    client.cmd(f"handler socket host=127.0.0.1 port={sink.getsockname()[1]} timeout=0.3 "
               "retry=0.1 queue=5")
    took = [timed(client, "big 1000000") for _ in range(12)]
    check(max(took) < 1.5, f"a peer that never reads: log calls took {took}")
    print(f"a peer that never reads: 1 MB log calls took at most {max(took):.2f} s")
    st = client.stats()
    check(st["queued"] + st["errors"] >= 1, f"the unsent records queue or count: {st}")
    sink.close()

    full = socket.socket()
    full.bind(("127.0.0.1", 0))
    full.listen(0)
    port = full.getsockname()[1]
    fillers = []
    for _ in range(3):  # fill the accept queue: further SYNs are dropped
        c = socket.socket()
        c.setblocking(False)
        c.connect_ex(("127.0.0.1", port))
        fillers.append(c)
    time.sleep(0.2)
    client.cmd(f"handler socket host=127.0.0.1 port={port} timeout=0.3 retry=0.1")
    took = [timed(client, "log 1 nobody\\sanswers") for _ in range(3)]
    check(max(took) < 1.5, f"a connect that never completes: log calls took {took}")
    status, err = client.close()
    check(status == 0, f"net_client exit {status}: {err}")
    for c in fillers:
        c.close()
    full.close()
    print(f"stalled peers: log calls took at most {max(took):.2f} s")


def main():
    exe = sys.argv[1]
    workdir = tempfile.mkdtemp(prefix="logtree-net-")
    try:
        tcp(exe, workdir)
        udp(exe, workdir)
        lines(exe, workdir)
        stalled(exe, workdir)
        backoff(exe, workdir)
        if len(sys.argv) > 2:
            ini_forms(sys.argv[2], workdir)
    finally:
        for r in RECEIVERS:
            r.kill()
        if os.environ.get("LT_KEEP_TEST_DIR") == "1":
            print("kept " + workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print("ok")


if __name__ == "__main__":
    main()
