#!/usr/bin/env bash
# End-to-end test of examples/access_log/server.c and the access formatter,
# checked by parsers nobody here wrote:
#   - start the server on a free port, drive it with curl and with raw
#     requests (hostile user agents, a quote in the path, pipelining,
#     HTTP/1.0), 20 clients at once;
#   - stop it with SIGTERM: it must exit 0 with no file descriptor left open;
#   - GoAccess must read access.log (--log-format=COMBINED) with no invalid
#     line and exactly the requests sent; every stdout line must be a JSON
#     object Python's json module reads, one per request.
# Usage: check.sh SERVER LOGGING_INI
# curl, goaccess and python3 are required; LT_ALLOW_MISSING_PARSERS=1 turns
# their absence into a skip (exit 77) instead of a failure.
set -euo pipefail

server=$1
ini=$2

missing=""
for tool in curl goaccess python3; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  if [ "${LT_ALLOW_MISSING_PARSERS:-0}" = 1 ]; then
    echo "SKIP: missing$missing (LT_ALLOW_MISSING_PARSERS=1)"
    exit 77
  fi
  echo "FAIL: missing$missing (apt-get install -y curl goaccess python3)"
  exit 1
fi

work=$(mktemp -d /tmp/logtree-access-XXXXXX)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  if [ "${LT_KEEP_TEST_DIR:-0}" = 1 ]; then
    echo "kept $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
cd "$work"
cp "$ini" logging.ini

fail() {
  echo "FAIL: $*"
  echo "--- stderr"; cat err.txt || true
  echo "--- access.log"; cat -A access.log 2>/dev/null | head -50 || true
  exit 1
}

"$server" 0 logging.ini >out.json 2>err.txt &
pid=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' err.txt)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || fail "the server did not start"
  sleep 0.1
done
[ -n "$port" ] || fail "the server printed no port"
base="http://127.0.0.1:$port"
fds_before=$(ls /proc/"$pid"/fd | wc -l)

sent=0
get() { # curl that must succeed at the HTTP level (any status)
  curl -sS -o /dev/null --max-time 10 "$@"
}

# ---- ordinary requests, one per curl (10) ----
get "$base/"
get "$base/missing"
get -I "$base/"
get -I "$base/missing"
get "$base/search?q=hello+world&lang=en"
get -e "http://example.com/start.html" "$base/"
get -A 'Mozilla/5.0 "quoted" agent \ backslash' "$base/"
get -A 'Mozilla/5.0 (X11; Linux x86_64) caf'$'\xc3\xa9' "$base/?x=%22y%22"
get -X POST -d 'a=1&b=2' "$base/form"
get -X DELETE "$base/"
sent=$((sent + 10))

# ---- keep-alive: three requests on one connection ----
get -o /dev/null -o /dev/null "$base/" "$base/a" "$base/b?c=d"
sent=$((sent + 3))

# ---- raw requests curl will not send ----
python3 - "$port" <<'EOF'
import socket, sys

port = int(sys.argv[1])

def exchange(data, responses):
    """Send @data on one connection; read until @responses status lines came."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(data)
    got = b""
    while got.count(b"HTTP/1.1 ") < responses:
        chunk = s.recv(65536)
        if not chunk:
            break
        got += chunk
    s.close()
    assert got.count(b"HTTP/1.1 ") == responses, got

forged = b'127.0.0.1 - - [01/Jan/2000:00:00:00 +0000] "GET /forged HTTP/1.1" 200 1 "-" "-"'
# a user agent that tries to end its quotes and start a line of its own:
# with a bare LF (the server refuses the header block: 400) ...
exchange(b'GET /inject-lf HTTP/1.1\r\nHost: x\r\nUser-Agent: evil" agent\n' + forged +
         b'\r\nConnection: close\r\n\r\n', 1)
# ... with a bare CR inside the value (400, the value logged escaped) ...
exchange(b'GET /inject-cr HTTP/1.1\r\nHost: x\r\nUser-Agent: evil" \r' + forged +
         b'\r\nConnection: close\r\n\r\n', 1)
# ... with terminal escapes, DEL, non-UTF-8 bytes and backslashes (200)
exchange(b'GET / HTTP/1.1\r\nHost: x\r\nReferer: http://r/"\\\x7f\r\n'
         b'User-Agent: \x1b[31mred\x1b[0m \x01\xff\xfe "\\"\r\nConnection: close\r\n\r\n', 1)
# a quote and a backslash in the path (404)
exchange(b'GET /a"b\\c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 1)
# HTTP/1.0, no Host, closes by default
exchange(b'GET /?v=1.0 HTTP/1.0\r\n\r\n', 1)
# two pipelined requests in one write
exchange(b'GET /p1 HTTP/1.1\r\nHost: x\r\n\r\nHEAD /p2 HTTP/1.1\r\nHost: x\r\n'
         b'Connection: close\r\n\r\n', 2)
EOF
sent=$((sent + 7))

# ---- 20 clients at once ----
pids=()
for i in $(seq 20); do
  get -A "parallel-$i" "$base/parallel/$i?i=$i" &
  pids+=($!)
done
for p in "${pids[@]}"; do
  wait "$p" || fail "a parallel request failed"
done
sent=$((sent + 20))

# ---- no descriptor left behind by the finished connections ----
fds_after=""
for _ in $(seq 50); do
  fds_after=$(ls /proc/"$pid"/fd | wc -l)
  [ "$fds_after" -eq "$fds_before" ] && break
  sleep 0.1
done
[ "$fds_after" -eq "$fds_before" ] || fail "open descriptors: $fds_before before, $fds_after after"

# an idle keep-alive connection must not stop the shutdown
python3 - "$port" <<'EOF' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
time.sleep(3)
EOF
idle=$!
sleep 0.3

# ---- stop ----
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=""
wait "$idle" 2>/dev/null || true
[ "$status" -eq 0 ] || fail "the server exited with status $status after SIGTERM"
grep -q "server: stopped" err.txt || fail "no 'stopped' message"

# ---- what the parsers say ----
lines=$(wc -l <access.log)
[ "$lines" -eq "$sent" ] || fail "access.log has $lines lines for $sent requests"
if grep -q '^127\.0\.0\.1 - - \[01/Jan/2000' access.log; then
  fail "a forged line made it into access.log"
fi
grep -qF '"GET /inject-cr HTTP/1.1" 400 ' access.log || fail "no 400 for the bare CR"
grep -qF 'evil\" \r127.0.0.1' access.log || fail "the bare CR is not escaped as Apache does"
grep -qF '"\x1b[31mred\x1b[0m \x01\xff\xfe \"\\\""' access.log ||
  fail "control bytes are not escaped as Apache does"
grep -qF '"GET /a\"b\\c HTTP/1.1" 404 ' access.log || fail "the quote in the path is not escaped"

goaccess access.log --log-format=COMBINED --no-global-config --invalid-requests=invalid.txt \
  -o report.json >goaccess.txt 2>&1 || { cat goaccess.txt; fail "goaccess failed"; }
python3 - "$sent" <<'EOF' || fail "GoAccess or JSON check failed"
import json, sys

sent = int(sys.argv[1])
general = json.load(open("report.json"))["general"]
print("goaccess: total %(total_requests)d, valid %(valid_requests)d, "
      "failed %(failed_requests)d" % general)
invalid = open("invalid.txt", errors="replace").read()
assert general["failed_requests"] == 0, "GoAccess found invalid lines:\n" + invalid
assert general["total_requests"] == sent, (general["total_requests"], sent)
assert general["valid_requests"] == sent, (general["valid_requests"], sent)

records = []
with open("out.json", "rb") as f:
    for n, line in enumerate(f, 1):
        try:
            records.append(json.loads(line))
        except ValueError as e:
            sys.exit("stdout line %d is not JSON (%s): %r" % (n, e, line))
assert len(records) == sent, (len(records), sent)
statuses = sorted({r["status"] for r in records})
assert statuses == [200, 400, 404, 405], statuses
for r in records:
    for key in ("remote_addr", "method", "path", "protocol", "status", "bytes", "duration_us"):
        assert key in r, (key, r)
assert any(r["user_agent"] == 'Mozilla/5.0 "quoted" agent \\ backslash' for r in records)
print("json: %d records, statuses %s" % (len(records), statuses))
EOF
echo "access log: $sent requests, GoAccess and JSON checks passed"
