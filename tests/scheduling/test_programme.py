"""Light programmes (HA-free): profiles, smooth segments, offsets, the moon, acclimation, clouds, DST.

The level a programme gives is checked at chosen instants against numbers worked out by hand, and - the
property the engine relies on - the pieces handed to the channels (``run_plan``) reproduce ``level_at`` at
every instant.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
import math
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.bellas_reef.scheduling import Schedule, level_at, next_run, runs_between
from custom_components.bellas_reef.scheduling.calculator import latest_run
from custom_components.bellas_reef.scheduling.changes import action_of, run_plan
from custom_components.bellas_reef.scheduling.curves import ramp_level_at, smoothstep, smoothstep_inverse
from custom_components.bellas_reef.scheduling.moon import illuminated_fraction, moon_level, night_of
from custom_components.bellas_reef.scheduling.programme import (
    acclimation_factor,
    clear_cache,
    cloud_times,
    is_programme,
    programme_piece,
)

from .factory import utc


def point(at: str, level: float, *, night: bool = False) -> dict[str, Any]:
    return {"time": at, "level": level, **({"night": True} if night else {})}


DAY = [point("08:00", 0), point("10:00", 80), point("18:00", 80), point("20:00", 0)]


def profile(
    params: dict[str, Any],
    *,
    zone: str = "Europe/Berlin",
    targets: tuple[str, ...] = ("white", "blue"),
    **fields: Any,
) -> Schedule:
    return Schedule.from_dict(
        {
            "id": "reef-profile",
            "name": "Reef profile",
            "schedule_type": "static",
            "preset": "profile",
            "preset_params": params,
            "targets": list(targets),
            "timezone": zone,
            "created_at": "2027-01-01T00:00:00+00:00",
            **fields,
        }
    )


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def driven(schedule: Schedule, instant: datetime, target: str) -> float:
    """The level a channel that only ran the schedule's pieces would have at ``instant``."""
    run = latest_run(schedule, instant, 3 * 86_400)
    while run is not None:
        plan = {t: (kind, params) for t, kind, params in run_plan(schedule, run)}
        if target in plan:
            kind, params = plan[target]
            if kind == "set_level":
                return float(params["level"])
            origin = run - timedelta(seconds=float(params.get("elapsed", 0.0)))
            return ramp_level_at(
                params["start_level"],
                params["end_level"],
                origin,
                params["duration"],
                instant,
                curve=params.get("curve", "perceptual"),
            )
        run = latest_run(schedule, run - timedelta(microseconds=1), 3 * 86_400)
    # no run at all: the curve is one level (level-now sets it; nothing needs to run)
    assert not runs_between(schedule, instant - timedelta(days=3), instant + timedelta(days=3))
    return programme_piece(schedule, instant, target).level_at(instant)


# -- curves


def test_smoothstep_and_its_inverse():
    assert smoothstep(0) == 0
    assert smoothstep(1) == 1
    assert smoothstep(0.5) == 0.5
    assert smoothstep(0.25) == pytest.approx(0.15625)
    for value in (0, 0.01, 0.3, 0.5, 0.77, 0.999, 1):
        assert smoothstep(smoothstep_inverse(value)) == pytest.approx(value, abs=1e-12)


def test_a_smooth_ramp_eases_in_and_out():
    start = utc(2027, 6, 1)
    quarter = start + timedelta(seconds=25)
    assert ramp_level_at(0, 100, start, 100, quarter, curve="smooth") == pytest.approx(15.625)
    assert ramp_level_at(0, 100, start, 100, start + timedelta(seconds=50), curve="smooth") == pytest.approx(
        50
    )
    # zero slope at both ends: the first and last second move far less than a linear ramp's 1 %
    assert ramp_level_at(0, 100, start, 100, start + timedelta(seconds=1), curve="smooth") < 0.03


# -- a profile of points


def test_a_linear_profile_and_its_runs():
    schedule = profile({"points": DAY})
    assert is_programme(schedule)
    # Berlin in June is UTC+2: 08:00 -> 06:00Z. The plateau and the night only carry on: no run there.
    assert runs_between(schedule, utc(2027, 6, 1), utc(2027, 6, 2, 23)) == [
        utc(2027, 6, 1, 6),
        utc(2027, 6, 1, 16),
        utc(2027, 6, 2, 6),
        utc(2027, 6, 2, 16),
    ]
    for hour, level in [(5, 0), (6, 0), (7, 40), (8, 80), (12, 80), (16, 80), (17, 40), (18, 0), (23, 0)]:
        assert level_at(schedule, utc(2027, 6, 1, hour)) == pytest.approx(level), hour
    assert action_of(schedule, utc(2027, 6, 1, 6), "white") == (
        "ramp",
        {"start_level": 0.0, "end_level": 80.0, "duration": 7200.0, "elapsed": 0.0},
    )


def test_a_smooth_profile_has_no_kink_at_its_points():
    schedule = profile({"points": DAY, "interpolation": "smooth"})
    assert level_at(schedule, utc(2027, 6, 1, 7)) == pytest.approx(40)  # half way: smoothstep(0.5)
    assert level_at(schedule, utc(2027, 6, 1, 6, 30)) == pytest.approx(80 * 0.15625)
    step = timedelta(seconds=1)
    for joint in (utc(2027, 6, 1, 6), utc(2027, 6, 1, 8)):  # the slope either side of a point is ~0
        before = level_at(schedule, joint) - level_at(schedule, joint - step)
        after = level_at(schedule, joint + step) - level_at(schedule, joint)
        assert abs(before) < 1e-3
        assert abs(after) < 1e-3
    plan = run_plan(schedule, utc(2027, 6, 1, 6))
    assert plan[0][2]["curve"] == "smooth"


def test_the_curve_wraps_past_midnight():
    schedule = profile({"points": [point("06:00", 0), point("22:00", 10)]}, zone="UTC")
    # 22:00 -> 06:00 the next day: 10 -> 0 over eight hours
    assert level_at(schedule, utc(2027, 6, 2, 2)) == pytest.approx(5)
    assert level_at(schedule, utc(2027, 6, 1, 23)) == pytest.approx(8.75)
    assert level_at(schedule, utc(2027, 6, 1, 14)) == pytest.approx(5)
    assert runs_between(schedule, utc(2027, 6, 1), utc(2027, 6, 2)) == [
        utc(2027, 6, 1, 6),
        utc(2027, 6, 1, 22),
    ]


def test_offsets_move_and_scale_one_targets_curve():
    schedule = profile(
        {"points": DAY, "offsets": [{"target": "blue", "shift_minutes": -30, "scale": 50}]}, zone="UTC"
    )
    assert level_at(schedule, utc(2027, 6, 1, 7, 30), target="white") == pytest.approx(0)
    assert level_at(schedule, utc(2027, 6, 1, 8), target="white") == pytest.approx(0)
    assert level_at(schedule, utc(2027, 6, 1, 8), target="blue") == pytest.approx(10)  # 30 min in, half scale
    assert level_at(schedule, utc(2027, 6, 1, 9, 30), target="blue") == pytest.approx(40)
    assert level_at(schedule, utc(2027, 6, 1, 12), target="blue") == pytest.approx(40)
    # the runs of both, each target acting at its own
    assert runs_between(schedule, utc(2027, 6, 1), utc(2027, 6, 2)) == [
        utc(2027, 6, 1, 7, 30),
        utc(2027, 6, 1, 8),
        utc(2027, 6, 1, 17, 30),
        utc(2027, 6, 1, 18),
    ]
    assert [t for t, _, _ in run_plan(schedule, utc(2027, 6, 1, 7, 30))] == ["blue"]
    assert [t for t, _, _ in run_plan(schedule, utc(2027, 6, 1, 8))] == ["white"]


def test_an_offset_across_midnight():
    schedule = profile(
        {
            "points": [point("00:10", 40), point("06:00", 0), point("20:00", 0)],
            "offsets": [{"target": "blue", "shift_minutes": -30}],
        },
        zone="UTC",
    )
    # blue's 00:10 point is at 23:40 the day before: 20:00 -> 23:40 from 0 to 40
    assert level_at(schedule, utc(2027, 6, 1, 23, 40), target="blue") == pytest.approx(40)
    assert level_at(schedule, utc(2027, 6, 1, 21, 50), target="blue") == pytest.approx(40 * 140 / 250)
    assert level_at(schedule, utc(2027, 6, 1, 23, 40), target="white") == pytest.approx(40 * 220 / 250)
    assert level_at(schedule, utc(2027, 6, 1, 5, 30), target="blue") == pytest.approx(0)
    assert level_at(schedule, utc(2027, 6, 2, 0, 10), target="white") == pytest.approx(40)


# -- daylight saving time: the curve's value at the wall-clock time


def test_spring_forward_skips_the_hours_levels_in_berlin():
    schedule = profile({"points": [point("01:00", 0), point("04:00", 90)]})
    # 01:00 CET = 00:00Z; the clock jumps from 02:00 CET to 03:00 CEST at 01:00Z
    assert level_at(schedule, at("2027-03-28T00:30:00+00:00")) == pytest.approx(15)
    assert level_at(schedule, at("2027-03-28T00:59:59+00:00")) == pytest.approx(30, abs=0.01)
    assert level_at(schedule, at("2027-03-28T01:00:00+00:00")) == pytest.approx(60)  # 03:00's value
    assert level_at(schedule, at("2027-03-28T02:00:00+00:00")) == pytest.approx(90)  # 04:00 CEST
    runs = runs_between(schedule, utc(2027, 3, 27, 12), utc(2027, 3, 28, 1, 30))
    assert runs == [utc(2027, 3, 28, 0), utc(2027, 3, 28, 1)]
    assert action_of(schedule, utc(2027, 3, 28, 1), "white")[1]["elapsed"] == pytest.approx(7200)


def test_fall_back_plays_the_repeated_hour_twice_in_berlin():
    schedule = profile({"points": [point("01:00", 0), point("04:00", 90)]})
    # 01:00 CEST = 23:00Z; at 01:00Z the clock goes from 03:00 CEST back to 02:00 CET
    assert level_at(schedule, at("2027-10-31T00:30:00+00:00")) == pytest.approx(45)  # 02:30 CEST
    assert level_at(schedule, at("2027-10-31T01:00:00+00:00")) == pytest.approx(30)  # 02:00 CET again
    assert level_at(schedule, at("2027-10-31T01:30:00+00:00")) == pytest.approx(45)  # 02:30 CET
    assert level_at(schedule, at("2027-10-31T03:00:00+00:00")) == pytest.approx(90)  # 04:00 CET


def test_lord_howes_half_hour_jumps():
    schedule = profile({"points": [point("01:00", 0), point("04:00", 90)]}, zone="Australia/Lord_Howe")
    # spring forward 2027-10-03: 02:00 LHST (+10:30) -> 02:30 LHDT (+11) at 15:30Z the day before
    jump = at("2027-10-02T15:30:00+00:00")
    assert level_at(schedule, jump - timedelta(seconds=1)) == pytest.approx(30, abs=0.01)
    assert level_at(schedule, jump) == pytest.approx(45)  # the curve at 02:30
    # fall back 2027-04-04: 02:00 LHDT (+11) -> 01:30 LHST (+10:30) at 15:00Z the day before
    back = at("2027-04-03T15:00:00+00:00")
    assert level_at(schedule, back - timedelta(seconds=1)) == pytest.approx(30, abs=0.01)
    assert level_at(schedule, back) == pytest.approx(15)  # 01:30 again
    assert back in runs_between(schedule, back - timedelta(hours=1), back)


@pytest.mark.parametrize(
    ("zone", "first", "last"),
    [
        ("Europe/Berlin", date(2027, 3, 26), date(2027, 3, 30)),
        ("Europe/Berlin", date(2027, 10, 29), date(2027, 11, 2)),
        ("Australia/Lord_Howe", date(2027, 4, 2), date(2027, 4, 6)),
        ("Australia/Lord_Howe", date(2027, 10, 1), date(2027, 10, 5)),
    ],
)
@pytest.mark.parametrize("interpolation", ["linear", "smooth"])
def test_the_pieces_reproduce_the_curve_across_dst(zone, first, last, interpolation):
    schedule = profile(
        {
            "points": [
                point("00:30", 5),
                point("01:45", 20),
                point("02:15", 60),
                point("03:30", 10),
                point("21:00", 0),
            ],
            "interpolation": interpolation,
            "offsets": [{"target": "blue", "shift_minutes": 45, "scale": 80}],
        },
        zone=zone,
    )
    instant = datetime.combine(first, datetime.min.time(), UTC)
    while instant.date() < last:
        for target in ("white", "blue"):
            assert driven(schedule, instant, target) == pytest.approx(
                level_at(schedule, instant, target=target)
            )
        instant += timedelta(minutes=7, seconds=13)


# -- the moon


def test_the_moons_lit_fraction_from_astrals_phase():
    assert illuminated_fraction(date(2024, 4, 8)) < 0.02  # the new moon of the April 2024 eclipse
    assert illuminated_fraction(date(2024, 4, 24)) > 0.97  # the full moon after it
    assert 0.3 < illuminated_fraction(date(2024, 4, 16)) < 0.7  # first quarter
    assert night_of(date(2027, 6, 1), time(22)) == date(2027, 6, 2)
    assert night_of(date(2027, 6, 2), time(3)) == date(2027, 6, 2)
    assert moon_level(5, date(2024, 4, 8), 1) == 1  # the floor at new moon
    assert moon_level(5, date(2024, 4, 8), 8) == 5  # a floor above the level leaves the level


def test_night_points_follow_the_moon():
    params = {
        "points": [point("06:00", 0), point("21:00", 0), point("22:00", 5, night=True), point("23:30", 0)],
        "follow_moon": True,
        "min_level": 0.5,
    }
    schedule = profile(params, zone="UTC", targets=("moon",))
    new = level_at(schedule, at("2024-04-07T22:00:00+00:00"))  # the night of April 8
    full = level_at(schedule, at("2024-04-23T22:00:00+00:00"))
    assert new == pytest.approx(0.5)
    assert full == pytest.approx(5 * illuminated_fraction(date(2024, 4, 24)))
    assert (
        level_at(profile({**params, "follow_moon": False}, zone="UTC"), at("2024-04-07T22:00:00+00:00")) == 5
    )


def test_moonlight_follows_the_moon():
    schedule = Schedule.from_dict(
        {
            "id": "moon",
            "name": "Moon",
            "schedule_type": "static",
            "preset": "moonlight",
            "preset_params": {"night_level": 4, "start": "21:30", "end": "06:00", "follow_moon": True},
            "targets": ["blue"],
            "timezone": "UTC",
            "created_at": "2024-01-01T00:00:00+00:00",
        }
    )
    assert not is_programme(schedule)  # a moonlight alone still runs on its events
    assert level_at(schedule, at("2024-04-23T23:00:00+00:00")) == pytest.approx(
        4 * illuminated_fraction(date(2024, 4, 24))
    )
    assert level_at(schedule, at("2024-04-07T23:00:00+00:00")) == pytest.approx(
        4 * illuminated_fraction(date(2024, 4, 8))
    )


# -- acclimation


def test_acclimation_scales_a_profile_day_by_day():
    acclimation = {"start_percent": 40, "days": 3, "start_date": "2027-06-01"}
    schedule = profile({"points": DAY}, zone="UTC", acclimation=acclimation)
    noon = [level_at(schedule, utc(2027, 6, day, 12)) for day in (1, 2, 3, 4, 5)]
    assert noon == pytest.approx([32, 48, 64, 80, 80])
    assert level_at(schedule, utc(2027, 5, 31, 12)) == pytest.approx(80)  # before it starts: as planned
    assert acclimation_factor(schedule, utc(2027, 6, 2, 12)) == pytest.approx(0.6)
    assert acclimation_factor(schedule, utc(2027, 6, 9, 12)) == 1.0
    assert acclimation_factor(profile({"points": DAY}), utc(2027, 6, 2)) is None


def test_acclimation_steps_at_midnight_only_while_lit():
    acclimation = {"start_percent": 50, "days": 2, "start_date": "2027-06-01"}
    # lit across midnight (23:00 -> 06:00 dims from 10 to 0): a run at each midnight while the factor grows
    lit = profile(
        {"points": [point("06:00", 0), point("20:00", 0), point("23:00", 10)]},
        zone="UTC",
        acclimation=acclimation,
    )
    midnights = [run for run in runs_between(lit, utc(2027, 6, 1), utc(2027, 6, 5)) if run.hour == 0]
    assert midnights == [utc(2027, 6, 2), utc(2027, 6, 3)]  # factors 0.5 -> 0.75 -> 1, then no more
    before, after = level_at(lit, utc(2027, 6, 1, 23, 59, 59)), level_at(lit, utc(2027, 6, 2))
    assert after == pytest.approx(before * 0.75 / 0.5, rel=1e-3)
    dark = profile({"points": DAY}, zone="UTC", acclimation=acclimation)
    assert all(run.hour in {8, 18} for run in runs_between(dark, utc(2027, 6, 1), utc(2027, 6, 4)))


def test_an_acclimating_diurnal_and_moonlight_are_programmes():
    diurnal = Schedule.from_dict(
        {
            "id": "day",
            "name": "Day",
            "schedule_type": "static",
            "preset": "diurnal",
            "preset_params": {
                "sunrise": "09:00",
                "sunrise_minutes": 60,
                "peak_level": 80,
                "sunset": "20:00",
                "sunset_minutes": 60,
            },
            "acclimation": {"start_percent": 50, "days": 10, "start_date": "2027-06-01"},
            "targets": ["white"],
            "timezone": "UTC",
            "created_at": "2027-01-01T00:00:00+00:00",
        }
    )
    assert is_programme(diurnal)
    assert level_at(diurnal, utc(2027, 6, 1, 12)) == pytest.approx(40)
    assert level_at(diurnal, utc(2027, 6, 6, 9, 30)) == pytest.approx(0.75 * 40)
    assert action_of(diurnal, utc(2027, 6, 6, 9), "white") == (
        "ramp",
        {"start_level": 0.0, "end_level": 60.0, "duration": 3600.0, "elapsed": 0.0},
    )


def test_an_acclimating_ramp_action_is_scaled_on_the_days_of_its_runs():
    ramp = Schedule.from_dict(
        {
            "id": "dim",
            "name": "Dim",
            "schedule_type": "cron",
            "cron_expression": "0 18 * * *",
            "action_type": "ramp",
            "action_params": {"start_level": 50, "end_level": 100, "duration": 600},
            "acclimation": {"start_percent": 20, "days": 4, "start_date": "2027-06-01"},
            "targets": ["white"],
            "timezone": "UTC",
            "created_at": "2027-01-01T00:00:00+00:00",
        }
    )
    assert action_of(ramp, utc(2027, 6, 3, 18))[1] == {
        "start_level": 30.0,
        "end_level": 60.0,
        "duration": 600,
    }
    assert level_at(ramp, utc(2027, 6, 3, 18, 5)) == pytest.approx(45)
    assert action_of(ramp, utc(2027, 6, 5, 18))[1]["end_level"] == 100


# -- clouds


CLOUDS = {"start": "10:00", "end": "16:00", "per_hour": 2, "depth": 40, "min_minutes": 2, "max_minutes": 6}


def cloudy(**extra: Any) -> Schedule:
    return profile({"points": DAY, "clouds": CLOUDS, **extra}, zone="UTC")


def test_the_same_day_always_has_the_same_clouds():
    schedule = cloudy()
    first = runs_between(schedule, utc(2027, 6, 1), utc(2027, 6, 2))
    clouds = cloud_times(schedule, date(2027, 6, 1))
    clear_cache()
    assert runs_between(cloudy(), utc(2027, 6, 1), utc(2027, 6, 2)) == first
    assert cloud_times(cloudy(), date(2027, 6, 1)) == clouds
    assert [c[0] - timedelta(days=1) for c in cloud_times(schedule, date(2027, 6, 2))] != [
        c[0] for c in clouds
    ]
    assert len(clouds) == 12  # two an hour from 10:00 to 16:00, one in each half hour, none overlapping
    for index, (begin, held, release, end) in enumerate(clouds):
        slot = utc(2027, 6, 1, 10) + timedelta(minutes=30 * index)
        assert slot <= begin < held < release < end <= slot + timedelta(minutes=30)
        assert timedelta(minutes=2) <= end - begin <= timedelta(minutes=6)
    # on the plateau a cloud is two runs, fading down and up (its hold and the clear sky only carry on)
    in_window = [run for run in first if utc(2027, 6, 1, 10) <= run < utc(2027, 6, 1, 16)]
    assert in_window == [instant for begin, _, release, _ in clouds for instant in (begin, release)]


def test_a_cloud_dims_every_target_together_to_the_depth():
    schedule = cloudy(offsets=[{"target": "blue", "scale": 50}])
    begin, held, release, end = cloud_times(schedule, date(2027, 6, 1))[0]
    middle = held + (release - held) / 2
    assert level_at(schedule, middle, target="white") == pytest.approx(80 * 0.6)
    assert level_at(schedule, middle, target="blue") == pytest.approx(40 * 0.6)
    assert level_at(schedule, begin, target="white") == pytest.approx(80)
    assert level_at(schedule, end, target="white") == pytest.approx(80)
    assert {t for t, _, _ in run_plan(schedule, begin)} == {"white", "blue"}
    # the fades are continuous: no jump at any of the cloud's instants
    for instant in (begin, held, release, end):
        just_before = level_at(schedule, instant - timedelta(microseconds=1))
        assert just_before == pytest.approx(level_at(schedule, instant), abs=1e-3)


def test_a_diurnal_with_clouds():
    schedule = Schedule.from_dict(
        {
            "id": "day",
            "name": "Day",
            "schedule_type": "static",
            "preset": "diurnal",
            "preset_params": {
                "sunrise": "09:00",
                "sunrise_minutes": 120,
                "peak_level": 80,
                "sunset": "19:00",
                "sunset_minutes": 60,
                "clouds": CLOUDS,
            },
            "targets": ["white"],
            "timezone": "UTC",
            "created_at": "2027-01-01T00:00:00+00:00",
        }
    )
    assert is_programme(schedule)
    runs = runs_between(schedule, utc(2027, 6, 1), utc(2027, 6, 2))
    assert runs[0] == utc(2027, 6, 1, 9)
    assert runs[-1] == utc(2027, 6, 1, 19)
    # the two clouds of 10:00-11:00 fall in the sunrise ramp: four runs each (the hold follows the ramp); the
    # other ten are on the plateau: two each
    assert len(runs) == 2 + 2 * 4 + 10 * 2
    instant = utc(2027, 6, 1, 8)
    while instant < utc(2027, 6, 1, 21):
        assert driven(schedule, instant, "white") == pytest.approx(level_at(schedule, instant))
        instant += timedelta(seconds=97)


def test_a_restart_inside_a_cloud_resumes_the_same_cloud():
    begin, held, release, _ = cloud_times(cloudy(), date(2027, 6, 1))[3]
    inside = held + (release - held) / 3
    clear_cache()  # a restart: nothing remembered
    current = programme_piece(cloudy(), inside, "white")
    assert current.start == held
    assert current.level_at(inside) == pytest.approx(80 * 0.6)
    assert begin < held


# -- properties


@st.composite
def profiles(draw: st.DrawFn) -> list[dict[str, Any]]:
    minutes = sorted(draw(st.sets(st.integers(0, 1439), min_size=2, max_size=10)))
    levels = draw(st.lists(st.floats(0, 100), min_size=len(minutes), max_size=len(minutes)))
    return [point(f"{m // 60:02d}:{m % 60:02d}", level) for m, level in zip(minutes, levels, strict=True)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(points=profiles(), smooth=st.booleans(), seconds=st.integers(0, 86_399))
def test_a_profile_is_periodic_bounded_and_continuous(points, smooth, seconds):
    schedule = profile({"points": points, "interpolation": "smooth" if smooth else "linear"}, zone="UTC")
    levels = [p["level"] for p in points]
    instant = utc(2027, 6, 1) + timedelta(seconds=seconds)
    level = level_at(schedule, instant)
    assert min(levels) - 1e-6 <= level <= max(levels) + 1e-6
    assert level_at(schedule, instant + timedelta(days=1)) == pytest.approx(level)
    assert level_at(schedule, instant + timedelta(milliseconds=1)) == pytest.approx(level, abs=0.01)
    assert driven(schedule, instant, "white") == pytest.approx(level)


@settings(max_examples=25, deadline=None)
@given(day=st.dates(date(2027, 1, 1), date(2030, 12, 31)))
def test_clouds_are_a_function_of_the_date(day):
    start = datetime.combine(day, datetime.min.time(), UTC)
    first = runs_between(cloudy(), start, start + timedelta(days=1))
    clear_cache()
    assert runs_between(cloudy(), start, start + timedelta(days=1)) == first
    assert all(math.isfinite(level_at(cloudy(), run)) for run in first)


def test_next_run_is_repeated_runs_between():
    schedule = cloudy(offsets=[{"target": "blue", "shift_minutes": 17}])
    runs = runs_between(schedule, utc(2027, 6, 1), utc(2027, 6, 3))
    cursor = utc(2027, 6, 1)
    for run in runs:
        cursor = next_run(schedule, cursor)
        assert cursor == run
