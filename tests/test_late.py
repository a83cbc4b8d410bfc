"""The late policy: the rubric's [late] table validated like every key, and the penalty it takes, held
against its definition by properties (never more than earned, never less for a later submission)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from autograder import late, rubric
from autograder.errors import RubricError
from conftest import NN2

PACKAGED = NN2.rubric_path.read_text()
ZONE = timezone(timedelta(hours=1))
DUE = datetime(2026, 12, 1, 23, 59, tzinfo=ZONE)


def policy(**keys) -> late.Policy:
    return late.Policy(due=DUE, **keys)


def with_late(tmp_path, table: str):
    path = tmp_path / "rubric.toml"
    path.write_text(PACKAGED + "\n[late]\n" + table)
    return rubric.load(NN2, path)


def test_a_rubric_without_late_takes_nothing_off():
    assert rubric.load(NN2).late is None
    assert late.assess(None, late.Times(DUE + timedelta(days=3)), 30, 40) is None


def test_the_late_table_is_read_with_its_zone(tmp_path):
    got = with_late(tmp_path, "due = 2026-12-01T23:59:00+01:00\npenalty_percent = 10\nper = \"hour\"\n"
                              "grace_minutes = 5\nmax_penalty_percent = 50\nzero_after_days = 7\nof = \"possible\"\n").late
    assert got == late.Policy(DUE, 5.0, 10.0, "hour", "possible", 50.0, 7.0)


@pytest.mark.parametrize("table, message", [
    ("due = 2026-12-01T23:59:00\npenalty_percent = 10\n", "`late.due` = 2026-12-01T23:59 has no time zone"),
    ("due = \"tomorrow\"\npenalty_percent = 10\n", "`late.due` must be a date and time"),
    ("penalty_percent = 110\n", "`late.penalty_percent` is a percent: at most 100"),
    ("penalty_percent = -1\n", "`late.penalty_percent` must be a number of at least 0"),
    ("penalty_percent = 10\nper = \"week\"\n", "`late.per` must be one of 'day', 'hour'"),
    ("penalty_percnt = 10\n", "unknown key `late.penalty_percnt` (did you mean `late.penalty_percent`?)"),
    ("grace_minutes = 10\n", "[late] takes nothing off"),
])
def test_a_broken_late_table_is_refused_with_the_key_named(tmp_path, table, message):
    with pytest.raises(RubricError) as refused:
        with_late(tmp_path, table)
    assert message in str(refused.value) and str(tmp_path / "rubric.toml") in str(refused.value)


def test_per_started_day_with_grace_cap_and_zero_after():
    p = policy(grace_minutes=10, penalty_percent=10, max_penalty_percent=30, zero_after_days=5)
    at = lambda delta: late.assess(p, late.Times(DUE + delta), 30.0, 40.0)
    assert at(timedelta(minutes=9)).points == 0 and not at(timedelta(minutes=9)).note
    assert at(timedelta(minutes=11)).percent == 10 and at(timedelta(minutes=11)).points == 3.0
    assert at(timedelta(days=1, seconds=1)).percent == 20
    assert at(timedelta(days=4)).percent == 30  # the cap
    assert at(timedelta(days=5)).points == 30.0  # zero after five days: everything earned
    note = at(timedelta(days=1, hours=3)).note
    assert note.startswith("Submitted 1 day 3 hours late (2026-12-03T02:59+01:00, due 2026-12-01T23:59+01:00): "
                           "20% off") and "24 of 40 instead of 30" in note


def test_per_hour_and_of_the_possible_points():
    p = policy(penalty_percent=2, per="hour", of="possible")
    got = late.assess(p, late.Times(DUE + timedelta(hours=2, minutes=1)), 30.0, 40.0)
    assert got.percent == 6 and got.points == pytest.approx(2.4)


def test_a_student_s_own_due_date_wins_over_the_rubric_s():
    p = policy(penalty_percent=10)
    extended = late.assess(p, late.Times(DUE + timedelta(days=1), due=DUE + timedelta(days=2)), 30.0, 40.0)
    assert extended.points == 0 and not extended.late


def test_unknown_times_take_nothing_off():
    got = late.assess(policy(penalty_percent=10), late.Times(marked_late=True), 30.0, 40.0)
    assert got.late_by is None and got.points == 0 and late.apply({"score": 30, "output": "x"}, got)["score"] == 30


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 30 * 86400), st.floats(0, 30 * 86400), st.floats(0, 40), st.floats(0, 100), st.floats(0, 100),
       st.sampled_from(late.BASES), st.sampled_from(tuple(late.UNITS)))
def test_the_penalty_never_exceeds_what_was_earned_and_never_falls_with_lateness(a, b, earned, percent, cap, of, per):
    p = policy(penalty_percent=percent, max_penalty_percent=cap, of=of, per=per, zero_after_days=20)
    sooner, later = sorted((a, b))
    first = late.assess(p, late.Times(DUE + timedelta(seconds=sooner)), earned, 40.0)
    second = late.assess(p, late.Times(DUE + timedelta(seconds=later)), earned, 40.0)
    assert 0 <= first.points <= second.points <= earned + 1e-9
    data = late.apply({"score": earned, "output": ""}, second)
    assert data["score"] == pytest.approx(max(0.0, earned - second.points), abs=1e-6)


def test_gradescope_metadata_gives_the_time_and_the_extended_due_date():
    metadata = json.loads("""{"created_at": "2026-12-02T10:00:00.123456+01:00",
        "assignment": {"due_date": "2026-12-01T23:59:00.000000+01:00", "late_due_date": null},
        "users": [{"name": "Ada", "assignment": {"due_date": "2026-12-03T23:59:00.000000+01:00"}},
                  {"name": "Bo"}]}""")
    times = late.from_gradescope(metadata)
    assert times.submitted == datetime(2026, 12, 2, 10, 0, 0, 123456, tzinfo=ZONE)
    assert times.due == datetime(2026, 12, 3, 23, 59, tzinfo=ZONE)  # Ada's extension covers the group
    del metadata["users"][0]["assignment"]
    assert late.from_gradescope(metadata).due == DUE


def test_durations_read_as_a_person_writes_them():
    assert late.duration(timedelta(seconds=1)) == "1 minute"
    assert late.duration(timedelta(days=2, hours=1, minutes=30)) == "2 days 1 hour 30 minutes"
