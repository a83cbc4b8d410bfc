"""Gradescope's results.json: one entry per check, the whole file, written atomically.

`entry()` and `results()` are pure functions of what happened, so the JSON is easy to test; the
runner that runs the checks and calls them is runner.py.
"""

from __future__ import annotations

import json
import os
import tempfile

from pathlib import Path

def entry(name: str, meta: dict, passed: bool, output: str) -> dict:
    """One test of results.json; a failed check scores 0 of its weight."""
    return {
        "name": name,
        "number": meta["number"],
        "score": meta["weight"] if passed else 0.0,
        "max_score": meta["weight"],
        "status": "passed" if passed else "failed",
        "output": output,
        "visibility": meta["visibility"],
        "tags": meta["tags"],
    }


def results(tests: list[dict], output: str, seconds: float, extra: dict | None = None) -> dict:
    return {
        "score": round(sum(t["score"] for t in tests), 6),
        "execution_time": round(seconds, 2),
        "output": output,
        "tests": tests,
        **(extra or {}),
    }


def write_atomically(data: dict, path: Path) -> None:
    """Write to a temporary file beside `path`, then rename: a reader never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".results-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2)
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
