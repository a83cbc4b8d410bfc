"""Command line: `autograder grade SUBMISSION [--results PATH] [--rubric PATH]`.

Only wiring lives here; each verb is a module with a keyword-only main().
Exit status: 0 whenever grading finished (whatever the score), 2 when the
grader itself could not run (a broken rubric, for instance).
"""

from __future__ import annotations

import argparse
import sys

from .errors import AutograderError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="autograder", description="Grade 'Neural Networks 2' submissions.")
    verbs = parser.add_subparsers(dest="verb", required=True)
    g = verbs.add_parser("grade", help="grade one notebook (.ipynb) or Python file (.py)")
    g.add_argument("submission", help="the student's notebook or .py file")
    g.add_argument("--results", default="results.json", help="where to write results.json (default: ./results.json)")
    g.add_argument("--rubric", default=None, help="rubric TOML file (default: the packaged rubric.toml)")
    args = parser.parse_args(argv)

    if args.verb == "grade":
        from . import grade, table

        try:
            graded = grade.main(submission=args.submission, results_path=args.results, rubric_path=args.rubric)
        except AutograderError as exc:
            print(f"autograder: {exc}", file=sys.stderr)
            return 2
        print(table.render(graded))
        for trace in graded.grader_errors:
            print(trace, file=sys.stderr)
        print(f"results written to {args.results}")
        return 0
    return 2
