"""Turning what student code returns into plain JSON, inside the child, with exact type checks.

A float subclass or a tensor subclass is not a number to us (it could lie about its value when
compared); numbers are converted here and checked again by the parent. Also here: the one-line
description of a student's exception, and modules imported only when first used.
"""

import errno
import importlib
import importlib.machinery
import sys
import traceback
import types

import numpy
import torch

from autograder.child.protocol import Status

FLOAT_TYPES = (numpy.float64, numpy.float32, numpy.float16)


class Deferred(types.ModuleType):
    """A module imported on first use: a handout may import a heavy module (sklearn.metrics for a
    score() that grading never calls), and importing it would cost each child 70 MB."""

    def __init__(self, name):
        super().__init__(name)
        # Tools that look modules up (torch's dynamo calls find_spec) need a spec; it loads nothing.
        self.__spec__ = importlib.machinery.ModuleSpec(name, None)

    def __getattr__(self, attr):
        if attr.startswith("__"):  # inspect and torch walk sys.modules asking for __file__: not a use
            raise AttributeError(attr)
        name = self.__name__
        for key in [k for k, v in sys.modules.items() if isinstance(v, Deferred)]:
            del sys.modules[key]
        real = importlib.import_module(name)
        try:
            return getattr(real, attr)
        except AttributeError:
            return importlib.import_module(f"{name}.{attr}")


def describe(exc: BaseException) -> str:
    """The exception and the innermost line of the student's own code that it passed through."""
    where = ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.startswith("<cell") or frame.filename.startswith("<lines"):
            where = f" ({frame.filename.strip('<>')}, line {frame.lineno}: {(frame.line or '').strip()})"
    text = str(exc)
    if isinstance(exc, OSError) and exc.errno == errno.EFBIG:  # RLIMIT_FSIZE: Python ignores SIGXFSZ
        text += " (a file written was larger than the 8 MB limit)"
    return f"{type(exc).__name__}{': ' + text if text else ''}{where}"


def to_number(value):
    """(a float, None) from the exact number types students return, or (None, what came back)."""
    if type(value) in (float, int):
        return float(value), None
    if type(value) in FLOAT_TYPES:
        return float(value), None
    if type(value) is numpy.ndarray and value.size == 1 and value.dtype.kind == "f":
        return float(value.reshape(())), None
    if type(value) in (torch.Tensor, torch.nn.Parameter) and value.numel() == 1 and value.is_floating_point():
        return float(value.detach().reshape(()).item()), None
    return None, found(value)


def to_array(value):
    """(nested lists of floats, None) from an exact numpy array or tensor of floats, or (None, what came back)."""
    if type(value) is numpy.ndarray and value.dtype.kind in "fiu":
        return numpy.asarray(value, dtype=numpy.float64).tolist(), None
    if type(value) in (torch.Tensor, torch.nn.Parameter) and (value.is_floating_point() or not value.is_complex()):
        return value.detach().double().cpu().numpy().tolist(), None
    if type(value) in (list, tuple):  # numbers of the exact types to_number takes, or rows of them
        rows = [to_number(v) if type(v) not in (list, tuple) else to_array(v) for v in value]
        if all(problem is None for _, problem in rows):
            try:
                return numpy.asarray([v for v, _ in rows], dtype=numpy.float64).tolist(), None
            except (ValueError, TypeError):
                pass
    return None, found(value)


def found(value) -> str:
    """What came back, in words: "None (is a `return` missing?)", "a Tensor of shape (3,)"."""
    if value is None:
        return "None (is a `return` missing?)"
    shape = getattr(value, "shape", None)
    if shape is not None and type(shape) in (tuple, torch.Size):
        return f"a {type(value).__name__} of shape {tuple(shape)}"
    return f"a {type(value).__name__}"


def number_answer(value):
    number, problem = to_number(value)
    if problem:
        return Status.BAD_VALUE, {"found": problem}
    return Status.OK, {"value": number}


LARGEST = 1_000_000  # cells: far past any answer; a larger one says its shape instead of being sent


def array_answer(value):
    shape = getattr(value, "shape", None)
    if shape is not None and type(shape) in (tuple, torch.Size) and numpy.prod(tuple(shape), dtype=float) > LARGEST:
        return Status.BAD_VALUE, {"found": found(value)}
    array, problem = to_array(value)
    if problem:
        return Status.BAD_VALUE, {"found": problem}
    return Status.OK, {"value": array}
