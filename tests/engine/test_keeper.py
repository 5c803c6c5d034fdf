"""Keeper controls driven as a reef keeper would: the Feed and Maintenance buttons, the mode actions, a
restart in a feed pause, and lights dimmed by hand that go back to their schedule - and as a careless or
hostile user would: unknown modes, bad durations, a mode without channels, removed channels, a guest."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.core import Context, Event, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError, Unauthorized
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.storage import Store
from homeassistant.util.json import SerializationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bellas_reef.driver.pca9685 import Pca9685Error
from custom_components.bellas_reef.engine.history import ActionStatus
from custom_components.bellas_reef.scheduling import level_at
from custom_components.bellas_reef.scheduling.keeper import HANDBACK_SECONDS, ModeName

from ..conftest import advance, engine_of, make_board_entry, setup_entry, stored, switch_subentry
from .test_restart import start

T0 = datetime.fromisoformat("2027-06-01T08:00:00+00:00")
PUMP = "sub-return-pump"
BLUE = "sub-blue"
REEF_DAY = {
    "name": "Reef day",
    "schedule_type": "static",
    "preset": "diurnal",
    "timezone": "UTC",
    "targets": ["light.blue"],
    "preset_params": {
        "sunrise": "09:00",
        "sunrise_minutes": 60,
        "peak_level": 80,
        "sunset": "18:00",
        "sunset_minutes": 60,
    },
}
FEED_PAUSE = {
    "name": "Feed pause",
    "schedule_type": "cron",
    "cron_expression": "30 8 * * *",
    "timezone": "UTC",
    "targets": ["switch.return_pump"],
    "action_type": "off",
    "action_params": {"duration": 600},
}


@pytest.fixture
def reef_start() -> datetime:
    return T0


@pytest.fixture
async def reef_on(hass: HomeAssistant, reef: MockConfigEntry) -> MockConfigEntry:
    """The reef with its return pump running (a switch starts off without a stored state)."""
    await hass.services.async_call("switch", "turn_on", {"entity_id": "switch.return_pump"}, blocking=True)
    return reef


async def call(hass: HomeAssistant, service: str, data: dict[str, Any], **kwargs: Any) -> Any:
    return await hass.services.async_call(
        "bellas_reef", service, data, blocking=True, return_response=True, **kwargs
    )


def scheduler_entry(hass: HomeAssistant) -> Any:
    return next(e for e in hass.config_entries.async_entries("bellas_reef") if e.data.get("entry_kind"))


async def set_options(hass: HomeAssistant, step: str, data: dict[str, Any]) -> dict[str, Any]:
    """Go through the Schedules entry's options as a user does: the menu, then one step's form."""
    flow = await hass.config_entries.options.async_init(scheduler_entry(hass).entry_id)
    assert flow["type"] is FlowResultType.MENU
    form = await hass.config_entries.options.async_configure(flow["flow_id"], {"next_step_id": step})
    assert form["type"] is FlowResultType.FORM
    result = await hass.config_entries.options.async_configure(form["flow_id"], data)
    await hass.async_block_till_done()
    return result


def stored_keeper(hass_storage: dict[str, Any], data: dict[str, Any]) -> None:
    """The keeper's store as a previous run of Home Assistant left it."""
    hass_storage["bellas_reef.keeper"] = {
        "version": 1,
        "minor_version": 1,
        "key": "bellas_reef.keeper",
        "data": data,
    }


def feed(**changes: Any) -> dict[str, Any]:
    return {
        "off": [PUMP],
        "on": [],
        "dim": [],
        "dim_level": 30,
        "minutes": 10,
        "hold_schedules": True,
    } | changes


def pump(hass: HomeAssistant) -> str:
    return hass.states.get("switch.return_pump").state


def level(hass: HomeAssistant, channel: str = BLUE) -> float:
    return engine_of(hass).channels[channel].level


def records(hass: HomeAssistant, kind: str | None = None) -> list[Any]:
    found = engine_of(hass).history.query(limit=1000)
    return [r for r in found if kind is None or r.action_type == kind]


async def press(hass: HomeAssistant, button: str, user: User | None = None) -> None:
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": button},
        blocking=True,
        context=Context(user_id=None if user is None else user.id),
    )
    await hass.async_block_till_done()


async def test_feed_pressed_before_a_feed_pause_holds_it(
    hass: HomeAssistant,
    reef_on: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: User,
    hass_storage: dict[str, Any],
) -> None:
    """08:29: Feed. The pump stops, the 08:30 feed pause is held (skipped, the mode named), and at 08:39
    the pump is back on; every start and end is a device action, an event and a logbook line."""
    await call(hass, "create_schedule", FEED_PAUSE)
    assert (await set_options(hass, "feed", feed()))["type"] is FlowResultType.CREATE_ENTRY
    events: list[Event] = []
    hass.bus.async_listen("bellas_reef_action", events.append)
    await advance(hass, freezer, to=T0 + timedelta(minutes=29))
    assert pump(hass) == "on"

    await press(hass, "button.schedules_feed", hass_admin_user)
    assert pump(hass) == "off"
    ends = T0 + timedelta(minutes=39)
    sensor = hass.states.get("sensor.schedules_feed_mode_ends")
    assert datetime.fromisoformat(sensor.state) == ends
    assert sensor.attributes["held"] == ["switch.return_pump"]
    assert sensor.attributes["holds_schedules"] is True
    assert hass.states.get("switch.return_pump").attributes["held_by"] == "feed"
    # on disk before the press returned
    assert hass_storage["bellas_reef.keeper"]["data"]["modes"]["feed"]["ends"] == ends.isoformat()
    started = records(hass, "mode_start")
    assert [(r.target, r.status, r.caused_by) for r in started] == [
        (PUMP, ActionStatus.SUCCESS, f"user:{hass_admin_user.id}")
    ]

    await advance(hass, freezer, to=T0 + timedelta(minutes=30))
    run = next(r for r in records(hass) if r.schedule_id is not None)
    assert run.status is ActionStatus.SKIPPED
    assert "held by the feed mode" in run.error_message
    assert pump(hass) == "off"

    await advance(hass, freezer, to=ends)
    assert pump(hass) == "on"
    assert hass.states.get("sensor.schedules_feed_mode_ends").state == "unknown"
    assert "held_by" not in hass.states.get("switch.return_pump").attributes
    ended = records(hass, "mode_end")
    assert [(r.status, r.caused_by) for r in ended] == [(ActionStatus.SUCCESS, "mode:feed")]
    assert "back to 100 %" in ended[0].result
    kinds = [(e.data["action"], e.data["status"]) for e in events]
    assert ("mode_start", "success") in kinds
    assert ("mode_end", "success") in kinds
    assert ("off", "skipped") in kinds
    await advance(hass, freezer, to=T0 + timedelta(minutes=45))
    assert pump(hass) == "on"  # no revert of a run that did not happen


async def test_feed_that_lets_schedules_run(
    hass: HomeAssistant, reef_on: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_admin_user: User
) -> None:
    """Options say schedules run meanwhile: the 08:30 pause runs; its revert (08:40) comes after the mode
    ended and turns the pump on, not back to the mode's off."""
    await call(hass, "create_schedule", FEED_PAUSE)
    await set_options(hass, "feed", feed(hold_schedules=False))
    await advance(hass, freezer, to=T0 + timedelta(minutes=29))
    await press(hass, "button.schedules_feed", hass_admin_user)
    await advance(hass, freezer, to=T0 + timedelta(minutes=30))
    run = next(r for r in records(hass) if r.schedule_id is not None and r.action_type == "off")
    assert run.status is ActionStatus.SUCCESS
    await advance(hass, freezer, to=T0 + timedelta(minutes=39))
    assert pump(hass) == "on"
    await advance(hass, freezer, to=T0 + timedelta(minutes=40))
    assert pump(hass) == "on"


async def test_pressed_again_the_countdown_starts_over(
    hass: HomeAssistant, reef_on: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_admin_user: User
) -> None:
    await set_options(hass, "feed", feed())
    await press(hass, "button.schedules_feed", hass_admin_user)
    await advance(hass, freezer, 8 * 60)
    await press(hass, "button.schedules_feed", hass_admin_user)
    await advance(hass, freezer, 5 * 60)
    assert pump(hass) == "off"  # 13 minutes after the first press
    assert datetime.fromisoformat(hass.states.get("sensor.schedules_feed_mode_ends").state) == T0 + timedelta(
        minutes=18
    )
    await advance(hass, freezer, 5 * 60)
    assert pump(hass) == "on"
    assert len(records(hass, "mode_start")) == 2
    assert len(records(hass, "mode_end")) == 1


async def test_a_restart_in_a_feed_pause_keeps_the_pumps_off_until_its_end(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    """Home Assistant restarts five minutes into a ten-minute pause: the pump stays off until the stored end."""
    freezer.move_to(T0)
    ends = T0 + timedelta(minutes=5)
    stored_keeper(
        hass_storage,
        {
            "modes": {
                "feed": {
                    "mode": "feed",
                    "started": (T0 - timedelta(minutes=5)).isoformat(),
                    "ends": ends.isoformat(),
                    "levels": {PUMP: 0.0},
                    "before": {PUMP: 100.0},
                }
            }
        },
    )
    await start(hass, board_entry)
    assert pump(hass) == "off"
    assert hass.states.get("switch.return_pump").attributes["held_by"] == "feed"
    await advance(hass, freezer, to=ends - timedelta(seconds=1))
    assert pump(hass) == "off"
    await advance(hass, freezer, to=ends)
    assert pump(hass) == "on"
    assert hass_storage["bellas_reef.keeper"]["data"]["modes"] == {}


async def test_a_mode_that_ended_while_stopped_ends_at_start_up(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    freezer.move_to(T0)
    stored_keeper(
        hass_storage,
        {
            "modes": {
                "feed": {
                    "mode": "feed",
                    "started": (T0 - timedelta(minutes=30)).isoformat(),
                    "ends": (T0 - timedelta(minutes=20)).isoformat(),
                    "levels": {PUMP: 0.0},
                    "before": {PUMP: 100.0},
                },
                "broken": {"mode": "feed", "started": "yesterday"},
            },
            "holds": {"x": {"channel": "x"}},
        },
    )
    await start(hass, board_entry)
    await hass.async_block_till_done()
    assert pump(hass) == "on"
    ended = records(hass, "mode_end")
    assert len(ended) == 1
    assert "while Home Assistant was stopped" in ended[0].result
    assert engine_of(hass).keeper.state.modes == {}


async def test_maintenance_ended_in_a_sunrise_joins_the_ramp_where_it_is(
    hass: HomeAssistant, reef_on: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_admin_user: User
) -> None:
    """Maintenance (until ended) dims Blue and stops the pump; ended at 09:30, in the sunrise, Blue is
    where the sunrise is at 09:30 and goes on rising to the peak at 10:00."""
    created = await call(hass, "create_schedule", REEF_DAY)
    schedule = engine_of(hass).schedules[created["schedule"]["id"]]
    await set_options(hass, "maintenance", feed(dim=[BLUE], dim_level=10, minutes=0))
    await call(hass, "start_mode", {"mode": "maintenance"}, context=Context(user_id=hass_admin_user.id))
    assert hass.states.get("sensor.schedules_maintenance_mode_ends").attributes["until_ended"] is True
    await advance(hass, freezer, to=T0 + timedelta(minutes=20))
    assert level(hass) == pytest.approx(10)
    await advance(hass, freezer, to=T0 + timedelta(hours=1))  # the sunrise's run: held
    assert level(hass) == pytest.approx(10)
    await advance(hass, freezer, to=T0 + timedelta(hours=1, minutes=30))
    assert level(hass) == pytest.approx(10)
    answer = await call(
        hass, "end_mode", {"mode": "maintenance"}, context=Context(user_id=hass_admin_user.id)
    )
    assert answer["modes"]["maintenance"]["active"] is False
    assert level(hass) == pytest.approx(level_at(schedule, T0 + timedelta(hours=1, minutes=30)), abs=0.01)
    assert pump(hass) == "on"
    await advance(hass, freezer, to=T0 + timedelta(hours=1, minutes=45))
    assert level(hass) == pytest.approx(level_at(schedule, T0 + timedelta(hours=1, minutes=45)), abs=0.01)
    await advance(hass, freezer, to=T0 + timedelta(hours=2))
    assert level(hass) == pytest.approx(80)


async def test_dimmed_by_hand_in_the_peak_returns_at_the_next_event(
    hass: HomeAssistant, reef_on: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_admin_user: User
) -> None:
    """12:00, the peak: Blue is dimmed by hand. It stays (a schedule change does not undo it) until 18:00,
    the sunset's start, where it joins the sunset softly from where it is."""
    await call(hass, "create_schedule", REEF_DAY)
    for hours in (1, 2, 4):
        await advance(hass, freezer, to=T0 + timedelta(hours=hours))
    assert level(hass) == pytest.approx(80)
    await hass.services.async_call(
        "light",
        "turn_on",
        {"entity_id": "light.blue", "brightness": 51, "transition": 0},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await hass.async_block_till_done()
    sunset = T0 + timedelta(hours=10)
    attributes = hass.states.get("light.blue").attributes
    assert attributes["held_by"] == "manual"
    assert datetime.fromisoformat(attributes["held_until"]) == sunset
    await call(hass, "create_schedule", {**REEF_DAY, "name": "Second", "enabled": False})
    day = next(s for s in engine_of(hass).schedules.values() if s.name == "Second")
    await call(hass, "enable_schedule", {"schedule_id": day.id})  # level-type rules leave it alone
    await advance(hass, freezer, to=T0 + timedelta(hours=9))
    assert level(hass) == pytest.approx(20)
    await call(hass, "delete_schedule", {"schedule_id": day.id})

    await advance(hass, freezer, to=sunset)
    assert "held_by" not in hass.states.get("light.blue").attributes
    resumed = records(hass, "resume")
    assert [r.target for r in resumed] == [BLUE]
    assert "back to its schedule" in resumed[0].result
    runs = [r for r in records(hass) if r.schedule_id is not None and r.scheduled_time == sunset]
    assert runs
    assert all(r.status is ActionStatus.SKIPPED for r in runs)
    await advance(hass, freezer, to=sunset + timedelta(minutes=30))
    assert 0 < level(hass) < 20  # on its way down from 20, not from the schedule's 80
    await advance(hass, freezer, to=sunset + timedelta(hours=1))
    assert level(hass) == pytest.approx(0)


async def test_dimmed_by_hand_returns_after_the_minutes_of_the_options(
    hass: HomeAssistant, reef_on: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await set_options(hass, "manual", {"manual_hold": "minutes", "manual_hold_minutes": 30})
    await call(hass, "create_schedule", REEF_DAY)
    for hours in (1, 2, 4):
        await advance(hass, freezer, to=T0 + timedelta(hours=hours))
    assert level(hass) == pytest.approx(80)
    await hass.services.async_call(
        "light", "turn_off", {"entity_id": "light.blue", "transition": 0}, blocking=True
    )  # an automation's change: no user
    await advance(hass, freezer, 29 * 60)
    assert level(hass) == 0
    await advance(hass, freezer, 60)
    assert 0 <= level(hass) < 80  # a soft transition
    await advance(hass, freezer, HANDBACK_SECONDS)
    assert level(hass) == pytest.approx(80)


async def test_never_policy_and_resume_schedule(
    hass: HomeAssistant,
    reef_on: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: User,
    plain_user: User,
) -> None:
    await set_options(hass, "manual", {"manual_hold": "never", "manual_hold_minutes": 1})
    await call(hass, "create_schedule", REEF_DAY)
    for hours in (1, 2, 4):
        await advance(hass, freezer, to=T0 + timedelta(hours=hours))
    await call(
        hass,
        "run_action",
        {"targets": ["light.blue"], "action_type": "set_level", "action_params": {"level": 30}},
    )
    assert hass.states.get("light.blue").attributes["held_until"] is None
    await advance(hass, freezer, to=T0 + timedelta(hours=11))  # the whole sunset
    assert level(hass) == pytest.approx(30)
    with pytest.raises(Unauthorized):
        await call(
            hass, "resume_schedule", {"targets": ["light.blue"]}, context=Context(user_id=plain_user.id)
        )
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "resume_schedule", {"targets": ["light.nope"]})
    assert err.value.translation_key == "unknown_target"
    answer = await call(
        hass, "resume_schedule", {"targets": ["light.blue"]}, context=Context(user_id=hass_admin_user.id)
    )
    assert answer["actions"][0]["action_type"] == "resume"
    await advance(hass, freezer, HANDBACK_SECONDS)
    assert level(hass) == pytest.approx(0)  # night, as its schedule says


async def test_a_schedules_own_commands_and_timed_actions_are_not_changes_by_hand(
    hass: HomeAssistant, reef_on: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await call(hass, "create_schedule", REEF_DAY)
    await call(
        hass,
        "create_schedule",
        {
            "name": "Blue via an action",
            "schedule_type": "interval",
            "interval_seconds": 3600,
            "timezone": "UTC",
            "targets": ["light.blue"],
            "action_type": "custom",
            "action_params": {"service": "light.turn_on", "target": {"entity_id": "light.blue"}},
        },
    )
    await advance(hass, freezer, to=T0 + timedelta(hours=2, minutes=30))
    assert engine_of(hass).keeper.state.holds == {}
    # a manual action that comes back by itself (a duration) holds nothing
    await call(
        hass,
        "run_action",
        {
            "targets": ["light.blue"],
            "action_type": "set_level",
            "action_params": {"level": 5, "duration": 60},
        },
    )
    assert engine_of(hass).keeper.state.holds == {}
    # a change to a channel no level schedule drives holds nothing either
    await hass.services.async_call("switch", "turn_off", {"entity_id": "switch.return_pump"}, blocking=True)
    assert engine_of(hass).keeper.state.holds == {}


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"mode": "party"}, "unknown_mode"),
        ({"mode": None}, "unknown_mode"),
        ({"mode": ["feed"]}, "unknown_mode"),
        ({"mode": "x" * 10_000_000}, "unknown_mode"),
        ({"mode": "feed", "duration": -1}, "invalid_mode_minutes"),
        ({"mode": "feed", "duration": 10**12}, "invalid_mode_minutes"),
        ({"mode": "feed", "duration": 2.5}, "invalid_mode_minutes"),
        ({"mode": "feed", "duration": "ten"}, "invalid_mode_minutes"),
        ({"mode": "feed", "duration": True}, "invalid_mode_minutes"),
        ({"mode": "feed", "duration": float("nan")}, "invalid_mode_minutes"),
        ({"mode": "feed", "until": "later"}, "unknown_field"),
        ({"mode": "maintenance"}, "mode_without_channels"),
    ],
)
async def test_bad_mode_calls_are_refused_and_change_nothing(
    hass: HomeAssistant,
    reef_on: MockConfigEntry,
    hass_storage: dict[str, Any],
    data: dict[str, Any],
    key: str,
) -> None:
    await set_options(hass, "feed", feed())
    before = hass_storage.get("bellas_reef.keeper")
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "start_mode", data)
    assert err.value.translation_key == key
    assert len(str(err.value)) < 400  # the message quotes an excerpt
    assert engine_of(hass).keeper.state.modes == {}
    assert hass_storage.get("bellas_reef.keeper") == before
    assert pump(hass) == "on"


async def test_ending_an_idle_mode_and_removed_channels_are_refused(
    hass: HomeAssistant, reef_on: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "end_mode", {"mode": "feed"})
    assert err.value.translation_key == "mode_not_active"
    entry = scheduler_entry(hass)
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "modes": {"feed": feed(off=[PUMP, "sub-gone"])}}
    )
    await hass.async_block_till_done()
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "start_mode", {"mode": "feed"})
    assert err.value.translation_key == "mode_channels_missing"
    assert "sub-gone" in str(err.value)
    assert "bellas_reef.keeper" not in hass_storage
    assert pump(hass) == "on"


async def test_who_may_press_what(
    hass: HomeAssistant, reef_on: MockConfigEntry, freezer: FrozenDateTimeFactory, plain_user: User
) -> None:
    """Feed ends by itself: everyone may press it. Maintenance, and the actions, are for administrators."""
    await set_options(hass, "feed", feed())
    await set_options(hass, "maintenance", feed(minutes=0))
    guest = Context(user_id=plain_user.id)
    with pytest.raises(Unauthorized):
        await call(hass, "start_mode", {"mode": "feed"}, context=guest)
    with pytest.raises(Unauthorized):
        await press(hass, "button.schedules_maintenance", plain_user)
    assert engine_of(hass).keeper.state.modes == {}
    await press(hass, "button.schedules_feed", plain_user)
    assert pump(hass) == "off"
    with pytest.raises(Unauthorized):
        await call(hass, "end_mode", {"mode": "feed"}, context=guest)
    await advance(hass, freezer, 600)
    assert pump(hass) == "on"


async def test_the_mode_options_refuse_what_cannot_work(
    hass: HomeAssistant, reef_on: MockConfigEntry
) -> None:
    await set_options(hass, "history", {"retention_days": 7, "max_records": 500})
    for data, field, error in (
        (feed(off=[]), "base", "mode_without_channels"),
        (feed(on=[PUMP]), "on", "channel_twice"),
    ):
        result = await set_options(hass, "feed", data)
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {field: error}
    with pytest.raises(InvalidData):  # only lights are offered to dim
        await set_options(hass, "feed", feed(dim=[PUMP], off=[]))
    assert "modes" not in scheduler_entry(hass).options
    result = await set_options(hass, "feed", feed(dim=[BLUE], dim_level=5))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    options = scheduler_entry(hass).options
    assert options["retention_days"] == 7  # the other options stay
    assert options["modes"]["feed"]["dim"] == [BLUE]


async def test_a_board_that_comes_back_during_a_mode_takes_its_level(
    hass: HomeAssistant, reef_on: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_admin_user: User
) -> None:
    """The board reloads in a feed pause: the pump stays off; the mode ends while the board is away: the
    pump gets its level back when the board returns."""
    await set_options(hass, "feed", feed())
    await press(hass, "button.schedules_feed", hass_admin_user)
    assert await hass.config_entries.async_reload(reef_on.entry_id)
    await hass.async_block_till_done()
    assert pump(hass) == "off"
    assert await hass.config_entries.async_unload(reef_on.entry_id)
    await advance(hass, freezer, 600)
    assert engine_of(hass).keeper.state.returns == {PUMP: 100.0}
    assert await hass.config_entries.async_setup(reef_on.entry_id)
    await hass.async_block_till_done()
    assert pump(hass) == "on"
    assert engine_of(hass).keeper.state.returns == {}


async def test_the_answer_says_what_is_under_way(
    hass: HomeAssistant, reef_on: MockConfigEntry, hass_admin_user: User
) -> None:
    await set_options(hass, "feed", feed())
    answer = await call(hass, "start_mode", {"mode": "feed", "duration": 15})
    assert answer["modes"]["feed"]["held"] == ["switch.return_pump"]
    assert answer["modes"]["maintenance"] == {
        "active": False,
        "started": None,
        "ends": None,
        "held": [],
        "holds_schedules": None,
        "ready": False,
    }
    assert answer["holds"] == {"switch.return_pump": {"by": "feed", "until": answer["modes"]["feed"]["ends"]}}


async def test_stored_schedules_and_keeper_survive_together(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    """A hold stored by a previous run is kept and ends at its time."""
    freezer.move_to(T0)
    stored(hass_storage, [])
    until = T0 + timedelta(minutes=10)
    stored_keeper(
        hass_storage,
        {"holds": {BLUE: {"channel": BLUE, "since": T0.isoformat(), "until": until.isoformat()}}},
    )
    await start(hass, board_entry)
    assert hass.states.get("light.blue").attributes["held_by"] == "manual"
    await advance(hass, freezer, to=until)
    assert "held_by" not in hass.states.get("light.blue").attributes


async def test_a_press_that_cannot_be_stored_starts_nothing(
    hass: HomeAssistant, reef_on: MockConfigEntry, hass_storage: dict[str, Any], hass_admin_user: User
) -> None:
    """The disk refuses the write: the press fails with a translated error; the pump runs on, nothing held."""
    await set_options(hass, "feed", feed())
    await call(hass, "create_schedule", REEF_DAY)
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": "light.blue", "brightness": 100}, blocking=True
    )
    keeper = engine_of(hass).keeper
    store = keeper.store
    healthy = type(store)

    class DiskFull(Store):
        async def _async_write_data(self, data: dict[str, Any]) -> None:
            raise SerializationError("disk full")

    await hass.async_block_till_done()
    before = (hass_storage.get("bellas_reef.keeper"), keeper.state.to_dict())
    store.__class__ = type("BrokenKeeperStore", (healthy, DiskFull), {})
    await set_options(hass, "feed", feed(off=[PUMP], dim=[BLUE]))
    with pytest.raises(HomeAssistantError) as err:
        await press(hass, "button.schedules_feed", hass_admin_user)
    assert err.value.translation_key == "storage_failed"
    assert (hass_storage.get("bellas_reef.keeper"), keeper.state.to_dict()) == before
    assert pump(hass) == "on"
    assert keeper.state.holds  # the hold of Blue is still there, armed
    assert ir.async_get(hass).async_get_issue("bellas_reef", "storage_failed_bellas_reef.keeper") is not None
    store.__class__ = healthy
    await press(hass, "button.schedules_feed", hass_admin_user)  # the disk takes it again
    assert pump(hass) == "off"
    assert ir.async_get(hass).async_get_issue("bellas_reef", "storage_failed_bellas_reef.keeper") is None


async def test_feed_during_maintenance_and_a_held_revert(
    hass: HomeAssistant, reef_on: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_admin_user: User
) -> None:
    """A pump paused by hand for 5 minutes, then maintenance (until ended), then feed: the revert that falls
    in the modes is held and remembered; feed's end leaves the pump to maintenance; maintenance's end puts it
    on, as the revert would have."""
    await set_options(hass, "feed", feed())
    await set_options(hass, "maintenance", feed(minutes=0, dim=[BLUE], dim_level=50))
    await call(
        hass,
        "run_action",
        {"targets": ["switch.return_pump"], "action_type": "off", "action_params": {"duration": 300}},
    )
    await call(hass, "start_mode", {"mode": "maintenance"})
    await advance(hass, freezer, 60)
    await call(hass, "start_mode", {"mode": "feed"})
    assert hass.states.get("switch.return_pump").attributes["held_by"] == "feed"
    await advance(hass, freezer, 5 * 60)  # the revert falls due: held
    revert = records(hass, "revert")[0]
    assert revert.status is ActionStatus.SKIPPED
    assert "maintenance" in revert.error_message or "feed" in revert.error_message
    await advance(hass, freezer, 5 * 60)  # feed ends: maintenance still holds the pump
    assert pump(hass) == "off"
    assert "held by the maintenance mode" in records(hass, "mode_end")[0].result
    assert hass.states.get("switch.return_pump").attributes["held_by"] == "maintenance"
    resumed = await call(hass, "resume_schedule", {"targets": ["switch.return_pump"]})
    assert "held by the maintenance mode" in resumed["actions"][0]["result"]
    await call(hass, "end_mode", {"mode": "maintenance"})
    assert pump(hass) == "on"  # where the held revert would have put it
    assert level(hass) == 0  # Blue was off before maintenance, and no schedule drives it


async def test_holds_whose_end_passed_while_stopped_end_at_start_up(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    freezer.move_to(T0 + timedelta(hours=4))
    stored(hass_storage, [])
    stored_keeper(
        hass_storage,
        {"holds": {BLUE: {"channel": BLUE, "since": T0.isoformat(), "until": T0.isoformat()}}},
    )
    await start(hass, board_entry)
    await hass.async_block_till_done()
    assert engine_of(hass).keeper.state.holds == {}
    assert [r.target for r in records(hass, "resume")] == [BLUE]


async def test_a_board_that_fails_the_write_fails_the_modes_record(
    hass: HomeAssistant, reef_on: MockConfigEntry, hass_admin_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    await set_options(hass, "feed", feed())
    board = reef_on.runtime_data.board

    async def refuse() -> None:
        raise Pca9685Error("bus error")

    monkeypatch.setattr(board, "async_wait_written", refuse)
    await press(hass, "button.schedules_feed", hass_admin_user)
    (started,) = records(hass, "mode_start")
    assert started.status is ActionStatus.FAILED
    assert "bus error" in started.error_message
    assert engine_of(hass).keeper.state.modes  # the mode holds; the board keeps retrying the write


async def test_a_mode_started_while_the_board_is_away_learns_the_level_when_it_comes(
    hass: HomeAssistant, reef_on: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_admin_user: User
) -> None:
    """Feed pressed while the board is unloaded: no level from before is invented (a pump must not end up
    off); the board comes back (its start-up rule: the pump on), the mode takes it, and its end puts it on."""
    await set_options(hass, "feed", feed())
    assert await hass.config_entries.async_unload(reef_on.entry_id)
    await press(hass, "button.schedules_feed", hass_admin_user)
    (started,) = records(hass, "mode_start")
    assert started.status is ActionStatus.SKIPPED
    assert engine_of(hass).keeper.state.modes[ModeName.FEED].before == {}
    assert await hass.config_entries.async_setup(reef_on.entry_id)
    await hass.async_block_till_done()
    assert pump(hass) == "off"
    assert engine_of(hass).keeper.state.modes[ModeName.FEED].before == {PUMP: 100.0}
    await advance(hass, freezer, 600)
    assert pump(hass) == "on"


async def test_a_ramp_held_by_a_change_by_hand_is_joined_when_the_hold_ends(
    hass: HomeAssistant, reef_on: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_admin_user: User
) -> None:
    """Dimmed by hand in the noon ramp, Blue is held until the 14:00 ramp (its next event); that run is
    skipped, and the hand-back joins it from where the light is: the ramp keeps its say although it never
    ran, and the run is recorded skipped."""
    ramp = await call(
        hass,
        "create_schedule",
        {
            "name": "Ramps",
            "schedule_type": "cron",
            "cron_expression": "0 12,14 * * *",
            "timezone": "UTC",
            "targets": ["light.blue"],
            "action_type": "ramp",
            "action_params": {"end_level": 80, "duration": 1800},
        },
    )
    noon = T0 + timedelta(hours=4)
    await advance(hass, freezer, to=noon)
    await advance(hass, freezer, to=noon + timedelta(minutes=10))
    await hass.services.async_call(
        "light",
        "turn_on",
        {"entity_id": "light.blue", "brightness": 26, "transition": 0},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    two = noon + timedelta(hours=2)
    assert datetime.fromisoformat(hass.states.get("light.blue").attributes["held_until"]) == two
    await advance(hass, freezer, to=two)
    run = next(
        r for r in records(hass) if r.schedule_id == ramp["schedule"]["id"] and r.scheduled_time == two
    )
    assert run.status is ActionStatus.SKIPPED
    assert run.action_params["start_level"] == pytest.approx(26 * 100 / 255, abs=0.01)
    assert engine_of(hass).schedules[run.schedule_id].last_run_status.value == "skipped"
    await advance(hass, freezer, to=two + timedelta(minutes=15))
    assert 20 < level(hass) < 80  # on its way up, joined
    await advance(hass, freezer, to=two + timedelta(minutes=30))
    assert level(hass) == pytest.approx(80)


async def test_a_switch_whose_board_is_away_is_held_on_at_its_on_duty(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hass_admin_user: User
) -> None:
    """A mode that switches a skimmer on while its board is away gives it its configured on duty, not 100 %."""
    freezer.move_to(T0)
    entry = make_board_entry(switch_subentry(5, "Skimmer", on_duty=60.0))
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    await set_options(hass, "maintenance", feed(off=[], on=["sub-skimmer"], minutes=0))
    assert await hass.config_entries.async_unload(entry.entry_id)
    await call(hass, "start_mode", {"mode": "maintenance"})
    assert engine_of(hass).keeper.state.modes[ModeName.MAINTENANCE].levels == {"sub-skimmer": 60.0}
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert engine_of(hass).channels["sub-skimmer"].target_level == 60.0
