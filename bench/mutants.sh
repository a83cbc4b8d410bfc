#!/usr/bin/env bash
# The full mutation run: every generated mutant of the reference and every hand-written wrong
# submission, graded in the sandbox with trainings (shared where the code is equal).
#
#     bash bench/mutants.sh [OUT]        (default OUT: mutants-out; about 15 minutes on 2 cores)
#
# Prints the table per part and "killed K of N non-equivalent mutants"; OUT/mutants.md lists
# every mutant with its verdict, score and hint. Exit status 1 if any mutant survived.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-mutants-out}"
rm -rf "$OUT"
/usr/bin/time -v .venv/bin/python -m autograder mutants --out "$OUT" --jobs 2 2> "$OUT.time" || status=$?
grep -E "Elapsed|Maximum resident" "$OUT.time" || true
exit "${status:-0}"
