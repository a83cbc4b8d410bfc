"""Entry point of the child process: run the student's definitions, answer the parent's questions.

Started by runner.py only, through kit.BOOT: python -I -S -c BOOT KIT SITE_DIRS REQUEST_FILE CHANNEL_FD

Everything written to CHANNEL_FD is one JSON object per line; stdout and stderr
belong to the student and go to files the parent reads only for crash notes.
Nothing here decides a score: the parent checks every number it receives.
"""

import ast
import json
import linecache
import os
import resource
import sys


def main(request_file: str, channel_fd: int) -> None:
    with open(request_file, encoding="utf-8") as f:
        request = json.load(f)
    os.unlink(request_file)  # the questions' order is not the student's code's business
    confined = set_limits(request["limits"])
    channel = os.fdopen(channel_fd, "w", encoding="utf-8", buffering=1)

    def send(message: dict) -> None:
        channel.write(json.dumps(message) + "\n")
        channel.flush()

    from autograder import probes  # torch is imported here, after the limits are set

    skip = set(request.get("skip", []))

    def run(namespace, statements, cells):
        return run_statements(namespace, statements, cells, skip, lambda i: send({"event": "loading", "index": i}))

    namespace, load_errors = probes.prepare(request["statements"], request["cells"], run, child=True)
    send({"event": "ready", "load_errors": load_errors, "landlock": confined})
    for question in request["questions"]:
        send({"event": "answer", "id": question["id"], **probes.answer(namespace, question)})


def set_limits(limits: dict) -> int:
    """Resource limits, then Landlock; returns the Landlock ABI in force (0: none)."""
    def cap(which, value):
        hard = resource.getrlimit(which)[1]
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (value, value))

    # Core files would fill the scratch folder with hundreds of MB of torch memory.
    cap(resource.RLIMIT_CORE, 0)
    # Caps one file the student writes (prints go to pipes, which this does not limit).
    cap(resource.RLIMIT_FSIZE, int(limits["file_bytes"]))
    # A busy loop that escapes the wall-clock timeout still ends here.
    cpu = int(limits["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    # A memory bomb gets MemoryError instead of the machine's (or the container's) OOM killer.
    cap(resource.RLIMIT_AS, int(limits["memory_bytes"]))
    # Fork and thread bombs: RLIMIT_NPROC counts the user's tasks (not enforced for root).
    cap(resource.RLIMIT_NPROC, int(limits["processes"]))
    cap(resource.RLIMIT_NOFILE, int(limits["open_files"]))
    from autograder.sandbox import landlock

    rules = limits["confinement"]
    try:
        return landlock.restrict(rules["readable"], rules["writable"], rules["hidden"])
    except OSError:  # the parent records "no Landlock"; the limits above still hold
        return 0


def run_statements(namespace: dict, statements: list, cells: dict, skip=frozenset(), progress=None) -> list:
    """Execute each kept statement on its own, so one failing definition costs only itself.

    `progress(i)` is told before statement i runs: when the process dies or hangs in
    it, the parent starts a new child that skips it (`skip`).
    """
    for label, source in cells.items():
        filename = f"<{label}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    errors = []
    for index, (label, lineno, source) in enumerate(statements):
        if index in skip:
            continue
        if progress:
            progress(index)
        filename = f"<{label}>"
        try:
            tree = ast.parse(source, filename)
            ast.increment_lineno(tree, lineno - 1)
            exec(compile(tree, filename, "exec"), namespace)
        except BaseException as exc:  # student code: SystemExit and KeyboardInterrupt included
            if isinstance(exc, ImportError):
                errors.append(f"{label}, line {lineno}: {type(exc).__name__}: {exc} (import skipped)")
            else:
                errors.append(f"{label}, line {lineno}: {type(exc).__name__}: {exc}")
    return errors

