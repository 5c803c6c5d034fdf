"""Restarts: Home Assistant stops, time moves on, it starts again with the same storage."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_HOMEASSISTANT_STARTED
from homeassistant.core import CoreState, HomeAssistant, ServiceCall
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed_exact

from custom_components.bellas_reef.driver.dimming import DutyMap
from custom_components.bellas_reef.engine.history import ActionStatus
from custom_components.bellas_reef.engine.storage import ACTIONS_SAVE_DELAY
from custom_components.bellas_reef.scheduling import Schedule
from custom_components.bellas_reef.scheduling.const import RunStatus

from ..conftest import advance, engine_of, sim_chip, stored, stored_journal

NOW = datetime.fromisoformat("2027-06-10T12:00:00+00:00")
CREATED = "2027-06-01T00:00:00+00:00"


def schedule(**fields: object) -> dict:
    base = {
        "id": "s1",
        "name": "Stored",
        "timezone": "UTC",
        "targets": ["sub-return-pump"],
        "created_at": CREATED,
        "updated_at": CREATED,
    }
    data = {**base, **fields}
    return Schedule.from_dict(data).to_dict()


async def start(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Start as Home Assistant does: integrations set up while starting, then the started event."""
    hass.set_state(CoreState.starting)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    hass.set_state(CoreState.running)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    await hass.async_block_till_done()


async def start_with_one_off(
    hass: HomeAssistant,
    board_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict,
    action_type: str = "on",
) -> tuple[Any, datetime]:
    """Start at NOW with one stored one-off on the pump, due five minutes later: the engine and its instant."""
    freezer.move_to(NOW)
    run_at = NOW + timedelta(minutes=5)
    stored(
        hass_storage, [schedule(schedule_type="one_off", run_at=run_at.isoformat(), action_type=action_type)]
    )
    await start(hass, board_entry)
    return engine_of(hass), run_at


async def test_one_off_is_never_run_twice(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    """It was recorded as run, then Home Assistant died while it ran: it does not run again."""
    freezer.move_to(NOW)
    ran_at = (NOW - timedelta(seconds=60)).isoformat()
    stored(
        hass_storage,
        [schedule(schedule_type="one_off", run_at=ran_at, action_type="on", next_run=None, last_run=ran_at)],
        [
            {
                "id": "a1",
                "schedule_id": "s1",
                "target": "sub-return-pump",
                "action_type": "on",
                "action_params": {},
                "status": "in_progress",
                "scheduled_time": ran_at,
                "executed_time": ran_at,
            }
        ],
    )
    await start(hass, board_entry)
    engine = engine_of(hass)
    assert sim_chip(hass).duty(4) == 0
    record = engine.history.get("a1")
    assert record.status is ActionStatus.FAILED
    assert "interrupted" in record.error_message
    assert engine.schedules["s1"].next_run is None
    assert engine.armed() == set()


async def test_one_off_in_the_journal_is_not_run_again(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    """Home Assistant died at its instant, before the schedule store was written: the journal knows.

    Whether the action ran is not known (no record of it was written): it is not run again, and the run is
    recorded as failed, with why, so that the problem sensor shows it.
    """
    freezer.move_to(NOW)
    ran_at = (NOW - timedelta(seconds=30)).isoformat()
    stored(
        hass_storage,
        [schedule(schedule_type="one_off", run_at=ran_at, action_type="on", next_run=ran_at)],
    )
    stored_journal(hass_storage, {"s1": ran_at, "deleted-since": ran_at})
    await start(hass, board_entry)
    engine = engine_of(hass)
    assert sim_chip(hass).duty(4) == 0  # inside the grace, but it is not run again
    (record,) = engine.history.query(schedule_id="s1")
    assert record.status is ActionStatus.FAILED
    assert record.scheduled_time == datetime.fromisoformat(ran_at)
    assert "may not have run" in record.error_message
    after = engine.schedules["s1"]
    assert after.last_run_status is RunStatus.FAILED
    assert hass.states.get("binary_sensor.schedules_scheduler_problem").state == "on"
    assert after.last_run == datetime.fromisoformat(ran_at)
    assert after.next_run is None
    assert engine.armed() == set()
    # the store has the run now, and the journal is empty again
    assert hass_storage["bellas_reef.schedules"]["data"]["schedules"][0]["last_run"] == ran_at
    assert hass_storage["bellas_reef.runs"]["data"] == {"fired": {}}


async def test_one_off_run_is_journalled_before_its_action(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    """The small journal is written before the action; the schedule store follows within a second."""
    engine, run_at = await start_with_one_off(hass, board_entry, freezer, hass_storage)
    seen: list[tuple[dict, dict]] = []
    execute = engine.channels["sub-return-pump"].async_set_level

    def spy(level: float) -> None:  # what is on disk at the moment the action runs
        journal = hass_storage.get("bellas_reef.runs", {}).get("data", {})
        seen.append((journal, hass_storage["bellas_reef.schedules"]["data"]["schedules"][0]))
        execute(level)

    engine.channels["sub-return-pump"].async_set_level = spy
    freezer.move_to(run_at)
    async_fire_time_changed_exact(hass)
    await hass.async_block_till_done()
    assert sim_chip(hass).duty(4) == 4096
    ((journal, row),) = seen
    assert journal == {"fired": {"s1": run_at.isoformat()}}
    assert row.get("last_run") is None  # the big store is not rewritten before the action
    freezer.tick(timedelta(seconds=1))
    async_fire_time_changed_exact(hass)
    await hass.async_block_till_done()
    assert hass_storage["bellas_reef.schedules"]["data"]["schedules"][0]["last_run"] == run_at.isoformat()
    # the journal keeps the run's outcome until the history has its record (written within 30 s)
    assert hass_storage["bellas_reef.runs"]["data"] == {
        "fired": {"s1": run_at.isoformat()},
        "finished": {"s1": "success"},
    }
    await advance(hass, freezer, 30)
    assert [a["schedule_id"] for a in hass_storage["bellas_reef.actions"]["data"]["actions"]] == ["s1"]
    assert hass_storage["bellas_reef.runs"]["data"] == {"fired": {}}


async def test_one_off_is_journalled_ahead_and_runs_on_the_instant(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    """The journal is written just before the instant, so the action itself starts on time."""
    engine, run_at = await start_with_one_off(hass, board_entry, freezer, hass_storage)
    await advance(hass, freezer, to=run_at - timedelta(milliseconds=150))
    assert hass_storage["bellas_reef.runs"]["data"] == {"fired": {"s1": run_at.isoformat()}}
    assert sim_chip(hass).duty(4) == 0  # not yet
    assert engine.armed() == {"s1"}  # now the run's own timer
    assert engine.timers_agree()
    await advance(hass, freezer, to=run_at)
    assert sim_chip(hass).duty(4) == 4096
    (record,) = engine.history.query(schedule_id="s1")
    assert record.executed_time == record.scheduled_time == run_at  # not a microsecond late


async def test_a_clean_stop_between_journal_and_instant_takes_the_entry_back(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    """Stopped after the journal but before the run: the next start must not count it as run."""
    engine, run_at = await start_with_one_off(hass, board_entry, freezer, hass_storage)
    await advance(hass, freezer, to=run_at - timedelta(milliseconds=100))
    assert hass_storage["bellas_reef.runs"]["data"] == {"fired": {"s1": run_at.isoformat()}}
    await engine.async_unload()
    assert hass_storage["bellas_reef.runs"]["data"] == {"fired": {}}
    (row,) = hass_storage["bellas_reef.schedules"]["data"]["schedules"]
    assert row.get("last_run") is None
    assert row["next_run"] == run_at.isoformat()  # the next start runs it (within its grace) or skips it


async def test_a_one_off_changed_while_its_journal_is_written_runs_once(
    hass: HomeAssistant,
    board_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine, run_at = await start_with_one_off(hass, board_entry, freezer, hass_storage, "toggle")
    journal = engine.journal.async_note
    renamed = []

    async def rename_while_writing(schedule_id: str, ran: datetime) -> None:
        if not renamed:  # the user renames it while the first journal write is on its way
            renamed.append(await engine.async_update(schedule_id, {"name": "Renamed"}))
        await journal(schedule_id, ran)

    monkeypatch.setattr(engine.journal, "async_note", rename_while_writing)
    await advance(hass, freezer, to=run_at - timedelta(milliseconds=150))
    await advance(hass, freezer, to=run_at)
    await advance(hass, freezer, 60)
    assert renamed
    assert [r.action_type for r in engine.history.query(schedule_id="s1")] == ["toggle"]  # once, not twice
    assert sim_chip(hass).duty(4) == 4096


async def test_a_one_off_disabled_after_its_journal_does_not_run(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    engine, run_at = await start_with_one_off(hass, board_entry, freezer, hass_storage)
    await advance(hass, freezer, to=run_at - timedelta(milliseconds=150))
    await engine.async_set_enabled("s1", enabled=False)
    await advance(hass, freezer, to=run_at + timedelta(seconds=5))
    assert engine.history.query(schedule_id="s1") == []
    assert sim_chip(hass).duty(4) == 0
    assert engine.armed() == set()
    # enabled again later, it is a one-off whose time has passed: nothing to run, and nothing recorded as run
    await engine.async_set_enabled("s1", enabled=True)
    assert engine.schedules["s1"].last_run is None


async def test_a_one_off_missed_within_its_grace_runs_once_and_is_journalled(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    freezer.move_to(NOW)
    due = (NOW - timedelta(seconds=60)).isoformat()
    stored(hass_storage, [schedule(schedule_type="one_off", run_at=due, action_type="on", next_run=due)])
    await start(hass, board_entry)
    engine = engine_of(hass)
    assert sim_chip(hass).duty(4) == 4096
    (record,) = engine.history.query(schedule_id="s1")
    assert "60 s late" in record.result
    # before the store has it, the journal has the run and its outcome
    assert hass_storage["bellas_reef.runs"]["data"] == {"fired": {"s1": due}, "finished": {"s1": "success"}}
    await advance(hass, freezer, 1)
    assert hass_storage["bellas_reef.schedules"]["data"]["schedules"][0]["last_run"] == due
    await advance(hass, freezer, 30)  # once the history has the run's record too, the entry goes
    assert hass_storage["bellas_reef.runs"]["data"] == {"fired": {}}


async def test_a_stale_journal_entry_does_not_count(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    """The one-off was moved (or disabled) just before Home Assistant died: its old entry is ignored."""
    freezer.move_to(NOW)
    old = (NOW - timedelta(seconds=30)).isoformat()
    moved = (NOW + timedelta(minutes=10)).isoformat()
    stored(
        hass_storage,
        [
            schedule(schedule_type="one_off", run_at=moved, action_type="on"),
            schedule(id="s2", schedule_type="one_off", run_at=old, action_type="on", enabled=False),
        ],
    )
    stored_journal(hass_storage, {"s1": old, "s2": old})
    await start(hass, board_entry)
    engine = engine_of(hass)
    assert engine.schedules["s1"].last_run is None
    assert engine.schedules["s1"].next_run == datetime.fromisoformat(moved)
    assert engine.schedules["s2"].last_run is None
    assert hass_storage["bellas_reef.runs"]["data"] == {"fired": {}}


async def test_a_journalled_one_off_with_its_record_written_is_not_flagged_again(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    """Its action's record made it to disk: that record tells how it went (here: it succeeded)."""
    freezer.move_to(NOW)
    ran_at = (NOW - timedelta(seconds=30)).isoformat()
    stored(
        hass_storage,
        [schedule(schedule_type="one_off", run_at=ran_at, action_type="on", next_run=ran_at)],
        [
            {
                "id": "a1",
                "schedule_id": "s1",
                "target": "sub-return-pump",
                "action_type": "on",
                "action_params": {},
                "status": "success",
                "scheduled_time": ran_at,
                "executed_time": ran_at,
            }
        ],
    )
    stored_journal(hass_storage, {"s1": ran_at})
    await start(hass, board_entry)
    engine = engine_of(hass)
    assert [r.status for r in engine.history.query(schedule_id="s1")] == [ActionStatus.SUCCESS]
    assert engine.schedules["s1"].last_run == datetime.fromisoformat(ran_at)


async def test_a_run_saved_while_pending_is_not_replayed(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    """A schedule's run record saved before it started is not a pending action to run at the next start."""
    freezer.move_to(NOW)
    due = (NOW - timedelta(hours=2)).isoformat()
    stored(
        hass_storage,
        [schedule(schedule_type="cron", cron_expression="0 * * * *", action_type="on", last_run=due)],
        [
            {
                "id": "a1",
                "schedule_id": "s1",
                "target": "sub-return-pump",
                "action_type": "on",
                "action_params": {},
                "status": "pending",
                "scheduled_time": due,
            }
        ],
    )
    await start(hass, board_entry)
    engine = engine_of(hass)
    record = engine.history.get("a1")
    assert record.status is ActionStatus.FAILED
    assert "before it ran" in record.error_message
    assert sim_chip(hass).duty(4) == 0  # not run by the replay (the schedule's own rules decide)


async def test_runs_ending_during_shutdown_arm_nothing(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    """A run still going when Home Assistant stops is waited for, kept and written, but arms no timer."""
    freezer.move_to(NOW)
    release = asyncio.Event()

    async def slow(_call: ServiceCall) -> None:
        await release.wait()

    hass.services.async_register("test", "slow", slow)
    stored(
        hass_storage,
        [
            schedule(
                schedule_type="interval",
                interval_seconds=60,
                start_time=NOW.isoformat(),
                action_type="custom",
                action_params={"service": "test.slow"},
            ),
            schedule(
                id="s2",
                schedule_type="interval",
                interval_seconds=60,
                start_time=NOW.isoformat(),
                action_type="on",
                action_params={"duration": 30},
            ),
        ],
    )
    await start(hass, board_entry)
    engine = engine_of(hass)
    freezer.move_to(NOW + timedelta(seconds=60))
    async_fire_time_changed_exact(hass)
    await asyncio.sleep(0)
    unload = hass.async_create_task(engine.async_unload())
    await asyncio.sleep(0)
    release.set()
    await unload
    assert engine.armed() == set()
    assert engine.actions._timers == {}
    assert engine.schedules["s1"].last_run == NOW + timedelta(seconds=60)
    assert hass_storage["bellas_reef.schedules"]["data"]["schedules"][0]["last_run"] is not None
    reverts = [r for r in engine.history.pending() if r.action_type == "revert"]
    assert len(reverts) == 1


async def test_missed_inside_grace_runs_once(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    freezer.move_to(NOW)
    due = NOW - timedelta(seconds=120)
    stored(
        hass_storage,
        [
            schedule(
                schedule_type="cron",
                cron_expression="58 11 * * *",
                action_type="on",
                next_run=due.isoformat(),
            )
        ],
    )
    await start(hass, board_entry)
    engine = engine_of(hass)
    assert sim_chip(hass).duty(4) == 4096
    records = engine.history.query(schedule_id="s1")
    assert len(records) == 1
    assert records[0].status is ActionStatus.SUCCESS
    assert records[0].scheduled_time == due
    assert "120 s late" in records[0].result
    after = engine.schedules["s1"]
    assert after.last_run == due
    assert after.next_run == due + timedelta(days=1)
    assert engine.armed() == {"s1"}


async def test_missed_beyond_grace_is_skipped(
    hass: HomeAssistant,
    board_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict,
    caplog: pytest.LogCaptureFixture,
) -> None:
    freezer.move_to(NOW)
    due = NOW - timedelta(hours=2, minutes=30)
    stored(
        hass_storage,
        [
            schedule(
                schedule_type="interval",
                interval_seconds=3600,
                start_time=(NOW - timedelta(days=1, minutes=30)).isoformat(),
                action_type="on",
                next_run=due.isoformat(),
            )
        ],
    )
    with caplog.at_level(logging.WARNING):
        await start(hass, board_entry)
    engine = engine_of(hass)
    assert sim_chip(hass).duty(4) == 0
    after = engine.schedules["s1"]
    assert after.last_run_status is RunStatus.SKIPPED
    assert after.last_run == NOW - timedelta(minutes=30)  # the latest missed run, 11:30
    assert after.next_run == NOW + timedelta(minutes=30)
    records = engine.history.query(schedule_id="s1")
    assert [r.status for r in records] == [ActionStatus.SKIPPED]
    assert "missed by 1800 s" in records[0].error_message
    assert "3 runs missed" in records[0].error_message
    assert "recorded as skipped" in caplog.text


async def test_disabled_schedules_never_fire_after_restart(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    freezer.move_to(NOW)
    stored(
        hass_storage,
        [
            schedule(
                schedule_type="cron",
                cron_expression="58 11 * * *",
                action_type="on",
                enabled=False,
                next_run=(NOW - timedelta(seconds=60)).isoformat(),
            )
        ],
    )
    await start(hass, board_entry)
    assert sim_chip(hass).duty(4) == 0
    assert engine_of(hass).history.query() == []
    assert engine_of(hass).armed() == set()


DIURNAL = {
    "schedule_type": "static",
    "preset": "diurnal",
    "preset_params": {
        "sunrise": "09:00",
        "sunrise_minutes": 120,
        "peak_level": 85,
        "sunset": "19:00",
        "sunset_minutes": 120,
    },
    "targets": ["sub-blue", "sub-white"],
}


async def test_diurnal_restarted_at_noon_sets_noon_level(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    freezer.move_to(NOW)
    stored(hass_storage, [schedule(**DIURNAL, next_run="2027-06-10T19:00:00+00:00")])
    await start(hass, board_entry)
    chip = sim_chip(hass)
    assert chip.duty(0) == chip.duty(1) == DutyMap().duty(85)
    assert hass.states.get("light.blue").attributes["brightness"] == round(85 * 255 / 100)


async def test_diurnal_restarted_mid_sunrise_resumes_the_ramp(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    at = datetime.fromisoformat("2027-06-10T10:00:00+00:00")
    freezer.move_to(at)
    stored(hass_storage, [schedule(**DIURNAL, next_run="2027-06-10T19:00:00+00:00")])
    await start(hass, board_entry)
    chip = sim_chip(hass)
    assert chip.duty(0) == DutyMap().duty(42.5)  # half-way up the sunrise
    seen = [chip.duty(0)]
    for _ in range(60):
        freezer.tick(timedelta(minutes=1))
        async_fire_time_changed_exact(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        seen.append(chip.duty(0))
    assert seen == sorted(seen)
    assert seen[-1] == DutyMap().duty(85)  # 11:00, the end of the sunrise


async def test_pending_revert_survives_a_restart(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    """A feeding pause turned the pump off for 10 minutes; Home Assistant restarted in the middle."""
    freezer.move_to(NOW)
    mock_state = [
        {
            "id": "revert-1",
            "schedule_id": None,
            "target": "sub-return-pump",
            "action_type": "revert",
            "action_params": {"level": 100.0},
            "status": "pending",
            "scheduled_time": (NOW - timedelta(seconds=30)).isoformat(),
        },
        {
            "id": "later-1",
            "schedule_id": None,
            "target": "sub-blue",
            "action_type": "set_level",
            "action_params": {"level": 30.0},
            "status": "pending",
            "scheduled_time": (NOW + timedelta(minutes=5)).isoformat(),
        },
    ]
    stored(hass_storage, [], mock_state)
    await start(hass, board_entry)
    engine = engine_of(hass)
    chip = sim_chip(hass)
    assert chip.duty(4) == 4096  # the pump is back
    assert engine.history.get("revert-1").status is ActionStatus.SUCCESS
    assert engine.history.get("later-1").status is ActionStatus.PENDING
    freezer.tick(timedelta(minutes=5))
    async_fire_time_changed_exact(hass)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert chip.duty(0) == DutyMap().duty(30)
    assert engine.history.get("later-1").status is ActionStatus.SUCCESS


async def test_thousand_schedules_load_and_arm(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    freezer.move_to(NOW)
    many = [
        schedule(
            id=f"s{i}",
            name=f"Schedule {i}",
            schedule_type="interval",
            interval_seconds=60 + i,
            start_time=(NOW + timedelta(seconds=i)).isoformat(),
            action_type="toggle",
        )
        for i in range(1000)
    ]
    stored(hass_storage, many)
    await start(hass, board_entry)
    engine = engine_of(hass)
    assert len(engine.schedules) == 1000
    assert len(engine.armed()) == 1000
    assert engine.timers_agree()
    assert hass.states.get("sensor.schedules_enabled_schedules").state == "1000"


async def test_version_1_storage_is_migrated(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    freezer.move_to(NOW)
    hass_storage["bellas_reef.schedules"] = {
        "version": 1,
        "minor_version": 1,
        "key": "bellas_reef.schedules",
        "data": {
            "schedules": [
                {
                    "id": 7,
                    "name": "Old pump",
                    "type": "interval",
                    "interval": 1800,
                    "channels": "sub-return-pump, sub-blue",
                    "action": "on",
                    "params": {},
                    "tz": "Europe/Berlin",
                    "is_enabled": True,
                    "start_time": "2027-06-10T12:10:00+00:00",
                    "created_at": CREATED,
                    "updated_at": CREATED,
                }
            ]
        },
    }
    await start(hass, board_entry)
    engine = engine_of(hass)
    migrated = engine.schedules["7"]
    assert migrated.targets == ("sub-return-pump", "sub-blue")
    assert migrated.interval_seconds == 1800
    assert migrated.timezone == "Europe/Berlin"
    assert migrated.misfire_grace == 300
    assert migrated.next_run == datetime.fromisoformat("2027-06-10T12:10:00+00:00")
    await hass.async_block_till_done()
    assert hass_storage["bellas_reef.schedules"]["version"] == 2 or engine.files.store.version == 2


async def test_a_one_off_that_ran_before_a_crash_is_not_reported_as_a_possible_miss(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    """Killed within seconds after the run: the journal has the outcome, the delayed history had no record."""
    freezer.move_to(NOW)
    ran_at = (NOW - timedelta(seconds=10)).isoformat()
    stored(
        hass_storage, [schedule(schedule_type="one_off", run_at=ran_at, action_type="on", next_run=ran_at)]
    )
    stored_journal(hass_storage, {"s1": ran_at}, {"s1": "success"})
    await start(hass, board_entry)
    engine = engine_of(hass)
    (record,) = engine.history.query(schedule_id="s1")
    assert record.status is ActionStatus.SUCCESS
    assert "run journal" in record.result
    assert engine.schedules["s1"].last_run_status is RunStatus.SUCCESS
    assert sim_chip(hass).duty(4) == 0  # not run again
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.schedules_scheduler_problem").state == "off"


async def test_the_history_is_written_within_30_s_of_its_first_unsaved_change(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    """A busy reef (a run every second) must not push the write on: the loss window is bounded."""
    freezer.move_to(NOW)
    await start(hass, board_entry)
    engine = engine_of(hass)
    await engine.async_create(
        {
            "name": "Busy",
            "schedule_type": "interval",
            "interval_seconds": 1,
            "timezone": "UTC",
            "targets": ["sub-return-pump"],
            "action_type": "toggle",
        }
    )
    worst = 0.0
    for _ in range(200):
        await advance(hass, freezer, 0.5)
        if engine.history.unsaved_since is not None:
            worst = max(worst, (dt_util.utcnow() - engine.history.unsaved_since).total_seconds())
    assert len(engine.history) >= 99
    assert worst <= ACTIONS_SAVE_DELAY  # measured: the oldest unsaved change is never older than this
    stored_ids = {row["id"] for row in hass_storage["bellas_reef.actions"]["data"]["actions"]}
    unsaved = [r for r in engine.history.query(limit=None) if r.id not in stored_ids]
    assert all((dt_util.utcnow() - r.created_at).total_seconds() <= ACTIONS_SAVE_DELAY for r in unsaved)


RAMP = {"end_level": 100, "duration": 120}
RAN = "2027-06-10T11:59:00+00:00"
RAMP_TYPES = {
    "one_off": {"schedule_type": "one_off", "run_at": RAN, "next_run": None},
    "cron": {
        "schedule_type": "cron",
        "cron_expression": "59 11 * * *",
        "next_run": "2027-06-11T11:59:00+00:00",
    },
    "interval": {
        "schedule_type": "interval",
        "interval_seconds": 86_400,
        "start_time": "2027-06-01T11:59:00+00:00",
        "next_run": "2027-06-11T11:59:00+00:00",
    },
    "recurring": {
        "schedule_type": "recurring",
        "frequency": "daily",
        "times": ["11:59"],
        "next_run": "2027-06-11T11:59:00+00:00",
    },
}


@pytest.mark.parametrize("start_level", [None, 0], ids=["start_from_its_record", "start_given"])
@pytest.mark.parametrize("kind", sorted(RAMP_TYPES))
async def test_a_ramp_under_way_resumes_after_a_restart(
    hass: HomeAssistant,
    board_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict,
    kind: str,
    start_level: int | None,
) -> None:
    """Stopped half-way through a 2-minute ramp 0 -> 100 %: it carries on from 50 % and ends on time."""
    freezer.move_to(NOW)
    params = RAMP if start_level is None else {**RAMP, "start_level": start_level}
    stored(
        hass_storage,
        [
            schedule(
                targets=["sub-blue"],
                action_type="ramp",
                action_params=params,
                last_run=RAN,
                last_run_status="success",
                **RAMP_TYPES[kind],
            )
        ],
        [
            {
                "id": "a1",
                "schedule_id": "s1",
                "target": "sub-blue",
                "action_type": "ramp",
                "action_params": {**RAMP, "start_level": 0},  # what the run resolved, kept in its record
                "status": "success",
                "scheduled_time": RAN,
                "executed_time": RAN,
            }
        ],
    )
    await start(hass, board_entry)
    chip = sim_chip(hass)
    assert chip.duty(0) == DutyMap().duty(50)  # where the ramp is now, not where it stopped
    await advance(hass, freezer, 30)
    assert chip.duty(0) == DutyMap().duty(75)
    await advance(hass, freezer, 31)
    assert chip.duty(0) == 4096  # ends on time, at 100 %


async def test_a_one_off_whose_store_has_the_run_but_not_the_history_keeps_its_record(
    hass: HomeAssistant, board_entry: MockConfigEntry, freezer: FrozenDateTimeFactory, hass_storage: dict
) -> None:
    """Killed 10 s after the run: the store had it (within 1 s), the history not (30 s); the journal did."""
    freezer.move_to(NOW)
    ran_at = (NOW - timedelta(seconds=10)).isoformat()
    stored(
        hass_storage,
        [
            schedule(
                schedule_type="one_off",
                run_at=ran_at,
                action_type="on",
                next_run=None,
                last_run=ran_at,
                last_run_status="success",
            )
        ],
    )
    stored_journal(hass_storage, {"s1": ran_at}, {"s1": "success"})
    await start(hass, board_entry)
    engine = engine_of(hass)
    (record,) = engine.history.query(schedule_id="s1")
    assert record.status is ActionStatus.SUCCESS
    assert sim_chip(hass).duty(4) == 0  # not run again
    # written before the journal let go of it
    assert [a["schedule_id"] for a in hass_storage["bellas_reef.actions"]["data"]["actions"]] == ["s1"]
    assert hass_storage["bellas_reef.runs"]["data"] == {"fired": {}}
