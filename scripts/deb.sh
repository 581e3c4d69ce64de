#!/bin/sh
# Build the Debian package, install it, and run its autopkgtest suite against it.
#
#   sh scripts/deb.sh            # Debian 12, as root; everything lands in build/deb/
#
# 1. build dependencies from Debian's archive (apt-get build-dep on debian/control);
# 2. dpkg-buildpackage -us -uc -b on a copy of the tree (dh_auto_test runs the
#    unit and integration tests against the built package);
# 3. lintian on the result (its findings are printed; an error stops the script);
# 4. apt-get install ./python3-augnetcf_*.deb: its dependencies come from
#    Debian's archive, nothing from pip;
# 5. autopkgtest with the null virt server on this machine, which runs
#    debian/tests (the whole suite, kernel tests included) against the installed
#    package. The null server is no separate machine, so the isolation-machine
#    restriction is waived with --ignore-restrictions; the kernel tests only ever
#    touch network namespaces they create.
#
# DEB_BUILD_OPTIONS=nocheck skips step 2's tests (the autopkgtest suite runs them all).
set -eu
cd "$(dirname "$0")/.."
out=build/deb
export DEBIAN_FRONTEND=noninteractive
# Debian's own tools and python3 only: no pyenv or venv interpreter may take part.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

tools="dpkg-dev lintian autopkgtest"
missing=""
for p in $tools; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
as_root apt-get update -qq
if [ -n "$missing" ]; then
    echo "deb: installing$missing"
    as_root apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
echo "deb: build dependencies (apt-get build-dep)"
as_root apt-get build-dep -y -qq ./ >/dev/null

# A copy of the tree without the venv and caches: dpkg-buildpackage writes its
# results beside the source directory, which is then build/deb/, not the clone's parent.
rm -rf "$out"
mkdir -p "$out/augnetcf"
tar -c --exclude=./.git --exclude=./.venv --exclude=./build --exclude=./.hypothesis \
    --exclude=__pycache__ --exclude=.ruff_cache --exclude=.pytest_cache . | tar -x -C "$out/augnetcf"

echo "deb: dpkg-buildpackage -us -uc -b"
start=$(date +%s)
(cd "$out/augnetcf" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1 || {
    tail -n 60 "$out/build.log"; echo "deb: the build failed; the whole log is $out/build.log" >&2; exit 1; }
grep -E "^(=+ .* in [0-9.]+s|[0-9]+ passed.*)" "$out/build.log" | tail -n 1 || true
echo "deb: built in $(( $(date +%s) - start )) s: $(cd "$out" && ls ./*.deb)"

echo "deb: lintian"
lintian --info --display-info --fail-on error "$out"/*.changes | tee "$out/lintian.txt"

echo "deb: apt-get install ./python3-augnetcf_*.deb"
(cd "$out" && as_root apt-get install -y -qq --reinstall ./python3-augnetcf_*.deb) >/dev/null
dpkg-query -W python3-augnetcf python3-augeas python3-lxml python3-netaddr python3-pyroute2

echo "deb: autopkgtest (null virt server: debian/tests against the installed package)"
start=$(date +%s)
status=0
as_root autopkgtest -B --ignore-restrictions=isolation-machine --summary-file "$out/autopkgtest-summary" \
    -o "$out/autopkgtest" "$out/augnetcf" -- null >"$out/autopkgtest.log" 2>&1 || status=$?
grep -E "^[0-9]+ (passed|failed)|^=+ .*(passed|failed).* in " "$out/autopkgtest/log" | tail -n 3 || true
cat "$out/autopkgtest-summary"
echo "deb: autopkgtest took $(( $(date +%s) - start )) s (log: $out/autopkgtest/log)"
# autopkgtest exits 0 when all passed, 2 when some test was skipped, other codes on failure
if [ "$status" -ne 0 ]; then
    tail -n 80 "$out/autopkgtest/log" >&2
    echo "deb: autopkgtest failed (exit $status)" >&2
    exit 1
fi
