"""A channel's day as its schedules command it: exact points, interleaved schedules, reverts, DST (no HA)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from custom_components.bellas_reef.scheduling.day import EVENTS_MAX, channel_day

from .factory import build, static, utc

UTC_DAY = (utc(2027, 6, 10), utc(2027, 6, 11))
DIURNAL = {
    "sunrise": "09:00",
    "sunrise_minutes": 120,
    "peak_level": 85,
    "sunset": "19:00",
    "sunset_minutes": 120,
}


def levels(day) -> list[tuple[str, float]]:
    return [(p.instant.strftime("%H:%M"), round(p.level, 2)) for p in day.points]


def test_a_reef_day_is_a_handful_of_exact_points() -> None:
    day = channel_day([static("diurnal", DIURNAL, zone="UTC")], *UTC_DAY)
    assert levels(day) == [
        ("00:00", 0.0),
        ("09:00", 0.0),
        ("11:00", 85.0),
        ("19:00", 85.0),
        ("21:00", 0.0),
        ("00:00", 0.0),
    ]
    assert [run.instant.strftime("%H:%M") for run in day.runs] == ["09:00", "19:00"]
    assert not day.truncated


def test_moonlight_and_a_reef_day_interleave_as_on_the_channel() -> None:
    moon = static("moonlight", {"night_level": 3, "start": "21:30", "end": "06:00"}, zone="UTC")
    day = channel_day([static("diurnal", DIURNAL, zone="UTC"), moon], *UTC_DAY)
    assert levels(day) == [
        ("00:00", 3.0),
        ("06:00", 3.0),
        ("06:00", 0.0),
        ("09:00", 0.0),
        ("11:00", 85.0),
        ("19:00", 85.0),
        ("21:00", 0.0),
        ("21:30", 0.0),
        ("21:30", 3.0),
        ("00:00", 3.0),
    ]


def test_a_set_level_with_a_duration_goes_back_after_it() -> None:
    feed = build(
        "cron",
        cron_expression="0 8 * * *",
        timezone="UTC",
        action_type="set_level",
        action_params={"level": 20, "duration": 600},
    )
    day = channel_day([feed], *UTC_DAY, fallback=60)
    assert levels(day) == [
        ("00:00", 60.0),
        ("08:00", 60.0),
        ("08:00", 20.0),
        ("08:10", 20.0),
        ("08:10", 60.0),
        ("00:00", 60.0),
    ]


def test_a_ramp_across_midnight_is_where_it_should_be_at_the_start_of_the_day() -> None:
    late = build(
        "cron",
        cron_expression="0 23 * * *",
        timezone="UTC",
        action_type="ramp",
        action_params={"start_level": 0, "end_level": 100, "duration": 7200},
    )
    day = channel_day([late], *UTC_DAY)
    assert levels(day)[:2] == [("00:00", 50.0), ("01:00", 100.0)]
    assert levels(day)[-2:] == [("23:00", 0.0), ("00:00", 50.0)]


def test_a_linear_ramp_is_sampled_a_perceptual_one_is_not() -> None:
    def ramp(curve: str):
        params = {"start_level": 0, "end_level": 100, "duration": 3600, "curve": curve}
        return build(
            "cron", cron_expression="0 6 * * *", timezone="UTC", action_type="ramp", action_params=params
        )

    # held at 100 since yesterday's ramp, down to its start at 06:00, up to 100 at 07:00: five points
    assert len(channel_day([ramp("perceptual")], *UTC_DAY).points) == 5
    sampled = channel_day([ramp("linear")], *UTC_DAY, resolution=300).points
    assert len(sampled) == 5 + 11
    inside = {p.instant: p.level for p in sampled if utc(2027, 6, 10, 6) < p.instant <= utc(2027, 6, 10, 7)}
    assert list(inside.values()) == sorted(inside.values())
    assert inside[utc(2027, 6, 10, 6, 30)] < 80  # half-way in time, linear light is below half-way to the eye


def test_on_toggle_and_raw_duty() -> None:
    toggle = build(
        "cron", cron_expression="0 */6 * * *", timezone="UTC", action_type="toggle", action_params={}
    )
    day = channel_day([toggle], *UTC_DAY, on_level=100)
    after = [next(p.level for p in reversed(day.points) if p.instant == run.instant) for run in day.runs]
    assert [run.instant.hour for run in day.runs] == [0, 6, 12, 18]
    assert after in ([0, 100, 0, 100], [100, 0, 100, 0])  # each run flips it
    pwm = build(
        "cron",
        cron_expression="0 12 * * *",
        timezone="UTC",
        action_type="set_pwm",
        action_params={"duty": 50},
    )
    half = channel_day([pwm], *UTC_DAY, duty_level=lambda duty: duty / 2)
    assert levels(half)[-1] == ("00:00", 25.0)


def test_a_spring_forward_day_has_23_hours() -> None:
    zone = ZoneInfo("Europe/Berlin")
    start = datetime(2027, 3, 28, tzinfo=zone)
    end = datetime(2027, 3, 29, tzinfo=zone)
    assert end.timestamp() - start.timestamp() == timedelta(hours=23).total_seconds()
    day = channel_day([static("diurnal", DIURNAL)], start, end)
    assert day.points[0].instant == start
    assert day.points[-1].instant == end
    assert [p.instant.astimezone(zone).strftime("%H:%M") for p in day.points[1:3]] == ["09:00", "11:00"]


def test_a_schedule_that_runs_every_second_is_cut_short() -> None:
    busy = build("interval", interval_seconds=1, timezone="UTC", start_time="2027-06-09T00:00:00+00:00")
    day = channel_day([busy], *UTC_DAY)
    assert day.truncated
    assert len(day.runs) <= EVENTS_MAX


def test_a_day_of_many_reverts_says_it_is_cut_short_rather_than_drawing_flat() -> None:
    """Four schedules every 7 minutes, each with a revert: more events than are followed; the day says so."""
    busy = [
        build(
            "interval",
            interval_seconds=420,
            timezone="UTC",
            start_time=f"2027-06-09T00:0{number}:00+00:00",
            action_type="set_level",
            action_params={"level": 10 * (number + 1), "duration": 60},
        )
        for number in range(4)
    ]
    day = channel_day(busy, *UTC_DAY)
    assert day.truncated


def test_disabled_schedules_and_custom_actions_do_not_move_the_level() -> None:
    off = build(
        "cron",
        cron_expression="0 8 * * *",
        timezone="UTC",
        action_type="off",
        action_params={},
        enabled=False,
    )
    custom = build(
        "cron",
        cron_expression="0 9 * * *",
        timezone="UTC",
        action_type="custom",
        action_params={"service": "notify.notify"},
    )
    day = channel_day([off, custom], *UTC_DAY, fallback=40)
    assert {p.level for p in day.points} == {40.0}
    assert [run.action_type for run in day.runs] == ["custom"]
