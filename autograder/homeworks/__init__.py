"""The homeworks the engine grades: one folder (a pack) each.

A pack holds its handout and how a child answers (child/), its checks, each with the questions it
asks, its expected values and its named mistakes (checks/), its oracle, its rubric.toml, stored
data and mutation operators. autograder/homework.py finds them and describes what a pack provides.
"""
