"""Actions (services) for schedules and device actions, registered once in ``async_setup``.

Changing schedules (and deleting history) is for administrators; reading, previewing and running are for
everyone who may use the lights. Schedule fields are not checked by the service schema: the scheduling core
checks them all at once, so that a bad call hears about every problem, not the first (see ``api``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.helpers.service import async_register_admin_service
from homeassistant.util import dt as dt_util

from .compat import vol
from .const import DOMAIN
from .engine.actions import ActionNotFoundError
from .helpers import (
    action_answer,
    async_change_schedule,
    async_new_schedule,
    async_preview,
    async_raise_problems,
    engine_of,
    filter_schedules,
    raise_error,
    require_channels,
    require_schedule,
    schedule_answer,
)
from .scheduling import ScheduleError, validate_schedule

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine
    from datetime import datetime

ANYTHING = vol.Schema({}, extra=vol.ALLOW_EXTRA)  # fields are checked by the scheduling core, all at once
MAX_ACTIONS = 10_000


def _when(value: Any, field: str) -> datetime | None:
    """An ISO 8601 date-time (a naive one is read in Home Assistant's zone)."""
    if value is None:
        return None
    parsed = dt_util.parse_datetime(str(value))
    if parsed is None:
        raise_error("invalid_datetime", field=field, value=str(value))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt_util.get_default_time_zone())
    return dt_util.as_utc(parsed)


def _number(value: Any, field: str, minimum: float, maximum: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not minimum <= number <= maximum:
        raise_error("invalid_number", field=field, value=str(value), min=f"{minimum:g}", max=f"{maximum:g}")
    return number


async def _create(call: ServiceCall) -> ServiceResponse:
    schedule = await async_new_schedule(call.hass, call.data)
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
        count=int(_number(data.get("count", 10), "count", 1, 100)),
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
    records = await engine_of(call.hass).async_run_now(schedule.id, call.context)
    return {"actions": [action_answer(call.hass, record) for record in records]}


async def _run_action(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    data = call.data
    channels = require_channels(hass, data.get("targets"))
    engine = engine_of(hass)
    if data.get("action_type") != "custom":
        not_loaded = [c for c in channels if c not in engine.channels]
        if not_loaded:
            raise_error("channel_not_loaded", channels=", ".join(not_loaded))
    scheduled = _when(data.get("scheduled_time"), "scheduled_time")
    if scheduled is not None and scheduled < dt_util.utcnow():
        raise_error("scheduled_time_in_past", value=scheduled.isoformat())
    try:
        records = await engine.actions.async_run_manual(
            channels, data.get("action_type", ""), data.get("action_params") or {}, call.context, scheduled
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
        start=_when(data.get("start"), "start"),
        end=_when(data.get("end"), "end"),
        limit=int(_number(data.get("limit", 100), "limit", 1, MAX_ACTIONS)),
    )
    return {"actions": [action_answer(hass, record) for record in records]}


async def _cancel_action(call: ServiceCall) -> ServiceResponse:
    if call.data.get("action_id") is None:
        raise_error("missing_field", field="action_id")
    action_id = str(call.data["action_id"])
    try:
        record = await engine_of(call.hass).actions.async_cancel(action_id)
    except ActionNotFoundError:
        raise_error("action_not_found", action_id=action_id)
    return {"action": action_answer(call.hass, record)}


async def _cleanup(call: ServiceCall) -> ServiceResponse:
    days = _number(call.data.get("older_than_days", 30), "older_than_days", 0, 36_500)
    return {"removed": engine_of(call.hass).async_cleanup(days)}


ADMIN_SERVICES: dict[
    str, tuple[Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]], vol.Schema]
] = {
    "create_schedule": (_create, ANYTHING),
    "update_schedule": (_update, ANYTHING),
    "delete_schedule": (_delete, ANYTHING),
    "enable_schedule": (_enable, ANYTHING),
    "disable_schedule": (_disable, ANYTHING),
    "cleanup_actions": (_cleanup, ANYTHING),
}
SERVICES: dict[
    str, tuple[Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]], vol.Schema, SupportsResponse]
] = {
    "get_schedules": (_get_schedules, ANYTHING, SupportsResponse.ONLY),
    "get_statistics": (_statistics, vol.Schema({}), SupportsResponse.ONLY),
    "preview": (_preview, ANYTHING, SupportsResponse.ONLY),
    "validate": (_validate, vol.Schema({}), SupportsResponse.ONLY),
    "run_schedule": (_run_schedule, ANYTHING, SupportsResponse.OPTIONAL),
    "run_action": (_run_action, ANYTHING, SupportsResponse.OPTIONAL),
    "get_actions": (_get_actions, ANYTHING, SupportsResponse.ONLY),
    "cancel_action": (_cancel_action, ANYTHING, SupportsResponse.OPTIONAL),
}


def async_setup_services(hass: HomeAssistant) -> None:
    """Register every action of the integration."""
    for name, (handler, schema) in ADMIN_SERVICES.items():
        async_register_admin_service(hass, DOMAIN, name, handler, schema, SupportsResponse.OPTIONAL)
    for name, (handler, schema, response) in SERVICES.items():
        hass.services.async_register(DOMAIN, name, handler, schema, supports_response=response)
