"""The base entity of a channel: its device (under the board's device) and its availability."""

from __future__ import annotations

from typing import TYPE_CHECKING

from homeassistant.helpers.entity import Entity

from .compat import device_info
from .const import DOMAIN, KIND_LIGHT

if TYPE_CHECKING:
    from collections.abc import Callable

    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from . import ReefConfigEntry, ReefRuntime
    from .channel import ChannelController


def async_add_channel_entities(
    entry: ReefConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factory: Callable[[ReefRuntime, ChannelController], Entity],
    kind: str | None = None,
) -> None:
    """Add one entity per channel (of ``kind``, if given), each on its channel's subentry."""
    runtime = entry.runtime_data
    for subentry_id, channel in runtime.channels.items():
        if kind is None or channel.config.kind == kind:
            async_add_entities([factory(runtime, channel)], config_subentry_id=subentry_id)


def board_identifier(entry_unique_id: str) -> tuple[str, str]:
    """The device registry identifier of a board."""
    return (DOMAIN, entry_unique_id)


class ReefChannelEntity(Entity):
    """An entity of one channel, available while its board answers."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, runtime: ReefRuntime, channel: ChannelController) -> None:
        """Bind the entity to a channel and put it on the channel's device, under the board's."""
        self.board = runtime.board
        self.channel = channel
        config = channel.config
        self._attr_device_info = device_info(
            board_identifier(runtime.board_id),
            runtime.board_device_id,
            identifiers={(DOMAIN, config.subentry_id)},
            name=config.name,
            manufacturer="Bella's Reef",
            model="Dimmable LED channel" if config.kind == KIND_LIGHT else "Switched output",
            model_id=f"PCA9685 channel {config.number}",
        )

    @property
    def available(self) -> bool:
        """A channel is available while its board answers."""
        return self.board.available

    async def async_added_to_hass(self) -> None:
        """Follow the board's availability and the channel's state."""
        await super().async_added_to_hass()
        self.async_on_remove(self.board.async_add_listener(self.async_write_ha_state))
        self.async_on_remove(self.channel.async_add_listener(self.async_write_ha_state))
