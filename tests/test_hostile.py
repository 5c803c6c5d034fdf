"""The findings of trying Bella's Reef as a guest and a hostile client would, each driven as it was found.

Rights (a guest account acting later, cancelling, recursion), hostile input (edge dates, huge numbers, wrong
types, 10 MB strings and lists, caller-set ids and run records), failed store writes, and what the messages
quote. Every refusal must be a translated error that leaves memory and storage as they were.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import json
from pathlib import Path
from typing import Any
import uuid

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.core import Context, HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError, Unauthorized
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.service import async_register_admin_service
from homeassistant.helpers.storage import Store
from homeassistant.util.json import SerializationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.bellas_reef.driver.dimming import DutyMap
from custom_components.bellas_reef.engine.history import ActionStatus
from custom_components.bellas_reef.scheduling import wallclock

from .conftest import advance, engine_of, sim_chip

T0 = datetime.fromisoformat("2027-04-01T05:00:00+00:00")
PUMP_HOURLY = {
    "name": "Pump hourly",
    "schedule_type": "interval",
    "interval_seconds": 3600,
    "timezone": "UTC",
    "targets": ["switch.return_pump"],
    "action_type": "on",
}


@pytest.fixture
def reef_start() -> datetime:
    return T0


async def call(
    hass: HomeAssistant, service: str, data: dict[str, Any], context: Context | None = None
) -> Any:
    return await hass.services.async_call(
        "bellas_reef", service, data, blocking=True, return_response=True, context=context
    )


def snapshot(hass: HomeAssistant, hass_storage: dict[str, Any]) -> tuple[Any, ...]:
    """Memory and storage as they are, to compare before and after a refusal."""
    engine = engine_of(hass)
    return (
        {key: schedule.to_dict() for key, schedule in engine.schedules.items()},
        {record.id: record.to_dict() for record in engine.history.query(limit=None)},
        json.dumps(hass_storage.get("bellas_reef.schedules"), sort_keys=True, default=str),
        json.dumps(hass_storage.get("bellas_reef.actions"), sort_keys=True, default=str),
        engine.armed(),
    )


async def refused(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    service: str,
    data: dict[str, Any],
    key: str | None = None,
    context: Context | None = None,
) -> ServiceValidationError:
    """Call, expect a translated refusal (of ``key``), and check that nothing changed."""
    before = snapshot(hass, hass_storage)
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, service, data, context)
    assert err.value.translation_domain == "bellas_reef"
    if key is not None:
        assert err.value.translation_key == key, str(err.value)
    await hass.async_block_till_done()
    assert snapshot(hass, hass_storage) == before
    assert len(str(err.value)) < 2500, "a message quotes a short excerpt of the input"
    return err.value


@pytest.fixture
def admin_only(hass: HomeAssistant) -> list[ServiceCall]:
    """An administrator's action (like homeassistant.restart or delete_schedule), and what called it."""
    calls: list[ServiceCall] = []

    @callback
    def handle(call: ServiceCall) -> None:
        calls.append(call)

    async_register_admin_service(hass, "reef_test", "admin_only", handle)
    return calls


# -- rights


async def test_a_deferred_custom_action_acts_with_the_callers_rights(
    hass: HomeAssistant,
    reef: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    plain_user: User,
    admin_only: list[ServiceCall],
) -> None:
    """A guest's custom action, now or later, may only do what the guest may: an admin's action is refused."""
    guest = Context(user_id=plain_user.id)
    custom = {
        "targets": ["light.blue"],
        "action_type": "custom",
        "action_params": {"service": "reef_test.admin_only"},
    }
    now = (await call(hass, "run_action", custom, guest))["actions"][0]
    assert now["status"] == "failed"
    later = await call(
        hass, "run_action", {**custom, "scheduled_time": (T0 + timedelta(seconds=5)).isoformat()}, guest
    )
    (pending,) = later["actions"]
    assert pending["status"] == "pending"
    await advance(hass, freezer, 6)
    record = engine_of(hass).history.get(pending["id"])
    assert record.status is ActionStatus.FAILED
    assert record.user_id == plain_user.id
    assert admin_only == []  # never called, now or later


async def test_a_schedules_run_acts_with_its_creators_rights(
    hass: HomeAssistant,
    reef: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_admin_user: User,
    admin_only: list[ServiceCall],
) -> None:
    made = await call(
        hass,
        "create_schedule",
        {
            **PUMP_HOURLY,
            "action_type": "custom",
            "action_params": {"service": "reef_test.admin_only"},
            "start_time": (T0 + timedelta(minutes=1)).isoformat(),
        },
        Context(user_id=hass_admin_user.id),
    )
    assert made["schedule"]["created_by"] == hass_admin_user.id
    await advance(hass, freezer, 61)
    (seen,) = admin_only
    assert seen.context.user_id == hass_admin_user.id
    (record,) = engine_of(hass).history.query(schedule_id=made["schedule"]["id"])
    assert record.status is ActionStatus.SUCCESS
    assert seen.context.parent_id == record.context_id


async def test_who_may_cancel_a_pending_action(
    hass: HomeAssistant,
    reef: MockConfigEntry,
    hass_storage: dict[str, Any],
    hass_admin_user: User,
    plain_user: User,
) -> None:
    guest, admin = Context(user_id=plain_user.id), Context(user_id=hass_admin_user.id)
    later = {
        "targets": ["switch.return_pump"],
        "action_type": "off",
        "scheduled_time": (T0 + timedelta(minutes=5)).isoformat(),
    }
    (admins,) = (await call(hass, "run_action", later, admin))["actions"]
    (guests,) = (await call(hass, "run_action", later, guest))["actions"]
    with pytest.raises(Unauthorized):
        await call(hass, "cancel_action", {"action_id": admins["id"]}, guest)
    assert engine_of(hass).history.get(admins["id"]).status is ActionStatus.PENDING
    assert (await call(hass, "cancel_action", {"action_id": guests["id"]}, guest))["action"][
        "status"
    ] == "cancelled"
    assert (await call(hass, "cancel_action", {"action_id": admins["id"]}, admin))["action"][
        "status"
    ] == "cancelled"
    # a schedule's pending revert (a feeding pause's "back on") is for administrators only
    made = await call(
        hass,
        "create_schedule",
        {**PUMP_HOURLY, "action_type": "off", "action_params": {"duration": 600}, "start_time": None},
    )
    await call(hass, "run_schedule", {"schedule_id": made["schedule"]["id"]}, admin)
    await hass.async_block_till_done()
    (revert,) = engine_of(hass).history.query(schedule_id=made["schedule"]["id"], status="pending")
    with pytest.raises(Unauthorized):
        await call(hass, "cancel_action", {"action_id": revert.id}, guest)
    assert revert.status is ActionStatus.PENDING


async def test_a_schedule_cannot_start_runs_of_its_own(
    hass: HomeAssistant, reef: MockConfigEntry, hass_storage: dict[str, Any], freezer: FrozenDateTimeFactory
) -> None:
    """Directly refused when it is made; through anything it sets off (a script, a relay), at run time."""
    for service in ("bellas_reef.run_schedule", "bellas_reef.run_action"):
        err = await refused(
            hass,
            hass_storage,
            "create_schedule",
            {**PUMP_HOURLY, "action_type": "custom", "action_params": {"service": service}},
            "invalid_schedule",
        )
        assert service in str(err)
    relayed: list[ServiceCall] = []

    async def relay(call: ServiceCall) -> None:  # what a script calling run_schedule does
        relayed.append(call)
        await call.hass.services.async_call(
            "bellas_reef",
            "run_schedule",
            {"schedule_id": call.data["schedule_id"]},
            blocking=True,
            context=call.context,
        )

    hass.services.async_register("reef_test", "relay", relay)
    made = (
        await call(
            hass,
            "create_schedule",
            {**PUMP_HOURLY, "action_type": "custom", "action_params": {"service": "reef_test.relay"}},
        )
    )["schedule"]
    await call(
        hass,
        "update_schedule",
        {
            "schedule_id": made["id"],
            "action_params": {"service": "reef_test.relay", "data": {"schedule_id": made["id"]}},
        },
    )
    await call(hass, "run_schedule", {"schedule_id": made["id"]})
    await hass.async_block_till_done()
    assert len(relayed) == 1  # it did not run itself again
    (record,) = engine_of(hass).history.query(schedule_id=made["id"])
    assert record.status is ActionStatus.FAILED
    assert "may not start runs" in record.error_message


# -- hostile input

EDGE_DATES = [
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00",
    "2027-02-30T00:00:00",
    "2027-01-01T25:00:00",
    "2027-01-01T00:00:00+25:00",
    "1969-12-31T23:59:59+00:00",
    "2200-01-01T00:00:01+00:00",
    5,
    ["2027-01-01T00:00:00"],
    "x" * 300_000,
]


@pytest.mark.parametrize("value", EDGE_DATES, ids=lambda v: repr(v)[:30])
@pytest.mark.parametrize("field", ["run_at", "start_time", "end_time"])
async def test_edge_dates_in_schedules(
    hass: HomeAssistant, reef: MockConfigEntry, hass_storage: dict[str, Any], field: str, value: Any
) -> None:
    data = {
        **PUMP_HOURLY,
        "schedule_type": "one_off",
        "interval_seconds": None,
        "run_at": "2027-05-01T00:00:00",
    }
    data[field] = value
    await refused(hass, hass_storage, "create_schedule", data, "invalid_schedule")


@pytest.mark.parametrize("value", EDGE_DATES, ids=lambda v: repr(v)[:30])
async def test_edge_dates_in_actions_history_and_preview(
    hass: HomeAssistant, reef: MockConfigEntry, hass_storage: dict[str, Any], value: Any
) -> None:
    manual = {"targets": ["light.blue"], "action_type": "on", "scheduled_time": value}
    await refused(hass, hass_storage, "run_action", manual)
    await refused(hass, hass_storage, "get_actions", {"start": value})
    await refused(hass, hass_storage, "get_actions", {"end": value})
    stored = (await call(hass, "create_schedule", PUMP_HOURLY))["schedule"]
    await refused(hass, hass_storage, "preview", {"schedule_id": stored["id"], "date": value})


@pytest.mark.parametrize(
    "date", [0, 20270101, [2027, 1, 1], {"y": 2027}, "0001-01-01", "9999-12-31", "2027-13-01"]
)
async def test_preview_dates_that_are_not_dates(
    hass: HomeAssistant, reef: MockConfigEntry, hass_storage: dict[str, Any], date: Any
) -> None:
    stored = (await call(hass, "create_schedule", PUMP_HOURLY))["schedule"]
    await refused(hass, hass_storage, "preview", {"schedule_id": stored["id"], "date": date})


HUGE = [10**12, 10**30, 2**64, 1e308, float("inf")]


@pytest.mark.parametrize("value", HUGE, ids=str)
@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"misfire_grace": None}, "misfire_grace"),
        ({"interval_seconds": None}, "interval_seconds"),
        ({"action_params": {"duration": None}}, "action_params.duration"),
        (
            {"action_type": "ramp", "action_params": {"end_level": 100, "duration": None}},
            "action_params.duration",
        ),
        (
            {
                "schedule_type": "recurring",
                "interval_seconds": None,
                "frequency": "daily",
                "times": ["08:00"],
                "every": None,
            },
            "every",
        ),
    ],
)
async def test_huge_numbers_are_refused_and_change_nothing(
    hass: HomeAssistant,
    reef: MockConfigEntry,
    hass_storage: dict[str, Any],
    fields: dict[str, Any],
    path: str,
    value: Any,
) -> None:
    data = {**PUMP_HOURLY, **fields}
    if "." in path:
        name = path.split(".", 1)[1]
        data["action_params"] = {**data["action_params"], name: value}
    else:
        data[path] = value
    err = await refused(hass, hass_storage, "create_schedule", data, "invalid_schedule")
    assert path in str(err)
    # the store is still writable, and what is made next is stored
    made = (await call(hass, "create_schedule", PUMP_HOURLY))["schedule"]
    assert [row["id"] for row in hass_storage["bellas_reef.schedules"]["data"]["schedules"]] == [made["id"]]
    assert engine_of(hass).storage_failures() == {}


@pytest.mark.parametrize("value", HUGE, ids=str)
async def test_a_huge_revert_duration_does_not_touch_the_device(
    hass: HomeAssistant, reef: MockConfigEntry, hass_storage: dict[str, Any], value: Any
) -> None:
    for action_type, params in (
        ("on", {}),
        ("off", {}),
        ("set_level", {"level": 50}),
        ("set_pwm", {"duty": 50}),
    ):
        data = {
            "targets": ["light.blue"],
            "action_type": action_type,
            "action_params": {**params, "duration": value},
        }
        await refused(hass, hass_storage, "run_action", data, "invalid_schedule")
    assert sim_chip(hass).duty(0) == 0


@pytest.mark.parametrize("params", ["x", 5, [1, 2], True, 1.5])
async def test_action_params_that_are_not_a_mapping(
    hass: HomeAssistant, reef: MockConfigEntry, hass_storage: dict[str, Any], params: Any
) -> None:
    data = {"targets": ["light.blue"], "action_type": "set_level", "action_params": params}
    await refused(hass, hass_storage, "run_action", data, "invalid_schedule")


async def test_huge_strings_and_lists_get_short_messages(
    hass: HomeAssistant, reef: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    long = "light." + "x" * 300_000
    await refused(
        hass, hass_storage, "create_schedule", {**PUMP_HOURLY, "targets": [long]}, "invalid_schedule"
    )
    await refused(
        hass, hass_storage, "run_action", {"targets": [long], "action_type": "on"}, "unknown_target"
    )
    many = ["light.blue"] * 1_000_000
    await refused(hass, hass_storage, "create_schedule", {**PUMP_HOURLY, "targets": many}, "invalid_schedule")
    await refused(hass, hass_storage, "run_action", {"targets": many, "action_type": "on"}, "unknown_target")
    await refused(
        hass, hass_storage, "preview", {"schedule": {**PUMP_HOURLY, "targets": many}}, "invalid_schedule"
    )
    await refused(
        hass, hass_storage, "create_schedule", {**PUMP_HOURLY, "name": "n" * 10_000_000}, "invalid_schedule"
    )
    await refused(
        hass,
        hass_storage,
        "create_schedule",
        {
            **PUMP_HOURLY,
            "schedule_type": "recurring",
            "interval_seconds": None,
            "frequency": "daily",
            "times": ["08:00"] * 10**6,
        },
        "invalid_schedule",
    )
    await refused(
        hass, hass_storage, "create_schedule", {f"k{n}": n for n in range(100_000)}, "invalid_schedule"
    )
    big = {"service": "light.turn_on", "data": {"message": "m" * 10_000_000}}
    await refused(
        hass,
        hass_storage,
        "create_schedule",
        {**PUMP_HOURLY, "action_type": "custom", "action_params": big},
        "invalid_schedule",
    )
    await refused(
        hass,
        hass_storage,
        "run_action",
        {"targets": ["light.blue"], "action_type": "custom", "action_params": big},
    )
    await refused(
        hass, hass_storage, "get_schedules", {"schedule_id": "s" * 10_000_000}, "schedule_not_found"
    )
    await refused(hass, hass_storage, "cancel_action", {"action_id": "a" * 10_000_000}, "action_not_found")


@pytest.mark.parametrize(
    "field",
    [
        {"id": "../../etc/passwd"},
        {"id": "<script>alert(1)</script>"},
        {"id": "i" * 5000},
        {"created_at": "2027-01-01T00:00:00+00:00"},
        {"updated_at": "2027-01-01T00:00:00+00:00"},
        {"next_run": "2027-01-01T00:00:00+00:00"},
        {"last_run": "2027-01-01T00:00:00+00:00"},
        {"last_run_status": "success"},
        {"created_by": "someone-else"},
    ],
    ids=lambda field: next(iter(field)),
)
async def test_the_integrations_own_fields_cannot_be_given(
    hass: HomeAssistant, reef: MockConfigEntry, hass_storage: dict[str, Any], field: dict[str, Any]
) -> None:
    await refused(hass, hass_storage, "create_schedule", {**PUMP_HOURLY, **field}, "invalid_schedule")
    made = (await call(hass, "create_schedule", PUMP_HOURLY))["schedule"]
    assert len(made["id"]) == 32  # made by the integration
    await refused(
        hass, hass_storage, "update_schedule", {"schedule_id": made["id"], **field}, "invalid_schedule"
    )


async def test_an_existing_id_is_never_replaced(
    hass: HomeAssistant, reef: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    made = (await call(hass, "create_schedule", PUMP_HOURLY))["schedule"]
    err = await refused(
        hass, hass_storage, "create_schedule", {**PUMP_HOURLY, "id": made["id"], "name": "Evil"}
    )
    assert "id" in str(err)
    assert engine_of(hass).schedules[made["id"]].name == "Pump hourly"


async def test_only_the_boards_channels_are_targets(
    hass: HomeAssistant, reef: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    made = (await call(hass, "create_schedule", PUMP_HOURLY))["schedule"]
    own_switch = "switch.schedules_pump_hourly"
    assert hass.states.get(own_switch) is not None
    err = await refused(
        hass, hass_storage, "create_schedule", {**PUMP_HOURLY, "targets": [own_switch]}, "invalid_schedule"
    )
    assert own_switch in str(err)
    await refused(hass, hass_storage, "update_schedule", {"schedule_id": made["id"], "targets": [own_switch]})
    await refused(
        hass, hass_storage, "run_action", {"targets": [own_switch], "action_type": "off"}, "unknown_target"
    )
    await refused(
        hass, hass_storage, "create_schedule", {**PUMP_HOURLY, "targets": ["sub-return-pump"]}
    )  # raw ids


@pytest.mark.parametrize(
    "zone", [0, False, {}, "", [], "Mars/Olympus_Mons", "../../etc/passwd", "Europe", "z" * 100]
)
async def test_a_timezone_must_be_a_zone(
    hass: HomeAssistant, reef: MockConfigEntry, hass_storage: dict[str, Any], zone: Any
) -> None:
    await refused(
        hass, hass_storage, "create_schedule", {**PUMP_HOURLY, "timezone": zone}, "invalid_schedule"
    )


async def test_a_missing_or_null_zone_is_home_assistants(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    made = (await call(hass, "create_schedule", {**PUMP_HOURLY, "timezone": None}))["schedule"]
    assert made["timezone"] == hass.config.time_zone


async def test_zones_are_looked_up_outside_the_event_loop(
    hass: HomeAssistant, reef: MockConfigEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[str] = []
    real = wallclock.ZoneInfo

    def zone_info(name: str) -> Any:
        import asyncio

        try:
            asyncio.get_running_loop()
        except RuntimeError:
            looked_up.append(name)
            return real(name)
        raise AssertionError(f"ZoneInfo({name!r}) read the tz database inside the event loop")

    monkeypatch.setattr(wallclock, "ZoneInfo", zone_info)
    wallclock._ZONES.pop("Asia/Kathmandu", None)
    unknown = f"Nowhere/{uuid.uuid4().hex}"
    made = (await call(hass, "create_schedule", {**PUMP_HOURLY, "timezone": "Asia/Kathmandu"}))["schedule"]
    assert made["timezone"] == "Asia/Kathmandu"
    with pytest.raises(ServiceValidationError):
        await call(hass, "create_schedule", {**PUMP_HOURLY, "timezone": unknown})
    assert looked_up == ["Asia/Kathmandu", unknown]


# -- failed writes


async def test_a_failed_store_write_takes_the_change_back_and_says_so(
    hass: HomeAssistant, reef: MockConfigEntry, hass_storage: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = engine_of(hass).files.store
    healthy = type(store)

    class DiskFull(Store):
        async def _async_write_data(self, data: dict[str, Any]) -> None:
            raise SerializationError("disk full")

    # below the integration's own wrapper, where Home Assistant's writer would fail
    store.__class__ = type("BrokenScheduleStore", (healthy, DiskFull), {})
    before = snapshot(hass, hass_storage)
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "create_schedule", PUMP_HOURLY)
    assert err.value.translation_key == "storage_failed"
    assert snapshot(hass, hass_storage) == before
    assert (
        ir.async_get(hass).async_get_issue("bellas_reef", "storage_failed_bellas_reef.schedules") is not None
    )
    await hass.async_block_till_done()
    problem = hass.states.get("binary_sensor.schedules_scheduler_problem")
    assert problem.state == "on"
    assert any("bellas_reef.schedules" in text for text in problem.attributes["problems"])
    store.__class__ = healthy
    made = (await call(hass, "create_schedule", PUMP_HOURLY))["schedule"]
    assert [row["id"] for row in hass_storage["bellas_reef.schedules"]["data"]["schedules"]] == [made["id"]]
    assert ir.async_get(hass).async_get_issue("bellas_reef", "storage_failed_bellas_reef.schedules") is None


def test_home_assistants_store_still_has_the_writer_we_watch() -> None:
    """WatchedStore wraps Store._async_write_data; a release that renames it must fail here, not silently.

    (The tests' storage fixture replaces that method, so the check reads Home Assistant's source.)
    """
    from homeassistant.helpers import storage

    source = Path(storage.__file__).read_text()
    assert "    async def _async_write_data(self, data: dict) -> None:" in source
    assert "await self._async_write_data(data)" in source  # the one path every write takes


async def test_a_refused_write_to_the_board_is_reported(hass: HomeAssistant, reef: MockConfigEntry) -> None:
    import errno

    from .conftest import sim_bus

    sim_bus(hass).fail_next(1, errno.EIO)
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "light", "turn_on", {"entity_id": "light.blue", "brightness": 255, "transition": 0}, blocking=True
        )
    assert err.value.translation_key == "board_write_failed"
    assert sim_chip(hass).duty(0) == 0  # the chip has not taken it (yet: the board retries)
    assert DutyMap().duty(100) == 4096
