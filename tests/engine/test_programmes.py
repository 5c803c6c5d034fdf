"""Light programmes in Home Assistant, driven as a user would: made with the action, time moves on, the board
holds at every moment the duty of the level the HA-free core says; a restart in a segment and in a cloud."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bellas_reef.scheduling import Schedule, level_at
from custom_components.bellas_reef.scheduling.programme import clear_cache, cloud_times

from ..conftest import advance, engine_of, sim_chip, stored
from .test_restart import start

T0 = datetime.fromisoformat("2027-06-01T03:00:00+00:00")  # 05:00 in Berlin
CHANNELS = {"sub-blue": 0, "sub-white": 1}
POINTS = [
    {"time": "07:00", "level": 0},
    {"time": "09:30", "level": 70},
    {"time": "13:00", "level": 85},
    {"time": "18:00", "level": 60},
    {"time": "20:30", "level": 3, "night": True},
    {"time": "23:00", "level": 0},
]
CLOUDS = {"start": "11:00", "end": "15:00", "per_hour": 3, "depth": 50, "min_minutes": 1, "max_minutes": 4}


@pytest.fixture
def reef_start() -> datetime:
    return T0


async def call(hass: HomeAssistant, service: str, data: dict[str, Any], **kwargs: Any) -> Any:
    return await hass.services.async_call(
        "bellas_reef", service, data, blocking=True, return_response=True, **kwargs
    )


def profile_input(**params: Any) -> dict[str, Any]:
    return {
        "name": "Fixture",
        "schedule_type": "static",
        "preset": "profile",
        "timezone": "Europe/Berlin",
        "targets": ["light.white", "light.blue"],
        "preset_params": {"points": POINTS, "interpolation": "smooth", **params},
    }


def assert_board_follows(hass: HomeAssistant, schedule: Schedule) -> None:
    """Every channel holds the duty of the level the core gives it now (within one count of rounding)."""
    engine = engine_of(hass)
    chip = sim_chip(hass)
    now = datetime.now().astimezone()
    for channel_id, number in CHANNELS.items():
        expected = engine.channels[channel_id].map.duty(level_at(schedule, now, target=channel_id) or 0.0)
        assert abs(chip.duty(number) - expected) <= 1, (channel_id, now, chip.duty(number), expected)


async def test_a_profile_made_with_the_action_drives_the_board_all_day(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    answer = await call(
        hass,
        "create_schedule",
        profile_input(offsets=[{"target": "light.blue", "shift_minutes": -30, "scale": 90}], clouds=CLOUDS),
    )
    made = answer["schedule"]
    assert made["preset_params"]["offsets"] == [
        {"target": "light.blue", "shift_minutes": -30.0, "scale": 90.0}
    ]
    schedule = engine_of(hass).schedules[made["id"]]
    assert schedule.preset_params["offsets"][0]["target"] == "sub-blue"  # stored as the channel
    seen: dict[int, set[int]] = {0: set(), 1: set()}
    end = T0 + timedelta(hours=21)
    while datetime.now().astimezone() < end:
        await advance(hass, freezer, 173)
        assert_board_follows(hass, schedule)
        for number, duties in seen.items():
            duties.add(sim_chip(hass).duty(number))
    assert len(seen[0]) > 200  # a smooth day walks through many duties, not a handful of steps
    # blue runs half an hour ahead of white, so at 07:45 Berlin it is further up its sunrise
    freezer.move_to(datetime.fromisoformat("2027-06-02T05:45:00+00:00"))
    await advance(hass, freezer, 0)
    assert sim_chip(hass).duty(0) > sim_chip(hass).duty(1) > 0
    records = engine_of(hass).history.query(schedule_id=schedule.id, limit=10_000)
    assert {r.target for r in records} == {"sub-blue", "sub-white"}
    assert all(r.status.value == "success" for r in records)
    statuses = await call(hass, "get_schedules", {"schedule_id": schedule.id})
    assert statuses["schedules"][0]["last_run_status"] == "success"


async def test_restarts_in_the_middle_of_a_segment_and_of_a_cloud(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    data = {
        "id": "fixture",
        "name": "Fixture",
        "schedule_type": "static",
        "preset": "profile",
        "timezone": "Europe/Berlin",
        "targets": ["sub-white", "sub-blue"],
        "preset_params": {"points": POINTS, "interpolation": "smooth", "clouds": CLOUDS},
        "created_at": "2027-05-01T00:00:00+00:00",
    }
    schedule = Schedule.from_dict(data)
    begin, held, release, end = cloud_times(schedule, date(2027, 6, 1))[4]
    inside = held + (release - held) / 2
    freezer.move_to(inside)
    clear_cache()
    stored(hass_storage, [schedule.to_dict()])
    await start(hass, board_entry)
    assert_board_follows(hass, schedule)  # in the cloud at once, not at the clear-sky level
    expected = engine_of(hass).channels["sub-white"].map.duty(level_at(schedule, inside) or 0)
    assert sim_chip(hass).duty(1) == expected
    assert level_at(schedule, inside) < level_at(schedule, begin)
    while datetime.now().astimezone() < end + timedelta(minutes=2):
        await advance(hass, freezer, 11)
        assert_board_follows(hass, schedule)


async def test_a_restart_in_a_smooth_segment_resumes_the_same_curve(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    data = {
        "id": "fixture",
        "name": "Fixture",
        "schedule_type": "static",
        "preset": "profile",
        "timezone": "Europe/Berlin",
        "targets": ["sub-white", "sub-blue"],
        "preset_params": {"points": POINTS, "interpolation": "smooth"},
        "created_at": "2027-05-01T00:00:00+00:00",
    }
    schedule = Schedule.from_dict(data)
    freezer.move_to(datetime.fromisoformat("2027-06-01T05:40:00+00:00"))  # 07:40, early in the sunrise
    stored(hass_storage, [schedule.to_dict()])
    await start(hass, board_entry)
    ramp = engine_of(hass).channels["sub-white"]
    assert ramp.in_transition
    for _ in range(40):
        await advance(hass, freezer, 97)
        assert_board_follows(hass, schedule)


async def test_acclimation_made_with_the_action(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    made = (
        await call(
            hass,
            "create_schedule",
            {
                **profile_input(),
                "targets": ["light.white"],
                "preset_params": {"points": [{"time": "08:00", "level": 80}, {"time": "20:00", "level": 80}]},
                "acclimation": {"start_percent": 25, "days": 3},
            },
        )
    )["schedule"]
    assert made["acclimation"] == {"start_percent": 25.0, "days": 3, "start_date": "2027-06-01"}
    assert made["acclimation_factor"] == pytest.approx(0.25)
    white = engine_of(hass).channels["sub-white"]
    assert white.target_level == pytest.approx(20)  # level-now at once: 80 % of a quarter
    sensor = next(
        state
        for state in hass.states.async_all("sensor")
        if state.attributes.get("schedule_id") == made["id"]
    )
    assert sensor.attributes["acclimation_factor"] == 0.25
    levels = []
    for day in (2, 3, 4, 5):
        await advance(hass, freezer, to=datetime.fromisoformat(f"2027-06-0{day}T10:00:00+00:00"))
        levels.append(round(white.target_level, 3))
    assert levels == [40, 60, 80, 80]
    changed = await call(hass, "update_schedule", {"schedule_id": made["id"], "acclimation": None})
    assert changed["schedule"]["acclimation"] is None
    assert changed["schedule"]["acclimation_factor"] is None


async def test_a_preview_draws_each_targets_curve(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    answer = await call(
        hass,
        "preview",
        {"schedule": profile_input(offsets=[{"target": "light.blue", "scale": 50}]), "date": "2027-06-01"},
    )
    curves = {curve["target"]: curve["points"] for curve in answer["curves"]}
    assert set(curves) == {"light.white", "light.blue"}
    peak_white = max(point["level"] for point in curves["light.white"])
    peak_blue = max(point["level"] for point in curves["light.blue"])
    assert peak_white == pytest.approx(85)
    assert peak_blue == pytest.approx(42.5)
    assert answer["curve"] == curves["light.white"]
    assert len(curves["light.white"]) > 40  # smooth segments are drawn as curves
    assert answer["schedule"]["preset_params"]["offsets"][0]["target"] == "light.blue"


@pytest.mark.parametrize(
    ("params", "acclimation", "message"),
    [
        ({"offsets": [{"target": "light.nowhere"}]}, None, "offsets[0].target names a channel that is not"),
        (
            {"offsets": [{"target": "switch.return_pump"}]},
            None,
            "offsets[0].target names a channel that is not",
        ),
        ({"points": [{"time": "09:00", "level": 10}, {"time": "08:00", "level": 0}]}, None, "comes before"),
        ({"points": [{"time": "08:00", "level": 1}] * 3_000_000}, None, "has more than 48 items"),
        ({"clouds": {**CLOUDS, "end": "10:00"}}, None, "clouds must start before they end"),
        ({}, {"start_percent": 40, "days": 0}, "acclimation.days must be within 1..365"),
        ({}, {"start_percent": 40, "days": 5, "start_date": "x" * 10_000_000}, "is not a date"),
    ],
)
async def test_a_bad_programme_is_refused_and_changes_nothing(
    hass: HomeAssistant,
    reef: MockConfigEntry,
    hass_storage: dict,
    params: Any,
    acclimation: Any,
    message: str,
) -> None:
    engine = engine_of(hass)
    before = dict(engine.schedules)
    data = profile_input(**params)
    if acclimation is not None:
        data["acclimation"] = acclimation
    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "create_schedule", data)
    assert message in str(raised.value)
    assert len(str(raised.value)) < 3000
    assert engine.schedules == before
    assert (
        "bellas_reef.schedules" not in hass_storage
        or not hass_storage["bellas_reef.schedules"]["data"]["schedules"]
    )


async def test_a_guest_may_preview_but_not_make_a_profile(
    hass: HomeAssistant, reef: MockConfigEntry, plain_user: Any
) -> None:
    guest = Context(user_id=plain_user.id)
    assert (await call(hass, "preview", {"schedule": profile_input()}, context=guest))["curves"]
    with pytest.raises(Exception, match=r"dmin|uthoriz"):
        await call(hass, "create_schedule", profile_input(), context=guest)
    assert engine_of(hass).schedules == {}


async def test_run_now_gives_every_target_its_piece_in_force(
    hass: HomeAssistant, reef: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Blue runs 30 minutes ahead of White: run now, just after Blue's last change of course (before White's),
    commands both targets, each with the piece in force for it, and the board follows the curve."""
    made = (
        await call(
            hass, "create_schedule", profile_input(offsets=[{"target": "light.blue", "shift_minutes": -30}])
        )
    )["schedule"]
    schedule = engine_of(hass).schedules[made["id"]]
    # 12:40 Berlin: Blue's course changed at 12:30 (13:00 - 30 min), White's last at 09:30
    await advance(hass, freezer, to=datetime.fromisoformat("2027-06-01T10:40:00+00:00"))
    ran = (await call(hass, "run_schedule", {"schedule_id": schedule.id}))["actions"]
    assert sorted(action["target"] for action in ran) == ["sub-blue", "sub-white"]
    assert all(action["status"] == "success" for action in ran)
    assert_board_follows(hass, schedule)
