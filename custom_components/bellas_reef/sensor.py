"""Sensors: each channel's raw 12-bit duty (disabled by default), schedules' next runs, scheduler health."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.components.sensor import SensorDeviceClass, SensorEntity, SensorStateClass
from homeassistant.const import EntityCategory
from homeassistant.core import callback
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.translation import async_get_cached_translations
from homeassistant.util import dt as dt_util

from .const import DOMAIN, SIGNAL_KEEPER
from .entity import (
    HealthEntity,
    ReefChannelEntity,
    ScheduleEntity,
    SchedulerEntity,
    async_add_channel_entities,
    async_setup_schedule_entities,
)
from .helpers import entity_for_channel
from .models import is_scheduler_entry
from .scheduling.keeper import ModeName
from .scheduling.programme import acclimation_factor

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity import Entity
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .engine import ScheduleEngine
    from .models import BellasReefConfigEntry
    from .scheduling import Schedule

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant, entry: BellasReefConfigEntry, async_add_entities: AddConfigEntryEntitiesCallback
) -> None:
    """Add a duty sensor for every channel, or (scheduler entry) next-run and health sensors."""
    if is_scheduler_entry(entry):
        engine = entry.runtime_data
        health: list[Entity] = [
            EnabledSchedulesSensor(engine),
            FailedActionsSensor(engine),
            NextRunSensor(engine),
            *(ModeSensor(engine, mode) for mode in ModeName),
        ]
        async_setup_schedule_entities(hass, entry, async_add_entities, [ScheduleNextRunSensor], health)
        return
    async_add_channel_entities(entry, async_add_entities, ReefDutySensor)


class ReefDutySensor(ReefChannelEntity, SensorEntity):
    """The duty written to the channel's registers (0-4096; 4096 is the full-on bit).

    It follows commands and the end of transitions, not every step of a fade, so that a sunrise does not
    write thousands of states to the recorder.
    """

    key = "duty"
    _attr_translation_key = "duty"
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_entity_registry_enabled_default = False
    _attr_state_class = SensorStateClass.MEASUREMENT

    @property
    def native_value(self) -> int:
        """The written duty."""
        return self.channel.duty


class ScheduleNextRunSensor(ScheduleEntity, SensorEntity):
    """When a schedule runs next; its last run and how that went as attributes."""

    key = "next_run"
    _attr_translation_key = "schedule_next_run"
    _attr_device_class = SensorDeviceClass.TIMESTAMP

    def __init__(self, engine: ScheduleEngine, schedule_id: str, *, enabled_default: bool = True) -> None:
        """Name it after the schedule: the translated "<schedule> next run"."""
        super().__init__(engine, schedule_id, enabled_default=enabled_default)
        self._attr_translation_placeholders = {"schedule": engine.schedules[schedule_id].name}

    @callback
    def _async_changed(self, *args: Any) -> None:
        """A renamed schedule renames its sensor."""
        schedule = self.schedule
        if schedule is not None and schedule.name != self.translation_placeholders["schedule"]:
            self._attr_translation_placeholders = {"schedule": schedule.name}
        super()._async_changed(*args)

    @property
    def name(self) -> str:
        """The translated name with the placeholders as they are now.

        Home Assistant works an entity's name out once and keeps it; a schedule can be renamed, so the name is
        made here from the integration's translations (in the instance's language) each time.
        """
        translations = async_get_cached_translations(self.hass, self.hass.config.language, "entity", DOMAIN)
        template = translations.get(
            f"component.{DOMAIN}.entity.sensor.{self.translation_key}.name", "{schedule} next run"
        )
        return template.format(**self.translation_placeholders)

    @property
    def native_value(self) -> datetime | None:
        """The next run (none when disabled or finished)."""
        schedule = self.schedule
        return None if schedule is None else schedule.next_run

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The run record and what the schedule drives."""
        schedule = self.schedule
        if schedule is None:
            return {}
        registry = er.async_get(self.hass)
        targets = []
        for target in schedule.targets:
            entity_id = None
            for domain in ("light", "switch"):
                entity_id = entity_id or registry.async_get_entity_id(domain, DOMAIN, target)
            targets.append(entity_id or target)
        return {
            "schedule_id": schedule.id,
            "schedule_type": schedule.schedule_type.value,
            "enabled": schedule.enabled,
            "last_run": schedule.last_run.isoformat() if schedule.last_run else None,
            "last_run_status": schedule.last_run_status.value if schedule.last_run_status else None,
            "targets": targets,
            "missing_targets": self.engine.orphaned.get(schedule.id, []),
            **self._acclimation(schedule),
        }

    @staticmethod
    def _acclimation(schedule: Schedule) -> dict[str, Any]:
        """Today's acclimation factor (0..1; 1 once it is over), for a schedule that acclimates."""
        factor = acclimation_factor(schedule, dt_util.utcnow())
        return {} if factor is None else {"acclimation_factor": round(factor, 3)}


class EnabledSchedulesSensor(HealthEntity, SensorEntity):
    """How many schedules are enabled; the statistics by type and status as attributes."""

    _attr_translation_key = "enabled_schedules"
    key = "enabled_schedules"
    _attr_state_class = SensorStateClass.MEASUREMENT

    @property
    def native_value(self) -> int:
        """Enabled schedules."""
        return self.engine.index.enabled

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Schedules by type and status, actions by status."""
        stats = self.engine.statistics()
        return {
            key: stats[key]
            for key in ("schedules_total", "schedules_by_type", "schedules_by_status", "actions_by_status")
        }


class FailedActionsSensor(HealthEntity, SensorEntity):
    """Device actions that failed in the last 24 hours (re-counted hourly as failures age out)."""

    _attr_translation_key = "failed_actions"
    key = "failed_actions_24h"
    _attr_state_class = SensorStateClass.MEASUREMENT

    async def async_added_to_hass(self) -> None:
        """Also re-count every hour."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_track_time_interval(
                self.hass, self._async_refresh, timedelta(hours=1), name="bellas_reef failures"
            )
        )

    @property
    def native_value(self) -> int:
        """Failures in the last 24 h."""
        return int(self.engine.history.statistics(dt_util.utcnow())["failed_last_24h"])


class NextRunSensor(HealthEntity, SensorEntity):
    """The next run of any schedule."""

    _attr_translation_key = "next_run"
    key = "next_run"
    _attr_device_class = SensorDeviceClass.TIMESTAMP

    @property
    def native_value(self) -> datetime | None:
        """The earliest next run among enabled schedules."""
        return self.engine.index.next_run()


class ModeSensor(SchedulerEntity, SensorEntity):
    """When a keeper mode under way ends (unknown while it is not under way, or runs until it is ended).

    Its attributes say whether it is under way, since when, which channels it holds and whether it holds
    their schedules.
    """

    _attr_device_class = SensorDeviceClass.TIMESTAMP

    def __init__(self, engine: ScheduleEngine, mode: ModeName) -> None:
        """One mode's sensor."""
        super().__init__(engine, f"scheduler-{mode}-mode")
        self.mode = mode
        self._attr_translation_key = f"{mode}_mode"

    async def async_added_to_hass(self) -> None:
        """Follow the mode."""
        await super().async_added_to_hass()
        self.async_on_remove(async_dispatcher_connect(self.hass, SIGNAL_KEEPER, self.async_write_ha_state))

    @property
    def native_value(self) -> datetime | None:
        """The end of the mode under way."""
        active = self.engine.keeper.state.modes.get(self.mode)
        return None if active is None else active.ends

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """What the mode holds, while it is under way."""
        active = self.engine.keeper.state.modes.get(self.mode)
        if active is None:
            return {"active": False}
        held = [entity_for_channel(self.hass, channel) or channel for channel in active.levels]
        return {
            "active": True,
            "started": active.started.isoformat(),
            "until_ended": active.ends is None,
            "held": held,
            "holds_schedules": active.hold_schedules,
        }
