"""The reference material: the solved notebook reproduces the sheet, and every derived file is up to date."""

import subprocess
import sys
import textwrap

import nbformat
import numpy as np
import pytest

from autograder.homeworks.nn2 import networks, oracle
from autograder.homeworks.nn2.child import answers as probes
from autograder.homeworks.nn2.networks import data
from autograder.scaffold import handouts
from conftest import HANG_SECONDS, NN2, REFERENCE_NOTEBOOK, ROOT, SHIPPED, SHIPPED_PACKS

handout = NN2.handout

# The lines of the course's own run that are stable across machines and PyTorch versions.
SPEC_LINES = [
    ">    RForest | Train Acc:  1.000 | Test Acc:  0.940",
    ">        SVC | Train Acc:  0.958 | Test Acc:  0.951",
    ">     Before | Train Acc:  0.391 | Test Acc:  0.372 | Grad:   0.389 | WMix:   4.966 | sqrt(h)*WFrob:   5.751",
    ">      After | Train Acc:  1.000 | Test Acc:  0.884 | Grad:   7.297 | WMix:  40.103 | sqrt(h)*WFrob:  56.739",
]


@pytest.mark.slow
def test_the_solved_notebook_prints_the_sheets_before_after_and_baseline_lines():
    nb = nbformat.read(REFERENCE_NOTEBOOK, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    # Up to the penalized runs (bands, not exact lines) and the self-check cell.
    script = "\n\n".join(code[:code.index(handout.defining("nnfrob"))])
    script += "\nprint(pretty('RForest',rfc)); print(pretty('SVC',svc))\n"
    run = subprocess.run([sys.executable, "-c", script], cwd=NN2.reference.parent, capture_output=True,
                         text=True, timeout=HANG_SECONDS)
    assert run.returncode == 0, run.stderr
    printed = run.stdout.splitlines()
    for line in SPEC_LINES:
        assert line in printed


@pytest.mark.parametrize("hw", SHIPPED_PACKS, ids=SHIPPED)
def test_the_handout_solution_and_model_answers_are_what_the_solved_notebook_makes(hw):
    """One solved notebook with solution marks (Homework.master) makes the handout, the grader's handout.json,
    the clean solved notebook and the model answers; each committed file is what it makes today."""
    files = handouts.expected_files(hw)
    assert len(files) == 4
    for path, text in files.items():
        assert path.read_text() == text, f"{path} is stale: run `autograder build handout --homework {hw.id}`"


@pytest.mark.parametrize("hw", SHIPPED_PACKS, ids=SHIPPED)
def test_each_handout_keeps_its_todo_bodies_and_its_solution_has_none(hw):
    handout_text = hw.template.read_text()
    solution = hw.reference.with_suffix(".ipynb").read_text()
    assert handout_text.count("# TODO: Replace by your code") == len(hw.handout.ANSWERS)
    assert "TODO" not in solution


@pytest.mark.parametrize("hw", SHIPPED_PACKS, ids=SHIPPED)
def test_utils_of_reference_and_handout_is_the_graders_data_function(hw):
    canonical = (hw.folder / "child" / "utils.py").read_bytes()
    for folder in (hw.reference.parent, hw.template.parent):
        assert (folder / "utils.py").read_bytes() == canonical


def test_the_stored_data_is_bit_for_bit_what_the_data_function_returns():
    from autograder.homeworks.nn2.child import stored, utils

    for a, b in zip(stored.breast_cancer(), utils.breast_cancer()):
        assert a.dtype == b.dtype and np.array_equal(a, b)


def test_the_data_function_follows_the_sheet():
    from autograder.homeworks.nn2.child import utils

    d = dict(zip(["Xtrain", "Ttrain", "Xtest", "Ttest"], utils.breast_cancer()))
    assert d["Xtrain"].shape == (284, 30) and d["Xtest"].shape == (285, 30)
    assert np.allclose(d["Xtrain"].mean(axis=0), 0) and np.allclose(d["Xtrain"].std(axis=0), 1, atol=1e-6)
    from sklearn.datasets import load_breast_cancer
    T = load_breast_cancer()["target"] * 2 - 1
    P = np.random.RandomState(0).permutation(len(T))
    flipped = np.flatnonzero(d["Ttrain"] != T[P[:284]])
    assert list(flipped) == list(range(0, 284, 25)) and len(flipped) == 12
    assert set(np.unique(d["Ttest"])) == {-1, 1}


def test_the_public_networks_are_the_handouts_network_before_and_after_fit():
    namespace, _ = probes.prepare([], {}, lambda *a: [])
    layer = list(namespace["NeuralNetworkClassifier"]().model)[0]
    public = networks.public()
    assert np.array_equal(public["initial"].W, layer.weight.detach().numpy().astype(np.float64))
    assert np.array_equal(public["initial"].b, layer.bias.detach().numpy().astype(np.float64))
    # The trained weights reproduce the sheet's "After" line.
    W, b, s, d = public["trained"].W, public["trained"].b, oracle.pooling_signs(), data()
    assert round(oracle.grad(W, b, s, d["Xtest"]), 3) == 7.297
    assert round(oracle.mix(W), 3) == 40.103
    assert round(10 * oracle.frob(W), 3) == 56.739
    assert round(oracle.accuracy(W, b, s, d["Xtrain"], d["Ttrain"]), 3) == 1.000
    assert round(oracle.accuracy(W, b, s, d["Xtest"], d["Ttest"]), 3) == 0.884
