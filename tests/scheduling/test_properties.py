"""Property tests: next_run / runs_between laws for every type, and recurring against an independent oracle."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings, strategies as st

from custom_components.bellas_reef.scheduling import Schedule, level_at, next_run, runs_between

from .factory import BASE

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kolkata", "UTC"]
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
MICRO = timedelta(microseconds=1)

instants = st.datetimes(
    min_value=datetime(2026, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value=datetime(2030, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
clock_times = st.builds(
    lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.sampled_from([0, 1, 15, 30, 45, 59])
)

cron_expressions = st.builds(
    lambda minute, hour, dom, month, dow, seconds: " ".join(
        [minute, hour, dom, month, dow] + ([seconds] if seconds else [])
    ),
    st.sampled_from(["*", "0", "30", "*/15", "5,35", "0-10/5", "59"]),
    st.sampled_from(["*", "0", "2", "1-3", "*/6", "2,14", "23"]),
    st.sampled_from(["*", "*", "1", "15", "31", "L", "29"]),
    st.sampled_from(["*", "*", "*", "2", "3,10", "*/4"]),
    st.sampled_from(["*", "*", "mon", "0", "1-5", "sat,sun"]),
    st.sampled_from([None, None, None, "0", "*/20", "30"]),
)

PRESETS: list[tuple[str, dict[str, Any]]] = [
    (
        "diurnal",
        {
            "sunrise": "01:30",
            "sunrise_minutes": 60,
            "peak_level": 80,
            "sunset": "02:45",
            "sunset_minutes": 60,
        },
    ),
    (
        "diurnal",
        {
            "sunrise": "09:00",
            "sunrise_minutes": 60,
            "peak_level": 70,
            "sunset": "21:00",
            "sunset_minutes": 120,
        },
    ),
    ("moonlight", {"night_level": 5, "start": "22:00", "end": "02:30"}),
    ("moonlight", {"night_level": 5, "start": "02:00", "end": "03:00"}),
    ("feed_pause", {"times": ["02:15", "08:00", "18:00"], "minutes": 20}),
    ("maintenance", {"weekday": "sun", "time": "02:30", "minutes": 45}),
]


@st.composite
def type_fields(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["one_off", "interval", "cron", "recurring", "static"]))
    if kind == "one_off":
        return {"schedule_type": kind, "action_type": "on", "run_at": draw(instants).isoformat()}
    if kind == "interval":
        seconds = draw(st.one_of(st.integers(1, 7200), st.integers(1, 40 * 86_400)))
        return {"schedule_type": kind, "action_type": "on", "interval_seconds": seconds}
    if kind == "cron":
        return {"schedule_type": kind, "action_type": "on", "cron_expression": draw(cron_expressions)}
    if kind == "static":
        preset, params = draw(st.sampled_from(PRESETS))
        return {"schedule_type": kind, "preset": preset, "preset_params": params}
    return {"schedule_type": kind, "action_type": "on", **draw(recurring_fields())}


@st.composite
def recurring_fields(draw: st.DrawFn) -> dict[str, Any]:
    frequency = draw(st.sampled_from(["daily", "weekly", "monthly"]))
    fields: dict[str, Any] = {
        "frequency": frequency,
        "times": draw(st.lists(clock_times, min_size=1, max_size=3)),
        "every": draw(st.integers(1, 5)),
    }
    if frequency == "weekly":
        fields["weekdays"] = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=3))
    if frequency == "monthly":
        days = st.one_of(st.integers(1, 31), st.integers(-31, -1))
        fields["days_of_month"] = draw(st.lists(days, min_size=1, max_size=3))
    return fields


@st.composite
def schedules(draw: st.DrawFn, fields: st.SearchStrategy[dict[str, Any]] | None = None) -> Schedule:
    data = {
        **BASE,
        "timezone": draw(st.sampled_from(ZONES)),
        **draw(type_fields() if fields is None else fields),
    }
    data["created_at"] = draw(instants).isoformat()
    if draw(st.booleans()):
        start = draw(instants)
        data["start_time"] = start.isoformat()
        if draw(st.booleans()):
            data["end_time"] = (start + timedelta(seconds=draw(st.integers(1, 400 * 86_400)))).isoformat()
    return Schedule.from_dict(data)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(schedule=schedules(), after=instants, later=st.integers(0, 30 * 86_400))
def test_next_run_laws(schedule, after, later):
    run = next_run(schedule, after)
    if run is not None:
        assert run > after
        assert run.tzinfo is UTC
        assert schedule.start_time is None or run >= schedule.start_time
        assert schedule.end_time is None or run <= schedule.end_time
        # nothing in between: from just before the run, the run is next again
        assert next_run(schedule, run - MICRO) == run
    # monotonic: from a later instant the next run is not earlier, and the same if ``run`` is still ahead
    second = after + timedelta(seconds=later)
    run_later = next_run(schedule, second)
    if run is None:
        assert run_later is None
    elif run > second:
        assert run_later == run
    else:
        assert run_later is None or run_later > run


@SETTINGS
@given(schedule=schedules(), start=instants, span=st.integers(0, 10 * 86_400))
def test_runs_between_is_repeated_next_run(schedule, start, span):
    end = start + timedelta(seconds=span)
    runs = runs_between(schedule, start, end, limit=60)
    assert runs == sorted(set(runs))
    cursor = start
    for run in runs:
        assert next_run(schedule, cursor) == run
        assert start < run <= end
        cursor = run
    if len(runs) < 60:
        following = next_run(schedule, cursor)
        assert following is None or following > end


@SETTINGS
@given(
    schedule=schedules(
        st.sampled_from(PRESETS).map(
            lambda p: {"schedule_type": "static", "preset": p[0], "preset_params": p[1]}
        )
    ),
    instant=instants,
)
def test_preset_levels_stay_in_range(schedule, instant):
    level = level_at(schedule, instant)
    assert level is not None
    assert 0 <= level <= 100


# --- recurring against an oracle written without the code under test -------------------------------


def oracle_instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """Fixed-time rule the slow way: the first pass if the wall time exists, else the first minute past it."""
    first = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if first.astimezone(zone).replace(tzinfo=None) == wall:
        return first
    probe = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    while probe.astimezone(zone).replace(tzinfo=None) < wall:
        probe += timedelta(minutes=1)
    return probe


def oracle_matches(schedule: Schedule, day: date, anchor: date) -> bool:
    every = schedule.every
    if schedule.frequency == "daily":
        return (day - anchor).days % every == 0
    if schedule.frequency == "weekly":
        weeks = (
            (day - timedelta(days=day.weekday())) - (anchor - timedelta(days=anchor.weekday()))
        ).days // 7
        return WEEKDAYS[day.weekday()] in schedule.weekdays and weeks % every == 0
    months = (day.year - anchor.year) * 12 + day.month - anchor.month
    length = calendar.monthrange(day.year, day.month)[1]
    wanted = {n if n > 0 else length + 1 + n for n in schedule.days_of_month}
    return months % every == 0 and day.day in wanted


def oracle_runs(schedule: Schedule, start: datetime, end: datetime) -> list[datetime]:
    zone = schedule.zone
    anchor = (schedule.start_time or schedule.created_at).astimezone(zone).date()
    found = set()
    day = start.astimezone(zone).date() - timedelta(days=2)
    while day <= end.astimezone(zone).date() + timedelta(days=1):
        if oracle_matches(schedule, day, anchor):
            for value in schedule.times:
                instant = oracle_instant(datetime.combine(day, value), zone)
                inside = (schedule.start_time is None or instant >= schedule.start_time) and (
                    schedule.end_time is None or instant <= schedule.end_time
                )
                if start < instant <= end and inside:
                    found.add(instant)
        day += timedelta(days=1)
    return sorted(found)


TRANSITION_DAYS = [
    datetime(2027, 3, 28, tzinfo=UTC),
    datetime(2027, 10, 31, tzinfo=UTC),
    datetime(2027, 3, 14, tzinfo=UTC),
    datetime(2027, 11, 7, tzinfo=UTC),
    datetime(2027, 4, 3, tzinfo=UTC),
    datetime(2027, 10, 2, tzinfo=UTC),
    datetime(2027, 9, 25, tzinfo=UTC),
    datetime(2027, 12, 25, tzinfo=UTC),
    datetime(2028, 2, 20, tzinfo=UTC),
]


@SETTINGS
@given(
    schedule=schedules(
        recurring_fields().map(lambda f: {"schedule_type": "recurring", "action_type": "on", **f})
    ),
    centre=st.sampled_from(TRANSITION_DAYS),
    shift=st.integers(-40, 0),
)
def test_recurring_against_oracle(schedule, centre, shift):
    start = centre + timedelta(days=shift)
    end = start + timedelta(days=45)
    assert runs_between(schedule, start, end) == oracle_runs(schedule, start, end)


def test_oracle_instant_sanity():
    berlin = ZoneInfo("Europe/Berlin")
    assert oracle_instant(datetime(2027, 3, 28, 2, 30), berlin) == datetime(2027, 3, 28, 1, tzinfo=UTC)  # noqa: DTZ001
    assert oracle_instant(datetime(2027, 10, 31, 2, 30), berlin) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # noqa: DTZ001
