#!/usr/bin/env bash
# Gradescope runs this once, as root, on its Ubuntu 22.04 or 24.04 image, when it builds the
# autograder. It installs Python and the pinned dependencies (a CPU-only torch), creates the
# unprivileged account that student code runs as, and locks the grader's folders away from it.
#
# Settings (for trying the zip outside Gradescope):
#   AUTOGRADER_ROOT          instead of /autograder
#   AUTOGRADER_VENV          where the virtual environment goes (default: $ROOT/venv)
#   AUTOGRADER_STUDENT_USER  the account for student code (default: autograder-student)
#   AUTOGRADER_STUDENT_ACCOUNTS  how many such accounts (default: 4): $AUTOGRADER_STUDENT_USER, then
#                            -2, -3, ...; gradings side by side on one machine each take one of its own
#   AUTOGRADER_TORCH_INDEX   where the CPU build of torch comes from (default: PyTorch's CPU wheel
#                            index; empty: let pip find torch==2.13.0 as it is configured)
set -euo pipefail

ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$ROOT/source"
VENV="${AUTOGRADER_VENV:-$ROOT/venv}"
STUDENT="${AUTOGRADER_STUDENT_USER:-autograder-student}"
ACCOUNTS="${AUTOGRADER_STUDENT_ACCOUNTS:-4}"
TORCH_INDEX="${AUTOGRADER_TORCH_INDEX-https://download.pytorch.org/whl/cpu}"

# A system Python that every account can execute (not one under /root), 3.11 or newer:
# the pinned numpy needs 3.11. Ubuntu 22.04 has python3.11 in universe, 24.04 ships 3.12.
find_python() {
    for candidate in /usr/bin/python3.11 /usr/bin/python3.12 /usr/bin/python3.13; do
        if [ -x "$candidate" ] && "$candidate" -m venv --help >/dev/null 2>&1 \
            && "$candidate" -c 'import ensurepip' >/dev/null 2>&1; then
            echo "$candidate"
            return 0
        fi
    done
    return 1
}

if ! PYTHON="$(find_python)"; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    if apt-cache show python3.11-venv >/dev/null 2>&1; then
        apt-get install -y -qq python3.11 python3.11-venv
    else
        apt-get install -y -qq python3 python3-venv
    fi
    PYTHON="$(find_python)" || { echo "setup.sh: no Python 3.11+ with venv could be installed" >&2; exit 1; }
fi
echo "setup.sh: using $PYTHON ($("$PYTHON" --version))"

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-cache-dir)
if [ -n "$TORCH_INDEX" ]; then
    # The CPU wheel: about 200 MB installed instead of several GB of CUDA libraries.
    "${PIP[@]}" --index-url "$TORCH_INDEX" torch==2.13.0
fi
"${PIP[@]}" -r "$SOURCE/requirements.txt"
"$VENV/bin/python" -m pip check
"$VENV/bin/python" -c 'import torch; print("setup.sh: torch", torch.__version__, "(CPU build)" if torch.version.cuda is None else "(a CUDA build: check the torch index)")'
echo "setup.sh: installed size of $VENV: $(du -sh "$VENV" | cut -f1)"

# The accounts student code runs as: no home, no login, no groups of ours. A grading holds one for its
# whole length (after each child it ends every process of its account), so gradings side by side on one
# machine never end each other's; on Gradescope each container grades alone and uses the first.
pool=()
for k in $(seq 1 "$ACCOUNTS"); do
    name="$STUDENT"
    [ "$k" -gt 1 ] && name="$STUDENT-$k"
    if ! id -u "$name" >/dev/null 2>&1; then
        useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$name"
    fi
    pool+=("$name")
done
(IFS=,; echo "${pool[*]}") > "$SOURCE/student_accounts"

# The reference, the rubric and the secret seed live in source; results are written by root only.
chown -R root:root "$SOURCE"
chmod -R go-rwx "$SOURCE"
mkdir -p "$ROOT/results"
chown root:root "$ROOT/results"
chmod 700 "$ROOT/results"
echo "setup.sh: done; student code will run as one of ${pool[*]}"
