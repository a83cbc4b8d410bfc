"""What the machine the grader runs on offers: the sandbox uses each layer only where it exists.

The grader runs on Linux (Gradescope, a TA's laptop, a cluster) and uses every layer there.
The students' self-check runs on Linux, macOS and Windows: there, a layer the platform lacks
(the `resource` module, process sessions and group signals, passing a file descriptor to a
child, select() on pipes, /proc) is skipped, never fatal.

`AUTOGRADER_HOST_LACKS` (a test switch, like AUTOGRADER_LANDLOCK) names features to treat as
missing, comma-separated, or "all": the suite runs the self-check on Linux through exactly the
code paths Windows takes.
"""

from __future__ import annotations

import importlib.util
import os
import sys

LACKS_ENV = "AUTOGRADER_HOST_LACKS"
FEATURES = (
    "resource",  # rlimits (POSIX)
    "sessions",  # setsid and killpg: a child's whole process group ends with it (POSIX)
    "pass_fds",  # a pipe handed to a child by its number (POSIX); else the child's stdout is the channel
    "select_pipes",  # select() on pipes (POSIX); else a thread reads each pipe
    "proc",  # /proc: resident memory, the process table (Linux)
)


def simulated_missing() -> set[str]:
    named = {f.strip() for f in os.environ.get(LACKS_ENV, "").split(",") if f.strip()}
    return set(FEATURES) if "all" in named else named


def really_has(feature: str) -> bool:
    posix = os.name == "posix"
    if feature == "resource":
        return importlib.util.find_spec("resource") is not None
    if feature == "sessions":
        return posix and hasattr(os, "setsid") and hasattr(os, "killpg")
    if feature in ("pass_fds", "select_pipes"):
        return posix
    if feature == "proc":
        return sys.platform.startswith("linux") and os.path.isdir("/proc/self")
    raise ValueError(f"unknown host feature {feature!r}")


def has(feature: str) -> bool:
    """Whether this machine offers `feature` (and no test switch hides it)."""
    return feature not in simulated_missing() and really_has(feature)


def cpu_count() -> int:
    """CPUs this process may run on: the affinity mask where there is one (Linux), else all of them."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1
