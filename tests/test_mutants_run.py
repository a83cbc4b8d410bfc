"""`autograder mutants`: every family of every shipped pack graded for real, and equivalence judged where
students run their code.

The full runs (every mutant) are a benchmark: bench/mutants.sh writes their table under bench/results/.
Here one mutant of each family (the one whose change reaches the fewest trainings) is graded in the sandbox,
so that a family that misjudges, or a grader that lets a family through, fails CI. The hand-written wrong
submissions are graded by tests/test_catalog.py (each loses exactly its parts: killed); here their
judgement is checked (none is equivalent).
"""

import json
import subprocess
import sys

import pytest

from autograder.mutants import native, run
from conftest import HANG_SECONDS, NN2, ROOT, SHIPPED_PACKS

DTYPE = "must have the same dtype"


def generated_sample(hw):
    return [m for m in run.one_per_family(hw, run.mutants_of(hw)) if m.operator != "hand-written"]


@pytest.mark.slow  # real gradings in children, trainings included
@pytest.mark.parametrize("hw", SHIPPED_PACKS, ids=lambda hw: hw.id)
def test_one_mutant_of_every_family_is_graded_and_each_is_killed_or_rightly_equivalent(hw, tmp_path):
    sample = generated_sample(hw)
    assert {m.operator for m in sample} == {m.operator for m in run.mutants_of(hw, include_hand_written=False)}
    done = subprocess.run([sys.executable, "-m", "autograder", "mutants", "--homework", hw.id, "--out", str(tmp_path),
                           "--jobs", "2", "--only", *(m.id for m in sample)],
                          capture_output=True, text=True, cwd=ROOT, timeout=HANG_SECONDS)
    assert done.returncode == 0, done.stdout + done.stderr
    outcomes = {o["id"]: o for o in json.loads((tmp_path / "mutants.json").read_text())}
    assert set(outcomes) == {m.id for m in sample}
    assert {o["verdict"] for o in outcomes.values()} <= {"killed", "equivalent"}, done.stdout
    different = [o for o in outcomes.values() if not o["equivalent"]]
    assert f"killed {len(different)} of {len(different)} non-equivalent mutants" in done.stdout
    if hw.id == "nn2":  # the slip that float64 hid: killed, and its line says why
        slip = outcomes["Grad/drop-keyword/1"]
        assert slip["verdict"] == "killed" and DTYPE in slip["why_different"]
        assert any(DTYPE in taken for taken in slip["taken"])
        assert DTYPE in (tmp_path / "mutants.md").read_text()


def test_the_reference_answers_the_graders_questions_as_itself():
    for hw in SHIPPED_PACKS:
        reference = hw.reference.read_text()
        assert native.difference(hw, reference, reference) == ""


def test_a_dtype_slip_that_float64_hides_is_not_equivalent_where_students_run_it():
    mutants = {m.id: m for m in run.mutants_of(NN2, include_hand_written=False)}
    slip, reference = mutants["Grad/drop-keyword/1"], NN2.reference.read_text()
    assert NN2.module("equivalence").equivalent(slip.source, reference) == (True, "")  # float64 alone: equal
    same, why = run.judge(NN2, [slip], reference)[slip.id]
    assert not same and why.startswith("where students run it: Grad: the handout's initial network")
    assert f"RuntimeError: mat1 and mat2 {DTYPE}" in why


@pytest.mark.parametrize("hw", SHIPPED_PACKS, ids=lambda hw: hw.id)
def test_no_hand_written_wrong_submission_is_judged_equivalent(hw):
    hand = [m for m in run.mutants_of(hw) if m.operator == "hand-written"]
    assert hand, "the pack's catalog of wrong submissions is empty"
    decided = run.judge(hw, hand, hw.reference.read_text())
    assert [m.id for m in hand if decided[m.id][0]] == []


def test_a_wrongly_failed_mutant_shows_the_evidence_beside_the_graders_words():
    outcome = run.Outcome("Grad/x/1", "Grad", "x", "a -> b", True, run.EVIDENCE, 27.5, ["Grad"],
                          taken=["[2.1] Grad(nn,X) on the handout's initial network (-4): Grad(nn,X) raised ..."])
    lines = run.verdict_lines(outcome).splitlines()
    assert lines[0] == "WRONGLY FAILED: Grad/x/1: a -> b"
    assert lines[1] == f"    judged equivalent: {run.EVIDENCE}"
    assert lines[3].strip() == outcome.taken[0]
