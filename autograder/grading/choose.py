"""Which homework a verb works on: --homework, the rubric's, or the one the files' answers belong to.

A notebook of another installed homework is told so (`answered_instead`); a rubric of another homework than
the files answer is refused before any work (`refuse_another`).
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

from autograder.errors import UsageError
from autograder.homework import Homework, ids, load


def defined_names(path: Path) -> set[str]:
    """Top-level function and class names of a notebook or .py file, without running or importing it."""
    from autograder.grading import cells, submission

    try:
        found = cells.code_cells(path)
    except Exception:  # unreadable: no names; grading will say what the file is
        return set()
    names = set()
    for _, source in found:
        try:
            tree = ast.parse(submission.strip_magics(source)[0] or "")
        except SyntaxError:
            continue
        names |= {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    return names


def detect(paths: list[Path]) -> Homework | None:
    """The pack whose answer names the files define: the only one, or the one most of a course's files are
    for (a stray notebook of another homework is then graded `wrong homework`); None when none fits."""
    counts: dict[str, int] = {}
    for path in paths:
        names = defined_names(path)
        for h in ids():
            if names & set(load(h).handout.ANSWERS):
                counts[h] = counts.get(h, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if len(ranked) == 1 or (len(ranked) > 1 and ranked[0][1] > sum(n for _, n in ranked[1:]) and len(paths) > 2):
        return load(ranked[0][0])
    return None


def choose(homework_id: str | None, rubric_path: str | Path | None, paths: list[Path], say=print) -> Homework:
    """The homework a verb works on: --homework, else the rubric's `homework`, else the only one
    installed, else the one the submissions clearly belong to (said, so the user sees it)."""
    if homework_id:
        return load(homework_id)
    named = rubric_homework(Path(rubric_path)) if rubric_path else None
    if named:
        return load(named)
    if len(ids()) == 1:
        return load(ids()[0])
    if not paths:
        raise UsageError(f"several homeworks are installed: pass --homework ({', '.join(ids())})")
    found = detect(paths)
    if found is None:
        unnamed = f"the rubric {rubric_path} names no homework, and " if rubric_path else ""
        raise UsageError(f"{unnamed}cannot tell which homework {'these files are' if len(paths) != 1 else 'this file is'} "
                         f"for: pass --homework ({', '.join(ids())})")
    said = "the submission defines" if len(paths) == 1 else "most submissions define"
    say(f"homework: {found.id} ({found.title}), from the answers {said}")
    return found


def refuse_another(hw: Homework, paths: list[Path], homework_id: str | None, rubric_path, anyway: bool) -> None:
    """Before any work: the homework the operator named (--homework, else the rubric's `homework`) refused when
    most of the files answer another installed one: a slip of the operator's (graded, every row would be
    `wrong homework`), not the students' doing. `anyway`: the fix may be --homework (`grade`, where --homework
    on another homework's notebook grades it so, as the student's upload)."""
    if not homework_id and not (rubric_path and rubric_homework(Path(rubric_path))):
        return  # found from the files themselves: they answer it
    counts = Counter(other.id for path in paths if (other := answered_instead(defined_names(path), hw)))
    found, most = counts.most_common(1)[0] if counts else ("", 0)
    if most * 2 <= len(paths):
        return
    other = load(found)
    theirs = (f"{paths[0].name} answers" if len(paths) == 1 else f"{most} of {len(paths)} submissions answer") + \
        f" {other.id} ({other.title})"
    if homework_id:
        raise UsageError(f"--homework {homework_id}: {theirs}; drop --homework or pass --homework {other.id}")
    fix = f"--homework {hw.id} to grade {'it' if len(paths) == 1 else 'them'} as {hw.id} anyway" if anyway else \
        f"no --rubric for {other.id}'s own"
    raise UsageError(f"--rubric {rubric_path} is the rubric of {hw.id} ({hw.title}), and {theirs}: pass "
                     f"{other.id}'s rubric, or {fix}")


def rubric_homework(path: Path) -> str | None:
    """The `homework = "..."` line of a rubric file, read before the rubric itself is validated."""
    from autograder import rubric

    try:
        return rubric.read(path).get("homework")
    except Exception:  # rubric.load will say what is wrong with it
        return None


def answered_instead(names: set[str], hw: Homework) -> Homework | None:
    """The one other installed homework whose answers `names` define, when they define none of `hw`'s."""
    if names & set(hw.handout.ANSWERS):
        return None
    fits = []
    for other in ids():
        try:  # another pack that cannot load here is not this grading's business: it just cannot be named
            if other != hw.id and names & set(load(other).handout.ANSWERS):
                fits.append(load(other))
        except Exception:
            continue
    return fits[0] if len(fits) == 1 else None
