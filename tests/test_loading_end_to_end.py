"""The loader's promises, seen from the grade: noise in a notebook costs nothing, a renamed answer costs its part."""

import nbformat

import catalog
from catalog import notebook_text, reference_answers
from autograder.grading import cells
from conftest import NN2, NN2_RUBRIC, REFERENCE_NOTEBOOK, TOTAL, edited, feedback, total_without
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


def version_3(nb4) -> str:
    """A notebook of nbformat 3 (cells in a worksheet) with the cells of `nb4`, made by nbformat's v3 API."""
    v3 = nbformat.v3
    made = [v3.new_code_cell(input=c.source) if c.cell_type == "code" else v3.new_text_cell("markdown", source=c.source)
            for c in nb4.cells]
    return v3.writes_json(v3.new_notebook(worksheets=[v3.new_worksheet(cells=made)]))


def accented(path):
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("Abgabe von Jörg Müller"))
    return nb


@pytest.mark.parametrize("name, make, note", [
    ("solution.py", lambda: ("# Jörg\n" + NN2.reference.read_text()).encode("latin-1"),
     "Your file is encoded in Latin-1 (cp1252), not UTF-8; it was read as such."),
    ("solution.ipynb", lambda: nbformat.writes(accented(REFERENCE_NOTEBOOK)).encode("utf-16"),
     "Your file is encoded in UTF-16, not UTF-8; it was read as such."),
    ("solution_v3.ipynb", lambda: version_3(nbformat.read(REFERENCE_NOTEBOOK, as_version=4)).encode(), None),
], ids=["latin1_py", "utf16_notebook", "format3_notebook"])
def test_the_reference_in_another_encoding_or_format_grades_to_the_full_total(grade_once, tmp_path, name, make, note):
    path = tmp_path / name
    path.write_bytes(make())
    graded = grade_once(path)
    assert graded.score == TOTAL and graded.status == "graded"
    assert (note in graded.data["output"]) if note else "encoded" not in graded.data["output"]


def test_a_wrong_notebook_grades_as_its_utf8_twin_in_utf16_latin1_and_format_3(grade_once, catalog_notebook, tmp_path):
    entry = next(e for e in catalog.entries("wrong") if e.path.stem == "mix_wrong_axis")
    twin = grade_once(catalog_notebook(entry))
    assert twin.score == total_without(*entry.loses)
    nb = accented(catalog_notebook(entry))
    for name, data in [("utf16.ipynb", nbformat.writes(nb).encode("utf-16-le")),
                       ("latin1.ipynb", nbformat.writes(nb).encode("cp1252")),
                       ("v3.ipynb", version_3(nb).encode())]:
        (tmp_path / name).write_bytes(data)
        graded = grade_once(tmp_path / name)
        assert [(t["score"], t["output"]) for t in graded.data["tests"]] == \
               [(t["score"], t["output"]) for t in twin.data["tests"]], name


def test_a_look_alike_name_costs_its_part_and_the_feedback_names_its_letter(grade_once, tmp_path):
    alike = "M\N{CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I}x"  # pasted from a chat
    answers = reference_answers()
    answers["Mix"] = edited(answers["Mix"], "def Mix(nn):", f"def {alike}(nn):")
    answers["MixClassifier"] = edited(answers["MixClassifier"], "Mix(self)", f"{alike}(self)")
    path = tmp_path / "lookalike.ipynb"
    path.write_text(notebook_text(answers))
    cell = next(i for i, c in enumerate(nbformat.read(path, as_version=4).cells, start=1) if f"def {alike}" in c.source)
    graded = grade_once(path)
    assert graded.score == total_without("Mix")
    assert (f"No `Mix` was found in your notebook. `{alike}` in cell {cell} is not `Mix`: its second letter is U+0456 "
            "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I, not i; type the name on your keyboard.") in feedback(graded, "Mix")
