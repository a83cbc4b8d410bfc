"""A student's notebook as the review page shows it: code highlighted, Markdown answers rendered, safely.

Student text is untrusted in a TA's browser: Markdown is rendered with raw HTML off (markdown-it
escapes it and refuses javascript: links), code goes through Pygments, and the page's Content
Security Policy loads no image or script from anywhere else. Outputs are left out (they can be
megabytes and say nothing the grading does not).
"""

from __future__ import annotations

import re
from pathlib import Path

SHOWN_CHARS = 20_000  # of one cell: a pasted data dump would bury the answer


def read(path: Path) -> list[dict]:
    """The cells of a notebook or .py file: [{"kind": "code"|"markdown", "source": ...}]; [] when unreadable."""
    import nbformat

    from autograder.grading import encoding

    try:
        raw = path.read_bytes()
    except OSError:
        return []
    decoded = encoding.decode(raw)
    if decoded is None:
        return []
    if path.suffix != ".ipynb":
        return [{"kind": "code", "source": decoded.text}]
    try:
        nb = nbformat.reads(decoded.text, as_version=4)
    except Exception:  # nbformat raises a zoo of JSON and schema errors; the grading said what was wrong
        return []
    return [{"kind": c.cell_type, "source": c.source} for c in nb.cells if c.cell_type in ("code", "markdown")]


def of_student(out: Path, record: dict) -> tuple[list[dict], str]:
    """The student's cells and where they come from: the file graded, else the answers the grader ran."""
    path = Path(record.get("path") or "")
    cells = read(path) if record.get("path") else []
    if cells:
        return cells, path.name
    answers = out / "answers" / f"{record['file']}.py"
    if answers.is_file():
        return [{"kind": "code", "source": answers.read_text(encoding="utf-8", errors="replace")}], \
            "the answer code the grader ran (the file itself is gone)"
    return [], "no file: nothing was graded"


def for_parts(cells: list[dict], names: list[str]) -> list[int]:
    """The indexes of the cells that name one of `names` (a part's functions), with the Markdown cells right
    after each (where a notebook asks for the written answer)."""
    words = [re.compile(rf"\b{re.escape(n)}\b") for n in names if n]
    picked: list[int] = []
    for i, cell in enumerate(cells):
        if any(w.search(cell["source"]) for w in words):
            picked.append(i)
            j = i + 1
            while j < len(cells) and cells[j]["kind"] == "markdown":
                picked.append(j)
                j += 1
    return sorted(set(picked))


def html(cell: dict) -> str:
    """One cell as HTML: highlighted code, or rendered Markdown with no raw HTML."""
    source = cell["source"]
    cut = len(source) > SHOWN_CHARS
    source = source[:SHOWN_CHARS]
    if cell["kind"] == "markdown":
        from markdown_it import MarkdownIt

        rendered = MarkdownIt("commonmark", {"html": False}).render(source)
    else:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer

        rendered = highlight(source, PythonLexer(), HtmlFormatter(cssclass="hl"))
    return rendered + ("<p class='cut'>(cut: the cell is longer)</p>" if cut else "")


def style() -> str:
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(cssclass="hl").get_style_defs(".hl")
