#!/usr/bin/env bash
# CI on a busy machine: a fresh clone of this repository runs .ci/run beside HOGS CPU-bound processes,
# RUNS times in a row; prints each run's result, wall time, load average and the CPU model.
#   bash bench/ci_under_load.sh [RUNS=3] [HOGS=2]
# The clone lives in a private folder (0700) outside /tmp: the hostile catalog's student code walks /tmp.
set -uo pipefail
runs="${1:-3}"
hogs="${2:-2}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
base="${CI_LOAD_BASE:-$HOME/.cache/autograder-ci-load}"
mkdir -p "$base" && chmod 700 "$base"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
table="$repo/bench/results/ci_under_load.md"
mkdir -p "$(dirname "$table")"
printf 'Measured %s at commit %s on %s (%s CPUs) by `bash bench/ci_under_load.sh %s %s`:\n\n```text\n' \
    "$(date +%F)" "$(git -C "$repo" rev-parse --short HEAD)" "$cpu" "$(nproc)" "$runs" "$hogs" > "$table"
echo "CPU: $cpu, $(nproc) cores; $hogs CPU hogs beside each run"
pids=()
for _ in $(seq "$hogs"); do
    python3 -c 'while True: pass' &
    pids+=($!)
done
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
for run in $(seq "$runs"); do
    clone="$base/run$run"
    rm -rf "$clone"
    git clone -q "$repo" "$clone"
    chmod 700 "$clone"
    started=$(date +%s)
    (cd "$clone" && bash .ci/run) > "$base/run$run.log" 2>&1
    status=$?
    took=$(( $(date +%s) - started ))
    summary="$(grep -E '^[0-9]+ (passed|failed)|^=+ .*(passed|failed).* =+$' "$base/run$run.log" | tail -1)"
    echo "run $run: exit $status in ${took}s, load average $(cut -d' ' -f1-3 /proc/loadavg): $summary" | tee -a "$table"
    grep -E '^(FAILED|ERROR) ' "$base/run$run.log" | sed 's/^/    /'
done
echo '```' >> "$table"
echo "wrote bench/results/ci_under_load.md"
