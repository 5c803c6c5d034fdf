"""The model: construction from data, the stored JSON form and its round trip, immutability."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, time, timedelta, timezone
import json
from zoneinfo import ZoneInfo

import pytest

from custom_components.bellas_reef.scheduling import (
    ActionType,
    Frequency,
    Preset,
    ProblemCode,
    RunStatus,
    Schedule,
    ScheduleError,
    ScheduleType,
    Weekday,
)
from custom_components.bellas_reef.scheduling.model import freeze, thaw

from .factory import DROP, VALID, build, data, utc

ROUND_TRIP_CASES = {
    **{kind: data(kind) for kind in VALID},
    "daily": data("recurring", frequency="daily", weekdays=DROP, times=["08:00", "20:30:15"], every=2),
    "monthly": data("recurring", frequency="monthly", weekdays=DROP, days_of_month=[1, 15, -1]),
    "custom": data(
        "cron",
        action_type="custom",
        action_params={
            "service": "notify.notify",
            "data": {"message": "feed", "nested": {"list": [1, 2, {"x": None}]}},
            "target": {"entity_id": ["light.a", "light.b"]},
        },
    ),
    "diurnal": data(
        "static",
        preset="diurnal",
        preset_params={
            "sunrise": "08:00",
            "sunrise_minutes": 60,
            "peak_level": 80,
            "sunset": "20:00",
            "sunset_minutes": 90,
            "night_level": 2.5,
        },
    ),
    "feed_pause": data(
        "static", preset="feed_pause", preset_params={"times": ["18:00", "08:00"], "minutes": 10}
    ),
    "maintenance": data(
        "static", preset="maintenance", preset_params={"weekday": "sat", "time": "10:00", "minutes": 90}
    ),
    "full_record": data(
        "interval",
        start_time="2027-02-01T00:00:00+01:00",
        end_time="2027-12-31T23:00:00Z",
        enabled=False,
        misfire_grace=0,
        next_run="2027-02-01T01:00:00+00:00",
        last_run="2027-01-31T23:00:00+00:00",
        last_run_status="skipped",
    ),
}


@pytest.mark.parametrize("name", sorted(ROUND_TRIP_CASES))
def test_round_trip(name):
    schedule = Schedule.from_dict(ROUND_TRIP_CASES[name])
    stored = schedule.to_dict()
    assert json.loads(json.dumps(stored)) == stored  # plain JSON
    again = Schedule.from_dict(stored)
    assert again == schedule
    assert again.to_dict() == stored


def test_round_trip_keeps_only_the_own_type_fields():
    stored = build("recurring").to_dict()
    assert {"frequency", "times", "weekdays", "every"} <= stored.keys()
    assert not {"days_of_month", "run_at", "interval_seconds", "cron_expression", "preset"} & stored.keys()
    monthly = build("recurring", frequency="monthly", weekdays=DROP, days_of_month=[3]).to_dict()
    assert "weekdays" not in monthly
    assert monthly["days_of_month"] == [3]


def test_from_dict_types_and_normalisation():
    schedule = build(
        "recurring",
        name="  Morning  ",
        targets=["a", "b", "a"],
        times=["20:00", "7:05", "07:05:00"],
        weekdays=["sun", "mon", "sun"],
        every=2.0,
        misfire_grace=60.0,
    )
    assert schedule.name == "Morning"
    assert schedule.schedule_type is ScheduleType.RECURRING
    assert schedule.frequency is Frequency.WEEKLY
    assert schedule.targets == ("a", "b")
    assert schedule.times == (time(7, 5), time(20, 0))
    assert schedule.weekdays == (Weekday.MON, Weekday.SUN)
    assert schedule.every == 2
    assert schedule.misfire_grace == 60
    assert schedule.action_type is ActionType.RAMP
    assert schedule.action_params == {"end_level": 80.0, "duration": 600.0}
    assert schedule.created_at == utc(2027, 1, 1)
    assert schedule.zone == ZoneInfo("Europe/Berlin")
    assert schedule.to_dict()["times"] == ["07:05", "20:00"]


def test_defaults():
    schedule = build("interval")
    assert schedule.enabled is True
    assert schedule.misfire_grace == 300
    assert schedule.every == 1
    assert schedule.start_time is None
    assert schedule.end_time is None
    assert schedule.next_run is None
    assert schedule.last_run_status is None
    assert schedule.anchor == schedule.created_at


def test_service_payload_gets_id_and_timestamps():
    now = utc(2027, 5, 1, 12)
    first = Schedule.from_dict(data("cron", id=DROP, created_at=DROP, updated_at=DROP), now=now)
    second = Schedule.from_dict(data("cron", id=DROP, created_at=DROP, updated_at=DROP), now=now)
    assert first.created_at == first.updated_at == now
    assert first.id
    assert first.id != second.id
    current = Schedule.from_dict(data("cron", id=DROP, created_at=DROP, updated_at=DROP))
    assert abs(current.created_at - datetime.now(UTC)) < timedelta(minutes=1)
    kept = Schedule.from_dict(data("cron", updated_at=DROP))
    assert kept.updated_at == kept.created_at == utc(2027, 1, 1)


def test_datetimes_are_stored_in_utc():
    schedule = build(
        "one_off", run_at="2027-06-01T08:00:00+02:00", start_time=datetime(2027, 5, 1, tzinfo=UTC)
    )
    assert schedule.run_at == utc(2027, 6, 1, 6)
    assert schedule.run_at.tzinfo is UTC
    assert schedule.to_dict()["run_at"] == "2027-06-01T06:00:00+00:00"
    assert schedule.to_dict()["start_time"] == "2027-05-01T00:00:00+00:00"


@pytest.mark.parametrize(
    ("zone", "naive", "expected"),
    [
        ("Europe/Berlin", "2027-06-01T08:00:00", utc(2027, 6, 1, 6)),
        # skipped by the spring jump: the instant of the jump
        ("Europe/Berlin", "2027-03-28T02:30:00", utc(2027, 3, 28, 1)),
        # repeated in autumn: the first pass (CEST)
        ("Europe/Berlin", "2027-10-31T02:30:00", utc(2027, 10, 31, 0, 30)),
        ("Asia/Kolkata", "2027-06-01T08:00:00", utc(2027, 6, 1, 2, 30)),
    ],
)
def test_naive_datetimes_are_read_in_the_schedule_zone(zone, naive, expected):
    assert build("one_off", timezone=zone, run_at=naive).run_at == expected


def test_datetime_objects_are_accepted():
    berlin = ZoneInfo("Europe/Berlin")
    schedule = build(
        "one_off",
        run_at=datetime(2027, 6, 1, 8, tzinfo=berlin),
        end_time=datetime(2027, 7, 1, 0, 0),  # noqa: DTZ001
    )
    assert schedule.run_at == utc(2027, 6, 1, 6)
    assert schedule.end_time == utc(2027, 6, 30, 22)
    offset = build("one_off", run_at=datetime(2027, 6, 1, 8, tzinfo=timezone(timedelta(hours=-3))))
    assert offset.run_at == utc(2027, 6, 1, 11)


def test_time_objects_are_accepted():
    schedule = build("recurring", times=[time(8, 30, 0, 500)])
    assert schedule.times == (time(8, 30),)


def test_from_dict_raises_with_every_problem():
    with pytest.raises(ScheduleError) as caught:
        Schedule.from_dict({"schedule_type": "cron", "name": "", "targets": []})
    assert isinstance(caught.value, ValueError)
    codes = {problem.code for problem in caught.value.problems}
    assert codes == {
        ProblemCode.NAME_EMPTY,
        ProblemCode.EMPTY_TARGETS,
        ProblemCode.MISSING_FIELD,
    }
    assert "name must not be empty" in str(caught.value)
    fields = {problem.field for problem in caught.value.problems}
    assert {"timezone", "action_type", "cron_expression"} <= fields


def test_schedule_error_without_problems_has_a_message():
    assert str(ScheduleError([])) == "invalid schedule"


def test_frozen_and_deeply_immutable():
    schedule = build("cron", action_type="custom", action_params={"service": "a.b", "data": {"x": [1, 2]}})
    with pytest.raises(dataclasses.FrozenInstanceError):
        schedule.name = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        schedule.action_params["service"] = "c.d"  # type: ignore[index]
    with pytest.raises(TypeError):
        schedule.action_params["data"]["x"] = 3  # type: ignore[index]
    assert schedule.action_params["data"]["x"] == (1, 2)
    assert schedule.to_dict()["action_params"]["data"] == {"x": [1, 2]}


def test_replace_updates_the_run_record():
    schedule = build("interval")
    fired = dataclasses.replace(
        schedule, last_run=utc(2027, 2, 1), last_run_status=RunStatus.SUCCESS, next_run=utc(2027, 2, 1, 1)
    )
    assert fired.to_dict()["last_run_status"] == "success"
    assert fired.to_dict()["next_run"] == "2027-02-01T01:00:00+00:00"
    assert Schedule.from_dict(fired.to_dict()) == fired


def test_direct_construction_normalises_and_refuses_naive_datetimes():
    schedule = Schedule(
        id="x",
        name="n",
        schedule_type="static",  # type: ignore[arg-type]
        targets=["a"],  # type: ignore[arg-type]
        timezone="UTC",
        created_at=datetime(2027, 1, 1, 1, tzinfo=ZoneInfo("Europe/Berlin")),
        updated_at=utc(2027, 1, 1),
        preset=Preset.MOONLIGHT,
        preset_params={"times": ["a"]},
        weekdays=["mon"],  # type: ignore[list-item]
    )
    assert schedule.schedule_type is ScheduleType.STATIC
    assert schedule.targets == ("a",)
    assert schedule.created_at == utc(2027, 1, 1)
    assert schedule.weekdays == (Weekday.MON,)
    assert schedule.preset_params["times"] == ("a",)
    with pytest.raises(ValueError, match="created_at must be an aware datetime"):
        Schedule(
            id="x",
            name="n",
            schedule_type=ScheduleType.CRON,
            targets=("a",),
            timezone="UTC",
            created_at=datetime(2027, 1, 1),  # noqa: DTZ001
            updated_at=utc(2027, 1, 1),
        )


def test_freeze_and_thaw():
    value = {"a": [1, {"b": (2, 3)}], "c": "text"}
    frozen = freeze(value)
    assert frozen == {"a": (1, {"b": (2, 3)}), "c": "text"}
    assert thaw(frozen) == {"a": [1, {"b": [2, 3]}], "c": "text"}
