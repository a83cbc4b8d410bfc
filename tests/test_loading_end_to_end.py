"""The loader's promises, seen from the grade: noise in a notebook costs nothing, a renamed answer costs its part."""

import nbformat

from catalog import notebook_text, reference_answers
from autograder import cells
from conftest import NN2_RUBRIC, REFERENCE_NOTEBOOK, TOTAL, edited, feedback
from test_cells import with_outputs

import pytest

pytestmark = pytest.mark.slow  # real gradings in children


def noisy_notebook(path, answers):
    nb = nbformat.reads(notebook_text(answers), as_version=4)
    changed_scaffold = edited(edited(nb.cells[2].source, "nbit=10000", "nbit=10"), "lr=0.01", "lr=1.0")
    nb.cells[2].source = changed_scaffold
    nb.cells[1].source = "%matplotlib inline\n!pip install tqdm\n" + edited(nb.cells[1].source, "nh = 100", "nh = 10")
    nb.cells.insert(3, nbformat.v4.new_code_cell("import seaborn as sns\nfrom wandb import init\nsns.set_theme()"))
    nb.cells.insert(4, nbformat.v4.new_code_cell("def broken(:\n    pass"))
    nb.cells.append(nbformat.v4.new_code_cell("%%time\nfor i in range(10**9):\n    pass"))
    path.write_text(nbformat.writes(nb))
    return path


def test_magics_missing_modules_a_syntax_error_and_a_changed_scaffold_cost_nothing(grade_once, tmp_path):
    graded = grade_once(noisy_notebook(tmp_path / "noisy.ipynb", reference_answers()))
    assert graded.score == TOTAL
    output = graded.data["output"]
    assert "'seaborn' is not installed" in output and "'wandb' is not installed" in output
    assert "cell 5 has a syntax error" in output
    assert "NeuralNetworkClassifier" in output and "nh" in output and "ignored" in output


def test_a_renamed_answer_costs_its_part_with_a_message_naming_what_was_expected(grade_once, tmp_path):
    answers = reference_answers()
    answers["Mix"] = edited(answers["Mix"], "def Mix(nn):", "def mix(nn):")
    answers["MixClassifier"] = edited(answers["MixClassifier"], "Mix(self)", "mix(self)")
    path = tmp_path / "renamed.ipynb"
    path.write_text(notebook_text(answers))
    graded = grade_once(path)
    mix_points = NN2_RUBRIC.parts["Mix"]
    assert graded.part_scores()["Mix"] == (0, mix_points)
    assert graded.score == TOTAL - mix_points
    assert "No `Mix` was found in your notebook. Did you mean `mix`?" in feedback(graded, "Mix")


def test_a_notebook_too_big_to_read_whole_is_streamed_and_grades_like_the_reference(grade_once, tmp_path):
    nb = with_outputs(nbformat.read(REFERENCE_NOTEBOOK, as_version=4), 1.5 * cells.STREAM_FROM_BYTES / cells.MB)
    path = tmp_path / "with_outputs.ipynb"
    nbformat.write(nb, path)
    assert path.stat().st_size > cells.STREAM_FROM_BYTES  # streamed, not read whole
    graded = grade_once(path)
    assert graded.score == TOTAL
    assert graded.data["output"].count("MB") == 0  # nothing to say about outputs: they are not graded
