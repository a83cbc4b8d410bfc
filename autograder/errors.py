"""The package's exceptions: one root, and a subclass for each thing a user can act on."""


class AutograderError(Exception):
    """Something stopped the grader; the message says what and is safe to show."""


class SubmissionError(AutograderError):
    """The submission file cannot be read at all (not a notebook, not Python, empty)."""


class RubricError(AutograderError):
    """The rubric file is missing a key or has a value of the wrong kind; the message names it."""


class UsageError(AutograderError):
    """A path or option given on the command line cannot be used; the message says what to give instead."""
