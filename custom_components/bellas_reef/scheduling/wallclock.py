"""Mapping local wall-clock times to instants, with the DST rules of Vixie cron.

``zoneinfo`` answers "what offset does this wall time have" for both readings (``fold`` 0 and 1) and the two
disagree exactly when the wall time is special:

* **gap** (spring forward, the time does not exist): ``fold=0`` reads it with the offset from before the jump
  and gives the *later* instant, ``fold=1`` the earlier one. The clock jumps at an instant ``U`` between them.
* **fold** (fall back, the time happens twice): ``fold=0`` is the first pass (earlier instant), ``fold=1``
  the second.

Vixie cron's treatment, which every wall-clock schedule here follows:

* a *fixed-time* job (hour and minute fixed) whose time is skipped runs right after the jump, at ``U`` - the
  first instant of the new offset; one whose time repeats runs once, on the first pass;
* a *wildcard* job (``*`` in the hour or minute field) follows the wall clock: nothing in the skipped span,
  and the repeated span runs again (each real hour).

``U`` is not exposed by ``zoneinfo``; a bisection over whole seconds finds it (tz database transitions fall on
whole seconds), about 14 offset look-ups for a one-hour shift. It assumes one transition per gap or fold,
which holds for every zone in the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
import math
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ONE_MICROSECOND: Final = timedelta(microseconds=1)


class WallKind(StrEnum):
    """What a local wall time is on its day."""

    NORMAL = "normal"
    GAP = "gap"
    FOLD = "fold"


@dataclass(frozen=True, slots=True)
class Resolved:
    """The instants (UTC) of one wall time.

    ``first`` is the only instant of a normal time, the first pass of a repeated one and, for a skipped one,
    the instant of the jump. ``second`` is the second pass of a repeated time, otherwise None.
    """

    kind: WallKind
    first: datetime
    second: datetime | None = None


# Zones looked up so far. Looking a name up reads the tz database (blocking I/O): an event loop calls
# ``load_zone`` outside the loop first; every later ``get_zone`` / ``is_zone`` of that name is a dict lookup.
_ZONES: dict[str, ZoneInfo] = {}
_NOT_ZONES: set[str] = set()
_NOT_ZONES_MAX: Final = 1024  # names found not to be zones that are remembered (a caller may send many)
_ZONE_NAME_MAX: Final = 64


def load_zone(name: str) -> bool:
    """Look the zone ``name`` up (blocking: it may read the tz database), remember it; True if it is one."""
    if name in _ZONES:
        return True
    if name in _NOT_ZONES or not name or len(name) > _ZONE_NAME_MAX:
        return False
    try:
        zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError, OSError):
        # ZoneInfo raises ValueError for paths such as "../x" and OSError for directories such as "Europe".
        if len(_NOT_ZONES) >= _NOT_ZONES_MAX:
            _NOT_ZONES.clear()
        _NOT_ZONES.add(name)
        return False
    _ZONES[name] = zone
    return True


def is_looked_up(name: str) -> bool:
    """Whether ``name`` was looked up already (``get_zone`` and ``is_zone`` then do no I/O)."""
    return name in _ZONES or name in _NOT_ZONES


def get_zone(name: str) -> ZoneInfo:
    """Return the IANA zone ``name``; raise ``ValueError`` when it is unknown or malformed."""
    if (zone := _ZONES.get(name)) is not None:
        return zone
    if isinstance(name, str) and load_zone(name):
        return _ZONES[name]
    raise ValueError(f"unknown time zone {name[:_ZONE_NAME_MAX]!r}")


def is_zone(name: object) -> bool:
    """Tell whether ``name`` is a string naming a zone of the tz database."""
    return isinstance(name, str) and load_zone(name)


def to_wall(instant: datetime, zone: ZoneInfo) -> datetime:
    """Return the naive local wall time of an aware instant."""
    return instant.astimezone(zone).replace(tzinfo=None)


def _offset_at(second: int, zone: ZoneInfo) -> timedelta | None:
    return datetime.fromtimestamp(second, UTC).astimezone(zone).utcoffset()


def _transition(before: datetime, after: datetime, zone: ZoneInfo) -> datetime:
    """Return the first whole-second instant in ``(before, after]`` with the offset in force at ``after``."""
    target = after.astimezone(zone).utcoffset()
    low = math.floor(before.timestamp())
    high = math.ceil(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if _offset_at(middle, zone) == target:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def resolve(wall: datetime, zone: ZoneInfo) -> Resolved:
    """Classify a naive wall time in ``zone`` and give its instants (see the module docstring)."""
    earlier_reading = wall.replace(tzinfo=zone, fold=0)
    later_reading = wall.replace(tzinfo=zone, fold=1)
    first = earlier_reading.astimezone(UTC)
    if earlier_reading.utcoffset() == later_reading.utcoffset():
        return Resolved(WallKind.NORMAL, first)
    second = later_reading.astimezone(UTC)
    if first < second:
        return Resolved(WallKind.FOLD, first, second)
    # A gap: fold=1 (new offset) lies before the jump, fold=0 (old offset) after it.
    return Resolved(WallKind.GAP, _transition(second, first, zone))


def fixed_instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """Return the instant a fixed-time job set for ``wall`` runs at: after the jump, or the first pass."""
    return resolve(wall, zone).first


def span_end(resolved: Resolved, zone: ZoneInfo) -> datetime:
    """Return the naive wall time at which a skipped or repeated span ends (the first normal time after it).

    For a gap that is the wall time of the jump; for a fold it is the wall time the old offset would have
    reached at the jump, i.e. the end of the repeated hour (03:00 in Berlin in October).
    """
    if resolved.kind is WallKind.GAP:
        return to_wall(resolved.first, zone)
    if resolved.second is None:
        raise ValueError("a normal wall time does not start a span")
    jump = _transition(resolved.first, resolved.second, zone)
    before = (jump - ONE_MICROSECOND).astimezone(zone)
    return (before + ONE_MICROSECOND).replace(tzinfo=None)


def span_start(resolved: Resolved, zone: ZoneInfo) -> datetime:
    """Return the naive wall time at which a repeated span starts (02:00 in Berlin in October)."""
    if resolved.second is None:
        raise ValueError("only a repeated wall time has a repeated span")
    return to_wall(_transition(resolved.first, resolved.second, zone), zone)
