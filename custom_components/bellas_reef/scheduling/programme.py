"""Light programmes: a schedule's level over time as *pieces*, each a ramp a channel runs on its own.

A ``profile`` (a curve of points), a ``diurnal`` with ``clouds``, and a ``diurnal`` or ``moonlight`` with the
schedule's ``acclimation`` are programmes. Their runs are the instants where a piece begins; at each, every
target whose curve changes course there is handed its piece: go from ``from_level`` to ``to_level`` over
``duration`` seconds, ``elapsed`` of them already behind (a piece that starts in the middle of a segment),
perceptual or smooth. The channel then writes every 12-bit step on its own timing: the engine wakes only
where the commanded level changes course, never on a tick.

How the pieces are made, per target and local date:

* **Profile.** The points are wall times in the schedule's zone; each target's curve is the profile moved
  by its ``shift_minutes`` and scaled by its ``scale``. Between two points the level moves on the perceptual
  scale, in a straight line (``linear``) or eased in and out (``smooth``); the curve wraps past midnight.
  **Time rules**: the level at any real instant is the curve's value at the wall-clock time then. So on a
  spring-forward day the skipped hour is absent (right after the jump the level is the curve's value at
  03:00), on a fall-back day the repeated hour plays the same levels twice; a segment across a jump is two
  pieces, the second starting part-way (``elapsed``). Zones with half-hour jumps (Australia/Lord_Howe) need
  nothing special: the jump is found, not assumed.
* **Diurnal, moonlight.** Their events (``presets``: fixed-time DST rule) replayed, each piece starting
  from the level the one before had reached.
* **Moon.** A profile's night points (``night``) and a moonlight with ``follow_moon`` are scaled by the
  Moon's lit fraction that night (``moon``), not below ``min_level``.
* **Acclimation.** Every level of a local date is scaled by ``acclimation.factor`` of that date, so the
  level steps at local midnight while the factor grows (a piece at midnight, only when the light is on).
* **Clouds.** Between ``start`` and ``end`` the day is cut into equal slots, one cloud in each, of a length
  and place drawn from a random sequence seeded by the schedule's id and the local date: the same day always
  has the same clouds, a restart lands in the same cloud, and all targets dim together. A cloud fades down
  over its first quarter, holds at ``100 - depth`` % of the curve, and fades back over its last quarter; the
  fades are straight lines (perceptual) between the curve's values at their ends, the hold follows the curve
  exactly.
* Pieces that only continue the one before (the same ramp, or the level a ramp ended at) are dropped.

The results are cached per schedule content, target and date (``_CACHE_SIZE`` days), so arming a timer or
drawing a day costs a look-up.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
import hashlib
from itertools import pairwise
import json
import math
import random
from typing import TYPE_CHECKING, Any, Final

from .const import LEVEL_MAX, LEVEL_MIN, SECONDS_PER_DAY, Interpolation, Preset, RampCurve, ScheduleType
from .curves import ramp_level_at
from .lightparams import (
    Acclimation,
    Clouds,
    Offset,
    Point,
    check_clouds,
    check_offsets,
    check_points,
    read_acclimation,
)
from .moon import moon_level, night_of
from .presets import preset_events
from .problems import Checker, ScheduleError
from .wallclock import ONE_MICROSECOND, _transition, fixed_instant, to_wall

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from zoneinfo import ZoneInfo

    from .model import Schedule

_LEVEL_TOLERANCE: Final = 1e-9
_TIME_TOLERANCE: Final = 1e-3  # seconds
_HALF_DAY: Final = SECONDS_PER_DAY // 2
_CACHE_SIZE: Final = 1024
_LOOK_AHEAD_DAYS: Final = 3  # a programme's next run is within this many local dates, or it has none
_LIGHT_PRESETS: Final = frozenset({Preset.DIURNAL, Preset.MOONLIGHT, Preset.PROFILE})


@dataclass(frozen=True, slots=True)
class Piece:
    """From ``start`` on: a ramp from ``from_level`` to ``to_level`` over ``duration`` s.

    ``elapsed`` seconds of the ramp are behind at ``start``. A flat piece (``duration`` 0) holds its level.
    """

    start: datetime
    from_level: float
    to_level: float
    duration: float = 0.0
    elapsed: float = 0.0
    curve: RampCurve = RampCurve.PERCEPTUAL

    @property
    def flat(self) -> bool:
        """Whether the piece holds one level."""
        return self.duration <= 0

    @property
    def origin(self) -> datetime:
        """Where the piece's ramp began (its ``start`` less ``elapsed``)."""
        return self.start - timedelta(seconds=self.elapsed)

    @property
    def end(self) -> datetime:
        """Where the piece's ramp reaches ``to_level`` (its start, when flat)."""
        return self.origin + timedelta(seconds=self.duration)

    def level_at(self, instant: datetime) -> float:
        """The level at ``instant`` (at or after ``start``)."""
        if self.flat:
            return self.from_level
        return ramp_level_at(
            self.from_level, self.to_level, self.origin, self.duration, instant, curve=self.curve
        )

    def scaled(self, factor: float) -> Piece:
        """The piece with its levels multiplied by ``factor``."""
        if factor == 1.0:
            return self
        return replace(self, from_level=self.from_level * factor, to_level=self.to_level * factor)

    def resumed(self, instant: datetime) -> Piece:
        """The same ramp, as a piece that begins at ``instant`` (at or after ``start``)."""
        if self.flat:
            return replace(self, start=instant)
        return piece(
            instant,
            self.from_level,
            self.to_level,
            self.duration,
            self.elapsed + (instant - self.start).total_seconds(),
            self.curve,
        )


def piece(  # noqa: PLR0917 - a piece's six parts, in their order
    start: datetime,
    from_level: float,
    to_level: float,
    duration: float = 0.0,
    elapsed: float = 0.0,
    curve: RampCurve = RampCurve.PERCEPTUAL,
) -> Piece:
    """A piece in normal form: a ramp already over, or between equal levels, is flat."""
    if duration <= elapsed + _TIME_TOLERANCE:
        return Piece(start, to_level, to_level)
    if abs(from_level - to_level) < _LEVEL_TOLERANCE:
        return Piece(start, from_level, from_level)
    return Piece(start, from_level, to_level, duration, max(0.0, elapsed), curve)


@dataclass(frozen=True, slots=True)
class Programme:
    """Everything a schedule's pieces are made from, read once per schedule content."""

    schedule: Schedule
    points: tuple[Point, ...]
    curve: RampCurve
    offsets: Mapping[str, Offset]
    follow_moon: bool
    min_level: float
    clouds: Clouds | None
    acclimation: Acclimation | None


def is_programme(schedule: Schedule) -> bool:
    """Whether a schedule runs as a programme: a profile, a diurnal with clouds, an acclimating light."""
    if schedule.schedule_type is not ScheduleType.STATIC or schedule.preset not in _LIGHT_PRESETS:
        return False
    if schedule.preset is Preset.PROFILE or schedule.acclimation is not None:
        return True
    return schedule.preset is Preset.DIURNAL and schedule.preset_params.get("clouds") is not None


# -- the answers the calculator, the changes and the levels ask for


def programme_next_run(schedule: Schedule, after: datetime) -> datetime | None:
    """The first instant after ``after`` where a piece of some target begins (within a few days)."""
    programme = _programme(schedule)
    day = after.astimezone(schedule.zone).date()
    for offset in range(-1, _LOOK_AHEAD_DAYS + 1):
        runs = _runs(programme, day + timedelta(days=offset))
        index = bisect_right(runs, after)
        if index < len(runs):
            return runs[index]
    return None


def programme_pieces_at(schedule: Schedule, instant: datetime) -> dict[str, Piece]:
    """The pieces that begin at ``instant``, by target (none for a target that only carries on)."""
    programme = _programme(schedule)
    day = instant.astimezone(schedule.zone).date()
    found: dict[str, Piece] = {}
    for target in schedule.targets:
        for candidate in _final(programme, target, day):
            if candidate.start == instant:
                found[target] = candidate
    return found


def programme_piece(schedule: Schedule, instant: datetime, target: str | None = None) -> Piece:
    """The piece in force at ``instant`` for ``target`` (the first target when None)."""
    programme = _programme(schedule)
    target = schedule.targets[0] if target is None or target not in schedule.targets else target
    day = instant.astimezone(schedule.zone).date()
    pieces = _raw(programme, target, day)
    index = bisect_right([item.start for item in pieces], instant)
    if index == 0:  # cannot happen: the raw pieces of a day begin with the day before
        raise ValueError(f"no piece of schedule {schedule.id!r} at {instant.isoformat()}")
    return pieces[index - 1]


def programme_level_at(schedule: Schedule, instant: datetime, target: str | None = None) -> float:
    """The level a programme gives ``target`` at ``instant``."""
    return programme_piece(schedule, instant, target).level_at(instant)


def acclimation_factor(schedule: Schedule, instant: datetime) -> float | None:
    """Today's acclimation factor (1 once it is over), None without acclimation."""
    if schedule.acclimation is None:
        return None
    acclimation = read_acclimation(schedule.acclimation)
    if acclimation is None:
        return None
    return acclimation.factor(instant.astimezone(schedule.zone).date())


def cloud_times(schedule: Schedule, day: date) -> list[tuple[datetime, datetime, datetime, datetime]]:
    """The clouds of a local date: when each begins to fade down, holds, begins to fade up, and ends."""
    programme = _programme(schedule)
    return [(cloud.begin, cloud.held, cloud.release, cloud.end) for cloud in _clouds(programme, day)]


# -- reading a schedule


def _fingerprint(schedule: Schedule) -> str:
    """The schedule's content that its pieces depend on, as a key (remembered per schedule object)."""
    known = _FINGERPRINTS.get(id(schedule))
    if known is not None and known[0] is schedule:  # the object is held there, so its id is not reused
        return known[1]
    content = {
        "id": schedule.id,
        "zone": schedule.timezone,
        "preset": None if schedule.preset is None else schedule.preset.value,
        "targets": list(schedule.targets),
        "params": _plain(schedule.preset_params),
        "acclimation": _plain(schedule.acclimation),
    }
    key = json.dumps(content, sort_keys=True, separators=(",", ":"))
    _FINGERPRINTS.put(id(schedule), (schedule, key))
    return key


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "items"):
        return {key: _plain(inner) for key, inner in value.items()}
    return [_plain(item) for item in value]


class _Lru[K, V]:
    """A small least-recently-used cache."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self.items.get(key)
        if value is not None:
            self.items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> V:
        self.items[key] = value
        self.items.move_to_end(key)
        while len(self.items) > self.size:
            self.items.popitem(last=False)
        return value


_FINGERPRINTS: _Lru[int, tuple[Schedule, str]] = _Lru(256)
_PROGRAMMES: _Lru[str, Programme] = _Lru(256)
_DAYS: _Lru[tuple[str, str, date], tuple[tuple[Piece, ...], tuple[Piece, ...]]] = _Lru(_CACHE_SIZE)
_RUNS: _Lru[tuple[str, date], tuple[datetime, ...]] = _Lru(_CACHE_SIZE)


def _programme(schedule: Schedule) -> Programme:
    key = _fingerprint(schedule)
    if (found := _PROGRAMMES.get(key)) is not None:
        return found
    if not is_programme(schedule):
        raise ValueError(f"schedule {schedule.id!r} is not a light programme")
    params = schedule.preset_params
    checker = Checker()
    points: tuple[Point, ...] = ()
    if schedule.preset is Preset.PROFILE:
        points = check_points(checker, "preset_params.points", _plain(params.get("points"))) or ()
    offsets: tuple[Offset, ...] = ()
    if params.get("offsets") is not None:
        offsets = check_offsets(checker, "preset_params.offsets", _plain(params["offsets"]), None) or ()
    clouds = None
    if params.get("clouds") is not None:
        clouds = check_clouds(checker, "preset_params.clouds", _plain(params["clouds"]))
    if checker.problems:
        raise ScheduleError(checker.problems)
    smooth = params.get("interpolation") == Interpolation.SMOOTH
    programme = Programme(
        schedule=schedule,
        points=points,
        curve=RampCurve.SMOOTH if smooth else RampCurve.PERCEPTUAL,
        offsets={offset.target: offset for offset in offsets},
        follow_moon=bool(params.get("follow_moon", False)),
        min_level=float(params.get("min_level", LEVEL_MIN)),
        clouds=clouds,
        acclimation=read_acclimation(schedule.acclimation),
    )
    return _PROGRAMMES.put(key, programme)


# -- pieces per target and date


def _final(programme: Programme, target: str, day: date) -> tuple[Piece, ...]:
    """The pieces that begin on local date ``day``, without those that only carry on."""
    return _day(programme, target, day)[1]


def _raw(programme: Programme, target: str, day: date) -> tuple[Piece, ...]:
    """Every piece from the start of the day before ``day`` to the end of ``day`` (for levels)."""
    return _day(programme, target, day)[0]


def _day(programme: Programme, target: str, day: date) -> tuple[tuple[Piece, ...], tuple[Piece, ...]]:
    key = (_fingerprint(programme.schedule), target, day)
    if (found := _DAYS.get(key)) is not None:
        return found
    zone = programme.schedule.zone
    first, last = day - timedelta(days=2), day + timedelta(days=2)
    pieces = _base(programme, target, first, last)
    if programme.acclimation is not None:
        pieces = _acclimated(pieces, programme.acclimation, zone, first, last)
    if programme.clouds is not None:
        clouds = [cloud for cloud_day in _dates(first, last) for cloud in _clouds(programme, cloud_day)]
        pieces = _overcast(pieces, clouds)
    pieces = _last_at_each_instant(pieces)
    begin = _midnight(day, zone)
    end = _midnight(day + timedelta(days=1), zone)
    raw = tuple(item for item in pieces if _midnight(day - timedelta(days=1), zone) <= item.start < end)
    final = tuple(item for item in _without_repeats(pieces) if begin <= item.start < end)
    return _DAYS.put(key, (raw, final))


def _runs(programme: Programme, day: date) -> tuple[datetime, ...]:
    """The instants of local date ``day`` where a piece of some target begins."""
    key = (_fingerprint(programme.schedule), day)
    if (found := _RUNS.get(key)) is not None:
        return found
    instants = {
        item.start for target in programme.schedule.targets for item in _final(programme, target, day)
    }
    return _RUNS.put(key, tuple(sorted(instants)))


def _dates(first: date, last: date) -> Iterable[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return fixed_instant(datetime.combine(day, time()), zone)


def _base(programme: Programme, target: str, first: date, last: date) -> list[Piece]:
    """The curve before acclimation and clouds: a profile's segments, or a preset's replayed events."""
    if programme.schedule.preset is Preset.PROFILE:
        pieces: list[Piece] = []
        for day in _dates(first, last):
            pieces += _profile_day(programme, target, day)
        return pieces
    return _event_pieces(programme.schedule, first, last)


def _profile_day(programme: Programme, target: str, day: date) -> list[Piece]:
    """The pieces of a profile for one target on one local date (see the time rules above)."""
    zone = programme.schedule.zone
    offset = programme.offsets.get(target)
    shift = 0.0 if offset is None else offset.shift_minutes * 60
    scale = 1.0 if offset is None else offset.scale / LEVEL_MAX
    occurrences: list[tuple[float, float]] = []  # (wall seconds from this day's midnight, level)
    for days in range(-2, 3):
        for point in programme.points:
            wall = point.seconds + shift + days * SECONDS_PER_DAY
            level = point.level
            if point.night and programme.follow_moon:
                whole = math.floor(wall / SECONDS_PER_DAY)
                on = day + timedelta(days=whole)
                clock = time(int(wall - whole * SECONDS_PER_DAY) // 3600)
                level = moon_level(level, night_of(on, clock), programme.min_level)
            occurrences.append((wall, level * scale))
    occurrences.sort()
    pieces: list[Piece] = []
    for begin, end, wall_begin in _wall_spans(day, zone):
        wall_end = wall_begin + (end - begin).total_seconds()
        for (wall_a, level_a), (wall_b, level_b) in pairwise(occurrences):
            if wall_b <= wall_begin or wall_a >= wall_end:
                continue
            at = max(wall_a, wall_begin)
            pieces.append(
                piece(
                    begin + timedelta(seconds=at - wall_begin),
                    level_a,
                    level_b,
                    wall_b - wall_a,
                    at - wall_a,
                    programme.curve,
                )
            )
    return pieces


def _wall_spans(day: date, zone: ZoneInfo) -> list[tuple[datetime, datetime, float]]:
    """The real spans of a local date with one UTC offset each: (begin, end, wall seconds at begin)."""
    start = _midnight(day, zone)
    stop = _midnight(day + timedelta(days=1), zone)
    midnight = datetime.combine(day, time())
    last_offset = (stop - ONE_MICROSECOND).astimezone(zone).utcoffset()
    spans: list[tuple[datetime, datetime, float]] = []
    cursor = start
    while cursor < stop:
        if cursor.astimezone(zone).utcoffset() == last_offset:
            following = stop
        else:
            following = min(stop, _transition(cursor, stop - ONE_MICROSECOND, zone))
        spans.append((cursor, following, (to_wall(cursor, zone) - midnight).total_seconds()))
        cursor = following
    return spans


def _event_pieces(schedule: Schedule, first: date, last: date) -> list[Piece]:
    """A diurnal's or moonlight's events, each a piece from the level the one before had reached."""
    events = preset_events(schedule, first - timedelta(days=2), last + timedelta(days=1))
    pieces: list[Piece] = []
    level = events[0].level
    for previous, event in pairwise(events):
        level = ramp_level_at(level, previous.level, previous.instant, previous.ramp_seconds, event.instant)
        pieces.append(piece(event.instant, level, event.level, event.ramp_seconds))
    return pieces


def _acclimated(
    pieces: list[Piece], acclimation: Acclimation, zone: ZoneInfo, first: date, last: date
) -> list[Piece]:
    """Each local date's levels scaled by its acclimation factor (a piece begins at every midnight)."""
    pieces = _last_at_each_instant(pieces)
    starts = [item.start for item in pieces]
    cut: list[Piece] = list(pieces)
    for day in _dates(first, last):
        midnight = _midnight(day, zone)
        index = bisect_right(starts, midnight)
        if index and starts[index - 1] != midnight:
            cut.append(pieces[index - 1].resumed(midnight))
    return [item.scaled(acclimation.factor(item.start.astimezone(zone).date())) for item in _sorted(cut)]


@dataclass(frozen=True, slots=True)
class _Cloud:
    """One cloud: it fades down from ``begin`` to ``held``, holds, fades up from ``release`` to ``end``."""

    begin: datetime
    held: datetime
    release: datetime
    end: datetime
    factor: float


def _clouds(programme: Programme, day: date) -> list[_Cloud]:
    """The clouds of a local date, the same every time for the same schedule and date."""
    clouds = programme.clouds
    if clouds is None:
        return []
    zone = programme.schedule.zone
    window_start = fixed_instant(datetime.combine(day, clouds.start), zone)
    window_end = fixed_instant(datetime.combine(day, clouds.end), zone)
    window = (window_end - window_start).total_seconds()
    count = round(clouds.per_hour * window / 3600)
    if count <= 0:
        return []
    slot = window / count
    seed = hashlib.sha256(f"{programme.schedule.id}|{day.isoformat()}".encode()).digest()
    rng = random.Random(int.from_bytes(seed[:8], "big"))  # noqa: S311 - weather, not secrets
    found: list[_Cloud] = []
    for index in range(count):  # whole seconds: the runs are easy to read
        length = max(
            4, min(math.floor(slot), round(rng.uniform(clouds.min_minutes, clouds.max_minutes) * 60))
        )
        begin = window_start + timedelta(seconds=math.floor(index * slot + rng.uniform(0.0, slot - length)))
        fade = timedelta(seconds=max(1, round(length / 4)))
        end = begin + timedelta(seconds=length)
        found.append(_Cloud(begin, begin + fade, end - fade, end, 1.0 - clouds.depth / LEVEL_MAX))
    return found


def _overcast(pieces: list[Piece], clouds: Iterable[_Cloud]) -> list[Piece]:
    """The pieces with the clouds laid over them, one after the other.

    Each cloud changes only the pieces between its begin and its end: they are replaced in place in the
    sorted list (a whole day's clouds cost what their own pieces cost, not the whole list again each).
    """
    pieces = _sorted(pieces)
    starts = [item.start for item in pieces]
    for cloud in clouds:

        def in_force(instant: datetime) -> Piece | None:
            index = bisect_right(starts, instant)
            return pieces[index - 1] if index else None

        first, held, release, last = (
            in_force(cloud.begin),
            in_force(cloud.held),
            in_force(cloud.release),
            in_force(cloud.end),
        )
        if first is None or held is None or release is None or last is None:
            continue
        low, high = bisect_left(starts, cloud.begin), bisect_left(starts, cloud.end)
        fade = (cloud.held - cloud.begin).total_seconds()
        inside = [
            piece(cloud.begin, first.level_at(cloud.begin), held.level_at(cloud.held) * cloud.factor, fade),
            held.resumed(cloud.held).scaled(cloud.factor),
            *(
                item.scaled(cloud.factor)
                for item in pieces[low:high]
                if cloud.held < item.start < cloud.release
            ),
            piece(
                cloud.release,
                release.level_at(cloud.release) * cloud.factor,
                last.level_at(cloud.end),
                (cloud.end - cloud.release).total_seconds(),
            ),
        ]
        inside = _sorted(inside)
        pieces[low:high] = inside
        starts[low:high] = [item.start for item in inside]
        after = bisect_right(starts, cloud.end)  # the cloud's end applies over what starts there too
        pieces.insert(after, last.resumed(cloud.end))
        starts.insert(after, cloud.end)
    return pieces


def _sorted(pieces: Iterable[Piece]) -> list[Piece]:
    """In order of start; of pieces at one instant the later made stays last (it applies)."""
    return [item for _, _, item in sorted((item.start, order, item) for order, item in enumerate(pieces))]


def _last_at_each_instant(pieces: Iterable[Piece]) -> list[Piece]:
    """Sorted, one piece per instant: the one that applies there (made last)."""
    result: list[Piece] = []
    for item in _sorted(pieces):
        if result and result[-1].start == item.start:
            result[-1] = item
        else:
            result.append(item)
    return result


def _carries_on(before: Piece, after: Piece) -> bool:
    """Whether ``after`` only continues what ``before`` does (it need not run)."""
    if after.flat:
        if before.flat:
            return abs(before.from_level - after.from_level) < _LEVEL_TOLERANCE
        ended = (before.end - after.start).total_seconds() <= _TIME_TOLERANCE
        return ended and abs(before.to_level - after.from_level) < _LEVEL_TOLERANCE
    return (
        not before.flat
        and before.curve is after.curve
        and abs(before.from_level - after.from_level) < _LEVEL_TOLERANCE
        and abs(before.to_level - after.to_level) < _LEVEL_TOLERANCE
        and abs(before.duration - after.duration) < _TIME_TOLERANCE
        and abs((before.origin - after.origin).total_seconds()) < _TIME_TOLERANCE
    )


def _without_repeats(pieces: list[Piece]) -> list[Piece]:
    """The pieces without those that only carry on from the one before."""
    kept: list[Piece] = []
    for item in pieces:
        if kept and _carries_on(kept[-1], item):
            continue
        kept.append(item)
    return kept


def clear_cache() -> None:
    """Forget every cached programme and day (tests; a schedule's content is its key otherwise)."""
    _FINGERPRINTS.items.clear()
    _PROGRAMMES.items.clear()
    _DAYS.items.clear()
    _RUNS.items.clear()


__all__ = [
    "Piece",
    "acclimation_factor",
    "clear_cache",
    "cloud_times",
    "is_programme",
    "piece",
    "programme_level_at",
    "programme_next_run",
    "programme_piece",
    "programme_pieces_at",
]
