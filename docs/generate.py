"""The reference pages the code already knows, written from it: `python docs/generate.py` (tests/test_docs.py
fails when a committed page differs from what this writes).

docs/reference/rubric.md   the rubric's keys with their help text (autograder/rubric.py, late.py, each pack's tables)
docs/reference/cli.md      every verb's options (autograder/cli.py's parser)
docs/reference/api.md      the pack API: every name of autograder.pack and autograder.child.contract, its docstring
docs/reference/student-readme.md   the README the student bundle of nn2 ships (autograder/student/bundle.py)
docs/refusals.md           its table of refusals, from the cases tests/test_operator_inputs.py runs
"""

from __future__ import annotations

import argparse
import inspect
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder import cli, homework, late, pack, rubric  # noqa: E402
from autograder.child import contract  # noqa: E402

# The packs this repository ships (a course's own pack installed beside them changes no page).
SHIPPED = sorted(p.name for p in homework.HOMEWORKS.iterdir() if (p / "__init__.py").is_file())
HEADER = "<!-- Written by docs/generate.py from the code: edit the code, then run python docs/generate.py. -->\n\n"


def cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|").replace("<", "&lt;")


def key_rows(table: str, keys: dict) -> list[str]:
    rows = []
    for name, key in keys.items():
        kind = key.kind if isinstance(key.kind, str) else key.kind.__name__
        least = "" if key.minimum is None or kind == "str" else f"≥ {key.minimum:g}"
        default = "required" if key.default is None else "optional" if key.default == "" else f"`{key.default}`"
        where = f"`[{table}]`" if table else "top level"
        rows.append(f"| {where} | `{name}` | {kind} | {least} | {default} | {cell(key.help)} |")
    return rows


def rubric_page() -> str:
    lines = ["# The rubric's keys", "", "Every key a rubric file may hold. The engine's keys are declared once, as the fields of",
             "`autograder/rubric.py`'s `Rubric`; each pack declares its own tables in its `HOMEWORK.tables`.", "",
             "| table | key | type | least | default | what it is |", "|---|---|---|---|---|---|"]
    for table, keys in rubric.SCALARS.items():
        lines += key_rows(table, keys)
    lines += ["| `[parts]` | one per part | float | ≥ 0 | required | the part's points (they add up to `total`) |"]
    lines += key_rows("[check]", rubric.CHECK_ROW)
    lines += key_rows("[manual]", rubric.MANUAL_ROW)
    lines += key_rows("[manual.items]", rubric.ITEM_ROW)
    lines += [f"| `[late]` | `{name}` | | | optional | {cell(text)} |" for name, text in late.KEYS.items()]
    for hw_id in SHIPPED:
        hw = homework.load(hw_id)
        if hw.tables:
            lines += ["", f"## The tables of `{hw_id}` ({hw.title})", "", "| table | key | type | least | default | what it is |",
                      "|---|---|---|---|---|---|"]
            for table, keys in hw.tables.items():
                lines += key_rows(table, keys)
    return HEADER + "\n".join(lines) + "\n"


def options(parser: argparse.ArgumentParser, words: str) -> list[str]:
    lines = [f"## `autograder {words}`", "", cell(parser.description or ""), "", "| option | what it does |", "|---|---|"]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.dest == "help":
            continue
        names = ", ".join(action.option_strings) or action.dest.upper()
        lines.append(f"| `{names}` | {cell(action.help or '')} |")
    lines.append("")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                lines += options(sub, f"{words} {name}")
    return lines


def cli_page() -> str:
    top = cli.parser()
    lines = ["# The command line", "", "Every verb and option, as `autograder --help` gives them.", ""]
    for action in top._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {c.dest: c.help for c in action._choices_actions}
            for name, sub in action.choices.items():
                sub.description = sub.description or helps.get(name, "")
                lines += options(sub, name)
    return HEADER + "\n".join(lines).rstrip() + "\n"


def first_paragraph(obj) -> str:
    doc = inspect.getdoc(obj) or ""
    return cell(doc.split("\n\n")[0])


def api_page() -> str:
    lines = ["# The pack API", "", f"`autograder.pack.API_VERSION` is `{pack.API_VERSION}`. A pack imports only these names",
             "(docs/packs.md says how they fit together).", "", "## `autograder.pack`: the grader side", "",
             "| name | what it is |", "|---|---|"]
    for name in pack.__all__:
        obj = getattr(pack, name)
        lines.append(f"| `{name}` | {first_paragraph(obj) if not isinstance(obj, str) else cell(repr(obj))} |")
    lines += ["", "## `autograder.child.contract`: the child side", "", "| name | what it is |", "|---|---|"]
    for name in contract.__all__:
        lines.append(f"| `{name}` | {first_paragraph(getattr(contract, name))} |")
    return HEADER + "\n".join(lines) + "\n"


def student_readme() -> str:
    from autograder.student import bundle

    hw = homework.load("nn2")
    return HEADER + bundle.README.format(title=hw.title, notebook=hw.notebook, first_part=next(iter(hw.parts)))


def refusals_page() -> str:
    """docs/refusals.md with its table of refusals written from the test that runs each one."""
    sys.path.insert(0, str(ROOT / "tests"))
    import test_operator_inputs

    rows = ["| command | case | message (after `autograder: `) |", "|---|---|---|"]
    shipped = lambda text: text.replace(test_operator_inputs.INSTALLED, ", ".join(SHIPPED))
    rows += [f"| `autograder {cell(' '.join(args))}` | {cell(case)} | {cell(shipped(message))} |"
             for case, args, message in test_operator_inputs.REFUSED]
    page = (ROOT / "docs" / "refusals.md").read_text(encoding="utf-8")
    begin, end = "<!-- refusals: written by docs/generate.py from tests/test_operator_inputs.py -->", "<!-- end of refusals -->"
    before, rest = page.split(begin, 1)
    return before + begin + "\n" + "\n".join(rows) + "\n" + end + rest.split(end, 1)[1]


def expected() -> dict[Path, str]:
    folder = ROOT / "docs" / "reference"
    return {folder / "rubric.md": rubric_page(), folder / "cli.md": cli_page(), folder / "api.md": api_page(),
            folder / "student-readme.md": student_readme(), ROOT / "docs" / "refusals.md": refusals_page()}


if __name__ == "__main__":
    for path, text in expected().items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
