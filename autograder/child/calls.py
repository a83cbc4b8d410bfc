"""How a child answers a function declared in one place (autograder.pack.Function): call it, convert what it returns.

The arguments come typed (contract.CallInputs) and are rebuilt here as the handout's own code would hand
them over: the handout's data as a fresh float64 copy of the snapshot taken before the student's code ran
(so a function that writes into its argument spoils nothing), given arrays as float64 numpy arrays, numbers
as floats. What comes back is converted with the exact type checks every answer gets (values.py).
"""

from __future__ import annotations

import numpy

from autograder.child.contract import ContractError, Kind, call_kind
from autograder.child.protocol import Status
from autograder.child.values import array_answer, number_answer


def argument(namespace: dict, spec: dict) -> object:
    """One argument from its wire form (checked by CallInputs before anything runs)."""
    (form, value), = spec.items()
    if form == "data":
        provided = namespace.get("__provided__", {})
        if value not in provided:
            raise ContractError(f"a call's argument names the handout's data {value!r}, which the handout does "
                                f"not provide (its provided names: {', '.join(provided) or 'none'})")
        return numpy.array(provided[value], dtype=numpy.float64)
    return numpy.array(value, dtype=numpy.float64) if form == "array" else float(value)


def answer(namespace: dict, function: str, returns: str, inputs) -> tuple[Status, dict]:
    # The arguments are built before the student's function is looked up or run, so that nothing of theirs
    # can raise the ContractError a malformed question is (the grader's error, never the student's).
    try:
        arguments = [argument(namespace, spec) for spec in inputs.arguments]
    except ContractError as broken:
        return Status.GRADER_ERROR, {"message": str(broken)}
    if not callable(namespace.get(function)):
        return Status.MISSING, {}
    value = namespace[function](*arguments)
    return number_answer(value) if returns == "number" else array_answer(value)


def kind(name: str) -> Kind | None:
    """The engine's kind `name` ("call:gradient:array") with this module's answerer installed, or None."""
    found = call_kind(name)
    if found is not None and "answer" not in found.handlers:
        function, returns = name.split(":")[1:]
        found.answerer(lambda namespace, inputs: answer(namespace, function, returns, inputs))
    return found
