#!/bin/sh
# The whole test suite, twice: on the newest releases of augnetcf's Python
# dependencies (the venv), and on Debian 12's own packages (the .deb).
#
#   sh scripts/test.sh [PYTEST ARGS]    # the arguments go to the venv's pytest only
#
# 1. install what is missing and the wheel into .venv (scripts/setup.sh);
# 2. ruff, then every fuzz harness for 10 s;
# 3. pytest in the venv, against the installed wheel;
# 4. scripts/deb.sh: build python3-augnetcf, lintian, apt-get install it, and run
#    its autopkgtest suite (the whole suite again, with /usr/bin/python3 and
#    Debian's python3-augeas, -lxml, -netaddr, -pyroute2). Its build-time tests
#    (unit and integration, a subset of what autopkgtest runs on the same
#    packages) are skipped here with DEB_BUILD_OPTIONS=nocheck to keep CI's time.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
.venv/bin/ruff check .
PYTHON=.venv/bin/python sh fuzz/run.sh 10  # every fuzz harness, 10 s each, with the venv's atheris
# .venv/bin/pytest, not "python -m pytest": the latter would put the checkout on
# sys.path (tests/conftest.py refuses to test the checkout's augnetcf/).
start=$(date +%s)
.venv/bin/pytest "$@"
echo "test: the venv's suite took $(( $(date +%s) - start )) s"
DEB_BUILD_OPTIONS="${DEB_BUILD_OPTIONS:-nocheck}" sh scripts/deb.sh
