#!/bin/sh
# Each public header compiles on its own, as C11 and as C++ (house style),
# with the strict warnings. Usage: check_headers.sh SOURCE_DIR
set -eu
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
for h in "$src"/include/logtree/*.h; do
  name=$(basename "$h")
  printf '#include <logtree/%s>\nint lt_header_check_%s;\n' "$name" "$(echo "$name" | tr -c 'a-z0-9\n' _)" > "$tmp/t.c"
  cp "$tmp/t.c" "$tmp/t.cpp"
  if ! cc -std=c11 -Wall -Wextra -Wpedantic -Werror -I"$src/include" -c "$tmp/t.c" -o "$tmp/t.o"; then
    echo "$name does not compile alone as C11"; status=1
  fi
  if command -v c++ >/dev/null && ! c++ -std=c++11 -Wall -Wextra -Werror -I"$src/include" -c "$tmp/t.cpp" -o "$tmp/t.o"; then
    echo "$name does not compile alone as C++"; status=1
  fi
done
[ $status -eq 0 ] && echo "headers: each compiles alone as C11 and C++"
exit $status
