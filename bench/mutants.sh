#!/usr/bin/env bash
# The full mutation run of one homework: every generated mutant of its reference and every
# hand-written wrong submission, graded in the sandbox with trainings (shared where the code is equal).
#
#     bash bench/mutants.sh [HOMEWORK [OUT]]   (default: nn2, mutants-HOMEWORK; nn2 about 17 minutes on 2 cores)
#
# Prints the table per part and "killed K of N non-equivalent mutants"; OUT/mutants.md lists every
# mutant with its verdict, score, how it differs from the reference and the hint. Writes the table,
# the verdict lines, the date, the commit, the CPU model and the time to bench/results/mutants-HOMEWORK.md
# (kept in the repository: the CI runs one mutant per family, tests/test_mutants_run.py). Exit status 1 if
# any mutant survived or any equivalent one lost points.
set -euo pipefail
cd "$(dirname "$0")/.."
HOMEWORK="${1:-nn2}"
OUT="${2:-mutants-$HOMEWORK}"
rm -rf "$OUT" "$OUT.log" "$OUT.time"
/usr/bin/time -v .venv/bin/python -m autograder mutants --homework "$HOMEWORK" --out "$OUT" --jobs 2 \
    > "$OUT.log" 2> "$OUT.time" || status=$?
cat "$OUT.log"
grep -E "Elapsed|Maximum resident" "$OUT.time" || true
mkdir -p bench/results
{
    echo "# Mutation run of $HOMEWORK"
    echo
    echo "$(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) CPUs;" \
         "wall $(grep 'Elapsed' "$OUT.time" | awk '{print $NF}'), exit status ${status:-0}"
    echo
    sed -n '/^| part/,/non-equivalent mutants/p' "$OUT.log"
    echo
    grep -A 12 -E "^(SURVIVED|WRONGLY FAILED):" "$OUT.log" || echo "No mutant survived and no equivalent one lost a point."
} > "bench/results/mutants-$HOMEWORK.md"
echo "wrote bench/results/mutants-$HOMEWORK.md"
exit "${status:-0}"
