"""The rubric: points, tolerances, limits, visibility and a homework's own values, from an instructor's TOML file.

Everything that decides a score and is not mathematics lives in the rubric file, so an
instructor changes points or hides a check without touching code. The engine's keys are
declared here; a homework declares its own tables (the lambdas and bands of "Neural Networks 2")
in its pack. The file is checked as a whole before anything is graded or built: it names its
homework, every key is known (a typo gets a "did you mean"), every value has its type and
range, every [[check]] row names a check of the homework and every check has exactly one row,
and the points add up. Each problem is one line naming the file, the key or the row's id, and
what to do.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path

from autograder import late as late_policy
from autograder.errors import RubricError

VISIBILITIES = ("visible", "after_due_date", "after_published", "hidden")


@dataclass(frozen=True)
class Key:
    """One key of the rubric: its type ("range" is [low, high]), what it means, the least value it may take,
    the words it may be (a str key), and its value when the file leaves it out (None: required)."""

    kind: type | str
    help: str
    minimum: float | None = 0
    choices: tuple[str, ...] = ()
    default: object = None


HINT_LEVELS = ("name", "fix", "off")


CHECK_ROW: dict[str, Key] = {
    "id": Key(str, "the check function's id", None),
    "part": Key(str, "the part it counts for", None),
    "number": Key(str, "its number on Gradescope, like 1.2", None),
    "name": Key(str, "its title on Gradescope", None),
    "points": Key(float, "its points"),
    "visibility": Key(str, "visible, after_due_date, after_published or hidden", None),
}


MANUAL_ROW: dict[str, Key] = {
    "id": Key(str, "how a TA's sheet and the review page name it, like ex1a (not a check's number)", None),
    "part": Key(str, "the automatic part whose cells the review page shows beside it (optional)", None, default=""),
    "name": Key(str, "its title, as the student reads it", None),
    "points": Key(float, "its points, given by a TA"),
    "scoring": Key(str, "positive: a TA's rubric items add to 0; negative: they take off the full points", None,
                   ("positive", "negative"), default="positive"),
}
ITEM_ROW: dict[str, Key] = {
    "comment": Key(str, "what the student reads when a TA picks it", None),
    "points": Key(float, "the points it adds (or, negative, takes off)", None),
}


@dataclass(frozen=True)
class Item:
    """A rubric item of a manual question, as Gradescope's: a short comment and a point change."""

    comment: str
    points: float


@dataclass(frozen=True)
class Manual:
    """A question a TA grades by hand (a written proof): its points add to the homework's total."""

    id: str
    part: str
    name: str
    points: float
    scoring: str = "positive"
    items: tuple[Item, ...] = ()

    def from_items(self, picked) -> float:
        """The points of a set of picked items (numbers from 1), within [0, points]."""
        start = self.points if self.scoring == "negative" else 0.0
        change = sum(self.items[i - 1].points for i in picked if 1 <= i <= len(self.items))
        return min(self.points, max(0.0, start + change))

    def to_json(self) -> dict:
        return {"id": self.id, "part": self.part, "name": self.name, "points": self.points,
                "scoring": self.scoring, "items": [{"comment": i.comment, "points": i.points} for i in self.items]}


@dataclass(frozen=True)
class Check:
    id: str
    part: str
    number: str
    name: str
    points: float
    visibility: str

    @property
    def is_public(self) -> bool:
        return self.visibility == "visible"


def key(table: str, kind, help: str, minimum: float | None = 0, choices: tuple[str, ...] = (), default=None,
        name: str = ""):
    """A field of Rubric that is a key of the file: its table ("" the top level), its Key, its name there
    (default: the field's). Declared once: parsing, the unknown-key suggestions, the error messages and
    the sandbox's limits all read these fields."""
    return field(metadata={"rubric": (table, name, Key(kind, help, minimum, choices, default))})


@dataclass(frozen=True)
class Rubric:
    path: Path
    homework: str = key("", str, "the homework this rubric grades", None)
    total: float = key("", float, "the homework's points")
    rtol: float = key("tolerance", float, "relative tolerance of compared values")
    atol: float = key("tolerance", float, "absolute tolerance of compared values")
    grad_rtol: float = key("tolerance", float, "relative tolerance of compared gradients and arrays")
    grad_atol: float = key("tolerance", float, "absolute tolerance of compared gradients and arrays")
    load_seconds: float = key("limits", float, "seconds to start a child, and again to run the student's definitions", 1)
    call_seconds: float = key("limits", float, "seconds one call of a student's function may take", 0.1)
    train_seconds: float = key("limits", float, "seconds one training may take", 1)
    memory_mb: int = key("limits", int, "address space of one child, in MB", 256)
    processes: int = key("limits", int, "processes and threads a child may add", 1)
    open_files: int = key("limits", int, "open files of one child", 16)
    disk_mb: int = key("limits", int, "MB of files in a child's scratch folder", 1)
    total_seconds: float = key("limits", float, "seconds the children of one grading may take in all", 10)
    seed_file: Path = key("hidden", str, "file holding the secret seed of the hidden inputs", None)
    hidden_count: int = key("hidden", int, "random inputs per hidden check", 1, name="count")
    hints: str = key("feedback", str, "named mistakes: name only names the mistake, fix also says how to fix it, "
                     "off leaves them out", None, HINT_LEVELS, default="name")
    parts: dict[str, float] = field(default_factory=dict)
    checks: tuple[Check, ...] = ()
    manual: tuple[Manual, ...] = ()  # [[manual]]: questions a TA grades by hand, beyond `total`
    late: late_policy.Policy | None = None  # [late]: the course's late policy; None: no penalty (the default)
    extra: dict = field(default_factory=dict)  # the homework's own tables: "penalty" -> {"frob_lambda": 0.005, ...}
    digest: str = ""  # of the file's bytes: a changed rubric means a regrade

    @cached_property  # read by every penalty question and training check: built once per rubric
    def tables(self) -> "Tables":
        """The homework's own tables by attribute: rubric.tables.penalty.mix_lambda, rubric.tables.bands.MixClassifier."""
        return Tables.of(self.extra)

    def table(self, name: str) -> dict:
        """The engine's table `name` ("limits"): its keys' field names and values."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.metadata.get("rubric", ("",))[0] == name}

    def check(self, check_id: str) -> Check:
        for c in self.checks:
            if c.id == check_id:
                return c
        raise RubricError(f"{self.path}: no [[check]] with id = {check_id!r}")

    @property
    def manual_points(self) -> float:
        return sum(m.points for m in self.manual)

    @property
    def course_total(self) -> float:
        """The homework's points everywhere a TA's grade goes: the automatic `total` and the manual questions."""
        return self.total + self.manual_points

    def public_points(self) -> float:
        return sum(c.points for c in self.checks if c.is_public)


# The engine's keys by table, as the file names them: derived from Rubric's fields (declared there, once).
# FIELD: (table, key as the file names it) -> the Rubric field that holds its value.
SCALARS: dict[str, dict[str, Key]] = {}
FIELD: dict[tuple[str, str], str] = {}
for _field in fields(Rubric):
    if "rubric" in _field.metadata:
        _table, _name, _key = _field.metadata["rubric"]
        SCALARS.setdefault(_table, {})[_name or _field.name] = _key
        FIELD[(_table, _name or _field.name)] = _field.name


class Tables:
    """A homework's own tables, read by attribute; a table of tables ([bands.X]) nests."""

    def __init__(self, values: dict):
        self.__dict__.update(values)

    @classmethod
    def of(cls, extra: dict) -> "Tables":
        nested: dict = {}
        for name, values in extra.items():
            *parents, leaf = name.split(".")
            where = nested
            for parent in parents:
                where = where.setdefault(parent, {})
            where[leaf] = values
        return cls({k: cls.of(v) if isinstance(v, dict) and all(isinstance(x, dict) for x in v.values())
                    else cls(v) for k, v in nested.items()})

    def __repr__(self) -> str:
        return f"Tables({', '.join(self.__dict__)})"



def read(path: Path) -> dict:
    """The file's table, TOML or (in the student bundle, for Python 3.10) JSON; RubricError when unreadable."""
    if path.is_dir():
        raise RubricError(f"rubric {path} is a folder: pass the rubric's .toml file")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RubricError(f"rubric file {path} does not exist: check the path") from None
    except OSError as exc:
        raise RubricError(f"rubric file {path} cannot be read ({exc.strerror})") from None
    try:
        if path.suffix == ".json":
            data = json.loads(raw.decode("utf-8"))
        else:
            import tomllib  # Python 3.11+: the grader's side

            data = tomllib.loads(raw.decode("utf-8"))
    except ValueError as exc:  # TOMLDecodeError, JSONDecodeError and UnicodeDecodeError are ValueErrors
        kind = "JSON" if path.suffix == ".json" else "TOML"
        raise RubricError(f"rubric file {path} is not valid {kind}: {exc}") from None
    if not isinstance(data, dict):
        raise RubricError(f"rubric file {path} must be a table of keys")
    return data


def load(homework, path: str | Path | None = None, check_ids: dict[str, str] | None = None) -> Rubric:
    """Read and validate `homework`'s rubric (its packaged one by default) against its checks."""
    path = Path(path) if path else default_path(homework)
    data = read(path)
    if check_ids is None:
        check_ids = {check_id: c.where for check_id, c in homework.checks().items()}
    problems = Problems(path)
    named = data.get("homework")
    if isinstance(named, str) and named != homework.id:
        problems.add(f"this rubric is for the homework `{named}`, not `{homework.id}`: pass the rubric of "
                     f"{homework.id}, or --homework {named}")
        problems.raise_if_any()
    values = _scalars(problems, data, homework)
    parts, extra = _parts(problems, data, homework), _extra(problems, data, homework)
    late = _late(problems, data)
    before = len(problems.lines)
    checks = _checks(problems, data, homework)
    if len(problems.lines) == before:  # a broken row would make every sum and id list look wrong too
        _check_rows_against_checks(checks, check_ids, problems)
        _check_points(parts, checks, values.get("total"), problems)
    manual = _manuals(problems, data, homework, checks)
    problems.raise_if_any()
    seed_file = Path(values.pop("seed_file"))
    return Rubric(
        path=path, homework=homework.id, total=values.pop("total"), parts=parts, checks=checks, manual=manual, extra=extra,
        digest=hashlib.sha256(path.read_bytes()).hexdigest(),
        seed_file=seed_file if seed_file.is_absolute() else path.parent / seed_file, late=late, **values,
    )


def default_path(homework) -> Path:
    """The packaged rubric; the student bundle carries it as JSON (Python 3.10 reads no TOML)."""
    toml = homework.rubric_path
    return toml if toml.exists() else toml.with_suffix(".json")


class Problems:
    """Every problem found in one rubric file, each one line naming the file."""

    def __init__(self, path: Path):
        self.path, self.lines = path, []

    def add(self, text: str) -> None:
        self.lines.append(f"{self.path}: {text}")

    def raise_if_any(self) -> None:
        if self.lines:
            raise RubricError("\n".join(self.lines))


def _known_paths(homework) -> list[str]:
    tables = {**SCALARS, **homework.tables}
    paths = [f"{t}.{k}" if t else k for t, keys in tables.items() for k in keys]
    paths += [f"parts.{p}" for p in homework.parts]
    return paths + [f"check.{k}" for k in CHECK_ROW] + [f"late.{k}" for k in late_policy.KEYS] + [
        f"manual.{k}" for k in [*MANUAL_ROW, "items"]]


def _late(problems: Problems, data: dict):
    table = data.get("late", {})
    if not isinstance(table, dict):
        problems.add(f"`late` must be a table ([late] with {', '.join(late_policy.KEYS)}), got {table!r}")
        return None
    return late_policy.parse_policy(table, problems)


def _unknown(problems: Problems, dotted: str, candidates: list[str]) -> None:
    guess = difflib.get_close_matches(dotted, candidates, n=1, cutoff=0.6)
    if not guess:  # the right name in the wrong table: `count` under [limits]
        leaf = dotted.rsplit(".", 1)[-1]
        guess = [c for c in candidates if c.rsplit(".", 1)[-1] == leaf][:1]
    hint = f" (did you mean `{guess[0]}`?)" if guess else " (remove it)"
    problems.add(f"unknown key `{dotted}`{hint}")


def _value(problems: Problems, table: dict, key: str, spec: Key, name: str):
    """The validated value of one key (`name` is how messages call it), or None after adding the problem."""
    if key not in table:
        if spec.default is not None:
            return spec.default
        problems.add(f"{name} is missing ({spec.help})")
        return None
    value = table[key]
    if spec.choices:
        if value not in spec.choices:
            problems.add(f"{name} must be one of {', '.join(repr(c) for c in spec.choices)} ({spec.help}), "
                         f"got {value!r}")
            return None
        return value
    if spec.kind == "range":
        return _range(problems, value, spec, name)
    if spec.kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, spec.kind) or isinstance(value, bool):
        kind = {float: "a number", int: "a whole number", str: "a string"}[spec.kind]
        problems.add(f"{name} must be {kind} ({spec.help}), got {value!r}")
        return None
    if spec.kind is float and not math.isfinite(value):
        problems.add(f"{name} must be a finite number, got {value!r}")
        return None
    if spec.minimum is not None and value < spec.minimum:
        problems.add(f"{name} must be at least {spec.minimum:g} ({spec.help}), got {value!r}")
        return None
    return value


def _range(problems: Problems, value, spec: Key, name: str):
    if not (isinstance(value, list) and len(value) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
            and value[0] <= value[1]):
        problems.add(f"{name} must be [low, high] with low <= high ({spec.help}), got {value!r}")
        return None
    return (float(value[0]), float(value[1]))


def _table(problems: Problems, data: dict, dotted: str) -> dict:
    """The table `a.b` of the file, or {} after adding the problem."""
    value = data
    for name in dotted.split("."):
        value = value.get(name) if isinstance(value, dict) else None
    if not isinstance(value, dict):
        problems.add(f"missing table [{dotted}]")
        return {}
    return value


def _read_tables(problems: Problems, data: dict, tables: dict[str, dict[str, Key]], homework) -> dict:
    """The values of `tables` by table and key; keys of theirs that no table declares are problems."""
    known = _known_paths(homework)
    values: dict[str, dict] = {}
    for table_name, keys in tables.items():
        optional = table_name not in data and all(k.default is not None for k in keys.values())
        table = data if not table_name else {} if optional else _table(problems, data, table_name)
        for key in table:
            dotted = f"{table_name}.{key}" if table_name else key
            if key not in keys and not any(k.startswith(dotted + ".") for k in known):  # a table is known too
                _unknown(problems, dotted, known)
        values[table_name] = {key: _value(problems, table, key, spec, f"`{table_name}.{key}`" if table_name
                                          else f"`{key}`") for key, spec in keys.items()}
    return values


def _scalars(problems: Problems, data: dict, homework) -> dict[str, object]:
    values = _read_tables(problems, data, SCALARS, homework)
    flat = {FIELD[(t, k)]: v for t, table in values.items() for k, v in table.items()}
    flat.pop("homework", None)
    return flat


def _extra(problems: Problems, data: dict, homework) -> dict[str, dict]:
    """The homework's tables; in a table that only holds tables ([bands.X]), unknown ones are problems too."""
    for parent in {t.rsplit(".", 1)[0] for t in homework.tables if "." in t} - set(homework.tables):
        for key in data.get(parent, {}) if isinstance(data.get(parent), dict) else ():
            if f"{parent}.{key}" not in homework.tables:
                _unknown(problems, f"{parent}.{key}", list(homework.tables))
    return _read_tables(problems, data, homework.tables, homework) if homework.tables else {}


def _parts(problems: Problems, data: dict, homework) -> dict[str, float]:
    table = _table(problems, data, "parts")
    for key in table:
        if key not in homework.parts:
            _unknown(problems, f"parts.{key}", [f"parts.{p}" for p in homework.parts])
    return {p: _value(problems, table, p, Key(float, f"the points of {p}"), f"`parts.{p}`") for p in homework.parts}


def _row_label(row: dict, index: int) -> str:
    """How a message names a [[check]] row: by its id, or by its position when it has none."""
    check_id = row.get("id") if isinstance(row, dict) else None
    return f"[[check]] `{check_id}`" if isinstance(check_id, str) else f"[[check]] number {index + 1}"


def _check_row(problems: Problems, row, index: int, homework) -> Check | None:
    label = _row_label(row, index)
    if not isinstance(row, dict):
        problems.add(f"{label} must be a table with the keys {', '.join(CHECK_ROW)}")
        return None
    for key in row:
        if key not in CHECK_ROW:
            _unknown(problems, f"check.{key}", [f"check.{k}" for k in CHECK_ROW])
    values = {k: _value(problems, row, k, spec, f"{label}: `{k}`") for k, spec in CHECK_ROW.items()}
    if any(v is None for v in values.values()):
        return None
    if values["part"] not in homework.parts:
        problems.add(f"{label}: `part` must be one of {', '.join(homework.parts)}, got {values['part']!r}")
        return None
    if values["visibility"] not in VISIBILITIES:
        problems.add(f"{label}: `visibility` must be one of {', '.join(VISIBILITIES)}, got {values['visibility']!r}")
        return None
    return Check(**values)


def _checks(problems: Problems, data: dict, homework) -> tuple[Check, ...]:
    rows = data.get("check", [])
    if not isinstance(rows, list) or not rows:
        problems.add("no [[check]] rows: each check needs one, with its points and visibility")
        return ()
    checks = [c for i, row in enumerate(rows) if (c := _check_row(problems, row, i, homework)) is not None]
    seen: set[str] = set()
    for c in checks:
        if c.id in seen:
            problems.add(f"[[check]] `{c.id}` appears twice: keep one row per check")
        seen.add(c.id)
    return tuple(checks)


def _check_rows_against_checks(checks: tuple[Check, ...], check_ids: dict[str, str], problems: Problems) -> None:
    """Every row names a check that exists, and every check has a row (else it would silently score 0)."""
    rows = {c.id for c in checks}
    for c in checks:
        if c.id not in check_ids:
            guess = difflib.get_close_matches(c.id, sorted(check_ids), n=1, cutoff=0.6)
            hint = f"did you mean `{guess[0]}`?" if guess else f"the checks are: {', '.join(sorted(check_ids))}"
            problems.add(f"[[check]] `{c.id}`: no check has this id ({hint})")
    for check_id, where in sorted(check_ids.items()):
        if check_id not in rows:
            problems.add(f"the check `{check_id}` ({where}) has no [[check]] row: add one with its part, "
                         "number, name, points and visibility")


def _check_points(parts: dict, checks: tuple[Check, ...], total, problems: Problems) -> None:
    """The checks of a part add up to the part's points, and the parts to the total."""
    for part, points in parts.items():
        summed = sum(c.points for c in checks if c.part == part)
        if points is not None and not math.isclose(summed, points, abs_tol=1e-9):
            problems.add(f"the checks of {part} add up to {summed:g} points, [parts] says {points:g}: "
                         "make them agree")
    if total is not None and None not in parts.values() and not math.isclose(sum(parts.values()), total, abs_tol=1e-9):
        problems.add(f"the parts add up to {sum(parts.values()):g}, total says {total:g}: make them agree")


def _row_keys(problems: Problems, row, label: str, keys: dict[str, Key], table: str, also=()) -> dict | None:
    """A row's validated values (every key of `keys`), or None after adding its problems."""
    if not isinstance(row, dict):
        problems.add(f"{label} must be a table with the keys {', '.join(keys)}")
        return None
    for key in row:
        if key not in keys and key not in also:
            _unknown(problems, f"{table}.{key}", [f"{table}.{k}" for k in [*keys, *also]])
    values = {k: _value(problems, row, k, spec, f"{label}: `{k}`") for k, spec in keys.items()}
    return None if any(v is None for v in values.values()) else values


def _manuals(problems: Problems, data: dict, homework, checks: tuple[Check, ...]) -> tuple[Manual, ...]:
    """The [[manual]] rows: ids unique and no check's number (a TA's sheet names either), parts the homework's,
    rubric items that fit the points."""
    rows = data.get("manual", [])
    if not isinstance(rows, list):
        problems.add("`manual` must be [[manual]] rows, each with id, name and points")
        return ()
    found, numbers = [], {c.number for c in checks}
    for index, row in enumerate(rows):
        label = f"[[manual]] `{row['id']}`" if isinstance(row, dict) and isinstance(row.get("id"), str) \
            else f"[[manual]] number {index + 1}"
        values = _row_keys(problems, row, label, MANUAL_ROW, "manual", ("items",))
        items = _items(problems, row.get("items", []) if isinstance(row, dict) else [], label)
        if values is None or items is None:
            continue
        if not values["id"] or not all(c.isalnum() or c in "_-." for c in values["id"]) or values["id"] in numbers:
            problems.add(f"{label}: `id` must be letters, digits, _ - or . and no check's number "
                         f"({', '.join(sorted(numbers))}), got {values['id']!r}")
        elif values["id"] in {m.id for m in found}:
            problems.add(f"{label} appears twice: keep one row per manual question")
        elif values["part"] and values["part"] not in homework.parts:
            problems.add(f"{label}: `part` must be one of {', '.join(homework.parts)} (or left out), "
                         f"got {values['part']!r}")
        elif any(abs(i.points) > values["points"] for i in items):
            problems.add(f"{label}: a rubric item changes more points than the question's {values['points']:g}")
        else:
            found.append(Manual(**values, items=items))
    return tuple(found)


def _items(problems: Problems, rows, label: str) -> tuple[Item, ...] | None:
    if not isinstance(rows, list):
        problems.add(f"{label}: `items` must be [[manual.items]] rows, each with comment and points")
        return None
    items = [_row_keys(problems, row, f"{label} item {i + 1}", ITEM_ROW, "manual.items") for i, row in enumerate(rows)]
    if any(i is None for i in items):
        return None
    return tuple(Item(**i) for i in items)


def seed_path(path: Path) -> Path | None:
    """Where a rubric file keeps its secret seed, read before the rubric is validated (None when it names none
    or cannot be read: `load` says why later)."""
    try:
        hidden = read(path).get("hidden")
    except RubricError:
        return None
    value = hidden.get("seed_file") if isinstance(hidden, dict) else None
    if not isinstance(value, str):
        return None
    return Path(value) if Path(value).is_absolute() else path.parent / value
