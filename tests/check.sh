#!/bin/sh
# Build logtree and pass every test. This is the README's test command and
# what CI runs (after .ci/run installs the packages):
#   0. the README's first command (the default optimised build, -Werror);
#   1. the strict debug build (-Werror): unit tests, examples, style rules,
#      and the differential test against Python's own logging (the oracle);
#      the examples under valgrind (memcheck, descriptors: tests/valgrind/);
#   2. the unit tests and examples again under AddressSanitizer +
#      UndefinedBehaviorSanitizer, leaks included;
#   3. the threaded programs under ThreadSanitizer (tests/stress_threads.c,
#      examples/multi_thread.c; Criterion's sandbox does not start under TSan);
#   4. the fuzz targets (libFuzzer, clang): every seed, found crashes
#      included, then LT_FUZZ_SECONDS (10) of fuzzing each.
set -eu
cd "$(dirname "$0")/.."
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

step() { printf '\n=== %s\n' "$*"; }

step "parsers the formatter tests read their output with (jq, npm logfmt)"
tests/parsers/setup.sh

step "the README's first command: the default build (-O2, -Werror) and the tool on the example config"
cmake -S . -B build-default -DLT_BUILD_TESTS=OFF -DLT_BUILD_EXAMPLES=OFF -DLT_BUILD_BENCH=OFF
cmake --build build-default -j"$jobs"
build-default/logtree --config examples/logging.ini --name app.db --level WARNING "disk almost full"

step "debug build, all tests"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug -DLT_WERROR=ON -DLT_REQUIRE_TESTS=ON
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"

step "AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DLT_SANITIZE=address,undefined \
  -DLT_BUILD_BENCH=OFF -DLT_REQUIRE_TESTS=ON
cmake --build build-asan -j"$jobs"
# Criterion's test processes exit 0 after a passing test even when LeakSanitizer
# reports: the reports go to files, and any error in them fails the run.
reports="$PWD/build-asan/sanitizer-report"
rm -f "$reports".*
ASAN_OPTIONS=detect_leaks=1:log_path="$reports" UBSAN_OPTIONS=print_stacktrace=1:log_path="$reports" \
  ctest --test-dir build-asan -L 'unit|example|oracle' --output-on-failure -j"$jobs"
if grep -l -E 'ERROR|runtime error' "$reports".* 2>/dev/null; then
  cat "$reports".*
  echo "sanitizer reports above"
  exit 1
fi

step "ThreadSanitizer, threaded tests"
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DLT_SANITIZE=thread -DLT_BUILD_BENCH=OFF \
  -DLT_REQUIRE_TESTS=ON
cmake --build build-tsan -j"$jobs"
TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan -L tsan --output-on-failure

step "fuzz targets: seeds and regressions, then ${LT_FUZZ_SECONDS:-10} s each"
tests/fuzz/run.sh "${LT_FUZZ_SECONDS:-10}"

step "all tests passed"
