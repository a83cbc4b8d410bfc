"""Student code that crashes, exits or hangs costs its own part and nothing else."""

import pytest

from autograder import rubric
from catalog import notebook_text, reference_answers
from conftest import NN2, NN2_RUBRIC, REFERENCE_NOTEBOOK, edited, feedback

pytestmark = pytest.mark.slow  # real gradings in children

FAULTY = {
    "Mix": "def Mix(nn):\n    import os\n    os._exit(3)",
    "Grad": "def Grad(nn,X):\n    while True:\n        pass",
    "FrobClassifier": "class FrobClassifier(NeuralNetworkClassifier):\n    def reg(self):\n        import sys\n        sys.exit('bye')",
    # Written out, so that it does not call the crashing Mix.
    "MixClassifier": ("class MixClassifier(NeuralNetworkClassifier):\n    def reg(self):\n"
                      "        return 0.025*(list(self.model)[0].weight.abs().sum(dim=0)**2).sum()"),
}
ODD = {
    "Mix": "def Mix(nn):\n    raise KeyboardInterrupt",
    "Grad": "def Grad(nn,X):\n    return [1.0, 2.0]",
    "FrobClassifier": ("class FrobClassifier(NeuralNetworkClassifier):\n    def reg(self):\n"
                       "        W = list(self.model)[0].weight.detach().numpy()\n"
                       "        return 0.005*nh*float((W**2).sum())"),
    "MixClassifier": "x = 1",  # the class is gone
}


@pytest.fixture(scope="module")
def quick_rubric(tmp_path_factory):
    """The packaged rubric with a 3-second call limit, so hanging code costs the suite little."""
    path = tmp_path_factory.mktemp("rubric") / "rubric.toml"
    text = NN2.rubric_path.read_text()
    path.write_text(edited(text, "call_seconds = 30", "call_seconds = 3"))
    return path


def grade_answers(grade_once, tmp_path, answers, rubric_path):
    path = tmp_path / "sub.ipynb"
    path.write_text(notebook_text({**reference_answers(), **answers}))
    return grade_once(path, rubric_path)


def lost(*parts):
    return {p: (0, NN2_RUBRIC.parts[p]) for p in parts}


def test_exit_hang_and_sys_exit_each_cost_only_their_part(grade_once, tmp_path, quick_rubric):
    graded = grade_answers(grade_once, tmp_path, FAULTY, quick_rubric)
    assert graded.part_scores() == {**lost("Mix", "Grad", "FrobClassifier"),
                                    "MixClassifier": (NN2_RUBRIC.parts["MixClassifier"],) * 2}
    assert "ended the Python process" in feedback(graded, "Mix") and "exited with code 3" in feedback(graded, "Mix")
    assert "did not finish within 3 seconds" in feedback(graded, "Grad")
    assert "was not run on" in feedback(graded, "Grad")  # its other questions: skipped, not timed out again
    assert "SystemExit: bye" in feedback(graded, "FrobClassifier")
    # One timeout per hanging function, not one per question.
    assert graded.timeouts == 1


def test_odd_exceptions_and_values_get_their_own_messages(grade_once, tmp_path, quick_rubric):
    graded = grade_answers(grade_once, tmp_path, ODD, quick_rubric)
    scores = graded.part_scores()
    assert {p: scores[p] for p in ("Mix", "Grad", "MixClassifier")} == lost("Mix", "Grad", "MixClassifier")
    assert "KeyboardInterrupt" in feedback(graded, "Mix")
    assert "returned a list" in feedback(graded, "Grad")
    assert "No `MixClassifier` was found" in feedback(graded, "MixClassifier")
    # A numpy penalty has the right value but no gradient: value points only.
    frob = {t["number"]: t for t in graded.data["tests"] if "FrobClassifier" in t["tags"]}
    value, gradient, training = (frob[NN2_RUBRIC.check(c).number] for c in
                                 ("frob_reg_value", "frob_reg_gradient", "frob_training"))
    assert value["status"] == "passed"
    assert gradient["status"] == "failed" and "cannot be differentiated" in gradient["output"]
    assert training["status"] == "failed" and "the penalty is too weak or has no effect" in training["output"]


HANGING = {
    "Mix": "def Mix(nn):\n    while True:\n        pass",
    "Grad": "def Grad(nn,X):\n    while True:\n        pass",
    "FrobClassifier": "class FrobClassifier(NeuralNetworkClassifier):\n    def reg(self):\n        while True:\n            pass",
    "MixClassifier": "class MixClassifier(NeuralNetworkClassifier):\n    def reg(self):\n        while True:\n            pass",
}


def test_the_whole_grading_stops_at_its_total_time_and_says_so_in_the_results(grade_once, tmp_path):
    # Each hang costs 8 s and the whole grading may take 10: at most one hang per child is waited for
    # to the end, and every question not answered by then is out of time, with its own message.
    path = tmp_path / "rubric.toml"
    text = edited(NN2.rubric_path.read_text(), "call_seconds = 30", "call_seconds = 8")
    path.write_text(edited(text, "total_seconds = 480", "total_seconds = 10"))
    graded = grade_answers(grade_once, tmp_path, HANGING, path)
    assert graded.score == 0 and graded.out_of_time > 0
    assert (f"The grading stopped at its time limit of 10 seconds with {graded.out_of_time} question"
            in graded.data["output"])
    cut = [t for t in graded.data["tests"] if "reached its time limit of 10 seconds" in t["output"]]
    assert cut and all(t["score"] == 0 for t in cut)
