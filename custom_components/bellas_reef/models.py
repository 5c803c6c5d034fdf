"""The typed runtime data of the integration's config entries.

A board entry holds a ``ReefRuntime``: its ``Board`` (the single writer of the chip) and the channels of its
subentries. The one scheduler entry ("Schedules") holds the instance's schedule engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

if TYPE_CHECKING:
    from .board import Board
    from .channel import ChannelController


@dataclass
class ReefRuntime:
    """What a loaded board entry holds."""

    board: Board
    board_id: str
    board_device_id: str
    channels: dict[str, ChannelController] = field(default_factory=dict)  # by subentry id


type ReefConfigEntry = ConfigEntry[ReefRuntime]
