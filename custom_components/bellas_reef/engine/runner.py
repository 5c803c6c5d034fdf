"""Carrying out one action on one target: a channel command, or a Home Assistant action call.

An action succeeds when the board holds the new duty (or, for a ramp, its first step); a board that does not
answer fails it with a message that says so. ``custom`` calls a Home Assistant action with a timeout and a
context that names the schedule - never a shell command.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from ..compat import vol
from ..const import CUSTOM_TIMEOUT
from ..driver.pca9685 import RESOLUTION, Pca9685Error
from ..scheduling.const import ActionType, RampCurve
from .history import REVERT

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from homeassistant.core import Context, HomeAssistant

    from ..channel import ChannelController


class ActionError(Exception):
    """An action could not be carried out; the message goes into the device action's record."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What an action did: a line for the record, the level before it (for a revert), and what it resolved.

    ``params`` are parameters the action settled when it ran (a ramp's start level, when the call left it to
    the channel's level then), kept in the record so that a restart resumes the ramp from the same start.
    """

    result: str
    previous_level: float | None = None
    params: Mapping[str, Any] | None = None


def _pct(value: float) -> str:
    return f"{value:g} %"


async def async_execute(
    hass: HomeAssistant,
    action_type: str,
    params: Mapping[str, Any],
    channel: ChannelController | None,
    *,
    target: str | None,
    context: Context,
    scheduled: datetime | None = None,
) -> Outcome:
    """Carry out ``action_type`` on ``channel`` (or call an action for ``custom``); raise ``ActionError``.

    ``scheduled``: when the action was due; a programme's piece (its ramp has an ``elapsed``) runs from that
    instant, so a late timer, a catch-up or a manual run finds the curve where it is now.
    """
    if action_type == ActionType.CUSTOM:
        return await _async_custom(hass, params, context)
    if channel is None:
        raise ActionError(f"channel {target} is not loaded: its board is not set up or it was removed")
    board = channel.board
    if not board.available:
        raise ActionError(f"board {board.name} is not answering")
    previous = channel.target_level
    resolved: dict[str, Any] | None = None
    if action_type == ActionType.RAMP and params.get("start_level") is None:
        resolved = {"start_level": round(channel.level, 4)}
        params = {**params, **resolved}
    result = _command(channel, action_type, params, scheduled)
    try:
        await board.async_wait_written()
    except Pca9685Error as err:
        raise ActionError(f"board {board.name} did not take the write: {err}") from err
    return Outcome(result, previous, resolved)


def _command(
    channel: ChannelController, action_type: str, params: Mapping[str, Any], scheduled: datetime | None
) -> str:
    """Give the channel its command; return the line for the record."""
    match action_type:
        case ActionType.ON:
            channel.async_set_level(channel.on_level)
            return f"on at {_pct(round(channel.on_level, 2))}"
        case ActionType.OFF:
            channel.async_set_level(0.0)
            return "off"
        case ActionType.TOGGLE:
            if channel.is_on:
                channel.async_set_level(0.0)
                return "toggled off"
            channel.async_set_level(channel.on_level)
            return "toggled on"
        case ActionType.SET_PWM:
            duty = round(float(params["duty"]) * RESOLUTION / 100)
            channel.async_force_duty(duty)
            return f"duty {duty}/{RESOLUTION}"
        case ActionType.SET_LEVEL:
            channel.async_set_level(float(params["level"]))
            return f"level {_pct(float(params['level']))}"
        case ActionType.RAMP:
            start = float(params.get("start_level", channel.level))
            end = float(params["end_level"])
            duration = float(params["duration"])
            curve = RampCurve(params.get("curve", RampCurve.PERCEPTUAL))
            if "elapsed" in params and scheduled is not None:  # a programme's piece: from its own instant
                origin = scheduled - timedelta(seconds=float(params["elapsed"]))
            else:
                origin = dt_util.utcnow()
            channel.async_ramp(start, end, duration, origin, curve)
            elapsed = float(params.get("elapsed", 0.0))
            shape = "" if curve is RampCurve.PERCEPTUAL else f" ({curve})"
            line = f"ramp {_pct(round(start, 2))} to {_pct(end)} over {duration:g} s{shape}"
            return f"{line}, from {elapsed:g} s in" if elapsed else line
        case _ if action_type == REVERT:
            channel.async_set_level(float(params["level"]))
            return f"reverted to {_pct(round(float(params['level']), 2))}"
    raise ActionError(f"unknown action {action_type}")


async def _async_custom(hass: HomeAssistant, params: Mapping[str, Any], context: Context) -> Outcome:
    domain, _, service = str(params["service"]).partition(".")
    if not hass.services.has_service(domain, service):
        raise ActionError(f"action {domain}.{service} does not exist")
    target = params.get("target")
    try:
        async with asyncio.timeout(CUSTOM_TIMEOUT):
            await hass.services.async_call(
                domain,
                service,
                dict(params.get("data") or {}),
                blocking=True,
                context=context,
                target=dict(target) if target else None,
            )
    except TimeoutError as err:
        raise ActionError(f"action {domain}.{service} took longer than {CUSTOM_TIMEOUT:g} s") from err
    except (HomeAssistantError, vol.Invalid) as err:
        raise ActionError(f"action {domain}.{service} failed: {err}") from err
    return Outcome(f"called {domain}.{service}")
