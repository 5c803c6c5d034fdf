"""Actions (services) for schedules and device actions, registered once in ``async_setup``.

Who may do what (the README has the same table):

* administrators: change schedules (create, update, delete, enable, disable), run a schedule now (it may
  carry a custom action, which acts with its creator's rights), delete history; start and end a keeper
  mode with any length (``start_mode``, ``end_mode``), hand channels back to their schedules
  (``resume_schedule``) - the *Feed* button is for everyone (it ends by itself after the configured time),
  the *Maintenance* button for administrators (``button.py``);
* the user who made a pending manual action, or an administrator: cancel it (a pending action of a
  schedule's, a revert among them, is for administrators);
* everyone who may control the channels' entities: run a manual action on them (a custom action acts with
  the caller's own rights, so Home Assistant's own checks apply to what it calls);
* everyone: read schedules, statistics and history, preview and validate.

An action or a run that happens later carries the user who caused it. A custom action may not start runs of
ours: ``run_schedule`` and ``run_action`` are refused when a running custom action (or what it set off)
calls them. Schedule fields are not checked by the service schema: the scheduling core checks them all at
once, so that a bad call hears about every problem, not the first (see ``helpers``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.auth.permissions.const import POLICY_CONTROL
from homeassistant.core import Context, HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import Unauthorized
from homeassistant.helpers.service import async_register_admin_service
from homeassistant.util import dt as dt_util

from .compat import vol
from .const import DOMAIN
from .engine.actions import ActionNotFoundError
from .engine.history import ActionStatus
from .helpers import (
    action_answer,
    async_change_schedule,
    async_end_mode,
    async_new_schedule,
    async_preview,
    async_raise_problems,
    async_start_mode,
    engine_of,
    entity_for_channel,
    excerpt,
    filter_schedules,
    parse_mode,
    parse_mode_minutes,
    parse_when,
    raise_error,
    require_channels,
    require_schedule,
    schedule_answer,
)
from .scheduling import ScheduleError, validate_schedule

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine, Iterable

    from .engine import ScheduleEngine
    from .engine.history import DeviceAction

ANYTHING = vol.Schema({}, extra=vol.ALLOW_EXTRA)  # fields are checked by the scheduling core, all at once
MAX_ACTIONS = 10_000
PREVIEW_RUNS_MAX = 100


def _number(value: Any, field: str, minimum: float, maximum: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        number = float("nan")
    if not minimum <= number <= maximum:
        raise_error(
            "invalid_number", field=field, value=excerpt(value), min=f"{minimum:g}", max=f"{maximum:g}"
        )
    return number


def refuse_from_own_run(engine: ScheduleEngine, context: Context) -> None:
    """A run may not start runs: refuse a call made by (or set off by) a running custom action of ours."""
    if engine.actions.started_by_custom_action(context):
        raise_error("started_by_custom_action")


async def async_require_control(hass: HomeAssistant, context: Context, entity_ids: Iterable[str]) -> None:
    """The caller may control these entities (a call without a user, an automation's, may)."""
    if context.user_id is None:
        return
    user = await hass.auth.async_get_user(context.user_id)
    if user is None:
        raise Unauthorized(context=context)
    for entity_id in entity_ids:
        if not user.permissions.check_entity(entity_id, POLICY_CONTROL):
            raise Unauthorized(context=context, entity_id=entity_id, permission=POLICY_CONTROL)


async def async_require_owner(hass: HomeAssistant, context: Context, record: DeviceAction) -> None:
    """A pending action may be cancelled by an administrator or by the user who caused it (not a schedule)."""
    if context.user_id is None:
        return
    user = await hass.auth.async_get_user(context.user_id)
    if user is not None and (user.is_admin or (record.schedule_id is None and record.user_id == user.id)):
        return
    raise Unauthorized(context=context)


async def _create(call: ServiceCall) -> ServiceResponse:
    schedule = await async_new_schedule(call.hass, call.data, call.context.user_id)
    return {"schedule": schedule_answer(call.hass, schedule)}


async def _update(call: ServiceCall) -> ServiceResponse:
    changes = {key: value for key, value in call.data.items() if key != "schedule_id"}
    schedule = await async_change_schedule(call.hass, call.data.get("schedule_id"), changes)
    return {"schedule": schedule_answer(call.hass, schedule)}


async def _delete(call: ServiceCall) -> ServiceResponse:
    schedule = require_schedule(call.hass, call.data.get("schedule_id"))
    await engine_of(call.hass).async_delete(schedule.id)
    return {"schedule": schedule_answer(call.hass, schedule)}


async def _enable(call: ServiceCall) -> ServiceResponse:
    return await _set_enabled(call, enabled=True)


async def _disable(call: ServiceCall) -> ServiceResponse:
    return await _set_enabled(call, enabled=False)


async def _set_enabled(call: ServiceCall, *, enabled: bool) -> ServiceResponse:
    schedule = require_schedule(call.hass, call.data.get("schedule_id"))
    schedule = await engine_of(call.hass).async_set_enabled(schedule.id, enabled=enabled)
    return {"schedule": schedule_answer(call.hass, schedule)}


async def _get_schedules(call: ServiceCall) -> ServiceResponse:
    data = call.data
    if (schedule_id := data.get("schedule_id")) is not None:
        schedules = [require_schedule(call.hass, schedule_id)]
    else:
        schedules = filter_schedules(
            call.hass,
            schedule_type=data.get("schedule_type"),
            enabled=data.get("enabled"),
            target=data.get("target"),
            status=data.get("status"),
        )
    return {"schedules": [schedule_answer(call.hass, schedule) for schedule in schedules]}


async def _statistics(call: ServiceCall) -> ServiceResponse:
    return engine_of(call.hass).statistics()


async def _preview(call: ServiceCall) -> ServiceResponse:
    data = call.data
    return await async_preview(
        call.hass,
        schedule_id=data.get("schedule_id"),
        schedule=data.get("schedule"),
        count=int(_number(data.get("count", 10), "count", 1, PREVIEW_RUNS_MAX)),
        day=data.get("date"),
    )


async def _validate(call: ServiceCall) -> ServiceResponse:
    """Check every stored schedule again (zones and presets may change under them) and raise repairs."""
    engine = engine_of(call.hass)
    found: list[dict[str, Any]] = []
    for schedule in engine.schedules.values():
        problems = validate_schedule(schedule.to_dict())
        missing = engine.orphaned.get(schedule.id, [])
        if problems or missing:
            found.append(
                {
                    "schedule_id": schedule.id,
                    "name": schedule.name,
                    "problems": [
                        {"code": p.code.value, "field": p.field, "message": p.message} for p in problems
                    ],
                    "missing_targets": missing,
                }
            )
    engine.async_check_targets()
    invalid = engine.async_check_invalid()
    result: dict[str, Any] = {"valid": not found and not invalid, "schedules": found, "unreadable": invalid}
    return result


async def _run_schedule(call: ServiceCall) -> ServiceResponse:
    schedule = require_schedule(call.hass, call.data.get("schedule_id"))
    engine = engine_of(call.hass)
    refuse_from_own_run(engine, call.context)
    records = await engine.async_run_now(schedule.id, call.context)
    return {"actions": [action_answer(call.hass, record) for record in records]}


async def _run_action(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    data = call.data
    channels = require_channels(hass, data.get("targets"))
    engine = engine_of(hass)
    refuse_from_own_run(engine, call.context)
    entities = [entity for channel in channels if (entity := entity_for_channel(hass, channel))]
    await async_require_control(hass, call.context, entities)
    if data.get("action_type") != "custom":
        not_loaded = [c for c in channels if c not in engine.channels]
        if not_loaded:
            raise_error("channel_not_loaded", channels=", ".join(not_loaded))
    scheduled = parse_when(data.get("scheduled_time"), "scheduled_time")
    if scheduled is not None and scheduled < dt_util.utcnow():
        raise_error("scheduled_time_in_past", value=scheduled.isoformat())
    try:
        records = await engine.actions.async_run_manual(
            channels, data.get("action_type"), data.get("action_params"), call.context, scheduled
        )
    except ScheduleError as err:
        await async_raise_problems(hass, err.problems)
    return {"actions": [action_answer(hass, record) for record in records]}


async def _get_actions(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    data = call.data
    targets = None if data.get("target") is None else require_channels(hass, data["target"])
    if (schedule_id := data.get("schedule_id")) is not None:
        require_schedule(hass, schedule_id)
    records = engine_of(hass).history.query(
        schedule_id=None if schedule_id is None else str(schedule_id),
        targets=targets,
        status=data.get("status"),
        start=parse_when(data.get("start"), "start"),
        end=parse_when(data.get("end"), "end"),
        limit=int(_number(data.get("limit", 100), "limit", 1, MAX_ACTIONS)),
    )
    return {"actions": [action_answer(hass, record) for record in records]}


async def _cancel_action(call: ServiceCall) -> ServiceResponse:
    action_id = call.data.get("action_id")
    if action_id is None:
        raise_error("missing_field", field="action_id")
    engine = engine_of(call.hass)
    record = engine.history.get(action_id) if isinstance(action_id, str) else None
    if record is None or record.status is not ActionStatus.PENDING:
        raise_error("action_not_found", action_id=excerpt(action_id))
    await async_require_owner(call.hass, call.context, record)
    try:
        record = await engine.actions.async_cancel(record.id)
    except ActionNotFoundError:  # pragma: no cover - it ran in between
        raise_error("action_not_found", action_id=excerpt(action_id))
    return {"action": action_answer(call.hass, record)}


async def _cleanup(call: ServiceCall) -> ServiceResponse:
    days = _number(call.data.get("older_than_days", 30), "older_than_days", 0, 36_500)
    return {"removed": engine_of(call.hass).async_cleanup(days)}


async def _start_mode(call: ServiceCall) -> ServiceResponse:
    mode = parse_mode(call.data.get("mode"))
    minutes = parse_mode_minutes(call.data.get("duration"))
    refuse_from_own_run(engine_of(call.hass), call.context)
    return await async_start_mode(call.hass, mode, minutes, call.context)


async def _end_mode(call: ServiceCall) -> ServiceResponse:
    mode = parse_mode(call.data.get("mode"))
    refuse_from_own_run(engine_of(call.hass), call.context)
    return await async_end_mode(call.hass, mode, call.context)


async def _resume_schedule(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    channels = require_channels(hass, call.data.get("targets"))
    engine = engine_of(hass)
    refuse_from_own_run(engine, call.context)
    records = await engine.keeper.async_resume(channels, call.context)
    return {"actions": [action_answer(hass, record) for record in records]}


@dataclass(frozen=True, slots=True)
class Service:
    """One action: its handler, the fields it takes (None: a schedule's, checked by the core), its rights."""

    handler: Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]
    fields: frozenset[str] | None
    admin: bool = False
    response: SupportsResponse = SupportsResponse.OPTIONAL


def _fields(*names: str) -> frozenset[str]:
    return frozenset(names)


SERVICES: dict[str, Service] = {
    "create_schedule": Service(_create, None, admin=True),
    "update_schedule": Service(_update, None, admin=True),
    "delete_schedule": Service(_delete, _fields("schedule_id"), admin=True),
    "enable_schedule": Service(_enable, _fields("schedule_id"), admin=True),
    "disable_schedule": Service(_disable, _fields("schedule_id"), admin=True),
    "cleanup_actions": Service(_cleanup, _fields("older_than_days"), admin=True),
    "run_schedule": Service(_run_schedule, _fields("schedule_id"), admin=True),
    "get_schedules": Service(
        _get_schedules,
        _fields("schedule_id", "schedule_type", "enabled", "target", "status"),
        response=SupportsResponse.ONLY,
    ),
    "get_statistics": Service(_statistics, _fields(), response=SupportsResponse.ONLY),
    "preview": Service(
        _preview, _fields("schedule_id", "schedule", "count", "date"), response=SupportsResponse.ONLY
    ),
    "validate": Service(_validate, _fields(), response=SupportsResponse.ONLY),
    "run_action": Service(_run_action, _fields("targets", "action_type", "action_params", "scheduled_time")),
    "get_actions": Service(
        _get_actions,
        _fields("schedule_id", "target", "status", "start", "end", "limit"),
        response=SupportsResponse.ONLY,
    ),
    "cancel_action": Service(_cancel_action, _fields("action_id")),
    "start_mode": Service(_start_mode, _fields("mode", "duration"), admin=True),
    "end_mode": Service(_end_mode, _fields("mode"), admin=True),
    "resume_schedule": Service(_resume_schedule, _fields("targets"), admin=True),
}


def _checked(service: Service) -> Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]:
    """The handler, after a translated refusal of fields the action does not take."""
    fields = service.fields

    async def handle(call: ServiceCall) -> ServiceResponse:
        if fields is not None and (unknown := [key for key in call.data if key not in fields]):
            raise_error("unknown_field", field=excerpt(unknown[0]))
        return await service.handler(call)

    return handle


def async_setup_services(hass: HomeAssistant) -> None:
    """Register every action of the integration (schedule fields are checked by the core, all at once)."""
    for name, service in SERVICES.items():
        if service.admin:
            async_register_admin_service(hass, DOMAIN, name, _checked(service), ANYTHING, service.response)
        else:
            hass.services.async_register(
                DOMAIN, name, _checked(service), ANYTHING, supports_response=service.response
            )
