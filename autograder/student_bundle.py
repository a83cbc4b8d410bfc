"""`autograder build student`: the zip handed out to students.

It holds the handout notebook, utils.py, and the self-check: the grader's
public checks and what they need to run, with the expected values of the
public checks stored as numbers. Left out on purpose: the oracle, the hints'
formulas, the grading verb, the Gradescope deployment, the TOML rubric (a JSON
copy is made: Python 3.10 reads no TOML), and any secret seed.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from . import expectations, paths, rubric as rubric_module
from .gradescope.build import write

PACKAGE = Path(__file__).resolve().parent
REPO = PACKAGE.parent
# The self-check's share of the package, and nothing else.
MODULES = (
    "__init__.py", "__main__.py", "cli.py", "errors.py", "feedback.py", "rubric.py", "questions.py",
    "networks.py", "expectations.py", "selfcheck.py", "submission.py", "probes.py",
    "checks/__init__.py", "checks/check_mix.py", "checks/check_grad.py", "checks/check_frob_classifier.py",
    "checks/check_mix_classifier.py", "checks/penalties.py",
    "sandbox/__init__.py", "sandbox/runner.py", "sandbox/output.py", "sandbox/kit.py", "sandbox/child.py", "sandbox/landlock.py",
    "scaffold/__init__.py", "scaffold/handout.py", "scaffold/stored.py", "scaffold/utils.py",
    "scaffold/breast_cancer.npz", "data/public_networks.npz", "paths.py", "uploads.py", "hardcoded.py", "factors.py", "sealed.py",
)
README = """\
# Neural Networks 2: handout and self-check

Open `neural_networks_2.ipynb` in Jupyter, replace the four `# TODO` bodies, and run the last
cell: it runs the public checks of the autograder on your answers and says what to fix.

From a terminal, in this folder (Python 3.10 or newer with numpy, torch and nbformat, as for the
notebook itself):

    python -m autograder check neural_networks_2.ipynb

It exits with status 0 when every public check passes. The checks, tolerances and messages are
the ones Gradescope shows; hidden checks on inputs you have not seen are graded after you submit.
The self-check needs no network and holds no solution: its expected values are stored numbers
for the two public networks.
"""


def main(*, out: str | Path, rubric_path: str | Path | None = None) -> Path:
    """The bundle for `rubric_path`: its points, tolerances, visibility and lambdas, as Gradescope will grade."""
    rubric = rubric_module.load(rubric_path)
    out = paths.output_file(out, "--out", "neural_networks_2_student.zip")
    numbers = expectations.public_numbers(rubric)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        write(z, "neural_networks_2.ipynb", (REPO / "student_template" / "neural_networks_2.ipynb").read_bytes())
        write(z, "utils.py", (PACKAGE / "scaffold" / "utils.py").read_bytes())
        write(z, "README.md", README.encode())
        for name in MODULES:
            write(z, f"autograder/{name}", (PACKAGE / name).read_bytes())
        write(z, "autograder/rubric.json", json.dumps(public_rubric(rubric), indent=1).encode())
        write(z, "autograder/data/public_expected.json", json.dumps(numbers, indent=0, sort_keys=True).encode())
    return out


def public_rubric(rubric) -> dict:
    """The rubric as the self-check needs it (hidden checks keep their points, for the total)."""
    return {
        "total": rubric.total,
        "parts": rubric.parts,
        "tolerance": {"rtol": rubric.rtol, "atol": rubric.atol, "grad_rtol": rubric.grad_rtol,
                      "grad_atol": rubric.grad_atol},
        "penalty": {"frob_lambda": rubric.frob_lambda, "mix_lambda": rubric.mix_lambda},
        "limits": {"load_seconds": rubric.load_seconds, "call_seconds": rubric.call_seconds,
                   "train_seconds": rubric.train_seconds, "memory_mb": rubric.memory_mb,
                   "processes": rubric.processes, "open_files": rubric.open_files,
                   "disk_mb": rubric.disk_mb},
        "hidden": {"seed_file": "no_seed_in_the_student_bundle", "networks": rubric.hidden_networks},
        "bands": {part: {k: list(v) for k, v in bands.items()} for part, bands in rubric.bands.items()},
        "check": [{"id": c.id, "part": c.part, "number": c.number, "name": c.name, "points": c.points,
                   "visibility": c.visibility} for c in rubric.checks],
    }

