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

from autograder import cells
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
