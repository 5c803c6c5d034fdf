"""Dimmable channels as lights: brightness maps onto the perceptual level with full 12-bit resolution."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.light import LightEntity
from homeassistant.components.light.const import ColorMode, LightEntityFeature
from homeassistant.const import STATE_ON
from homeassistant.helpers.restore_state import ExtraStoredData, RestoreEntity

from .const import KIND_LIGHT
from .entity import ReefChannelEntity, async_add_channel_entities, reef_command

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .models import ReefConfigEntry

PARALLEL_UPDATES = 0  # the board merges and serialises writes itself
ATTR_BRIGHTNESS = "brightness"  # light.turn_on's fields (their constants moved between releases)
ATTR_TRANSITION = "transition"


def level_to_brightness(level: float) -> int:
    """HA brightness (1-255) for a level above 0."""
    return max(1, min(255, round(level * 255 / 100)))


def brightness_to_level(brightness: float) -> float:
    """The level (0-100) for an HA brightness (0-255)."""
    return max(0.0, min(100.0, brightness * 100 / 255))


async def async_setup_entry(
    hass: HomeAssistant, entry: ReefConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add a light for every dimmable channel."""
    async_add_channel_entities(entry, async_add_entities, ReefLight, KIND_LIGHT)


@dataclass
class LevelData(ExtraStoredData):
    """The exact level across restarts (HA's brightness has only 255 steps)."""

    level: float
    last_on_level: float

    def as_dict(self) -> dict[str, Any]:
        """Serialise."""
        return {"level": self.level, "last_on_level": self.last_on_level}


class ReefLight(ReefChannelEntity, LightEntity, RestoreEntity):
    """A light channel."""

    holdable = True

    _attr_name = None
    _attr_translation_key = "channel"
    _attr_color_mode = ColorMode.BRIGHTNESS
    _attr_supported_color_modes = {ColorMode.BRIGHTNESS}  # noqa: RUF012 - HA's own attribute
    _attr_supported_features = LightEntityFeature.TRANSITION

    @property
    def is_on(self) -> bool:
        """On while the level is (or is heading) above zero."""
        return self.channel.is_on

    @property
    def brightness(self) -> int | None:
        """The target level as HA brightness."""
        return level_to_brightness(self.channel.target_level) if self.channel.is_on else None

    @reef_command
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Go to the given brightness, or back to the last level it had when on."""
        if ATTR_BRIGHTNESS in kwargs:
            level = brightness_to_level(kwargs[ATTR_BRIGHTNESS])
        else:
            level = self.channel.last_on_level
        self.channel.async_set_level(level, kwargs.get(ATTR_TRANSITION, self.channel.config.transition))

    @reef_command
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Fade to off."""
        self.channel.async_set_level(0.0, kwargs.get(ATTR_TRANSITION, self.channel.config.transition))

    @property
    def extra_restore_state_data(self) -> LevelData:
        """Keep the exact level."""
        return LevelData(self.channel.target_level, self.channel.last_on_level)

    async def async_added_to_hass(self) -> None:
        """Come back at the level the light had before Home Assistant stopped."""
        await super().async_added_to_hass()
        extra = await self.async_get_last_extra_data()
        if extra is not None:
            data = extra.as_dict()
            self.channel.last_on_level = float(data.get("last_on_level", 100.0)) or 100.0
            self.channel.async_set_level(float(data.get("level", 0.0)))
            return
        last = await self.async_get_last_state()
        level = 0.0
        if last is not None and last.state == STATE_ON:
            brightness = last.attributes.get(ATTR_BRIGHTNESS)
            level = brightness_to_level(brightness) if brightness else 100.0
        self.channel.async_set_level(level)
