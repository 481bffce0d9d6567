#!/bin/sh
# The syslog daemons tests/net/test_syslog.py runs: rsyslog from Debian, and
# syslog-ng, which conflicts with rsyslog in apt, unpacked (not installed)
# into DIR (default ~/.cache/logtree-peers/syslog-ng). Run by .ci/run; the
# test itself runs this too when syslog-ng is missing.
set -eu
dir=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/logtree-peers/syslog-ng}
command -v syslog-ng >/dev/null 2>&1 && exit 0
[ -x "$dir/usr/sbin/syslog-ng" ] && exit 0
mkdir -p "$dir"
cd "$dir"
pkgs="syslog-ng-core libivykis0 libnet1 libwrap0"
# apt-get download needs the package lists, which a fresh machine may lack.
apt-get download $pkgs >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get download $pkgs; }
for deb in *.deb; do
  dpkg -x "$deb" .
  rm -f "$deb"
done
echo "syslog-ng unpacked in $dir"
