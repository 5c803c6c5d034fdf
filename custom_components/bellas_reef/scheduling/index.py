"""What the engine needs to know about *all* schedules, kept up to date one change at a time.

A run changes one schedule; what the health entities show (schedules by type and status, how many are
enabled, which enabled ones failed, the next run of any) and what a channel's level depends on (the
schedules that target it) must not cost a pass over every schedule each time. ``ScheduleIndex`` is told of
every change (``put``, ``drop``) and answers in O(1), O(log n) or O(answer).

Plain Python, no Home Assistant: tested on its own against the obvious full recomputation.
"""

from __future__ import annotations

from collections import Counter, defaultdict
import heapq
from typing import TYPE_CHECKING

from .const import RunStatus, ScheduleType

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

    from .model import Schedule

NEVER_RUN = "never_run"


def run_status(schedule: Schedule) -> str:
    """The status of a schedule's last run, or ``never_run``."""
    return schedule.last_run_status.value if schedule.last_run_status is not None else NEVER_RUN


class ScheduleIndex:
    """Counts, the failed enabled schedules, the earliest next run, and the schedules of each channel."""

    def __init__(self) -> None:
        """Empty."""
        self._schedules: dict[str, Schedule] = {}
        self.by_type: Counter[str] = Counter()
        self.by_status: Counter[str] = Counter()
        self.enabled = 0
        self.failed: set[str] = set()  # enabled schedules whose last run failed
        self._targeting: defaultdict[str, set[str]] = defaultdict(set)
        self._upcoming: list[tuple[datetime, str]] = []  # heap; entries that no longer hold are skipped

    def __len__(self) -> int:
        """How many schedules."""
        return len(self._schedules)

    def put(self, schedule: Schedule) -> None:
        """A schedule was added or changed."""
        self.drop(schedule.id)
        self._schedules[schedule.id] = schedule
        self.by_type[schedule.schedule_type.value] += 1
        self.by_status[run_status(schedule)] += 1
        if schedule.enabled:
            self.enabled += 1
            if schedule.last_run_status is RunStatus.FAILED:
                self.failed.add(schedule.id)
            if schedule.next_run is not None:
                heapq.heappush(self._upcoming, (schedule.next_run, schedule.id))
        for target in schedule.targets:
            self._targeting[target].add(schedule.id)
        if len(self._upcoming) > 2 * len(self._schedules) + 64:
            self._compact()

    def drop(self, schedule_id: str) -> None:
        """A schedule was deleted (or is about to be replaced)."""
        old = self._schedules.pop(schedule_id, None)
        if old is None:
            return
        self.by_type[old.schedule_type.value] -= 1
        self.by_status[run_status(old)] -= 1
        if old.enabled:
            self.enabled -= 1
        self.failed.discard(schedule_id)
        for target in old.targets:
            ids = self._targeting[target]
            ids.discard(schedule_id)
            if not ids:
                del self._targeting[target]

    def targeting(self, channel_id: str) -> Iterator[Schedule]:
        """The schedules with this channel among their targets."""
        for schedule_id in self._targeting.get(channel_id, ()):
            yield self._schedules[schedule_id]

    def next_run(self) -> datetime | None:
        """The earliest next run of an enabled schedule (O(log n) amortised)."""
        while self._upcoming:
            when, schedule_id = self._upcoming[0]
            current = self._schedules.get(schedule_id)
            if current is not None and current.enabled and current.next_run == when:
                return when
            heapq.heappop(self._upcoming)
        return None

    def _compact(self) -> None:
        self._upcoming = [
            (s.next_run, s.id) for s in self._schedules.values() if s.enabled and s.next_run is not None
        ]
        heapq.heapify(self._upcoming)

    def types(self) -> dict[str, int]:
        """Schedules by type, every type named."""
        return {kind.value: self.by_type.get(kind.value, 0) for kind in ScheduleType}

    def statuses(self) -> dict[str, int]:
        """Schedules by the status of their last run, every status named."""
        return {
            status: self.by_status.get(status, 0) for status in [*(s.value for s in RunStatus), NEVER_RUN]
        }
