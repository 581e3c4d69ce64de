#!/bin/sh
# Run every fuzz harness for SECONDS each (default 60) on its seed corpus.
# Needs atheris (in the test extra). Exits non-zero if any harness crashed.
#
#   sh fuzz/run.sh 60          # PYTHON=... picks the interpreter (default .venv/bin/python)
#   FUZZ_WORK=fuzz/work sh fuzz/run.sh 600     # keep what the run learns, for the next one
#
# Inputs are a selector byte then the payload (fuzz/fuzzlib.py). The seed
# corpora are only read: inputs that find new coverage go to FUZZ_WORK/HARNESS
# (by default a temporary directory, removed at the end). Crashers go to
# fuzz/crashes/HARNESS/; once understood, one belongs in fuzz/regressions/HARNESS/.
set -u
cd "$(dirname "$0")/.."
secs=${1:-60}
py=${PYTHON:-.venv/bin/python}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/augnetcf-fuzz-run.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
work=${FUZZ_WORK:-$tmp}
failed=""

run() {
    harness=$1
    shift
    mkdir -p "$work/$harness" "fuzz/crashes/$harness"
    echo "fuzz: $harness for ${secs}s" >&2
    if ! TMPDIR=$tmp "$py" "fuzz/$harness.py" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=60 \
            -artifact_prefix="fuzz/crashes/$harness/" "$work/$harness" "$@"; then
        failed="$failed $harness"
    fi
}

run fuzz_xml fuzz/corpus/xml
run fuzz_files fuzz/corpus/files-redhat fuzz/corpus/files-debian fuzz/corpus/files-suse \
    fuzz/corpus/files-nm-keyfile fuzz/corpus/files-networkd
run fuzz_roundtrip fuzz/corpus/xml

if [ -n "$failed" ]; then
    echo "fuzz: crashed:$failed (the inputs are in fuzz/crashes/)" >&2
    exit 1
fi
echo "fuzz: no crashes" >&2
