"""`autograder mutants` on a fixed sample: real gradings in the sandbox, trainings shared, the table and the verdict line.

The full run (all mutants) is bench/mutants.sh; its figures are in the README.
"""

import json
import subprocess
import sys

from conftest import HANG_SECONDS, ROOT

import pytest

pytestmark = pytest.mark.slow  # real gradings in children

SAMPLE = [
    "Grad/drop-method/2",       # equivalent: Grad without .clone() still leaves the caller's array alone
    "Grad/pooling/1",           # the hidden layer instead of the pooled output
    "Mix/drop-root/1",          # also changes MixClassifier, which calls Mix: a training of its own
    "hand/frob_missing_h",      # a hand-written wrong submission of the core catalog
]


def test_the_sample_is_graded_and_every_non_equivalent_mutant_is_killed(tmp_path):
    run = subprocess.run([sys.executable, "-m", "autograder", "mutants", "--homework", "nn2", "--out", str(tmp_path), "--only", *SAMPLE],
                         capture_output=True, text=True, cwd=ROOT, timeout=HANG_SECONDS)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "killed 3 of 3 non-equivalent mutants" in run.stdout
    assert "| Grad | 2 | 1 | 1 | 0 | 0 |" in run.stdout
    outcomes = {o["id"]: o for o in json.loads((tmp_path / "mutants.json").read_text())}
    assert set(outcomes) == set(SAMPLE)
    assert outcomes["Grad/drop-method/2"]["verdict"] == "equivalent" and outcomes["Grad/drop-method/2"]["score"] == 40
    assert outcomes["Grad/pooling/1"]["lost"] == ["Grad"]
    assert any("pooling" in h for h in outcomes["Grad/pooling/1"]["hints"])
    assert set(outcomes["Mix/drop-root/1"]["lost"]) >= {"Mix", "MixClassifier"}
    assert outcomes["hand/frob_missing_h"]["lost"] == ["FrobClassifier"]
    # Grad's mutants train what the reference trains: those trainings were shared, not repeated.
    assert len(list((tmp_path / "trainings").glob("*.json"))) == 4  # reference Frob and Mix, Mix's MixC, hand Frob
