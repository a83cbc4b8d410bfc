"""The code students are given: the data function and the notebook's provided cells.

This package is the one source of truth for the handout. The grader's child
process builds its namespace from it, the loader compares a submission's copy of
the provided names against it, and `reference/build_notebooks.py` writes the
handout and solved notebooks from it.
"""
