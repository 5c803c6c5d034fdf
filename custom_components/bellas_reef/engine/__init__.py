"""The scheduler inside Home Assistant: timers, firing, restart rules, device actions and their history.

``core`` holds ``ScheduleEngine`` (one armed timer per enabled schedule); ``actions`` and ``runner`` carry out
device actions, ``history`` records them, ``storage`` keeps schedules and history in Home Assistant's stores,
``issues`` raises the repair issues. Nothing here imports a platform: entities read the engine, never the
other way round. The scheduling rules themselves are HA-free, in ``..scheduling``.
"""

from __future__ import annotations

from .core import ENGINE_KEY, ScheduleEngine

__all__ = ["ENGINE_KEY", "ScheduleEngine"]
