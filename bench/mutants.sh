#!/usr/bin/env bash
# The full mutation run of one homework: every generated mutant of its reference and every
# hand-written wrong submission, graded in the sandbox with trainings (shared where the code is equal).
#
#     bash bench/mutants.sh [HOMEWORK [OUT]]   (default: nn2, mutants-HOMEWORK; nn2 about 12 minutes on 2 cores)
#
# Prints the table per part and "killed K of N non-equivalent mutants"; OUT/mutants.md lists
# every mutant with its verdict, score and hint. Exit status 1 if any mutant survived.
set -euo pipefail
cd "$(dirname "$0")/.."
HOMEWORK="${1:-nn2}"
OUT="${2:-mutants-$HOMEWORK}"
rm -rf "$OUT"
/usr/bin/time -v .venv/bin/python -m autograder mutants --homework "$HOMEWORK" --out "$OUT" --jobs 2 2> "$OUT.time" || status=$?
grep -E "Elapsed|Maximum resident" "$OUT.time" || true
exit "${status:-0}"
