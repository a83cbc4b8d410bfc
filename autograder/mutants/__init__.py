"""Mutation testing of the grader: wrong submissions derived from the reference solution.

`generate` makes the mutants (one small AST edit each); `equivalence` decides whether a
mutant still computes what the reference computes, so that a mutant the grader passes can be
told apart from one it should have failed.
"""
