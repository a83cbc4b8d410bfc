"""Entry point of the child process: run the student's definitions, answer the parent's questions.

Started by sandbox/runner.py only, through kit.BOOT:
    python -I -S -c BOOT KIT SITE_DIRS REQUEST_FILE CHANNEL_FD

Everything written to CHANNEL_FD is one JSON object per line (protocol.py); stdout and stderr
belong to the student and are pipes the parent empties. Nothing here decides a score: the
parent cleans and checks every number it receives. The homework's own child code (its handout
namespace and how each kind of question is answered) is `autograder.homeworks.<id>.child.answers`.
"""

import ast
import importlib
import json
import linecache
import os
import re
import resource
import sys

from autograder.child.protocol import Status, answer_line


def main(request_file: str, channel_fd: int) -> None:
    with open(request_file, encoding="utf-8") as f:
        request = json.load(f)
    os.unlink(request_file)  # the questions' order is not the student's code's business
    confined = set_limits(request["limits"])
    channel = os.fdopen(channel_fd, "w", encoding="utf-8", buffering=1)

    def send(message: dict) -> None:
        channel.write(json.dumps(message) + "\n")
        channel.flush()

    homework = request["homework"]
    if not re.fullmatch(r"[a-z][a-z0-9_]*", homework):
        raise ValueError(f"not a homework id: {homework!r}")
    # torch is imported here, after the limits are set.
    answers = importlib.import_module(f"autograder.homeworks.{homework}.child.answers")
    skip = set(request.get("skip", []))

    def run(namespace, statements, cells):
        return run_statements(namespace, statements, cells, skip, lambda i: send({"event": "loading", "index": i}))

    namespace, load_errors = answers.prepare(request["statements"], request["cells"], run, child=True)
    send({"event": "ready", "load_errors": load_errors, **confined})
    for question in request["questions"]:
        send(answer(answers.ANSWERERS, namespace, question))


def answer(answerers: dict, namespace: dict, question: dict) -> dict:
    """The answer line for one question; the student's exceptions become statuses, ours stay exceptions."""
    ask = answerers[question["kind"]]  # an unknown kind is the grader's bug: it ends the child loudly
    try:
        status, fields = ask(namespace, question["inputs"])
    except NotImplementedError:
        status, fields = Status.NOT_IMPLEMENTED, {}
    except BaseException as exc:  # student code may raise SystemExit, KeyboardInterrupt, anything
        from autograder.child.values import describe

        status, fields = Status.ERROR, {"message": describe(exc)}
    return answer_line(question["id"], status, **fields)


def set_limits(limits: dict) -> dict:
    """Resource limits, then Landlock and the network filter; returns what confinement is in force."""
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
    from autograder.child import landlock, seccomp

    rules = limits["confinement"]
    abi = 0
    if rules.get("landlock", True):  # AUTOGRADER_LANDLOCK=off: as on a kernel without it
        try:
            abi = landlock.restrict(rules["readable"], rules["writable"], rules["hidden"])
        except OSError:  # the parent records "no Landlock"; the limits above still hold
            abi = 0
    # No sockets but unix ones, on any kernel: Landlock covers TCP only, and only from 6.7.
    return {"landlock": abi, "network_filter": seccomp.deny_network()}


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

