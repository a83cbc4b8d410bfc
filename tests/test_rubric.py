"""The rubric file: the packaged one is valid, and a broken one says which key is wrong."""

import pytest

from autograder import rubric
from autograder.errors import RubricError
from conftest import NN2

PACKAGED = NN2.rubric_path.read_text()
MIX_POINTS = rubric.load(NN2).parts["Mix"]


def test_the_packaged_rubric_totals_40_with_the_sheets_part_points():
    r = rubric.load(NN2)
    assert r.total == 40
    assert r.parts == {"Mix": 12.5, "Grad": 12.5, "FrobClassifier": 7.5, "MixClassifier": 7.5}
    assert {c.part for c in r.checks} == set(r.parts)
    assert all(c.visibility != "visible" for c in r.checks if "hidden" in c.id)


@pytest.mark.parametrize("change, message", [
    (('number = "1.1"\nname = "Mix on the handout\'s initial network"\npoints = 4',
      'number = "1.1"\nname = "Mix on the handout\'s initial network"\npoints = 5'),
     f"checks of Mix add up to {MIX_POINTS + 1:g} points, [parts] says {MIX_POINTS:g}"),
    (('visibility = "after_due_date"', 'visibility = "later"'), "[[check]] `mix_hidden_networks`: `visibility` must be one of"),
    (("rtol = 1e-4", 'rtol = "tight"'), "`tolerance.rtol` must be a number"),
    (("train_accuracy = [0.93, 0.975]", "train_accuracy = [0.99, 0.9]"), "bands.FrobClassifier.train_accuracy"),
    (("total = 40", "total = 41"), "total says 41"),
    (("call_seconds = 30", "call_seconds = -1"), "`limits.call_seconds` must be at least 0.1"),
    (("count = 5", "cuont = 5"), "unknown key `hidden.cuont` (did you mean `hidden.count`?)"),
    (("mix_lambda = 0.025", "mix_lamda = 0.025"), "unknown key `penalty.mix_lamda` (did you mean `penalty.mix_lambda`?)"),
    (("[bands.MixClassifier]", "[bands.MixClasifier]"), "unknown key `bands.MixClasifier`"),
    (('homework = "nn2"', 'homework = "hessian"'), "this rubric is for the homework `hessian`, not `nn2`"),
    (('id = "mix_initial_network"', 'id = "mix_initial_netwrk"'),
     "[[check]] `mix_initial_netwrk`: no check has this id (did you mean `mix_initial_network`?)"),
    (('id = "grad_single_rows"', 'id = "grad_single_rows"\nhidden = true'), "unknown key `check.hidden`"),
])
def test_a_broken_rubric_names_the_key_and_the_file(tmp_path, change, message):
    path = tmp_path / "rubric.toml"
    old, new = change
    assert old in PACKAGED
    path.write_text(PACKAGED.replace(old, new, 1))
    with pytest.raises(RubricError) as info:
        rubric.load(NN2, path)
    assert message in str(info.value) and str(path) in str(info.value)


def test_a_rubric_that_is_not_toml_is_refused(tmp_path):
    path = tmp_path / "rubric.toml"
    path.write_text("total = [")
    with pytest.raises(RubricError, match="not valid TOML"):
        rubric.load(NN2, path)
