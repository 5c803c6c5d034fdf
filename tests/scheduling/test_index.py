"""The engine's index agrees with a full recomputation after any sequence of changes."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings, strategies as st

from custom_components.bellas_reef.scheduling import RunStatus, Schedule
from custom_components.bellas_reef.scheduling.index import NEVER_RUN, ScheduleIndex

from .factory import build, utc

KINDS = ["one_off", "interval", "cron", "recurring", "static"]
CHANNELS = ["a", "b", "c"]
BASE_TIME = utc(2027, 6, 1, 8)

change = st.tuples(
    st.sampled_from(["put", "drop"]),
    st.integers(0, 7),  # schedule id
    st.sampled_from(KINDS),
    st.booleans(),  # enabled
    st.sampled_from([None, *RunStatus]),
    st.one_of(st.none(), st.integers(0, 20)),  # next run, hours from BASE_TIME
    st.lists(st.sampled_from(CHANNELS), min_size=1, max_size=3, unique=True),
)


def make(
    schedule_id: int,
    kind: str,
    enabled: bool,
    status: RunStatus | None,
    hours: int | None,
    targets: list[str],
) -> Schedule:
    schedule = build(kind, id=f"s{schedule_id}", targets=targets, enabled=enabled)
    next_run = None if hours is None else BASE_TIME + timedelta(hours=hours)
    return replace(schedule, last_run_status=status, next_run=next_run if enabled else None)


@settings(max_examples=200, deadline=None)
@given(st.lists(change, max_size=60))
def test_index_matches_a_full_recount(changes: list[tuple]) -> None:
    index = ScheduleIndex()
    schedules: dict[str, Schedule] = {}
    for op, number, kind, enabled, status, hours, targets in changes:
        if op == "put":
            schedule = make(number, kind, enabled, status, hours, targets)
            schedules[schedule.id] = schedule
            index.put(schedule)
        else:
            schedules.pop(f"s{number}", None)
            index.drop(f"s{number}")
        # checked after every change, the way the health entities read it
        values = list(schedules.values())
        assert len(index) == len(values)
        assert index.enabled == sum(1 for s in values if s.enabled)
        assert index.types() == {k: Counter(s.schedule_type.value for s in values).get(k, 0) for k in KINDS}
        statuses = Counter(s.last_run_status.value if s.last_run_status else NEVER_RUN for s in values)
        assert index.statuses() == {k: statuses.get(k, 0) for k in [*(r.value for r in RunStatus), NEVER_RUN]}
        assert index.failed == {s.id for s in values if s.enabled and s.last_run_status is RunStatus.FAILED}
        upcoming = [s.next_run for s in values if s.enabled and s.next_run is not None]
        assert index.next_run() == (min(upcoming) if upcoming else None)
        for channel in CHANNELS:
            assert {s.id for s in index.targeting(channel)} == {s.id for s in values if channel in s.targets}


def test_the_heap_stays_small_when_one_schedule_moves_many_times() -> None:
    index = ScheduleIndex()
    schedule = make(1, "cron", enabled=True, status=None, hours=0, targets=["a"])
    for hour in range(1000):
        schedule = replace(schedule, next_run=BASE_TIME + timedelta(hours=hour))
        index.put(schedule)
    assert index.next_run() == BASE_TIME + timedelta(hours=999)
    assert len(index._upcoming) <= 2 * len(index) + 65
