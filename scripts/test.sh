#!/bin/sh
# The whole test suite: install what is missing, lint, then every test layer.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
.venv/bin/ruff check .
PYTHON=.venv/bin/python sh fuzz/run.sh 10  # every fuzz harness, 10 s each, with the venv's atheris
# .venv/bin/pytest, not "python -m pytest": the latter would put the checkout on
# sys.path and test it instead of the installed wheel.
exec .venv/bin/pytest "$@"
