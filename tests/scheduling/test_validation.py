"""Validation: every code from a minimal bad schedule, valid schedules, several problems at once."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from custom_components.bellas_reef.scheduling import (
    ALL_PROBLEM_CODES,
    Problem,
    ProblemCode,
    validate_schedule,
)
from custom_components.bellas_reef.scheduling.problems import MESSAGES, describe
from custom_components.bellas_reef.scheduling.validation import parse_schedule

from .factory import DROP, VALID, data, utc

P = ProblemCode
_PTS = "preset_params.points"


def _P(at: str, level: float) -> dict[str, object]:  # noqa: N802 - reads as a point
    return {"time": at, "level": level}


_PROFILE = {"points": [_P("08:00", 0), _P("12:00", 80)]}
MONTHLY = {"frequency": "monthly", "weekdays": DROP, "days_of_month": [1]}
DAILY = {"frequency": "daily", "weekdays": DROP}

# code -> (schedule kind, overrides, field the problem names, ``now`` for the check)
CODE_CASES: dict[ProblemCode, tuple[str, dict[str, object], str, datetime | None]] = {
    P.MISSING_FIELD: ("cron", {"cron_expression": DROP}, "cron_expression", None),
    P.UNKNOWN_FIELD: ("cron", {"colour": "red"}, "colour", None),
    P.FIELD_NOT_ALLOWED: ("cron", {"run_at": "2027-06-01T08:00:00Z"}, "run_at", None),
    P.INVALID_TYPE: ("cron", {"enabled": "yes"}, "enabled", None),
    P.INVALID_ID: ("cron", {"id": "  "}, "id", None),
    P.NAME_EMPTY: ("cron", {"name": "   "}, "name", None),
    P.NAME_TOO_LONG: ("cron", {"name": "x" * 101}, "name", None),
    P.UNKNOWN_SCHEDULE_TYPE: (
        "cron",
        {"schedule_type": "weekly", "cron_expression": DROP},
        "schedule_type",
        None,
    ),
    P.UNKNOWN_ACTION_TYPE: ("cron", {"action_type": "dim", "action_params": DROP}, "action_type", None),
    P.UNKNOWN_TIMEZONE: ("cron", {"timezone": "Mars/Olympus_Mons"}, "timezone", None),
    P.UNKNOWN_RUN_STATUS: ("cron", {"last_run_status": "ok"}, "last_run_status", None),
    P.INVALID_DATETIME: ("cron", {"start_time": "tomorrow morning"}, "start_time", None),
    P.END_BEFORE_START: (
        "cron",
        {"start_time": "2027-06-01T00:00:00Z", "end_time": "2027-06-01T02:00:00+02:00"},
        "end_time",
        None,
    ),
    P.NEGATIVE_MISFIRE_GRACE: ("cron", {"misfire_grace": -1}, "misfire_grace", None),
    P.EMPTY_TARGETS: ("cron", {"targets": []}, "targets", None),
    P.INVALID_TARGET: ("cron", {"targets": ["ch1", ""]}, "targets[1]", None),
    P.RUN_AT_IN_PAST: ("one_off", {}, "run_at", utc(2027, 6, 1, 6)),
    P.INTERVAL_TOO_SMALL: ("interval", {"interval_seconds": 0}, "interval_seconds", None),
    P.INVALID_CRON: ("cron", {"cron_expression": "61 * * * *"}, "cron_expression", None),
    P.UNKNOWN_FREQUENCY: ("recurring", {"frequency": "yearly", "weekdays": DROP}, "frequency", None),
    P.INVALID_TIME: ("recurring", {"times": ["08:00", "24:00"]}, "times[1]", None),
    P.EMPTY_LIST: ("recurring", {"weekdays": []}, "weekdays", None),
    P.INVALID_WEEKDAY: ("recurring", {"weekdays": ["monday"]}, "weekdays[0]", None),
    P.INVALID_DAY_OF_MONTH: ("recurring", {**MONTHLY, "days_of_month": [1, 0]}, "days_of_month[1]", None),
    P.EVERY_TOO_SMALL: ("recurring", {"every": 0}, "every", None),
    P.MISSING_PARAM: ("cron", {"action_params": {}}, "action_params.level", None),
    P.UNKNOWN_PARAM: (
        "cron",
        {"action_type": "on", "action_params": {"brightness": 5}},
        "action_params.brightness",
        None,
    ),
    P.INVALID_PARAM: (
        "cron",
        {"action_type": "custom", "action_params": {"service": "rm -rf /"}},
        "action_params.service",
        None,
    ),
    P.PARAM_OUT_OF_RANGE: (
        "cron",
        {"action_type": "set_pwm", "action_params": {"duty": 100.5}},
        "action_params.duty",
        None,
    ),
    P.UNKNOWN_PRESET: ("static", {"preset": "sunrise", "preset_params": {}}, "preset", None),
    P.INVALID_PRESET_TIMING: (
        "static",
        {"preset_params": {"night_level": 5, "start": "22:00", "end": "22:00"}},
        "preset_params",
        None,
    ),
    P.DATETIME_OUT_OF_RANGE: ("cron", {"start_time": "9999-12-31T23:59:59-12:00"}, "start_time", None),
    P.VALUE_TOO_LARGE: ("cron", {"misfire_grace": 2**64}, "misfire_grace", None),
    P.TOO_LONG: ("cron", {"cron_expression": "*" * 129}, "cron_expression", None),
    P.TOO_MANY: ("cron", {"targets": [f"ch{n}" for n in range(65)]}, "targets", None),
    P.DATA_TOO_LARGE: (
        "cron",
        {"action_type": "custom", "action_params": {"service": "light.turn_on", "data": {"x": "y" * 20_000}}},
        "action_params.data",
        None,
    ),
    P.TOO_FEW: ("static", {"preset": "profile", "preset_params": {"points": [_P("08:00", 0)]}}, _PTS, None),
    P.POINTS_UNSORTED: (
        "static",
        {"preset": "profile", "preset_params": {"points": [_P("08:00", 0), _P("07:00", 10)]}},
        f"{_PTS}[1].time",
        None,
    ),
    P.DUPLICATE_POINT: (
        "static",
        {"preset": "profile", "preset_params": {"points": [_P("08:00", 0), _P("08:00", 10)]}},
        f"{_PTS}[1].time",
        None,
    ),
    P.OFFSET_NOT_A_TARGET: (
        "static",
        {"preset": "profile", "preset_params": {**_PROFILE, "offsets": [{"target": "board1.ch9"}]}},
        "preset_params.offsets[0].target",
        None,
    ),
    P.DUPLICATE_TARGET: (
        "static",
        {"preset": "profile", "preset_params": {**_PROFILE, "offsets": [{"target": "board1.ch0"}] * 2}},
        "preset_params.offsets[1].target",
        None,
    ),
    P.INVALID_DATE: (
        "static",
        {"acclimation": {"start_percent": 40, "days": 30, "start_date": "2027-02-30"}},
        "acclimation.start_date",
        None,
    ),
    P.SERVICE_NOT_ALLOWED: (
        "cron",
        {"action_type": "custom", "action_params": {"service": "bellas_reef.run_schedule"}},
        "action_params.service",
        None,
    ),
}

# codes the checks report for a caller's input only (the HA layer's rules)
CALLER_CASES: dict[ProblemCode, tuple[str, dict[str, object], str]] = {
    P.READ_ONLY_FIELD: ("cron", {"next_run": "2027-06-01T00:00:00+00:00"}, "next_run"),
    P.UNKNOWN_TARGET: ("cron", {"targets": ["board1.ch0", "switch.schedules_lights"]}, "targets[1]"),
}


def codes(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(problem.code, problem.field) for problem in problems]


@pytest.mark.parametrize("code", list(CODE_CASES), ids=str)
def test_each_code_from_a_minimal_bad_schedule(code):
    kind, overrides, field, now = CODE_CASES[code]
    assert codes(validate_schedule(data(kind, **overrides), now=now)) == [(code, field)]


@pytest.mark.parametrize("code", list(CALLER_CASES), ids=str)
def test_each_caller_code_from_a_minimal_bad_schedule(code):
    kind, overrides, field = CALLER_CASES[code]
    bad = data(kind, id=DROP, created_at=DROP, updated_at=DROP, **overrides)
    assert codes(validate_schedule(bad, channels={"board1.ch0"}, caller=True)) == [(code, field)]
    assert validate_schedule(bad) == []  # the integration's own data (stored, starters) may hold them


def test_every_code_is_covered():
    assert set(CODE_CASES) | set(CALLER_CASES) == set(ALL_PROBLEM_CODES)
    assert set(MESSAGES) == set(ALL_PROBLEM_CODES)
    assert all(code.value == code.value.lower() and " " not in code.value for code in ALL_PROBLEM_CODES)


@pytest.mark.parametrize("kind", sorted(VALID))
def test_valid_schedule_of_each_type(kind):
    assert validate_schedule(data(kind), now=utc(2027, 1, 1)) == []


def test_problem_carries_message_and_placeholders():
    [problem] = validate_schedule(data("cron", action_type="set_pwm", action_params={"duty": -1}))
    assert problem.message == "action_params.duty must be within 0..100"
    assert problem.placeholders == {"min": "0", "max": "100"}
    [problem] = validate_schedule(
        data("cron", action_type="ramp", action_params={"end_level": 1, "duration": 0})
    )
    assert problem.code is P.PARAM_OUT_OF_RANGE
    assert problem.placeholders == {"min": "0 (exclusive)", "max": "86400"}
    [problem] = validate_schedule(data("cron", name="y" * 101))
    assert problem.placeholders == {"max": "100"}


def test_many_problems_are_reported_at_once():
    bad = {
        "id": 7,
        "name": 12,
        "schedule_type": "recurring",
        "targets": "ch1",
        "action_type": "ramp",
        "action_params": {"end_level": 150, "curve": "cubic", "duration": "long", "speed": 3},
        "timezone": "Nowhere/Town",
        "start_time": "2027-02-01T00:00:00Z",
        "end_time": "2027-01-01T00:00:00Z",
        "misfire_grace": -5,
        "frequency": "monthly",
        "times": ["8:00", "8pm"],
        "days_of_month": [32, -32, 0, 15, True],
        "weekdays": ["mon"],
        "every": 0,
        "cron_expression": "* * * * *",
        "extra": None,
    }
    found = codes(validate_schedule(bad))
    assert sorted(found) == sorted(
        [
            (P.INVALID_ID, "id"),
            (P.INVALID_TYPE, "name"),
            (P.INVALID_TYPE, "targets"),
            (P.UNKNOWN_TIMEZONE, "timezone"),
            (P.END_BEFORE_START, "end_time"),
            (P.NEGATIVE_MISFIRE_GRACE, "misfire_grace"),
            (P.UNKNOWN_PARAM, "action_params.speed"),
            (P.PARAM_OUT_OF_RANGE, "action_params.end_level"),
            (P.INVALID_PARAM, "action_params.duration"),
            (P.INVALID_PARAM, "action_params.curve"),
            (P.INVALID_TIME, "times[1]"),
            (P.INVALID_DAY_OF_MONTH, "days_of_month[0]"),
            (P.INVALID_DAY_OF_MONTH, "days_of_month[1]"),
            (P.INVALID_DAY_OF_MONTH, "days_of_month[2]"),
            (P.INVALID_DAY_OF_MONTH, "days_of_month[4]"),
            (P.FIELD_NOT_ALLOWED, "weekdays"),
            (P.FIELD_NOT_ALLOWED, "cron_expression"),
            (P.EVERY_TOO_SMALL, "every"),
            (P.UNKNOWN_FIELD, "extra"),
        ]
    )


def test_not_a_mapping():
    assert codes(validate_schedule(["not", "a", "dict"])) == [(P.INVALID_TYPE, "schedule")]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("static", "preset", ["diurnal"]),
        ("static", "preset", {"diurnal": 1}),
        ("interval", "action_type", ["ramp"]),
        ("interval", "action_type", {"x": 1}),
    ],
)
def test_acclimation_beside_a_preset_or_action_of_the_wrong_type(
    kind: str, field: str, value: object
) -> None:
    """Found by the fuzz test: an unhashable preset or action type beside acclimation raised TypeError."""
    problems = codes(
        validate_schedule(data(kind, **{field: value, "acclimation": {"start_percent": 50, "days": 7}}))
    )
    assert (
        (P.INVALID_TYPE, field) in problems
        or any(code is P.UNKNOWN_PRESET for code, _ in problems)
        or any(code is P.UNKNOWN_ACTION_TYPE for code, _ in problems)
    )
    assert (P.FIELD_NOT_ALLOWED, "acclimation") in problems


def test_empty_mapping_names_the_required_fields():
    assert codes(validate_schedule({})) == [
        (P.MISSING_FIELD, "schedule_type"),
        (P.MISSING_FIELD, "name"),
        (P.MISSING_FIELD, "targets"),
        (P.MISSING_FIELD, "timezone"),
        (P.MISSING_FIELD, "action_type"),
    ]


@pytest.mark.parametrize(
    ("kind", "overrides", "expected"),
    [
        ("one_off", {"run_at": DROP}, [(P.MISSING_FIELD, "run_at")]),
        ("one_off", {"run_at": 5}, [(P.INVALID_DATETIME, "run_at")]),
        ("interval", {"interval_seconds": DROP}, [(P.MISSING_FIELD, "interval_seconds")]),
        ("interval", {"interval_seconds": 1.5}, [(P.INVALID_TYPE, "interval_seconds")]),
        ("interval", {"interval_seconds": True}, [(P.INVALID_TYPE, "interval_seconds")]),
        ("interval", {"interval_seconds": "60"}, [(P.INVALID_TYPE, "interval_seconds")]),
        ("interval", {"interval_seconds": 1}, []),
        ("interval", {"interval_seconds": 60.0}, []),
        ("recurring", {"frequency": DROP}, [(P.MISSING_FIELD, "frequency")]),
        ("recurring", {"times": DROP}, [(P.MISSING_FIELD, "times")]),
        ("recurring", {"times": "08:00"}, [(P.INVALID_TYPE, "times")]),
        ("recurring", {"times": []}, [(P.EMPTY_LIST, "times")]),
        ("recurring", {"times": [800]}, [(P.INVALID_TIME, "times[0]")]),
        ("recurring", {"times": ["08:60"]}, [(P.INVALID_TIME, "times[0]")]),
        ("recurring", {"times": ["08:00:61"]}, [(P.INVALID_TIME, "times[0]")]),
        ("recurring", {"times": ["23:59:59", "0:00"]}, []),
        ("recurring", {"every": "2"}, [(P.INVALID_TYPE, "every")]),
        ("recurring", {"weekdays": DROP}, [(P.MISSING_FIELD, "weekdays")]),
        ("recurring", {"weekdays": "mon"}, [(P.INVALID_TYPE, "weekdays")]),
        ("recurring", {"weekdays": [["mon"]]}, [(P.INVALID_WEEKDAY, "weekdays[0]")]),
        ("recurring", {**DAILY, "weekdays": ["mon"]}, [(P.FIELD_NOT_ALLOWED, "weekdays")]),
        ("recurring", {**DAILY, "weekdays": None}, []),
        ("recurring", {**MONTHLY, "days_of_month": DROP}, [(P.MISSING_FIELD, "days_of_month")]),
        ("recurring", {**MONTHLY, "days_of_month": []}, [(P.EMPTY_LIST, "days_of_month")]),
        ("recurring", {**MONTHLY, "days_of_month": [1.0]}, [(P.INVALID_DAY_OF_MONTH, "days_of_month[0]")]),
        ("recurring", {**MONTHLY, "days_of_month": [31, -31, 29]}, []),
        ("recurring", {**DAILY, "days_of_month": [1]}, [(P.FIELD_NOT_ALLOWED, "days_of_month")]),
        ("cron", {"cron_expression": 5}, [(P.INVALID_CRON, "cron_expression")]),
        ("cron", {"misfire_grace": "300"}, [(P.INVALID_TYPE, "misfire_grace")]),
        ("cron", {"misfire_grace": 0}, []),
        ("cron", {"name": "x" * 100}, []),
        ("cron", {"targets": [3]}, [(P.INVALID_TARGET, "targets[0]")]),
        (
            "cron",
            {"action_params": "level=5"},
            [(P.INVALID_TYPE, "action_params"), (P.MISSING_PARAM, "action_params.level")],
        ),
        ("cron", {"action_params": {"level": "50"}}, [(P.INVALID_PARAM, "action_params.level")]),
        ("cron", {"action_params": {"level": float("nan")}}, [(P.INVALID_PARAM, "action_params.level")]),
        ("cron", {"action_params": {"level": True}}, [(P.INVALID_PARAM, "action_params.level")]),
        ("cron", {"action_params": {"level": 0, "duration": 30}}, []),
        ("cron", {"action_params": {"level": 100, "duration": None}}, []),
        ("cron", {"action_type": DROP}, [(P.MISSING_FIELD, "action_type")]),
        ("cron", {"action_type": ["on"]}, [(P.UNKNOWN_ACTION_TYPE, "action_type")]),
        ("cron", {"schedule_type": ["cron"]}, [(P.UNKNOWN_SCHEDULE_TYPE, "schedule_type")]),
        ("cron", {"timezone": 5}, [(P.UNKNOWN_TIMEZONE, "timezone")]),
        ("cron", {"timezone": "../etc/passwd"}, [(P.UNKNOWN_TIMEZONE, "timezone")]),
        ("cron", {"timezone": "Europe"}, [(P.UNKNOWN_TIMEZONE, "timezone")]),
        ("cron", {"timezone": ""}, [(P.UNKNOWN_TIMEZONE, "timezone")]),
        ("cron", {"start_time": "2027-06-01T00:00:00Z", "end_time": "2027-06-01T00:00:01Z"}, []),
        ("cron", {"next_run": "2027-13-01T00:00:00Z"}, [(P.INVALID_DATETIME, "next_run")]),
        ("cron", {"last_run_status": "failed", "enabled": False}, []),
        ("static", {"action_type": "on"}, [(P.FIELD_NOT_ALLOWED, "action_type")]),
        ("static", {"action_params": {"level": 1}}, [(P.FIELD_NOT_ALLOWED, "action_params")]),
        ("static", {"action_type": None, "action_params": {}}, []),
        ("static", {"preset": DROP}, [(P.MISSING_FIELD, "preset")]),
        (
            "static",
            {"preset_params": DROP},
            [(P.MISSING_PARAM, f"preset_params.{name}") for name in ("night_level", "start", "end")],
        ),
        (
            "static",
            {"preset_params": [1]},
            [(P.INVALID_TYPE, "preset_params")]
            + [(P.MISSING_PARAM, f"preset_params.{name}") for name in ("night_level", "start", "end")],
        ),
        # an unknown schedule type reports only itself, not the fields of the types it might have meant
        ("cron", {"schedule_type": "hourly"}, [(P.UNKNOWN_SCHEDULE_TYPE, "schedule_type")]),
    ],
)
def test_field_table(kind, overrides, expected):
    assert codes(validate_schedule(data(kind, **overrides))) == expected


@pytest.mark.parametrize(
    ("action", "params", "expected"),
    [
        ("on", {}, []),
        ("off", {"duration": 60}, []),
        ("toggle", {"duration": 0.5}, []),
        ("toggle", {"duration": 0}, [(P.PARAM_OUT_OF_RANGE, "action_params.duration")]),
        ("on", {"duration": -1}, [(P.PARAM_OUT_OF_RANGE, "action_params.duration")]),
        ("set_pwm", {"duty": 0}, []),
        ("set_pwm", {"duty": 100}, []),
        ("set_pwm", {}, [(P.MISSING_PARAM, "action_params.duty")]),
        ("set_pwm", {"level": 5, "duty": 5}, [(P.UNKNOWN_PARAM, "action_params.level")]),
        ("set_level", {"level": 101}, [(P.PARAM_OUT_OF_RANGE, "action_params.level")]),
        ("ramp", {"end_level": 50, "duration": 60}, []),
        ("ramp", {"end_level": 50, "start_level": 0, "duration": 60, "curve": "linear"}, []),
        ("ramp", {"end_level": 50, "start_level": 0, "duration": 60, "curve": "perceptual"}, []),
        (
            "ramp",
            {"end_level": 50, "start_level": -1, "duration": 60},
            [(P.PARAM_OUT_OF_RANGE, "action_params.start_level")],
        ),
        (
            "ramp",
            {},
            [(P.MISSING_PARAM, "action_params.end_level"), (P.MISSING_PARAM, "action_params.duration")],
        ),
        ("custom", {"service": "light.turn_on"}, []),
        (
            "custom",
            {"service": "light.turn_on", "data": {"brightness": 5}, "target": {"entity_id": "light.x"}},
            [],
        ),
        ("custom", {"service": "Light.turn_on"}, [(P.INVALID_PARAM, "action_params.service")]),
        ("custom", {"service": "light.turn_on; reboot"}, [(P.INVALID_PARAM, "action_params.service")]),
        ("custom", {"service": "turn_on"}, [(P.INVALID_PARAM, "action_params.service")]),
        ("custom", {"service": 5}, [(P.INVALID_PARAM, "action_params.service")]),
        ("custom", {"service": "a.b", "data": "x=1"}, [(P.INVALID_PARAM, "action_params.data")]),
        ("custom", {"service": "a.b", "target": {1: "x"}}, [(P.INVALID_PARAM, "action_params.target")]),
        ("custom", {"data": {}}, [(P.MISSING_PARAM, "action_params.service")]),
    ],
)
def test_action_params(action, params, expected):
    assert codes(validate_schedule(data("cron", action_type=action, action_params=params))) == expected


@pytest.mark.parametrize(
    ("expression", "valid"),
    [
        ("0 8 * * *", True),
        ("*/15 6-22 * * mon-fri", True),
        ("0 0 L * *", True),
        ("0 0 * * 1#2", True),
        ("0 0 30 2 *", True),  # valid, never runs: the calculator answers None
        ("  0   8 * *  * ", True),
        ("0 8 * * * 30", True),  # sixth field: seconds
        ("@daily", True),
        ("@HOURLY", True),
        ("@weekly", True),
        ("@monthly", True),
        ("@yearly", True),
        ("@annually", True),
        ("@midnight", True),
        ("@reboot", False),
        ("@every_5m", False),
        ("0 8 * * * 0 2027", False),  # croniter's year field is not accepted
        ("0 8 * *", False),
        ("", False),
        ("60 * * * *", False),
        ("* 24 * * *", False),
        ("R * * * *", False),  # random: not reproducible
        ("0 R * * *", False),
        ("0 8 * * sun,R", False),
        ("H * * * *", False),
        ("0 0 0 * *", False),
        ("a b c d e", False),
    ],
)
def test_cron_expressions(expression, valid):
    problems = validate_schedule(data("cron", cron_expression=expression))
    assert codes(problems) == ([] if valid else [(P.INVALID_CRON, "cron_expression")])


def test_stored_cron_expression_is_normalised():
    fields, problems = parse_schedule(data("cron", cron_expression="  0   8 * *  * "))
    assert problems == []
    assert fields["cron_expression"] == "0 8 * * *"


def test_one_off_in_the_past_only_with_now():
    one_off = data("one_off", run_at="2027-06-01T08:00:00+02:00")
    assert validate_schedule(one_off) == []
    assert validate_schedule(one_off, now=utc(2027, 6, 1, 5, 59)) == []
    [problem] = validate_schedule(one_off, now=utc(2027, 6, 1, 6))
    assert problem.code is P.RUN_AT_IN_PAST
    assert problem.placeholders == {"value": "2027-06-01T06:00:00+00:00"}


def test_naive_datetime_with_unknown_zone_is_read_as_utc():
    fields, problems = parse_schedule(data("one_off", timezone="Bad/Zone", run_at="2027-06-01T08:00:00"))
    assert codes(problems) == [(P.UNKNOWN_TIMEZONE, "timezone")]
    assert fields["run_at"] == datetime(2027, 6, 1, 8, tzinfo=UTC)


def test_datetime_objects_and_time_objects_validate():
    payload = data("recurring", times=[time(8, 0)], start_time=datetime(2027, 1, 1, tzinfo=UTC))
    assert validate_schedule(payload) == []
    assert codes(validate_schedule(data("recurring", times=[time(8, 0, tzinfo=UTC)]))) == [
        (P.INVALID_TIME, "times[0]")
    ]


def test_describe_shortens_long_values():
    assert describe("x" * 100) == repr("x" * 100)[:57] + "..."
    assert describe(5) == "5"
