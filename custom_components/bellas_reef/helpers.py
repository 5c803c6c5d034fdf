"""What the actions (services) and the websocket API share: targets as entities, answers, and errors.

Users and automations name channels by their entities (``light.blue``); schedules keep the channel's id (its
subentry id), which survives renames. Bad input becomes one ``ServiceValidationError`` that lists *every*
problem, each rendered from this integration's translations (``exceptions.problem_<code>``) in the
instance's language; nothing is changed by a rejected call.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, NoReturn

from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .engine import ENGINE_KEY, ScheduleEngine
from .scheduling import Schedule, ScheduleError, level_at, next_run
from .scheduling.index import run_status

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from homeassistant.core import HomeAssistant

    from .engine.history import DeviceAction
    from .scheduling import Problem

CHANNEL_DOMAINS = ("light", "switch")
PREVIEW_STEP = timedelta(minutes=15)


def _day(value: str | None, default: date) -> date:
    if value is None:
        return default
    parsed = dt_util.parse_date(value)
    if parsed is None:
        raise_error("invalid_date", value=value)
    return parsed


def engine_of(hass: HomeAssistant) -> ScheduleEngine:
    """The engine (set up in ``async_setup``)."""
    return hass.data[ENGINE_KEY]


def raise_error(key: str, **placeholders: str) -> NoReturn:
    """Raise a translated validation error."""
    raise ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


async def async_raise_problems(
    hass: HomeAssistant, problems: Iterable[Problem], extra: Iterable[str] = ()
) -> NoReturn:
    """Raise one error listing every problem, each in the instance's language."""
    translations = await async_get_translations(hass, hass.config.language, "exceptions", [DOMAIN])
    lines = list(extra)
    for problem in problems:
        template = translations.get(f"component.{DOMAIN}.exceptions.problem_{problem.code.value}.message")
        try:
            text = (
                template.format(field=problem.field, **problem.placeholders) if template else problem.message
            )
        except (KeyError, IndexError):
            text = problem.message
        lines.append(text)
    raise_error("invalid_schedule", count=str(len(lines)), problems="; ".join(lines))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def channels_from_entities(hass: HomeAssistant, value: Any) -> tuple[list[Any], list[str]]:
    """Channel ids for entity ids of this integration's lights and switches, and the ids that are not."""
    registry = er.async_get(hass)
    channels: list[Any] = []
    unknown: list[str] = []
    for item in _as_list(value):
        entry = registry.async_get(item) if isinstance(item, str) else None
        if entry is None or entry.platform != DOMAIN or entry.domain not in CHANNEL_DOMAINS:
            unknown.append(str(item))
            continue
        channels.append(entry.unique_id)
    return channels, unknown


def entity_for_channel(hass: HomeAssistant, channel_id: str | None) -> str | None:
    """The light or switch entity of a channel id, if it has one."""
    if channel_id is None:
        return None
    registry = er.async_get(hass)
    for domain in CHANNEL_DOMAINS:
        if (entity_id := registry.async_get_entity_id(domain, DOMAIN, channel_id)) is not None:
            return entity_id
    return None


def require_channels(hass: HomeAssistant, value: Any) -> list[Any]:
    """Channel ids for entity ids of this integration's lights and switches; a translated error otherwise."""
    channels, unknown = channels_from_entities(hass, value)
    if unknown:
        raise_error("unknown_target", entity_id=", ".join(unknown))
    return channels


def schedule_input(hass: HomeAssistant, data: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Input with targets turned from entities into channel ids, and a line for each target that is not one.

    A target that is not a channel stays in as its entity id, so that the rest of the schedule is still
    checked and every problem is reported together.
    """
    result = dict(data)
    lines: list[str] = []
    if result.get("targets") is not None and isinstance(result["targets"], str | list | tuple):
        channels, unknown = channels_from_entities(hass, result["targets"])
        lines = [f"{entity_id} is not a light or switch of Bella's Reef" for entity_id in unknown]
        result["targets"] = channels + unknown
    return result, lines


def schedule_answer(hass: HomeAssistant, schedule: Schedule) -> dict[str, Any]:
    """A schedule as actions and the websocket API return it: targets as entities, ISO times."""
    data = schedule.to_dict()
    data["target_channels"] = data["targets"]
    data["targets"] = [entity_for_channel(hass, target) or target for target in schedule.targets]
    data["missing_targets"] = engine_of(hass).orphaned.get(schedule.id, [])
    return data


def action_answer(hass: HomeAssistant, record: DeviceAction) -> dict[str, Any]:
    """A device action as actions and the websocket API return it."""
    data = record.to_dict()
    data["target_entity_id"] = entity_for_channel(hass, record.target)
    return data


async def _async_built(
    hass: HomeAssistant, data: Mapping[str, Any], build: Callable[[dict[str, Any]], Schedule]
) -> Schedule:
    """The schedule ``build`` makes of input (entities turned into channels); raise with every problem."""
    checked, target_lines = schedule_input(hass, data)
    try:
        schedule = build(checked)
    except ScheduleError as err:
        await async_raise_problems(hass, err.problems, target_lines)
    if target_lines:
        await async_raise_problems(hass, [], target_lines)
    return schedule


async def async_new_schedule(hass: HomeAssistant, data: Mapping[str, Any]) -> Schedule:
    """Create a schedule from input; raise with every problem, changing nothing."""
    engine = engine_of(hass)
    return await engine.async_store(await _async_built(hass, data, engine.prepare_create))


async def async_change_schedule(
    hass: HomeAssistant, schedule_id: Any, changes: Mapping[str, Any]
) -> Schedule:
    """Update a schedule partially; raise with every problem, changing nothing."""
    engine = engine_of(hass)
    current = require_schedule(hass, schedule_id)
    return await engine.async_store(
        await _async_built(hass, changes, partial(engine.prepare_update, current.id))
    )


def require_schedule(hass: HomeAssistant, schedule_id: Any) -> Schedule:
    """The schedule with this id, or a translated error naming the id."""
    if schedule_id is None:
        raise_error("missing_field", field="schedule_id")
    schedule = engine_of(hass).schedules.get(str(schedule_id))
    if schedule is None:
        raise_error("schedule_not_found", schedule_id=str(schedule_id))
    return schedule


def filter_schedules(
    hass: HomeAssistant,
    *,
    schedule_type: str | None = None,
    enabled: bool | None = None,
    target: str | None = None,
    status: str | None = None,
) -> list[Schedule]:
    """Schedules matching every given filter, in creation order."""
    channel = None if target is None else require_channels(hass, target)[0]
    return [
        s
        for s in engine_of(hass).schedules.values()
        if (schedule_type is None or s.schedule_type.value == schedule_type)
        and (enabled is None or s.enabled == enabled)
        and (channel is None or channel in s.targets)
        and (status is None or run_status(s) == status)
    ]


async def async_preview(
    hass: HomeAssistant,
    *,
    schedule_id: Any = None,
    schedule: Mapping[str, Any] | None = None,
    count: int = 10,
    day: str | None = None,
) -> dict[str, Any]:
    """The next runs of a schedule (stored or not yet saved) and its level curve for a day; no hardware."""
    if schedule_id is not None:
        subject = require_schedule(hass, schedule_id)
    elif schedule is not None:
        subject = await _async_built(
            hass,
            schedule,
            lambda data: Schedule.from_dict(
                {**data, "timezone": data.get("timezone") or hass.config.time_zone}
            ),
        )
    else:
        raise_error("preview_needs_schedule")
    now = dt_util.utcnow()
    runs: list[str] = []
    cursor = now
    while len(runs) < count and (upcoming := next_run(subject, cursor)) is not None:
        runs.append(upcoming.isoformat())
        cursor = upcoming
    zone = subject.zone
    start = datetime.combine(_day(day, now.astimezone(zone).date()), datetime.min.time(), zone)
    levels = []
    instant = start
    while instant < start + timedelta(days=1):
        level = level_at(subject, instant.astimezone(dt_util.UTC))
        if level is not None:
            levels.append({"time": instant.isoformat(), "level": round(level, 3)})
        instant += PREVIEW_STEP
    return {"schedule": schedule_answer(hass, subject), "next_runs": runs, "levels": levels}
