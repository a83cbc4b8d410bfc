"""What a student uploaded: which kind of file it is, and why it cannot be read when it cannot.

Names are matched without regard to case (`kim.IPYNB`), and the suffixes browsers and mail
programs append (`lena.ipynb.txt`) are seen through. The content decides in the end: a PDF
renamed `.ipynb` is not a notebook, and the student is told what it is instead.
"""

from __future__ import annotations

import json
from pathlib import Path

# Suffixes a notebook or script may carry after a download, lower case; the longest first.
KINDS = ((".ipynb.txt", "notebook"), (".ipynb.json", "notebook"), (".ipynb", "notebook"),
         (".py.txt", "python"), (".py", "python"), (".zip", "zip"))
SIGNATURES = ((b"%PDF", "a PDF document"), (b"PK\x03\x04", "a zip archive (or a Word or Office document)"),
              (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
              (b"{\\rtf", "an RTF document"), (b"\x7fELF", "a program"))


def kind(path: Path) -> str | None:
    """'notebook', 'python', 'zip' or None, from the file name alone."""
    name = path.name.lower()
    return next((k for suffix, k in KINDS if name.endswith(suffix) and len(name) > len(suffix)), None)


def stem(path: Path) -> str:
    """The name without the suffixes `kind` recognises: `lena.ipynb.txt` -> `lena`."""
    name = path.name
    for suffix, _ in KINDS:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return path.stem if path.suffix else name


def has_cells(data) -> bool:
    """A notebook's JSON: a list of cells (nbformat 4), or of worksheets holding them (nbformat 3, which
    nbformat's reader upgrades)."""
    return isinstance(data, dict) and (isinstance(data.get("cells"), list) or isinstance(data.get("worksheets"), list))


def looks_like_notebook(text: str | None) -> bool:
    """Content that parses as a notebook's JSON."""
    try:
        return text is not None and has_cells(json.loads(text))
    except (ValueError, RecursionError):
        return False


def what_it_starts_as(head: bytes) -> str | None:
    """What a file holds, from its first bytes alone, when their signature shows it is not text."""
    for signature, name in SIGNATURES:
        if head.startswith(signature):
            return name
    return None


def what_it_is(raw: bytes, text: str | None) -> str | None:
    """What a file that is not text holds ('a PDF document'), or None for text; `text` is `raw` decoded
    (encoding.decode), None when it is not text in any encoding."""
    if not raw.strip():
        return "nothing (the file is empty)" if not raw else "only white space"
    found = what_it_starts_as(raw[:8192])
    if found:
        return found
    if text is None:
        return "binary data, not text"
    return None if text.strip() else "only white space"


def not_a_notebook(raw: bytes, text: str | None) -> str | None:
    """Why `raw` is not a Jupyter notebook, in words a student understands, or None when it may be one."""
    found = what_it_is(raw, text)
    if found:
        return not_a_notebook_because(raw, found)
    try:
        data = json.loads(text)
    except ValueError as exc:
        where = f" (line {exc.lineno}, column {exc.colno}: {exc.msg})" if hasattr(exc, "lineno") else ""
        return f"the upload is not a Jupyter notebook: it is not valid JSON{where}, perhaps cut off or edited by hand"
    except RecursionError:
        return "the upload is not a Jupyter notebook: its JSON is nested too deeply"
    if not has_cells(data):
        return "the upload is not a Jupyter notebook: it is JSON, but has no list of cells"
    return None


def not_python(raw: bytes, text: str | None) -> str | None:
    """Why `raw` is not a Python file, or None when it is text (syntax errors are noted per cell later)."""
    found = what_it_is(raw, text)
    return f"the upload is not a Python file: it holds {found}" if found else None


def not_a_notebook_start(head: bytes, text: str | None) -> str | None:
    """Why a file whose first bytes are `head` (`text` decoded, None when they are not text) is not a
    notebook, or None; for files too big to read whole."""
    found = what_it_starts_as(head) or (None if text is not None else "binary data, not text")
    if found:
        return not_a_notebook_because(head, found)
    if not text.lstrip().startswith("{"):
        return "the upload is not a Jupyter notebook: it is not JSON (a notebook starts with '{')"
    return None


def not_a_notebook_because(raw: bytes, found: str) -> str:
    start = raw[:4].decode("latin-1") if raw.strip() else ""
    shown = f"it starts with {start!r} and holds {found}" if start.isprintable() and start.strip() else f"it holds {found}"
    return f"the upload is not a Jupyter notebook: {shown}"
