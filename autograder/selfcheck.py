"""The students' self-check, by the name their notebook's last cell imports: `from autograder import selfcheck`.

`selfcheck.check(globals())` checks the notebook's own definitions, and `python -m autograder check NOTEBOOK`
a saved notebook (student/check.py does both). This module stays where notebooks handed out find it.
"""

from autograder.student.check import check, main  # noqa: F401  (the students' entry points)
