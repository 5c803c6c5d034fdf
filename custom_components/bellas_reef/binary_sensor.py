"""The scheduler's problem sensor.

It is on when timers and schedules disagree, a run failed, a board is away, a schedule lost a channel, or a
store could not be written; its ``problems`` attribute says which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EntityCategory

from .compat import BinarySensorDeviceClass
from .const import DOMAIN
from .entity import HealthEntity
from .models import is_scheduler_entry

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .engine import ScheduleEngine
    from .models import BellasReefConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant, entry: BellasReefConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Only the scheduler entry has a binary sensor."""
    if is_scheduler_entry(entry):
        async_add_entities([SchedulerProblemSensor(entry.runtime_data)])


def scheduler_problems(hass: HomeAssistant, engine: ScheduleEngine) -> list[str]:
    """What is wrong with the scheduler now, in words; empty when all is well."""
    problems = []
    if not engine.timers_agree():
        problems.append("the armed timers do not match the enabled schedules")
    failed = sorted(engine.schedules[schedule_id].name for schedule_id in engine.index.failed)
    if failed:
        problems.append(f"last run failed: {', '.join(failed)}")
    for entry in hass.config_entries.async_entries(DOMAIN):
        if is_scheduler_entry(entry) or entry.state is not ConfigEntryState.LOADED:
            continue
        if not entry.runtime_data.board.available:
            problems.append(f"board {entry.title} is not answering")
    for store, failure in engine.storage_failures().items():
        problems.append(f"{store} could not be written: {failure}")
    if engine.orphaned:
        names = sorted(engine.schedules[s].name for s in engine.orphaned if s in engine.schedules)
        problems.append(f"schedules with missing channels: {', '.join(names)}")
    return problems


class SchedulerProblemSensor(HealthEntity, BinarySensorEntity):
    """On when something needs a look; the reasons are an attribute."""

    _attr_translation_key = "scheduler_problem"
    _attr_device_class = BinarySensorDeviceClass.PROBLEM
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    key = "problem"

    @property
    def is_on(self) -> bool:
        """Whether there is a problem."""
        return bool(scheduler_problems(self.hass, self.engine))

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The problems in words."""
        return {"problems": scheduler_problems(self.hass, self.engine)}
