"""What the actions (services) and the websocket API share: targets as entities, answers, and errors.

Users and automations name channels by their entities (``light.blue``); schedules keep the channel's id (its
subentry id), which survives renames. Only the lights and switches of the boards' channels are targets (not
the scheduler's own switches). Bad input becomes one ``ServiceValidationError`` that lists every problem
(the first ``PROBLEMS_QUOTED`` of them), each rendered from this integration's translations
(``exceptions.problem_<code>``) in the instance's language; a message quotes at most a short excerpt of
any input, and nothing is changed by a refused call.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any, Final, NoReturn
from zoneinfo import ZoneInfo

from homeassistant.exceptions import ServiceValidationError, Unauthorized
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .engine import ENGINE_KEY, ScheduleEngine
from .engine.issues import known_channels
from .engine.keeper import KeeperError
from .scheduling import Schedule, ScheduleError, level_at, next_run
from .scheduling.changes import Rules, unsaved_schedule
from .scheduling.const import DATETIME_MAX, DATETIME_MIN, ID_MAX_LENGTH, TARGETS_MAX, TIMEZONE_MAX_LENGTH
from .scheduling.day import DayPoint, channel_day
from .scheduling.index import run_status
from .scheduling.keeper import MODE_MINUTES_MAX, ModeName
from .scheduling.problems import InstantProblem, parse_instant, quoted_name
from .scheduling.programme import acclimation_factor
from .scheduling.validation import parse_schedule
from .scheduling.wallclock import is_looked_up, load_zone

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from homeassistant.core import Context, HomeAssistant

    from .engine.history import DeviceAction
    from .scheduling import Problem

CHANNEL_DOMAINS = ("light", "switch")
PREVIEW_STEP = timedelta(minutes=15)
PROBLEMS_QUOTED = 10  # a refusal lists this many problems, then says how many more there are
PREVIEW_ID = "preview"  # the id of a new schedule in a preview (it seeds clouds)
PREVIEW_CURVES = 16  # a preview draws the day of at most this many of the schedule's targets
PROBLEMS_LISTED = 50  # a validation answers this many (each with its field), at most
DAY_RESOLUTION = 300.0  # seconds between the samples of a curved ramp in a day's curve


def excerpt(value: object) -> str:
    """An input value as a message may quote it: a short excerpt, never the whole of a huge value."""
    return value if isinstance(value, str) and len(value) <= ID_MAX_LENGTH else quoted_name(value)


def engine_of(hass: HomeAssistant) -> ScheduleEngine:
    """The engine (set up in ``async_setup``)."""
    return hass.data[ENGINE_KEY]


def raise_error(key: str, **placeholders: str) -> NoReturn:
    """Raise a translated validation error (placeholders from input must be excerpts)."""
    raise ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


async def async_problem_texts(hass: HomeAssistant, problems: Iterable[Problem]) -> list[dict[str, str]]:
    """Each problem's code, field and message in the instance's language."""
    translations = await async_get_translations(hass, hass.config.language, "exceptions", [DOMAIN])
    texts = []
    for problem in problems:
        template = translations.get(f"component.{DOMAIN}.exceptions.problem_{problem.code.value}.message")
        try:
            text = (
                template.format(field=problem.field, **problem.placeholders) if template else problem.message
            )
        except (KeyError, IndexError):
            text = problem.message
        texts.append({"code": problem.code.value, "field": problem.field, "message": text})
    return texts


async def async_raise_problems(hass: HomeAssistant, problems: Iterable[Problem]) -> NoReturn:
    """Raise one error listing the problems (the first few, and how many more), in the instance's language."""
    listed = list(problems)
    lines = [text["message"] for text in await async_problem_texts(hass, listed[:PROBLEMS_QUOTED])]
    if len(listed) > PROBLEMS_QUOTED:
        lines.append(f"… and {len(listed) - PROBLEMS_QUOTED} more")
    raise_error("invalid_schedule", count=str(len(listed)), problems="; ".join(lines))


async def async_load_zone(hass: HomeAssistant, name: object) -> None:
    """Look a zone name up outside the event loop (reading the tz database blocks), once per name."""
    if isinstance(name, str) and 0 < len(name) <= TIMEZONE_MAX_LENGTH and not is_looked_up(name):
        await hass.async_add_executor_job(load_zone, name)


def _as_list(value: Any) -> list[Any] | None:
    """Targets as a list (a comma-separated string too); None when there are too many to look at."""
    if value is None:
        return []
    if isinstance(value, str):
        if len(value) > TARGETS_MAX * (ID_MAX_LENGTH + 2):
            return None
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple):
        return list(value) if len(value) <= TARGETS_MAX else None
    return [value]


def channel_of_entity(hass: HomeAssistant, entity_id: object, channels: set[str]) -> str | None:
    """The channel id of one of the boards' lights or switches (``channels``: the channel ids there are)."""
    if not isinstance(entity_id, str) or len(entity_id) > ID_MAX_LENGTH:
        return None
    entry = er.async_get(hass).async_get(entity_id)
    if entry is None or entry.platform != DOMAIN or entry.domain not in CHANNEL_DOMAINS:
        return None
    return entry.unique_id if entry.unique_id in channels else None


def channels_from_entities(hass: HomeAssistant, value: Any) -> tuple[list[str], list[str]]:
    """Channel ids for entity ids of the boards' lights and switches, and excerpts of those that are not."""
    items = _as_list(value)
    if items is None:
        return [], [f"more than {TARGETS_MAX} targets"]
    known = known_channels(hass)
    channels: list[str] = []
    unknown: list[str] = []
    for item in items:
        if (channel := channel_of_entity(hass, item, known)) is None:
            unknown.append(excerpt(item))
        else:
            channels.append(channel)
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


def require_channels(hass: HomeAssistant, value: Any) -> list[str]:
    """Channel ids for entity ids of the boards' lights and switches; a translated error otherwise."""
    channels, unknown = channels_from_entities(hass, value)
    if unknown:
        shown = ", ".join(unknown[:PROBLEMS_QUOTED])
        if len(unknown) > PROBLEMS_QUOTED:
            shown += f" (and {len(unknown) - PROBLEMS_QUOTED} more)"
        raise_error("unknown_target", entity_id=shown)
    return channels


def require_channel(hass: HomeAssistant, value: Any) -> str:
    """The channel id of one light or switch of the boards; a translated error otherwise."""
    channels = require_channels(hass, value)
    if len(channels) != 1:
        raise_error("unknown_target", entity_id=excerpt(value))
    return channels[0]


def schedule_input(hass: HomeAssistant, data: Mapping[str, Any]) -> tuple[dict[str, Any], set[str] | None]:
    """Input with its targets turned from entities into channel ids, and the channel ids they may be.

    A target that is not a channel's entity stays as given, and the scheduling core reports it with every
    other problem (``unknown_target``); the channel ids returned are those the entities named, so that a
    caller names entities, never raw ids. Without ``targets`` in the input (a partial update), None.
    """
    result = dict(data)
    known = known_channels(hass)
    _offsets_as_channels(hass, result, known)
    if "targets" not in result or result["targets"] is None:
        return result, None
    items = _as_list(result["targets"])
    if items is None:
        return result, set()  # too many: the core says so
    targets: list[Any] = []
    named: set[str] = set()
    for item in items:
        channel = channel_of_entity(hass, item, known)
        if channel is None:
            targets.append(item)
        else:
            targets.append(channel)
            named.add(channel)
    result["targets"] = targets
    return result, named


def _offsets_as_channels(hass: HomeAssistant, data: dict[str, Any], known: set[str]) -> None:
    """A profile's offsets name their targets as entities, like ``targets``: turn them into channel ids."""
    params = data.get("preset_params")
    if not isinstance(params, dict):
        return
    offsets = params.get("offsets")
    if not isinstance(offsets, list) or len(offsets) > TARGETS_MAX:
        return  # not a list (or too long): the core says so
    converted = []
    for offset in offsets:
        if isinstance(offset, dict) and (channel := channel_of_entity(hass, offset.get("target"), known)):
            converted.append({**offset, "target": channel})
        else:
            converted.append(offset)
    data["preset_params"] = {**params, "offsets": converted}


async def async_caller_rules(
    hass: HomeAssistant, data: Mapping[str, Any], channels: set[str] | None, user_id: str | None
) -> Rules:
    """The rules a caller's input is checked by, with its zone loaded (outside the event loop) first."""
    await async_load_zone(hass, data.get("timezone"))
    return Rules(hass.config.time_zone, caller=True, channels=channels, created_by=user_id)


async def async_new_schedule(hass: HomeAssistant, data: Mapping[str, Any], user_id: str | None) -> Schedule:
    """Create a schedule from a caller's input (it belongs to ``user_id``); raise with every problem."""
    engine = engine_of(hass)
    if not isinstance(data, dict):
        raise_error("invalid_schedule", count="1", problems="the schedule must be a mapping")
    checked, channels = schedule_input(hass, data)
    rules = await async_caller_rules(hass, checked, set() if channels is None else channels, user_id)
    try:
        schedule = engine.prepare_create(checked, rules)
    except ScheduleError as err:
        await async_raise_problems(hass, err.problems)
    return await engine.async_store(schedule)


async def async_change_schedule(
    hass: HomeAssistant, schedule_id: Any, changes: Mapping[str, Any]
) -> Schedule:
    """Update a schedule partially from a caller's input; raise with every problem, changing nothing."""
    engine = engine_of(hass)
    current = require_schedule(hass, schedule_id)
    checked, channels = schedule_input(hass, changes)
    rules = await async_caller_rules(hass, checked, channels, current.created_by)
    try:
        schedule = engine.prepare_update(current.id, checked, rules)
    except ScheduleError as err:
        await async_raise_problems(hass, err.problems)
    return await engine.async_store(schedule)


def require_schedule(hass: HomeAssistant, schedule_id: Any) -> Schedule:
    """The schedule with this id, or a translated error naming the id."""
    if schedule_id is None:
        raise_error("missing_field", field="schedule_id")
    schedule = engine_of(hass).schedules.get(schedule_id) if isinstance(schedule_id, str) else None
    if schedule is None:
        raise_error("schedule_not_found", schedule_id=excerpt(schedule_id))
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
    channel = None if target is None else require_channel(hass, target)
    return [
        s
        for s in engine_of(hass).schedules.values()
        if (schedule_type is None or s.schedule_type.value == schedule_type)
        and (enabled is None or s.enabled == enabled)
        and (channel is None or channel in s.targets)
        and (status is None or run_status(s) == status)
    ]


def parse_when(value: Any, field: str) -> datetime | None:
    """An ISO 8601 date-time from a caller (a naive one is read in Home Assistant's zone), in range."""
    if value is None:
        return None
    zone = dt_util.get_default_time_zone()
    parsed = parse_instant(value, zone if isinstance(zone, ZoneInfo) else None)
    if parsed is InstantProblem.INVALID:
        raise_error("invalid_datetime", field=field, value=excerpt(value))
    if parsed is InstantProblem.OUT_OF_RANGE:
        raise_error(
            "datetime_out_of_range",
            field=field,
            value=excerpt(value),
            min=DATETIME_MIN.isoformat(),
            max=DATETIME_MAX.isoformat(),
        )
    return parsed


def parse_day(value: Any, default: date) -> date:
    """A date ``YYYY-MM-DD`` from a caller, within the years the scheduler knows."""
    if value is None:
        return default
    parsed = dt_util.parse_date(value) if isinstance(value, str) and len(value) <= 10 else None  # noqa: PLR2004
    if parsed is None:
        raise_error("invalid_date", value=excerpt(value))
    if not DATETIME_MIN.date() <= parsed < DATETIME_MAX.date():
        raise_error(
            "datetime_out_of_range",
            field="date",
            value=excerpt(value),
            min=DATETIME_MIN.date().isoformat(),
            max=DATETIME_MAX.date().isoformat(),
        )
    return parsed


# What an answer adds to a stored schedule (derived, never accepted back as a field)
ANSWER_ONLY_FIELDS: Final = frozenset({"target_channels", "missing_targets", "acclimation_factor"})


def schedule_answer(hass: HomeAssistant, schedule: Schedule) -> dict[str, Any]:
    """A schedule as actions and the websocket API return it: targets as entities, ISO times."""
    data = schedule.to_dict()
    data["target_channels"] = data["targets"]
    data["targets"] = [entity_for_channel(hass, target) or target for target in schedule.targets]
    data["missing_targets"] = engine_of(hass).orphaned.get(schedule.id, [])
    if offsets := data.get("preset_params", {}).get("offsets"):
        data["preset_params"]["offsets"] = [
            {**offset, "target": entity_for_channel(hass, offset["target"]) or offset["target"]}
            for offset in offsets
        ]
    data.setdefault("acclimation", None)
    data["acclimation_factor"] = acclimation_factor(schedule, dt_util.utcnow())
    return data


def action_answer(hass: HomeAssistant, record: DeviceAction) -> dict[str, Any]:
    """A device action as actions and the websocket API return it."""
    data = record.to_dict()
    data["target_entity_id"] = entity_for_channel(hass, record.target)
    return data


async def async_preview(
    hass: HomeAssistant,
    *,
    schedule_id: Any = None,
    schedule: Any = None,
    count: int = 10,
    day: Any = None,
    resolution: float = DAY_RESOLUTION,
) -> dict[str, Any]:
    """The next runs of a schedule (stored or not yet saved) and its level curve for a day; no hardware.

    ``levels`` samples the schedule's own curve (``level_at``) every 15 minutes; ``curve`` is the day a
    channel driven by this schedule alone would have (``scheduling.day``), exact at its points, for its first
    target, and ``curves`` the same for each target (a programme's differ by their offsets). With both
    ``schedule_id`` and ``schedule``, the preview is of that stored schedule as ``schedule`` would make it.
    """
    now = dt_util.utcnow()
    stored = None if schedule_id is None else require_schedule(hass, schedule_id)
    if schedule is not None:
        if not isinstance(schedule, dict):
            raise_error("invalid_schedule", count="1", problems="the schedule must be a mapping")
        checked, channels = schedule_input(hass, schedule)
        # the id seeds a programme's clouds: a stored schedule's changes keep its own, a new one a fixed one
        checked["id"] = PREVIEW_ID if stored is None else stored.id
        rules = await async_caller_rules(hass, checked, set() if channels is None else channels, None)
        try:
            subject = unsaved_schedule(checked, now=now, rules=rules)
        except ScheduleError as err:
            await async_raise_problems(hass, err.problems)
    elif stored is not None:
        subject = stored
    else:
        raise_error("preview_needs_schedule")
    runs: list[str] = []
    cursor = now
    while len(runs) < count and (upcoming := next_run(subject, cursor)) is not None:
        runs.append(upcoming.isoformat())
        cursor = upcoming
    zone = subject.zone
    start = datetime.combine(parse_day(day, now.astimezone(zone).date()), datetime.min.time(), zone)
    levels = []
    instant = start
    while instant < start + timedelta(days=1):
        level = level_at(subject, instant.astimezone(dt_util.UTC))
        if level is not None:
            levels.append({"time": instant.isoformat(), "level": round(level, 3)})
        instant += PREVIEW_STEP
    days = {
        target: channel_day([subject], start, start + timedelta(days=1), resolution=resolution, target=target)
        for target in subject.targets[:PREVIEW_CURVES]
    }
    first = next(iter(days.values()))
    return {
        "schedule": schedule_answer(hass, subject),
        "next_runs": runs,
        "levels": levels,
        "curve": [point_answer(point) for point in first.points],
        "curves": [
            {
                "target": entity_for_channel(hass, target) or target,
                "points": [point_answer(p) for p in day.points],
            }
            for target, day in days.items()
        ],
    }


def point_answer(point: DayPoint) -> dict[str, Any]:
    """A point of a day's curve as the API gives it."""
    return {"time": point.instant.isoformat(), "level": round(point.level, 2)}


async def async_validate(
    hass: HomeAssistant, payload: Any, schedule_id: Any = None, user_id: str | None = None
) -> dict[str, Any]:
    """Whether a caller's schedule (new, or an update of ``schedule_id``) would be accepted; its problems."""
    engine = engine_of(hass)
    if not isinstance(payload, dict):
        problems = parse_schedule(payload)[1]
    else:
        current = None if schedule_id is None else require_schedule(hass, schedule_id)
        checked, channels = schedule_input(hass, payload)
        if current is None:
            rules = await async_caller_rules(hass, checked, set() if channels is None else channels, user_id)
            build: Callable[[], Schedule] = partial(engine.prepare_create, checked, rules)
        else:
            rules = await async_caller_rules(hass, checked, channels, current.created_by)
            build = partial(engine.prepare_update, current.id, checked, rules)
        try:
            build()
        except ScheduleError as err:
            problems = list(err.problems)
        else:
            problems = []
    return {"valid": not problems, "problems": await async_problem_texts(hass, problems[:PROBLEMS_LISTED])}


# -- the keeper's controls, as actions, buttons and the websocket API use them
def parse_mode(value: object) -> ModeName:
    """A mode's name; raise a translated error naming the field."""
    try:
        return ModeName(value)  # type: ignore[arg-type]
    except ValueError:
        raise_error("unknown_mode", value=excerpt(value), modes=", ".join(mode.value for mode in ModeName))


def parse_mode_minutes(value: object) -> int | None:
    """A mode's length in whole minutes (0: until it is ended), or None for its configured one."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise_error("invalid_mode_minutes", value=excerpt(value), max=str(MODE_MINUTES_MAX))
    if not (isinstance(value, int) or value.is_integer()) or not 0 <= value <= MODE_MINUTES_MAX:
        raise_error("invalid_mode_minutes", value=excerpt(value), max=str(MODE_MINUTES_MAX))
    return int(value)


async def async_require_admin(hass: HomeAssistant, context: Context) -> None:
    """The caller is an administrator (a call without a user, an automation's, may too)."""
    if context.user_id is None:
        return
    user = await hass.auth.async_get_user(context.user_id)
    if user is None or not user.is_admin:
        raise Unauthorized(context=context)


async def async_start_mode(
    hass: HomeAssistant, mode: ModeName, minutes: int | None, context: Context
) -> dict[str, Any]:
    """Start a mode (again) and answer with the keeper's status; a refusal is translated."""
    engine = engine_of(hass)
    try:
        await engine.keeper.async_start_mode(mode, minutes, context)
    except KeeperError as err:
        raise_error(err.key, **err.placeholders)
    return keeper_answer(hass)


async def async_end_mode(hass: HomeAssistant, mode: ModeName, context: Context) -> dict[str, Any]:
    """End a mode under way and answer with the keeper's status; a refusal is translated."""
    try:
        await engine_of(hass).keeper.async_end_mode(mode, context)
    except KeeperError as err:
        raise_error(err.key, **err.placeholders)
    return keeper_answer(hass)


def keeper_answer(hass: HomeAssistant) -> dict[str, Any]:
    """The modes under way and the holds, with entities for channels (what the card and actions return)."""
    keeper = engine_of(hass).keeper
    modes: dict[str, Any] = {}
    for mode in ModeName:
        active = keeper.state.modes.get(mode)
        problem = keeper.config_problem(mode)
        modes[mode.value] = {
            "active": active is not None,
            "started": None if active is None else active.started.isoformat(),
            "ends": None if active is None or active.ends is None else active.ends.isoformat(),
            "held": [] if active is None else [entity_for_channel(hass, c) or c for c in active.levels],
            "holds_schedules": None if active is None else active.hold_schedules,
            "ready": problem is None,
        }
    held = set(keeper.state.holds).union(*(active.levels for active in keeper.state.modes.values()))
    holds: dict[str, Any] = {}
    for channel in sorted(held):  # boards that are away too
        if (what := keeper.held(channel)) is not None:
            by, until = what
            holds[entity_for_channel(hass, channel) or channel] = {
                "by": by,
                "until": None if until is None else until.isoformat(),
            }
    return {"modes": modes, "holds": holds}
