"""What a change makes of a schedule, what a run does, and the restart rule for missed runs (no HA)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from custom_components.bellas_reef.scheduling import ScheduleError
from custom_components.bellas_reef.scheduling.changes import (
    Rules,
    action_of,
    catch_up,
    new_schedule,
    updated_schedule,
    with_next_run,
)

from .factory import DROP, build, data, static, utc

NOW = utc(2027, 3, 1, 12)


def test_a_new_schedule_takes_the_default_zone_and_its_next_run() -> None:
    fresh = data("cron", id=DROP, timezone=DROP, created_at=DROP, updated_at=DROP)
    schedule = new_schedule(fresh, now=NOW, rules=Rules("Pacific/Auckland"))
    assert schedule.timezone == "Pacific/Auckland"
    assert schedule.created_at == NOW
    assert schedule.next_run == utc(2027, 3, 1, 19)  # 08:00 in Auckland (NZDT, +13)


def test_a_new_one_off_in_the_past_is_refused_a_stored_one_is_not() -> None:
    past = {"run_at": "2027-02-01T08:00:00+00:00"}
    with pytest.raises(ScheduleError) as caught:
        new_schedule(data("one_off", **past), now=NOW, rules=Rules("UTC"))
    assert [p.code.value for p in caught.value.problems] == ["run_at_in_past"]
    stored = build("one_off", **past)
    renamed = updated_schedule(stored, {"name": "Renamed"}, now=NOW, rules=Rules("UTC"))
    assert renamed.name == "Renamed"
    assert renamed.next_run is None


def test_an_update_keeps_the_run_record_and_drops_the_old_types_fields() -> None:
    current = build("cron", last_run="2027-02-28T07:00:00+00:00", last_run_status="success")
    changed = updated_schedule(
        current, {"schedule_type": "interval", "interval_seconds": 60}, now=NOW, rules=Rules("UTC")
    )
    assert changed.cron_expression is None
    assert changed.interval_seconds == 60
    assert changed.last_run == current.last_run
    assert changed.last_run_status == current.last_run_status
    assert changed.updated_at == NOW
    weekly = build("recurring")
    monthly = updated_schedule(
        weekly, {"frequency": "monthly", "days_of_month": [1]}, now=NOW, rules=Rules("UTC")
    )
    assert monthly.weekdays == ()


def test_a_schedule_past_its_end_disables_itself() -> None:
    ended, done = with_next_run(build("cron", end_time="2027-02-01T00:00:00+00:00"), NOW)
    assert done
    assert not ended.enabled
    assert ended.next_run is None
    disabled, done = with_next_run(build("cron", enabled=False), NOW)
    assert not done
    assert disabled.next_run is None


def test_what_a_run_does() -> None:
    assert action_of(build("cron"), NOW) == ("set_level", {"level": 50.0})
    day = static(
        "diurnal",
        {
            "sunrise": "09:00",
            "sunrise_minutes": 60,
            "peak_level": 80,
            "sunset": "19:00",
            "sunset_minutes": 30,
        },
        zone="UTC",
    )
    # a preset's ramp runs from its own instant (a late timer finds it where it should be)
    assert action_of(day, utc(2027, 3, 1, 9)) == (
        "ramp",
        {"end_level": 80.0, "duration": 3600.0, "elapsed": 0.0},
    )


def test_catch_up_runs_the_latest_missed_run_within_its_grace_and_skips_older_ones() -> None:
    hourly = build("interval", interval_seconds=3600, start_time="2027-03-01T00:00:00+00:00")
    hourly = with_next_run(hourly, utc(2027, 3, 1, 8, 30))[0]  # next run 09:00; stopped until 12:02
    late = catch_up(hourly, NOW + timedelta(seconds=120))
    assert late.run
    assert late.instant == NOW
    assert late.reason == "ran 120 s late, after a restart"
    skipped = catch_up(hourly, NOW + timedelta(minutes=30))
    assert not skipped.run
    assert skipped.instant == NOW
    assert skipped.reason == (
        "missed by 1800 s while Home Assistant was stopped (grace 300 s); 4 runs missed"
    )
