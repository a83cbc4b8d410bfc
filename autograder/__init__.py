"""Autograder for the "Neural Networks 2" homework (Mix, Grad, FrobClassifier, MixClassifier)."""

__version__ = "0.1.0"
