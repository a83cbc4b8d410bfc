"""The namespace a pack's answers run in: the handout's provided code, then the student's definitions.

Every pack builds it the same way, and the order is what keeps the handout trustworthy: the
provided code runs in globals of its own (a student's `X = ...` cannot reach the handout's
classes), and the provided values the questions read are copied before any student code runs
(an answer that overwrites a handout array in place changes only the namespace's copy).
"""

from __future__ import annotations

import numpy


def with_handout(handout, statements, cells, run_statements) -> tuple[dict, dict, list]:
    """(namespace with the student's definitions, the provided globals, the load errors).

    The namespace's `__provided__` holds the snapshot of `handout.PROVIDED_NAMES`."""
    provided = {"__name__": "__handout__"}
    exec(compile(handout.provided_source(), "<handout>", "exec"), provided)
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    namespace.update({k: v for k, v in provided.items() if not k.startswith("__")})
    snapshot = {name: numpy.array(v, copy=True) if isinstance(v, numpy.ndarray) else v
                for name, v in ((n, provided[n]) for n in handout.PROVIDED_NAMES)}
    errors = run_statements(namespace, statements, cells)
    namespace["__provided__"] = snapshot
    return namespace, provided, errors
