"""DST: skipped and repeated wall times for cron, recurring and presets, with UTC instants worked out by hand.

The 2027 transitions used (local wall clock -> UTC):

* Europe/Berlin: 2027-03-28 02:00 CET (+1) -> 03:00 CEST (+2) at 01:00Z; 2027-10-31 03:00 CEST -> 02:00 CET at
  01:00Z (02:00-03:00 twice: first pass 00:00-01:00Z, second 01:00-02:00Z).
* America/New_York: 2027-03-14 02:00 EST (-5) -> 03:00 EDT (-4) at 07:00Z; 2027-11-07 02:00 EDT -> 01:00 EST
  at 06:00Z (01:00-02:00 twice: 05:00-06:00Z, then 06:00-07:00Z).
* Australia/Lord_Howe (30 minutes): 2027-10-03 02:00 (+10:30) -> 02:30 (+11) at 2027-10-02 15:30Z;
  2027-04-04 02:00 (+11) -> 01:30 (+10:30) at 2027-04-03 15:00Z (01:30-02:00 twice).
* Pacific/Chatham (+12:45 / +13:45): 2027-09-26 02:45 -> 03:45 at 2027-09-25 14:00Z; 2027-04-04 03:45 ->
  02:45 at 2027-04-03 14:00Z (02:45-03:45 twice).
* Asia/Kolkata: +05:30 all year.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from croniter import croniter
from hypothesis import given, settings, strategies as st
import pytest

from custom_components.bellas_reef.scheduling import level_at, next_run, preset_step, runs_between
from custom_components.bellas_reef.scheduling.wallclock import (
    WallKind,
    resolve,
    span_end,
    span_start,
)

from .factory import DROP, build, cron, daily, static, utc

# (zone, expression, start, end, expected runs in (start, end])
CRON_CASES = [
    # Berlin spring: 02:30 is skipped -> fires at the jump, 03:00 CEST = 01:00Z
    (
        "Europe/Berlin",
        "30 2 * * *",
        utc(2027, 3, 26),
        utc(2027, 3, 30),
        [utc(2027, 3, 26, 1, 30), utc(2027, 3, 27, 1, 30), utc(2027, 3, 28, 1), utc(2027, 3, 29, 0, 30)],
    ),
    # several fixed times in the gap collapse into one run at the jump
    ("Europe/Berlin", "0,30 2 * * *", utc(2027, 3, 27, 12), utc(2027, 3, 28, 12), [utc(2027, 3, 28, 1)]),
    # wildcard minute: nothing at 02:00/02:30 (skipped), the wall clock goes on at 03:00
    (
        "Europe/Berlin",
        "*/30 * * * *",
        utc(2027, 3, 28, 0),
        utc(2027, 3, 28, 2),
        [utc(2027, 3, 28, 0, 30), utc(2027, 3, 28, 1), utc(2027, 3, 28, 1, 30), utc(2027, 3, 28, 2)],
    ),
    # wildcard hour, fixed minute in the skipped hour: no run that hour
    (
        "Europe/Berlin",
        "30 * * * *",
        utc(2027, 3, 28, 0),
        utc(2027, 3, 28, 2),
        [utc(2027, 3, 28, 0, 30), utc(2027, 3, 28, 1, 30)],
    ),
    # Berlin autumn: 02:30 happens twice -> once, on the first pass (CEST, 00:30Z)
    (
        "Europe/Berlin",
        "30 2 * * *",
        utc(2027, 10, 30),
        utc(2027, 11, 2),
        [utc(2027, 10, 30, 0, 30), utc(2027, 10, 31, 0, 30), utc(2027, 11, 1, 1, 30)],
    ),
    (
        "Europe/Berlin",
        "0,30 2 * * *",
        utc(2027, 10, 30, 12),
        utc(2027, 10, 31, 12),
        [utc(2027, 10, 31, 0), utc(2027, 10, 31, 0, 30)],
    ),
    # wildcard: the repeated hour runs again (each real hour)
    (
        "Europe/Berlin",
        "@hourly",
        utc(2027, 10, 30, 22, 30),
        utc(2027, 10, 31, 2),
        [utc(2027, 10, 30, 23), utc(2027, 10, 31, 0), utc(2027, 10, 31, 1), utc(2027, 10, 31, 2)],
    ),
    (
        "Europe/Berlin",
        "*/30 * * * *",
        utc(2027, 10, 30, 23),
        utc(2027, 10, 31, 2, 30),
        [
            utc(2027, 10, 30, 23, 30),
            utc(2027, 10, 31, 0),
            utc(2027, 10, 31, 0, 30),
            utc(2027, 10, 31, 1),
            utc(2027, 10, 31, 1, 30),
            utc(2027, 10, 31, 2),
            utc(2027, 10, 31, 2, 30),
        ],
    ),
    # New York spring: 02:30 -> 03:00 EDT = 07:00Z; wildcard hour skips 02:15
    (
        "America/New_York",
        "30 2 * * *",
        utc(2027, 3, 13),
        utc(2027, 3, 16),
        [utc(2027, 3, 13, 7, 30), utc(2027, 3, 14, 7), utc(2027, 3, 15, 6, 30)],
    ),
    (
        "America/New_York",
        "15 * * * *",
        utc(2027, 3, 14, 6),
        utc(2027, 3, 14, 8),
        [utc(2027, 3, 14, 6, 15), utc(2027, 3, 14, 7, 15)],
    ),
    # New York autumn: 01:30 twice -> first pass (EDT, 05:30Z); wildcard 01:30 twice
    (
        "America/New_York",
        "30 1 * * *",
        utc(2027, 11, 6),
        utc(2027, 11, 9),
        [utc(2027, 11, 6, 5, 30), utc(2027, 11, 7, 5, 30), utc(2027, 11, 8, 6, 30)],
    ),
    (
        "America/New_York",
        "30 * * * *",
        utc(2027, 11, 7, 4),
        utc(2027, 11, 7, 8),
        [utc(2027, 11, 7, 4, 30), utc(2027, 11, 7, 5, 30), utc(2027, 11, 7, 6, 30), utc(2027, 11, 7, 7, 30)],
    ),
    # Lord Howe spring (30 min): 02:15 is skipped -> 02:30 (+11) = 15:30Z; hourly skips 02:00 only
    (
        "Australia/Lord_Howe",
        "15 2 * * *",
        utc(2027, 10, 1),
        utc(2027, 10, 4),
        [utc(2027, 10, 1, 15, 45), utc(2027, 10, 2, 15, 30), utc(2027, 10, 3, 15, 15)],
    ),
    (
        "Australia/Lord_Howe",
        "0 * * * *",
        utc(2027, 10, 2, 14),
        utc(2027, 10, 2, 16),
        [utc(2027, 10, 2, 14, 30), utc(2027, 10, 2, 16)],
    ),
    # Lord Howe autumn: 01:45 twice -> first pass (+11) 14:45Z; wildcard: 14:45Z and 15:15Z
    (
        "Australia/Lord_Howe",
        "45 1 * * *",
        utc(2027, 4, 2),
        utc(2027, 4, 5),
        [utc(2027, 4, 2, 14, 45), utc(2027, 4, 3, 14, 45), utc(2027, 4, 4, 15, 15)],
    ),
    (
        "Australia/Lord_Howe",
        "45 * * * *",
        utc(2027, 4, 3, 13),
        utc(2027, 4, 3, 16, 30),
        [utc(2027, 4, 3, 13, 45), utc(2027, 4, 3, 14, 45), utc(2027, 4, 3, 15, 15), utc(2027, 4, 3, 16, 15)],
    ),
    # Chatham spring: 03:00 is skipped (02:45 -> 03:45) -> 14:00Z; hourly jumps from 02:00 to 04:00
    (
        "Pacific/Chatham",
        "0 3 * * *",
        utc(2027, 9, 24),
        utc(2027, 9, 27),
        [utc(2027, 9, 24, 14, 15), utc(2027, 9, 25, 14), utc(2027, 9, 26, 13, 15)],
    ),
    (
        "Pacific/Chatham",
        "0 * * * *",
        utc(2027, 9, 25, 13),
        utc(2027, 9, 25, 14, 15),
        [utc(2027, 9, 25, 13, 15), utc(2027, 9, 25, 14, 15)],
    ),
    # Chatham autumn: 03:00 twice -> first pass (+13:45) 13:15Z; hourly runs at 13:15Z and 14:15Z
    (
        "Pacific/Chatham",
        "0 3 * * *",
        utc(2027, 4, 2),
        utc(2027, 4, 5),
        [utc(2027, 4, 2, 13, 15), utc(2027, 4, 3, 13, 15), utc(2027, 4, 4, 14, 15)],
    ),
    (
        "Pacific/Chatham",
        "0 * * * *",
        utc(2027, 4, 3, 12),
        utc(2027, 4, 3, 15, 15),
        [utc(2027, 4, 3, 12, 15), utc(2027, 4, 3, 13, 15), utc(2027, 4, 3, 14, 15), utc(2027, 4, 3, 15, 15)],
    ),
    # Kolkata: no DST, 02:30 IST = 21:00Z the day before, every day of the year
    (
        "Asia/Kolkata",
        "30 2 * * *",
        utc(2027, 3, 27),
        utc(2027, 3, 29),
        [utc(2027, 3, 27, 21), utc(2027, 3, 28, 21)],
    ),
    (
        "Asia/Kolkata",
        "30 2 * * *",
        utc(2027, 10, 30),
        utc(2027, 11, 1),
        [utc(2027, 10, 30, 21), utc(2027, 10, 31, 21)],
    ),
]


@pytest.mark.parametrize(("zone", "expression", "start", "end", "expected"), CRON_CASES)
def test_cron_dst(zone, expression, start, end, expected):
    assert runs_between(cron(expression, zone=zone), start, end) == expected


FIXED_CASES = [case for case in CRON_CASES if case[1].replace(" ", "")[:-3].isdigit()]  # "M H * * *"


@pytest.mark.parametrize(("zone", "expression", "start", "end", "expected"), FIXED_CASES)
def test_recurring_dst_matches_fixed_cron(zone, expression, start, end, expected):
    minute, hour = expression.split()[:2]
    schedule = daily([f"{int(hour):02d}:{int(minute):02d}"], zone=zone)
    assert runs_between(schedule, start, end) == expected


def test_fixed_cases_cover_every_zone():
    assert {case[0] for case in FIXED_CASES} == set(TRANSITIONS)
    assert len(FIXED_CASES) == 10


def test_recurring_several_times_in_one_gap_fire_once():
    schedule = daily(["02:10", "02:40", "03:10"])
    assert runs_between(schedule, utc(2027, 3, 27, 12), utc(2027, 3, 28, 12)) == [
        utc(2027, 3, 28, 1),
        utc(2027, 3, 28, 1, 10),
    ]


def test_weekly_and_monthly_on_dst_days():
    weekly = build("recurring", weekdays=["sun"], times=["02:30"], timezone="America/New_York")
    assert runs_between(weekly, utc(2027, 3, 1), utc(2027, 3, 22)) == [
        utc(2027, 3, 7, 7, 30),
        utc(2027, 3, 14, 7),
        utc(2027, 3, 21, 6, 30),
    ]
    monthly = build(
        "recurring",
        frequency="monthly",
        weekdays=DROP,
        days_of_month=[-1],
        times=["02:30"],
        timezone="Europe/Berlin",
    )
    assert runs_between(monthly, utc(2027, 10, 1), utc(2027, 11, 1)) == [utc(2027, 10, 31, 0, 30)]


def test_every_n_days_is_counted_in_local_dates_across_dst():
    schedule = daily(["12:00"], every=2, start_time="2027-03-27T00:00:00")
    assert runs_between(schedule, utc(2027, 3, 26), utc(2027, 4, 1)) == [
        utc(2027, 3, 27, 11),
        utc(2027, 3, 29, 10),
        utc(2027, 3, 31, 10),
    ]


def test_next_run_from_inside_spans():
    hourly = cron("0 * * * *")
    # just before the jump, from 01:59:59 CET: the next wall hour that exists is 03:00 CEST = 01:00Z
    assert next_run(hourly, utc(2027, 3, 28, 0, 59, 59)) == utc(2027, 3, 28, 1)
    # from the first pass of the repeated hour: its second pass starts again at 02:00 CET = 01:00Z
    assert next_run(hourly, utc(2027, 10, 31, 0, 30)) == utc(2027, 10, 31, 1)
    # from the second pass: 03:00 CET
    assert next_run(hourly, utc(2027, 10, 31, 1, 30)) == utc(2027, 10, 31, 2)
    fixed = cron("30 2 * * *")
    assert next_run(fixed, utc(2027, 10, 31, 0, 30)) == utc(2027, 11, 1, 1, 30)
    assert next_run(fixed, utc(2027, 10, 31, 0, 29)) == utc(2027, 10, 31, 0, 30)
    assert next_run(fixed, utc(2027, 10, 31, 1, 29)) == utc(2027, 11, 1, 1, 30)
    # a wildcard-minute entry limited to one hour: from the second pass of 02:xx
    quarter = cron("*/15 2 * * *")
    assert runs_between(quarter, utc(2027, 10, 31, 1, 20), utc(2027, 11, 1, 12)) == [
        utc(2027, 10, 31, 1, 30),
        utc(2027, 10, 31, 1, 45),
        utc(2027, 11, 1, 1),
        utc(2027, 11, 1, 1, 15),
        utc(2027, 11, 1, 1, 30),
        utc(2027, 11, 1, 1, 45),
    ]
    # from the first pass at 02:50 CEST (00:50Z): the second pass (01:00Z..) comes before 03:00 CET
    assert next_run(quarter, utc(2027, 10, 31, 0, 50)) == utc(2027, 10, 31, 1)


# --- presets -------------------------------------------------------------------------------------------


def test_moonlight_end_in_the_gap_fires_at_the_jump():
    schedule = static("moonlight", {"night_level": 5, "start": "22:00", "end": "02:30"})
    # 2027-03-27 22:00 CET = 21:00Z; 2027-03-28 02:30 skipped -> 03:00 CEST = 01:00Z
    assert runs_between(schedule, utc(2027, 3, 27, 12), utc(2027, 3, 28, 12)) == [
        utc(2027, 3, 27, 21),
        utc(2027, 3, 28, 1),
    ]
    assert level_at(schedule, utc(2027, 3, 28, 0, 59)) == 5
    assert level_at(schedule, utc(2027, 3, 28, 1)) == 0


def test_feed_pause_in_the_gap_and_the_fold():
    schedule = static("feed_pause", {"times": ["02:15"], "minutes": 20})
    # spring: 02:15 skipped -> pause at 01:00Z, resume 20 real minutes later
    assert runs_between(schedule, utc(2027, 3, 27, 12), utc(2027, 3, 28, 12)) == [
        utc(2027, 3, 28, 1),
        utc(2027, 3, 28, 1, 20),
    ]
    assert level_at(schedule, utc(2027, 3, 28, 1, 10)) == 0
    assert level_at(schedule, utc(2027, 3, 28, 1, 20)) == 100
    # autumn: 02:15 twice -> one pause on the first pass (00:15Z), none on the second
    assert runs_between(schedule, utc(2027, 10, 30, 12), utc(2027, 10, 31, 12)) == [
        utc(2027, 10, 31, 0, 15),
        utc(2027, 10, 31, 0, 35),
    ]
    assert level_at(schedule, utc(2027, 10, 31, 1, 20)) == 100


def test_diurnal_ramp_runs_in_real_time_across_the_jump():
    params = {
        "sunrise": "01:30",
        "sunrise_minutes": 60,
        "peak_level": 80,
        "sunset": "20:00",
        "sunset_minutes": 60,
    }
    schedule = static("diurnal", params)
    sunrise = utc(2027, 3, 28, 0, 30)  # 01:30 CET
    assert next_run(schedule, utc(2027, 3, 27, 20)) == sunrise
    assert preset_step(schedule, sunrise).ramp_seconds == 3600
    # 30 real minutes later the clock reads 03:00 CEST; the ramp is half way
    assert level_at(schedule, utc(2027, 3, 28, 1)) == pytest.approx(40)
    assert level_at(schedule, utc(2027, 3, 28, 1, 30)) == 80
    assert next_run(schedule, sunrise) == utc(2027, 3, 28, 18)  # 20:00 CEST


@pytest.mark.parametrize(
    ("zone", "start", "expected"),
    [
        # Lord Howe spring: moonlight 22:00 -> 02:15 on the night of the change; 02:15 -> 02:30 (+11)
        ("Australia/Lord_Howe", utc(2027, 10, 2), [utc(2027, 10, 2, 11, 30), utc(2027, 10, 2, 15, 30)]),
        # Lord Howe autumn: 02:15 (+10:30) the night the clocks go back
        ("Australia/Lord_Howe", utc(2027, 4, 3), [utc(2027, 4, 3, 11), utc(2027, 4, 3, 15, 45)]),
        # Chatham spring: 22:00 (+12:45) = 09:15Z; 02:15 (+12:45) = 13:30Z, before the 02:45 jump
        ("Pacific/Chatham", utc(2027, 9, 25), [utc(2027, 9, 25, 9, 15), utc(2027, 9, 25, 13, 30)]),
        ("Asia/Kolkata", utc(2027, 3, 27), [utc(2027, 3, 27, 16, 30), utc(2027, 3, 27, 20, 45)]),
    ],
)
def test_moonlight_in_other_zones(zone, start, expected):
    schedule = static("moonlight", {"night_level": 3, "start": "22:00", "end": "02:15"}, zone=zone)
    assert runs_between(schedule, start, start + timedelta(days=1)) == expected


# --- wall-clock mapping --------------------------------------------------------------------------------


def test_resolve():
    berlin = ZoneInfo("Europe/Berlin")
    normal = resolve(datetime(2027, 6, 1, 12), berlin)  # noqa: DTZ001
    assert (normal.kind, normal.first, normal.second) == (WallKind.NORMAL, utc(2027, 6, 1, 10), None)
    gap = resolve(datetime(2027, 3, 28, 2, 59, 59), berlin)  # noqa: DTZ001
    assert (gap.kind, gap.first) == (WallKind.GAP, utc(2027, 3, 28, 1))
    assert span_end(gap, berlin) == datetime(2027, 3, 28, 3)  # noqa: DTZ001
    fold = resolve(datetime(2027, 10, 31, 2, 0), berlin)  # noqa: DTZ001
    assert (fold.kind, fold.first, fold.second) == (WallKind.FOLD, utc(2027, 10, 31, 0), utc(2027, 10, 31, 1))
    assert span_start(fold, berlin) == datetime(2027, 10, 31, 2)  # noqa: DTZ001
    assert span_end(fold, berlin) == datetime(2027, 10, 31, 3)  # noqa: DTZ001
    with pytest.raises(ValueError, match="normal"):
        span_end(normal, berlin)
    with pytest.raises(ValueError, match="repeated"):
        span_start(normal, berlin)
    chatham = ZoneInfo("Pacific/Chatham")
    assert resolve(datetime(2027, 9, 26, 3, 0), chatham).first == utc(2027, 9, 25, 14)  # noqa: DTZ001


# --- brute-force oracle for cron -----------------------------------------------------------------------

TRANSITIONS = {
    "Europe/Berlin": [utc(2027, 3, 28, 1), utc(2027, 10, 31, 1)],
    "America/New_York": [utc(2027, 3, 14, 7), utc(2027, 11, 7, 6)],
    "Australia/Lord_Howe": [utc(2027, 4, 3, 15), utc(2027, 10, 2, 15, 30)],
    "Pacific/Chatham": [utc(2027, 4, 3, 14), utc(2027, 9, 25, 14)],
    "Asia/Kolkata": [utc(2027, 3, 28, 1)],
}


def oracle(expression: str, zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """Vixie's rules minute by minute: wildcard entries fire whenever the wall clock matches; fixed ones on
    the first pass only, and at a jump when a skipped minute matched."""
    minute, hour = expression.split()[:2]
    wildcard = minute.startswith("*") or hour.startswith("*")
    found = []
    instant = start + timedelta(minutes=1)
    while instant <= end:
        local = instant.astimezone(zone)
        wall = local.replace(tzinfo=None)
        fires = croniter.match(expression, wall) and (wildcard or local.fold == 0)
        previous = (instant - timedelta(minutes=1)).astimezone(zone).replace(tzinfo=None)
        skipped = wall - previous - timedelta(minutes=1)
        if not wildcard and skipped > timedelta(0):
            step = previous + timedelta(minutes=1)
            while step < wall:
                fires = fires or croniter.match(expression, step)
                step += timedelta(minutes=1)
        if fires:
            found.append(instant)
        instant += timedelta(minutes=1)
    return found


@settings(max_examples=60, deadline=None)
@given(
    zone=st.sampled_from(sorted(TRANSITIONS)),
    which=st.integers(0, 1),
    minute=st.sampled_from(["*", "0", "15", "30", "45", "*/15", "*/20", "10-20", "0,45", "59"]),
    hour=st.sampled_from(["*", "0", "1", "2", "3", "1-3", "*/2", "2,14", "23"]),
    offset_hours=st.integers(-6, 0),
)
def test_cron_against_minute_by_minute_oracle(zone, which, minute, hour, offset_hours):
    transitions = TRANSITIONS[zone]
    centre = transitions[which % len(transitions)]
    start = centre + timedelta(hours=offset_hours)
    end = start + timedelta(hours=8)
    expression = f"{minute} {hour} * * *"
    assert runs_between(cron(expression, zone=zone), start, end) == oracle(
        expression, ZoneInfo(zone), start, end
    )


def test_oracle_sanity():
    berlin = ZoneInfo("Europe/Berlin")
    assert oracle("30 2 * * *", berlin, utc(2027, 3, 27, 12), utc(2027, 3, 28, 12)) == [utc(2027, 3, 28, 1)]
    assert len(oracle("30 * * * *", berlin, utc(2027, 10, 30, 22), utc(2027, 10, 31, 3))) == 5
