"""Late submissions: the rubric's policy, the times each source of submissions carries, the points taken off.

Gradescope takes no late penalty off programming assignments, and a TA's download carries the
times in its own way. The policy is the instructor's ([late] in the rubric); the times come from
the input only, never guessed: Gradescope's submission_metadata.json (the student's own due date
when an extension moves it), an export's submission_metadata.yml, Moodle's grading worksheet.
Canvas's download marks a late file (`_LATE_`) and carries no time: the mark is reported, and no
penalty is taken.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

UNITS = {"day": 86400.0, "hour": 3600.0}
BASES = ("score", "possible")
KEYS = {
    "due": "the due date with its time zone, like 2026-12-01T23:59:00+01:00 (a source's own due date wins)",
    "grace_minutes": "minutes after the due date that still count as on time",
    "penalty_percent": "percent taken off per started day (or hour) late",
    "per": "\"day\" or \"hour\": the unit the penalty counts",
    "of": "\"score\": percent of the points earned; \"possible\": percent of the homework's points",
    "max_penalty_percent": "the most that is ever taken off, in percent",
    "zero_after_days": "no points at all when this many days late or more",
}


@dataclass(frozen=True)
class Policy:
    due: datetime | None
    grace_minutes: float = 0.0
    penalty_percent: float = 0.0
    per: str = "day"
    of: str = "score"
    max_penalty_percent: float = 100.0
    zero_after_days: float | None = None

    def describe(self) -> str:
        cap = f", at most {self.max_penalty_percent:g}%" if self.max_penalty_percent < 100 else ""
        zero = f", no points from {self.zero_after_days:g} days late" if self.zero_after_days is not None else ""
        grace = f" after {self.grace_minutes:g} minutes of grace" if self.grace_minutes else ""
        base = "of the points earned" if self.of == "score" else "of the homework's points"
        return f"{self.penalty_percent:g}% {base} per started {self.per} late{grace}{cap}{zero}"


@dataclass(frozen=True)
class Times:
    """When a submission came in, and when it was due for its student, as the input says."""

    submitted: datetime | None = None
    due: datetime | None = None  # the student's own (an extension), or the assignment's, when the input has it
    marked_late: bool = False  # the input says "late" and gives no time (Canvas)
    source: str = ""  # where the times come from, for the TA's sheet


@dataclass(frozen=True)
class Lateness:
    """What the policy makes of one submission's times."""

    submitted: datetime | None
    due: datetime | None
    late_by: timedelta | None  # None: not known
    percent: float  # taken off, 0 to 100
    points: float  # taken off
    note: str  # the line on top of the student's feedback, "" when there is nothing to say

    @property
    def late(self) -> bool:
        return bool(self.late_by and self.late_by > timedelta(0))


def parse_policy(table: dict, problems) -> Policy | None:
    """The rubric's [late] table, each problem one line through `problems.add`; None when absent."""
    if not table:
        return None
    for key in table:
        if key not in KEYS:
            import difflib

            guess = difflib.get_close_matches(key, list(KEYS), n=1, cutoff=0.6)
            problems.add(f"unknown key `late.{key}`" + (f" (did you mean `late.{guess[0]}`?)" if guess else " (remove it)"))
    values = {"due": _due(table.get("due"), problems)}
    for key, low, default in (("grace_minutes", 0, 0.0), ("penalty_percent", 0, None),
                              ("max_penalty_percent", 0, 100.0), ("zero_after_days", 0, None)):
        values[key] = _number(table, key, low, default, problems)
    for key, choices in (("per", tuple(UNITS)), ("of", BASES)):
        value = table.get(key, choices[0])
        if value not in choices:
            problems.add(f"`late.{key}` must be one of {', '.join(map(repr, choices))} ({KEYS[key]}), got {value!r}")
        values[key] = value
    if "penalty_percent" not in table and "zero_after_days" not in table:
        problems.add("[late] takes nothing off: add `late.penalty_percent` (and `late.per`), or "
                     "`late.zero_after_days`, or remove the table")
    for key in ("penalty_percent", "max_penalty_percent"):
        if values[key] is not None and values[key] > 100:
            problems.add(f"`late.{key}` is a percent: at most 100, got {values[key]:g}")
    values["penalty_percent"] = values["penalty_percent"] or 0.0
    return Policy(**values)


def _number(table: dict, key: str, low: float, default, problems):
    value = table.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < low:
        problems.add(f"`late.{key}` must be a number of at least {low:g} ({KEYS[key]}), got {value!r}")
        return default
    return float(value)


def _due(value, problems) -> datetime | None:
    if value is None:
        return None
    due = value if isinstance(value, datetime) else parse_time(value) if isinstance(value, str) else None
    if due is None:
        problems.add(f"`late.due` must be a date and time like 2026-12-01T23:59:00+01:00, got {value!r}")
    elif due.tzinfo is None:
        problems.add(f"`late.due` = {due.isoformat(timespec='minutes')} has no time zone: write it with its offset, "
                     f"like {due.isoformat(timespec='minutes')}+01:00")
        return None
    return due


def parse_time(text) -> datetime | None:
    """An ISO 8601 time with or without its zone ('Z' too); None when it is not one."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def assess(policy: Policy | None, times: Times, earned: float, possible: float) -> Lateness | None:
    """The penalty for one submission; None when there is no policy."""
    if policy is None:
        return None
    due = times.due or policy.due
    if times.submitted is None or due is None:
        return Lateness(times.submitted, due, None, 0.0, 0.0, "")
    late_by = times.submitted - due
    if late_by <= timedelta(minutes=policy.grace_minutes):
        return Lateness(times.submitted, due, max(late_by, timedelta(0)), 0.0, 0.0, "")
    units = math.ceil(late_by.total_seconds() / UNITS[policy.per])
    percent = min(policy.max_penalty_percent, units * policy.penalty_percent)
    if policy.zero_after_days is not None and late_by >= timedelta(days=policy.zero_after_days):
        percent = 100.0
    base = earned if policy.of == "score" and percent < 100 else possible
    points = min(earned, round(base * percent / 100, 6))
    note = (f"Submitted {duration(late_by)} late ({times.submitted.isoformat(timespec='minutes')}, due "
            f"{due.isoformat(timespec='minutes')}): {percent:g}% off by the course's late policy "
            f"({policy.describe()}), {points:g} points: {earned - points:g} of {possible:g} "
            f"instead of {earned:g}.")
    return Lateness(times.submitted, due, late_by, percent, points, note)


def apply(data: dict, lateness: Lateness | None) -> dict:
    """results.json's content with the penalty taken off its score and said on top of its output."""
    if lateness is None or not lateness.note:
        return data
    score = round(max(0.0, data["score"] - lateness.points), 6)
    return {**data, "score": score, "output": "\n\n".join(x for x in (lateness.note, data.get("output", "")) if x)}


def duration(td: timedelta) -> str:
    """'2 days 3 hours 5 minutes', to the minute (at least '1 minute')."""
    minutes = max(1, math.ceil(td.total_seconds() / 60))
    days, rest = divmod(minutes, 1440)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    return " ".join(f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n)


def from_gradescope(metadata: dict) -> Times:
    """Gradescope's submission_metadata.json: created_at, and the latest due date among the submitters'
    own (an extension moves a student's users[].assignment.due_date), else the assignment's."""
    own = [parse_time(((u or {}).get("assignment") or {}).get("due_date")) for u in metadata.get("users") or []
           if isinstance(u, dict)]
    own = [d for d in own if d is not None]
    assignment = metadata.get("assignment") if isinstance(metadata.get("assignment"), dict) else {}
    due = max(own) if own else parse_time(assignment.get("due_date"))
    return Times(parse_time(metadata.get("created_at")), due, source="submission_metadata.json")


def with_zone(times: Times, policy: Policy | None) -> Times:
    """Times without a zone (Moodle's worksheet writes local times) read in the zone of the rubric's due date."""
    zone = policy.due.tzinfo if policy and policy.due else None
    if times.submitted is not None and times.submitted.tzinfo is None and zone is not None:
        return replace(times, submitted=times.submitted.replace(tzinfo=zone))
    return times
