"""The calculator without DST: every type, the start/end window, month ends and ``every`` anchors."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time, timedelta

import pytest

from custom_components.bellas_reef.scheduling import (
    Frequency,
    Schedule,
    ScheduleError,
    ScheduleType,
    level_at,
    next_run,
    runs_between,
)

from .factory import DROP, build, cron, daily, utc

MONTHLY = {"frequency": "monthly", "weekdays": DROP}


def runs(schedule: Schedule, start: datetime, end: datetime) -> list[datetime]:
    return runs_between(schedule, start, end)


# --- one_off -------------------------------------------------------------------------------------------


def test_one_off():
    schedule = build("one_off", run_at="2027-06-01T08:00:00+02:00")
    run_at = utc(2027, 6, 1, 6)
    assert next_run(schedule, utc(2027, 6, 1, 5)) == run_at
    assert next_run(schedule, run_at - timedelta(microseconds=1)) == run_at
    assert next_run(schedule, run_at) is None
    assert next_run(schedule, utc(2028, 1, 1)) is None
    assert runs(schedule, utc(2027, 1, 1), utc(2028, 1, 1)) == [run_at]
    assert next_run(schedule, utc(2027, 6, 1, 5)).tzinfo is UTC


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ({}, utc(2027, 6, 1, 6)),
        ({"start_time": "2027-06-01T06:00:00Z"}, utc(2027, 6, 1, 6)),  # a run exactly at start counts
        ({"start_time": "2027-06-01T06:00:01Z"}, None),
        ({"end_time": "2027-06-01T06:00:00Z"}, utc(2027, 6, 1, 6)),  # and exactly at the end too
        ({"end_time": "2027-06-01T05:59:59Z"}, None),
    ],
)
def test_one_off_window(window, expected):
    schedule = build("one_off", run_at="2027-06-01T06:00:00Z", **window)
    assert next_run(schedule, utc(2027, 1, 1)) == expected


# --- interval ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (utc(2026, 12, 31), utc(2027, 1, 1)),  # before the anchor: the anchor itself (k = 0)
        (utc(2027, 1, 1), utc(2027, 1, 1, 1)),
        (utc(2027, 1, 1, 0, 30), utc(2027, 1, 1, 1)),
        (utc(2027, 1, 1, 1), utc(2027, 1, 1, 2)),
        (utc(2027, 1, 1, 1) - timedelta(microseconds=1), utc(2027, 1, 1, 1)),
        (utc(2027, 3, 28, 0, 59, 59), utc(2027, 3, 28, 1)),
    ],
)
def test_interval_anchored_at_created_at(after, expected):
    schedule = build("interval", interval_seconds=3600)
    assert next_run(schedule, after) == expected


def test_interval_anchored_at_start_time_and_window():
    schedule = build(
        "interval",
        interval_seconds=90,
        start_time="2027-02-01T00:00:10Z",
        end_time="2027-02-01T00:04:40Z",
    )
    assert next_run(schedule, utc(2027, 1, 15)) == utc(2027, 2, 1, 0, 0, 10)
    assert runs(schedule, utc(2027, 1, 1), utc(2028, 1, 1)) == [
        utc(2027, 2, 1, 0, 0, 10),
        utc(2027, 2, 1, 0, 1, 40),
        utc(2027, 2, 1, 0, 3, 10),
        utc(2027, 2, 1, 0, 4, 40),
    ]
    assert next_run(schedule, utc(2027, 2, 1, 0, 4, 40)) is None


def test_interval_is_absolute_across_dst():
    # Every 24 h from 12:00 Berlin on the day before the spring jump: 11:00 UTC each day, so 13:00 CEST after.
    schedule = build("interval", interval_seconds=86_400, start_time="2027-03-27T12:00:00")
    assert runs(schedule, utc(2027, 3, 27), utc(2027, 3, 30)) == [
        utc(2027, 3, 27, 11),
        utc(2027, 3, 28, 11),
        utc(2027, 3, 29, 11),
    ]


def test_interval_one_second():
    schedule = build("interval", interval_seconds=1, start_time="2027-01-01T00:00:00Z")
    after = datetime(2027, 1, 1, 0, 0, 5, 250_000, tzinfo=UTC)
    assert next_run(schedule, after) == utc(2027, 1, 1, 0, 0, 6)
    assert len(runs(schedule, utc(2027, 1, 1), utc(2027, 1, 1, 0, 1))) == 60


# --- cron ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "after", "expected"),
    [
        ("0 8 * * *", utc(2027, 6, 1), utc(2027, 6, 1, 6)),  # 08:00 CEST
        ("0 8 * * *", utc(2027, 6, 1, 6), utc(2027, 6, 2, 6)),
        ("0 8 * * *", utc(2027, 1, 10), utc(2027, 1, 10, 7)),  # 08:00 CET
        ("0 8 * * * 30", utc(2027, 6, 1), utc(2027, 6, 1, 6, 0, 30)),  # seconds field
        ("* * * * * */10", utc(2027, 6, 1, 0, 0, 10), utc(2027, 6, 1, 0, 0, 20)),
        ("*/10 * * * * *", utc(2027, 6, 1, 0, 0, 10), utc(2027, 6, 1, 0, 0, 11)),  # minute field, every s
        ("@hourly", utc(2027, 6, 1, 0, 10), utc(2027, 6, 1, 1)),
        ("@daily", utc(2027, 6, 1), utc(2027, 6, 1, 22)),  # midnight CEST
        ("@midnight", utc(2027, 6, 1), utc(2027, 6, 1, 22)),
        ("@weekly", utc(2027, 6, 1), utc(2027, 6, 5, 22)),  # Sunday 00:00
        ("@monthly", utc(2027, 6, 1), utc(2027, 6, 30, 22)),
        ("@yearly", utc(2027, 6, 1), utc(2027, 12, 31, 23)),
        ("@annually", utc(2027, 6, 1), utc(2027, 12, 31, 23)),
        ("0 12 29 2 *", utc(2027, 1, 1), utc(2028, 2, 29, 11)),  # next leap day
        ("0 12 L 2 *", utc(2027, 1, 1), utc(2027, 2, 28, 11)),
        ("0 0 13 * fri", utc(2027, 8, 7), utc(2027, 8, 12, 22)),  # 13th OR Friday, as in every cron
        ("30 9 * * mon-fri", utc(2027, 6, 4, 8), utc(2027, 6, 7, 7, 30)),  # Friday after 09:30 -> Monday
        ("0 0 30 2 *", utc(2027, 1, 1), None),  # never
        ("0 0 31 4,6,9,11 *", utc(2027, 1, 1), None),
    ],
)
def test_cron(expression, after, expected):
    assert next_run(cron(expression), after) == expected


def test_cron_window():
    schedule = cron("0 8 * * *", start_time="2027-06-03T00:00:00+02:00", end_time="2027-06-05T08:00:00+02:00")
    assert runs(schedule, utc(2027, 6, 1), utc(2027, 7, 1)) == [
        utc(2027, 6, 3, 6),
        utc(2027, 6, 4, 6),
        utc(2027, 6, 5, 6),
    ]


def test_cron_kolkata_has_no_dst():
    schedule = cron("30 2 * * *", zone="Asia/Kolkata")
    assert runs(schedule, utc(2027, 3, 1), utc(2027, 3, 3)) == [utc(2027, 3, 1, 21), utc(2027, 3, 2, 21)]


def test_next_cron_uses_a_few_croniter_lookups(monkeypatch):
    from custom_components.bellas_reef.scheduling import cron as cron_module

    made: list[object] = []
    real = cron_module.croniter

    def counting(*args, **kwargs):
        made.append(args)
        return real(*args, **kwargs)

    cases = [
        # every minute, into the skipped hour: 01:59 CET -> 03:00 CEST
        (cron("* * * * *"), utc(2027, 3, 28, 0, 59), utc(2027, 3, 28, 1)),
        # every 5 s on the second pass of the repeated hour, and on the first pass
        (cron("* * * * * */5"), utc(2027, 10, 31, 1, 30), utc(2027, 10, 31, 1, 30, 5)),
        (cron("* * * * * */5"), utc(2027, 10, 31, 0, 30), utc(2027, 10, 31, 0, 30, 5)),
        (cron("0 0 30 2 *"), utc(2027, 1, 1), None),
    ]
    monkeypatch.setattr(cron_module, "croniter", counting)
    for schedule, after, expected in cases:
        made.clear()
        assert next_run(schedule, after) == expected
        assert len(made) <= 3, schedule.cron_expression


# --- recurring -----------------------------------------------------------------------------------------


def test_daily_several_times():
    schedule = daily(["20:00", "08:00"])
    assert runs(schedule, utc(2027, 6, 1), utc(2027, 6, 2, 23)) == [
        utc(2027, 6, 1, 6),
        utc(2027, 6, 1, 18),
        utc(2027, 6, 2, 6),
        utc(2027, 6, 2, 18),
    ]


def test_daily_with_seconds():
    assert next_run(daily(["08:00:30"]), utc(2027, 6, 1)) == utc(2027, 6, 1, 6, 0, 30)


def test_every_two_days_anchored_at_start_time():
    schedule = daily(["08:00"], every=2, start_time="2027-06-02T00:00:00+02:00")
    assert runs(schedule, utc(2027, 6, 1), utc(2027, 6, 8, 12)) == [
        utc(2027, 6, 2, 6),
        utc(2027, 6, 4, 6),
        utc(2027, 6, 6, 6),
        utc(2027, 6, 8, 6),
    ]


def test_every_three_days_anchored_at_created_at_across_the_year():
    # created 2027-01-01: runs on Jan 1, 4, 7, ... and 2027-12-30 (day 363), then 2028-01-02 (day 366)
    schedule = daily(["12:00"], every=3)
    assert runs(schedule, utc(2027, 12, 25), utc(2028, 1, 6)) == [
        utc(2027, 12, 27, 11),
        utc(2027, 12, 30, 11),
        utc(2028, 1, 2, 11),
        utc(2028, 1, 5, 11),
    ]


def test_weekly_every_three_weeks_across_new_year():
    # Anchor Monday 2027-12-13 (ISO week 50); 2027 has 52 ISO weeks, so the next are 2028-W01 and W04.
    schedule = build(
        "recurring",
        frequency="weekly",
        weekdays=["fri", "mon"],
        times=["08:00"],
        every=3,
        start_time="2027-12-15T00:00:00",  # a Wednesday: its week counts, its Monday is before the start
    )
    assert runs(schedule, utc(2027, 12, 1), utc(2028, 2, 1)) == [
        utc(2027, 12, 17, 7),
        utc(2028, 1, 3, 7),
        utc(2028, 1, 7, 7),
        utc(2028, 1, 24, 7),
        utc(2028, 1, 28, 7),
    ]


def test_weekly_every_week():
    schedule = build("recurring", weekdays=["sun", "wed"], times=["06:00", "21:00"])
    assert runs(schedule, utc(2027, 6, 1), utc(2027, 6, 7)) == [
        utc(2027, 6, 2, 4),
        utc(2027, 6, 2, 19),
        utc(2027, 6, 6, 4),
        utc(2027, 6, 6, 19),
    ]


def test_weekly_anchored_at_created_at():
    # created Friday 2027-01-01 (ISO week 2026-W53): every 2 weeks from that week -> 2027-W02, W04, ...
    schedule = build("recurring", weekdays=["mon"], times=["08:00"], every=2)
    assert runs(schedule, utc(2027, 1, 1), utc(2027, 1, 31)) == [utc(2027, 1, 11, 7), utc(2027, 1, 25, 7)]


@pytest.mark.parametrize(
    ("days", "start", "end", "expected_days"),
    [
        ([31], "2027-01-01", "2027-08-01", ["2027-01-31", "2027-03-31", "2027-05-31", "2027-07-31"]),
        ([29], "2027-01-01", "2027-04-01", ["2027-01-29", "2027-03-29"]),  # no Feb 29 in 2027: skipped
        ([29], "2028-01-30", "2028-03-01", ["2028-02-29"]),
        ([30], "2028-02-01", "2028-03-31", ["2028-03-30"]),
        ([-1], "2027-01-01", "2027-05-01", ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"]),
        ([-1], "2028-02-01", "2028-03-01", ["2028-02-29"]),
        ([28, -1], "2027-02-01", "2027-03-01", ["2027-02-28"]),  # the same day: one run
        ([28, -1], "2028-02-01", "2028-03-01", ["2028-02-28", "2028-02-29"]),
        ([-31], "2027-01-01", "2027-05-01", ["2027-01-01", "2027-03-01"]),
        ([-29], "2027-02-01", "2027-03-04", ["2027-03-03"]),  # none in a 28-day February; March 3rd
        ([1, 15], "2027-01-01", "2027-02-01", ["2027-01-01", "2027-01-15"]),
    ],
)
def test_monthly_days(days, start, end, expected_days):
    schedule = build("recurring", **MONTHLY, days_of_month=days, times=["12:00"], timezone="UTC")
    start_at = datetime.fromisoformat(start).replace(tzinfo=UTC)
    end_at = datetime.fromisoformat(end).replace(tzinfo=UTC)
    expected = [datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC) for day in expected_days]
    assert runs(schedule, start_at, end_at) == expected


def test_every_two_months_from_november():
    schedule = build(
        "recurring",
        **MONTHLY,
        days_of_month=[15, -1],
        times=["09:00"],
        every=2,
        start_time="2027-11-01T00:00:00",
    )
    assert runs(schedule, utc(2027, 10, 1), utc(2028, 5, 1)) == [
        utc(2027, 11, 15, 8),
        utc(2027, 11, 30, 8),
        utc(2028, 1, 15, 8),
        utc(2028, 1, 31, 8),
        utc(2028, 3, 15, 8),
        utc(2028, 3, 31, 7),  # CEST since 2028-03-26
    ]


def test_monthly_that_never_fits_gives_none():
    # the 30th and 31st, every 12 months from February: no February has them, ever
    schedule = build(
        "recurring",
        **MONTHLY,
        days_of_month=[30, 31],
        times=["09:00"],
        every=12,
        start_time="2027-02-01T00:00:00",
    )
    assert next_run(schedule, utc(2027, 1, 1)) is None


def test_every_twelve_months_finds_the_leap_day():
    schedule = build(
        "recurring",
        **MONTHLY,
        days_of_month=[29],
        times=["00:00"],
        every=12,
        start_time="2027-02-01T00:00:00Z",
        timezone="UTC",
    )
    assert runs(schedule, utc(2027, 1, 1), utc(2033, 1, 1)) == [utc(2028, 2, 29), utc(2032, 2, 29)]


def test_recurring_window():
    schedule = daily(["08:00"], start_time="2027-06-02T08:00:00+02:00", end_time="2027-06-03T08:00:00+02:00")
    assert runs(schedule, utc(2027, 6, 1), utc(2027, 7, 1)) == [utc(2027, 6, 2, 6), utc(2027, 6, 3, 6)]


def test_recurring_kolkata():
    schedule = build("recurring", **MONTHLY, days_of_month=[1], times=["02:30"], timezone="Asia/Kolkata")
    assert runs(schedule, utc(2027, 1, 1), utc(2027, 3, 2)) == [utc(2027, 1, 31, 21), utc(2027, 2, 28, 21)]


# --- common rules --------------------------------------------------------------------------------------


def test_runs_between_start_exclusive_end_inclusive():
    schedule = build("interval", interval_seconds=60, start_time="2027-01-01T00:00:00Z")
    assert runs(schedule, utc(2027, 1, 1, 0, 1), utc(2027, 1, 1, 0, 3)) == [
        utc(2027, 1, 1, 0, 2),
        utc(2027, 1, 1, 0, 3),
    ]
    assert runs(schedule, utc(2027, 1, 1, 0, 3), utc(2027, 1, 1, 0, 3)) == []
    assert runs(schedule, utc(2027, 1, 1, 0, 3), utc(2027, 1, 1, 0, 1)) == []


def test_runs_between_limit():
    schedule = build("interval", interval_seconds=1)
    assert len(runs_between(schedule, utc(2027, 1, 1), utc(2028, 1, 1), limit=5)) == 5
    assert runs_between(schedule, utc(2027, 1, 1), utc(2028, 1, 1), limit=0) == []


def test_disabled_schedules_still_compute():
    schedule = build("interval", enabled=False)
    assert next_run(schedule, utc(2027, 1, 1)) == utc(2027, 1, 1, 1)


NAIVE = datetime(2027, 1, 1)  # noqa: DTZ001


@pytest.mark.parametrize(
    "call",
    [
        lambda schedule: next_run(schedule, NAIVE),
        lambda schedule: runs_between(schedule, utc(2027, 1, 1), NAIVE),
        lambda schedule: runs_between(schedule, NAIVE, utc(2027, 1, 1)),
        lambda schedule: level_at(schedule, NAIVE),
    ],
)
def test_naive_datetimes_are_refused(call):
    schedule = build("interval")
    with pytest.raises(ValueError, match="aware"):
        call(schedule)


def test_results_are_utc():
    after = datetime(2027, 6, 1, tzinfo=build("cron").zone)
    for kind in ("one_off", "interval", "cron", "recurring", "static"):
        run = next_run(build(kind), after)
        assert run is not None
        assert run.tzinfo is UTC


def test_schedules_built_around_validation_do_not_crash():
    base = build("cron")
    assert next_run(dataclasses.replace(base, cron_expression=None), utc(2027, 1, 1)) is None
    interval = dataclasses.replace(base, schedule_type=ScheduleType.INTERVAL, cron_expression=None)
    assert next_run(interval, utc(2027, 1, 1)) is None
    one_off = dataclasses.replace(base, schedule_type=ScheduleType.ONE_OFF)
    assert next_run(one_off, utc(2027, 1, 1)) is None
    recurring = dataclasses.replace(base, schedule_type=ScheduleType.RECURRING, times=(time(8),))
    assert recurring.frequency is None
    assert next_run(recurring, utc(2027, 6, 1)) == utc(2027, 6, 1, 6)  # daily by default
    assert next_run(dataclasses.replace(recurring, times=()), utc(2027, 6, 1)) is None
    monthly = dataclasses.replace(recurring, frequency=Frequency.MONTHLY)
    assert next_run(monthly, utc(2027, 6, 1)) is None  # no days: nothing within a 400-year cycle
    static = dataclasses.replace(base, schedule_type=ScheduleType.STATIC)
    with pytest.raises(ScheduleError):
        next_run(static, utc(2027, 1, 1))


# --- level_at for ramp actions -------------------------------------------------------------------------


def ramp(**params: object) -> Schedule:
    return cron("0 8 * * *", action_type="ramp", action_params={"end_level": 80, "duration": 600, **params})


def test_ramp_level_in_progress():
    schedule = ramp(start_level=20)
    start = utc(2027, 6, 1, 6)
    assert level_at(schedule, start - timedelta(seconds=1)) is None
    assert level_at(schedule, start) == 20
    assert level_at(schedule, start + timedelta(seconds=150)) == pytest.approx(35)
    assert level_at(schedule, start + timedelta(seconds=300)) == pytest.approx(50)
    assert level_at(schedule, start + timedelta(seconds=599)) == pytest.approx(79.9)
    assert level_at(schedule, start + timedelta(seconds=600)) is None  # done: the channel holds 80


def test_ramp_level_from_the_recorded_start():
    schedule = ramp()
    middle = utc(2027, 6, 1, 6, 5)
    assert level_at(schedule, middle) is None
    assert level_at(schedule, middle, from_level=0) == pytest.approx(40)


def test_linear_ramp_level():
    schedule = ramp(start_level=0, curve="linear")
    level = level_at(schedule, utc(2027, 6, 1, 6, 5))
    assert level is not None
    assert level == pytest.approx(116 * (0.5 * ((80 + 16) / 116) ** 3) ** (1 / 3) - 16)


def test_level_at_is_none_for_one_shot_actions():
    assert level_at(build("cron"), utc(2027, 6, 1, 6)) is None
    assert level_at(build("interval"), utc(2027, 6, 1, 6)) is None
