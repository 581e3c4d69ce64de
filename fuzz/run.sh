#!/bin/sh
# Run every fuzz harness for SECONDS each (default 60) on its seed corpus.
# Needs atheris (pip install atheris). New crashers land in fuzz/crashes/.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-60}
py=${PYTHON:-.venv/bin/python}
mkdir -p fuzz/crashes
"$py" fuzz/fuzz_xml.py -max_total_time="$secs" -artifact_prefix=fuzz/crashes/ fuzz/corpus/xml
