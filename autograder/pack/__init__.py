"""The pack API: everything the grader side of a homework pack may import, in one place.

A pack is a package of a course's own (or autograder/homeworks/<id>/) whose `HOMEWORK` is a `Homework`.
Its grader side (its __init__.py, checks/, oracle, mutants.py, equivalence.py) imports the engine only
from here, and from `autograder.pack.mutation` for its mutation operators; its child side (child/kinds.py,
child/answers.py, child/handout.py) only from `autograder.child.contract`. Everything else in the engine
may move between releases; these names keep their meaning within a major API_VERSION, and a pack
declares the version it was written for (`Homework(api=...)`): one of another major version is refused
with both named. import-linter's contracts (pyproject.toml) keep packs to these imports, and the engine
from importing this module (it is a facade over the engine, as `pytest` is over `_pytest`).

The declaration:    Homework, Task, Words, checkout_sources, Key (a rubric key of the pack's own tables)
A question in one place: Function (a plain function graded on its value: one file, its rubric rows),
                    Case, Data (grading/declared.py)
A check file:       check, grader_only, Grading, Context, expect_value, expect_on_hidden,
                    Question, Answer, Status
Feedback:           CheckFailed, NotCheckedHere, Mistake, close, close_array, wrong_value, wrong_array,
                    out_of_band, pair
Kinds of question:  Kind, Inputs, Number, Numbers, Array, Flag, Text, Choices (declared child-side, in
                    child/kinds.py, from autograder.child.contract; here for type hints)
"""

from autograder.child.contract import Array, Choices, Flag, Inputs, Kind, Number, Numbers, Text
from autograder.child.protocol import Answer, Question, Status
from autograder.feedback.sentences import (CheckFailed, Mistake, NotCheckedHere, close, close_array, out_of_band,
                                           pair, wrong_array, wrong_value)
from autograder.grading.checks import Context, expect_on_hidden, expect_value
from autograder.grading.declared import Case, Data, Function
from autograder.homework import API_VERSION, Grading, Homework, Task, Words, check, checkout_sources, grader_only
from autograder.rubric import Key

__all__ = ["API_VERSION", "Homework", "Task", "Words", "checkout_sources", "Key", "Function", "Case", "Data",
           "check", "grader_only", "Grading", "Context", "expect_value", "expect_on_hidden", "Question", "Answer",
           "Status", "CheckFailed", "NotCheckedHere", "Mistake", "close", "close_array", "wrong_value", "wrong_array",
           "out_of_band", "pair", "Kind", "Inputs", "Number", "Numbers", "Array", "Flag", "Text", "Choices"]
