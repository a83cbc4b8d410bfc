"""Tests that cannot fail, found by reading them (no test is run): `python tests/weak.py` lists them.

A test is weak when:

* it asserts nothing: no assert, no pytest.raises, and no call of a helper of tests/ that asserts;
* it asks for a fixture it never uses (a fixture wanted for what it does says so with
  @pytest.mark.usefixtures);
* it edits a text with `.replace("...", ...)` without checking that the text is still there: when
  the reference or the rubric changes, the edit silently does nothing and the test tests the
  unedited text (conftest.edited checks it);
* an assert reads only the test file's own literal data (`assert len(HINTS) >= 12`): it counts
  what the test file says, not what the code does.

tests/test_weak_tests.py holds the suite to an empty list.
"""

from __future__ import annotations

import ast
import builtins
import sys
from dataclasses import dataclass
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# A literal whose replacement is an edit of a file's text (code, TOML), not string formatting.
EDIT_MARKS = ("=", "(", ".", "\n", "[", "*")
BUILTINS = set(dir(builtins))


@dataclass(frozen=True)
class Weak:
    where: str  # file:line
    test: str
    why: str

    def __str__(self) -> str:
        return f"{self.where} {self.test}: {self.why}"


def modules() -> dict[Path, ast.Module]:
    return {p: ast.parse(p.read_text(), str(p)) for p in sorted(TESTS.glob("*.py"))}


def asserting_helpers(trees: dict[Path, ast.Module]) -> set[str]:
    """Names of the functions of tests/ that assert, directly or through another such function."""
    functions = {f.name: f for tree in trees.values() for f in ast.walk(tree)
                 if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
    found: set[str] = set()
    while True:
        more = {name for name, f in functions.items() if name not in found and asserts(f, found)}
        if not more:
            return found
        found |= more


def asserts(function: ast.AST, helpers: set[str]) -> bool:
    for node in ast.walk(function):
        if isinstance(node, ast.Assert):
            return True
        if isinstance(node, ast.Call):
            name = called_name(node)
            if name in helpers or name in ("raises", "warns", "fail", "approx"):
                return True
    return False


def called_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def used_names(function: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(function) if isinstance(n, ast.Name)}


def parametrized(function: ast.FunctionDef) -> set[str]:
    names = set()
    for deco in function.decorator_list:
        if isinstance(deco, ast.Call) and called_name(deco) == "parametrize" and deco.args:
            first = deco.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names |= {n.strip() for n in first.value.split(",")}
    return names


def unguarded_edits(function: ast.AST) -> list[ast.Call]:
    found = []
    for node in ast.walk(function):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "replace"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                and any(mark in node.args[0].value for mark in EDIT_MARKS)):
            found.append(node)
    return found


def own_data(tree: ast.Module) -> set[str]:
    """Module-level names bound to a literal display (a list, tuple, dict or set written in the file)."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, (ast.List, ast.Tuple, ast.Dict, ast.Set)):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def reads_only_own_data(test: ast.AST, check: ast.Assert, own: set[str]) -> bool:
    """An assert whose every name is the file's own literal data, a builtin, or bound from those in the test."""
    local = set(own)
    for node in ast.walk(test):  # names bound inside comprehensions over own data count as own
        if isinstance(node, ast.comprehension) and used_names(node.iter) <= local | BUILTINS:
            local |= {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
    names = used_names(check.test)
    return bool(names & own) and names <= local | BUILTINS


def scan(trees: dict[Path, ast.Module] | None = None) -> list[Weak]:
    trees = trees or modules()
    helpers = asserting_helpers(trees)
    weak = []
    for path, tree in trees.items():
        own = own_data(tree)
        for test in [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                     and n.name.startswith("test_")]:
            where = lambda node: f"{path.name}:{node.lineno}"
            if not asserts(test, helpers):
                weak.append(Weak(where(test), test.name, "asserts nothing"))
            body = used_names(test)
            for arg in test.args.args:
                if arg.arg not in body and arg.arg not in parametrized(test):
                    weak.append(Weak(where(test), test.name, f"asks for the fixture `{arg.arg}` and never uses it"))
            for call in unguarded_edits(test):
                weak.append(Weak(where(call), test.name, f"edits a text with .replace({call.args[0].value!r}, ...) "
                                                        "without checking the text is there (use edited())"))
            for check in [n for n in ast.walk(test) if isinstance(n, ast.Assert)]:
                if reads_only_own_data(test, check, own):
                    weak.append(Weak(where(check), test.name, "asserts only on the test file's own literal data"))
    return weak


def helper_edits(trees: dict[Path, ast.Module] | None = None) -> list[Weak]:
    """Unguarded edits in the helpers and fixtures of tests/ (every function but `edited` itself)."""
    trees = trees or modules()
    found = []
    for path, tree in trees.items():
        for function in [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                         and not n.name.startswith("test_") and n.name != "edited"]:
            for call in unguarded_edits(function):
                found.append(Weak(f"{path.name}:{call.lineno}", function.name,
                                  f"edits a text with .replace({call.args[0].value!r}, ...) without checking it"))
    return found


if __name__ == "__main__":
    found = scan() + helper_edits()
    for w in found:
        print(w)
    print(f"{len(found)} weak spots in {len(modules())} files of tests/")
    sys.exit(1 if found else 0)
