#!/bin/sh
# tests/fuzz/run.sh [SECONDS] [TARGET...] - build the fuzz targets with
# clang (libFuzzer, AddressSanitizer, UndefinedBehaviorSanitizer) and run
# each for SECONDS (default 60) from its seed corpus in
# tests/fuzz/corpus/TARGET. New inputs the fuzzer finds go to
# build-fuzz/corpus/TARGET (the seeds stay as they are); a crash leaves its
# input in build-fuzz/ and fails the run. Add each crash to the target's
# seeds once fixed: it becomes a regression test (tests/check.sh runs every
# seed through every target).
set -eu
cd "$(dirname "$0")/../.."
secs=${1:-60}
[ $# -gt 0 ] && shift
command -v clang >/dev/null || { echo "run.sh: clang is needed (apt-get install clang)" >&2; exit 2; }
CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DLT_FUZZ=ON \
  -DLT_SANITIZE=fuzzer-no-link,address,undefined -DLT_BUILD_TESTS=OFF -DLT_BUILD_EXAMPLES=OFF \
  -DLT_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
targets=${*:-$(cd tests/fuzz && ls fuzz_*.c | sed 's/\.c$//')}
status=0
root=$PWD
for t in $targets; do
  work="$root/build-fuzz/run-$t" # its cwd: files the INI target's handlers create land here
  mkdir -p "$work" "$root/build-fuzz/corpus/$t"
  printf '%s: %s s ... ' "$t" "$secs"
  if (cd "$work" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      "$root/build-fuzz/tests/fuzz/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
      -max_len=4096 -artifact_prefix="$root/build-fuzz/$t-" \
      "$root/build-fuzz/corpus/$t" "$root/tests/fuzz/corpus/$t" >"$root/build-fuzz/$t.log" 2>&1); then
    grep -E '^Done [0-9]+ runs' "build-fuzz/$t.log" || echo ok
  else
    echo "FAILED (build-fuzz/$t.log)"
    tail -n 30 "build-fuzz/$t.log"
    status=1
  fi
done
exit $status
