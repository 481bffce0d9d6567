#!/bin/sh
# tests/valgrind/run_examples.sh EXAMPLES_DIR: every example program that runs
# on its own, under valgrind's memcheck: no invalid access, no use of
# uninitialised memory, no definite or indirect leak, and no descriptor open
# at exit that the program did not inherit (valgrind lists those but does not
# count them as errors, so this script does). Exit 77, a skip, only when
# valgrind is missing and LT_ALLOW_MISSING_PARSERS=1 (examples/access_log is
# a server: tests/access_log drives it).
set -u
dir=$1
if ! command -v valgrind >/dev/null 2>&1; then
  if [ "${LT_ALLOW_MISSING_PARSERS:-0}" = 1 ]; then
    echo "valgrind is missing: skipped"
    exit 77
  fi
  echo "valgrind is missing: install it (.ci/run does), or set LT_ALLOW_MISSING_PARSERS=1" >&2
  exit 1
fi
cd "$dir" || exit 1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=0
for run in "./hello" "./config_file logging.ini" "./multi_thread" "./syslog" "./reload logging.json"; do
  # shellcheck disable=SC2086 # the program and its arguments
  valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 \
    --track-fds=yes --log-file="$log" $run >/dev/null 2>&1
  rc=$?
  # "Open file descriptor N: ..." blocks; inherited ones say so on the next line.
  leaked=$(awk '/Open file descriptor [0-9]+:/ { fd = $0; getline; if ($0 !~ /inherited from parent/) print fd }' "$log")
  if [ "$rc" -eq 99 ] || [ -n "$leaked" ]; then
    echo "FAIL: $run (exit $rc)"
    [ -n "$leaked" ] && echo "descriptors open at exit: $leaked"
    cat "$log"
    failed=1
  elif [ "$rc" -ne 0 ]; then
    echo "FAIL: $run exited $rc"
    cat "$log"
    failed=1
  else
    echo "ok: $run"
  fi
done
exit $failed
