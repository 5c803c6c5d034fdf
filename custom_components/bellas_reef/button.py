"""The keeper's buttons on the Schedules device: *Feed* and *Maintenance*.

A press starts the mode for its configured time (pressed again while it runs, the countdown starts over).
*Feed* is for everyone who may press a button: it ends by itself, after the time an administrator set.
*Maintenance* may last until it is ended, so it is for administrators (and automations).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.button import ButtonEntity
from homeassistant.core import Context
from homeassistant.helpers.dispatcher import async_dispatcher_connect

from .const import SIGNAL_KEEPER, mode_button_unique_id
from .entity import SchedulerEntity
from .helpers import async_require_admin, async_start_mode
from .models import is_scheduler_entry
from .scheduling.keeper import ModeName

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .engine import ScheduleEngine
    from .models import BellasReefConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant, entry: BellasReefConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Only the Schedules entry has buttons: one per mode."""
    if is_scheduler_entry(entry):
        async_add_entities(ModeButton(entry.runtime_data, mode) for mode in ModeName)


class ModeButton(SchedulerEntity, ButtonEntity):
    """Starts a keeper mode."""

    def __init__(self, engine: ScheduleEngine, mode: ModeName) -> None:
        """One mode's button."""
        super().__init__(engine, mode_button_unique_id(mode))
        self.mode = mode
        self._attr_translation_key = mode.value

    async def async_added_to_hass(self) -> None:
        """Say whether the mode is under way (an attribute), as it changes."""
        await super().async_added_to_hass()
        self.async_on_remove(async_dispatcher_connect(self.hass, SIGNAL_KEEPER, self.async_write_ha_state))

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Whether the mode is under way and when it ends."""
        active = self.engine.keeper.state.modes.get(self.mode)
        ends = None if active is None or active.ends is None else active.ends.isoformat()
        return {"active": active is not None, "ends": ends}

    async def async_press(self) -> None:
        """Start the mode (its countdown over, if it runs)."""
        context = self._context or Context()
        if self.mode is ModeName.MAINTENANCE:
            await async_require_admin(self.hass, context)
        await async_start_mode(self.hass, self.mode, None, context)
