"""Config flow: a board per config entry (I2C or simulated), the scheduler entry and its options.

The Schedules entry's options are a menu: the history's retention, what the feed and the maintenance mode
do, and when a channel changed by hand goes back to its schedule.

A board can be reconfigured (frequency, oscillator, output driver); its channels are config subentries,
added and changed by ``channel_flow.ChannelSubentryFlow``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, override

from homeassistant.config_entries import (
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import selector

from .channel_flow import ChannelSubentryFlow
from .compat import vol
from .connection import async_probe, board_unique_id
from .const import (
    ALL_CALL_ADDRESS,
    CONF_ADDRESS,
    CONF_BUS,
    CONF_CONNECTION,
    CONF_ENTRY_KIND,
    CONF_FREQUENCY,
    CONF_KIND,
    CONF_MAX_RECORDS,
    CONF_OPEN_DRAIN,
    CONF_OSCILLATOR,
    CONF_RETENTION_DAYS,
    CONNECTION_I2C,
    CONNECTION_SIMULATED,
    DEFAULT_ADDRESS,
    DEFAULT_BUS,
    DEFAULT_FREQUENCY,
    DEFAULT_MAX_RECORDS,
    DEFAULT_OSCILLATOR,
    DEFAULT_RETENTION_DAYS,
    DOMAIN,
    ENTRY_SCHEDULER,
    KIND_LIGHT,
    SCHEDULER_UNIQUE_ID,
    SUBENTRY_CHANNEL,
)
from .driver.pca9685 import (
    ADDRESS_MAX,
    ADDRESS_MIN,
    OSCILLATOR_MAX_HZ,
    OSCILLATOR_MIN_HZ,
    BusNotFoundError,
    BusPermissionError,
    DeviceNotFoundError,
    FrequencyOutOfRangeError,
    NotPca9685Error,
    Pca9685Error,
    prescale_for,
)
from .models import BellasReefConfigEntry, is_scheduler_entry
from .scheduling.keeper import (
    DEFAULT_DIM_LEVEL,
    DEFAULT_HOLD_MINUTES,
    HOLD_MINUTES_MAX,
    MODE_MINUTES_MAX,
    OPTION_HOLD,
    OPTION_HOLD_MINUTES,
    OPTION_MODES,
    HoldPolicy,
    ModeConfig,
    ModeName,
    check_mode,
    hold_policy,
    mode_config,
)
from .selectors import number

if TYPE_CHECKING:
    from collections.abc import Mapping

ADDRESSES = [f"{a:#04x}" for a in range(ADDRESS_MIN, ADDRESS_MAX + 1) if a != ALL_CALL_ADDRESS]


FREQUENCY_SELECTOR = number(24, 1526, 1, "Hz")
OSCILLATOR_SELECTOR = number(OSCILLATOR_MIN_HZ, OSCILLATOR_MAX_HZ, 1, "Hz")
ADDRESS_SELECTOR = selector.SelectSelector(
    selector.SelectSelectorConfig(options=ADDRESSES, mode=selector.SelectSelectorMode.DROPDOWN)
)

I2C_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_BUS, default=DEFAULT_BUS): number(0, 255, 1),
        vol.Required(CONF_ADDRESS, default=f"{DEFAULT_ADDRESS:#04x}"): ADDRESS_SELECTOR,
        vol.Required(CONF_FREQUENCY, default=DEFAULT_FREQUENCY): FREQUENCY_SELECTOR,
        vol.Required(CONF_OSCILLATOR, default=DEFAULT_OSCILLATOR): OSCILLATOR_SELECTOR,
        vol.Required(CONF_OPEN_DRAIN, default=False): selector.BooleanSelector(),
    }
)
SIMULATED_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_ADDRESS, default=f"{DEFAULT_ADDRESS:#04x}"): ADDRESS_SELECTOR,
        vol.Required(CONF_FREQUENCY, default=DEFAULT_FREQUENCY): FREQUENCY_SELECTOR,
    }
)


async def _async_check_board(hass: Any, data: Mapping[str, Any]) -> dict[str, str]:
    """Test before configure: the frequency is reachable and a PCA9685 answers."""
    try:
        prescale_for(data[CONF_FREQUENCY], data.get(CONF_OSCILLATOR, DEFAULT_OSCILLATOR))
    except FrequencyOutOfRangeError:
        return {CONF_FREQUENCY: "frequency_out_of_range"}
    try:
        await async_probe(hass, data)
    except BusNotFoundError:
        return {CONF_BUS: "bus_not_found"}
    except BusPermissionError:
        return {CONF_BUS: "permission_denied"}
    except DeviceNotFoundError:
        return {CONF_ADDRESS: "no_device"}
    except NotPca9685Error:
        return {CONF_ADDRESS: "not_pca9685"}
    except Pca9685Error:
        return {"base": "cannot_connect"}
    return {}


def board_title(data: Mapping[str, Any]) -> str:
    """A board's default name."""
    address = f"{int(data[CONF_ADDRESS]):#04x}"
    if data[CONF_CONNECTION] == CONNECTION_SIMULATED:
        return f"Simulated PCA9685 {address}"
    return f"PCA9685 {address} on I2C bus {int(data[CONF_BUS])}"


class ReefConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a PCA9685 board."""

    VERSION = 1
    MINOR_VERSION = 1

    @classmethod
    @callback
    @override
    def async_get_supported_subentry_types(
        cls, config_entry: BellasReefConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Channels are subentries of their board (the scheduler entry has none)."""
        if is_scheduler_entry(config_entry):
            return {}
        return {SUBENTRY_CHANNEL: ChannelSubentryFlow}

    @staticmethod
    @callback
    @override
    def async_get_options_flow(config_entry: BellasReefConfigEntry) -> OptionsFlow:
        """History retention, on the scheduler entry."""
        return SchedulerOptionsFlow()

    @classmethod
    @callback
    @override
    def async_supports_options_flow(cls, config_entry: BellasReefConfigEntry) -> bool:
        """Only the scheduler entry has options."""
        return is_scheduler_entry(config_entry)

    async def async_step_system(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """The scheduler entry, created by the integration itself when it is missing."""
        await self.async_set_unique_id(SCHEDULER_UNIQUE_ID)
        self._abort_if_unique_id_configured()
        return self.async_create_entry(title="Schedules", data={CONF_ENTRY_KIND: ENTRY_SCHEDULER})

    @override
    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose a real board on an I2C bus or a simulated one."""
        return self.async_show_menu(step_id="user", menu_options=[CONNECTION_I2C, CONNECTION_SIMULATED])

    async def async_step_i2c(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """A PCA9685 on an I2C bus of this machine."""
        return await self._async_board_step(CONNECTION_I2C, I2C_SCHEMA, user_input)

    async def async_step_simulated(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """A simulated PCA9685, for trying the integration without hardware."""
        return await self._async_board_step(CONNECTION_SIMULATED, SIMULATED_SCHEMA, user_input)

    async def _async_board_step(
        self, connection: str, schema: vol.Schema, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            data: dict[str, Any] = {
                CONF_CONNECTION: connection,
                CONF_ADDRESS: int(user_input[CONF_ADDRESS], 16),
                CONF_FREQUENCY: int(user_input[CONF_FREQUENCY]),
                CONF_OPEN_DRAIN: bool(user_input.get(CONF_OPEN_DRAIN, False)),
            }
            if connection == CONNECTION_I2C:
                data[CONF_BUS] = int(user_input[CONF_BUS])
                data[CONF_OSCILLATOR] = int(user_input[CONF_OSCILLATOR])
            await self.async_set_unique_id(board_unique_id(data))
            self._abort_if_unique_id_configured()
            errors = await _async_check_board(self.hass, data)
            if not errors:
                return self.async_create_entry(title=board_title(data), data=data)
        return self.async_show_form(
            step_id=connection,
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
        )

    async def async_step_reconfigure(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Change the PWM frequency, the oscillator calibration and the output driver."""
        entry = self._get_reconfigure_entry()
        if is_scheduler_entry(entry):
            return self.async_abort(reason="scheduler_not_reconfigurable")
        fields: dict[vol.Marker, Any] = {vol.Required(CONF_FREQUENCY): FREQUENCY_SELECTOR}
        if entry.data[CONF_CONNECTION] == CONNECTION_I2C:
            fields[vol.Required(CONF_OSCILLATOR)] = OSCILLATOR_SELECTOR
        fields[vol.Required(CONF_OPEN_DRAIN)] = selector.BooleanSelector()
        schema = vol.Schema(fields)
        errors: dict[str, str] = {}
        if user_input is not None:
            updates: dict[str, Any] = {
                CONF_FREQUENCY: int(user_input[CONF_FREQUENCY]),
                CONF_OPEN_DRAIN: bool(user_input[CONF_OPEN_DRAIN]),
            }
            if CONF_OSCILLATOR in user_input:
                updates[CONF_OSCILLATOR] = int(user_input[CONF_OSCILLATOR])
            try:
                prescale_for(updates[CONF_FREQUENCY], updates.get(CONF_OSCILLATOR, DEFAULT_OSCILLATOR))
            except FrequencyOutOfRangeError:
                errors[CONF_FREQUENCY] = "frequency_out_of_range"
            else:
                return self.async_update_and_abort(entry, data_updates=updates)
        suggested = user_input or {
            CONF_FREQUENCY: entry.data[CONF_FREQUENCY],
            CONF_OSCILLATOR: entry.data.get(CONF_OSCILLATOR, DEFAULT_OSCILLATOR),
            CONF_OPEN_DRAIN: entry.data.get(CONF_OPEN_DRAIN, False),
        }
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(schema, suggested),
            errors=errors,
        )


OPTIONS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_RETENTION_DAYS, default=DEFAULT_RETENTION_DAYS): number(1, 3650, 1, "d"),
        vol.Required(CONF_MAX_RECORDS, default=DEFAULT_MAX_RECORDS): number(100, 1_000_000, 1),
    }
)


class SchedulerOptionsFlow(OptionsFlow):
    """The Schedules entry's options: history retention, the keeper's modes, changes by hand."""

    @callback
    def _save(self, changes: Mapping[str, Any]) -> ConfigFlowResult:
        """Keep every other option as it is."""
        return self.async_create_entry(data={**self.config_entry.options, **changes})

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Choose what to set."""
        return self.async_show_menu(step_id="init", menu_options=["history", "feed", "maintenance", "manual"])

    async def async_step_history(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Retention in days and the most records kept."""
        if user_input is not None:
            return self._save(
                {
                    CONF_RETENTION_DAYS: int(user_input[CONF_RETENTION_DAYS]),
                    CONF_MAX_RECORDS: int(user_input[CONF_MAX_RECORDS]),
                }
            )
        return self.async_show_form(
            step_id="history",
            data_schema=self.add_suggested_values_to_schema(OPTIONS_SCHEMA, self.config_entry.options),
        )

    async def async_step_feed(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """What the feed mode does."""
        return await self._async_mode_step(ModeName.FEED, user_input)

    async def async_step_maintenance(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """What the maintenance mode does."""
        return await self._async_mode_step(ModeName.MAINTENANCE, user_input)

    async def _async_mode_step(self, mode: ModeName, user_input: dict[str, Any] | None) -> ConfigFlowResult:
        kinds = channel_kinds(self.hass)
        errors: dict[str, str] = {}
        if user_input is not None:
            config = ModeConfig.from_dict(mode, user_input)
            errors = check_mode(config, {c: kind for c, (kind, _name) in kinds.items()})
            if not errors:
                modes = dict(self.config_entry.options.get(OPTION_MODES) or {})
                modes[mode.value] = config.to_dict()
                return self._save({OPTION_MODES: modes})
        current = mode_config(self.config_entry.options, mode)
        known = {**current.to_dict()}
        for group in ("off", "on", "dim"):  # a removed channel is not offered (nor kept)
            known[group] = [c for c in known[group] if c in kinds]
        return self.async_show_form(
            step_id=mode.value,
            data_schema=self.add_suggested_values_to_schema(_mode_schema(kinds), user_input or known),
            errors=errors,
        )

    async def async_step_manual(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """When a channel changed by hand goes back to its schedule."""
        if user_input is not None:
            return self._save(
                {
                    OPTION_HOLD: HoldPolicy(user_input[OPTION_HOLD]).value,
                    OPTION_HOLD_MINUTES: int(user_input[OPTION_HOLD_MINUTES]),
                }
            )
        policy, minutes = hold_policy(self.config_entry.options)
        return self.async_show_form(
            step_id="manual",
            data_schema=self.add_suggested_values_to_schema(
                HOLD_SCHEMA, {OPTION_HOLD: policy.value, OPTION_HOLD_MINUTES: minutes}
            ),
        )


HOLD_SCHEMA = vol.Schema(
    {
        vol.Required(OPTION_HOLD, default=HoldPolicy.NEXT_EVENT.value): selector.SelectSelector(
            selector.SelectSelectorConfig(
                options=[policy.value for policy in HoldPolicy],
                translation_key="manual_hold",
                mode=selector.SelectSelectorMode.LIST,
            )
        ),
        vol.Required(OPTION_HOLD_MINUTES, default=DEFAULT_HOLD_MINUTES): number(
            1, HOLD_MINUTES_MAX, 1, "min"
        ),
    }
)


def channel_kinds(hass: HomeAssistant) -> dict[str, tuple[str, str]]:
    """Every channel of every board (loaded or not): its kind and a name with its board's."""
    return {
        subentry_id: (str(subentry.data.get(CONF_KIND)), f"{subentry.title} ({entry.title})")
        for entry in hass.config_entries.async_entries(DOMAIN)
        for subentry_id, subentry in entry.subentries.items()
        if subentry.subentry_type == SUBENTRY_CHANNEL
    }


def _channels_selector(
    kinds: Mapping[str, tuple[str, str]], kind: str | None = None
) -> selector.SelectSelector:
    options = [
        selector.SelectOptionDict(value=channel, label=name)
        for channel, (channel_kind, name) in sorted(kinds.items(), key=lambda item: item[1][1])
        if kind is None or channel_kind == kind
    ]
    return selector.SelectSelector(
        selector.SelectSelectorConfig(options=options, multiple=True, mode=selector.SelectSelectorMode.LIST)
    )


def _mode_schema(kinds: Mapping[str, tuple[str, str]]) -> vol.Schema:
    return vol.Schema(
        {
            vol.Optional("off", default=[]): _channels_selector(kinds),
            vol.Optional("on", default=[]): _channels_selector(kinds),
            vol.Optional("dim", default=[]): _channels_selector(kinds, KIND_LIGHT),
            vol.Required("dim_level", default=DEFAULT_DIM_LEVEL): number(0, 100, 1, "%"),
            vol.Required("minutes", default=10): number(0, MODE_MINUTES_MAX, 1, "min"),
            vol.Required("hold_schedules", default=True): selector.BooleanSelector(),
        }
    )
