#!/usr/bin/env python3
"""SysLogHandler against real syslog daemons nobody here wrote.

    test_syslog.py rsyslog|syslog-ng NET_CLIENT [LOGTREE_TOOL]

rsyslog: started unprivileged-style in the foreground (-n) with a config this
test writes: imuxsock on a socket in a temp dir, imudp and imtcp on free
127.0.0.1 ports, and an output file whose template shows the input, PRI,
timestamp, hostname, app-name, procid, msgid, structured data and message as
rsyslog parsed them (JSON). Records of every level and of several facilities
go through each transport and format (local socket with the default RFC 3164
header; UDP with RFC 5424, RFC 3164 and Python's format; TCP with RFC 5424
octet-counted, RFC 5424 and RFC 3164 newline-framed); each must arrive once,
in order per transport, with the right PRI and fields. Hostile messages
(newline, NUL, ']', '"', invalid UTF-8, 1 MB) must each arrive as one record;
UDP datagrams are cut to 2048 octets and still parse.

syslog-ng: its syslog() source (RFC 5424 with RFC 6587 octet counting over
TCP), the same checks, read through $(format-json).

A daemon that is missing fails the test, or skips it (77) when
LT_ALLOW_MISSING_PARSERS=1. syslog-ng conflicts with rsyslog in apt, so it is
unpacked (apt-get download, dpkg -x; tests/net/setup.sh) when not installed.
"""
import glob
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.dirname(os.path.abspath(__file__))
from netlib import Client, check, fail, free_port, missing, wait_until  # noqa: E402

LEVELS = {10: 7, 20: 6, 30: 4, 40: 3, 50: 2, 25: 6, 35: 4, 5: 7}
# Python's SysLogHandler.facility_names, and one given as a number.
FACILITIES = {name: code for code, name in enumerate(
    "kern user mail daemon auth syslog lpr news uucp cron authpriv ftp ntp security console "
    "solaris-cron local0 local1 local2 local3 local4 local5 local6 local7".split())}
FACILITIES["19"] = 19
HOSTILE = "nl\\nin\\0nul]\"q\\\\\\xff\\x80\\xe2\\x82bad\\xf0\\x9f\\x98\\x80ok\\ttab"
SEQ = re.compile(r"#(\d+)$")
CLI = None
RFC3339_US = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d$")


def lt_escaped(raw):
    """What SysLogHandler's default escaping (LT_ESCAPE_CONTROLS,
    docs/security.md) makes of a message: CR and LF as \\r and \\n, other
    C0 controls but TAB, DEL and C1 controls as \\xhh per byte, and each
    byte of invalid UTF-8 as \\xhh; written from the documented rule, with
    Python's strict UTF-8 decoder deciding what is valid."""
    out, i = bytearray(), 0
    while i < len(raw):
        b = raw[i]
        if b < 0x80:
            if b in (10, 13):
                out += b"\\n" if b == 10 else b"\\r"
            elif (b < 32 and b != 9) or b == 127:
                out += b"\\x%02x" % b
            else:
                out.append(b)
            i += 1
            continue
        n = 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF else 4 if 0xF0 <= b <= 0xF4 else 0
        try:
            ch = raw[i:i + n].decode("utf-8") if n else ""
        except UnicodeDecodeError:
            ch = ""
        if len(ch) != 1:
            out += b"\\x%02x" % b
            i += 1
        elif 0x80 <= ord(ch) <= 0x9F:
            out += b"".join(b"\\x%02x" % c for c in raw[i:i + n])
            i += n
        else:
            out += raw[i:i + n]
            i += n
    return bytes(out)


def escaped(raw, raw_controls=False):
    """A message as the daemons store it: control characters as #ooo
    (their EscapeControlCharactersOnReceive / syslog-ng's default), invalid
    UTF-8 decoded with U+FFFD as this test reads the file."""
    out = bytearray()
    if raw_controls:  # syslog-ng's format-json: NUL and invalid bytes as \\xNN
        text = bytes(raw).decode("utf-8", "backslashreplace")
        return text.replace("\0", "\\x00")
    for b in raw:
        if b < 32 or b == 127:
            out += b"#%03o" % b
        else:
            out.append(b)
    return out.decode("utf-8", "replace")


def parse_sd(sd):
    """RFC 5424 STRUCTURED-DATA -> {sd_id: {name: value}} (values unescaped)."""
    out, i = {}, 0
    if sd in ("-", ""):
        return out
    while i < len(sd):
        check(sd[i] == "[", f"SD element at {i}: {sd!r}")
        j = i + 1
        while sd[j] not in " ]":
            j += 1
        sid, params = sd[i + 1:j], {}
        i = j
        while sd[i] == " ":
            eq = sd.index("=", i)
            name = sd[i + 1:eq]
            check(sd[eq + 1] == '"', f"SD value quoted: {sd!r}")
            k, val = eq + 2, []
            while sd[k] != '"':
                if sd[k] == "\\" and sd[k + 1] in '"\\]':
                    k += 1
                elif sd[k] in '"]':
                    fail(f"unescaped {sd[k]!r} in SD value: {sd!r}")
                val.append(sd[k])
                k += 1
            params[name] = "".join(val)
            i = k + 1
        check(sd[i] == "]", f"SD element closed: {sd!r}")
        out[sid] = params
        i += 1
    return out


def expected_sd(fields, raw_controls=False):
    """What the SD-PARAMs must say for the fields net_client logged."""
    out = {}
    for key, (kind, value) in fields.items():
        if kind == "s":
            out[key] = escaped(lt_escaped(bytes.fromhex(value)), raw_controls)
        elif kind == "b":
            out[key] = "true" if value else "false"
        elif kind == "d":
            out[key] = repr(float(value))
        else:
            out[key] = str(value)
    return out


def read_lines(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        return []
    whole = data[:data.rfind(b"\n") + 1]  # a line being written is read next time
    return [json.loads(line.decode("utf-8", "replace")) for line in whole.split(b"\n")
            if line.strip()]


class Transport:
    def __init__(self, name, args, input_name, fmt, cut=None):
        self.name, self.args, self.input, self.fmt, self.cut = name, args, input_name, fmt, cut
        self.sent = []


def send_all(client, t, big):
    """Every facility, every level (custom ones too), fields, then hostile
    messages; returns what was logged, in order."""
    start = len(client.sent)
    for fac in FACILITIES:
        # A generous timeout: the machine may be loaded, and a record the
        # daemon is too slow to take within it would wait in the queue.
        client.cmd(f"handler syslog {t.args} facility={fac} timeout=5")
        client.cmd("fields on")
        for level in LEVELS:
            client.cmd(f"level {level}")
            client.cmd(f"log 2 {t.name}\\s{fac}\\s{level}")
        client.cmd("fields off")
        # Each facility has a handler of its own; the next one replaces it.
        check(client.cmd("flush")[0]["flush"] == 0, f"{t.name}: flush, facility {fac}")
    client.cmd("level 40")
    client.cmd(f"log 1 {HOSTILE}")
    client.cmd("fields on")
    client.cmd(f"log 1 fields\\s{HOSTILE}")
    client.cmd("fields off")
    client.cmd(f"big {big}")
    check(client.cmd("flush")[0]["flush"] == 0, f"{t.name}: flush")
    for s in client.sent[start:]:
        s["facility"] = fac_of_seq(s)
    t.sent = client.sent[start:]


def fac_of_seq(s):
    msg = bytes.fromhex(s["msg"]).decode("utf-8", "replace")
    parts = msg.split(" ")
    if len(parts) >= 3 and parts[1] in FACILITIES:
        return FACILITIES[parts[1]]
    return FACILITIES["19"]  # hostile and big ones follow the last facility


def check_transport(t, got, pid, raw_controls):
    seqs = []
    for g in got:
        m = SEQ.search(g["msg"])
        if m:
            seqs.append(int(m.group(1)))
        else:
            check(g["msg"].lstrip().startswith("BIGSTART"),
                  f"{t.name}: a record without its #seq: {g['msg'][:100]!r}")
            seqs.append(None)  # the big one, which has none
    want = [s["seq"] for s in t.sent]
    known = [q for q in seqs if q is not None]
    check(len(got) == len(want), f"{t.name}: {len(want)} records sent, {len(got)} arrived")
    check(sorted(known) == sorted(q for q in want if q in known) and
          len(set(known)) == len(known), f"{t.name}: each once: {seqs[:20]}...")
    # In order per connection: each facility has a handler (a connection) of
    # its own, and a daemon may interleave connections as it reads them.
    by_seq = {s["seq"]: s for s in t.sent}
    for fac in set(s["facility"] for s in t.sent):
        order = [q for q in known if by_seq[q]["facility"] == fac]
        check(order == sorted(order), f"{t.name}: in order, facility {fac}: {order}")
    if None in seqs:  # the big one, last sent: match it up by position
        order_got = [q for q in seqs]
        seqs = [q if q is not None else t.sent[-1]["seq"] for q in order_got]
    got = [g for _, g in sorted(zip(seqs, got), key=lambda x: x[0])]
    seqs = sorted(seqs)
    t.sent = sorted(t.sent, key=lambda s: s["seq"])
    for g, s, q in zip(got, t.sent, seqs):
        what = f"{t.name} seq {s['seq']}"
        sev = LEVELS[s["levelno"]]
        check(int(g["pri"]) == s["facility"] * 8 + sev,
              f"{what}: PRI {g['pri']}, expected {s['facility'] * 8 + sev}")
        raw = bytes.fromhex(s["msg"])
        text = escaped(lt_escaped(raw), raw_controls)
        msg = g["msg"]
        if t.fmt == "3164" and msg.startswith(" "):
            msg = msg[1:]  # rsyslog keeps the space after "tag:"
        if q == t.sent[-1]["seq"] and t.cut is None:
            check(msg == text, f"{what}: the {len(text)}-byte message whole, got {len(msg)}")
        elif q == t.sent[-1]["seq"]:
            check(text.startswith(msg) and t.cut // 2 < len(msg.encode()) < t.cut,
                  f"{what}: a cut datagram keeps the start: {msg[:80]!r}")
        else:
            check(msg == text, f"{what}: msg {msg[:120]!r}, expected {text[:120]!r}")
        if t.fmt == "python":
            continue
        check(g["app"] == "net_client", f"{what}: app-name {g['app']!r}")
        check(str(g["procid"]) == str(pid), f"{what}: procid {g['procid']!r}")
        check(g["host"] not in ("", "-"), f"{what}: hostname {g['host']!r}")
        if t.fmt == "5424":
            check(RFC3339_US.match(g["time"]), f"{what}: timestamp {g['time']!r}")
            check(g["msgid"] in ("-", ""), f"{what}: msgid {g['msgid']!r}")
            sd = parse_sd(g["sd"])
            if s["fields"]:
                want = {"logtree@32473": expected_sd(s["fields"], raw_controls)}
                check(sd == want, f"{what}: structured data {sd!r}, expected {want!r}")
            else:
                check(sd == {}, f"{what}: no structured data: {g['sd']!r}")
    print(f"{t.name}: {len(got)} records checked")


def run_transports(exe, out, transports, wait_total, raw_controls=False):
    client = Client(exe)
    for t in transports:
        send_all(client, t, 1048576 if t.cut is None else 20000)
    pid = client.proc.pid
    end = time.monotonic() + 90
    while len(read_lines(out)) < wait_total(transports) and time.monotonic() < end:
        time.sleep(0.1)
    lines = read_lines(out)
    if len(lines) < wait_total(transports):
        counts = {t.name: (len(t.sent), sum(1 for g in lines if g["input"] == t.input))
                  for t in transports}
        fail(f"not every record at the daemon: (sent, arrived) per transport {counts}")
    time.sleep(0.5)
    lines = read_lines(out)
    status, err = client.close()
    check(status == 0, f"net_client exit {status}: {err}")
    for t in transports:
        check_transport(t, [g for g in lines if g["input"] == t.input], pid, raw_controls)
    return lines


# ---- rsyslog ----

RSYSLOG_CONF = """
global(workDirectory="{d}" maxMessageSize="2m")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="{d}/log.sock" CreatePath="on" RateLimit.Interval="0")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="{udp}" ruleset="r" rcvBufSize="16m")
module(load="imtcp" MaxFrameSize="4000000")
input(type="imtcp" address="127.0.0.1" port="{tcp}" name="tcp-octet" ruleset="r")
input(type="imtcp" address="127.0.0.1" port="{tcp2}" name="tcp-newline" ruleset="r")
input(type="imtcp" address="127.0.0.1" port="{tcp3}" name="tcp-3164" ruleset="r")
input(type="imudp" address="127.0.0.1" port="{udp2}" name="udp-3164" ruleset="r" rcvBufSize="16m")
input(type="imudp" address="127.0.0.1" port="{udp3}" name="udp-python" ruleset="r"
      rcvBufSize="16m")
template(name="j" type="list" option.jsonf="on") {{
  property(outname="input" name="inputname" format="jsonf")
  property(outname="pri" name="pri" format="jsonf")
  property(outname="time" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="host" name="hostname" format="jsonf")
  property(outname="app" name="app-name" format="jsonf")
  property(outname="procid" name="procid" format="jsonf")
  property(outname="msgid" name="msgid" format="jsonf")
  property(outname="sd" name="structured-data" format="jsonf")
  property(outname="msg" name="msg" format="jsonf")
}}
ruleset(name="r") {{ action(type="omfile" file="{d}/out.jsonl" template="j") }}
*.* action(type="omfile" file="{d}/out.jsonl" template="j")
"""


def unix_stream(exe, workdir):
    """A local socket that is a stream socket (syslog-ng's unix-stream(),
    some containers' /dev/log): the datagram connect fails and the handler
    falls back to a stream, as Python does; messages newline-framed, a
    newline inside one sent as #012."""
    path = os.path.join(workdir, "stream.sock")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(1)
    client = Client(exe)
    # Python's behaviour asked for: the newline reaches the framing, as #012
    client.cmd(f"handler syslog path={path} facility=local1 escape=none")
    client.cmd("level 30")
    client.cmd("log 3 two\\nlines")
    srv.settimeout(10)
    conn, _ = srv.accept()
    conn.settimeout(10)
    data = b""
    while data.count(b"\n") < 3:
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    got = data.decode().split("\n")[:-1]
    check(len(got) == 3, f"unix stream: 3 lines, got {got}")
    for i, line in enumerate(got, 1):
        check(re.match(r"^<140>[A-Z][a-z]{2} [ 0-9]\d \d\d:\d\d:\d\d net_client\[\d+\]: "
                       rf"two#012lines #{i}$", line), f"unix stream: {line!r}")
    status, err = client.close()
    check(status == 0, f"net_client exit {status}: {err}")
    conn.close()
    srv.close()
    print("unix stream: fallback from datagram, newline framing checked")


def rsyslog(exe, workdir):
    daemon = shutil.which("rsyslogd") or (os.path.exists("/usr/sbin/rsyslogd") and "/usr/sbin/rsyslogd")
    if not daemon:
        missing("rsyslogd", "apt-get install rsyslog")
    ports = {k: free_port(socket.SOCK_DGRAM if k.startswith("udp") else socket.SOCK_STREAM)
             for k in ("udp", "udp2", "udp3", "tcp", "tcp2", "tcp3")}
    conf = os.path.join(workdir, "rsyslog.conf")
    with open(conf, "w") as f:
        f.write(RSYSLOG_CONF.format(d=workdir, **ports))
    proc = subprocess.Popen([daemon, "-n", "-f", conf, "-i", os.path.join(workdir, "pid")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: os.path.exists(os.path.join(workdir, "log.sock")) and listening(
            ports["tcp"]) and listening(ports["tcp2"]) and listening(ports["tcp3"]), 20,
                   "rsyslogd to listen")
        h = "host=127.0.0.1 port="
        transports = [
            Transport("unix", f"path={workdir}/log.sock", "imuxsock", "3164", cut=8192),
            Transport("udp", f"{h}{ports['udp']}", "imudp", "5424", cut=2048),
            Transport("udp-3164", f"{h}{ports['udp2']} format=rfc3164", "udp-3164", "3164",
                      cut=2048),
            Transport("udp-python", f"{h}{ports['udp3']} format=python ident=py:", "udp-python",
                      "python", cut=2048),
            Transport("tcp-octet", f"{h}{ports['tcp']} socktype=stream", "tcp-octet", "5424"),
            Transport("tcp-newline", f"{h}{ports['tcp2']} socktype=stream framing=newline",
                      "tcp-newline", "5424"),
            Transport("tcp-3164", f"{h}{ports['tcp3']} socktype=stream format=rfc3164 "
                      "framing=newline", "tcp-3164", "3164"),
        ]
        # imudp's inputname is always "imudp"; name= sets it only where supported
        out = os.path.join(workdir, "out.jsonl")
        lines = run_transports(exe, out, transports,
                               lambda ts: sum(len(t.sent) for t in ts))
        check(proc.poll() is None, "rsyslogd still running")
        if CLI:
            ini_forms(workdir, ports, out, len(lines))
        return lines
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            log = proc.stdout.read().decode("utf-8", "replace")
            if log.strip():
                print("rsyslogd said:\n" + log[-2000:])


INI = """[loggers]
keys=root
[handlers]
keys=local,udp,tcp
[formatters]
keys=
[logger_root]
level=DEBUG
handlers=local,udp,tcp
[handler_local]
class=handlers.SysLogHandler
args=('{d}/log.sock',)
[handler_udp]
class=handlers.SysLogHandler
args=(('127.0.0.1', {udp}), 'local0')
[handler_tcp]
class=logging.handlers.SysLogHandler
level=ERROR
args=(('127.0.0.1', {tcp}), handlers.SysLogHandler.LOG_LOCAL3, socket.SOCK_STREAM)
kwargs={{'msgid': 'ini', 'app_name': 'cfg'}}
"""


def ini_forms(workdir, ports, out, before):
    """Python's argument forms from an INI file, through the logtree tool:
    the local socket (RFC 3164), UDP with a facility name (RFC 5424), TCP
    with Python's constants (RFC 5424, octet counting)."""
    ini = os.path.join(workdir, "logging.ini")
    with open(ini, "w") as f:
        f.write(INI.format(d=workdir, **ports))
    for level, text in (("INFO", "from ini info"), ("ERROR", "from ini error")):
        r = subprocess.run([CLI, "--config", ini, "--level", level, "-f", "k=v", text],
                           capture_output=True, text=True)
        check(r.returncode == 0, f"logtree --config: {r.returncode} {r.stderr}")
    got = wait_until(lambda: (lambda ls: ls if len(ls) >= before + 5 else None)(
        read_lines(out)), 10, "the INI-configured records")[before:]
    time.sleep(0.3)
    got = read_lines(out)[before:]
    seen = sorted((g["input"], int(g["pri"]), g["msg"].strip(), g["app"], g["msgid"], g["sd"])
                  for g in got)
    sd = "[logtree@32473 k=\"v\"]"
    want = sorted([
        ("imuxsock", 1 * 8 + 6, "from ini info", "logtree", "-", "-"),
        ("imuxsock", 1 * 8 + 3, "from ini error", "logtree", "-", "-"),
        ("imudp", 16 * 8 + 6, "from ini info", "logtree", "-", sd),
        ("imudp", 16 * 8 + 3, "from ini error", "logtree", "-", sd),
        ("tcp-octet", 19 * 8 + 3, "from ini error", "cfg", "ini", sd),
    ])
    check(seen == want, f"INI forms: got {seen}, expected {want}")
    print("INI: SysLogHandler's three argument forms checked")


def listening(port):
    s = socket.socket()
    try:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0
    finally:
        s.close()


# ---- syslog-ng ----

SYSLOG_NG_CONF = """@version: 3.38
options {{ log-msg-size(2097152); keep-hostname(yes); frac-digits(6); }};
source s {{ syslog(ip("127.0.0.1") transport("tcp") port({tcp}) log-msg-size(2097152)
  max-connections(100)); }};
destination d {{ file("{d}/out.jsonl" template("$(format-json input=tcp-octet pri=$PRI
  time=$ISODATE host=$HOST app=$PROGRAM procid=$PID msgid=$MSGID sd=$SDATA msg=$MSG)\\n")); }};
log {{ source(s); destination(d); }};
"""


def syslog_ng_root():
    """(syslog-ng binary, module path, LD_LIBRARY_PATH) or None: installed, or
    unpacked by tests/net/setup.sh."""
    exe = shutil.which("syslog-ng")
    if exe:
        return exe, None, None
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    root = os.path.join(cache, "logtree-peers", "syslog-ng")
    exe = os.path.join(root, "usr", "sbin", "syslog-ng")
    if not os.path.exists(exe):
        subprocess.run(["sh", os.path.join(HERE, "setup.sh"), root])
        if not os.path.exists(exe):
            return None
    mods = glob.glob(os.path.join(root, "usr", "lib", "syslog-ng", "3.*"))
    libs = ":".join([os.path.join(root, "usr", "lib", "x86_64-linux-gnu"),
                     os.path.join(root, "lib", "x86_64-linux-gnu"),
                     os.path.join(root, "usr", "lib", "syslog-ng")])
    return exe, mods[0] if mods else None, libs


def syslog_ng(exe, workdir):
    found = syslog_ng_root()
    if not found:
        missing("syslog-ng", "apt-get download syslog-ng-core libivykis0 libnet1 libwrap0")
    daemon, modpath, libs = found
    tcp = free_port()
    conf = os.path.join(workdir, "syslog-ng.conf")
    with open(conf, "w") as f:
        f.write(SYSLOG_NG_CONF.format(d=workdir, tcp=tcp))
    cmd = [daemon, "-F", "-f", conf, "-R", os.path.join(workdir, "persist"),
           "-p", os.path.join(workdir, "pid"), "-c", os.path.join(workdir, "ctl")]
    env = dict(os.environ)
    if modpath:
        cmd.append("--module-path=" + modpath)
        env["LD_LIBRARY_PATH"] = libs
    log = open(os.path.join(workdir, "syslog-ng.log"), "wb")
    proc = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: proc.poll() is not None or listening(tcp), 20, "syslog-ng to listen")
        check(proc.poll() is None, "syslog-ng exited: " + open(log.name).read())
        transports = [Transport("tcp-octet", f"host=127.0.0.1 port={tcp} socktype=stream "
                                "format=rfc5424", "tcp-octet", "5424")]
        run_transports(exe, os.path.join(workdir, "out.jsonl"), transports,
                       lambda ts: len(ts[0].sent), raw_controls=True)
    finally:
        log.close()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    sys.stdout.reconfigure(line_buffering=True)
    global CLI
    peer, exe = sys.argv[1], sys.argv[2]
    CLI = sys.argv[3] if len(sys.argv) > 3 else None
    workdir = tempfile.mkdtemp(prefix=f"logtree-{peer}-")
    try:
        if peer == "rsyslog":
            unix_stream(exe, workdir)
            rsyslog(exe, workdir)
        else:
            syslog_ng(exe, workdir)
    finally:
        if os.environ.get("LT_KEEP_TEST_DIR") == "1":
            print("kept " + workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print("ok")


if __name__ == "__main__":
    main()
