"""The pytest plugin that runs a homework's checks and turns each into a Gradescope results.json entry.

At collection it gives each `@check` function the gradescope-utils decorators from its rubric
row; after each test it records one entry (results.entry). pytest runs in the grading process
with no plugin of the machine's own (PYTEST_DISABLE_PLUGIN_AUTOLOAD): whatever else is installed
beside the grader (xdist, hypothesis) neither changes a grading nor slows it down.
"""

from __future__ import annotations

import contextlib
import os
import traceback

import pytest
from gradescope_utils.autograder_utils.decorators import number, tags, visibility, weight

from .errors import RubricError
from .feedback import CheckFailed
from .results import entry

GRADER_FAULT = ("The grader could not run this check (an error in the grader, not in your code). "
                "No points were counted for it; your instructor can see the details.")


def metadata(func) -> dict:
    """The gradescope-utils attributes of a check function, read in one place."""
    return {
        "weight": getattr(func, "__weight__", 0.0),
        "number": getattr(func, "__number__", ""),
        "visibility": getattr(func, "__visibility__", "visible"),
        "tags": list(getattr(func, "__tags__", ())),
    }


class ChecksPlugin:
    """Gives the checks their context and collects one entry per check."""

    def __init__(self, rubric, context):
        self.rubric = rubric
        self.context = context
        self.entries: list[dict] = []
        self.grader_errors: list[str] = []

    @pytest.fixture
    def ctx(self):
        return self.context

    def pytest_collection_modifyitems(self, items):
        seen = set()
        for item in items:
            check_id = getattr(item.function, "__check_id__", None)
            if check_id is None:
                continue
            row = self.rubric.check(check_id)
            seen.add(check_id)
            for decorate in (weight(row.points), number(row.number), visibility(row.visibility), tags(row.part)):
                decorate(item.function)
        missing = [c.id for c in self.rubric.checks if c.id not in seen]
        if missing:
            raise RubricError(f"{self.rubric.path}: no check function for {', '.join(missing)}")
        items.sort(key=lambda item: [int(p) for p in metadata(item.function)["number"].split(".") if p.isdigit()])

    def pytest_runtest_setup(self, item):
        self.context.current = item.function.__check_id__  # ctx.mine() reads this check's questions

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.when != "call" and not report.failed:
            return
        func = item.function
        row = self.rubric.check(func.__check_id__)
        if call.excinfo is None:
            passed, output = True, ""
        elif call.excinfo.errisinstance(CheckFailed):
            passed, output = False, str(call.excinfo.value)
        else:
            passed, output = False, GRADER_FAULT
            self.grader_errors.append(f"{row.id}: " + "".join(
                traceback.format_exception(call.excinfo.type, call.excinfo.value, call.excinfo.tb)))
        self.context.passed[row.id] = passed
        advice = self.context.advice.get(row.id, [])
        output = "\n".join([output, *advice]).strip()
        self.entries.append(entry(row.name, metadata(func), passed, output))


# The machine's pytest settings are its user's, not the checks': options from PYTEST_ADDOPTS (a junit file
# the grader may not write, -x, --pdb) and plugins named or autoloaded would change how, or whether, the
# checks run (found when a TA's PYTEST_ADDOPTS made every grading a grader error).
CLEARED = ("PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTEST_DEBUG")


@contextlib.contextmanager
def own_pytest_environment():
    saved = {name: os.environ.get(name) for name in (*CLEARED, "PYTEST_DISABLE_PLUGIN_AUTOLOAD")}
    for name in CLEARED:
        os.environ.pop(name, None)
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_checks(rubric, context) -> ChecksPlugin:
    """Run every check of the homework's checks/ folder against the context; never reads project config."""
    checks_dir = context.homework.checks_folder
    plugin = ChecksPlugin(rubric, context)
    args = [
        str(checks_dir), "-p", "no:cacheprovider", "-p", "no:terminal",
        "-p", "no:randomly", "--noconftest", "--import-mode=importlib", "--rootdir", str(checks_dir), "-c", os.devnull,
        "-o", "python_files=check_*.py", "-o", "python_functions=check_*",
        "-W", "ignore",
    ]
    with own_pytest_environment():
        code = pytest.main(args, plugins=[plugin])
    if code not in (0, 1) and not plugin.entries:
        raise RuntimeError(f"the checks could not be collected (pytest exit code {code})")
    if len(plugin.entries) != len(rubric.checks):
        raise RuntimeError(f"{len(plugin.entries)} of {len(rubric.checks)} checks reported a result")
    return plugin
