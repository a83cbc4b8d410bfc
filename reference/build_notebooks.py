"""Write the handout notebook and the solved notebook from the one source of their cells.

    .venv/bin/python reference/build_notebooks.py

student_template/neural_networks_2.ipynb: the handout, the four TODO bodies left open.
reference/solution.ipynb: the same cells with reference/solution.py's answers.
A test fails when either committed notebook is out of date with this script.
"""

import ast
from pathlib import Path

import nbformat

from autograder.scaffold import handout

ROOT = Path(__file__).resolve().parent.parent
HANDOUT = ROOT / "student_template" / "neural_networks_2.ipynb"
SOLUTION = ROOT / "reference" / "solution.ipynb"
SOLUTION_SOURCE = ROOT / "reference" / "solution.py"


def solution_answers() -> dict[str, str]:
    """name -> source of each answer's definition in reference/solution.py."""
    source = SOLUTION_SOURCE.read_text()
    out = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name in handout.ANSWERS:
            out[node.name] = ast.get_source_segment(source, node)
    missing = set(handout.ANSWERS) - set(out)
    if missing:
        raise SystemExit(f"reference/solution.py lacks {', '.join(sorted(missing))}")
    return out


def notebook(answers=None) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for kind, source in handout.cells(answers):
        cell = nbformat.v4.new_code_cell(source) if kind == "code" else nbformat.v4.new_markdown_cell(source)
        cell.pop("id", None)  # stable files: cell ids would change on every build
        nb.cells.append(cell)
    nb.nbformat, nb.nbformat_minor = 4, 4
    return nb


def render(nb) -> str:
    return nbformat.writes(nb) + "\n"


def expected_files() -> dict[Path, str]:
    return {HANDOUT: render(notebook()), SOLUTION: render(notebook(solution_answers()))}


def main() -> None:
    for path, text in expected_files().items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
