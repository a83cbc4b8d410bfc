"""The verdicts that matter, for every homework: right answers get every point, wrong ones lose exactly
the part they break, with the named mistake in the feedback."""

import re

import pytest

import catalog
from autograder import rubric
from autograder.feedback.sentences import MISTAKE_MARK
from conftest import NN2, REFERENCE_NOTEBOOK, SHIPPED_PACKS, feedback, lost_parts
from rendered import assert_renders_as_written

FACTOR = "a constant factor is off"
WITHHELD = "The points of this part, public checks included, are given for values computed from"
PACKS = SHIPPED_PACKS
WRONG = [e for hw in PACKS for e in catalog.entries("wrong", hw)]
CORRECT = [e for hw in PACKS for e in catalog.entries("correct", hw)]
NN2_WRONG = [e for e in WRONG if e.homework is NN2]
NN2_CORRECT = [e for e in CORRECT if e.homework is NN2]
pytestmark = pytest.mark.slow  # real gradings in children, trainings included


@pytest.mark.parametrize("hw", PACKS, ids=lambda hw: hw.id)
def test_each_catalog_breaks_every_part_and_writes_every_answer_otherwise(hw):
    """What the catalog is for: every part lost by some wrong submission, and every answer written in at
    least two ways of its own by the correct ones (other than the reference's), so that a check too tight
    for one correct style fails a test."""
    wrong, correct = catalog.entries("wrong", hw), catalog.entries("correct", hw)
    assert set().union(*(e.loses for e in wrong)) == set(hw.parts)
    reference = catalog.reference_answers(hw)
    for name in hw.handout.ANSWERS:
        styles = {catalog.answers_of(e.path.read_text(), hw).get(name) for e in correct} - {None, reference[name]}
        assert len(styles) >= 2, f"{name}: {len(styles)} correct way(s) of writing it besides the reference's"


@pytest.mark.parametrize("hw", PACKS, ids=lambda hw: hw.id)
def test_the_reference_solution_scores_full_marks(hw, grade_once):
    graded = grade_once(hw.reference.with_suffix(".ipynb"), hw=hw)
    r = rubric.load(hw)
    assert graded.score == r.total
    assert MISTAKE_MARK not in feedback(graded)
    assert graded.part_scores() == {p: (points, points) for p, points in r.parts.items()}


@pytest.mark.parametrize("hw", PACKS, ids=lambda hw: hw.id)
def test_the_untouched_handout_scores_0_and_says_not_implemented_per_part(hw, grade_once):
    graded = grade_once(hw.template, hw=hw)
    assert graded.score == 0
    for test in graded.data["tests"]:
        assert "not implemented yet" in test["output"], test


@pytest.mark.parametrize("entry", CORRECT, ids=lambda e: f"{e.homework.id}/{e.name}")
def test_a_correct_submission_written_differently_scores_full_marks(entry, grade_once, catalog_notebook):
    graded = grade_once(catalog_notebook(entry), hw=entry.homework)
    assert graded.score == rubric.load(entry.homework).total, feedback(graded)
    for words in (MISTAKE_MARK, FACTOR, WITHHELD):
        assert words not in feedback(graded), f"a correct submission was told {words!r}"


@pytest.mark.parametrize("name", ["prints_in_mix", "prints_in_reg"])
def test_printing_costs_nothing_and_is_noted_once(name, grade_once, catalog_notebook):
    graded = grade_once(catalog_notebook(next(e for e in NN2_CORRECT if e.path.stem == name)))
    assert graded.score == rubric.load(NN2).total
    notes = [line for line in graded.data["output"].splitlines() if "printed" in line]
    assert len(notes) == 1 and "Printing costs no points" in notes[0], graded.data["output"]


@pytest.mark.parametrize("name", ["mix_handout_numbers", "grad_handout_numbers"])
def test_answers_that_do_not_depend_on_the_input_earn_nothing_in_their_part(name, grade_once, catalog_notebook):
    entry = next(e for e in NN2_WRONG if e.path.stem == name)
    graded = grade_once(catalog_notebook(entry))
    for part in entry.loses:
        assert graded.part_scores()[part][0] == 0, feedback(graded, part)
        assert WITHHELD in feedback(graded, part)


def test_a_grad_reading_the_global_xtest_keeps_its_honest_partial_credit(grade_once, catalog_notebook):
    graded = grade_once(catalog_notebook(next(e for e in NN2_WRONG if e.path.stem == "grad_global_xtest")))
    r = rubric.load(NN2)
    passing = [c for c in r.checks if c.part == "Grad" and c.id == "grad_initial_network"]
    assert graded.part_scores()["Grad"] == (sum(c.points for c in passing), r.parts["Grad"])
    assert WITHHELD not in feedback(graded, "Grad")


@pytest.mark.parametrize("entry", WRONG, ids=lambda e: f"{e.homework.id}/{e.name}")
def test_a_wrong_submission_loses_points_exactly_in_the_parts_it_breaks(entry, grade_once, catalog_notebook):
    graded = grade_once(catalog_notebook(entry), hw=entry.homework)
    assert lost_parts(graded) == entry.loses, feedback(graded)
    for part in entry.loses:
        assert feedback(graded, part).strip(), f"{part} lost points without a word of feedback"
    for hint in entry.hints:
        assert hint in feedback(graded), f"expected the hint {hint!r}"


def test_feedback_on_a_public_check_shows_found_and_expected_values(grade_once, catalog_notebook):
    entry = next(e for e in NN2_WRONG if e.path.stem == "mix_wrong_axis")
    graded = grade_once(catalog_notebook(entry))
    first = next(t for t in graded.data["tests"] if t["number"] == rubric.load(NN2).check("mix_initial_network").number)
    assert first["output"].startswith("Mix(nn) returned ")
    assert "expected 4.966" in first["output"]


def test_every_catalog_message_shows_on_gradescope_as_written(grade_once, catalog_notebook):
    for entry in WRONG + CORRECT:
        graded = grade_once(catalog_notebook(entry), hw=entry.homework)
        for text in [graded.data["output"]] + [t["output"] for t in graded.data["tests"]]:
            assert_renders_as_written(text)


def test_hidden_checks_never_show_an_expected_value(grade_once, catalog_notebook):
    for entry in WRONG:
        graded = grade_once(catalog_notebook(entry), hw=entry.homework)
        for test in graded.data["tests"]:
            if test["visibility"] != "visible" and test["status"] == "failed":
                assert "expected" not in test["output"], test["output"]


def test_side_effects_of_grad_are_advice_and_cost_nothing(grade_once, catalog_notebook):
    entry = next(e for e in NN2_CORRECT if e.path.stem == "linalg_norm")  # backward() leaves .grad on the model
    graded = grade_once(catalog_notebook(entry))
    assert graded.score == 40
    assert "Advice (no points lost): Grad left gradients in the model's parameters" in feedback(graded, "Grad")


def test_the_same_submission_gets_the_same_results_on_every_run(catalog_notebook, tmp_path):
    from conftest import grade_file

    entry = next(e for e in NN2_WRONG if e.path.stem == "mixc_wrong_lambda")
    first = grade_file(catalog_notebook(entry), tmp_path / "a")
    second = grade_file(catalog_notebook(entry), tmp_path / "b")
    assert first.data["tests"] == second.data["tests"] and first.figures == second.figures


def test_one_core_grades_exactly_as_two(grade_once, catalog_notebook, tmp_path):
    """One child answering everything in turn (batch jobs, Gradescope's half CPU) is only a faster
    path: the same results as two children side by side, trained weights included."""
    from autograder.grading import grade

    for path in (REFERENCE_NOTEBOOK,
                 catalog_notebook(next(e for e in NN2_WRONG if e.path.stem == "mix_wrong_axis"))):
        two = grade_once(path)
        one = grade.main(submission=path, results_path=tmp_path / f"{path.stem}.json", lanes=1)
        assert one.data["tests"] == two.data["tests"] and one.figures == two.figures
        assert {event for _, lane, event in one.timeline if lane == 1} == set()  # really one child


# ----------------------------------------------------------------------------- the self-check agrees

def self_check(entry_path, hw, shared_trainings):
    """The self-check's outcomes for a notebook, its questions answered here as a child would (inprocess.ask)."""
    import io

    import inprocess
    from autograder.grading import submission
    from autograder.student.printer import Printer
    from autograder.student.session import Session

    sub = submission.load(entry_path, hw.handout, where="here")
    session = Session(hw, rubric.load(hw), inprocess.ask(hw, sub, shared_trainings), Printer(io.StringIO()),
                      sub.hints(hw.parts), sub.notes)
    return session.run()


@pytest.mark.parametrize("entry", WRONG + CORRECT, ids=lambda e: f"{e.homework.id}/{e.name}")
def test_the_self_check_gives_the_graders_verdict_or_says_it_cannot(entry, grade_once, catalog_notebook,
                                                                    shared_trainings):
    """Every public check: passed in the self-check only when it passes in the grader, failed only when it
    fails there, with the grader's message; otherwise "not checked here", never counted as passed."""
    from autograder.student.session import FAILED, NOT_HERE, PASSED

    notebook = catalog_notebook(entry)
    graded = {t["number"]: t for t in grade_once(notebook, hw=entry.homework).data["tests"]}
    outcomes = self_check(notebook, entry.homework, shared_trainings)
    assert {o.check.number for o in outcomes} == {c.number for c in rubric.load(entry.homework).checks if c.is_public}
    for o in outcomes:
        theirs = graded[o.check.number]
        if o.status == NOT_HERE:  # honest: the bundle cannot decide it here, and says what would let it
            assert o.output.startswith("Not checked here: fix "), o.output
            continue
        assert (o.status == PASSED) == (theirs["status"] == "passed"), (o.check.id, o.output, theirs["output"])
        if o.status == FAILED and "_training" not in o.check.id:
            assert same_message(o.output, theirs["output"]), (o.output, theirs["output"])
    if not entry.loses:  # a correct submission: every public check decided, and passed
        assert all(o.status == PASSED for o in outcomes), [(o.check.id, o.output) for o in outcomes if not o.passed]


def same_message(mine: str, theirs: str) -> bool:
    """The grader's message, but for what only hidden inputs tell: which evidence shows an answer does not
    depend on its input, and which of several mistakes that compute the same public number was made."""
    if WITHHELD in theirs:
        return WITHHELD in mine
    return mine.split(MISTAKE_MARK)[0] == theirs.split(MISTAKE_MARK)[0] and (MISTAKE_MARK in mine) == (
        MISTAKE_MARK in theirs)


# ----------------------------------------------------------------------------- verdicts that must not move

VERDICTS = __import__("json").loads((catalog.SUBMISSIONS / "verdicts.json").read_text())


def test_the_verdicts_file_covers_the_whole_catalog():
    assert set(VERDICTS) == {f"{e.homework.id}/{e.name}" for e in WRONG + CORRECT}, \
        "a catalog entry was added or removed: write tests/submissions/verdicts.json again (tests/verdicts.py)"


@pytest.mark.parametrize("entry", WRONG + CORRECT, ids=lambda e: f"{e.homework.id}/{e.name}")
def test_every_check_keeps_its_recorded_verdict(entry, grade_once, catalog_notebook):
    """Check by check, what tests/verdicts.py recorded before subnormal floats were flushed in the children
    (and before any later change meant to move no verdict): the same, points following from the rubric."""
    from verdicts import of_grading

    graded = grade_once(catalog_notebook(entry), hw=entry.homework)
    assert of_grading(graded.data, rubric.load(entry.homework)) == VERDICTS[f"{entry.homework.id}/{entry.name}"]


# ----------------------------------------------------------------------------- each pack in its own words

NUMPY_REPR = ("np.int64(", "np.float64(", "np.float32(", "array(")


@pytest.mark.parametrize("entry", WRONG + CORRECT, ids=lambda e: f"{e.homework.id}/{e.name}")
def test_every_message_speaks_its_own_packs_words_and_no_numpy_repr(entry, grade_once, catalog_notebook):
    """The engine knows no homework: every noun a sentence needs comes from the pack (homework.Words), so a
    message never holds another pack's vocabulary ("network" to a Hessian student), nor numpy's repr."""
    graded = grade_once(catalog_notebook(entry), hw=entry.homework)
    foreign = {w for hw in PACKS if hw is not entry.homework for w in hw.words.vocabulary} - set(
        entry.homework.words.vocabulary)
    assert foreign
    for text in [graded.data["output"], *(t["output"] for t in graded.data["tests"])]:
        assert not [w for w in foreign if re.search(rf"\b{re.escape(w)}\b", text, re.I)], text
        assert not [r for r in NUMPY_REPR if r in text], text


@pytest.mark.parametrize("entry", [e for e in WRONG if e.hints], ids=lambda e: f"{e.homework.id}/{e.name}")
def test_a_named_mistake_never_meets_the_hard_coding_sentence(entry, grade_once, catalog_notebook):
    """A covariance (shift-invariant: the same on X and X shifted), a Gram matrix without 1/N, any classic
    mistake: computed from the input, and told so, never that its value cannot be computed from it."""
    text = feedback(grade_once(catalog_notebook(entry), hw=entry.homework))
    if MISTAKE_MARK in text:
        assert "cannot be computed from it" not in text and WITHHELD not in text, text
