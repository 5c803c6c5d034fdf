"""The keeper's rules in plain Python: mode configurations and their checks, ends, holds, stored forms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.bellas_reef.scheduling.const import DATETIME_MAX
from custom_components.bellas_reef.scheduling.keeper import (
    MODE_MINUTES_MAX,
    ActiveMode,
    Hold,
    HoldPolicy,
    KeeperState,
    ModeConfig,
    ModeName,
    check_mode,
    hold_end,
    hold_policy,
    mode_config,
    mode_end,
)

NOW = datetime(2027, 6, 1, 8, 29, tzinfo=UTC)
KINDS = {"pump": "switch", "skimmer": "switch", "blue": "light"}


def test_a_mode_says_what_each_channel_does() -> None:
    config = ModeConfig(off=("pump",), on=("skimmer",), dim=("blue",), dim_level=15)
    assert config.channels == ("pump", "skimmer", "blue")
    assert config.level_for("pump", 100) == 0
    assert config.level_for("skimmer", 60) == 60
    assert config.level_for("blue", 100) == 15
    assert check_mode(config, KINDS) == {}
    assert ModeConfig.from_dict(ModeName.FEED, config.to_dict()) == replace_minutes(config, 10)


def replace_minutes(config: ModeConfig, minutes: int) -> ModeConfig:
    return ModeConfig(config.off, config.on, config.dim, config.dim_level, minutes, config.hold_schedules)


def test_defaults_come_from_the_mode() -> None:
    assert mode_config({}, ModeName.FEED).minutes == 10
    assert mode_config({}, ModeName.MAINTENANCE).minutes == 60
    assert mode_config({}, ModeName.FEED).channels == ()
    assert mode_config({"modes": {"feed": {"off": ["pump"], "minutes": 5}}}, ModeName.FEED).off == ("pump",)
    assert hold_policy({}) == (HoldPolicy.NEXT_EVENT, 60)
    assert hold_policy({"manual_hold": "minutes", "manual_hold_minutes": 15}) == (HoldPolicy.MINUTES, 15)
    assert hold_policy({"manual_hold": "whenever"}) == (HoldPolicy.NEXT_EVENT, 60)


@pytest.mark.parametrize(
    ("config", "errors"),
    [
        (ModeConfig(), {"base": "mode_without_channels"}),
        (ModeConfig(off=("pump",), on=("pump",)), {"on": "channel_twice"}),
        (ModeConfig(dim=("pump",)), {"dim": "dim_needs_light"}),
        (ModeConfig(off=("gone",)), {"off": "unknown_channel"}),
        (ModeConfig(off=("pump",), dim_level=101), {"dim_level": "out_of_range"}),
        (ModeConfig(off=("pump",), minutes=-1), {"minutes": "out_of_range"}),
        (ModeConfig(off=("pump",), minutes=MODE_MINUTES_MAX + 1), {"minutes": "out_of_range"}),
    ],
)
def test_a_mode_that_cannot_work_is_refused(config: ModeConfig, errors: dict[str, str]) -> None:
    assert check_mode(config, KINDS) == errors


def test_ends() -> None:
    assert mode_end(NOW, 10) == NOW + timedelta(minutes=10)
    assert mode_end(NOW, 0) is None
    assert mode_end(DATETIME_MAX - timedelta(minutes=1), 10) == DATETIME_MAX
    events = [None, NOW - timedelta(hours=1), NOW + timedelta(hours=9), NOW + timedelta(hours=2)]
    assert hold_end(HoldPolicy.NEXT_EVENT, 30, NOW, events) == NOW + timedelta(hours=2)
    assert hold_end(HoldPolicy.NEXT_EVENT, 30, NOW, [None]) is None  # nothing ahead: until resumed
    assert hold_end(HoldPolicy.MINUTES, 30, NOW, events) == NOW + timedelta(minutes=30)
    assert hold_end(HoldPolicy.MINUTES, 0, NOW, events) == NOW + timedelta(minutes=1)
    assert hold_end(HoldPolicy.NEVER, 30, NOW, events) is None


def test_the_stored_form_reads_back_and_broken_rows_are_left_out() -> None:
    state = KeeperState(
        modes={
            ModeName.FEED: ActiveMode(
                ModeName.FEED, NOW, NOW + timedelta(minutes=10), {"pump": 0.0}, {"pump": 100.0}, user_id="u"
            )
        },
        holds={"blue": Hold("blue", NOW, None, "u", "c")},
        returns={"skimmer": 100.0},
    )
    again, broken = KeeperState.from_dict(state.to_dict())
    assert again == state
    assert broken == []
    raw = state.to_dict()
    raw["modes"]["party"] = {"mode": "party", "started": NOW.isoformat(), "levels": {}}
    raw["modes"]["old"] = {"mode": "feed", "started": "0001-01-01T00:00:00+00:00", "levels": {}}
    raw["modes"]["naive"] = {"mode": "feed", "started": "2027-06-01T08:00:00", "levels": {}}
    raw["holds"]["x"] = {"channel": "x", "since": 12}
    raw["returns"]["y"] = "high"
    again, broken = KeeperState.from_dict(raw)
    assert again == state
    assert len(broken) == 5
