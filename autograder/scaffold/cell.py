"""The cells every handout ends with: the students' self-check (autograder/selfcheck.py), run from
the notebook with the bundle's `autograder` folder beside it. One text for every homework."""

SELFCHECK_TASK = """\
## Self-check

Run the cell below to check your answers with the public checks of the autograder, before you
submit (it needs the `autograder` folder that came with this notebook). Hidden checks on inputs you
have not seen are graded after submission."""

SELFCHECK = """\
from autograder import selfcheck
selfcheck.check(globals())"""
