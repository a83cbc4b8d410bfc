"""This homework's handout, read from handout.json: written with the handout notebook beside it from the
instructor's solved notebook by `autograder build handout` (autograder/scaffold/handouts.py). Edit that notebook."""

from autograder.child.contract import Handout

HANDOUT = Handout.beside(__file__)
