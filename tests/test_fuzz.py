"""Thousands of random payloads at create_schedule and update_schedule.

Whatever comes in, the only error a caller sees is a ``ServiceValidationError``, and a rejected call changes
neither the schedules nor the store. Payloads are drawn with Hypothesis's strategies (JSON-like values under
the real field names, with real and bogus values mixed in).
"""

from __future__ import annotations

from datetime import datetime
import json
from typing import Any
import warnings

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from hypothesis import strategies as st
from hypothesis.errors import NonInteractiveExampleWarning
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bellas_reef.scheduling.const import ALL_TYPE_FIELDS, COMMON_FIELDS

from .conftest import engine_of

FIELDS = [*sorted(COMMON_FIELDS | ALL_TYPE_FIELDS), "bogus"]  # every real field, and one that is not
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        [
            "cron",
            "interval",
            "one_off",
            "recurring",
            "static",
            "on",
            "ramp",
            "set_pwm",
            "custom",
            "diurnal",
            "weekly",
            "monthly",
            "mon",
            "25:00",
            "08:00",
            "UTC",
            "Mars/Olympus",
            "0 6 * * *",
            "@daily",
            "light.blue",
            "switch.return_pump",
            "2027-01-01T00:00:00+00:00",
            "2020-01-01T00:00:00",
            "-1",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=8,
)
payloads = st.dictionaries(st.sampled_from(FIELDS), values, max_size=10)
EXAMPLES = 1500


def draw(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NonInteractiveExampleWarning)
        return [strategy.example() for _ in range(count)]


@pytest.fixture
def reef_start() -> datetime:
    return datetime.fromisoformat("2026-06-01T00:00:00+00:00")


async def test_random_payloads(
    hass: HomeAssistant, reef: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    engine = engine_of(hass)
    target = await engine.async_create(
        {
            "name": "Anchor",
            "schedule_type": "interval",
            "interval_seconds": 60,
            "timezone": "UTC",
            "targets": ["sub-blue"],
            "action_type": "on",
        }
    )
    accepted = 0
    for index, payload in enumerate(draw(payloads, 2 * EXAMPLES)):
        service = "create_schedule" if index % 2 == 0 else "update_schedule"
        data = dict(payload) if service == "create_schedule" else {**payload, "schedule_id": target.id}
        before = {key: s.to_dict() for key, s in engine.schedules.items()}
        stored_before = json.dumps(hass_storage.get("bellas_reef.schedules"), sort_keys=True, default=str)
        try:
            await hass.services.async_call("bellas_reef", service, data, blocking=True, return_response=True)
        except ServiceValidationError:
            assert {key: s.to_dict() for key, s in engine.schedules.items()} == before, payload
            assert (
                json.dumps(hass_storage.get("bellas_reef.schedules"), sort_keys=True, default=str)
                == stored_before
            )
        else:
            accepted += 1
    assert len(engine.schedules) >= 1
    assert accepted < EXAMPLES  # the generator mostly makes nonsense: rejections are what is under test
