"""Reading an upload's code cells: big notebooks streamed without their outputs, sizes refused with a fix.

The streamed reader must give exactly what nbformat gives, for every shape a notebook's JSON may
have, and fail on what nbformat fails on; the memory figures at Gradescope's 768 MB are the
bench's (bench/gradescope_box.py), here only what can be counted exactly: the bytes Python
allocates while streaming, which must follow the code and not the outputs.
"""

import base64
import io
import json
import random
import tracemalloc

import nbformat
import pytest

from autograder.grading import cells
from autograder.errors import SubmissionError
from conftest import REFERENCE_NOTEBOOK


def with_outputs(nb, megabytes: float, pieces: int = 40):
    """`nb` with `megabytes` of outputs spread over its code cells (printed logs and a PNG each)."""
    rng = random.Random(0)
    code = [c for c in nb.cells if c.cell_type == "code"]
    each = int(megabytes * 1024 * 1024 / pieces)
    for k in range(pieces):
        png = base64.b64encode(rng.randbytes(each * 3 // 4)).decode()
        code[k % len(code)].outputs.append(nbformat.v4.new_output("display_data", data={"image/png": png}))
    return nb


def streamed(text: str | bytes) -> list:
    return cells.streamed_cells(io.BytesIO(text if isinstance(text, bytes) else text.encode()))


def reference_notebook():
    return nbformat.read(REFERENCE_NOTEBOOK, as_version=4)


def test_streaming_gives_what_nbformat_gives_for_list_and_string_sources_and_version_3():
    nb = with_outputs(reference_notebook(), 2)
    text = nbformat.writes(nb)
    assert isinstance(json.loads(text)["cells"][1]["source"], list)  # nbformat writes lists of lines
    assert streamed(text) == cells.notebook_cells(text)
    as_strings = json.loads(text)
    for cell in as_strings["cells"]:
        cell["source"] = "".join(cell["source"])
    assert streamed(json.dumps(as_strings)) == cells.notebook_cells(text)
    version3 = nbformat.writes(nbformat.v3.new_notebook(worksheets=[nbformat.v3.new_worksheet(cells=[
        nbformat.v3.new_text_cell("markdown", source="# title"), nbformat.v3.new_code_cell(input="x = 1\ny = 2"),
        nbformat.v3.new_code_cell(input="def f():\n    return 3")])]), version=3)
    assert streamed(version3) == cells.notebook_cells(version3) == [("cell 2", "x = 1\ny = 2"),
                                                                    ("cell 3", "def f():\n    return 3")]


@pytest.mark.parametrize("text, said", [
    ('{"cells": [{"cell_type": "code", "source": "x = 1"', r"not valid JSON \(parse error: premature EOF\)"),
    (b'{"cells": [{"cell_type": "code", "source": "x = \xff"}]}', r"\(lexical error: invalid bytes in UTF8 string\)"),
    ('{"cells": [], "nbformat": 4} trailing', "not valid JSON"),
    ('{"nbformat": 4, "metadata": {}}', "has no list of cells"),
])
def test_a_broken_big_notebook_is_refused_with_what_is_wrong(text, said):
    with pytest.raises(SubmissionError, match=said):
        streamed(text)


def test_a_big_notebook_is_streamed_and_its_outputs_never_held(tmp_path, monkeypatch):
    nb = with_outputs(reference_notebook(), 40)
    path = tmp_path / "big.ipynb"
    nbformat.write(nb, path)
    assert path.stat().st_size > cells.STREAM_FROM_BYTES
    read_whole = []
    monkeypatch.setattr(cells, "notebook_cells", lambda text: read_whole.append(1))
    tracemalloc.start()
    found = cells.code_cells(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert not read_whole
    monkeypatch.undo()
    assert found == cells.code_cells(REFERENCE_NOTEBOOK)
    # 40 MB of outputs in pieces of 1 MB: Python holds about one piece (its text) at a time.
    assert peak < 8 * cells.MB, f"streaming allocated {peak / cells.MB:.1f} MB at its peak"


def test_a_big_file_that_is_not_a_notebook_is_named_from_its_first_bytes(tmp_path):
    path = tmp_path / "homework.ipynb"
    path.write_bytes(b"%PDF-1.7\n" + b"\0" * cells.STREAM_FROM_BYTES)
    with pytest.raises(SubmissionError, match="it starts with '%PDF' and holds a PDF document"):
        cells.code_cells(path)


def test_an_upload_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "homework.ipynb"
    with path.open("wb") as f:
        f.truncate(cells.UPLOAD_MAX_BYTES + 1)  # sparse: no disk, and not read
    with pytest.raises(SubmissionError) as refused:
        cells.code_cells(path)
    message = str(refused.value)
    assert f"homework.ipynb is {round((cells.UPLOAD_MAX_BYTES + 1) / cells.MB)} MB" in message
    assert f"up to {cells.UPLOAD_MAX_BYTES // cells.MB} MB" in message and "Clear All Outputs" in message


@pytest.mark.parametrize("name", ["data.py", "small.ipynb", "big.ipynb"])
def test_code_over_the_limit_is_refused_with_how_to_fix_it(tmp_path, name):
    code = "DATA = [" + "1.0, " * (cells.CODE_MAX_BYTES // 5 + 10) + "]\n"
    path = tmp_path / name
    if name.endswith(".py"):
        path.write_text(code)
    else:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        if name.startswith("big"):
            with_outputs(nb, cells.STREAM_FROM_BYTES / cells.MB, pieces=16)
        nbformat.write(nb, path)
    with pytest.raises(SubmissionError, match=r"code cells hold 4\.\d MB of code, and the grader reads at most "
                                              r"4 MB: keep data out of code cells"):
        cells.code_cells(path)


# What a Windows editor or a mail program may have made of a UTF-8 upload, and the note the student gets.
ENCODINGS = [
    ("utf-8-sig", None),
    ("utf-16", "Your file is encoded in UTF-16, not UTF-8; it was read as such."),  # with its BOM
    ("utf-16-le", "Your file is encoded in UTF-16, not UTF-8; it was read as such."),  # no BOM: detected
    ("utf-16-be", "Your file is encoded in UTF-16, not UTF-8; it was read as such."),
    ("utf-32", "Your file is encoded in UTF-32, not UTF-8; it was read as such."),
    ("cp1252", "Your file is encoded in Latin-1 (cp1252), not UTF-8; it was read as such."),
]


def with_accents(nb):
    """`nb` with a signature in a markdown cell and a comment in a code cell: letters outside ASCII."""
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("Abgabe von Jörg Müller"))
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.source = "# Grüße, Jörg\n" + code.source
    return nb


def twins():
    """(name, UTF-8 text) of the reference as a notebook and as a .py file, each with letters outside ASCII."""
    from conftest import NN2

    return [("solution.ipynb", nbformat.writes(with_accents(reference_notebook()))),
            ("solution.py", "# Jörg\n" + NN2.reference.read_text())]


@pytest.mark.parametrize("codec, note", ENCODINGS)
def test_an_upload_in_another_text_encoding_reads_as_its_utf8_twin_with_a_note(tmp_path, codec, note):
    for name, text in twins():
        twin, upload = tmp_path / f"utf8_{name}", tmp_path / name
        twin.write_text(text, encoding="utf-8")
        upload.write_bytes(text.encode(codec))
        assert cells.read(twin) == (cells.code_cells(twin), [])
        assert cells.read(upload) == (cells.code_cells(twin), [note] if note else []), (codec, name)
        assert "Jörg" in cells.code_cells(upload)[0][1]  # the letters themselves, not a look-alike


def test_without_charset_normalizer_boms_utf8_and_cp1252_are_still_read(tmp_path, monkeypatch):
    """The self-check runs on the student's own Python, which may lack charset-normalizer."""
    monkeypatch.setitem(__import__("sys").modules, "charset_normalizer", None)  # `import` now fails
    for name, text in twins():
        twin = tmp_path / f"utf8_{name}"
        twin.write_text(text, encoding="utf-8")
        for codec, note in [e for e in ENCODINGS if e[0] in ("utf-8-sig", "utf-16", "utf-32", "cp1252")]:
            (tmp_path / name).write_bytes(text.encode(codec))
            assert cells.read(tmp_path / name) == (cells.code_cells(twin), [note] if note else []), (codec, name)
        (tmp_path / name).write_bytes(text.encode("utf-16-le"))  # no BOM: only the library can tell
        with pytest.raises(SubmissionError, match="binary data, not text"):
            cells.read(tmp_path / name)


@pytest.mark.parametrize("content, said", [
    (b"\x00\x01\x02\x03" * 100, "binary data, not text"),
    (random.Random(1).randbytes(5000).replace(b"\x00", b"\x01"), "binary data, not text"),  # no NUL byte
    (b"%PDF-1.7\n\xe9\xe8", "it starts with '%PDF' and holds a PDF document"),
    (b"\xff\xfe" + " \n".encode("utf-16-le"), "it holds only white space"),
])
def test_what_is_not_text_in_any_encoding_keeps_its_words(tmp_path, content, said):
    path = tmp_path / "homework.ipynb"
    path.write_bytes(content)
    with pytest.raises(SubmissionError, match=said):
        cells.read(path)


@pytest.mark.parametrize("codec, note", [e for e in ENCODINGS if e[0] in ("utf-16", "utf-16-le", "cp1252")])
def test_a_big_notebook_in_another_encoding_is_transcoded_while_streamed(tmp_path, monkeypatch, codec, note):
    nb = with_outputs(with_accents(reference_notebook()), cells.STREAM_FROM_BYTES / cells.MB)
    twin, path = tmp_path / "twin.ipynb", tmp_path / "big.ipynb"
    nbformat.write(nb, twin)
    path.write_bytes(twin.read_text(encoding="utf-8").encode(codec))
    assert path.stat().st_size >= cells.STREAM_FROM_BYTES
    expected = cells.code_cells(twin)
    monkeypatch.setattr(cells, "notebook_cells", lambda text: pytest.fail("read whole, not streamed"))
    tracemalloc.start()
    found = cells.read(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert found == (expected, [note])
    assert peak < 8 * cells.MB, f"streaming allocated {peak / cells.MB:.1f} MB at its peak"


def test_a_notebook_of_format_3_is_read_and_upgraded_by_nbformat(tmp_path):
    from catalog import notebook_text, reference_answers, NN2

    def cell(kind, source):
        return nbformat.v3.new_code_cell(input=source) if kind == "code" else nbformat.v3.new_text_cell("markdown", source=source)

    answers = reference_answers()
    version3 = nbformat.v3.new_notebook(worksheets=[nbformat.v3.new_worksheet(
        cells=[cell(kind, source) for kind, source in NN2.handout.cells(answers)])])
    (tmp_path / "v3.ipynb").write_text(nbformat.v3.writes_json(version3))
    (tmp_path / "v4.ipynb").write_text(notebook_text(answers))
    assert json.loads((tmp_path / "v3.ipynb").read_text())["nbformat"] == 3
    assert cells.read(tmp_path / "v3.ipynb") == (cells.code_cells(tmp_path / "v4.ipynb"), [])
