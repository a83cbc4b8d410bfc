"""Student code that crashes, exits or hangs costs its own part and nothing else."""

import time

import pytest

from autograder import rubric
from catalog import notebook_text, reference_answers
from conftest import NN2, REFERENCE_NOTEBOOK, feedback

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
    path.write_text(text.replace("call_seconds = 30", "call_seconds = 3"))
    return path


def grade_answers(grade_once, tmp_path, answers, rubric_path):
    path = tmp_path / "sub.ipynb"
    path.write_text(notebook_text({**reference_answers(), **answers}))
    started = time.monotonic()
    graded = grade_once(path, rubric_path)
    return graded, time.monotonic() - started


def test_exit_hang_and_sys_exit_each_cost_only_their_part(grade_once, tmp_path, quick_rubric):
    graded, seconds = grade_answers(grade_once, tmp_path, FAULTY, quick_rubric)
    assert graded.part_scores() == {"Mix": (0, 12.5), "Grad": (0, 12.5), "FrobClassifier": (0, 7.5),
                                    "MixClassifier": (7.5, 7.5)}
    assert "ended the Python process" in feedback(graded, "Mix") and "exited with code 3" in feedback(graded, "Mix")
    assert "did not finish within 3 seconds" in feedback(graded, "Grad")
    assert "SystemExit: bye" in feedback(graded, "FrobClassifier")
    # One timeout per hanging function, not one per question: the bound is load + a few calls + training.
    assert seconds < 60


def test_odd_exceptions_and_values_get_their_own_messages(grade_once, tmp_path, quick_rubric):
    graded, _ = grade_answers(grade_once, tmp_path, ODD, quick_rubric)
    scores = graded.part_scores()
    assert scores["Mix"] == (0, 12.5) and scores["Grad"] == (0, 12.5) and scores["MixClassifier"] == (0, 7.5)
    assert "KeyboardInterrupt" in feedback(graded, "Mix")
    assert "returned a list" in feedback(graded, "Grad")
    assert "No `MixClassifier` was found" in feedback(graded, "MixClassifier")
    # A numpy penalty has the right value but no gradient: value points only.
    frob = {t["number"]: t for t in graded.data["tests"] if "FrobClassifier" in t["tags"]}
    assert frob["3.1"]["status"] == "passed"
    assert frob["3.2"]["status"] == "failed" and "cannot be differentiated" in frob["3.2"]["output"]
    assert frob["3.4"]["status"] == "failed" and "the penalty is too weak or has no effect" in frob["3.4"]["output"]
