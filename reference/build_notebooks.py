"""Write every homework's handout notebook and solved notebook from the one source of their cells.

    .venv/bin/python reference/build_notebooks.py

student_template/<homework>/<notebook>.ipynb: the handout, the TODO bodies left open.
reference/<homework>/solution.ipynb: the same cells with reference/<homework>/solution.py's answers.
A test fails when a committed notebook is out of date with this script.
"""

import ast
from pathlib import Path

import nbformat

from autograder import homework

ROOT = Path(__file__).resolve().parent.parent


def solution_answers(hw) -> dict[str, str]:
    """name -> source of each answer's definition in the homework's reference solution."""
    source = hw.reference.read_text()
    out = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in hw.handout.ANSWERS:
            out[node.name] = ast.get_source_segment(source, node)
    missing = set(hw.handout.ANSWERS) - set(out)
    if missing:
        raise SystemExit(f"{hw.reference} lacks {', '.join(sorted(missing))}")
    return out


def notebook(hw, answers=None) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for kind, source in hw.handout.cells(answers):
        cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
        cell.pop("id", None)  # stable files: cell ids would change on every build
        nb.cells.append(cell)
    nb.nbformat, nb.nbformat_minor = 4, 4
    return nb


def render(nb) -> str:
    return nbformat.writes(nb) + "\n"


def expected_files() -> dict[Path, str]:
    files = {}
    for hw in map(homework.load, homework.ids()):
        files[hw.template] = render(notebook(hw))
        files[hw.reference.with_suffix(".ipynb")] = render(notebook(hw, solution_answers(hw)))
    return files


def main() -> None:
    for path, text in expected_files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
