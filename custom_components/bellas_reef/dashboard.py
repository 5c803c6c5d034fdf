"""What the dashboard card and the Reef panel read: the channels, and each channel's day.

A day is in Home Assistant's zone (23 or 25 hours on the days the clocks change), from the runs of the
enabled schedules on each channel as the engine would make them (``scheduling.day``): the commanded level as
exact points, the runs of its point-action schedules (cron, interval, one-off, recurring) as events.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from homeassistant.util import dt as dt_util

from .const import CONF_CHANNEL, CONF_KIND, DOMAIN, SUBENTRY_CHANNEL
from .driver.pca9685 import RESOLUTION
from .helpers import DAY_RESOLUTION, engine_of, entity_for_channel, parse_day, point_answer, require_channels
from .models import ReefRuntime, is_scheduler_entry
from .scheduling.day import channel_day, is_curve

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from .channel import ChannelController


def channel_list(hass: HomeAssistant) -> list[dict[str, Any]]:
    """Every channel of every board, its entity and whether it answers (for the card's pickers and views)."""
    live = engine_of(hass).channels
    found = []
    for entry in hass.config_entries.async_entries(DOMAIN):
        if is_scheduler_entry(entry):
            continue
        runtime = getattr(entry, "runtime_data", None)
        for subentry_id, subentry in entry.subentries.items():
            if subentry.subentry_type != SUBENTRY_CHANNEL:
                continue
            channel = live.get(subentry_id)
            found.append(
                {
                    "entity_id": entity_for_channel(hass, subentry_id),
                    "channel_id": subentry_id,
                    "name": subentry.title,
                    "kind": subentry.data.get(CONF_KIND),
                    "board": entry.title,
                    "number": subentry.data.get(CONF_CHANNEL),
                    "available": channel is not None
                    and isinstance(runtime, ReefRuntime)
                    and runtime.board.available,
                    "level": None if channel is None else round(channel.level, 2),
                    "target_level": None if channel is None else round(channel.target_level, 2),
                }
            )
    return sorted(found, key=lambda item: (item["board"], item["number"] or 0))


async def async_day(
    hass: HomeAssistant, *, day: Any = None, targets: Any = None, resolution: float = DAY_RESOLUTION
) -> dict[str, Any]:
    """Each channel's day in Home Assistant's zone: its commanded level, and the runs of its schedules."""
    engine = engine_of(hass)
    zone = dt_util.get_default_time_zone()
    now = dt_util.utcnow()
    date = parse_day(day, now.astimezone(zone).date())
    start = datetime.combine(date, datetime.min.time(), zone).astimezone(dt_util.UTC)
    end = datetime.combine(date + timedelta(days=1), datetime.min.time(), zone).astimezone(dt_util.UTC)
    wanted = None if targets is None else set(require_channels(hass, targets))
    channels = []
    for item in channel_list(hass):
        channel_id = item["channel_id"]
        if wanted is not None and channel_id not in wanted:
            continue
        channel = engine.channels.get(channel_id)
        schedules = [s for s in engine.index.targeting(channel_id) if s.enabled]
        simulated = channel_day(
            schedules,
            start,
            end,
            on_level=channel.on_level if channel is not None else 100.0,
            duty_level=None if channel is None else partial(_duty_level, channel),
            fallback=channel.level if channel is not None else 0.0,
            resolution=resolution,
            target=channel_id,
        )
        channels.append(
            {
                **{
                    key: item[key]
                    for key in ("entity_id", "channel_id", "name", "kind", "level", "target_level")
                },
                "points": [point_answer(point) for point in simulated.points] if schedules else [],
                "sources": [s.id for s in schedules if is_curve(s)],
                "events": [
                    {
                        "time": run.instant.isoformat(),
                        "schedule_id": run.schedule.id,
                        "schedule_name": run.schedule.name,
                        "action_type": run.action_type,
                        "action_params": {k: v for k, v in run.params.items() if k != "data"},
                    }
                    for run in simulated.runs
                    if not is_curve(run.schedule)
                ],
                "truncated": simulated.truncated,
                "heading": _heading(simulated.heading(now)) if schedules and start <= now < end else None,
            }
        )
    return {
        "date": date.isoformat(),
        "timezone": hass.config.time_zone,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "now": now.isoformat(),
        "channels": channels,
    }


def _heading(found: tuple[float, float] | None) -> dict[str, float] | None:
    """Where the schedules have a channel now, and where they are taking it (what its entity shows)."""
    return None if found is None else {"level": round(found[0], 2), "target": round(found[1], 2)}


def _duty_level(channel: ChannelController, duty: float) -> float:
    """The level a raw duty (%) of a channel's ``set_pwm`` leaves it at."""
    return channel.map.level_for(duty * RESOLUTION / 100) if duty > 0 else 0.0
