"""An autograder for machine-learning homework: an engine that knows no homework, and one pack per homework (autograder/homeworks/)."""

__version__ = "0.1.0"
