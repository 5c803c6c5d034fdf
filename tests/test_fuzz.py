"""Thousands of hostile payloads at every action and every websocket command of Bella's Reef.

Whatever comes in - extreme dates, huge numbers, wrong types, long strings, long lists, unknown keys - the
only answers are a success or a translated refusal; nothing logs a traceback; and a refused call changes
neither memory nor storage. Fields are every field each action and command takes (read from services.yaml
and the websocket command table, so that a new field is fuzzed too), with real and bogus values mixed.
"""

from __future__ import annotations

from datetime import datetime
import json
import logging
from pathlib import Path
from typing import Any
import warnings

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from hypothesis import strategies as st
from hypothesis.errors import NonInteractiveExampleWarning
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator
import yaml

from custom_components.bellas_reef.scheduling.const import ALL_TYPE_FIELDS, COMMON_FIELDS
from custom_components.bellas_reef.websocket_api import COMMANDS

from .conftest import engine_of

INTEGRATION = Path(__file__).parents[1] / "custom_components" / "bellas_reef"
SERVICES = {
    name: sorted((spec or {}).get("fields") or {})
    for name, spec in yaml.safe_load((INTEGRATION / "services.yaml").read_text()).items()
}
TRANSLATED = set(json.loads((INTEGRATION / "translations" / "en.json").read_text())["exceptions"])
SCHEDULE_FIELDS = [*sorted(COMMON_FIELDS | ALL_TYPE_FIELDS), "bogus"]

EDGES: list[Any] = [
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00",
    "2027-02-30T00:00:00",
    "2027-01-01T25:00:00",
    "2027-01-01T00:00:00+25:00",
    "2027-06-01T08:00:00+02:00",
    "2027-06-01",
    "9999-12-31",
    "0001-01-01",
    10**12,
    10**30,
    2**64,
    -(2**64),
    1e308,
    -1e308,
    float("inf"),
    float("nan"),
    -1,
    0,
    True,
    "",
    " ",
    [],
    None,
]
# Large values are built when drawn (a strategy holding them would carry them in its repr)
LARGE = st.one_of(
    st.builds(lambda: "x" * 300),
    st.builds(lambda: "y" * 100_000),
    st.builds(lambda: ["light.blue"] * 5_000),
    st.builds(lambda: [{"a": 1}] * 50),
    st.builds(lambda: {"k": "v" * 30_000}),
    st.builds(lambda: {str(n): n for n in range(200)}),
)
WORDS = [
    "cron",
    "interval",
    "one_off",
    "recurring",
    "static",
    "on",
    "off",
    "toggle",
    "ramp",
    "set_pwm",
    "set_level",
    "custom",
    "diurnal",
    "moonlight",
    "feed_pause",
    "maintenance",
    "weekly",
    "monthly",
    "daily",
    "mon",
    "25:00",
    "08:00",
    "UTC",
    "Europe/Berlin",
    "Mars/Olympus",
    "../../etc/passwd",
    "0 6 * * *",
    "@daily",
    "light.blue",
    "light.white",
    "switch.return_pump",
    "switch.schedules_anchor",
    "light.kitchen",
    "bellas_reef.run_schedule",
    "light.turn_on",
    "anchor",
    "success",
    "failed",
    "pending",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(WORDS),
    st.sampled_from(EDGES),
    LARGE,
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from([*SCHEDULE_FIELDS, "x"]), inner, max_size=6)
    ),
    max_leaves=10,
)
EXAMPLES = 900


def draw(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        return [strategy.example() for _ in range(count)]


def payload(fields: list[str], anchor: str) -> st.SearchStrategy[dict[str, Any]]:
    """Any subset of the fields (and a bogus one), with hostile values; ids are often the anchor's."""
    keys = st.sampled_from([*fields, "bogus"]) if fields else st.just("bogus")
    value = st.one_of(values, st.just(anchor)) if fields else values
    return st.dictionaries(keys, value, max_size=max(3, len(fields)))


def snapshot(hass: HomeAssistant, hass_storage: dict[str, Any]) -> tuple[Any, ...]:
    engine = engine_of(hass)
    return (
        {key: schedule.to_dict() for key, schedule in engine.schedules.items()},
        {record.id: record.to_dict() for record in engine.history.query(limit=None)},
        json.dumps(hass_storage.get("bellas_reef.schedules"), sort_keys=True, default=str),
        json.dumps(hass_storage.get("bellas_reef.actions"), sort_keys=True, default=str),
    )


@pytest.fixture
def reef_start() -> datetime:
    return datetime.fromisoformat("2026-06-01T00:00:00+00:00")


ANCHOR = {
    "name": "Anchor",
    "schedule_type": "interval",
    "interval_seconds": 86_400,
    "timezone": "UTC",
    "targets": ["light.blue"],
    "action_type": "on",
}


async def _anchor(hass: HomeAssistant) -> str:
    engine = engine_of(hass)
    for schedule in engine.schedules.values():
        if schedule.name == "Anchor":
            return schedule.id
    answer = await hass.services.async_call(
        "bellas_reef", "create_schedule", ANCHOR, blocking=True, return_response=True
    )
    return str(answer["schedule"]["id"])  # type: ignore[index]


async def _call(hass: HomeAssistant, service: str, data: dict[str, Any]) -> ServiceValidationError | None:
    """Call an action; its refusal, or None when it succeeded (anything else raised fails the test)."""
    try:
        await hass.services.async_call("bellas_reef", service, data, blocking=True, return_response=True)
    except ServiceValidationError as err:
        return err
    return None


def json_safe(value: Any) -> Any:
    """What a client can send as JSON: NaN and infinities become huge numbers (JSON has neither)."""
    if isinstance(value, float) and value != value:  # noqa: PLR0124 - NaN
        return 1e308
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return 1e308 if value > 0 else -1e308
    if isinstance(value, dict):
        return {key: json_safe(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [json_safe(inner) for inner in value]
    return value


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    broken = [
        r for r in caplog.records if r.exc_info or (r.levelno >= logging.ERROR and "bellas_reef" in r.name)
    ]
    assert not broken, [r.getMessage()[:300] for r in broken]


async def test_every_action_with_hostile_payloads(
    hass: HomeAssistant, reef: MockConfigEntry, hass_storage: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    anchor = await _anchor(hass)
    accepted = refusals = 0
    names = sorted(SERVICES)
    for index, drawn in enumerate(draw(payload(SCHEDULE_FIELDS, anchor), EXAMPLES)):
        service = names[index % len(names)]
        fields = SERVICES[service]
        data = dict(drawn)
        if service not in ("create_schedule", "update_schedule"):  # their own fields, not a schedule's
            data = {key: value for key, value in data.items() if key in fields or key == "bogus"}
            data.update(draw(payload(fields, anchor), 1)[0])
        if service == "update_schedule" and index % 3:
            data["schedule_id"] = anchor
        before = snapshot(hass, hass_storage)
        refusal = await _call(hass, service, data)
        if refusal is None:
            accepted += 1
        else:
            assert refusal.translation_domain == "bellas_reef", (service, data)
            assert refusal.translation_key in TRANSLATED, (service, refusal.translation_key)
            assert len(str(refusal)) < 2500
            assert snapshot(hass, hass_storage) == before, (service, data)
            refusals += 1
        await hass.async_block_till_done()
        anchor = await _anchor(hass)
    assert refusals > accepted > 0  # the generator makes mostly nonsense: refusals are what is under test
    no_tracebacks(caplog)


async def test_every_websocket_command_with_hostile_payloads(
    hass: HomeAssistant,
    reef: MockConfigEntry,
    hass_storage: dict[str, Any],
    hass_ws_client: WebSocketGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    anchor = await _anchor(hass)
    client = await hass_ws_client(hass)
    codes = TRANSLATED | {"invalid_format"}  # invalid_format: the command's own schema refused it
    commands = [(command.name, [str(key) for key in command.schema]) for command in COMMANDS]
    accepted = refusals = 0
    for index in range(EXAMPLES // 2):
        name, fields = commands[index % len(commands)]
        (data,) = draw(payload([*fields, *(["schedule", "changes"] if fields else [])], anchor), 1)
        if "schedule" in fields and index % 2:
            data["schedule"] = draw(payload(SCHEDULE_FIELDS, anchor), 1)[0]
        if "changes" in fields and index % 2:
            data["changes"] = draw(payload(SCHEDULE_FIELDS, anchor), 1)[0]
        before = snapshot(hass, hass_storage)
        await client.send_json_auto_id(json_safe({**data, "type": f"bellas_reef/{name}"}))
        answer = await client.receive_json()
        if answer["success"]:
            accepted += 1
        else:
            assert answer["error"]["code"] in codes, (name, data, answer["error"])
            assert len(answer["error"]["message"]) < 2500
            assert snapshot(hass, hass_storage) == before, (name, data)
            refusals += 1
        await hass.async_block_till_done()
        anchor = await _anchor(hass)
    assert refusals > accepted > 0
    no_tracebacks(caplog)
