"""Device actions: the record of everything the scheduler did or will do to a channel.

Every execution is one record per target: ``pending`` (waiting for its time) → ``in_progress`` →
``success`` or ``failed``. A pending one can be ``cancelled``; a run missed for longer than its grace while
Home Assistant was stopped is recorded ``skipped``. A record keeps when it was due (``scheduled_time``), when
it ran (``executed_time``), what came of it (``result`` or ``error_message``) and who caused it
(``caused_by``: a schedule, a user, or the system for reverts; ``user_id``: the user whose rights it acts
with, a schedule's creator for its runs). Reverts of a ``duration`` are pending records too, so that a pump
paused for feeding comes back on even if Home Assistant restarted in between.

The history is written in batches: at most ``ACTIONS_SAVE_DELAY`` after the *first* change not yet written,
however many changes follow (a busy reef must not push the write on forever), and at once where a record
must survive a crash (a pending revert, a manual action for later, a cancellation, shutdown).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any
import uuid

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from ..const import LOGGER
from .storage import ACTIONS_SAVE_DELAY, ActionStore, StoreWriteError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable


class ActionStatus(StrEnum):
    """Where a device action is in its life."""

    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    SUCCESS = "success"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SKIPPED = "skipped"


FINISHED = frozenset(
    {ActionStatus.SUCCESS, ActionStatus.FAILED, ActionStatus.CANCELLED, ActionStatus.SKIPPED}
)
REVERT = "revert"  # the action type of a scheduled return to the previous level
MODE_START = "mode_start"  # a keeper mode took a channel (``action_params``: mode, level)
MODE_END = "mode_end"  # a keeper mode gave a channel back (``action_params``: mode, level)
RESUME = "resume"  # a channel changed by hand went back to its schedule (``action_params``: level)


def _parse(value: str | None) -> datetime | None:
    return None if value is None else dt_util.parse_datetime(value)


@dataclass(slots=True)
class DeviceAction:
    """One action on one target."""

    action_type: str
    scheduled_time: datetime
    target: str | None = None
    schedule_id: str | None = None
    action_params: dict[str, Any] = field(default_factory=dict)
    status: ActionStatus = ActionStatus.PENDING
    executed_time: datetime | None = None
    result: str | None = None
    error_message: str | None = None
    caused_by: str = "system"
    context_id: str | None = None
    user_id: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    created_at: datetime = field(default_factory=dt_util.utcnow)
    updated_at: datetime = field(default_factory=dt_util.utcnow)

    def to_dict(self) -> dict[str, Any]:
        """The stored and published form (ISO 8601 timestamps with offset)."""
        return {
            "id": self.id,
            "schedule_id": self.schedule_id,
            "target": self.target,
            "action_type": self.action_type,
            "action_params": self.action_params,
            "status": self.status.value,
            "scheduled_time": self.scheduled_time.isoformat(),
            "executed_time": None if self.executed_time is None else self.executed_time.isoformat(),
            "result": self.result,
            "error_message": self.error_message,
            "caused_by": self.caused_by,
            "context_id": self.context_id,
            "user_id": self.user_id,
            "created_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DeviceAction:
        """Read a stored record."""
        return cls(
            id=data["id"],
            schedule_id=data.get("schedule_id"),
            target=data.get("target"),
            action_type=data["action_type"],
            action_params=dict(data.get("action_params") or {}),
            status=ActionStatus(data["status"]),
            scheduled_time=_parse(data["scheduled_time"]) or dt_util.utcnow(),
            executed_time=_parse(data.get("executed_time")),
            result=data.get("result"),
            error_message=data.get("error_message"),
            caused_by=data.get("caused_by", "system"),
            context_id=data.get("context_id"),
            user_id=data.get("user_id"),
            created_at=_parse(data.get("created_at")) or dt_util.utcnow(),
            updated_at=_parse(data.get("updated_at")) or dt_util.utcnow(),
        )


class ActionHistory:
    """All device actions, in the order they were created, saved with a delay."""

    def __init__(
        self,
        hass: HomeAssistant,
        store: ActionStore | None = None,
        on_saved: Callable[[set[str]], None] | None = None,
    ) -> None:
        """Use the given store (tests) or the integration's; ``on_saved`` hears of every write."""
        self.hass = hass
        self.store = store or ActionStore(hass)
        self._on_saved = on_saved
        self.saved_marker: Callable[[], set[str]] = set  # what was pending when a write began (the journal's)
        self._records: dict[str, DeviceAction] = {}
        # kept as records change, so that the health figures never need a pass over the whole history
        self._by_status: Counter[str] = Counter()
        self._failed_at: dict[str, datetime] = {}
        self._save_timer: CALLBACK_TYPE | None = None
        self.unsaved_since: datetime | None = None  # the first change not written yet

    async def async_load(self) -> list[DeviceAction]:
        """Read the stored records; return those that were running when Home Assistant stopped."""
        data = await self.store.async_load() or {}
        for item in data.get("actions", []):
            record = DeviceAction.from_dict(item)
            self._records[record.id] = record
            self._count(record, +1)
        return [r for r in self._records.values() if r.status is ActionStatus.IN_PROGRESS]

    def __len__(self) -> int:
        """How many records there are."""
        return len(self._records)

    def get(self, action_id: str) -> DeviceAction | None:
        """A record by id."""
        return self._records.get(action_id)

    def find_run(self, schedule_id: str, scheduled_time: datetime, target: str) -> DeviceAction | None:
        """The record of one run of a schedule on one target (newest first: those looked for are recent)."""
        for record in reversed(self._records.values()):
            if (
                record.schedule_id == schedule_id
                and record.target == target
                and record.scheduled_time == scheduled_time
            ):
                return record
        return None

    def pending(self) -> list[DeviceAction]:
        """Records waiting for their time."""
        return [r for r in self._records.values() if r.status is ActionStatus.PENDING]

    def _count(self, record: DeviceAction, sign: int) -> None:
        self._by_status[record.status.value] += sign
        if sign > 0 and record.status is ActionStatus.FAILED:
            self._failed_at[record.id] = record.executed_time or record.updated_at
        elif sign < 0:
            self._failed_at.pop(record.id, None)

    @callback
    def async_add(self, record: DeviceAction) -> DeviceAction:
        """Keep a new record."""
        self._records[record.id] = record
        self._count(record, +1)
        self._async_schedule_save()
        return record

    @callback
    def async_discard(self, record: DeviceAction) -> None:
        """Forget a record that was never accepted (its change could not be written)."""
        if self._records.pop(record.id, None) is not None:
            self._count(record, -1)
            self._async_schedule_save()

    @callback
    def async_update(self, record: DeviceAction, status: ActionStatus, **changes: Any) -> DeviceAction:
        """Move a record on and note when."""
        self._count(record, -1)
        record.status = status
        for name, value in changes.items():
            setattr(record, name, value)
        record.updated_at = dt_util.utcnow()
        self._count(record, +1)
        self._async_schedule_save()
        return record

    @callback
    def _async_schedule_save(self) -> None:
        """Write within ``ACTIONS_SAVE_DELAY`` of the first unsaved change; later changes join that write."""
        if self._save_timer is None:
            self.unsaved_since = dt_util.utcnow()
            self._save_timer = async_call_later(self.hass, ACTIONS_SAVE_DELAY, self._async_save_due)

    async def _async_save_due(self, _now: datetime) -> None:
        self._save_timer = None
        try:
            await self.async_save_now()
        except StoreWriteError as err:  # the repair issue says so; the records stay, the next write has them
            LOGGER.error("The device action history could not be written (%s); trying again", err)
            self._async_schedule_save()

    def _data(self) -> dict[str, Any]:
        return {"actions": [record.to_dict() for record in self._records.values()]}

    async def async_save_now(self) -> None:
        """Write at once (before an action that must not be repeated, and on shutdown)."""
        if self._save_timer is not None:
            self._save_timer()
            self._save_timer = None
        self.unsaved_since = None
        marker = self.saved_marker()
        await self.store.async_save(self._data())
        if self._on_saved is not None:
            self._on_saved(marker)

    def query(
        self,
        *,
        schedule_id: str | None = None,
        targets: Iterable[str] | None = None,
        status: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        limit: int | None = 100,
    ) -> list[DeviceAction]:
        """Records matching every given filter, newest first (by scheduled time)."""
        wanted = None if targets is None else set(targets)
        found = [
            record
            for record in self._records.values()
            if (schedule_id is None or record.schedule_id == schedule_id)
            and (wanted is None or record.target in wanted)
            and (status is None or record.status.value == status)
            and (start is None or record.scheduled_time >= start)
            and (end is None or record.scheduled_time <= end)
        ]
        found.sort(key=lambda record: record.scheduled_time, reverse=True)
        return found if limit is None else found[:limit]

    @callback
    def async_cleanup(self, older_than: datetime, max_records: int | None = None) -> int:
        """Drop finished records older than ``older_than``, then the oldest beyond ``max_records``."""
        removed = [
            key
            for key, record in self._records.items()
            if record.status in FINISHED and record.updated_at <= older_than
        ]
        for key in removed:
            self._count(self._records.pop(key), -1)
        if max_records is not None and len(self._records) > max_records:
            finished = sorted(
                (r for r in self._records.values() if r.status in FINISHED), key=lambda r: r.updated_at
            )
            for record in finished[: len(self._records) - max_records]:
                self._count(self._records.pop(record.id), -1)
                removed.append(record.id)
        if removed:
            self._async_schedule_save()
        return len(removed)

    def statistics(self, now: datetime) -> dict[str, Any]:
        """Counts by status, and failures in the last 24 hours (kept as records change: no pass over all)."""
        day_ago = now - timedelta(days=1)
        failed_24h = sum(1 for when in self._failed_at.values() if when >= day_ago)
        return {
            "actions_by_status": {
                status.value: self._by_status.get(status.value, 0) for status in ActionStatus
            },
            "actions_total": len(self._records),
            "failed_last_24h": failed_24h,
        }
