"""Config flow: a board per config entry (I2C or simulated), a channel per config subentry."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, override

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
    SubentryFlowResult,
)
from homeassistant.core import callback
from homeassistant.helpers import selector

from .compat import vol
from .connection import async_probe, board_unique_id
from .const import (
    ALL_CALL_ADDRESS,
    CONF_ADDRESS,
    CONF_BUS,
    CONF_CHANNEL,
    CONF_CONNECTION,
    CONF_CURVE,
    CONF_ENTRY_KIND,
    CONF_FREQUENCY,
    CONF_INVERT,
    CONF_KIND,
    CONF_MAX_DUTY,
    CONF_MAX_RECORDS,
    CONF_MIN_DUTY,
    CONF_ON_DUTY,
    CONF_OPEN_DRAIN,
    CONF_OSCILLATOR,
    CONF_RETENTION_DAYS,
    CONF_STARTERS,
    CONF_STARTUP,
    CONF_TRANSITION,
    CONNECTION_I2C,
    CONNECTION_SIMULATED,
    CURVE_LINEAR,
    CURVE_PERCEPTUAL,
    DEFAULT_ADDRESS,
    DEFAULT_BUS,
    DEFAULT_FREQUENCY,
    DEFAULT_MAX_RECORDS,
    DEFAULT_OSCILLATOR,
    DEFAULT_RETENTION_DAYS,
    DEFAULT_TRANSITION,
    DOMAIN,
    ENTRY_SCHEDULER,
    KIND_LIGHT,
    KIND_SWITCH,
    SCHEDULER_UNIQUE_ID,
    STARTUP_OFF,
    STARTUP_ON,
    STARTUP_RESTORE,
    SUBENTRY_CHANNEL,
)
from .hardware.pca9685 import (
    ADDRESS_MAX,
    ADDRESS_MIN,
    CHANNELS,
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
from .scheduling.starters import (
    ADD,
    FEED_TIMES,
    LIGHT_DEFAULTS,
    MOONLIGHT_END,
    MOONLIGHT_LEVEL,
    MOONLIGHT_START,
    PAUSE_MINUTES,
    PEAK_LEVEL,
    PUMP_DEFAULTS,
    RAMP_MINUTES,
    SUNRISE,
    SUNSET,
    LightStarters,
    PumpStarters,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

ADDRESSES = [f"{a:#04x}" for a in range(ADDRESS_MIN, ADDRESS_MAX + 1) if a != ALL_CALL_ADDRESS]


def _number(minimum: float, maximum: float, step: float, unit: str | None = None) -> selector.NumberSelector:
    config = selector.NumberSelectorConfig(
        min=minimum, max=maximum, step=step, mode=selector.NumberSelectorMode.BOX
    )
    if unit is not None:
        config["unit_of_measurement"] = unit
    return selector.NumberSelector(config)


def _select(options: list[str], key: str) -> selector.SelectSelector:
    return selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=options, translation_key=key, mode=selector.SelectSelectorMode.DROPDOWN
        )
    )


FREQUENCY_SELECTOR = _number(24, 1526, 1, "Hz")
OSCILLATOR_SELECTOR = _number(OSCILLATOR_MIN_HZ, OSCILLATOR_MAX_HZ, 1, "Hz")
ADDRESS_SELECTOR = selector.SelectSelector(
    selector.SelectSelectorConfig(options=ADDRESSES, mode=selector.SelectSelectorMode.DROPDOWN)
)

I2C_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_BUS, default=DEFAULT_BUS): _number(0, 255, 1),
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
        vol.Required(CONF_RETENTION_DAYS, default=DEFAULT_RETENTION_DAYS): _number(1, 3650, 1, "d"),
        vol.Required(CONF_MAX_RECORDS, default=DEFAULT_MAX_RECORDS): _number(100, 1_000_000, 1),
    }
)


class SchedulerOptionsFlow(OptionsFlow):
    """How long the device action history is kept."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Retention in days and the most records kept."""
        if user_input is not None:
            return self.async_create_entry(
                data={
                    CONF_RETENTION_DAYS: int(user_input[CONF_RETENTION_DAYS]),
                    CONF_MAX_RECORDS: int(user_input[CONF_MAX_RECORDS]),
                }
            )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(OPTIONS_SCHEMA, self.config_entry.options),
        )


LIGHT_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_MIN_DUTY, default=0): _number(0, 99, 0.1, "%"),
        vol.Required(CONF_MAX_DUTY, default=100): _number(1, 100, 0.1, "%"),
        vol.Required(CONF_CURVE, default=CURVE_PERCEPTUAL): _select(
            [CURVE_PERCEPTUAL, CURVE_LINEAR], CONF_CURVE
        ),
        vol.Required(CONF_TRANSITION, default=DEFAULT_TRANSITION): _number(0, 3600, 0.1, "s"),
    }
)
SWITCH_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_ON_DUTY, default=100): _number(1, 100, 0.1, "%"),
        vol.Required(CONF_STARTUP, default=STARTUP_RESTORE): _select(
            [STARTUP_RESTORE, STARTUP_ON, STARTUP_OFF], CONF_STARTUP
        ),
    }
)


LIGHT_STARTERS_SCHEMA = vol.Schema(
    {
        vol.Required(ADD): selector.BooleanSelector(),
        vol.Required(SUNRISE): selector.TimeSelector(),
        vol.Required(SUNSET): selector.TimeSelector(),
        vol.Required(RAMP_MINUTES): _number(0, 720, 1, "min"),
        vol.Required(PEAK_LEVEL): _number(1, 100, 1, "%"),
        vol.Required(MOONLIGHT_LEVEL): _number(0, 100, 0.5, "%"),
        vol.Required(MOONLIGHT_START): selector.TimeSelector(),
        vol.Required(MOONLIGHT_END): selector.TimeSelector(),
    }
)
PUMP_STARTERS_SCHEMA = vol.Schema(
    {
        vol.Required(ADD): selector.BooleanSelector(),
        vol.Required(FEED_TIMES): selector.TextSelector(),
        vol.Required(PAUSE_MINUTES): _number(1, 240, 1, "min"),
    }
)


class ChannelSubentryFlow(ConfigSubentryFlow):
    """Add or change one channel of a board."""

    def __init__(self) -> None:
        """Start with nothing chosen."""
        self._base: dict[str, Any] = {}
        self._options: dict[str, Any] = {}
        self._title = ""

    def _free_channels(self, keep: int | None = None) -> list[str]:
        used = {
            int(sub.data[CONF_CHANNEL])
            for sub in self._get_entry().subentries.values()
            if sub.subentry_type == SUBENTRY_CHANNEL
        }
        return [str(n) for n in range(CHANNELS) if n not in used or n == keep]

    def _base_schema(self, channels: list[str]) -> vol.Schema:
        return vol.Schema(
            {
                vol.Required("name"): selector.TextSelector(),
                vol.Required(CONF_CHANNEL): selector.SelectSelector(
                    selector.SelectSelectorConfig(options=channels, mode=selector.SelectSelectorMode.DROPDOWN)
                ),
                vol.Required(CONF_KIND, default=KIND_LIGHT): _select([KIND_LIGHT, KIND_SWITCH], CONF_KIND),
                vol.Required(CONF_INVERT, default=False): selector.BooleanSelector(),
            }
        )

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Name, channel number, kind and polarity."""
        free = self._free_channels()
        if not free:
            return self.async_abort(reason="no_free_channel")
        return await self._async_base_step("user", free, user_input, None)

    async def async_step_reconfigure(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Change any setting of a channel."""
        subentry = self._get_reconfigure_subentry()
        current = int(subentry.data[CONF_CHANNEL])
        suggested = {"name": subentry.title, **subentry.data, CONF_CHANNEL: str(current)}
        return await self._async_base_step("reconfigure", self._free_channels(current), user_input, suggested)

    async def _async_base_step(
        self,
        step_id: str,
        channels: list[str],
        user_input: dict[str, Any] | None,
        suggested: dict[str, Any] | None,
    ) -> SubentryFlowResult:
        errors: dict[str, str] = {}
        if user_input is not None:
            name = str(user_input["name"]).strip()
            if not name:
                errors["name"] = "name_required"
            elif user_input[CONF_CHANNEL] not in channels:
                errors[CONF_CHANNEL] = "channel_in_use"
            else:
                self._title = name
                self._base = {
                    CONF_CHANNEL: int(user_input[CONF_CHANNEL]),
                    CONF_KIND: user_input[CONF_KIND],
                    CONF_INVERT: bool(user_input[CONF_INVERT]),
                }
                return await (
                    self.async_step_light()
                    if self._base[CONF_KIND] == KIND_LIGHT
                    else self.async_step_switch()
                )
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                self._base_schema(channels), user_input or suggested or {}
            ),
            errors=errors,
        )

    def _suggested_options(self) -> dict[str, Any]:
        if self.source == SOURCE_RECONFIGURE:
            return dict(self._get_reconfigure_subentry().data)
        return {}

    async def async_step_light(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Dimming window, curve and default transition of a light channel."""
        errors: dict[str, str] = {}
        if user_input is not None:
            if float(user_input[CONF_MIN_DUTY]) >= float(user_input[CONF_MAX_DUTY]):
                errors[CONF_MIN_DUTY] = "min_not_below_max"
            else:
                self._options = {
                    CONF_MIN_DUTY: float(user_input[CONF_MIN_DUTY]),
                    CONF_MAX_DUTY: float(user_input[CONF_MAX_DUTY]),
                    CONF_CURVE: user_input[CONF_CURVE],
                    CONF_TRANSITION: float(user_input[CONF_TRANSITION]),
                }
                if self._first_of_kind(KIND_LIGHT):
                    return await self.async_step_light_starters()
                return self._async_finish(self._options)
        return self.async_show_form(
            step_id="light",
            data_schema=self.add_suggested_values_to_schema(
                LIGHT_SCHEMA, user_input or self._suggested_options()
            ),
            errors=errors,
            description_placeholders={"name": self._title},
        )

    async def async_step_switch(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """Duty when on, and what the output does when Home Assistant starts."""
        if user_input is not None:
            self._options = {
                CONF_ON_DUTY: float(user_input[CONF_ON_DUTY]),
                CONF_STARTUP: user_input[CONF_STARTUP],
            }
            if self._first_of_kind(KIND_SWITCH):
                return await self.async_step_switch_starters()
            return self._async_finish(self._options)
        return self.async_show_form(
            step_id="switch",
            data_schema=self.add_suggested_values_to_schema(SWITCH_SCHEMA, self._suggested_options()),
            description_placeholders={"name": self._title},
        )

    def _first_of_kind(self, kind: str) -> bool:
        """Whether a new channel is the board's first light (or first switch): it is offered starters."""
        if self.source == SOURCE_RECONFIGURE:
            return False
        return not any(
            sub.subentry_type == SUBENTRY_CHANNEL and sub.data.get(CONF_KIND) == kind
            for sub in self._get_entry().subentries.values()
        )

    async def async_step_light_starters(self, user_input: dict[str, Any] | None = None) -> SubentryFlowResult:
        """The board's first light: a reef day and moonlight, if the user asks for them."""
        return self._async_starters_step(
            "light_starters", LIGHT_STARTERS_SCHEMA, LIGHT_DEFAULTS, LightStarters.parse, user_input
        )

    async def async_step_switch_starters(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The board's first on/off output: feeding pauses, if the user asks for them."""
        return self._async_starters_step(
            "switch_starters", PUMP_STARTERS_SCHEMA, PUMP_DEFAULTS, PumpStarters.parse, user_input
        )

    def _async_starters_step(
        self,
        step_id: str,
        schema: vol.Schema,
        defaults: Mapping[str, Any],
        parse: Callable[[dict[str, Any]], tuple[LightStarters | PumpStarters | None, dict[str, str]]],
        user_input: dict[str, Any] | None,
    ) -> SubentryFlowResult:
        """Starter schedules are kept in the channel's data and made (enabled) when the board sets up."""
        errors: dict[str, str] = {}
        if user_input is not None:
            if not user_input[ADD]:
                return self._async_finish(self._options)
            starters, errors = parse(user_input)
            if starters is not None and not errors:
                return self._async_finish({**self._options, CONF_STARTERS: starters.to_data()})
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(schema, user_input or defaults),
            errors=errors,
            description_placeholders={"name": self._title},
        )

    def _async_finish(self, options: dict[str, Any]) -> SubentryFlowResult:
        data = {**self._base, **options}
        unique_id = f"channel-{data[CONF_CHANNEL]}"
        if self.source == SOURCE_RECONFIGURE:
            before = self._get_reconfigure_subentry().data
            if CONF_STARTERS in before and before.get(CONF_KIND) == data[CONF_KIND]:
                data[CONF_STARTERS] = before[CONF_STARTERS]  # asked for; the board has not made them yet
            return self.async_update_and_abort(
                self._get_entry(),
                self._get_reconfigure_subentry(),
                title=self._title,
                data=data,
                unique_id=unique_id,
            )
        return self.async_create_entry(title=self._title, data=data, unique_id=unique_id)
