#!/bin/sh
# Install the parsers nobody here wrote that the formatter tests read their
# output with: jq (Debian) for JSON Lines, and the npm package logfmt for
# logfmt (Python's json module comes with python3). Idempotent: installs only
# what is missing.
#
#   tests/parsers/setup.sh          npm logfmt into build/parsers/
#   LT_PARSERS_DIR=DIR tests/parsers/setup.sh   ... into DIR
#
# The tests look for logfmt in $LT_PARSERS_DIR, then <build dir>/parsers,
# then <source dir>/build/parsers. They fail when a parser is missing,
# unless LT_ALLOW_MISSING_PARSERS=1, when they skip.
set -eu
cd "$(dirname "$0")/../.."
dir=${LT_PARSERS_DIR:-$PWD/build/parsers}

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=""
command -v jq >/dev/null 2>&1 || missing="$missing jq"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
  $sudo apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing
fi

if ! NODE_PATH="$dir/node_modules" node -e "require('logfmt')" >/dev/null 2>&1; then
  mkdir -p "$dir"
  # a package.json of its own, so npm installs here and not in a parent folder
  [ -f "$dir/package.json" ] || printf '{"private": true}\n' > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error logfmt@1.4.0
fi
echo "parsers: jq $(jq --version), node $(node --version), logfmt in $dir"
