"""Keeper controls in plain Python: feed and maintenance modes, and holds after a change by hand.

A **mode** (``feed``, ``maintenance``) puts some channels at a level of its own for a while - pumps off so
that food is not blown into the overflow, lights dimmed for a water change - and then hands every one back to
what its schedules give now (or to its level from before the mode, where no schedule drives it). What a mode
does is configuration (``ModeConfig``, the Schedules entry's options): which channels go off, which on, which
lights to a level, for how many minutes (0: until it is ended), and whether schedules that fire meanwhile are
held (their runs on those channels recorded ``skipped``) or run.

A **hold** keeps a channel that a level-type schedule drives where a person (or an automation) put it: until
the next event of its schedules (``next_event``, the default), for some minutes (``minutes``), or until the
keeper resumes the schedule (``never`` hands it back by itself). Then the channel returns to the scheduled
level with a soft transition (``HANDBACK_SECONDS``).

The Home Assistant side (``engine.keeper``) keeps the active modes and holds, stores them, arms their ends
and commands the channels; here are the rules, the stored forms and the checks of the configuration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from .const import DATETIME_MAX, DATETIME_MIN

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping


class ModeName(StrEnum):
    """The keeper's modes."""

    FEED = "feed"
    MAINTENANCE = "maintenance"


class HoldPolicy(StrEnum):
    """When a channel changed by hand goes back to its schedule."""

    NEVER = "never"  # only when the schedule is resumed (``bellas_reef.resume_schedule``)
    NEXT_EVENT = "next_event"  # at the next event of its schedules
    MINUTES = "minutes"  # after ``hold_minutes``


MODE_MINUTES_MAX: Final = 1440  # a mode lasts a day at most (0: until it is ended)
HOLD_MINUTES_MAX: Final = 1440
DEFAULT_MODE_MINUTES: Final = {ModeName.FEED: 10, ModeName.MAINTENANCE: 60}
DEFAULT_DIM_LEVEL: Final = 30.0
DEFAULT_HOLD_MINUTES: Final = 60
HANDBACK_SECONDS: Final = 60.0  # the soft transition of a channel handed back to its schedule

# the options' keys
OPTION_MODES: Final = "modes"
OPTION_HOLD: Final = "manual_hold"
OPTION_HOLD_MINUTES: Final = "manual_hold_minutes"


@dataclass(frozen=True, slots=True)
class ModeConfig:
    """What a mode does: channels off, on, or (lights) at ``dim_level``; for ``minutes`` (0: until ended)."""

    off: tuple[str, ...] = ()
    on: tuple[str, ...] = ()
    dim: tuple[str, ...] = ()
    dim_level: float = DEFAULT_DIM_LEVEL
    minutes: int = 10
    hold_schedules: bool = True

    @property
    def channels(self) -> tuple[str, ...]:
        """Every channel the mode touches."""
        return (*self.off, *self.on, *self.dim)

    def level_for(self, channel_id: str, on_level: float) -> float:
        """The level the mode gives a channel (``on_level``: what ``on`` means for it)."""
        if channel_id in self.off:
            return 0.0
        if channel_id in self.on:
            return on_level
        return self.dim_level

    def to_dict(self) -> dict[str, Any]:
        """The stored form (the Schedules entry's options)."""
        return {
            "off": list(self.off),
            "on": list(self.on),
            "dim": list(self.dim),
            "dim_level": self.dim_level,
            "minutes": self.minutes,
            "hold_schedules": self.hold_schedules,
        }

    @classmethod
    def from_dict(cls, mode: ModeName, data: Mapping[str, Any] | None) -> ModeConfig:
        """A mode's configuration from the options (its defaults where they say nothing)."""
        data = data or {}
        return cls(
            off=tuple(str(c) for c in data.get("off", ())),
            on=tuple(str(c) for c in data.get("on", ())),
            dim=tuple(str(c) for c in data.get("dim", ())),
            dim_level=float(data.get("dim_level", DEFAULT_DIM_LEVEL)),
            minutes=int(data.get("minutes", DEFAULT_MODE_MINUTES[mode])),
            hold_schedules=bool(data.get("hold_schedules", True)),
        )


def mode_config(options: Mapping[str, Any], mode: ModeName) -> ModeConfig:
    """The configuration of ``mode`` in the Schedules entry's options."""
    modes = options.get(OPTION_MODES) or {}
    return ModeConfig.from_dict(mode, modes.get(mode.value))


def hold_policy(options: Mapping[str, Any]) -> tuple[HoldPolicy, int]:
    """The hold policy of the options, and its minutes."""
    try:
        policy = HoldPolicy(options.get(OPTION_HOLD, HoldPolicy.NEXT_EVENT))
    except ValueError:
        policy = HoldPolicy.NEXT_EVENT
    return policy, int(options.get(OPTION_HOLD_MINUTES, DEFAULT_HOLD_MINUTES))


def check_mode(config: ModeConfig, kinds: Mapping[str, str]) -> dict[str, str]:
    """Problems of a mode's configuration as the options form shows them: field -> error key.

    ``kinds``: every channel there is, by id, with its kind (``light`` or ``switch``).
    """
    errors: dict[str, str] = {}
    if not config.channels:
        errors["base"] = "mode_without_channels"
    seen: set[str] = set()
    for group in ("off", "on", "dim"):
        for channel in getattr(config, group):
            if channel not in kinds:
                errors[group] = "unknown_channel"
            elif channel in seen:
                errors[group] = "channel_twice"
            elif group == "dim" and kinds[channel] != "light":
                errors[group] = "dim_needs_light"
            seen.add(channel)
    if not 0 <= config.dim_level <= 100:  # noqa: PLR2004 - a level in percent
        errors["dim_level"] = "out_of_range"
    if not 0 <= config.minutes <= MODE_MINUTES_MAX:
        errors["minutes"] = "out_of_range"
    return errors


@dataclass(slots=True)
class ActiveMode:
    """A mode under way: what it holds each channel at, when it ends, and each channel's level before it.

    ``levels`` and ``hold_schedules`` are the configuration as it was at the start (a change of the options
    meanwhile applies to the next start). ``before``: the level each channel had when the mode took it.
    """

    mode: ModeName
    started: datetime
    ends: datetime | None
    levels: dict[str, float]
    before: dict[str, float]
    hold_schedules: bool = True
    user_id: str | None = None
    context_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {
            "mode": self.mode.value,
            "started": self.started.isoformat(),
            "ends": None if self.ends is None else self.ends.isoformat(),
            "levels": dict(self.levels),
            "before": dict(self.before),
            "hold_schedules": self.hold_schedules,
            "user_id": self.user_id,
            "context_id": self.context_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ActiveMode:
        """Read the stored form (raise ``ValueError``, ``KeyError`` or ``TypeError`` on a broken one)."""
        ends = data.get("ends")
        return cls(
            mode=ModeName(data["mode"]),
            started=_instant(data["started"]),
            ends=None if ends is None else _instant(ends),
            levels={str(k): float(v) for k, v in dict(data["levels"]).items()},
            before={str(k): float(v) for k, v in dict(data.get("before") or {}).items()},
            hold_schedules=bool(data.get("hold_schedules", True)),
            user_id=data.get("user_id"),
            context_id=data.get("context_id"),
        )


@dataclass(slots=True)
class Hold:
    """A channel changed by hand, kept there until ``until`` (None: until its schedule is resumed)."""

    channel: str
    since: datetime
    until: datetime | None
    user_id: str | None = None
    context_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {
            "channel": self.channel,
            "since": self.since.isoformat(),
            "until": None if self.until is None else self.until.isoformat(),
            "user_id": self.user_id,
            "context_id": self.context_id,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Hold:
        """Read the stored form (raise ``ValueError``, ``KeyError`` or ``TypeError`` on a broken one)."""
        until = data.get("until")
        return cls(
            channel=str(data["channel"]),
            since=_instant(data["since"]),
            until=None if until is None else _instant(until),
            user_id=data.get("user_id"),
            context_id=data.get("context_id"),
        )


@dataclass(slots=True)
class KeeperState:
    """What the keeper keeps across restarts: modes under way, holds, and returns still owed.

    ``returns``: channels whose mode ended while they were not there (their board down): the level they go
    back to when they come, unless a schedule says otherwise.
    """

    modes: dict[ModeName, ActiveMode] = field(default_factory=dict)
    holds: dict[str, Hold] = field(default_factory=dict)
    returns: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {
            "modes": {mode.value: active.to_dict() for mode, active in self.modes.items()},
            "holds": {channel: hold.to_dict() for channel, hold in self.holds.items()},
            "returns": dict(self.returns),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> tuple[KeeperState, list[str]]:
        """Read the stored form; what cannot be read is left out, and said (one line each)."""
        state = cls()
        broken: list[str] = []
        for name, raw in dict(data.get("modes") or {}).items():
            try:
                active = ActiveMode.from_dict(raw)
            except (ValueError, KeyError, TypeError) as err:
                broken.append(f"mode {name}: {err!r}")
                continue
            state.modes[active.mode] = active
        for channel, raw in dict(data.get("holds") or {}).items():
            try:
                state.holds[str(channel)] = Hold.from_dict(raw)
            except (ValueError, KeyError, TypeError) as err:
                broken.append(f"hold of {channel}: {err!r}")
        for channel, level in dict(data.get("returns") or {}).items():
            try:
                state.returns[str(channel)] = float(level)
            except (ValueError, TypeError) as err:
                broken.append(f"return of {channel}: {err!r}")
        return state, broken


def mode_end(started: datetime, minutes: int) -> datetime | None:
    """When a mode started at ``started`` for ``minutes`` ends (None: 0 minutes, until it is ended)."""
    if minutes <= 0:
        return None
    return min(started + timedelta(minutes=minutes), DATETIME_MAX)


def hold_end(
    policy: HoldPolicy, minutes: int, now: datetime, next_events: Iterable[datetime | None]
) -> datetime | None:
    """Until when a change by hand holds a channel (None: until its schedule is resumed).

    ``next_events``: the next run of each level-type schedule that drives the channel.
    """
    if policy is HoldPolicy.MINUTES:
        return min(now + timedelta(minutes=max(1, minutes)), DATETIME_MAX)
    if policy is HoldPolicy.NEXT_EVENT:
        upcoming = [event for event in next_events if event is not None and event > now]
        return min(upcoming) if upcoming else None
    return None


def _instant(value: object) -> datetime:
    if not isinstance(value, str):
        raise TypeError(f"not an instant: {value!r}")
    instant = datetime.fromisoformat(value)
    if instant.tzinfo is None or not DATETIME_MIN <= instant <= DATETIME_MAX:
        raise ValueError(f"not an instant with an offset in range: {value!r}")
    return instant


__all__ = [
    "HANDBACK_SECONDS",
    "HOLD_MINUTES_MAX",
    "MODE_MINUTES_MAX",
    "ActiveMode",
    "Hold",
    "HoldPolicy",
    "KeeperState",
    "ModeConfig",
    "ModeName",
    "check_mode",
    "hold_end",
    "hold_policy",
    "mode_config",
    "mode_end",
]
