"""The typed runtime data of the integration's config entries.

Two kinds of entry: a board entry holds a ``ReefRuntime`` (its ``Board``, the single writer of the chip, and
the channels of its subentries); the one scheduler entry ("Schedules") holds the instance's
``ScheduleEngine``. ``is_scheduler_entry`` tells them apart and narrows the type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeIs

from homeassistant.config_entries import ConfigEntry

from .const import CONF_ENTRY_KIND, ENTRY_SCHEDULER

if TYPE_CHECKING:
    from .board import Board
    from .channel import ChannelController
    from .engine import ScheduleEngine


@dataclass
class ReefRuntime:
    """What a loaded board entry holds."""

    board: Board
    board_id: str
    board_device_id: str
    channels: dict[str, ChannelController] = field(default_factory=dict)  # by subentry id


type ReefConfigEntry = ConfigEntry[ReefRuntime]
type SchedulerConfigEntry = ConfigEntry[ScheduleEngine]
type BellasReefConfigEntry = ReefConfigEntry | SchedulerConfigEntry


def is_scheduler_entry(entry: ConfigEntry[Any]) -> TypeIs[SchedulerConfigEntry]:
    """Whether an entry of this integration is the scheduler entry (else it is a board)."""
    return entry.data.get(CONF_ENTRY_KIND) == ENTRY_SCHEDULER
