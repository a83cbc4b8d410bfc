"""Feedback that names the mistake: each classic mistake, made by a mutant of the reference,
gets its one sentence in the feedback of its part; the reference and the correct styles get none.

The mutants' answers are computed in this process (they are our own code) and scored by the
grader's own checks (grade.score), so each hint costs a fraction of a second; the full
mutation run (`autograder mutants`) grades the same mutants in the sandbox, trainings included.
"""

import ast

import numpy as np
import pytest

import catalog
import inprocess
from autograder.grading import expectations, grade, questions
from autograder import rubric as rubric_module
from autograder.feedback.sentences import MISTAKE_MARK
from autograder.mutants import generate
from conftest import NN2, PART_NAMES, NN2_RUBRIC, edited

# Not asked here (their trainings run in the full gradings): the checks of long questions.
TRAINING_CHECKS = {c.number for c in NN2_RUBRIC.checks if c.id.endswith("_training")}
REFERENCE = NN2.reference.read_text()
MUTANTS = {m.id: m for m in generate.generate(REFERENCE, NN2.module("mutants"), NN2.answers)}
LAMBDAS = vars(NN2_RUBRIC.tables.penalty)

# (mutant, part whose feedback names it, the start of the sentence)
HINTS = [
    ("Mix/swap-dim/1", "Mix", "The l1 norms are taken over the wrong axis of the weight"),
    ("Mix/drop-root/1", "Mix", "The square root is missing."),
    ("Mix/drop-square/1", "Mix", "The rows' l1 norms are not squared before they are summed."),
    ("Mix/move-square/1", "Mix", "That is ||W||_Frob, not ||W||_Mix."),
    ("Mix/move-root/1", "Mix", "That is the entrywise l1 norm"),
    ("Mix/drop-abs/1", "Mix", "The absolute value is missing."),
    ("Grad/norm-of-mean/1", "Grad", "That is the norm of the mean gradient"),
    ("Grad/norm-of-mean/2", "Grad", "That is the norm of the summed gradient."),
    ("Grad/mean-sum/1", "Grad", "Grad sums over the samples instead of averaging."),
    ("Grad/pooling/1", "Grad", "f is taken without the pooling with s"),
    ("Grad/norm-p/4", "Grad", "Grad averages the squared norms."),
    ("Grad/global-data/1", "Grad", "Grad reads the global Xtest instead of its argument X."),
    ("FrobClassifier/hidden-size/3", "FrobClassifier", "The factor h is missing."),
    ("FrobClassifier/constant/9", "FrobClassifier", "sqrt(h) is not squared with the norm."),
    ("FrobClassifier/drop-square/1", "FrobClassifier", "The square is missing."),
    ("FrobClassifier/swap-lambda/1", "FrobClassifier", f"Wrong lambda: {LAMBDAS['mix_lambda']:g} is MixClassifier's."),
    ("FrobClassifier/all-parameters/1", "FrobClassifier", "The bias is penalized too."),
    ("MixClassifier/drop-square/1", "MixClassifier", "The square is missing."),
    ("MixClassifier/swap-lambda/1", "MixClassifier", f"Wrong lambda: {LAMBDAS['frob_lambda']:g} is FrobClassifier's."),
    ("Mix/swap-dim/1", "MixClassifier", "||W||_Mix in the penalty takes its l1 norms over the wrong axis"),
    ("MixClassifier/all-parameters/1", "MixClassifier", "The bias is penalized too."),
]
# Mistakes recognised from the type of what came back rather than from its value.
NO_GRADIENT = [
    ("FrobClassifier/detach/1", "FrobClassifier", "cannot be differentiated"),
    ("FrobClassifier/numpy-roundtrip/1", "FrobClassifier", "cannot be differentiated"),
    ("MixClassifier/item/1", "MixClassifier", "returned a float, not a torch tensor"),
    ("Mix/detach/1", "MixClassifier", "not connected to the weights"),
]


def graded_in_process(source: str, tmp_path) -> grade.Graded:
    """The grader's checks on answers computed here; trainings are not asked (their checks fail)."""
    return inprocess.graded(NN2, source, tmp_path)


def feedback(graded: grade.Graded, part: str) -> str:
    return "\n".join(t["output"] for t in graded.data["tests"] if part in t["tags"] and t["number"] not in TRAINING_CHECKS)


def declared_mistakes(hw) -> list[str]:
    """The start of every Mistake(...) name the pack's checks declare (an f-string up to its first field)."""
    found = []
    for path in sorted(hw.checks_folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Mistake" and node.args:
                first = node.args[0]
                if isinstance(first, ast.JoinedStr):
                    first = first.values[0]
                found.append(first.value)
    return found


def test_every_named_mistake_of_the_pack_is_made_here_by_a_mutant_or_by_a_wrong_catalog_entry():
    declared = declared_mistakes(NN2)
    made = [sentence for _, _, sentence in HINTS] + [h for e in catalog.entries("wrong", NN2) for h in e.hints]
    assert declared and [d for d in declared if not any(m.startswith(d) or d.startswith(m) for m in made)] == []
    assert {m for m, _, _ in HINTS + NO_GRADIENT} <= set(MUTANTS)  # every mutant named here exists


@pytest.mark.parametrize("mutant_id, part, sentence", HINTS, ids=[f"{m}->{p}" for m, p, _ in HINTS])
def test_a_classic_mistake_gets_its_sentence_in_its_part(mutant_id, part, sentence, tmp_path):
    graded = graded_in_process(MUTANTS[mutant_id].source, tmp_path)
    text = feedback(graded, part)
    assert f"{MISTAKE_MARK} {sentence}" in text, text
    # One mistake, one sentence: no other part is told about a mistake it did not make.
    for other in PART_NAMES:
        if other != part and not (mutant_id.startswith("Mix/") and other in ("Mix", "MixClassifier")):
            assert MISTAKE_MARK not in feedback(graded, other), other


@pytest.mark.parametrize("mutant_id, part, words", NO_GRADIENT, ids=[m for m, _, _ in NO_GRADIENT])
def test_a_penalty_cut_off_from_autograd_is_named(mutant_id, part, words, tmp_path):
    graded = graded_in_process(MUTANTS[mutant_id].source, tmp_path)
    assert words in feedback(graded, part)


def test_the_reference_gets_no_hint_in_process(tmp_path):
    graded = graded_in_process(REFERENCE, tmp_path)
    for part in PART_NAMES:
        assert MISTAKE_MARK not in feedback(graded, part)
        assert all(t["status"] == "passed" for t in graded.data["tests"]
                   if part in t["tags"] and t["number"] not in TRAINING_CHECKS)


# ----------------------------------------------------------------------------- a constant factor, named

FACTOR = "times the expected one on every network asked: a constant factor is off"
FACTOR_FAMILIES = ("constant", "swap-lambda", "hidden-size")


def constant_ratio_of(answers, asked, computed, part) -> bool:
    """Whether found/expected is one number (not 1) on every value question of the part: computed here
    with numpy, independently of autograder/factors.py."""
    ratios = [a["value"] / computed.value(q) for q in asked if q.part == part and not q.long
              and not q.advisory and not q.repeat_of and (a := answers[q.id]).ok and computed.value(q) != 0]
    # A factor 0 is a constant answer, which hardcoded.py names instead.
    return (len(ratios) >= 4 and not np.isclose(ratios[0], 1, rtol=1e-3) and abs(ratios[0]) > 1e-6
            and np.allclose(ratios, ratios[0], rtol=1e-4))


def test_every_constant_factor_mutant_gets_the_factor_sentence_or_a_named_mistake(tmp_path):
    computed = expectations.Computed(NN2, NN2_RUBRIC)
    kinds = NN2.gradings()
    named = []
    for mutant in MUTANTS.values():
        if mutant.operator not in FACTOR_FAMILIES or mutant.target == "Grad":
            continue
        sub, qs, raw = inprocess.answered(NN2, mutant.source, tmp_path, parts={mutant.target})
        answers = {q.id: questions.clean(raw[q.id], q, kinds[q.kind]) for q in qs[0]}
        if not constant_ratio_of(answers, qs[0], computed, mutant.target):
            continue
        text = feedback(grade.score(NN2, sub, NN2_RUBRIC, qs, raw, [], [], 0.0), mutant.target)
        assert FACTOR in text or MISTAKE_MARK in text, (mutant.id, text)
        named.append(mutant.id)
    # x2, /2, the lambdas swapped, sqrt(h) for h: at least these.
    assert len(named) >= 6, named


def test_correct_answers_are_never_told_of_a_factor(tmp_path):
    graded = graded_in_process(REFERENCE, tmp_path)
    assert all(FACTOR not in t["output"] for t in graded.data["tests"])


def test_a_hidden_failure_points_to_the_public_message_when_the_public_checks_fail_too():
    from autograder.feedback.sentences import hidden_summary

    alone = hidden_summary("Mix(nn)", 3, 5, None, public_failed=False)
    along = hidden_summary("Mix(nn)", 3, 5, None, public_failed=True)
    assert "no global variables, no fixed sizes" in alone and "fail too" not in alone
    assert "The public checks of this part fail too" in along and "global" not in along
    crash = hidden_summary("Mix(nn)", 1, 5, "Mix(nn) raised an exception", public_failed=True)
    assert crash.endswith("The first problem: Mix(nn) raised an exception")


# ----------------------------------------------------------------------------- how much a hint says

def rubric_with_hints(tmp_path, level: str):
    path = tmp_path / f"hints_{level}.toml"
    path.write_text(edited(NN2.rubric_path.read_text(), 'hints = "name"', f'hints = "{level}"'))
    return path


def test_the_default_names_a_mistake_without_writing_its_fix(tmp_path):
    from autograder.feedback.sentences import Mistake

    assert NN2_RUBRIC.hints == "name"
    text = feedback(graded_in_process(MUTANTS["Mix/swap-dim/1"].source, tmp_path), "Mix")
    assert f"{MISTAKE_MARK} The l1 norms are taken over the wrong axis" in text
    assert "dim=0" not in text  # the fix: which axis
    assert Mistake("a", "b", 0).sentence("fix") == "a b" and Mistake("a", "b", 0).sentence("off") is None


@pytest.mark.parametrize("level", ["fix", "off"])
def test_the_rubric_decides_whether_a_hint_also_says_the_fix_or_is_left_out(level, tmp_path):
    path = rubric_with_hints(tmp_path, level)
    r = rubric_module.load(NN2, path)
    assert r.hints == level
    sub, qs, raw = inprocess.answered(NN2, MUTANTS["Mix/swap-dim/1"].source, tmp_path)
    text = feedback(grade.score(NN2, sub, r, qs, raw, [], [], 0.0), "Mix")
    if level == "fix":
        assert f"{MISTAKE_MARK} The l1 norms are taken over the wrong axis" in text and "over dim=0 of the weight" in text
    else:
        assert MISTAKE_MARK not in text and "Mix(nn) returned" in text


def test_an_unknown_hints_level_is_refused_with_the_choices(tmp_path):
    from autograder.errors import RubricError

    path = rubric_with_hints(tmp_path, "full")
    with pytest.raises(RubricError) as refused:
        rubric_module.load(NN2, path)
    assert str(refused.value) == (f"{path}: `feedback.hints` must be one of 'name', 'fix', 'off' (named mistakes: "
                                  "name only names the mistake, fix also says how to fix it, off leaves them out), "
                                  "got 'full'")


def test_a_rubric_without_a_feedback_table_names_mistakes(tmp_path):
    text = NN2.rubric_path.read_text()
    start = text.index("[feedback]")
    end = text.index("hints = ", start)
    end = text.index("\n", end) + 1
    path = tmp_path / "older.toml"
    path.write_text(text[:start] + text[end:])
    assert rubric_module.load(NN2, path).hints == "name"
