"""Websocket commands for the dashboard card: the same operations and checks as the actions.

``bellas_reef/schedules/list|get|create|update|delete|subscribe``, ``bellas_reef/actions/list`` and
``bellas_reef/preview``. Writing commands need an administrator, like the actions that change schedules.
``subscribe`` pushes ``{"event": "schedule", "schedule": …}``, ``{"event": "removed", "schedule_id": …}`` and
``{"event": "action", "action": …}`` until the client unsubscribes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.decorators import async_response, require_admin, websocket_command
from homeassistant.components.websocket_api.messages import event_message
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .compat import vol
from .const import SIGNAL_ACTIONS, SIGNAL_SCHEDULES
from .helpers import (
    action_answer,
    async_change_schedule,
    async_new_schedule,
    async_preview,
    engine_of,
    filter_schedules,
    require_channels,
    require_schedule,
    schedule_answer,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

    from homeassistant.components.websocket_api.connection import ActiveConnection

    from .engine.history import DeviceAction


async def _answer(
    connection: ActiveConnection, msg: dict[str, Any], produce: Callable[[], Coroutine[Any, Any, Any]]
) -> None:
    """Send what ``produce`` returns, or the validation error in the instance's language."""
    try:
        result = await produce()
    except ServiceValidationError as err:
        connection.send_error(msg["id"], err.translation_key or "invalid", str(err))
        return
    connection.send_result(msg["id"], result)


@websocket_command(
    {
        vol.Required("type"): "bellas_reef/schedules/list",
        vol.Optional("schedule_type"): str,
        vol.Optional("enabled"): bool,
        vol.Optional("target"): str,
        vol.Optional("status"): str,
    }
)
@async_response
async def ws_list(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """List schedules."""

    async def produce() -> Any:
        filters = {key: msg.get(key) for key in ("schedule_type", "enabled", "target", "status")}
        return [schedule_answer(hass, s) for s in filter_schedules(hass, **filters)]

    await _answer(connection, msg, produce)


@websocket_command({vol.Required("type"): "bellas_reef/schedules/get", vol.Required("schedule_id"): str})
@async_response
async def ws_get(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """One schedule."""

    async def produce() -> Any:
        return schedule_answer(hass, require_schedule(hass, msg["schedule_id"]))

    await _answer(connection, msg, produce)


@websocket_command({vol.Required("type"): "bellas_reef/schedules/create", vol.Required("schedule"): dict})
@require_admin
@async_response
async def ws_create(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Create a schedule."""

    async def produce() -> Any:
        return schedule_answer(hass, await async_new_schedule(hass, msg["schedule"]))

    await _answer(connection, msg, produce)


@websocket_command(
    {
        vol.Required("type"): "bellas_reef/schedules/update",
        vol.Required("schedule_id"): str,
        vol.Required("changes"): dict,
    }
)
@require_admin
@async_response
async def ws_update(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Change a schedule."""

    async def produce() -> Any:
        return schedule_answer(hass, await async_change_schedule(hass, msg["schedule_id"], msg["changes"]))

    await _answer(connection, msg, produce)


@websocket_command({vol.Required("type"): "bellas_reef/schedules/delete", vol.Required("schedule_id"): str})
@require_admin
@async_response
async def ws_delete(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Delete a schedule."""

    async def produce() -> Any:
        schedule = require_schedule(hass, msg["schedule_id"])
        await engine_of(hass).async_delete(schedule.id)
        return {"schedule_id": schedule.id}

    await _answer(connection, msg, produce)


@websocket_command({vol.Required("type"): "bellas_reef/schedules/subscribe"})
@callback
def ws_subscribe(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Push every change of a schedule and every device action as it happens."""
    engine = engine_of(hass)

    @callback
    def schedule_changed(schedule_id: str) -> None:
        schedule = engine.schedules.get(schedule_id)
        if schedule is None:
            event: dict[str, Any] = {"event": "removed", "schedule_id": schedule_id}
        else:
            event = {"event": "schedule", "schedule": schedule_answer(hass, schedule)}
        connection.send_message(event_message(msg["id"], event))

    @callback
    def action_changed(record: DeviceAction) -> None:
        connection.send_message(
            event_message(msg["id"], {"event": "action", "action": action_answer(hass, record)})
        )

    unsubscribers = [
        async_dispatcher_connect(hass, SIGNAL_SCHEDULES, schedule_changed),
        async_dispatcher_connect(hass, SIGNAL_ACTIONS, action_changed),
    ]

    @callback
    def unsubscribe() -> None:
        for unsubscriber in unsubscribers:
            unsubscriber()

    connection.subscriptions[msg["id"]] = unsubscribe
    connection.send_result(msg["id"])


@websocket_command(
    {
        vol.Required("type"): "bellas_reef/actions/list",
        vol.Optional("schedule_id"): str,
        vol.Optional("target"): str,
        vol.Optional("status"): str,
        vol.Optional("limit", default=100): vol.All(int, vol.Range(min=1, max=10_000)),
    }
)
@async_response
async def ws_actions(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """List device actions, newest first."""

    async def produce() -> Any:
        targets = None if msg.get("target") is None else require_channels(hass, msg["target"])
        records = engine_of(hass).history.query(
            schedule_id=msg.get("schedule_id"), targets=targets, status=msg.get("status"), limit=msg["limit"]
        )
        return [action_answer(hass, record) for record in records]

    await _answer(connection, msg, produce)


@websocket_command(
    {
        vol.Required("type"): "bellas_reef/preview",
        vol.Optional("schedule_id"): str,
        vol.Optional("schedule"): dict,
        vol.Optional("count", default=10): vol.All(int, vol.Range(min=1, max=100)),
        vol.Optional("date"): str,
    }
)
@async_response
async def ws_preview(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
    """Next runs and the day's level curve of a schedule, stored or not."""

    async def produce() -> Any:
        return await async_preview(
            hass,
            schedule_id=msg.get("schedule_id"),
            schedule=msg.get("schedule"),
            count=msg["count"],
            day=msg.get("date"),
        )

    await _answer(connection, msg, produce)


@callback
def async_setup_websocket(hass: HomeAssistant) -> None:
    """Register the commands."""
    for command in (ws_list, ws_get, ws_create, ws_update, ws_delete, ws_subscribe, ws_actions, ws_preview):
        async_register_command(hass, command)
