"""Every check's verdict on every catalog submission, kept in tests/submissions/verdicts.json.

A change that must move no verdict (subnormals flushed in the children, a faster path) is proved
against this file: `test_catalog.py` grades the catalog and compares, check by check. Written by

    .venv/bin/python tests/verdicts.py        (in the tree whose verdicts are the reference)

and written again only when a change is meant to move verdicts (say which, in the commit).
Verdicts, not points: the points follow from the rubric, which an instructor may change.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FILE = HERE / "submissions" / "verdicts.json"


def of_grading(data: dict, rubric) -> dict[str, str]:
    """check id -> "passed" or "failed", from a grading's results.json (tests carry the rubric's numbers)."""
    by_number = {c.number: c.id for c in rubric.checks}
    return {by_number[t["number"]]: t["status"] for t in data["tests"]}


def main() -> None:
    sys.path.insert(0, str(HERE))
    import catalog
    from autograder.grading import grade
    from autograder import rubric
    from autograder.grading.trainings import Trainings
    from conftest import SHIPPED_PACKS

    shared, found = Trainings(), {}
    with tempfile.TemporaryDirectory() as tmp:
        for hw in SHIPPED_PACKS:  # a course's own pack installed here has no verdicts in this file
            r = rubric.load(hw)
            for kind in ("correct", "wrong"):
                for entry in catalog.entries(kind, hw):
                    notebook = catalog.notebook(entry, Path(tmp))
                    graded = grade.main(submission=notebook, results_path=Path(tmp) / "r.json", homework=hw,
                                        trainings=shared)
                    found[f"{hw.id}/{entry.name}"] = of_grading(graded.data, r)
                    print(f"{hw.id}/{entry.name}: {graded.score:g}", flush=True)
    FILE.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    print(f"wrote {FILE} ({len(found)} submissions)")


if __name__ == "__main__":
    main()
