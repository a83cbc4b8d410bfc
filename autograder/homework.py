"""Homework packs as the engine sees them: their declarations, and finding and loading them.

A pack is a Python package whose __init__.py defines HOMEWORK (a Homework): its answers (each declared
once, as a `Task`: the name the student defines, the call feedback names, its rubric part, and for a
class the method that holds the answer), the handout notebook's name, the words the engine's sentences
need and its own rubric tables. It is one of the folders autograder/homeworks/<id>/, or a course's own
package that names it in the entry point group `autograder.homeworks` (pyproject.toml:
[project.entry-points."autograder.homeworks"] id = "package"). Packs import only the pack API
(autograder.pack, and autograder.child.contract for their child side); the engine reaches a pack's
parts through its Homework object (`checks`, `gradings`, `module`).
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from types import ModuleType
from typing import Callable

from autograder.child.contract import Kind as Contract, child_code
from autograder.errors import UsageError

PACKAGE = Path(__file__).resolve().parent
HOMEWORKS = PACKAGE / "homeworks"
# The pack API (autograder.pack, autograder.child.contract): a pack says which version it was written for, and
# one of another major version is refused. 2: the colliding names renamed (Task, Grading, Site), one facade.
API_VERSION = "2.0"
REPO = PACKAGE.parent

# ----------------------------------------------------------------------------- the homework

@dataclass(frozen=True)
class Task:
    """One thing a student writes: a function, or a class whose `method` holds the answer."""

    name: str  # what the student defines: "Mix", "FrobClassifier"
    call: str  # how feedback names it: "Mix(nn)", "FrobClassifier.reg()"
    part: str = ""  # the rubric part it is graded in (default: its name)
    method: str = ""  # for a class: the method holding the answer ("reg"), what mutants edit

    @property
    def graded_in(self) -> str:
        return self.part or self.name

    @property
    def path(self) -> tuple[str, ...]:
        """The definition path to the function that holds the answer: ("Mix",), ("FrobClassifier", "reg")."""
        return (self.name, self.method) if self.method else (self.name,)


@dataclass(frozen=True)
class Words:
    """The nouns the engine's sentences need, in the homework's own words (it knows no homework)."""

    input: str = "input"  # what one question is about, in "on every network asked"
    public_inputs: str = "the public inputs"  # in "The public checks pass on the two fixed networks"
    anything: str = "inputs"  # what a function must be right for: "weights, biases and data"
    factor_suspects: str = "a square?"  # what a constant factor usually is: "lambda, h, a square?"
    vocabulary: tuple[str, ...] = ()  # words only this homework's messages say (the engine's guard checks)


@dataclass(frozen=True, eq=False)  # one instance per pack, compared and hashed by identity
class Homework:
    """A homework pack, as the engine sees it."""

    id: str
    title: str
    answers: tuple[Task, ...]  # in the order of the sheet
    notebook: str  # the handout notebook's file name without .ipynb: "neural_networks_2"
    summary: str  # the first line of every results.json: what was graded
    package: str = ""  # the pack's Python package: __name__ of its __init__.py (default: autograder.homeworks.<id>)
    tables: dict = field(default_factory=dict)  # extra rubric tables: "penalty" -> {key: rubric.Key}
    named_factors: Callable | None = None  # rubric -> {name: value}: constants a factor is named by
    words: Words = field(default_factory=Words)
    # Where the pack's sources that never ship live (a checkout's reference/ and tests/, or folders beside the
    # pack's package): the instructor's solved notebook with its solution marks (handouts.py), the model
    # answers written from it, and the catalog of correct/ and wrong/ submissions.
    master: Path | None = None
    solution: Path | None = None
    catalog: Path | None = None
    api: str = "1"  # the pack API version it was written for (API_VERSION); packs from before versions are 1

    @property
    def parts(self) -> dict[str, str]:
        """rubric part -> the call feedback names, in the order of the sheet."""
        return {a.graded_in: a.call for a in self.answers}

    @property
    def module_name(self) -> str:
        return self.package or f"{__package__}.homeworks.{self.id}"

    @cached_property
    def folder(self) -> Path:
        return Path(importlib.import_module(self.module_name).__file__).resolve().parent

    @property
    def handout(self):
        """The handout (child/handout.py's HANDOUT: cells(), ANSWERS, PROVIDED_NAMES, provided_source())."""
        return self.module("child.handout").HANDOUT

    @property
    def checks_folder(self) -> Path:
        return self.folder / "checks"

    @property
    def rubric_path(self) -> Path:
        return self.folder / "rubric.toml"

    @property
    def template(self) -> Path:
        """The handout notebook students are given."""
        return self.folder / "child" / f"{self.notebook}.ipynb"

    @property
    def reference(self) -> Path:
        """The model answers (never shipped)."""
        return self.solution if self.solution else self.folder / "solution.py"

    def checks(self) -> dict[str, "CheckFn"]:
        """check id -> the check: every @check function of the pack's checks/ folder."""
        return registry(self)

    def gradings(self) -> dict[str, "Grading"]:
        """kind name -> how the grader grades it: every Grading at the top of a module of checks/."""
        return kinds(self)

    def child_code(self):
        """(its kinds by name, its child/answers.py module)."""
        return child_code(self.module_name)

    def mutation(self) -> tuple[ModuleType, ModuleType]:
        """(its mutants.py: the operators, its equivalence.py: the float64 decider)."""
        return self.module("mutants"), self.module("equivalence")

    def module(self, name: str) -> ModuleType:
        return importlib.import_module(f"{self.module_name}.{name}")


def checkout_sources(homework_id: str) -> dict[str, Path]:
    """Where a pack of this repository keeps what never ships: its solved notebook and model answers in
    reference/<id>/, its catalog in tests/submissions/<id>/ (a course's pack says where its own are)."""
    repo = Path(__file__).resolve().parent.parent
    return {"master": repo / "reference" / homework_id / "master.ipynb",
            "solution": repo / "reference" / homework_id / "solution.py",
            "catalog": repo / "tests" / "submissions" / homework_id}


# ----------------------------------------------------------------------------- a check file's declarations

def check(check_id: str, asks: Callable | None = None):
    """Decorator: the function is the rubric row `check_id`; `asks(asking)` returns the questions it asks."""
    def mark(func):
        func.__check_id__ = check_id
        func.__asks__ = asks
        return func
    return mark


def grader_only(func):
    """A function the student bundle ships without its body: it holds expected values or mistakes."""
    func.__grader_only__ = True
    return func


@dataclass(frozen=True, eq=False)
class Grading:
    """How the grader grades a kind of question (`contract`, declared in the pack's child/kinds.py).

    `expected(question, rubric)`, `gradient(question, rubric)`, `mistakes(question, rubric)` and
    `figures(question, answer, rubric)` are the grader's (they use the oracle); the student
    bundle has none of them. The self-check's stand-in for `figures` is
    `stored_figures(question, answer, own, rubric)`, where `own` holds what the student's own
    functions answered to the questions `own(question, answer)` returns ({figure: Question}),
    asked only of parts whose public checks passed (None for the others).
    """

    contract: Contract
    expected: Callable | None = None
    gradient: Callable | None = None
    gradient_field: str = ""  # the answer's field that holds the gradient `gradient` computes (a factor is looked for)
    also: dict = field(default_factory=dict)  # other fields' expected values: name -> (question, rubric) -> value
    mistakes: Callable | None = None
    figures: Callable | None = None
    stored_figures: Callable | None = None
    own: Callable | None = None

    @property
    def name(self) -> str:
        return self.contract.name

    @property
    def fields(self) -> dict:
        return self.contract.fields

    @property
    def required(self) -> tuple[str, ...]:
        return self.contract.required

    @property
    def returns(self) -> str:
        return self.contract.returns

    @property
    def value(self) -> bool:
        return self.contract.value

    @property
    def long(self) -> bool:
        return self.contract.long

    @property
    def inputs(self) -> type:
        return self.contract.inputs


@dataclass(frozen=True)
class CheckFn:
    id: str
    function: Callable
    where: str  # the file it lives in, relative to the package: for messages
    asks: Callable | None


def check_modules(homework) -> list:
    """Every module of the homework's checks/ folder, in name order."""
    folder = homework.checks_folder
    return [homework.module(f"checks.{p.stem}") for p in sorted(folder.glob("*.py")) if p.stem != "__init__"]


@lru_cache(maxsize=None)
def registry(homework) -> dict[str, CheckFn]:
    """check id -> the check: every @check function of the homework's check_*.py files."""
    found: dict[str, CheckFn] = {}
    for module in check_modules(homework):
        where = f"{homework.module_name.replace('.', '/')}/checks/{module.__name__.rsplit('.', 1)[-1]}.py"
        marked = [v for v in vars(module).values() if callable(v) and getattr(v, "__check_id__", None) is not None]
        for value in marked + [f for d in declared(module) for f in d.checks()]:
            check_id = value.__check_id__
            if check_id in found:
                raise ValueError(f"two checks have the id {check_id!r}: {found[check_id].where} and {where}")
            found[check_id] = CheckFn(check_id, value, where, value.__asks__)
    return found


@lru_cache(maxsize=None)
def kinds(homework) -> dict[str, Grading]:
    """kind name -> Grading: every Grading defined at the top of a module of the checks/ folder."""
    found: dict[str, Grading] = {}
    for module in check_modules(homework):
        for value in [*vars(module).values(), *(d.grading for d in declared(module))]:
            if isinstance(value, Grading):
                found[value.name] = value
    return found


def declared(module) -> list:
    """The questions declared in one place in a check file (autograder.pack.Function, grading/declared.py)."""
    return [v for v in vars(module).values() if getattr(v, "__declares_question__", False) and not isinstance(v, type)]


def with_declared_tasks(homework: Homework) -> Homework:
    """The homework with the task of every function declared in one place in its checks/ added to its answers
    (after those its __init__.py lists, in the files' name order), so that no second file names it."""
    names = {a.name for a in homework.answers}
    tasks = tuple(d.task for m in check_modules(homework) for d in declared(m) if d.name not in names)
    return replace(homework, answers=homework.answers + tasks) if tasks else homework


# ----------------------------------------------------------------------------- finding packs

ENTRY_POINTS = "autograder.homeworks"  # the group a package registers its packs in (pyproject.toml)


@lru_cache(maxsize=1)
def found() -> dict[str, str]:
    """homework id -> the Python package of its pack: every entry point of the group `autograder.homeworks`
    (this package's own packs and a course's, installed beside it), and the packs in autograder/homeworks/
    (where a Gradescope zip or a student bundle puts its one pack, with no package metadata)."""
    packs = {m.name: f"{__package__}.homeworks.{m.name}" for m in pkgutil.iter_modules([str(HOMEWORKS)])
             if m.ispkg and (HOMEWORKS / m.name / "__init__.py").is_file()}
    try:
        from importlib.metadata import entry_points

        for entry in entry_points(group=ENTRY_POINTS):
            module = entry.value.split(":")[0]
            if entry.name not in packs and importable(module):
                packs[entry.name] = module
    except Exception:  # broken metadata of some other package: the folder's packs still count
        pass
    return packs


def importable(module: str) -> bool:
    """Whether a module can be found here (an entry point of an installed copy may name a pack this copy,
    a student bundle or a Gradescope zip, does not hold)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def ids() -> list[str]:
    """The packs installed here (a Gradescope zip or a student bundle holds one)."""
    return sorted(found())


@lru_cache(maxsize=None)
def load(homework_id: str) -> Homework:
    if homework_id not in found():
        raise UsageError(f"--homework {homework_id}: no such homework; the homeworks here are: {', '.join(ids())}")
    module = import_pack(found()[homework_id], homework_id)
    hw = module.HOMEWORK
    refuse_other_api(hw, module.__name__)
    if hw.id != homework_id:
        raise UsageError(f"the pack {module.__name__} registered as {homework_id!r} is the homework {hw.id!r}: "
                         "make its entry point's name its id")
    # Where it was found is where its modules are (a zip puts a course's pack under autograder/homeworks/).
    return with_declared_tasks(hw if hw.package == module.__name__ else replace(hw, package=module.__name__))


def import_pack(name: str, homework_id: str):
    """The pack's package; a pack that does not import with this grader (written for another pack API) is refused."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise UsageError(f"the pack {name} (homework {homework_id}) does not load with this grader, whose pack API "
                         f"is {API_VERSION} ({exc}): update the pack to it (docs/packs.md), or grade with the "
                         "grader it was written for") from None


def refuse_other_api(hw: Homework, name: str) -> None:
    """A pack written for another major version of the pack API is refused, both versions named."""
    wanted, here = str(hw.api).split(".")[0], API_VERSION.split(".")[0]
    if wanted != here:
        raise UsageError(f"the pack {name} (homework {hw.id}) was written for the pack API {hw.api}, and this "
                         f"grader's is {API_VERSION}: update the pack (docs/packs.md says what changed), or grade "
                         f"with a grader of API {hw.api}")
