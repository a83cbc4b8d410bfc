"""Sharing trainings between gradings of our own code: the key is exactly the code a class depends on."""

import inprocess
from autograder import submission
from autograder.trainings import Trainings
from conftest import NN2, REFERENCE_NOTEBOOK, ROOT

REFERENCE = NN2.reference.read_text()


def load(tmp_path, text):
    path = tmp_path / "s.py"
    path.write_text(text)
    return submission.load(path, NN2.handout)


def keys(tmp_path, text):
    sub = load(tmp_path, text)
    trainings = [q for q in inprocess.asked(NN2, seed=False)[0] if q.long]
    return {q.part: Trainings.key(sub, q, NN2) for q in trainings}


def test_a_change_to_grad_keeps_both_keys(tmp_path):
    changed = REFERENCE.replace("dfdx.norm(dim=1).mean()", "dfdx.norm(dim=1).sum()")
    assert keys(tmp_path, changed) == keys(tmp_path, REFERENCE)


def test_a_change_to_mix_changes_the_key_of_the_class_that_calls_it_only(tmp_path):
    changed = REFERENCE.replace("W.abs().sum(dim=0)", "W.abs().sum(dim=1)")
    before, after = keys(tmp_path, REFERENCE), keys(tmp_path, changed)
    assert after["FrobClassifier"] == before["FrobClassifier"]
    assert after["MixClassifier"] != before["MixClassifier"]


def test_helpers_and_constants_a_class_reads_are_part_of_its_key(tmp_path):
    text = REFERENCE.replace("return 0.005*(nh**.5*Frob(self))**2", "return LAM*(nh**.5*Frob(self))**2") + "\nLAM = 0.005\n"
    other = text.replace("LAM = 0.005", "LAM = 0.006")
    assert keys(tmp_path, text)["FrobClassifier"] != keys(tmp_path, other)["FrobClassifier"]
    assert keys(tmp_path, text)["MixClassifier"] == keys(tmp_path, other)["MixClassifier"]


def test_answers_are_shared_through_a_folder(tmp_path):
    first, second = Trainings(tmp_path / "t"), Trainings(tmp_path / "t")
    first.put("k", {"status": "ok", "W": [[1.0]]})
    assert second.get("k") == {"status": "ok", "W": [[1.0]]} and second.get("other") is None
    assert second.hits == 1


def test_comments_and_layout_do_not_change_a_key(tmp_path):
    reformatted = REFERENCE.replace("return 0.025*Mix(self)**2", "return 0.025 * Mix(self) ** 2  # lambda*||W||_Mix^2")
    assert keys(tmp_path, reformatted) == keys(tmp_path, REFERENCE)
