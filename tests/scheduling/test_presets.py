"""Presets: runs, steps and the level at key instants; their parameter checks."""

from __future__ import annotations

import dataclasses

import pytest

from custom_components.bellas_reef.scheduling import (
    ProblemCode,
    ScheduleError,
    Step,
    level_at,
    next_run,
    preset_step,
    runs_between,
    validate_schedule,
)

from .factory import data, static, utc

DIURNAL = {
    "sunrise": "09:00",
    "sunrise_minutes": 60,
    "peak_level": 80,
    "sunset": "20:00",
    "sunset_minutes": 90,
    "night_level": 10,
}


def test_diurnal_runs_and_steps():
    schedule = static("diurnal", DIURNAL)
    # Berlin in June is UTC+2: 09:00 -> 07:00Z, 20:00 -> 18:00Z
    runs = runs_between(schedule, utc(2027, 6, 1), utc(2027, 6, 2, 12))
    assert runs == [utc(2027, 6, 1, 7), utc(2027, 6, 1, 18), utc(2027, 6, 2, 7)]
    assert preset_step(schedule, runs[0]) == Step(level=80, ramp_seconds=3600)
    assert preset_step(schedule, runs[1]) == Step(level=10, ramp_seconds=5400)


@pytest.mark.parametrize(
    ("instant", "level"),
    [
        (utc(2027, 6, 1, 3), 10),  # night, before sunrise
        (utc(2027, 6, 1, 7), 10),  # sunrise starts
        (utc(2027, 6, 1, 7, 30), 45),  # half way up: 10 + (80 - 10) / 2
        (utc(2027, 6, 1, 7, 45), 62.5),
        (utc(2027, 6, 1, 8), 80),  # peak
        (utc(2027, 6, 1, 12), 80),
        (utc(2027, 6, 1, 18), 80),  # sunset starts
        (utc(2027, 6, 1, 18, 45), 45),  # half way down
        (utc(2027, 6, 1, 19, 30), 10),  # night again
        (utc(2027, 6, 1, 23, 59), 10),
    ],
)
def test_diurnal_level_at(instant, level):
    assert level_at(static("diurnal", DIURNAL), instant) == pytest.approx(level)


def test_diurnal_night_level_defaults_to_zero():
    params = {key: value for key, value in DIURNAL.items() if key != "night_level"}
    schedule = static("diurnal", params)
    assert level_at(schedule, utc(2027, 6, 1, 3)) == 0
    assert preset_step(schedule, utc(2027, 6, 1, 18)) == Step(level=0, ramp_seconds=5400)


def test_diurnal_instant_steps():
    schedule = static("diurnal", {**DIURNAL, "sunrise_minutes": 0, "sunset_minutes": 0})
    assert level_at(schedule, utc(2027, 6, 1, 7)) == 80
    assert level_at(schedule, utc(2027, 6, 1, 6, 59, 59)) == 10


def test_diurnal_sunset_ramp_starts_where_an_unfinished_sunrise_got_to():
    # On the spring-forward day the sunset (02:45, skipped -> 01:00Z) comes 30 real minutes after sunrise
    # (01:30 CET = 00:30Z), half way up its 60-minute ramp: the sunset ramp leaves from 40, not from 80.
    params = {
        "sunrise": "01:30",
        "sunrise_minutes": 60,
        "peak_level": 80,
        "sunset": "02:45",
        "sunset_minutes": 60,
    }
    schedule = static("diurnal", params)
    assert runs_between(schedule, utc(2027, 3, 27, 12), utc(2027, 3, 28, 12)) == [
        utc(2027, 3, 28, 0, 30),
        utc(2027, 3, 28, 1),
    ]
    assert level_at(schedule, utc(2027, 3, 28, 1)) == pytest.approx(40)
    assert level_at(schedule, utc(2027, 3, 28, 1, 30)) == pytest.approx(20)
    assert level_at(schedule, utc(2027, 3, 28, 2)) == 0


@pytest.mark.parametrize(
    ("instant", "level"),
    [
        (utc(2027, 6, 1, 12), 0),
        (utc(2027, 6, 1, 19, 59), 0),
        (utc(2027, 6, 1, 20), 5),  # 22:00 CEST
        (utc(2027, 6, 1, 21), 5),
        (utc(2027, 6, 1, 23, 30), 5),  # 01:30 the next day
        (utc(2027, 6, 1, 23, 59, 59), 5),
        (utc(2027, 6, 2, 0), 0),  # 02:00
    ],
)
def test_moonlight_across_midnight(instant, level):
    schedule = static("moonlight", {"night_level": 5, "start": "22:00", "end": "02:00"})
    assert level_at(schedule, instant) == level


def test_moonlight_runs_and_steps():
    schedule = static("moonlight", {"night_level": 5, "start": "22:00", "end": "02:00"})
    assert runs_between(schedule, utc(2027, 6, 1), utc(2027, 6, 2, 12)) == [
        utc(2027, 6, 1, 20),
        utc(2027, 6, 2, 0),
    ]
    runs = runs_between(schedule, utc(2027, 5, 31, 23), utc(2027, 6, 2, 12))  # start exclusive, so earlier
    assert runs == [utc(2027, 6, 1, 0), utc(2027, 6, 1, 20), utc(2027, 6, 2, 0)]
    assert preset_step(schedule, runs[0]) == Step(0, 0)
    assert preset_step(schedule, runs[1]) == Step(5, 0)


def test_moonlight_within_one_night():
    schedule = static("moonlight", {"night_level": 2, "start": "01:00", "end": "05:00:30"})
    # 01:00 CEST on June 1 is 23:00Z on May 31, before the range
    assert runs_between(schedule, utc(2027, 6, 1), utc(2027, 6, 2)) == [
        utc(2027, 6, 1, 3, 0, 30),
        utc(2027, 6, 1, 23),
    ]
    assert level_at(schedule, utc(2027, 6, 1, 2)) == 2


def test_feed_pause():
    schedule = static("feed_pause", {"times": ["18:00", "08:00"], "minutes": 15})
    runs = runs_between(schedule, utc(2027, 6, 1), utc(2027, 6, 2))
    assert runs == [utc(2027, 6, 1, 6), utc(2027, 6, 1, 6, 15), utc(2027, 6, 1, 16), utc(2027, 6, 1, 16, 15)]
    assert [preset_step(schedule, run).level for run in runs] == [0, 100, 0, 100]
    assert level_at(schedule, utc(2027, 6, 1, 5, 59)) == 100
    assert level_at(schedule, utc(2027, 6, 1, 6, 10)) == 0
    assert level_at(schedule, utc(2027, 6, 1, 6, 15)) == 100


def test_feed_pause_across_midnight():
    schedule = static("feed_pause", {"times": ["23:50"], "minutes": 20})
    assert runs_between(schedule, utc(2027, 6, 1), utc(2027, 6, 2)) == [
        utc(2027, 6, 1, 21, 50),
        utc(2027, 6, 1, 22, 10),
    ]
    assert level_at(schedule, utc(2027, 6, 1, 22)) == 0


def test_touching_pauses_make_one_longer_pause():
    schedule = static("feed_pause", {"times": ["08:00", "08:30"], "minutes": 30})
    assert runs_between(schedule, utc(2027, 6, 1), utc(2027, 6, 2)) == [
        utc(2027, 6, 1, 6),
        utc(2027, 6, 1, 6, 30),
        utc(2027, 6, 1, 7),
    ]
    assert preset_step(schedule, utc(2027, 6, 1, 6, 30)) == Step(0, 0)  # the new pause wins over the resume
    assert level_at(schedule, utc(2027, 6, 1, 6, 30)) == 0
    assert level_at(schedule, utc(2027, 6, 1, 7)) == 100


def test_maintenance_weekly():
    schedule = static("maintenance", {"weekday": "sat", "time": "10:00", "minutes": 90})
    # Saturdays 2027-06-05 and 06-12, 10:00 CEST = 08:00Z
    assert runs_between(schedule, utc(2027, 6, 1), utc(2027, 6, 13)) == [
        utc(2027, 6, 5, 8),
        utc(2027, 6, 5, 9, 30),
        utc(2027, 6, 12, 8),
        utc(2027, 6, 12, 9, 30),
    ]
    assert next_run(schedule, utc(2027, 6, 5, 9, 30)) == utc(2027, 6, 12, 8)
    assert level_at(schedule, utc(2027, 6, 5, 9)) == 0
    assert level_at(schedule, utc(2027, 6, 5, 9, 30)) == 100
    assert level_at(schedule, utc(2027, 6, 11, 23)) == 100
    assert preset_step(schedule, utc(2027, 6, 12, 8)) == Step(0, 0)


def test_preset_window_limits_runs_not_the_curve():
    schedule = static("diurnal", DIURNAL, start_time="2027-06-02T00:00:00", end_time="2027-06-02T12:00:00")
    assert runs_between(schedule, utc(2027, 6, 1), utc(2027, 6, 4)) == [utc(2027, 6, 2, 7)]
    assert level_at(schedule, utc(2027, 6, 1, 12)) == 80


def test_preset_step_refuses_an_instant_that_is_not_a_run():
    schedule = static("diurnal", DIURNAL)
    with pytest.raises(ValueError, match="is not a run"):
        preset_step(schedule, utc(2027, 6, 1, 7, 1))


def test_direct_construction_with_bad_params_raises():
    schedule = static("diurnal", DIURNAL)
    broken = dataclasses.replace(schedule, preset_params={"sunrise": "late"})
    with pytest.raises(ScheduleError) as caught:
        level_at(broken, utc(2027, 6, 1))
    assert ProblemCode.INVALID_TIME in {problem.code for problem in caught.value.problems}


@pytest.mark.parametrize(
    ("preset", "params", "expected"),
    [
        ("diurnal", DIURNAL, []),
        (
            "diurnal",
            {**DIURNAL, "sunrise": "19:30", "sunrise_minutes": 60},
            [(ProblemCode.INVALID_PRESET_TIMING, "preset_params")],
        ),
        ("diurnal", {**DIURNAL, "sunrise": "19:30", "sunrise_minutes": 30}, []),  # ends exactly at sunset
        ("diurnal", {**DIURNAL, "sunset": "23:00"}, [(ProblemCode.INVALID_PRESET_TIMING, "preset_params")]),
        ("diurnal", {**DIURNAL, "sunset": "22:30"}, []),  # ends exactly at midnight
        (
            "diurnal",
            {**DIURNAL, "peak_level": 120},
            [(ProblemCode.PARAM_OUT_OF_RANGE, "preset_params.peak_level")],
        ),
        (
            "diurnal",
            {**DIURNAL, "sunrise_minutes": 1441},
            [(ProblemCode.PARAM_OUT_OF_RANGE, "preset_params.sunrise_minutes")],
        ),
        ("diurnal", {**DIURNAL, "sunset": "8pm"}, [(ProblemCode.INVALID_TIME, "preset_params.sunset")]),
        ("diurnal", {**DIURNAL, "night_level": None}, []),
        ("diurnal", {**DIURNAL, "colour": "blue"}, [(ProblemCode.UNKNOWN_PARAM, "preset_params.colour")]),
        (
            "moonlight",
            {"start": "22:00", "end": "02:00"},
            [(ProblemCode.MISSING_PARAM, "preset_params.night_level")],
        ),
        (
            "feed_pause",
            {"times": ["08:00", "08:10"], "minutes": 15},
            [(ProblemCode.INVALID_PRESET_TIMING, "preset_params")],
        ),
        (
            "feed_pause",
            {"times": ["23:55", "00:05"], "minutes": 15},
            [(ProblemCode.INVALID_PRESET_TIMING, "preset_params")],
        ),
        (
            "feed_pause",
            {"times": ["08:00"], "minutes": 0},
            [(ProblemCode.PARAM_OUT_OF_RANGE, "preset_params.minutes")],
        ),
        ("feed_pause", {"times": [], "minutes": 5}, [(ProblemCode.EMPTY_LIST, "preset_params.times")]),
        (
            "feed_pause",
            {"times": "08:00", "minutes": 5},
            [(ProblemCode.INVALID_PARAM, "preset_params.times")],
        ),
        (
            "feed_pause",
            {"times": ["08:00", "noon"], "minutes": 5},
            [(ProblemCode.INVALID_TIME, "preset_params.times[1]")],
        ),
        ("maintenance", {"weekday": "sat", "time": "10:00", "minutes": 90}, []),
        (
            "maintenance",
            {"weekday": "funday", "time": "10:00", "minutes": 90},
            [(ProblemCode.INVALID_PARAM, "preset_params.weekday")],
        ),
        (
            "maintenance",
            {"weekday": "sat", "time": "10:00"},
            [(ProblemCode.MISSING_PARAM, "preset_params.minutes")],
        ),
    ],
)
def test_preset_params(preset, params, expected):
    problems = validate_schedule(data("static", preset=preset, preset_params=params))
    assert [(problem.code, problem.field) for problem in problems] == expected


def test_stored_preset_params_are_normalised():
    schedule = static("feed_pause", {"times": ["18:00", "8:00:30"], "minutes": 10})
    assert schedule.to_dict()["preset_params"] == {"times": ["08:00:30", "18:00"], "minutes": 10.0}
