#!/bin/sh
# The shared library exports only lt_* symbols, never lt__* internals
# (curl's test1167 idea). Usage: check_exports.sh path/to/liblogtree.so
set -eu
lib=$1
bad=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -v -E '^lt_[a-z]' | grep -v -E '^(_init|_fini|_edata|_end|__bss_start)$' || true)
internal=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -E '^lt__' || true)
count=$(nm -D --defined-only "$lib" | awk '{print $3}' | grep -c -E '^lt_[a-z]' || true)
if [ -n "$bad$internal" ]; then
  echo "exported but not public API:"; echo "$bad$internal"; exit 1
fi
[ "$count" -gt 50 ] || { echo "only $count lt_ symbols exported: visibility is broken"; exit 1; }
echo "exports: $count lt_* symbols, nothing else"
