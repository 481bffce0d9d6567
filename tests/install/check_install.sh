#!/bin/sh
# Install logtree into a staging prefix, then build examples/hello.c twice
# against it, as users do: through find_package(logtree) and through
# pkg-config. Both programs must run and log.
# Usage: check_install.sh SOURCE_DIR BUILD_DIR
set -eu
src=$1
build=$2
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

cmake --install "$build" --prefix "$stage/prefix" > "$stage/install.log"
test -f "$stage/prefix/include/logtree/logtree.h"
test -f "$stage/prefix/lib/pkgconfig/logtree.pc" || test -f "$stage/prefix/lib64/pkgconfig/logtree.pc"

libdir=$(ls -d "$stage"/prefix/lib*/pkgconfig | head -n 1 | xargs dirname)

# 1. find_package(logtree)
cmake -S "$src/tests/install" -B "$stage/consumer" -DCMAKE_PREFIX_PATH="$stage/prefix" \
  -DHELLO_SOURCE="$src/examples/hello.c" > "$stage/configure.log"
cmake --build "$stage/consumer" > "$stage/build.log"
LD_LIBRARY_PATH="$libdir" "$stage/consumer/hello" 2>&1 | grep -q "connected to db1"

# 2. pkg-config
PKG_CONFIG_PATH="$libdir/pkgconfig" cc -std=c11 -o "$stage/hello-pc" "$src/examples/hello.c" \
  $(PKG_CONFIG_PATH="$libdir/pkgconfig" pkg-config --cflags --libs logtree)
LD_LIBRARY_PATH="$libdir" "$stage/hello-pc" 2>&1 | grep -q "connected to db1"

echo "install: find_package and pkg-config consumers build and run"
