"""Entity bases: a channel's entities (on its device, under the board's) and the scheduler entry's.

Channel entities are available while their board answers. The scheduler entry's entities sit on one
"Schedules" device: per schedule an enable switch and a next-run sensor, plus the health figures.
Per-schedule entities come and go with their schedules: the engine signals every change, new schedules get
entities, a deleted schedule's entities remove themselves from the entity registry (dynamic and stale
devices). Past ``ENABLED_SCHEDULES_MAX`` schedules the new ones' entities are created disabled, to stay under
Home Assistant's limit of enabled entities per config entry.
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING, Any, ClassVar, Concatenate

from homeassistant.core import callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity import Entity

from .compat import device_info
from .const import (
    DOMAIN,
    ENABLED_SCHEDULES_MAX,
    KIND_LIGHT,
    SIGNAL_ACTIONS,
    SIGNAL_BOARDS,
    SIGNAL_SCHEDULES,
    SIGNAL_STORAGE,
    keeper_signal,
    schedule_signal,
)
from .driver.pca9685 import Pca9685Error
from .engine import ENGINE_KEY

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine, Iterable

    from homeassistant.core import HomeAssistant
    from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

    from .channel import ChannelController
    from .engine import ScheduleEngine
    from .models import ReefConfigEntry, ReefRuntime, SchedulerConfigEntry
    from .scheduling import Schedule


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


def reef_command[E: ReefChannelEntity](
    func: Callable[Concatenate[E, ...], Coroutine[Any, Any, None]],
) -> Callable[Concatenate[E, ...], Coroutine[Any, Any, None]]:
    """Decorate an entity command: it succeeds once the board holds the new duty.

    It is a change by hand (a person's or an automation's): the keeper may hold the channel for its
    schedule (``engine.keeper``).

    A board that refuses the write raises a translated ``HomeAssistantError``; the write stays queued and the
    board keeps retrying in the background (as ``elgato/helpers.py`` turns device errors into translated
    errors for every command).
    """

    @wraps(func)
    async def handler(self: E, /, *args: Any, **kwargs: Any) -> None:
        await func(self, *args, **kwargs)
        if (engine := self.hass.data.get(ENGINE_KEY)) is not None and self._context is not None:
            # a person's or an automation's change: the keeper holds the channel for its schedule
            engine.keeper.async_manual_change(self.channel.config.subentry_id, self._context)
        try:
            await self.board.async_wait_written()
        except Pca9685Error as err:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="board_write_failed",
                translation_placeholders={"board": self.board.name, "error": str(err)},
            ) from err

    return handler


def board_identifier(entry_unique_id: str) -> tuple[str, str]:
    """The device registry identifier of a board."""
    return (DOMAIN, entry_unique_id)


class ReefChannelEntity(Entity):
    """An entity of one channel, available while its board answers.

    Its unique id is the channel's (its subentry id, stable across renames and renumbering), followed by
    ``key`` for the channel's secondary entities.
    """

    key: ClassVar[str | None] = None
    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, runtime: ReefRuntime, channel: ChannelController) -> None:
        """Bind the entity to a channel and put it on the channel's device, under the board's."""
        self.board = runtime.board
        self.channel = channel
        config = channel.config
        self._attr_unique_id = config.subentry_id if self.key is None else f"{config.subentry_id}-{self.key}"
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
        """Follow the board's availability, the channel's state and the keeper's holds."""
        await super().async_added_to_hass()
        self.async_on_remove(self.board.async_add_listener(self.async_write_ha_state))
        self.async_on_remove(self.channel.async_add_listener(self.async_write_ha_state))
        if self.holdable:
            signal = keeper_signal(self.channel.config.subentry_id)
            self.async_on_remove(async_dispatcher_connect(self.hass, signal, self.async_write_ha_state))

    holdable: ClassVar[bool] = False  # the channel's own light or switch: it says what holds the channel

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """While a mode or a change by hand holds the channel: by what (``held_by``) and until when."""
        if not self.holdable or (engine := self.hass.data.get(ENGINE_KEY)) is None:
            return None
        held = engine.keeper.held(self.channel.config.subentry_id)
        if held is None:
            return None
        by, until = held
        return {"held_by": by, "held_until": None if until is None else until.isoformat()}


SCHEDULES_DEVICE = DeviceInfo(
    identifiers={(DOMAIN, "schedules")},
    name="Schedules",
    manufacturer="Bella's Reef",
    model="Scheduler",
    entry_type=DeviceEntryType.SERVICE,
)


class SchedulerEntity(Entity):
    """An entity on the Schedules device; ``unique_id`` is given by the kind below."""

    _attr_has_entity_name = True
    _attr_should_poll = False
    _attr_device_info = SCHEDULES_DEVICE

    def __init__(self, engine: ScheduleEngine, unique_id: str) -> None:
        """Keep the engine."""
        self.engine = engine
        self._attr_unique_id = unique_id


class ScheduleEntity(SchedulerEntity):
    """An entity of one schedule (unique id ``schedule-<id>-<key>``); it leaves the registry with it."""

    key: ClassVar[str] = ""

    def __init__(self, engine: ScheduleEngine, schedule_id: str, *, enabled_default: bool = True) -> None:
        """Bind to a schedule; past ``ENABLED_SCHEDULES_MAX`` schedules the entity starts disabled."""
        super().__init__(engine, f"schedule-{schedule_id}-{self.key}")
        self.schedule_id = schedule_id
        self._attr_entity_registry_enabled_default = enabled_default

    @property
    def schedule(self) -> Schedule | None:
        """The schedule as it is now."""
        return self.engine.schedules.get(self.schedule_id)

    @property
    def available(self) -> bool:
        """Available while the schedule exists."""
        return self.schedule is not None

    async def async_added_to_hass(self) -> None:
        """Follow the schedule."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(self.hass, schedule_signal(self.schedule_id), self._async_changed)
        )

    @callback
    def _async_changed(self, *_args: Any) -> None:
        if self.schedule is None:
            registry = er.async_get(self.hass)
            if self.registry_entry is not None:
                registry.async_remove(self.entity_id)
            else:  # pragma: no cover - entities of this integration always have a unique id
                self.hass.async_create_task(self.async_remove())
            return
        self.async_write_ha_state()


class HealthEntity(SchedulerEntity):
    """A health figure of the scheduler (unique id ``scheduler-<key>``): follows schedules, actions, boards.

    A run sends several signals in one go (the schedule re-armed, each target's action, the outcome); the
    state is written once for all of them, at the end of the loop iteration.
    """

    key: ClassVar[str] = ""
    _refresh_pending = False

    def __init__(self, engine: ScheduleEngine) -> None:
        """Keep the engine."""
        super().__init__(engine, f"scheduler-{self.key}")

    async def async_added_to_hass(self) -> None:
        """Follow every change."""
        await super().async_added_to_hass()
        for signal in (SIGNAL_SCHEDULES, SIGNAL_ACTIONS, SIGNAL_BOARDS, SIGNAL_STORAGE):
            self.async_on_remove(async_dispatcher_connect(self.hass, signal, self._async_refresh))

    @callback
    def _async_refresh(self, *_args: Any) -> None:
        if not self._refresh_pending:
            self._refresh_pending = True
            self.hass.loop.call_soon(self._async_write_coalesced)

    @callback
    def _async_write_coalesced(self) -> None:
        self._refresh_pending = False
        self.async_write_ha_state()  # Home Assistant ignores it if the entity was removed meanwhile


def async_setup_schedule_entities(
    hass: HomeAssistant,
    entry: SchedulerConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    factories: list[type[ScheduleEntity]],
    static: list[Entity] | None = None,
) -> None:
    """Add per-schedule entities now and for every schedule created later."""
    engine = entry.runtime_data
    known: set[str] = set()

    @callback
    def add(new: Iterable[str]) -> None:
        entities: list[Entity] = []
        for one in new:
            enabled = len(known) < ENABLED_SCHEDULES_MAX
            known.add(one)
            entities.extend(factory(engine, one, enabled_default=enabled) for factory in factories)
        if entities:
            async_add_entities(entities)

    @callback
    def changed(schedule_id: str) -> None:
        """A schedule changed: a new one gets its entities (no scan: n creations cost O(n), not O(n²))."""
        if schedule_id not in engine.schedules:  # deleted: its entities remove themselves
            known.discard(schedule_id)
        elif schedule_id not in known:
            add([schedule_id])

    if static:
        async_add_entities(static)
    add(list(engine.schedules))
    entry.async_on_unload(async_dispatcher_connect(hass, SIGNAL_SCHEDULES, changed))
