"""How much of the moon is lit on a night, from the astronomy Home Assistant ships (``astral``).

Home Assistant pins astral 2.2, whose ``astral.moon.phase(date)`` gives the phase as a number of "days"
0..28 (new moon 0, full moon 14), computed from the Moon's elongation ``E`` from the Sun:
``phase = (E + 6.43°) / 360° * 28`` (E rounded to whole degrees). astral 2.2 has no illuminated fraction and
no moonrise or moonset. The fraction follows from the elongation by the standard relation
``k = (1 - cos E) / 2`` (the phase angle is 180° - E for the Earth-Moon-Sun geometry at the accuracy that
matters for a tank), so ``E`` is recovered from the phase and ``k`` computed from it.

A night belongs to the date of its midnight: a wall time from noon on ``D`` to noon on ``D + 1`` lies in the
night whose fraction is that of ``D + 1``.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from functools import lru_cache
import math
from typing import Final

from astral import moon  # type: ignore[import-untyped]  # astral 2.2 ships no type information

_DAYS_PER_CYCLE: Final = 28.0  # astral 2.2's scale of the phase
_PHASE_OFFSET_DEGREES: Final = 6.43
NOON: Final = time(12)


@lru_cache(maxsize=1024)
def illuminated_fraction(midnight: date) -> float:
    """The lit fraction of the Moon's disc (0 new .. 1 full) on the night of ``midnight``."""
    elongation = astral_phase(midnight) / _DAYS_PER_CYCLE * 360.0 - _PHASE_OFFSET_DEGREES
    return (1.0 - math.cos(math.radians(elongation))) / 2.0


def astral_phase(day: date) -> float:
    """Astral's phase of the Moon (0..28) for a date (astral reads it as UTC)."""
    return float(moon.phase(day))


def night_of(day: date, wall: time) -> date:
    """The date of the midnight of the night a wall time on ``day`` belongs to."""
    return day + timedelta(days=1) if wall >= NOON else day


def moon_level(level: float, midnight: date, min_level: float) -> float:
    """A night level scaled by the Moon's lit fraction that night, never below ``min_level``.

    A floor above the night level itself leaves the night level as it is.
    """
    return max(min(min_level, level), level * illuminated_fraction(midnight))
