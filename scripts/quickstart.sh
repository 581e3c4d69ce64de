#!/bin/sh
# Quick start: install, then run the main job on a copy of the bundled example root.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
ncf() { echo "\$ augnetcf --root $root $*"; .venv/bin/augnetcf --root "$root" "$@"; echo; }

root=$(mktemp -d /tmp/augnetcf-example.XXXXXX)
cp -a examples/redhat-root/. "$root/"
ncf list --all --macs
ncf dumpxml eth0
ncf define examples/br0.xml
ncf dumpxml br0
echo "\$ diff -ruN examples/redhat-root $root   # what the define changed"
diff -ruN examples/redhat-root "$root" || true
echo
echo "The example root is left in $root; the venv is .venv (try .venv/bin/augnetcf --help)."
