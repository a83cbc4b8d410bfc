#!/usr/bin/env bash
# CI's own run, timed: a fresh clone of this checkout's HEAD, in a private folder (0700, outside /tmp: the hostile
# catalog's student code walks /tmp), runs .ci/run as CI does; the result goes to bench/results/ci.md with the
# date, the commit, the CPU model, the load average and the suite's own summary line.
#   bash bench/ci.sh
#   bash bench/ci.sh --from LOG SECONDS COMMIT     the table of a run already made (its .ci/run output in LOG)
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

write() {  # LOG SECONDS COMMIT STATUS [LOAD]
    local summary load="${5:-$(cut -d' ' -f1-3 /proc/loadavg)}"
    summary="$(grep -E '^=+ .*(passed|failed).* in [0-9.]+s' "$1" | tail -1 | sed -E 's/^=+ //; s/ =+$//')"
    mkdir -p "$repo/bench/results"
    {
        echo "Measured $(date +%F) at commit $3 on $cpu ($(nproc) CPUs) by \`bash bench/ci.sh\`:"
        echo
        echo "| run | wall s | exit status | load average after | pytest |"
        echo "|---|---|---|---|---|"
        echo "| \`./setup.sh && .venv/bin/pytest\` in a fresh clone (\`.ci/run\`) | $2 | $4 | $load | ${summary:-no summary line} |"
    } > "$repo/bench/results/ci.md"
    echo "wrote bench/results/ci.md"
}

if [ "${1:-}" = "--from" ]; then
    write "$2" "$3" "$4" 0 "not recorded"
    exit 0
fi
base="${CI_BASE:-$HOME/.cache/autograder-ci}"
mkdir -p "$base" && chmod 700 "$base"
clone="$base/clone"
rm -rf "$clone"
git clone -q "$repo" "$clone" || exit 2
commit="$(git -C "$clone" rev-parse --short HEAD)"
started=$(date +%s)
(cd "$clone" && bash .ci/run) > "$base/ci.log" 2>&1
status=$?
seconds=$(( $(date +%s) - started ))
tail -5 "$base/ci.log"
write "$base/ci.log" "$seconds" "$commit" "$status"
exit "$status"
