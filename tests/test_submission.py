"""Loading a submission: what is kept, what is dropped, and the notes a student gets about it."""

import nbformat
import pytest

from autograder.grading import submission
from autograder.errors import SubmissionError
from conftest import NN2, edited

handout = NN2.handout


def load(path):
    return submission.load(path, handout)


def write_notebook(path, *cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    path.write_text(nbformat.writes(nb))
    return path


def kept(sub):
    return "\n".join(s.source for s in sub.statements)


def test_definitions_imports_and_constants_are_kept_and_runs_dropped(tmp_path):
    sub = load(write_notebook(
        tmp_path / "a.ipynb",
        "import torch\nimport sklearn\nlam = 0.005\nscale = nh**.5\ndef Mix(nn):\n    return torch.zeros(())\n"
        "class FrobClassifier(NeuralNetworkClassifier):\n    pass\n"
        "nnr = NeuralNetworkClassifier()\nnnr.fit(Xtrain,Ttrain)\nprint(Mix(nnr))\nfor i in range(3): print(i)",
    ))
    # sklearn is not used by any kept definition: importing it would only cost memory.
    assert {"torch", "lam", "scale", "Mix", "FrobClassifier"} == sub.defined
    assert "fit(" not in kept(sub) and "print" not in kept(sub)
    assert sub.notes == []


def test_the_untouched_handout_gives_no_notes_for_its_own_scaffold():
    sub = load(NN2.template)
    assert sub.notes == []
    assert set(handout.ANSWERS) <= sub.defined
    assert not set(handout.PROVIDED_NAMES) & sub.defined


def test_magics_and_shell_lines_are_ignored(tmp_path):
    sub = load(write_notebook(
        tmp_path / "m.ipynb",
        "%matplotlib inline\n!pip install tqdm\nfiles = !ls\nMix?\ndef Mix(nn):\n    %time x = 1\n    return 2",
        "%%time\ndef Grad(nn,X):\n    return 3",
        "%%bash\necho hi",
    ))
    assert {"Mix", "Grad"} <= sub.defined
    assert any("%%bash" in n for n in sub.notes)


def test_a_cell_with_a_syntax_error_is_skipped_with_a_note_and_the_rest_loads(tmp_path):
    sub = load(write_notebook(tmp_path / "s.ipynb", "def Mix(nn):\n    return 1", "def oops(:\n  pass"))
    assert "Mix" in sub.defined
    assert any("cell 2 has a syntax error (line 1" in n for n in sub.notes)


def test_an_import_of_a_module_that_is_not_installed_is_skipped_with_a_note(tmp_path):
    sub = load(write_notebook(
        tmp_path / "i.ipynb", "import seaborn.objects as so\nfrom wandb import init\nimport numpy as np\n"
        "def Mix(nn):\n    return np.sqrt(2)"))
    assert "np" in sub.defined and "so" not in sub.defined and "init" not in sub.defined
    assert sum("is not installed" in n for n in sub.notes) == 2
    assert any("'seaborn'" in n for n in sub.notes)


def test_a_missing_module_is_said_missing_where_it_really_is(tmp_path):
    """The grader says a module is not installed where the code is graded; the self-check, on the student's
    computer, that it is not installed on this computer (the grader may well have it)."""
    from autograder.grading import submission

    path = write_notebook(tmp_path / "m.ipynb", "import wandb\ndef Mix(nn):\n    return wandb.x")
    graded = [n for n in submission.load(path, handout).notes if "'wandb'" in n]
    here = [n for n in submission.load(path, handout, where="here").notes if "'wandb'" in n]
    assert len(graded) == len(here) == 1
    assert "is not installed where your code is graded" in graded[0] and "this computer" not in graded[0]
    assert "is not installed on this computer" in here[0] and "where your code is graded" not in here[0]


def test_a_changed_copy_of_the_scaffold_is_ignored_and_said_so(tmp_path):
    changed = edited(handout.defining("NeuralNetworkClassifier"), "nbit=10000", "nbit=10")
    sub = load(write_notebook(tmp_path / "c.ipynb", edited(handout.defining("nh"), "nh = 100", "nh = 50"), changed))
    assert not {"nh", "NeuralNetworkClassifier"} & sub.defined
    assert len(sub.notes) == 1
    assert "NeuralNetworkClassifier" in sub.notes[0] and "nh" in sub.notes[0] and "ignored" in sub.notes[0]


def test_a_global_computed_by_a_call_and_used_by_an_answer_is_explained(tmp_path):
    sub = load(write_notebook(
        tmp_path / "g.ipynb", "lam = torch.tensor(0.005)", "def Mix(nn):\n    return lam"))
    assert any("`lam`" in n and "Compute `lam` inside" in n for n in sub.notes)


def test_a_misspelled_answer_gets_a_suggestion(tmp_path):
    sub = load(write_notebook(tmp_path / "r.ipynb", "def mix(nn):\n    return 1\nclass MixClasifier: pass"))
    assert sub.suggest("Mix") == "mix"
    assert sub.suggest("MixClassifier") == "MixClasifier"
    assert sub.suggest("Grad") is None


def test_a_python_file_is_split_at_cell_markers_keeping_line_numbers(tmp_path):
    path = tmp_path / "sub.py"
    path.write_text("# %%\ndef Mix(nn):\n    return 1\n# %%\ndef broken(:\n# %%\ndef Grad(nn,X):\n    return 2\n")
    sub = load(path)
    assert {"Mix", "Grad"} <= sub.defined
    grad = next(s for s in sub.statements if "Grad" in s.source)
    assert grad.lineno == 7
    assert any("syntax error" in n for n in sub.notes)


@pytest.mark.parametrize("name, content, message", [
    ("x.ipynb", b"{not json", "the upload is not a Jupyter notebook: it is not valid JSON (line 1, column 2"),
    ("x.ipynb", b'{"cells": 3}', "the upload is not a Jupyter notebook: it is JSON, but has no list of cells"),
    ("x.ipynb", b"%PDF-1.7\n%binary", "the upload is not a Jupyter notebook: it starts with '%PDF' and holds a PDF"),
    ("x.ipynb", b"", "the upload is not a Jupyter notebook: it holds nothing (the file is empty)"),
    ("x.ipynb", b"PK\x03\x04zip", "holds a zip archive"),
    ("x.IPYNB", b"\x00\x01\x02", "the upload is not a Jupyter notebook: it holds binary data, not text"),
    ("x.py", b"", "the upload is not a Python file: it holds nothing (the file is empty)"),
    ("x.py", b"\x89PNG\r\n", "the upload is not a Python file: it holds a PNG image"),
    ("x.txt", b"def Mix(nn): pass", "x.txt is neither a Jupyter notebook (.ipynb) nor a Python file (.py)"),
    ("x.zip", b"PK\x03\x04zip", "x.zip is a zip archive, not a notebook: unzip it and pass the notebook inside"),
])
def test_an_unreadable_file_raises_a_message_saying_what_it_is(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SubmissionError) as info:
        load(path)
    assert message in str(info.value)


def test_a_notebook_under_another_name_or_case_is_read_as_a_notebook(tmp_path):
    text = write_notebook(tmp_path / "a.ipynb", "def Mix(nn):\n    return 1").read_text()
    for name in ("kim.IPYNB", "lena.ipynb.txt", "noext", "notes.json"):
        (tmp_path / name).write_text(text)
        assert "Mix" in load(tmp_path / name).defined, name


def test_equal_code_has_equal_digest_whatever_was_dropped(tmp_path):
    a = load(write_notebook(tmp_path / "a.ipynb", "def Mix(nn):\n    return 1", "print(1)"))
    b = load(write_notebook(tmp_path / "b.ipynb", "def Mix(nn):\n    return 1", "Mix(None)\nprint(2)"))
    c = load(write_notebook(tmp_path / "c.ipynb", "def Mix(nn):\n    return 2"))
    assert a.digest() == b.digest() != c.digest()


def test_the_encoding_read_is_the_first_note_and_the_answers_load_as_from_utf8(tmp_path):
    text = "# Jörg\n" + NN2.reference.read_text()
    (tmp_path / "utf8.py").write_text(text, encoding="utf-8")
    (tmp_path / "latin1.py").write_bytes(text.encode("latin-1"))
    twin, sub = load(tmp_path / "utf8.py"), load(tmp_path / "latin1.py")
    assert sub.notes == ["Your file is encoded in Latin-1 (cp1252), not UTF-8; it was read as such.", *twin.notes]
    assert sub.defined == twin.defined >= set(handout.ANSWERS) and sub.digest() == twin.digest()


CYRILLIC_I = "\N{CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I}"


def test_a_look_alike_name_is_named_with_its_cell_its_letter_and_the_fix(tmp_path):
    sub = load(write_notebook(tmp_path / "l.ipynb", "import torch", "x = 1",
                              f"def M{CYRILLIC_I}x(nn):\n    return 1\nclass Gr\N{CYRILLIC SMALL LETTER A}d: pass"))
    assert sub.suggest("Mix") == f"M{CYRILLIC_I}x"
    hints = sub.hints(handout.ANSWERS)
    assert hints["Mix"] == (f"`M{CYRILLIC_I}x` in cell 3 is not `Mix`: its second letter is U+0456 CYRILLIC SMALL "
                            "LETTER BYELORUSSIAN-UKRAINIAN I, not i; type the name on your keyboard.")
    assert hints["Grad"] == ("`Gr\N{CYRILLIC SMALL LETTER A}d` in cell 3 is not `Grad`: its third letter is U+0430 CYRILLIC SMALL LETTER A, "
                             "not a; type the name on your keyboard.")
    assert hints["FrobClassifier"] is None


def test_case_and_typos_keep_their_words_and_the_self_check_without_the_library_names_look_alikes_too(
        tmp_path, monkeypatch):
    sub = load(write_notebook(tmp_path / "c.ipynb", "def mix(nn):\n    return 1\nclass MixClasifier: pass\n"
                              f"def Gr\N{CYRILLIC SMALL LETTER A}d(nn, X): pass\ndef FrobClassifiar(): pass"))
    assert sub.hints(["Mix", "MixClassifier"]) == {"Mix": "Did you mean `mix`? Names are case-sensitive.",
                                                   "MixClassifier": "Did you mean `MixClasifier`? Names are "
                                                                    "case-sensitive."}
    said = ("`Gr\N{CYRILLIC SMALL LETTER A}d` in cell 1 is not `Grad`: its third letter is U+0430 CYRILLIC SMALL "
            "LETTER A, not a; type the name on your keyboard.")
    assert sub.hints(["Grad"]) == {"Grad": said}
    monkeypatch.setitem(__import__("sys").modules, "confusable_homoglyphs", None)  # the student's own Python
    assert sub.hints(["Grad", "FrobClassifier"]) == {
        "Grad": said, "FrobClassifier": "Did you mean `FrobClassifiar`? Names are case-sensitive."}
