#!/bin/sh
# The thorough hypothesis profile (10,000 examples per property and backend),
# split into SHARDS runs of 10,000/SHARDS examples, each with its own
# --hypothesis-seed, spread over LANES processes at the lowest priority.
#
#   sh bench/thorough.sh OUT [PROPERTY...]   # default: every property in tests/property/test_roundtrip.py
#   LANES=2 SHARDS=10 PYTHON=.venv/bin/python sh bench/thorough.sh /var/tmp/thorough
#
# A shard is the unit of work: it is claimed (mkdir OUT/claims/ID), run, and its
# line appended to OUT/results.tsv (test id, seed, commit, exit code, passing,
# failing, invalid, seconds). Running the script again resumes: finished
# shards are skipped, so a run can span reboots and machines sharing OUT
# (remove OUT/claims/ID of a shard that died mid-run). `sh bench/thorough.sh
# OUT --summary` totals the examples per test id.
set -u
cd "$(dirname "$0")/.."
out=${1:?usage: sh bench/thorough.sh OUT [PROPERTY...|--summary]}
shift
mkdir -p "$out/claims" "$out/logs"
results=$out/results.tsv

if [ "${1:-}" = "--summary" ]; then
    awk -F'\t' '{ id=$1; runs[id]++; ok[id]+=$5; bad[id]+=$6; inv[id]+=$7; s[id]+=$8;
                  if ($4 != 0) fails[id]++; c[id]=c[id] (index(c[id], $3) ? "" : " " $3) }
         END { printf "%-52s %6s %8s %7s %8s %8s  %s\n", "test", "shards", "passing", "failing", "invalid", "seconds", "commits";
               for (id in runs) printf "%-52s %6d %8d %7d %8d %8d %s%s\n", id, runs[id], ok[id], bad[id], inv[id], s[id], c[id],
                                       (fails[id] ? "  (" fails[id] " shard(s) exited non-zero)" : "") }' "$results" | sort
    exit 0
fi

py=${PYTHON:-.venv/bin/python}
lanes=${LANES:-2}
shards=${SHARDS:-10}
props=${*:-test_xml_files_xml_is_identity test_defining_twice_is_defining_once test_files_xml_files_is_a_byte_noop test_backends_agree}
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)

# Every test id, in the order given, each expanded over its backends.
ids=$("$py" -m pytest -p no:cacheprovider -q --collect-only tests/property/test_roundtrip.py 2>/dev/null |
      grep '::' | sed 's/^.*:://')
queue=""
for p in $props; do
    for id in $ids; do
        case "$id" in "$p" | "$p["*) queue="$queue $id" ;; esac
    done
done

lane() {
    for id in $queue; do
        seed=1
        while [ "$seed" -le "$shards" ]; do
            key=$(printf '%s.seed%s' "$id" "$seed" | tr '[]' '__')
            if mkdir "$out/claims/$key" 2>/dev/null; then
                log=$out/logs/$key.log
                start=$(date +%s)
                AUGNETCF_HYPOTHESIS_PROFILE=thorough AUGNETCF_HYPOTHESIS_SHARDS=$shards \
                    nice -n 19 "$py" -m pytest -p no:cacheprovider -q --hypothesis-show-statistics \
                    --hypothesis-seed="$seed" "tests/property/test_roundtrip.py::$id" > "$log" 2>&1
                rc=$?
                counts=$(sed -n 's/^ *- \([0-9]*\) passing, \([0-9]*\) failing, and \([0-9]*\) invalid.*/\1\t\2\t\3/p' "$log" | head -1)
                [ -n "$counts" ] || counts="0	0	0"
                printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$seed" "$commit" "$rc" "$counts" "$(( $(date +%s) - start ))" >> "$results"
            fi
            seed=$((seed + 1))
        done
    done
}

i=1
while [ "$i" -le "$lanes" ]; do
    lane &
    i=$((i + 1))
done
wait
sh "$0" "$out" --summary
