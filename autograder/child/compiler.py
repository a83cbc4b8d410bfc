"""A training without importing torch's compiler: 0.9 s of every training child, of 4 s.

torch's optimizers reach `torch._dynamo` in plain eager code: each step calls
`torch._dynamo.graph_break()` (a no-op outside compilation), and the first call of each method
decorated with `torch._disable_dynamo` asks `torch._dynamo.disable(fn, wrapping=False)`. Importing
`torch._dynamo` for that costs about 0.9 s (sympy, the tracer's tables), paid by every child that
trains. While a training runs, `not_imported()` puts a stand-in in its place that answers those two
calls as eager code does, and imports the real module the moment anything else is asked of it (a
student's torch.compile, another torch version's optimizer): never faster at the price of a
different result. The trained weights are bit-identical either way (tests/test_trainings.py).
"""

import contextlib
import importlib
import sys
import types

NAME = "torch._dynamo"


class StandIn(types.ModuleType):
    """torch._dynamo as eager code sees it; anything else loads the real module and is answered by it."""

    def __init__(self):
        super().__init__(NAME)

    @staticmethod
    def graph_break(*args, **kwargs):
        return None

    def disable(self, fn=None, recursive=True, wrapping=True, **kwargs):
        if fn is not None and wrapping is False and not kwargs:  # what torch._disable_dynamo asks, eagerly
            return fn
        return self.real().disable(fn, recursive, wrapping=wrapping, **kwargs)

    def __getattr__(self, name):
        if name.startswith("__"):  # inspect, pickle and torch itself probe modules for dunders
            raise AttributeError(name)
        return getattr(self.real(), name)

    @staticmethod
    def real():
        if isinstance(sys.modules.get(NAME), StandIn):
            del sys.modules[NAME]
        return importlib.import_module(NAME)


@contextlib.contextmanager
def not_imported():
    """torch._dynamo stood in for while the block runs, unless it is imported already."""
    if NAME in sys.modules or "torch" not in sys.modules:
        yield
        return
    sys.modules[NAME] = stand_in = StandIn()
    try:
        yield
    finally:
        if sys.modules.get(NAME) is stand_in:
            del sys.modules[NAME]
