"""Diagnostic sensors: the raw 12-bit duty of each channel (disabled by default)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.sensor import SensorEntity, SensorStateClass
from homeassistant.const import EntityCategory

from .entity import ReefChannelEntity

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from . import ReefConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant, entry: ReefConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add a duty sensor for every channel."""
    runtime = entry.runtime_data
    for subentry_id, channel in runtime.channels.items():
        async_add_entities([ReefDutySensor(runtime, channel)], config_subentry_id=subentry_id)


class ReefDutySensor(ReefChannelEntity, SensorEntity):
    """The duty written to the channel's registers (0-4096; 4096 is the full-on bit).

    It follows commands and the end of transitions, not every step of a fade, so that a sunrise does not
    write thousands of states to the recorder.
    """

    _attr_translation_key = "duty"
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_entity_registry_enabled_default = False
    _attr_state_class = SensorStateClass.MEASUREMENT

    def __init__(self, *args: Any) -> None:
        """Unique id: the channel's subentry and ``duty``."""
        super().__init__(*args)
        self._attr_unique_id = f"{self.channel.config.subentry_id}-duty"

    @property
    def native_value(self) -> int:
        """The written duty."""
        return self.channel.duty
