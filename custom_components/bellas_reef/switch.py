"""On/off channels (pumps, heaters) as switches, with a start-up rule per channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.switch import SwitchEntity
from homeassistant.const import STATE_ON
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.restore_state import ExtraStoredData, RestoreEntity

from .const import DOMAIN, KIND_SWITCH, STARTUP_ON, STARTUP_RESTORE
from .engine.core import ScheduleNotFoundError
from .entity import (
    ReefChannelEntity,
    ScheduleEntity,
    async_add_channel_entities,
    async_setup_schedule_entities,
    reef_command,
)
from .models import is_scheduler_entry

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .models import BellasReefConfigEntry

PARALLEL_UPDATES = 0  # the board merges and serialises writes itself


async def async_setup_entry(
    hass: HomeAssistant, entry: BellasReefConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add a switch for every on/off channel, or (scheduler entry) one per schedule to enable it."""
    if is_scheduler_entry(entry):
        async_setup_schedule_entities(hass, entry, async_add_entities, [ScheduleEnabledSwitch])
        return
    async_add_channel_entities(entry, async_add_entities, ReefSwitch, KIND_SWITCH)


@dataclass
class OnData(ExtraStoredData):
    """Whether the output should be on."""

    on: bool

    def as_dict(self) -> dict[str, Any]:
        """Serialise."""
        return {"on": self.on}


class ReefSwitch(ReefChannelEntity, SwitchEntity, RestoreEntity):
    """A switched output: full duty (or the configured duty) when on, off when off."""

    holdable = True

    _attr_name = None
    _attr_translation_key = "channel"

    @property
    def is_on(self) -> bool:
        """Whether the output is on."""
        return self.channel.is_on

    @reef_command
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch on at the configured duty."""
        self.channel.async_set_level(self.channel.config.on_duty)

    @reef_command
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch off."""
        self.channel.async_set_level(0.0)

    @property
    def extra_restore_state_data(self) -> OnData:
        """Keep what the output should be, whatever the board's availability at shutdown."""
        return OnData(self.channel.is_on)

    async def async_added_to_hass(self) -> None:
        """Apply the start-up rule: the last state, always on (a return pump) or always off."""
        await super().async_added_to_hass()
        startup = self.channel.config.startup
        if startup == STARTUP_RESTORE:
            # The stored wish, not the last state: a pump whose board was unavailable at shutdown
            # still comes back on.
            extra = await self.async_get_last_extra_data()
            if extra is not None:
                on = bool(extra.as_dict().get("on"))
            else:
                last = await self.async_get_last_state()
                on = last is not None and last.state == STATE_ON
        else:
            on = startup == STARTUP_ON
        self.channel.async_set_level(self.channel.config.on_duty if on else 0.0)


class ScheduleEnabledSwitch(ScheduleEntity, SwitchEntity):
    """Enables or disables one schedule; named after it."""

    key = "enabled"
    _attr_translation_key = "schedule_enabled"

    @property
    def name(self) -> str | None:
        """The schedule's own name."""
        schedule = self.schedule
        return schedule.name if schedule is not None else None

    @property
    def is_on(self) -> bool:
        """Whether the schedule is enabled."""
        schedule = self.schedule
        return schedule is not None and schedule.enabled

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Enable the schedule from now on."""
        await self._async_set(enabled=True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Disable the schedule; its timer is cancelled at once."""
        await self._async_set(enabled=False)

    async def _async_set(self, *, enabled: bool) -> None:
        try:
            await self.engine.async_set_enabled(self.schedule_id, enabled=enabled)
        except ScheduleNotFoundError as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="schedule_not_found",
                translation_placeholders={"schedule_id": self.schedule_id},
            ) from err
