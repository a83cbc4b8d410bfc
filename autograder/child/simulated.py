"""A test switch: run on Linux as on a system without the POSIX-only modules (Windows), to prove the
self-check's own code needs none of them.

With AUTOGRADER_HOST_LACKS set to "all" (or naming "posix_modules"), a module of POSIX_ONLY that
code of this package imports raises ImportError, in the self-check's process (cli.py) and in its
children (child/main.py), exactly as on Windows; sandbox/host.py then also takes the code paths
Windows takes (no sessions, no passed descriptors, no select() on pipes, no /proc). numpy and
torch keep their own Linux code paths (torch imports `pwd` through getpass on Linux, and nothing
of the kind on Windows): what is proved is that this package asks for none of them.
"""

import builtins
import os

SWITCH = "AUTOGRADER_HOST_LACKS"
# Modules of the standard library that exist on Linux and macOS but not on Windows.
POSIX_ONLY = frozenset({"resource", "pwd", "grp", "fcntl", "termios", "tty", "pty", "syslog", "crypt", "spwd",
                        "nis", "posix", "_posixsubprocess", "_posixshmem", "ossaudiodev", "readline", "curses"})
# Of those, what must stay for this very process to run on Linux: `os` and `subprocess` are built on them
# (on Windows, `nt` and `_winapi` stand in their place).
NEEDED_HERE = frozenset({"posix", "_posixsubprocess", "_posixshmem"})


def hide_posix_modules() -> bool:
    """Refuse this package's imports of POSIX-only modules when the switch asks for it; True when it does.

    Import statements go through builtins.__import__ with the importing module's globals, so the
    refusal sees who asks, and catches a module some library has already imported as well."""
    named = {f.strip() for f in os.environ.get(SWITCH, "").split(",")}
    if not named & {"all", "posix_modules"}:
        return False
    original = builtins.__import__
    if getattr(original, "hides_posix_modules", False):
        return True

    def guarded(name, globals=None, locals=None, fromlist=(), level=0):
        asker = str((globals or {}).get("__name__", ""))
        if level == 0 and name.split(".")[0] in POSIX_ONLY - NEEDED_HERE and asker.split(".")[0] == "autograder":
            raise ImportError(f"No module named {name!r} (hidden: {SWITCH} simulates Windows)", name=name)
        return original(name, globals, locals, fromlist, level)

    guarded.hides_posix_modules = True
    builtins.__import__ = guarded
    return True
