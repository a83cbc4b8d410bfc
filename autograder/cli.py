"""Command line: `autograder grade | check | build gradescope | build student | batch | review | merge | mutants | gradescope-run`.

Only wiring lives here; each verb is a module with a keyword-only main(). Every verb that works
on a homework takes --homework (else the rubric's, else the one the submission is for).
Exit status: 0 when the work finished (a grade, whatever the score); 1 when it finished with
something to look at (a failed self-check, a batch with grader errors, a surviving mutant);
2 when the grader could not run or was given something it cannot use, said in one line each.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder import __version__, paths
from autograder.errors import AutograderError


def port_number(text: str) -> int:
    """A TCP port: 0 (any free one) to 65535."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535, got {value}")
    return value


def positive(text: str) -> int:
    """A whole number of at least 1 (jobs, lanes, samples)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


BATCH_FILES = """files written under --out (readable by your account only; rerun the command to resume):
  grades.csv           one row per student: parts, (with [[manual]] questions: each one, automatic,
                       overrides, manual), unpenalized, penalty, total, status, review, submitted,
                       late, late_by, seconds, reason
  review.sqlite        what TAs gave with `autograder review` (kept by every rerun)
  feedback/STUDENT.md  the student's copy (and .json): the checks the student may see once grades
                       are published, never a `hidden` one; safe to forward
  ta/STUDENT.md        the TA's copy (and .json): every check, hidden ones too, and why a grade is
                       not ordinary (grader errors, timeouts, unreadable files); never forward it
  summary.md, histogram.png, report.html, summary.json, similarity.csv
                       how the course did, what it got wrong, near-identical answers
  canvas_grades.csv    for a Canvas download or with --canvas-gradebook: Grades > Import in Canvas
  moodle_grades.csv    for a Moodle download: Upload grading worksheet in Moodle
  moodle_feedback.zip  for a Moodle download: Upload multiple feedback files in a zip
  answers/, state/, work/, batch.json, similarity.cache.json
                       the answers graded, each grading's state, the unpacked input (for resuming),
                       the last similarity comparison (computed again when an answer changes)"""

RUN_AS_HELP = ("as root: run student code as this unprivileged account, or one of these (one per grading at once); "
               "needed where the kernel has no Landlock")
UNCONFINED_HELP = ("where the kernel has no Landlock and no --run-as is given: grade anyway, student code running "
                   "with your own rights (it could change your files and the grader's)")
HOMEWORK_HELP = "the homework (a pack under autograder/homeworks); default: the rubric's, or the one the file is for"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="autograder", description="Grade homework submissions (notebooks or .py files).")
    p.add_argument("--version", action="version", version=f"autograder {__version__}")
    verbs = p.add_subparsers(dest="verb", required=True)

    g = verbs.add_parser("grade", help="grade one notebook (.ipynb) or Python file (.py)")
    g.add_argument("submission", help="the student's notebook or .py file")
    g.add_argument("--homework", default=None, help=HOMEWORK_HELP)
    g.add_argument("--results", default="results.json", help="where to write results.json (default: ./results.json)")
    g.add_argument("--rubric", default=None, help="rubric TOML file (default: the homework's packaged rubric.toml)")
    g.add_argument("--run-as", default=None, metavar="USER[,USER...]", help=RUN_AS_HELP)
    g.add_argument("--unconfined", action="store_true", help=UNCONFINED_HELP)
    g.add_argument("--lanes", type=positive, default=None, help="children at once (default: one per usable CPU)")
    g.add_argument("--meta", default=None, help="also write what the grader knows beyond results.json (JSON)")

    c = verbs.add_parser("check", help="self-check a notebook with the public checks (exit 0 when all pass)")
    c.add_argument("notebook", help="your notebook (.ipynb) or .py file")
    c.add_argument("--homework", default=None, help=HOMEWORK_HELP)
    c.add_argument("--json", default=None, help="also write the outcomes as JSON to this file")
    c.add_argument("--part", action="append", default=None, metavar="PART",
                   help="check only this part, as the report names it; repeatable")

    b = verbs.add_parser("build", help="build a deployable bundle")
    kinds = b.add_subparsers(dest="kind", required=True)
    bg = kinds.add_parser("gradescope", help="the autograder zip to upload to Gradescope")
    bg.add_argument("--homework", default=None, help=HOMEWORK_HELP)
    bg.add_argument("--out", default="autograder.zip", help="the zip to write (default: autograder.zip)")
    bg.add_argument("--rubric", default=None, help="rubric TOML file (default: the homework's packaged rubric.toml)")
    bg.add_argument("--seed", default=None, help="the hidden checks' seed, hexadecimal (default: a new random one)")
    bh = kinds.add_parser("handout", help="the handout notebook, the solved notebook and the model answers, from "
                          "the instructor's solved notebook with solution marks")
    bh.add_argument("--homework", default=None, help=HOMEWORK_HELP)
    bs = kinds.add_parser("student", help="the handout bundle for students: notebook, data, self-check")
    bs.add_argument("--homework", default=None, help=HOMEWORK_HELP)
    bs.add_argument("--out", default=None, help="the zip to write (default: <handout>_student.zip)")
    bs.add_argument("--rubric", default=None, help="rubric TOML file (default: the homework's packaged rubric.toml); "
                    "use the one you build the Gradescope zip with")

    bt = verbs.add_parser("batch", help="grade a course: a folder, a Canvas or Moodle download, a Gradescope export",
                          epilog=BATCH_FILES, formatter_class=argparse.RawDescriptionHelpFormatter)
    bt.add_argument("input", help="the folder or zip of submissions")
    bt.add_argument("--homework", default=None, help=HOMEWORK_HELP)
    bt.add_argument("--out", required=True, help="output folder (rerun with the same folder to resume)")
    bt.add_argument("--jobs", type=positive, default=None, help="submissions graded at once (default: the CPUs)")
    bt.add_argument("--rubric", default=None, help="rubric TOML file (default: the homework's packaged rubric.toml)")
    bt.add_argument("--shard", default=None, metavar="K/N", help="grade only the K-th of N slices")
    bt.add_argument("--cache", default=None, help="reuse gradings of identical code across batches (a folder)")
    bt.add_argument("--regrade", nargs="+", default=None, metavar="STUDENT",
                    help="grade these students again even if already graded (as named in grades.csv)")
    bt.add_argument("--regrade-all", action="store_true", help="grade every submission again")
    bt.add_argument("--assignment", default=None, metavar="NAME",
                    help="the assignment's column in canvas_grades.csv (default: the homework's title)")
    bt.add_argument("--canvas-gradebook", default=None, metavar="FILE",
                    help="Canvas's gradebook export: canvas_grades.csv keeps its rows and columns and fills the "
                         "--assignment column only")
    bt.add_argument("--moodle-worksheet", default=None, metavar="FILE",
                    help="Moodle's grading worksheet: the submission times the rubric's [late] policy needs")
    bt.add_argument("--scheduler", default=None, metavar="tcp://HOST:PORT",
                    help="grade on the workers of this Dask scheduler (docs/tas.md: Dask) instead of this machine's CPUs")
    bt.add_argument("--run-as", default=None, metavar="USER[,USER...]", help=RUN_AS_HELP)
    bt.add_argument("--unconfined", action="store_true", help=UNCONFINED_HELP)
    n = verbs.add_parser("new", help="start something new")
    what = n.add_subparsers(dest="kind", required=True)
    npk = what.add_parser("pack", help="a small installable package holding a working homework pack, to edit")
    npk.add_argument("id", help="the homework's id: lowercase letters, digits and _")
    npk.add_argument("--out", required=True, help="a new folder for the package")
    npk.add_argument("--title", default=None, help="the homework's title")
    rv = verbs.add_parser("review", help="the TA's review desk over a batch's output: manual points, overrides and "
                          "regrade requests, in a web page or a CSV sheet",
                          epilog="The page is served on 127.0.0.1 and needs the token of the URL it prints. Every "
                                 "change is kept in OUT/review.sqlite and written at once to grades.csv, the LMS "
                                 "sheets, feedback/, ta/ and report.html; a batch rerun keeps it.")
    rv.add_argument("out", help="the --out folder of `autograder batch` (or `merge`)")
    rv.add_argument("--port", type=port_number, help=f"the port (default: {8790} or the next free one)")
    rv.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1); the token is "
                    "needed on any")
    rv.add_argument("--as", dest="who", help="your name in the review's history (default: your account's)")
    rv.add_argument("--import", dest="import_", metavar="FILE.csv", help="read scores (student,question,points,"
                    "comment) or regrade requests (student,question,request) from a CSV, then exit; all or nothing")
    rv.add_argument("--export", metavar="FILE.csv", help="write the scores as student,question,points,comment (a row "
                    "per student and manual question, and every override), then exit")

    m = verbs.add_parser("merge", help="join the output folders of several shards")
    m.add_argument("dirs", nargs="+", help="the shards' output folders")
    m.add_argument("--out", required=True, help="the merged output folder")

    mu = verbs.add_parser("mutants", help="mutation testing: grade wrong variants of the reference, count the killed")
    mu.add_argument("--homework", default=None, help=HOMEWORK_HELP)
    mu.add_argument("--out", default="mutants-out", help="folder for mutants.md, mutants.json and shared trainings")
    mu.add_argument("--sample", type=positive, default=None, help="grade only this many, spread evenly (default: all)")
    mu.add_argument("--jobs", type=positive, default=2, help="gradings at once (default: 2)")
    mu.add_argument("--only", nargs="*", default=None, metavar="ID", help="grade only these mutant ids")
    mu.add_argument("--per-family", action="store_true",
                    help="grade one mutant of every family and every hand-written wrong submission (minutes)")

    r = verbs.add_parser("gradescope-run", help="what run_autograder runs inside the Gradescope container")
    r.add_argument("--root", default=os.environ.get("AUTOGRADER_ROOT", "/autograder"))
    r.add_argument("--run-as", default=None, metavar="USER[,USER...]",
                   help="the accounts student code runs as (default: the pool setup.sh made, else "
                        "$AUTOGRADER_STUDENT_USER, else autograder-student)")
    return p


def main(argv: list[str] | None = None) -> int:
    from autograder.child.simulated import hide_posix_modules

    hide_posix_modules()  # a test switch: as on Windows (child/simulated.py)
    args = parser().parse_args(argv)
    verb = f"{args.verb} {args.kind}" if args.verb in ("build", "new") else args.verb
    try:
        return VERBS[verb](args)
    except AutograderError as exc:
        for line in str(exc).splitlines():
            print(f"autograder: {line}", file=sys.stderr)
        return 2
    except ImportError as exc:  # the student bundle carries the self-check only
        print(f"autograder: `{args.verb}` is not available here ({exc.name} is not part of this bundle)", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the output was piped into `head` or a pager that quit: nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def homework_of(args, paths_given=()):
    from autograder.grading.choose import choose

    return choose(getattr(args, "homework", None), getattr(args, "rubric", None), list(paths_given))


def batch(args) -> int:
    from autograder.course import batch

    return batch.main(source=args.input, out=args.out, jobs=args.jobs, rubric_path=args.rubric, shard=args.shard,
                      cache=args.cache, regrade=args.regrade, regrade_all=args.regrade_all, homework=args.homework,
                      assignment=args.assignment, canvas_gradebook=args.canvas_gradebook,
                      moodle_worksheet=args.moodle_worksheet, scheduler=args.scheduler, run_as=args.run_as,
                      unconfined=args.unconfined)


def review(args) -> int:
    from autograder import review

    return review.main(out=args.out, port=args.port, host=args.host, import_=args.import_, export=args.export,
                       who=args.who)


def merge(args) -> int:
    from autograder.course import batch

    return batch.merge(dirs=args.dirs, out=args.out)


def check(args) -> int:
    from autograder.student import check as selfcheck

    return selfcheck.main(notebook=args.notebook, json_path=args.json, homework=args.homework, parts=args.part)


def build_gradescope(args) -> int:
    from autograder.gradescope import build

    out = build.main(out=args.out, rubric_path=args.rubric, seed=args.seed, homework=homework_of(args))
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB): upload it as the assignment's autograder")
    return 0


def build_handout(args) -> int:
    from autograder.scaffold import handouts

    hw = homework_of(args)
    for path in handouts.main(homework=hw):
        print(f"wrote {path}")
    return 0


def new_pack(args) -> int:
    from autograder import scaffold

    written = scaffold.main(homework_id=args.id, out=args.out, title=args.title)
    print(f"wrote {len(written)} files in {args.out}: the pack {args.id}. Next: pip install -e {args.out}, then "
          f"autograder grade {Path(args.out) / 'notebooks' / 'solution.ipynb'} --homework {args.id}")
    return 0


def build_student(args) -> int:
    from autograder.student import bundle as student_bundle

    hw = homework_of(args)
    out = student_bundle.main(out=args.out or f"{hw.notebook}_student.zip", rubric_path=args.rubric, homework=hw)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB): hand it out to students")
    return 0


def mutants(args) -> int:
    from autograder.mutants import run as mutants_run

    hw = homework_of(args)
    paths.refuse_inputs_as_outputs({"--out": Path(args.out)}, {"the homework's pack": hw.folder,
                                                              "the reference": hw.reference})
    return mutants_run.main(out=args.out, sample=args.sample, jobs=args.jobs, only=args.only, homework=hw,
                            per_family=args.per_family)


def gradescope_run(args) -> int:
    from autograder.gradescope import run

    return run.main(root=Path(args.root), run_as=run.accounts(Path(args.root), args.run_as))


def grade(args) -> int:
    from autograder.grading import grade, table

    graded = grade.main(submission=args.submission, results_path=args.results, rubric_path=args.rubric,
                        run_as=run_as(args), unconfined=args.unconfined, lanes=args.lanes, homework=args.homework,
                        say=print, meta_path=args.meta)
    print(table.render(graded))
    for trace in graded.grader_errors:
        print(trace, file=sys.stderr)
    print(f"results written to {args.results}")
    return 0


def run_as(args):
    """The accounts of --run-as (checked to exist and not to be root), or None."""
    from autograder.sandbox.accounts import Pool

    return Pool.parse(args.run_as) if args.run_as else None


VERBS = {"grade": grade, "check": check, "batch": batch, "merge": merge, "review": review, "build gradescope": build_gradescope,
         "build handout": build_handout, "build student": build_student, "new pack": new_pack, "mutants": mutants, "gradescope-run": gradescope_run}
