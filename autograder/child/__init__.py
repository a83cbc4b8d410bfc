"""The child's side of the sandbox: everything here runs in the process that runs student code.

The kit copies this folder whole (and the homework's own `child/` folder), and nothing else of
the grader: the oracle, the checks, the rubric and the seed are not importable from a child.
"""
