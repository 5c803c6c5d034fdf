"""Starter schedules: the checks of the form, and the offer in the channel flow through to running schedules."""

from __future__ import annotations

from datetime import datetime
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_RECONFIGURE, SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from hypothesis import given, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bellas_reef.driver.dimming import DutyMap
from custom_components.bellas_reef.scheduling import validate_schedule
from custom_components.bellas_reef.scheduling.starters import (
    LIGHT_DEFAULTS,
    PUMP_DEFAULTS,
    LightStarters,
    PumpStarters,
    starter_schedules,
)

from .conftest import advance, engine_of, light_subentry, make_board_entry, setup_entry, sim_chip, stored

NOON = datetime.fromisoformat("2027-06-10T12:00:00+00:00")


def light(**changes: Any) -> dict[str, Any]:
    return {**LIGHT_DEFAULTS, "add_starters": True, **changes}


def pump(**changes: Any) -> dict[str, Any]:
    return {**PUMP_DEFAULTS, "add_starters": True, **changes}


# -- the checks (plain Python)
def test_light_defaults_make_a_day_and_moonlight_the_core_accepts() -> None:
    starters, errors = LightStarters.parse(light())
    assert errors == {}
    assert starters is not None
    schedules = starters.schedules("ch", "Blue")
    assert [s["id"] for s in schedules] == ["starter-ch-day", "starter-ch-moonlight"]
    assert [s["name"] for s in schedules] == ["Blue reef day", "Blue moonlight"]
    assert schedules[0]["preset_params"] == {
        "sunrise": "09:00",
        "sunrise_minutes": 120.0,
        "peak_level": 85.0,
        "sunset": "19:00",
        "sunset_minutes": 120.0,
    }
    assert schedules[1]["preset_params"] == {"night_level": 3.0, "start": "21:30", "end": "06:00"}
    for schedule in schedules:
        assert validate_schedule({**schedule, "timezone": "UTC"}) == []


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        (
            {"sunrise": "9 am", "moonlight_end": None},
            {"sunrise": "invalid_time", "moonlight_end": "invalid_time"},
        ),
        ({"sunrise": "10:00:00", "sunset": "11:00:00"}, {"sunset": "day_too_short"}),
        ({"sunset": "23:00:00"}, {"sunset": "sunset_too_late"}),
        ({"moonlight_start": "22:00", "moonlight_end": "22:00"}, {"moonlight_end": "moonlight_empty"}),
        (
            {"moonlight_start": "20:00"},
            {"moonlight_start": "moonlight_overlaps_day"},
        ),  # inside the sunset ramp
        (
            {"moonlight_end": "09:00"},
            {"moonlight_start": "moonlight_overlaps_day"},
        ),  # off as the sunrise starts
        ({"moonlight_end": "10:00"}, {"moonlight_start": "moonlight_overlaps_day"}),  # into the morning
        (
            {"moonlight_start": "12:00", "moonlight_end": "13:00"},
            {"moonlight_start": "moonlight_overlaps_day"},
        ),
    ],
)
def test_light_problems(changes: dict[str, Any], errors: dict[str, str]) -> None:
    starters, found = LightStarters.parse(light(**changes))
    assert found == errors
    if "invalid_time" in errors.values():
        assert starters is None


@pytest.mark.parametrize(
    "changes",
    [
        {
            "moonlight_start": "21:00",
            "moonlight_end": "08:59",
        },  # from the end of the sunset to just before sunrise
        {
            "moonlight_level": 0,
            "moonlight_start": "12:00",
            "moonlight_end": "12:00",
        },  # no moonlight: not checked
        {"sunset": "22:00", "ramp_minutes": 120, "moonlight_start": "00:00", "moonlight_end": "05:00"},
        {
            "sunrise": "00:00",
            "sunset": "12:00",
            "ramp_minutes": 0,
            "moonlight_start": "18:00",
            "moonlight_end": "23:00",
        },
    ],
)
def test_light_accepted_edges(changes: dict[str, Any]) -> None:
    starters, errors = LightStarters.parse(light(**changes))
    assert errors == {}
    assert starters is not None
    expected = 1 if changes.get("moonlight_level") == 0 else 2
    assert len(starters.schedules("ch", "Blue")) == expected


@given(
    sunrise=st.integers(0, 1439),
    sunset=st.integers(0, 1439),
    ramp=st.integers(0, 720),
    start=st.integers(0, 1439),
    end=st.integers(0, 1439),
)
def test_light_starters_that_pass_the_form_pass_the_core(
    sunrise: int, sunset: int, ramp: int, start: int, end: int
) -> None:
    def hhmm(minutes: int) -> str:
        return f"{minutes // 60:02d}:{minutes % 60:02d}"

    data = light(
        sunrise=hhmm(sunrise),
        sunset=hhmm(sunset),
        ramp_minutes=ramp,
        moonlight_start=hhmm(start),
        moonlight_end=hhmm(end),
    )
    starters, errors = LightStarters.parse(data)
    assert starters is not None
    if errors:
        return
    for schedule in starters.schedules("ch", "Blue"):
        assert validate_schedule({**schedule, "timezone": "UTC"}) == []
    # moonlight never touches the day: it is over before sunrise and starts after the sunset ramp
    night = {(sunset + ramp + m) % 1440 for m in range((sunrise - sunset - ramp) % 1440 or 1440)}
    assert all((start + m) % 1440 in night for m in range((end - start) % 1440))
    assert end != sunrise


@pytest.mark.parametrize(
    ("changes", "points"),
    [
        ({}, [("09:00:00", 0), ("11:00:00", 85), ("19:00:00", 85), ("21:00:00", 0)]),
        # a sunset that ends at midnight is the 00:00 point; a day without a plateau has one peak
        (
            {"sunset": "22:00", "ramp_minutes": 120, "moonlight_start": "00:30", "moonlight_end": "05:00"},
            [("00:00:00", 0), ("09:00:00", 0), ("11:00:00", 85), ("22:00:00", 85)],
        ),
        (
            {"sunrise": "06:00", "sunset": "08:00", "ramp_minutes": 120, "moonlight_end": "05:00"},
            [("06:00:00", 0), ("08:00:00", 85), ("10:00:00", 0)],
        ),
    ],
)
def test_a_smooth_day_is_a_profile_through_the_same_times(
    changes: dict[str, Any], points: list[tuple[str, float]]
) -> None:
    starters, errors = LightStarters.parse(light(day_curve="smooth", follow_moon=True, **changes))
    assert errors == {}
    assert starters is not None
    day, moon = starters.schedules("ch", "Blue")
    assert day["preset"] == "profile"
    assert [(p["time"], p["level"]) for p in day["preset_params"]["points"]] == points
    assert day["preset_params"]["interpolation"] == "smooth"
    assert moon["preset_params"]["follow_moon"] is True
    for schedule in (day, moon):
        assert validate_schedule({**schedule, "timezone": "UTC"}) == []
    assert LightStarters.parse(light(day_curve="smooth", ramp_minutes=0))[1] == {
        "ramp_minutes": "smooth_needs_ramp"
    }
    assert LightStarters.parse(light(day_curve="wavy"))[1] == {"day_curve": "invalid_day_curve"}
    assert starter_schedules("light", starters.to_data(), "ch", "Blue") == starters.schedules("ch", "Blue")


@pytest.mark.parametrize(
    ("text", "errors"),
    [
        ("08:30, 18:30", {}),
        ("18:30;08:30", {}),
        ("", {"feed_times": "invalid_feed_times"}),
        ("08:30, noon", {"feed_times": "invalid_feed_times"}),
        ("08:30, 08:35", {"feed_times": "feed_pauses_overlap"}),
        ("08:30, 08:30", {"feed_times": "feed_pauses_overlap"}),
        ("23:55, 00:02", {"feed_times": "feed_pauses_overlap"}),  # across midnight
    ],
)
def test_pump_problems(text: str, errors: dict[str, str]) -> None:
    starters, found = PumpStarters.parse(pump(feed_times=text))
    assert found == errors
    if not errors:
        assert starters is not None
        (schedule,) = starters.schedules("ch", "Return pump")
        assert schedule["preset_params"] == {"times": ["08:30", "18:30"], "minutes": 10.0}
        assert validate_schedule({**schedule, "timezone": "UTC"}) == []


def test_kept_data_round_trips_and_bad_data_is_refused() -> None:
    starters, _ = LightStarters.parse(light(sunrise="08:15:30"))
    assert starters is not None
    assert starter_schedules("light", starters.to_data(), "ch", "Blue") == starters.schedules("ch", "Blue")
    feed, _ = PumpStarters.parse(pump())
    assert feed is not None
    assert starter_schedules("switch", feed.to_data(), "ch", "Pump") == feed.schedules("ch", "Pump")
    with pytest.raises(ValueError, match="mapping"):
        starter_schedules("light", ["09:00"], "ch", "Blue")
    with pytest.raises(ValueError, match="sunset: invalid_time"):
        starter_schedules("light", {"sunrise": "09:00"}, "ch", "Blue")
    times_only = {"sunrise": "09:00", "sunset": "19:00", "moonlight_start": "21:00", "moonlight_end": "06:00"}
    with pytest.raises(ValueError, match="incomplete starter data"):
        starter_schedules("light", times_only, "ch", "Blue")
    with pytest.raises(ValueError, match="sunset: day_too_short"):
        starter_schedules("light", light(sunset="09:30"), "ch", "Blue")


# -- in Home Assistant, through the channel flow
@pytest.fixture
async def empty_board(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> MockConfigEntry:
    """A simulated board with no channels yet, at noon UTC."""
    await hass.config.async_set_time_zone("UTC")
    freezer.move_to(NOON)
    entry = make_board_entry()
    entry.add_to_hass(hass)
    await setup_entry(hass, entry)
    return entry


async def add_channel(
    hass: HomeAssistant, entry: MockConfigEntry, base: dict[str, Any], *steps: dict[str, Any]
) -> dict[str, Any]:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "channel"), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(result["flow_id"], base)
    for step in steps:
        result = await hass.config_entries.subentries.async_configure(result["flow_id"], step)
    await hass.async_block_till_done()
    return result


LIGHT_OPTIONS = {"min_duty": 0, "max_duty": 100, "curve": "perceptual", "transition": 0}
PUMP_OPTIONS = {"on_duty": 100, "startup": "on"}


def subentry_named(entry: MockConfigEntry, title: str) -> Any:
    return next(sub for sub in entry.subentries.values() if sub.title == title)


async def test_first_light_gets_a_reef_day_and_moonlight(
    hass: HomeAssistant, empty_board: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    result = await add_channel(
        hass, empty_board, {"name": "Blue", "channel": "0", "kind": "light", "invert": False}, LIGHT_OPTIONS
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "light_starters"
    assert result["description_placeholders"] == {"name": "Blue"}
    suggested = {str(key): key.description["suggested_value"] for key in result["data_schema"].schema}
    assert suggested == LIGHT_DEFAULTS
    flow_id = result["flow_id"]
    configure = hass.config_entries.subentries.async_configure
    result = await configure(flow_id, light(moonlight_end="10:00:00"))
    assert result["errors"] == {"moonlight_start": "moonlight_overlaps_day"}
    result = await configure(flow_id, light(sunrise="08:00:00", peak_level=70, moonlight_level=5))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()

    blue = subentry_named(empty_board, "Blue")
    assert "starters" not in blue.data  # made, and the request dropped (without a second reload)
    engine = engine_of(hass)
    day = engine.schedules[f"starter-{blue.subentry_id}-day"]
    moon = engine.schedules[f"starter-{blue.subentry_id}-moonlight"]
    assert day.enabled
    assert moon.enabled
    assert day.name == "Blue reef day"
    assert day.targets == (blue.subentry_id,)
    assert str(day.timezone) == "UTC"
    # made enabled: at noon the light is at the day's peak at once, and the sunset runs on time
    chip = sim_chip(hass)
    assert chip.duty(0) == DutyMap().duty(70)
    assert hass.states.get("switch.schedules_blue_reef_day").state == "on"
    await advance(hass, freezer, to=datetime.fromisoformat("2027-06-10T19:00:00+00:00"))
    for _ in range(12):  # the two-hour sunset, ten minutes at a time
        await advance(hass, freezer, 600)
    assert chip.duty(0) == 0  # the sunset ramp reached dark at 21:00
    await advance(hass, freezer, to=datetime.fromisoformat("2027-06-10T21:30:00+00:00"))
    assert chip.duty(0) == DutyMap().duty(5)  # moonlight

    # the second light is not offered starters
    result = await add_channel(
        hass, empty_board, {"name": "White", "channel": "1", "kind": "light", "invert": False}, LIGHT_OPTIONS
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert len(engine.schedules) == 2


async def test_first_pump_gets_feeding_pauses(
    hass: HomeAssistant, empty_board: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    base = {"name": "Return pump", "channel": "4", "kind": "switch", "invert": False}
    result = await add_channel(hass, empty_board, base, PUMP_OPTIONS)
    assert result["step_id"] == "switch_starters"
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], pump(feed_times="12:30, 12:35")
    )
    assert result["errors"] == {"feed_times": "feed_pauses_overlap"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], pump(feed_times="12:30", pause_minutes=15)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    pump_id = subentry_named(empty_board, "Return pump").subentry_id
    feed = engine_of(hass).schedules[f"starter-{pump_id}-feed"]
    assert feed.name == "Return pump feeding pauses"
    chip = sim_chip(hass)
    assert chip.duty(4) == 4096
    await advance(hass, freezer, to=datetime.fromisoformat("2027-06-10T12:30:00+00:00"))
    assert chip.duty(4) == 0
    assert hass.states.get("switch.return_pump").state == "off"
    await advance(hass, freezer, to=datetime.fromisoformat("2027-06-10T12:45:00+00:00"))
    assert chip.duty(4) == 4096

    # the second on/off output (a heater) is not offered a feeding pause
    result = await add_channel(
        hass, empty_board, {"name": "Heater", "channel": "5", "kind": "switch", "invert": False}, PUMP_OPTIONS
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert list(engine_of(hass).schedules) == [f"starter-{pump_id}-feed"]


async def test_declined_starters_make_nothing(hass: HomeAssistant, empty_board: MockConfigEntry) -> None:
    result = await add_channel(
        hass,
        empty_board,
        {"name": "Blue", "channel": "0", "kind": "light", "invert": False},
        LIGHT_OPTIONS,
        # the other fields are not checked when the box is off
        {**LIGHT_DEFAULTS, "add_starters": False, "sunset": "23:30:00"},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    blue = subentry_named(empty_board, "Blue")
    assert dict(blue.data) == {
        "channel": 0,
        "kind": "light",
        "invert": False,
        "min_duty": 0.0,
        "max_duty": 100.0,
        "curve": "perceptual",
        "transition": 0.0,
    }
    assert engine_of(hass).schedules == {}
    assert sim_chip(hass).duty(0) == 0


async def test_requested_starters_are_made_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A set-up interrupted after making some starters makes the rest; a request edited by hand is refused."""
    freezer.move_to(NOON)
    await hass.config.async_set_time_zone("UTC")
    starters, _ = LightStarters.parse(light())
    assert starters is not None
    made_before = {**starters.schedules("sub-blue", "Blue")[0], "timezone": "UTC"}
    stored(hass_storage, [made_before])
    entry = make_board_entry(
        light_subentry(0, "Blue", starters=starters.to_data()),
        light_subentry(1, "White", starters={"sunrise": "09:00", "sunset": "19:00"}),
        light_subentry(2, "Green", starters={**starters.to_data(), "peak_level": 500, "moonlight_level": 0}),
    )
    entry.add_to_hass(hass)
    with caplog.at_level(logging.ERROR):
        await setup_entry(hass, entry)
    assert sorted(engine_of(hass).schedules) == ["starter-sub-blue-day", "starter-sub-blue-moonlight"]
    assert "The starter schedules of White were not made: moonlight_start: invalid_time" in caplog.text
    assert "The starter schedule Green reef day was not made: preset_params.peak_level" in caplog.text
    assert all("starters" not in sub.data for sub in entry.subentries.values())


async def test_reconfiguring_before_the_board_made_them_keeps_the_request(hass: HomeAssistant) -> None:
    """The board was offline when the channel was added: a change to the channel keeps the starters asked for."""
    starters, _ = LightStarters.parse(light())
    assert starters is not None
    entry = make_board_entry(light_subentry(0, "Blue", starters=starters.to_data()))
    entry.add_to_hass(hass)  # not set up: the request waits in the channel's data
    configure = hass.config_entries.subentries.async_configure
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "channel"), context={"source": SOURCE_RECONFIGURE, "subentry_id": "sub-blue"}
    )
    result = await configure(
        result["flow_id"], {"name": "Royal blue", "channel": "0", "kind": "light", "invert": False}
    )
    result = await configure(result["flow_id"], LIGHT_OPTIONS)
    assert result["reason"] == "reconfigure_successful"
    assert entry.subentries["sub-blue"].data["starters"] == starters.to_data()
    # changed into a switch, a light's starters no longer fit: dropped
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "channel"), context={"source": SOURCE_RECONFIGURE, "subentry_id": "sub-blue"}
    )
    result = await configure(
        result["flow_id"], {"name": "Pump", "channel": "0", "kind": "switch", "invert": False}
    )
    result = await configure(result["flow_id"], PUMP_OPTIONS)
    assert "starters" not in entry.subentries["sub-blue"].data
