"""An upload's code cells, read without its outputs, and the sizes the grader accepts.

Only code is graded, but a notebook's outputs can be most of its bytes: a student who prints
every training step and keeps the plots uploads 200 MB. Read whole, such a file costs the
grader several times its size (the bytes, the text, the JSON objects, nbformat's copy), more
than Gradescope's 768 MB container holds. So a notebook of a few MB is read whole by nbformat,
whose errors name what is wrong, and a larger one is streamed by ijson: outputs pass by as
parser events and only the cells' sources are kept, so memory follows the code and the
largest single string, not the file. Uploads over UPLOAD_MAX_BYTES, and code over
CODE_MAX_BYTES (data pasted into a cell, which the grader would parse and ship to children),
are refused with a message that says how to fix the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from autograder.grading import encoding, uploads
from autograder.errors import SubmissionError

MB = 1024 * 1024
STREAM_FROM_BYTES = 16 * MB  # notebooks at least this big are streamed
UPLOAD_MAX_BYTES = 512 * MB
CODE_MAX_BYTES = 4 * MB  # the handouts' code is about 20 KB
CLEAR_OUTPUTS = "in Jupyter, Edit > Clear All Outputs (or Kernel > Restart & Clear Output), save, and upload it again"

# Where a cell and its code are in the JSON, as ijson names the paths: nbformat 4, and 3 (worksheets).
CELL_PATHS = {"cells.item": "source", "worksheets.item.cells.item": "input"}
CODE_PATHS = {f"{cell}.{field}{item}" for cell, field in CELL_PATHS.items() for item in ("", ".item")}


def code_cells(path: Path) -> list[tuple[str, str]]:
    """(label, source) of every code cell of a notebook, or of every `# %%` cell of a .py file."""
    return read(path)[0]


def read(path: Path) -> tuple[list[tuple[str, str]], list[str]]:
    """The code cells of an upload, and the notes for the student on how it was read (its encoding)."""
    try:
        size = path.stat().st_size
        refuse_size(path, size)
        kind = uploads.kind(path)
        if kind in ("notebook", None) and size >= STREAM_FROM_BYTES:
            with path.open("rb") as f:
                found = read_big(f, kind)
                if found is not None:
                    return found
        raw = path.read_bytes()
    except OSError as exc:
        raise SubmissionError(f"{path.name} cannot be read ({exc.strerror or exc})") from None
    decoded = encoding.decode(raw)
    text = decoded.text if decoded else None
    if kind not in ("notebook", "python") and uploads.looks_like_notebook(text):
        kind = "notebook"
    if kind == "notebook":
        refuse_content(uploads.not_a_notebook(raw, text))
    elif kind == "python":
        refuse_content(uploads.not_python(raw, text))
    elif kind == "zip":
        # `grade` unpacks a zip itself (picking.Upload); the self-check reads the notebook it is given
        refuse_content(f"{path.name} is a zip archive, not a notebook: unzip it and pass the notebook inside")
    else:
        refuse_content(f"{path.name} is neither a Jupyter notebook (.ipynb) nor a Python file (.py)")
    del raw
    found = notebook_cells(text) if kind == "notebook" else script_cells(text)
    return checked(found), notes_on(decoded.encoding)


def read_big(f, kind: str | None) -> tuple[list[tuple[str, str]], list[str]] | None:
    """The code cells of a notebook too big to read whole, streamed; None when it is not JSON and not
    named as a notebook (it is then read whole, to say what it is)."""
    head = f.read(8192)
    found = None if uploads.what_it_starts_as(head) else encoding.of_stream(f, head)  # a PDF is not read through
    text = encoding.head_text(head, found)
    if kind != "notebook" and not (text or "").lstrip().startswith("{"):
        return None
    refuse_content(uploads.not_a_notebook_start(head, text))
    f.seek(0)
    try:
        return checked(streamed_cells(encoding.as_utf8(f, found))), notes_on(found)
    except UnicodeDecodeError:  # the guess, made on a sample, is contradicted further on
        raise SubmissionError("the upload is not a Jupyter notebook: part of it is binary data, not text") from None


def notes_on(found: str) -> list[str]:
    said = encoding.note(found)
    return [said] if said else []


def refuse_size(path: Path, size: int) -> None:
    if size > UPLOAD_MAX_BYTES:
        raise SubmissionError(f"{path.name} is {size / MB:.0f} MB, and the grader reads uploads up to "
                              f"{UPLOAD_MAX_BYTES // MB} MB: clear the notebook's outputs ({CLEAR_OUTPUTS})")


def refuse_content(problem: str | None) -> None:
    if problem:
        raise SubmissionError(problem)


def checked(cells: list[tuple[str, str]]) -> list[tuple[str, str]]:
    code = sum(len(source.encode()) for _, source in cells)
    if code > CODE_MAX_BYTES:
        raise SubmissionError(too_much_code(code))
    return cells


def too_much_code(size: int) -> str:
    return (f"the upload's code cells hold {size / MB:.1f} MB of code, and the grader reads at most "
            f"{CODE_MAX_BYTES // MB} MB: keep data out of code cells (load it from a file) and upload again")


def notebook_cells(text: str) -> list[tuple[str, str]]:
    try:
        nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises a zoo of JSON and schema errors
        raise SubmissionError(f"the upload is not a Jupyter notebook nbformat can read ({type(exc).__name__})") from None
    return [(f"cell {index}", cell.source) for index, cell in enumerate(nb.cells, start=1) if is_code(cell)]


def streamed_cells(stream) -> list[tuple[str, str]]:
    """The code cells of a notebook's JSON read from `stream`, its outputs never built."""
    try:
        import ijson
    except ImportError:  # a student's own Python (the self-check) may not have it: read it whole
        return notebook_cells(stream.read().decode("utf-8", errors="replace"))
    cells, index, kind, parts, code = [], 0, None, [], 0
    seen_cells = False
    try:
        for prefix, event, value in ijson.parse(stream):
            if prefix in CELL_PATHS and event == "start_map":
                index, kind, parts, seen_cells = index + 1, None, [], True
            elif prefix in CELL_PATHS and event == "end_map" and kind == "code":
                cells.append((f"cell {index}", "".join(parts)))
            elif event == "string" and prefix.endswith(".cell_type") and prefix[: -len(".cell_type")] in CELL_PATHS:
                kind = value
            elif event == "string" and prefix in CODE_PATHS:
                parts.append(value)
                code += len(value)
                if code > CODE_MAX_BYTES:
                    raise SubmissionError(too_much_code(code))
    except ijson.JSONError as exc:
        raise SubmissionError(f"the upload is not a Jupyter notebook: it is not valid JSON ({short(exc)}), "
                              "perhaps cut off or edited by hand") from None
    if not seen_cells:
        raise SubmissionError("the upload is not a Jupyter notebook: it is JSON, but has no list of cells")
    return cells


def short(exc: Exception) -> str:
    """The parser's reason in one line: yajl's messages are bytes with a picture of the spot below."""
    reason = exc.args[0] if exc.args else ""
    if isinstance(reason, bytes):
        reason = reason.decode("utf-8", errors="replace")
    first = str(reason).strip().splitlines()[0] if str(reason).strip() else ""
    return first.rstrip(".")[:120] or type(exc).__name__


def is_code(cell) -> bool:
    return cell.get("cell_type") == "code"


def script_cells(text: str) -> list[tuple[str, str]]:
    # A jupytext "# %%" script is split into its cells, so that one broken cell
    # costs only itself, as in a notebook; line numbers stay those of the file.
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if re.match(r"#\s*%%", line)] or [0]
    if starts[0] != 0:
        starts.insert(0, 0)
    cells = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        # Pad with blank lines so that the cell's line numbers are the file's.
        cells.append((f"lines {start + 1}-{end}", "\n" * start + "\n".join(lines[start:end])))
    return cells
