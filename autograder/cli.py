"""Command line: `autograder grade | check | build gradescope | build student | gradescope-run`.

Only wiring lives here; each verb is a module with a keyword-only main().
Exit status: 0 whenever grading finished (whatever the score), 2 when the
grader itself could not run (a broken rubric, for instance).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import AutograderError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="autograder", description="Grade 'Neural Networks 2' submissions.")
    verbs = p.add_subparsers(dest="verb", required=True)

    g = verbs.add_parser("grade", help="grade one notebook (.ipynb) or Python file (.py)")
    g.add_argument("submission", help="the student's notebook or .py file")
    g.add_argument("--results", default="results.json", help="where to write results.json (default: ./results.json)")
    g.add_argument("--rubric", default=None, help="rubric TOML file (default: the packaged rubric.toml)")
    g.add_argument("--run-as", default=None, metavar="USER",
                   help="when root: run student code as this unprivileged user")

    c = verbs.add_parser("check", help="self-check a notebook with the public checks (exit 0 when all pass)")
    c.add_argument("notebook", help="your notebook (.ipynb) or .py file")
    c.add_argument("--json", default=None, help="also write the outcomes as JSON to this file")

    b = verbs.add_parser("build", help="build a deployable bundle")
    kinds = b.add_subparsers(dest="kind", required=True)
    bg = kinds.add_parser("gradescope", help="the autograder zip to upload to Gradescope")
    bg.add_argument("--out", default="autograder.zip", help="the zip to write (default: autograder.zip)")
    bg.add_argument("--rubric", default=None, help="rubric TOML file (default: the packaged rubric.toml)")
    bg.add_argument("--seed", default=None, help="the hidden checks' seed, hexadecimal (default: a new random one)")
    bs = kinds.add_parser("student", help="the handout bundle for students: notebook, utils.py, self-check")
    bs.add_argument("--out", default="neural_networks_2_student.zip", help="the zip to write")

    r = verbs.add_parser("gradescope-run", help="what run_autograder runs inside the Gradescope container")
    r.add_argument("--root", default=os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    r.add_argument("--run-as", default=os.environ.get("AUTOGRADER_STUDENT_USER", "nn2student"), metavar="USER")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.verb == "grade":
            return grade(args)
        if args.verb == "check":
            from . import selfcheck

            return selfcheck.main(notebook=args.notebook, json_path=args.json)
        if args.verb == "build" and args.kind == "gradescope":
            from .gradescope import build

            out = build.main(out=args.out, rubric_path=args.rubric, seed=args.seed)
            print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB): upload it as the assignment's autograder")
            return 0
        if args.verb == "build" and args.kind == "student":
            from . import student_bundle

            out = student_bundle.main(out=args.out)
            print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB): hand it out to students")
            return 0
        if args.verb == "gradescope-run":
            from .gradescope import run

            return run.main(root=Path(args.root), run_as=args.run_as if os.geteuid() == 0 else None)
    except AutograderError as exc:
        print(f"autograder: {exc}", file=sys.stderr)
        return 2
    except ImportError as exc:  # the student bundle carries the self-check only
        print(f"autograder: `{args.verb}` is not available here ({exc.name} is not part of this bundle)", file=sys.stderr)
        return 2
    return 2


def grade(args) -> int:
    from . import grade, table
    from .sandbox.runner import Account

    try:
        account = Account.named(args.run_as) if args.run_as else None
    except (KeyError, ValueError):
        print(f"autograder: --run-as {args.run_as}: no such unprivileged user", file=sys.stderr)
        return 2
    graded = grade.main(submission=args.submission, results_path=args.results, rubric_path=args.rubric,
                        account=account)
    print(table.render(graded))
    for trace in graded.grader_errors:
        print(trace, file=sys.stderr)
    print(f"results written to {args.results}")
    return 0
