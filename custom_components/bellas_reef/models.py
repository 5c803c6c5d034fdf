"""The typed runtime data of the integration's config entries, and the one registry of channels.

Two kinds of entry: a board entry holds a ``ReefRuntime`` (its ``Board``, the single writer of the chip, and
the channels of its subentries); the one scheduler entry ("Schedules") holds the instance's
``ScheduleEngine``. ``is_scheduler_entry`` tells them apart and narrows the type.

A channel lives in its board's ``ReefRuntime.channels`` and nowhere else: the engine reads every live
channel through ``LiveChannels``, a view over the board entries (a board's channels are live from the moment
its entities are up, so that a schedule's level wins over a restored one, until the entry unloads).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeIs

from homeassistant.config_entries import ConfigEntry

from .const import CONF_ENTRY_KIND, DOMAIN, ENTRY_SCHEDULER

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

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
    live: bool = False  # its entities are up: schedules drive its channels (until the entry unloads)
    signature: tuple[Any, ...] = ()  # what its set-up was built from (``setup_signature``)


type ReefConfigEntry = ConfigEntry[ReefRuntime]
type SchedulerConfigEntry = ConfigEntry[ScheduleEngine]
type BellasReefConfigEntry = ReefConfigEntry | SchedulerConfigEntry


def is_scheduler_entry(entry: ConfigEntry[Any]) -> TypeIs[SchedulerConfigEntry]:
    """Whether an entry of this integration is the scheduler entry (else it is a board)."""
    return entry.data.get(CONF_ENTRY_KIND) == ENTRY_SCHEDULER


class LiveChannels(Mapping[str, "ChannelController"]):
    """Every live channel of the instance by channel id (subentry id): a view of the boards' registries."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Read the board entries of ``hass``."""
        self._hass = hass

    def _runtimes(self) -> Iterator[ReefRuntime]:
        for entry in self._hass.config_entries.async_entries(DOMAIN):
            runtime = getattr(entry, "runtime_data", None)
            if isinstance(runtime, ReefRuntime) and runtime.live:
                yield runtime

    def __getitem__(self, channel_id: str) -> ChannelController:
        """The channel with this id, if its board is live."""
        for runtime in self._runtimes():
            if (channel := runtime.channels.get(channel_id)) is not None:
                return channel
        raise KeyError(channel_id)

    def __iter__(self) -> Iterator[str]:
        """The ids of the live channels."""
        for runtime in self._runtimes():
            yield from runtime.channels

    def __len__(self) -> int:
        """How many channels are live."""
        return sum(len(runtime.channels) for runtime in self._runtimes())
