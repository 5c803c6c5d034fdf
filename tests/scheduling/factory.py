"""Minimal valid schedule data per type, and shorthands for the tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from custom_components.bellas_reef.scheduling import Schedule

DROP = object()  # an override value that removes the key

CREATED = "2027-01-01T00:00:00+00:00"

BASE: dict[str, Any] = {
    "id": "s1",
    "name": "Lights",
    "targets": ["board1.ch0"],
    "timezone": "Europe/Berlin",
    "created_at": CREATED,
    "updated_at": CREATED,
}

VALID: dict[str, dict[str, Any]] = {
    "one_off": {
        **BASE,
        "schedule_type": "one_off",
        "action_type": "on",
        "run_at": "2027-06-01T08:00:00+02:00",
    },
    "interval": {**BASE, "schedule_type": "interval", "action_type": "toggle", "interval_seconds": 3600},
    "cron": {
        **BASE,
        "schedule_type": "cron",
        "cron_expression": "0 8 * * *",
        "action_type": "set_level",
        "action_params": {"level": 50},
    },
    "recurring": {
        **BASE,
        "schedule_type": "recurring",
        "frequency": "weekly",
        "times": ["08:00"],
        "weekdays": ["mon"],
        "action_type": "ramp",
        "action_params": {"end_level": 80, "duration": 600},
    },
    "static": {
        **BASE,
        "schedule_type": "static",
        "preset": "moonlight",
        "preset_params": {"night_level": 5, "start": "22:00", "end": "02:00"},
    },
}


def data(kind: str, **overrides: Any) -> dict[str, Any]:
    """Return the valid data of ``kind`` with ``overrides`` applied (``DROP`` removes a key)."""
    result = {**VALID[kind], **overrides}
    return {key: value for key, value in result.items() if value is not DROP}


def build(kind: str, **overrides: Any) -> Schedule:
    """Return a schedule from ``data(kind, **overrides)``."""
    return Schedule.from_dict(data(kind, **overrides))


def utc(*fields: int) -> datetime:
    """Return an aware UTC datetime from year, month, day[, hour, minute, second]."""
    return datetime(*fields, tzinfo=UTC)  # type: ignore[misc]


def cron(expression: str, zone: str = "Europe/Berlin", **overrides: Any) -> Schedule:
    """Return a cron schedule."""
    return build("cron", cron_expression=expression, timezone=zone, **overrides)


def daily(times: list[str], zone: str = "Europe/Berlin", **overrides: Any) -> Schedule:
    """Return a daily recurring schedule."""
    return build("recurring", frequency="daily", times=times, weekdays=DROP, timezone=zone, **overrides)


def static(preset: str, params: dict[str, Any], zone: str = "Europe/Berlin", **overrides: Any) -> Schedule:
    """Return a static schedule."""
    return build("static", preset=preset, preset_params=params, timezone=zone, **overrides)
