"""The channel subentry flow: add or change one output of a board, and the starter schedules of a first one.

A channel is a light (dimming window, curve, default transition) or an on/off output (duty when on, start-up
rule). The board's first light is offered a reef day and moonlight, its first on/off output feeding pauses
(``scheduling.starters``); they are kept in the subentry's data until the board's set-up makes them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.helpers import selector

from .compat import vol
from .const import (
    ALL_CALL_ADDRESS,
    CONF_CHANNEL,
    CONF_CURVE,
    CONF_INVERT,
    CONF_KIND,
    CONF_MAX_DUTY,
    CONF_MIN_DUTY,
    CONF_ON_DUTY,
    CONF_STARTERS,
    CONF_STARTUP,
    CONF_TRANSITION,
    CURVE_LINEAR,
    CURVE_PERCEPTUAL,
    DEFAULT_TRANSITION,
    KIND_LIGHT,
    KIND_SWITCH,
    STARTUP_OFF,
    STARTUP_ON,
    STARTUP_RESTORE,
    SUBENTRY_CHANNEL,
)
from .driver.pca9685 import (
    ADDRESS_MAX,
    ADDRESS_MIN,
    CHANNELS,
)
from .scheduling.starters import (
    ADD,
    DAY_CURVE,
    DAY_CURVES,
    FEED_TIMES,
    FOLLOW_MOON,
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
from .selectors import number, select

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

ADDRESSES = [f"{a:#04x}" for a in range(ADDRESS_MIN, ADDRESS_MAX + 1) if a != ALL_CALL_ADDRESS]


LIGHT_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_MIN_DUTY, default=0): number(0, 99, 0.1, "%"),
        vol.Required(CONF_MAX_DUTY, default=100): number(1, 100, 0.1, "%"),
        vol.Required(CONF_CURVE, default=CURVE_PERCEPTUAL): select(
            [CURVE_PERCEPTUAL, CURVE_LINEAR], CONF_CURVE
        ),
        vol.Required(CONF_TRANSITION, default=DEFAULT_TRANSITION): number(0, 3600, 0.1, "s"),
    }
)
SWITCH_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_ON_DUTY, default=100): number(1, 100, 0.1, "%"),
        vol.Required(CONF_STARTUP, default=STARTUP_RESTORE): select(
            [STARTUP_RESTORE, STARTUP_ON, STARTUP_OFF], CONF_STARTUP
        ),
    }
)


LIGHT_STARTERS_SCHEMA = vol.Schema(
    {
        vol.Required(ADD): selector.BooleanSelector(),
        vol.Required(SUNRISE): selector.TimeSelector(),
        vol.Required(SUNSET): selector.TimeSelector(),
        vol.Required(RAMP_MINUTES): number(0, 720, 1, "min"),
        vol.Required(PEAK_LEVEL): number(1, 100, 1, "%"),
        vol.Required(MOONLIGHT_LEVEL): number(0, 100, 0.5, "%"),
        vol.Required(MOONLIGHT_START): selector.TimeSelector(),
        vol.Required(MOONLIGHT_END): selector.TimeSelector(),
        vol.Required(FOLLOW_MOON): selector.BooleanSelector(),
        vol.Required(DAY_CURVE): select(list(DAY_CURVES), DAY_CURVE),
    }
)
PUMP_STARTERS_SCHEMA = vol.Schema(
    {
        vol.Required(ADD): selector.BooleanSelector(),
        vol.Required(FEED_TIMES): selector.TextSelector(),
        vol.Required(PAUSE_MINUTES): number(1, 240, 1, "min"),
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
                vol.Required(CONF_KIND, default=KIND_LIGHT): select([KIND_LIGHT, KIND_SWITCH], CONF_KIND),
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
