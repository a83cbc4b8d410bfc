"""Feedback as Markdown for Gradescope, which renders `output_format: "md"`; plain text everywhere else.

Plain text stays the source: the terminal table, the batch's files and the self-check show it
as written. For Gradescope, `to_markdown` makes the same words render as they read:

* calls the student wrote or must write (`Mix(nn)`, `FrobClassifier().fit(Xtrain,Ttrain)`,
  `sqrt(h)`) become code spans, so they stand out from the sentence around them;
* the text's own `code spans` stay code spans;
* "Likely mistake:" and "Advice (no points lost):" are bold;
* every character Markdown would read as markup (`*`, `_`, `|`, `<`, `#`, ...) is escaped, so
  `||W||_Frob` and `lambda*h` show as written and text from student code (an exception's
  message, a line of their notebook) can never become a link, an image or HTML;
* each line stays a line (a hard break), and "- " lines stay a list.

`to_plain` undoes it exactly, which the tests hold on every message the catalog produces and on
random text: what Gradescope shows is the text the rest of the grader wrote, nothing more.
"""

from __future__ import annotations

import re

from autograder.feedback.sentences import MISTAKE_MARK

BOLD = (MISTAKE_MARK, "Advice (no points lost):")
# Backslash-escapable ASCII punctuation that Markdown (CommonMark, GitHub's tables and strikethrough,
# math extensions) may read as markup. `(`, `)`, `.`, `-`, `+`, `!` only matter where lines start.
SPECIAL = set("\\`*_[]<>|~#$&")
CALL = re.compile(r"(?<![\w.`)])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*\([^()`\n]{0,40}\)"
                  r"(?:\.[A-Za-z_]\w*\([^()`\n]{0,40}\))*(?!`)")
SPAN = re.compile(r"(?<!`)`[^`\n]+`(?!`)")  # a backtick next to another makes no span of a single one
AUTO_SPAN = re.compile(r"``([^`\n]+)``")
LINE_START = re.compile(r"^(\d+)([.)])|^([+=-])")
HARD_BREAK = "  "


def to_markdown(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    out = []
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        md = "- " + line_markdown(line[2:]) if line.startswith("- ") else line_markdown(line)
        out.append(md + (HARD_BREAK if md and following else ""))
    return "\n".join(out)


def line_markdown(line: str) -> str:
    """A line (or a list item's text) that starts no block of its own: no list, code block or heading."""
    indent = len(line) - len(line.lstrip(" "))
    return "&#32;" * indent + start_of_line(inline(line[indent:]))  # &#32;: spaces that keep no code block


def inline(text: str) -> str:
    """One line's text: its code spans kept, calls made code, markup escaped, the marks bold."""
    pieces, last, spans = [], 0, list(SPAN.finditer(text))
    for span in spans:
        pieces.append(prose(text[last:span.start()], after_span=last > 0, before_span=True))
        pieces.append(span.group(0))
        last = span.end()
    pieces.append(prose(text[last:], after_span=last > 0, before_span=False))
    return "".join(pieces)


def prose(text: str, after_span: bool, before_span: bool) -> str:
    """Text between code spans; a call touching a span stays text (backticks side by side merge)."""
    pieces, last = [], 0
    for call in CALL.finditer(text):
        if (after_span and call.start() == 0) or (before_span and call.end() == len(text)):
            continue
        pieces.append(escape(text[last:call.start()]))
        pieces.append(f"``{call.group(0)}``")
        last = call.end()
    pieces.append(escape(text[last:]))
    md = "".join(pieces)
    for mark in BOLD:  # bold only between blanks: CommonMark ignores ** next to a letter after ':'
        md = re.sub(rf"(?<!\S){re.escape(escape(mark))}(?=\s|$)", lambda m: f"**{m.group(0)}**", md)
    return md


def escape(text: str) -> str:
    return "".join("\\" + c if c in SPECIAL else c for c in text)


def start_of_line(md: str) -> str:
    """A line that would start a list, a heading underline or a numbered item: its first mark escaped."""
    return LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}", md, count=1)


def to_plain(md: str) -> str:
    """The text `to_markdown` was given (lines without trailing blanks)."""
    lines = []
    for line in md.split("\n"):
        line = line[: -len(HARD_BREAK)] if line.endswith(HARD_BREAK) else line
        item = "- " if line.startswith("- ") else ""
        line, indent = line[len(item):], 0
        while line.startswith("&#32;"):
            line, indent = line[len("&#32;"):], indent + 1
        lines.append(item + " " * indent + plain_line(line))
    return "\n".join(lines)


def plain_line(md: str) -> str:
    for mark in BOLD:
        md = md.replace(f"**{escape(mark)}**", escape(mark))  # only the grader writes ** (text's * are escaped)
    pieces, last = [], 0
    for span in re.finditer(r"``[^`\n]+``|`[^`\n]+`|\\.", md):
        pieces.append(md[last:span.start()])
        token = span.group(0)
        pieces.append(token[1] if token.startswith("\\") else token[2:-2] if token.startswith("``") else token)
        last = span.end()
    pieces.append(md[last:])
    return "".join(pieces)


def results(data: dict) -> dict:
    """A results.json's content with every output in Markdown, and the format said, for Gradescope."""
    tests = [{**t, "output": to_markdown(t["output"]), "output_format": "md"} for t in data.get("tests", [])]
    return {**data, "output": to_markdown(data.get("output", "")), "output_format": "md", "tests": tests}
