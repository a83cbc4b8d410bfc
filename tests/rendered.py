"""What a reader sees of Gradescope's Markdown: the text CommonMark renders, line by line.

Gradescope renders `output_format: "md"` with a CommonMark renderer; markdown-it-py is one, with
raw HTML switched on here so that any HTML reaching the page would show up as a token.
"""

from markdown_it import MarkdownIt

from autograder.feedback import markdown

RENDERER = MarkdownIt("commonmark", {"html": True})
MARKUP_FROM_TEXT = {"html_inline", "html_block", "link_open", "image", "heading_open", "code_block", "fence",
                    "em_open", "hr", "blockquote_open", "ordered_list_open"}


def rendered_lines(md: str) -> list[str]:
    """The lines a reader sees, blank ones dropped, each line's runs of blanks made one."""
    text, tokens = [], RENDERER.parse(md)
    for token in tokens:
        assert token.type not in MARKUP_FROM_TEXT, f"{token.type} rendered from {md!r}"
        for child in token.children or []:
            assert child.type not in MARKUP_FROM_TEXT, f"{child.type} rendered from {md!r}"
            text.append("\n" if child.type in ("softbreak", "hardbreak") else child.content)
        text.append("\n")
    return [" ".join(line.split()) for line in "".join(text).split("\n") if line.strip()]


def written_lines(text: str) -> list[str]:
    """The lines of the plain text as a reader should see them ("- " items as bullets, `spans` as code)."""
    lines = [line[2:] if line.startswith("- ") else line for line in (ln.rstrip() for ln in text.split("\n"))]
    lines = [markdown.SPAN.sub(lambda span: code_shown(span.group(0)[1:-1]), line) for line in lines]
    return [" ".join(line.split()) for line in lines if line.strip()]


def assert_renders_as_written(text: str) -> None:
    md = markdown.to_markdown(text)
    assert markdown.to_plain(md) == "\n".join(line.rstrip() for line in text.split("\n"))
    assert rendered_lines(md) == written_lines(text), md


def code_shown(code: str) -> str:
    """A code span's text as CommonMark shows it: one blank each side dropped when both have one."""
    padded = code.startswith(" ") and code.endswith(" ") and code.strip(" ")
    return code[1:-1] if padded else code
