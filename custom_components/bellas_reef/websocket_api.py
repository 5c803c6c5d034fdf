"""Websocket commands for the dashboard card: the same operations and checks as the actions.

Every command is one row of ``COMMANDS``: its name under ``bellas_reef/``, its schema, whether it needs an
administrator, and a coroutine that produces the answer; one handler factory registers them all (the shape
of Home Assistant's storage collection websocket, with our own stores, which write before a call returns).
A refused call answers the validation error in the instance's language, with its translation key as code.

The dashboard's commands: ``channels/list``, ``day`` (each channel's day), ``schedules/validate`` (a
schedule's problems, each with its field, without storing anything), ``schedules/set_enabled`` and
``schedules/run`` (administrators), and ``preview`` (with a ``curve`` of exact points).

The keeper's: ``keeper/status`` (modes under way and holds), ``keeper/start`` (a mode for its configured
time: feed for everyone, as its button; maintenance for administrators), ``keeper/end`` and
``keeper/resume`` (administrators).

``schedules/subscribe`` pushes ``{"event": "schedule", "schedule": …}``, ``{"event": "removed",
"schedule_id": …}``, ``{"event": "action", "action": …}`` and ``{"event": "keeper", "keeper": …}`` until
the client unsubscribes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from homeassistant.auth.permissions.const import POLICY_CONTROL
from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.const import ERR_UNAUTHORIZED
from homeassistant.components.websocket_api.decorators import async_response, require_admin
from homeassistant.components.websocket_api.messages import BASE_COMMAND_MESSAGE_SCHEMA, event_message
from homeassistant.core import Context, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError, Unauthorized
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .compat import vol
from .const import DOMAIN, SIGNAL_ACTIONS, SIGNAL_KEEPER, SIGNAL_SCHEDULES, mode_button_unique_id
from .dashboard import async_day, channel_list
from .helpers import (
    DAY_RESOLUTION,
    action_answer,
    async_change_schedule,
    async_end_mode,
    async_new_schedule,
    async_preview,
    async_start_mode,
    async_validate,
    engine_of,
    filter_schedules,
    keeper_answer,
    parse_mode,
    require_channels,
    require_schedule,
    schedule_answer,
)
from .scheduling.keeper import ModeName

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

    from homeassistant.components.websocket_api.connection import ActiveConnection

    from .engine.history import DeviceAction

RESOLUTION_RANGE = vol.All(vol.Coerce(float), vol.Range(min=60, max=3600))

type Produce = Callable[[HomeAssistant, ActiveConnection, dict[str, Any]], Coroutine[Any, Any, Any]]


@dataclass(frozen=True, slots=True)
class Command:
    """One websocket command: ``bellas_reef/<name>``."""

    name: str
    produce: Produce
    schema: dict[Any, Any] = field(default_factory=dict)
    admin: bool = False


def _handler(produce: Produce) -> Callable[[HomeAssistant, ActiveConnection, dict[str, Any]], None]:
    """A websocket handler that sends what ``produce`` returns, or the validation error."""

    @async_response
    async def handle(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> None:
        try:
            result = await produce(hass, connection, msg)
        except Unauthorized:
            connection.send_error(msg["id"], ERR_UNAUTHORIZED, "Unauthorized")
            return
        except (ServiceValidationError, HomeAssistantError) as err:
            connection.send_error(msg["id"], err.translation_key or "home_assistant_error", str(err))
            return
        connection.send_result(msg["id"], result)

    return handle


async def _list(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> Any:
    filters = {key: msg.get(key) for key in ("schedule_type", "enabled", "target", "status")}
    return [schedule_answer(hass, s) for s in filter_schedules(hass, **filters)]


async def _get(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> Any:
    return schedule_answer(hass, require_schedule(hass, msg["schedule_id"]))


async def _create(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> Any:
    return schedule_answer(hass, await async_new_schedule(hass, msg["schedule"], connection.user.id))


async def _update(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> Any:
    return schedule_answer(hass, await async_change_schedule(hass, msg["schedule_id"], msg["changes"]))


async def _delete(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> Any:
    schedule = require_schedule(hass, msg["schedule_id"])
    await engine_of(hass).async_delete(schedule.id)
    return {"schedule_id": schedule.id}


async def _actions(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> Any:
    targets = None if msg.get("target") is None else require_channels(hass, msg["target"])
    records = engine_of(hass).history.query(
        schedule_id=msg.get("schedule_id"), targets=targets, status=msg.get("status"), limit=msg["limit"]
    )
    return [action_answer(hass, record) for record in records]


async def _preview(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> Any:
    return await async_preview(
        hass,
        schedule_id=msg.get("schedule_id"),
        schedule=msg.get("schedule"),
        count=msg["count"],
        day=msg.get("date"),
        resolution=msg["resolution"],
    )


async def _channels(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> Any:
    return channel_list(hass)


async def _day(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> Any:
    return await async_day(
        hass, day=msg.get("date"), targets=msg.get("targets"), resolution=msg["resolution"]
    )


async def _validate(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> Any:
    return await async_validate(hass, msg["schedule"], msg.get("schedule_id"), connection.user.id)


async def _set_enabled(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> Any:
    schedule = require_schedule(hass, msg["schedule_id"])
    return schedule_answer(hass, await engine_of(hass).async_set_enabled(schedule.id, enabled=msg["enabled"]))


async def _run(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> Any:
    schedule = require_schedule(hass, msg["schedule_id"])
    records = await engine_of(hass).async_run_now(schedule.id, Context(user_id=connection.user.id))
    return {"actions": [action_answer(hass, record) for record in records]}


async def _keeper(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> Any:
    return keeper_answer(hass)


async def _start_mode(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> Any:
    """A mode for its configured time: feed for everyone (as its button), maintenance for administrators."""
    mode = parse_mode(msg["mode"])
    user = connection.user
    context = Context(user_id=user.id)
    if not user.is_admin:
        button = er.async_get(hass).async_get_entity_id("button", DOMAIN, mode_button_unique_id(mode))
        may_press = button is not None and user.permissions.check_entity(button, POLICY_CONTROL)
        if mode is not ModeName.FEED or not may_press:
            raise Unauthorized(context=context)
    return await async_start_mode(hass, mode, None, context)


async def _end_mode(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> Any:
    return await async_end_mode(hass, parse_mode(msg["mode"]), Context(user_id=connection.user.id))


async def _resume(hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]) -> Any:
    channels = require_channels(hass, msg["targets"])
    records = await engine_of(hass).keeper.async_resume(channels, Context(user_id=connection.user.id))
    return {"actions": [action_answer(hass, record) for record in records]}


COMMANDS = (
    Command(
        "schedules/list",
        _list,
        {
            vol.Optional("schedule_type"): str,
            vol.Optional("enabled"): bool,
            vol.Optional("target"): str,
            vol.Optional("status"): str,
        },
    ),
    Command("schedules/get", _get, {vol.Required("schedule_id"): str}),
    Command("schedules/create", _create, {vol.Required("schedule"): dict}, admin=True),
    Command(
        "schedules/update",
        _update,
        {vol.Required("schedule_id"): str, vol.Required("changes"): dict},
        admin=True,
    ),
    Command("schedules/delete", _delete, {vol.Required("schedule_id"): str}, admin=True),
    Command(
        "actions/list",
        _actions,
        {
            vol.Optional("schedule_id"): str,
            vol.Optional("target"): str,
            vol.Optional("status"): str,
            vol.Optional("limit", default=100): vol.All(int, vol.Range(min=1, max=10_000)),
        },
    ),
    Command(
        "preview",
        _preview,
        {
            vol.Optional("schedule_id"): str,
            vol.Optional("schedule"): dict,
            vol.Optional("count", default=10): vol.All(int, vol.Range(min=1, max=100)),
            vol.Optional("date"): str,
            vol.Optional("resolution", default=DAY_RESOLUTION): RESOLUTION_RANGE,
        },
    ),
    Command("channels/list", _channels),
    Command(
        "day",
        _day,
        {
            vol.Optional("date"): str,
            vol.Optional("targets"): [str],
            vol.Optional("resolution", default=DAY_RESOLUTION): RESOLUTION_RANGE,
        },
    ),
    Command(
        "schedules/validate",
        _validate,
        {vol.Required("schedule"): object, vol.Optional("schedule_id"): str},
    ),
    Command(
        "schedules/set_enabled",
        _set_enabled,
        {vol.Required("schedule_id"): str, vol.Required("enabled"): bool},
        admin=True,
    ),
    Command("schedules/run", _run, {vol.Required("schedule_id"): str}, admin=True),
    Command("keeper/status", _keeper),
    Command("keeper/start", _start_mode, {vol.Required("mode"): object}),
    Command("keeper/end", _end_mode, {vol.Required("mode"): object}, admin=True),
    Command("keeper/resume", _resume, {vol.Required("targets"): [str]}, admin=True),
)


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

    @callback
    def keeper_changed() -> None:
        connection.send_message(event_message(msg["id"], {"event": "keeper", "keeper": keeper_answer(hass)}))

    unsubscribers = [
        async_dispatcher_connect(hass, SIGNAL_SCHEDULES, schedule_changed),
        async_dispatcher_connect(hass, SIGNAL_ACTIONS, action_changed),
        async_dispatcher_connect(hass, SIGNAL_KEEPER, keeper_changed),
    ]

    @callback
    def unsubscribe() -> None:
        for unsubscriber in unsubscribers:
            unsubscriber()

    connection.subscriptions[msg["id"]] = unsubscribe
    connection.send_result(msg["id"])


def _schema(name: str, fields: dict[Any, Any]) -> vol.Schema:
    return BASE_COMMAND_MESSAGE_SCHEMA.extend({vol.Required("type"): f"{DOMAIN}/{name}", **fields})


@callback
def async_setup_websocket(hass: HomeAssistant) -> None:
    """Register every command."""
    for command in COMMANDS:
        handler = _handler(command.produce)
        async_register_command(
            hass,
            f"{DOMAIN}/{command.name}",
            require_admin(handler) if command.admin else handler,
            _schema(command.name, command.schema),
        )
    async_register_command(
        hass, f"{DOMAIN}/schedules/subscribe", ws_subscribe, _schema("schedules/subscribe", {})
    )
