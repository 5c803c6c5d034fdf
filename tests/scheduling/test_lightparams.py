"""The light programmes' parameters: every bad input refused with its code and field; the stored form."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.bellas_reef.scheduling import ProblemCode, Schedule, validate_schedule
from custom_components.bellas_reef.scheduling.changes import Rules, new_schedule
from custom_components.bellas_reef.scheduling.lightparams import Acclimation, parse_date

from .factory import utc

P = ProblemCode
POINTS = [{"time": "08:00", "level": 0}, {"time": "12:00", "level": 80}, {"time": "20:00", "level": 0}]
CLOUDS = {"start": "10:00", "end": "16:00", "per_hour": 2, "depth": 40}


def schedule(preset: str = "profile", params: Any = None, **fields: Any) -> dict[str, Any]:
    return {
        "id": "s1",
        "name": "Lights",
        "schedule_type": "static",
        "preset": preset,
        "preset_params": {"points": POINTS} if params is None else params,
        "targets": ["white", "blue"],
        "timezone": "Europe/Berlin",
        "created_at": "2027-01-01T00:00:00+00:00",
        **fields,
    }


def problems(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(problem.code, problem.field) for problem in validate_schedule(data)]


PROFILE_CASES = [
    ({}, [(P.MISSING_PARAM, "preset_params.points")]),
    ({"points": "08:00=0"}, [(P.INVALID_PARAM, "preset_params.points")]),
    ({"points": POINTS[:1]}, [(P.TOO_FEW, "preset_params.points")]),
    (
        {"points": [{"time": f"{h:02d}:{m:02d}", "level": 1} for h in range(24) for m in (0, 30)] + POINTS},
        [(P.TOO_MANY, "preset_params.points")],
    ),
    ({"points": [{"time": "00:00", "level": 1}] * 1_000_000}, [(P.TOO_MANY, "preset_params.points")]),
    ({"points": [POINTS[0], "12:00"]}, [(P.INVALID_PARAM, "preset_params.points[1]")]),
    (
        {"points": [POINTS[0], {"time": "12:00", "level": 80, "colour": "blue"}]},
        [(P.UNKNOWN_PARAM, "preset_params.points[1].colour")],
    ),
    (
        {"points": [POINTS[0], {"time": "12:00", "level": 101}]},
        [(P.PARAM_OUT_OF_RANGE, "preset_params.points[1].level")],
    ),
    (
        {"points": [POINTS[0], {"time": "12:00", "level": "80"}]},
        [(P.INVALID_PARAM, "preset_params.points[1].level")],
    ),
    (
        {"points": [POINTS[0], {"time": "25:00", "level": 80}]},
        [(P.INVALID_TIME, "preset_params.points[1].time")],
    ),
    ({"points": [POINTS[0], {"level": 80}]}, [(P.MISSING_PARAM, "preset_params.points[1].time")]),
    (
        {"points": [POINTS[0], {"time": "12:00", "level": 8, "night": "yes"}]},
        [(P.INVALID_PARAM, "preset_params.points[1].night")],
    ),
    ({"points": [POINTS[1], POINTS[0]]}, [(P.POINTS_UNSORTED, "preset_params.points[1].time")]),
    ({"points": [POINTS[0], POINTS[0]]}, [(P.DUPLICATE_POINT, "preset_params.points[1].time")]),
    ({"points": POINTS, "interpolation": "cubic"}, [(P.INVALID_PARAM, "preset_params.interpolation")]),
    ({"points": POINTS, "follow_moon": 1}, [(P.INVALID_PARAM, "preset_params.follow_moon")]),
    ({"points": POINTS, "min_level": 120}, [(P.PARAM_OUT_OF_RANGE, "preset_params.min_level")]),
    ({"points": POINTS, "offsets": {"white": 30}}, [(P.INVALID_PARAM, "preset_params.offsets")]),
    (
        {"points": POINTS, "offsets": [{"shift_minutes": 30}]},
        [(P.MISSING_PARAM, "preset_params.offsets[0].target")],
    ),
    ({"points": POINTS, "offsets": [{"target": 7}]}, [(P.INVALID_PARAM, "preset_params.offsets[0].target")]),
    (
        {"points": POINTS, "offsets": [{"target": "red"}]},
        [(P.OFFSET_NOT_A_TARGET, "preset_params.offsets[0].target")],
    ),
    (
        {"points": POINTS, "offsets": [{"target": "blue"}, {"target": "blue"}]},
        [(P.DUPLICATE_TARGET, "preset_params.offsets[1].target")],
    ),
    (
        {"points": POINTS, "offsets": [{"target": "blue", "shift_minutes": 721}]},
        [(P.PARAM_OUT_OF_RANGE, "preset_params.offsets[0].shift_minutes")],
    ),
    (
        {"points": POINTS, "offsets": [{"target": "blue", "scale": -1}]},
        [(P.PARAM_OUT_OF_RANGE, "preset_params.offsets[0].scale")],
    ),
    (
        {"points": POINTS, "offsets": [{"target": "blue", "tint": 3}]},
        [(P.UNKNOWN_PARAM, "preset_params.offsets[0].tint")],
    ),
    ({"points": POINTS, "offsets": [{"target": "blue"}] * 100_000}, [(P.TOO_MANY, "preset_params.offsets")]),
    ({"points": POINTS, "clouds": "sometimes"}, [(P.INVALID_PARAM, "preset_params.clouds")]),
    (
        {"points": POINTS, "clouds": {**CLOUDS, "depth": None}},
        [(P.MISSING_PARAM, "preset_params.clouds.depth")],
    ),
    (
        {"points": POINTS, "clouds": {**CLOUDS, "per_hour": 0}},
        [(P.PARAM_OUT_OF_RANGE, "preset_params.clouds.per_hour")],
    ),
    (
        {"points": POINTS, "clouds": {**CLOUDS, "per_hour": 13}},
        [(P.PARAM_OUT_OF_RANGE, "preset_params.clouds.per_hour")],
    ),
    (
        {"points": POINTS, "clouds": {**CLOUDS, "depth": 100.5}},
        [(P.PARAM_OUT_OF_RANGE, "preset_params.clouds.depth")],
    ),
    (
        {"points": POINTS, "clouds": {**CLOUDS, "end": "10:00"}},
        [(P.INVALID_PRESET_TIMING, "preset_params.clouds")],
    ),
    (
        {"points": POINTS, "clouds": {**CLOUDS, "min_minutes": 6, "max_minutes": 3}},
        [(P.INVALID_PRESET_TIMING, "preset_params.clouds")],
    ),
    (
        {"points": POINTS, "clouds": {**CLOUDS, "per_hour": 12, "max_minutes": 6}},
        [(P.INVALID_PRESET_TIMING, "preset_params.clouds")],
    ),
    (
        {"points": POINTS, "clouds": {**CLOUDS, "start": "noon"}},
        [(P.INVALID_TIME, "preset_params.clouds.start")],
    ),
    ({"points": POINTS, "clouds": {**CLOUDS, "wind": 3}}, [(P.UNKNOWN_PARAM, "preset_params.clouds.wind")]),
]


@pytest.mark.parametrize(("params", "expected"), PROFILE_CASES)
def test_a_bad_profile_is_refused_with_its_field(params, expected):
    assert problems(schedule(params=params)) == expected


def test_a_good_profile_with_everything():
    params = {
        "points": [*POINTS[:2], {"time": "21:00", "level": 3, "night": True}, {"time": "23:00", "level": 0}],
        "interpolation": "smooth",
        "offsets": [{"target": "blue", "shift_minutes": -30, "scale": 90}],
        "follow_moon": True,
        "min_level": 0.5,
        "clouds": CLOUDS,
    }
    data = schedule(params=params, acclimation={"start_percent": 40, "days": 30, "start_date": "2027-06-01"})
    assert problems(data) == []
    made = Schedule.from_dict(data)
    assert Schedule.from_dict(made.to_dict()) == made
    stored = made.to_dict()
    assert stored["preset_params"]["points"][2] == {"time": "21:00", "level": 3.0, "night": True}
    assert stored["preset_params"]["offsets"] == [{"target": "blue", "shift_minutes": -30.0, "scale": 90.0}]
    assert stored["preset_params"]["clouds"] == {**CLOUDS, "min_minutes": 1.0, "max_minutes": 5.0}
    assert stored["acclimation"] == {"start_percent": 40.0, "days": 30, "start_date": "2027-06-01"}
    assert "acclimation" not in Schedule.from_dict(schedule()).to_dict()  # stored as before without one


def test_diurnal_takes_clouds_and_moonlight_the_moon():
    diurnal = {
        "sunrise": "09:00",
        "sunrise_minutes": 60,
        "peak_level": 80,
        "sunset": "20:00",
        "sunset_minutes": 60,
    }
    assert problems(schedule("diurnal", {**diurnal, "clouds": CLOUDS})) == []
    assert problems(schedule("diurnal", {**diurnal, "clouds": {**CLOUDS, "end": "09:00"}})) == [
        (P.INVALID_PRESET_TIMING, "preset_params.clouds")
    ]
    moon = {"night_level": 5, "start": "22:00", "end": "06:00"}
    assert problems(schedule("moonlight", {**moon, "follow_moon": True, "min_level": 1})) == []
    assert problems(schedule("moonlight", {**moon, "clouds": CLOUDS})) == [
        (P.UNKNOWN_PARAM, "preset_params.clouds")
    ]
    assert problems(schedule("feed_pause", {"times": ["08:00"], "minutes": 10, "follow_moon": True})) == [
        (P.UNKNOWN_PARAM, "preset_params.follow_moon")
    ]


D = "2027-06-01"
ACCLIMATION_CASES = [
    ("x", [(P.INVALID_TYPE, "acclimation")]),
    ({"start_date": D, "days": 10}, [(P.MISSING_PARAM, "acclimation.start_percent")]),
    ({"start_date": D, "start_percent": 40}, [(P.MISSING_PARAM, "acclimation.days")]),
    ({"start_date": D, "start_percent": 40, "days": 0}, [(P.PARAM_OUT_OF_RANGE, "acclimation.days")]),
    ({"start_date": D, "start_percent": 40, "days": -3}, [(P.PARAM_OUT_OF_RANGE, "acclimation.days")]),
    ({"start_date": D, "start_percent": 40, "days": 366}, [(P.PARAM_OUT_OF_RANGE, "acclimation.days")]),
    ({"start_date": D, "start_percent": 40, "days": 2.5}, [(P.INVALID_PARAM, "acclimation.days")]),
    (
        {"start_date": D, "start_percent": 140, "days": 10},
        [(P.PARAM_OUT_OF_RANGE, "acclimation.start_percent")],
    ),
    (
        {"start_percent": 40, "days": 10, "start_date": "1.6.2027"},
        [(P.INVALID_DATE, "acclimation.start_date")],
    ),
    (
        {"start_percent": 40, "days": 10, "start_date": "9999-12-31"},
        [(P.INVALID_DATE, "acclimation.start_date")],
    ),
    (
        {"start_percent": 40, "days": 10, "start_date": "x" * 10_000_000},
        [(P.INVALID_DATE, "acclimation.start_date")],
    ),
    ({"start_percent": 40, "days": 10}, [(P.MISSING_PARAM, "acclimation.start_date")]),  # stored data: needed
    (
        {"start_percent": 40, "days": 10, "start_date": "2027-06-01", "end": 3},
        [(P.UNKNOWN_PARAM, "acclimation.end")],
    ),
]


@pytest.mark.parametrize(("value", "expected"), ACCLIMATION_CASES)
def test_a_bad_acclimation_is_refused_with_its_field(value, expected):
    assert problems(schedule(acclimation=value)) == expected


def test_acclimation_applies_to_level_schedules_only():
    feed = schedule(
        "feed_pause", {"times": ["08:00"], "minutes": 10}, acclimation={"start_percent": 5, "days": 3}
    )
    assert problems(feed) == [(P.FIELD_NOT_ALLOWED, "acclimation")]
    switch = {
        "id": "s2",
        "name": "Pump",
        "schedule_type": "cron",
        "cron_expression": "0 8 * * *",
        "action_type": "on",
        "targets": ["pump"],
        "timezone": "UTC",
        "acclimation": {"start_percent": 5, "days": 3, "start_date": "2027-06-01"},
    }
    assert problems(switch) == [(P.FIELD_NOT_ALLOWED, "acclimation")]
    dim = {**switch, "action_type": "set_level", "action_params": {"level": 40}}
    assert problems(dim) == []
    assert problems({**dim, "acclimation": None}) == []


def test_a_new_acclimation_starts_today_in_the_schedules_zone():
    data = schedule(acclimation={"start_percent": 40, "days": 30})
    for name in ("id", "created_at"):
        data.pop(name)
    # 23:30 UTC on May 31 is already June 1 in Berlin
    made = new_schedule(data, now=utc(2027, 5, 31, 23, 30), rules=Rules("UTC", caller=True))
    assert made.acclimation == {"start_percent": 40.0, "days": 30, "start_date": "2027-06-01"}
    assert Acclimation(40, 30, parse_date("2027-06-01")).factor(parse_date("2027-06-16")) == pytest.approx(
        0.7
    )


def test_parse_date():
    assert parse_date("2027-06-01") is not None
    for bad in ("2027-6-1", "2027-02-30", 20270601, None, "1969-12-31", "2201-01-01"):
        assert parse_date(bad) is None
