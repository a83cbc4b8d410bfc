"""The pack contract (autograder.pack, autograder.child.contract): what a pack declares once, checked on both sides, and the
line between the engine and the packs (public helpers only; the oracle only inside @grader_only functions)."""

import ast
import dataclasses
from pathlib import Path

import pytest

import inprocess
from autograder.grading import grade, questions
from autograder import homework, rubric
from autograder.child import contract
from autograder.child.main import answer
from autograder.child.protocol import Question, Status
from autograder.homework import Task
from conftest import SHIPPED_PACKS

PACKS = SHIPPED_PACKS
ENGINE = Path(homework.__file__).resolve().parent


@pytest.mark.parametrize("hw", PACKS, ids=lambda hw: hw.id)
def test_what_a_pack_declares_once_is_what_everything_else_uses(hw):
    names = [a.name for a in hw.answers]
    assert list(hw.parts) == [a.graded_in for a in hw.answers]
    assert set(hw.handout.ANSWERS) == set(names)
    assert set(rubric.load(hw).parts) == set(hw.parts)
    kinds = hw.gradings()
    assert set(kinds) == set(contract.kinds_of(hw.module("child.kinds")))
    hw.module("child.answers")  # registers the answerers
    assert all(k.contract.handlers.get("answer") for k in kinds.values()), "a kind no child function answers"


@pytest.mark.parametrize("hw", PACKS, ids=lambda hw: hw.id)
def test_inputs_of_a_kind_it_does_not_declare_are_the_packs_error_naming_its_file(hw):
    r = rubric.load(hw)
    registry = dict(hw.checks())
    first = r.checks[0].id
    kind = next(iter(hw.gradings().values()))

    @dataclasses.dataclass(frozen=True)
    class Stray(contract.Inputs):
        nonsense: list

    registry[first] = homework.CheckFn(first, None, "autograder/homeworks/x/checks/check_x.py",
                                     lambda asking: [Question("x/1", hw.answers[0].graded_in, kind.name, Stray([1]))])
    with pytest.raises(contract.ContractError, match=r"check_x\.py: the check .* with Stray; its kind declares"):
        questions.build(registry, hw.gradings(), r, questions.Asking(r, None))
    wrong_field = lambda asking: [Question("x/1", hw.answers[0].graded_in, kind.name, kind.inputs(nonsense=[1]))]
    registry[first] = homework.CheckFn(first, None, "autograder/homeworks/x/checks/check_x.py", wrong_field)
    with pytest.raises(contract.ContractError, match=r"check_x\.py: .*'nonsense'"):
        questions.build(registry, hw.gradings(), r, questions.Asking(r, None))


def test_the_child_refuses_inputs_and_answer_fields_its_kind_does_not_declare():
    hw = homework.load("nn2")
    kinds = contract.kinds_of(hw.module("child.kinds"))
    hw.module("child.answers")
    line = answer(kinds, {}, {"id": "q", "kind": "mix", "inputs": {"W": [[0.0]], "b": [0.0], "Z": 1}})
    assert line["status"] == Status.GRADER_ERROR.value and "unknown field 'Z'" in line["message"]
    line = answer(kinds, {}, {"id": "q", "kind": "mix", "inputs": {"W": [[0.0]], "b": "zero"}})
    assert line["status"] == Status.GRADER_ERROR.value and "'b' is a str" in line["message"]
    mix = kinds["mix"]
    real = mix.handlers["answer"]
    mix.handlers["answer"] = lambda namespace, inputs: (Status.OK, {"valeu": 1.0})
    try:
        line = answer(kinds, {}, {"id": "q", "kind": "mix", "inputs": {"W": [[0.0]], "b": [0.0]}})
    finally:
        mix.handlers["answer"] = real
    assert line["status"] == Status.GRADER_ERROR.value
    assert "autograder/homeworks/nn2/child/kinds.py" not in line["message"] and "'valeu'" in line["message"]


def test_a_grader_error_of_a_pack_is_the_graders_never_the_students(tmp_path):
    hw = homework.load("nn2")
    sub, qs, raw = inprocess.answered(hw, hw.reference.read_text(), tmp_path)
    first = next(q for q in qs[0] if q.kind == "mix")
    raw[first.id] = {"event": "answer", "id": first.id, "status": "grader_error",
                     "message": "answers.py, ask_mix answered the kind 'mix' with the field 'valeu'"}
    graded = grade.score(hw, sub, rubric.load(hw), qs, raw, [], [], 0.0)
    assert graded.status == grade.GRADER_ERROR and any("'valeu'" in e for e in graded.grader_errors)
    text = "\n".join(t["output"] for t in graded.data["tests"])
    assert "an error in the grader's homework code, not in your code" in text and "valeu" not in text


def pack_modules(hw):
    return [p for p in hw.folder.rglob("*.py") if "__pycache__" not in p.parts]


@pytest.mark.parametrize("hw", PACKS, ids=lambda hw: hw.id)
def test_the_oracle_is_imported_only_inside_grader_only_functions(hw):
    """The rule the student bundle relies on: it ships check files with @grader_only bodies removed, and
    follows no import inside them, so an oracle import anywhere else would put the formulas in the bundle."""
    from autograder.student.bundle import is_grader_only

    for path in sorted(hw.checks_folder.glob("*.py")):
        tree = ast.parse(path.read_text())
        inside = {id(n) for f in ast.walk(tree) if is_grader_only(f) for n in ast.walk(f)}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and any(a.name == "oracle" for a in node.names) \
                    or isinstance(node, ast.ImportFrom) and (node.module or "").endswith("oracle"):
                assert id(node) in inside, f"{path.name}, line {node.lineno}: the oracle imported outside @grader_only"


def test_an_answer_names_its_part_and_the_function_mutants_edit():
    assert Task("Mix", "Mix(nn)").path == ("Mix",) and Task("Mix", "Mix(nn)").graded_in == "Mix"
    reg = Task("FrobClassifier", "FrobClassifier.reg()", method="reg")
    assert reg.path == ("FrobClassifier", "reg")


def test_a_function_declared_in_one_place_is_called_with_its_typed_arguments_by_the_engine():
    import numpy as np

    provided = {"X": np.arange(6.0).reshape(3, 2)}
    space = {"__provided__": provided, "f": lambda X, w, c: X @ w + c}
    ask = lambda kind, arguments: answer({}, space, {"id": "q", "kind": kind, "inputs": {"arguments": arguments}})
    line = ask("call:f:array", [{"data": "X"}, {"array": [1.0, -1.0]}, {"number": 2}])
    assert line["status"] == Status.OK.value and line["value"] == [1.0, 1.0, 1.0]
    assert ask("call:g:number", [])["status"] == Status.MISSING.value
    # A malformed question is the pack's error, said as such, before the student's function runs.
    for arguments, said in (([{"table": 1}]), "one of {'data': NAME}"), ([{"data": "Y"}], "does not provide"):
        line = ask("call:f:array", arguments)
        assert line["status"] == Status.GRADER_ERROR.value and said in line["message"], line
    assert contract.call_kind("call:f:matrix") is None and contract.call_kind("mix") is None


def test_a_function_whose_case_does_not_fit_its_parameters_is_the_packs_error_naming_it():
    from autograder.pack import Case, Function

    f = Function("f", ("X", "w"), "number", expected=lambda X, w: 0.0, public=lambda: [Case("one", (1.0,))])
    with pytest.raises(ValueError, match=r"Function 'f': the case 'one' has 1 arguments for the 2 parameters X, w"):
        f.checks()[0].__asks__(None)
    with pytest.raises(ValueError, match="returns must be 'number' or 'array'"):
        Function("g", (), "matrix", expected=lambda: 0, public=list).grading
