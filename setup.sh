#!/usr/bin/env bash
# Create .venv and install the autograder with every dependency pinned. Idempotent:
# a second run with unchanged requirements does nothing but check.
set -euo pipefail
# The checkout itself, even when run through a link (a folder of links to it, as tests/test_docs.py makes):
# installing from the link would point the venv's scripts and editable install at that folder.
cd "$(dirname "$(readlink -f "$0")")"

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
"$PYTHON" -c 'import sys; assert sys.version_info >= (3, 10), sys.version' \
    || { echo "setup.sh: Python 3.10 or newer is needed" >&2; exit 1; }

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi

stamp=.venv/.installed
want="$(cat requirements.txt requirements-dev.txt pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && .venv/bin/python -c 'import autograder, torch' 2>/dev/null; then
    echo "setup.sh: .venv is up to date"
    exit 0
fi

# --no-deps for the project itself: the requirements files already hold every package, pinned,
# so nothing can pull a newer (CUDA) torch behind our back.
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
.venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
.venv/bin/python -m pip check
echo "$want" > "$stamp"
echo "setup.sh: installed into .venv ($(.venv/bin/python -c 'import torch; print("torch", torch.__version__)'))"
