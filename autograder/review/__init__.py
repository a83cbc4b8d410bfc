"""`autograder review OUT`: the TA's review desk over a batch's output.

Manual points for the rubric's [[manual]] questions, overrides of automatic checks with the reason
the student reads, and regrade requests, in a web page (server.py, views.py, templates/) or a
spreadsheet (sheet.py). The store is SQLite in OUT (course/desk.py); every grade file is written
again with the review after each change (course/publication.py), and a batch rerun keeps it all.
"""

from __future__ import annotations

import getpass
import ipaddress
import signal
import socket
import sys
from pathlib import Path

from autograder import paths
from autograder.errors import UsageError

DEFAULT_PORT = 8790
PORTS_TRIED = 20  # as Jupyter: the next port when one is taken


def main(*, out: str | Path, port: int | None = None, host: str = "127.0.0.1", import_: str | None = None,
         export: str | None = None, who: str | None = None) -> int:
    """Serve the page (until Ctrl-C), or import or export a sheet and return."""
    from autograder.review import sheet
    from autograder.review.changes import Course

    out = paths.input_folder(out, "the batch output")
    who = who or getpass.getuser()
    if export:
        paths.output_file(export, "--export", "review.csv")
        paths.refuse_inputs_as_outputs({"--export": Path(export)}, {"the batch output": out,
                                                                    "--import": Path(import_) if import_ else None})
    if import_:
        paths.input_file(import_, "--import", "pass a CSV file")
    course = Course.open(out)
    with paths.private(out):
        try:
            if import_ or export:
                if import_:
                    print(sheet.import_(course, Path(import_), who), flush=True)
                    course.publish()
                    print(f"Wrote the grade files of {out} with the review", flush=True)
                if export:
                    rows = sheet.export(course, Path(export))
                    print(f"Wrote {export}: {rows} rows (student,question,points,comment)", flush=True)
                return 0
            return serve(course, host, port, who)
        finally:
            course.close()


def serve(course, host: str, port: int | None, who: str) -> int:
    review = bind(course, host, port, who)
    if not ipaddress.ip_address(review.server_address[0]).is_loopback:
        print(f"--host {host}: the page is reachable from other machines; anyone with the URL below (its token) "
              "can grade", flush=True)
    print(f"Review desk for {course.out}, as {who}: open\n  {review.url()}\n(Ctrl-C stops it; every change is saved "
          "at once)", flush=True)
    signal.signal(signal.SIGTERM, stop)  # as Ctrl-C: the last changes' grade files are written before leaving
    try:
        review.serve_forever()
    except KeyboardInterrupt:
        print("Stopping: writing the grade files...", file=sys.stderr, flush=True)
    finally:
        review.publisher.flush()
        review.server_close()
    return 0


def stop(signum, frame):
    raise KeyboardInterrupt


def bind(course, host: str, port: int | None, who: str):
    """The server on `port`, or (none given) the first free of DEFAULT_PORT and the next ones."""
    from autograder.review import server

    try:
        socket.getaddrinfo(host, None)
    except OSError:
        raise UsageError(f"--host {host}: no such address on this machine: give 127.0.0.1 or a name of this machine") \
            from None
    tries = [port] if port is not None else range(DEFAULT_PORT, DEFAULT_PORT + PORTS_TRIED)
    for candidate in tries:
        try:
            return server.Review((host, candidate), course, who)
        except OSError as exc:
            last = exc
    raise UsageError(f"--port {port if port is not None else DEFAULT_PORT}: cannot listen on {host} "
                     f"({last.strerror or last}): give another --port")
