"""Starter schedules: what a board's first light (a reef day and moonlight) or pump (feeding pauses) gets.

Offered by the channel flow when a channel is the first of its kind on its board. The user confirms the
times in that step, so the schedules are created **enabled**. They are ordinary ``static`` schedules of the
built-in presets; nothing else treats them specially.

The checks here keep the starters from fighting each other: moonlight lies in the dark part of the day and
ends before sunrise (a moonlight "off" at the instant the sunrise ramp starts would stop the ramp), and the
sunrise ramp ends by sunset and the sunset ramp by midnight (the diurnal preset's own rules).

Plain Python: the config flow checks the form with it, and the board's set-up builds the schedules with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from .const import SECONDS_PER_DAY, Preset
from .presets import seconds_of_day, timing_problem
from .problems import format_time, parse_time_of_day

if TYPE_CHECKING:
    from datetime import time

# Form fields (and the keys kept in the subentry's data until the schedules exist)
ADD: Final = "add_starters"
SUNRISE: Final = "sunrise"
SUNSET: Final = "sunset"
RAMP_MINUTES: Final = "ramp_minutes"
PEAK_LEVEL: Final = "peak_level"
MOONLIGHT_LEVEL: Final = "moonlight_level"
MOONLIGHT_START: Final = "moonlight_start"
MOONLIGHT_END: Final = "moonlight_end"
DAY_CURVE: Final = "day_curve"  # "ramps": a diurnal preset; "smooth": a profile through the same times
FOLLOW_MOON: Final = "follow_moon"  # the moonlight follows the moon's phase
DAY_CURVES: Final = ("ramps", "smooth")
FEED_TIMES: Final = "feed_times"
PAUSE_MINUTES: Final = "pause_minutes"

LIGHT_DEFAULTS: Final[dict[str, Any]] = {
    ADD: False,
    SUNRISE: "09:00:00",
    SUNSET: "19:00:00",
    RAMP_MINUTES: 120,
    PEAK_LEVEL: 85,
    MOONLIGHT_LEVEL: 3,
    MOONLIGHT_START: "21:30:00",
    MOONLIGHT_END: "06:00:00",
    DAY_CURVE: "ramps",
    FOLLOW_MOON: False,
}
PUMP_DEFAULTS: Final[dict[str, Any]] = {ADD: False, FEED_TIMES: "08:30, 18:30", PAUSE_MINUTES: 10}


def parse_time(value: object) -> time | None:
    """Parse "HH:MM" or "HH:MM:SS" (what the time selector gives, spaces allowed); None if it is neither."""
    return parse_time_of_day(value.strip() if isinstance(value, str) else value)


@dataclass(frozen=True, slots=True)
class LightStarters:
    """A reef day (diurnal preset) and, unless its level is 0, moonlight (moonlight preset)."""

    sunrise: time
    sunset: time
    ramp_minutes: float
    peak_level: float
    moonlight_level: float
    moonlight_start: time
    moonlight_end: time
    smooth: bool = False  # a smooth profile instead of a diurnal's straight ramps
    follow_moon: bool = False

    @classmethod
    def parse(cls, data: dict[str, Any]) -> tuple[LightStarters | None, dict[str, str]]:
        """The starters a form asks for, or the form errors (field: error key)."""
        parsed = {
            field: parse_time(data.get(field)) for field in (SUNRISE, SUNSET, MOONLIGHT_START, MOONLIGHT_END)
        }
        times = {field: value for field, value in parsed.items() if value is not None}
        if len(times) < len(parsed):
            return None, {field: "invalid_time" for field in parsed if field not in times}
        starters = cls(
            sunrise=times[SUNRISE],
            sunset=times[SUNSET],
            ramp_minutes=float(data[RAMP_MINUTES]),
            peak_level=float(data[PEAK_LEVEL]),
            moonlight_level=float(data[MOONLIGHT_LEVEL]),
            moonlight_start=times[MOONLIGHT_START],
            moonlight_end=times[MOONLIGHT_END],
            smooth=data.get(DAY_CURVE, "ramps") == "smooth",
            follow_moon=bool(data.get(FOLLOW_MOON, False)),
        )
        if data.get(DAY_CURVE, "ramps") not in DAY_CURVES:
            return None, {DAY_CURVE: "invalid_day_curve"}
        return starters, starters.problems()

    def problems(self) -> dict[str, str]:
        """What keeps these times from making one sensible day (field: error key)."""
        day = {
            "sunrise": self.sunrise,
            "sunrise_minutes": self.ramp_minutes,
            "sunset": self.sunset,
            "sunset_minutes": self.ramp_minutes,
        }
        if (key := timing_problem(Preset.DIURNAL, day)) is not None:  # the preset's own rules
            return {SUNSET: "day_too_short" if key == "sunrise_past_sunset" else "sunset_too_late"}
        if self.smooth and self.ramp_minutes < 1:  # a smooth curve needs time to rise and fall
            return {RAMP_MINUTES: "smooth_needs_ramp"}
        if self.moonlight_level <= 0:
            return {}
        night_starts = seconds_of_day(self.sunset) + round(self.ramp_minutes * 60)
        sunrise = seconds_of_day(self.sunrise)
        moonlight = {"start": self.moonlight_start, "end": self.moonlight_end}
        if timing_problem(Preset.MOONLIGHT, moonlight):
            return {MOONLIGHT_END: "moonlight_empty"}
        start, end = seconds_of_day(self.moonlight_start), seconds_of_day(self.moonlight_end)
        # the night runs from the end of the sunset ramp round to sunrise; moonlight must fit inside it,
        # ending strictly before sunrise
        night = SECONDS_PER_DAY - (night_starts - sunrise)
        offset = (start - night_starts) % SECONDS_PER_DAY
        length = (end - start) % SECONDS_PER_DAY
        if offset + length >= night:
            return {MOONLIGHT_START: "moonlight_overlaps_day"}
        return {}

    def to_data(self) -> dict[str, Any]:
        """The form's values as kept in the subentry until the schedules are made."""
        return {
            SUNRISE: format_time(self.sunrise),
            SUNSET: format_time(self.sunset),
            RAMP_MINUTES: self.ramp_minutes,
            PEAK_LEVEL: self.peak_level,
            MOONLIGHT_LEVEL: self.moonlight_level,
            MOONLIGHT_START: format_time(self.moonlight_start),
            MOONLIGHT_END: format_time(self.moonlight_end),
            DAY_CURVE: "smooth" if self.smooth else "ramps",
            FOLLOW_MOON: self.follow_moon,
        }

    def schedules(self, channel_id: str, name: str) -> list[dict[str, Any]]:
        """The schedules, as ``create_schedule`` input, with ids that are the same every time."""
        result: list[dict[str, Any]] = [
            {
                "id": f"starter-{channel_id}-day",
                "name": f"{name} reef day",
                "schedule_type": "static",
                **(self._profile() if self.smooth else self._diurnal()),
                "targets": [channel_id],
            }
        ]
        if self.moonlight_level > 0:
            result.append(
                {
                    "id": f"starter-{channel_id}-moonlight",
                    "name": f"{name} moonlight",
                    "schedule_type": "static",
                    "preset": "moonlight",
                    "preset_params": {
                        "night_level": self.moonlight_level,
                        "start": format_time(self.moonlight_start),
                        "end": format_time(self.moonlight_end),
                        **({"follow_moon": True} if self.follow_moon else {}),
                    },
                    "targets": [channel_id],
                }
            )
        return result

    def _diurnal(self) -> dict[str, Any]:
        return {
            "preset": "diurnal",
            "preset_params": {
                "sunrise": format_time(self.sunrise),
                "sunrise_minutes": self.ramp_minutes,
                "peak_level": self.peak_level,
                "sunset": format_time(self.sunset),
                "sunset_minutes": self.ramp_minutes,
            },
        }

    def _profile(self) -> dict[str, Any]:
        """The same day as a smooth profile: dark, up to the peak, the peak, down to dark."""
        ramp = round(self.ramp_minutes * 60)
        moments = [
            (seconds_of_day(self.sunrise), 0.0),
            (seconds_of_day(self.sunrise) + ramp, self.peak_level),
            (seconds_of_day(self.sunset), self.peak_level),
            (seconds_of_day(self.sunset) + ramp, 0.0),
        ]
        points: dict[int, float] = {}
        for (
            seconds,
            level,
        ) in moments:  # a sunset ending at midnight is 00:00; a day without a plateau: one peak
            points[seconds % SECONDS_PER_DAY] = level
        return {
            "preset": "profile",
            "preset_params": {
                "points": [
                    {"time": f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}", "level": level}
                    for s, level in sorted(points.items())
                ],
                "interpolation": "smooth",
            },
        }


@dataclass(frozen=True, slots=True)
class PumpStarters:
    """Feeding pauses (feed_pause preset): the pump stops at each time for some minutes."""

    times: tuple[time, ...]
    pause_minutes: float

    @classmethod
    def parse(cls, data: dict[str, Any]) -> tuple[PumpStarters | None, dict[str, str]]:
        """The starters a form asks for, or the form errors (field: error key)."""
        raw = data.get(FEED_TIMES)
        items = [item for item in str(raw).replace(";", ",").split(",") if item.strip()]
        times = [value for item in items if (value := parse_time(item)) is not None]
        if not items or len(times) < len(items):
            return None, {FEED_TIMES: "invalid_feed_times"}
        starters = cls(tuple(sorted(times)), float(data[PAUSE_MINUTES]))
        return starters, starters.problems()

    def problems(self) -> dict[str, str]:
        """Pauses must not overlap (also across midnight): the preset's own rule."""
        if timing_problem(Preset.FEED_PAUSE, {"times": self.times, "minutes": self.pause_minutes}):
            return {FEED_TIMES: "feed_pauses_overlap"}
        return {}

    def to_data(self) -> dict[str, Any]:
        """The form's values as kept in the subentry until the schedules are made."""
        return {
            FEED_TIMES: ", ".join(format_time(value) for value in self.times),
            PAUSE_MINUTES: self.pause_minutes,
        }

    def schedules(self, channel_id: str, name: str) -> list[dict[str, Any]]:
        """The schedule, as ``create_schedule`` input, with an id that is the same every time."""
        return [
            {
                "id": f"starter-{channel_id}-feed",
                "name": f"{name} feeding pauses",
                "schedule_type": "static",
                "preset": "feed_pause",
                "preset_params": {
                    "times": [format_time(value) for value in self.times],
                    "minutes": self.pause_minutes,
                },
                "targets": [channel_id],
            }
        ]


def starter_schedules(kind: str, data: object, channel_id: str, name: str) -> list[dict[str, Any]]:
    """The schedules kept starter data describes (``kind`` is the channel's: light or switch).

    Raise ``ValueError`` when the data does not describe sensible starters (it was changed by hand).
    """
    if not isinstance(data, dict):
        raise ValueError(f"starter data must be a mapping, not {type(data).__name__}")  # noqa: TRY004
    parser = LightStarters.parse if kind == "light" else PumpStarters.parse
    try:
        starters, errors = parser(data)
    except (KeyError, TypeError, ValueError) as err:
        raise ValueError(f"incomplete starter data ({err!r})") from err
    if starters is None or errors:
        raise ValueError(", ".join(f"{field}: {error}" for field, error in errors.items()))
    return starters.schedules(channel_id, name)
