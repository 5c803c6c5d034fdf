"""Logbook lines for the scheduler's device actions (event ``bellas_reef_action``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.core import Event, HomeAssistant, callback

from .const import DOMAIN, EVENT_ACTION
from .engine.history import MODE_END, MODE_START, RESUME

KEEPER_ACTIONS = frozenset({MODE_START, MODE_END, RESUME})

if TYPE_CHECKING:
    from collections.abc import Callable


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, Any]]], None],
) -> None:
    """Describe device actions: what was done to which channel, by which schedule, and how it went."""

    @callback
    def describe(event: Event) -> dict[str, Any]:
        data = event.data
        if data["action"] in KEEPER_ACTIONS and data["status"] == "success":  # the result says it all
            return {"name": data.get("target_name") or data.get("target"), "message": data["result"]}
        message = f"{data['action']} {data['status']}"
        if data.get("schedule_name"):
            message += f" (schedule {data['schedule_name']})"
        if data.get("error"):
            message += f": {data['error']}"
        elif data.get("result"):
            message += f": {data['result']}"
        return {"name": data.get("target_name") or data.get("target") or "Bella's Reef", "message": message}

    async_describe_event(DOMAIN, EVENT_ACTION, describe)
