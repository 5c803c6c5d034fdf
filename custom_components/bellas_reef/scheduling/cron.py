"""Cron expressions: what we accept, and the next run in a zone with Vixie cron's DST rules.

Accepted: the standard five fields (minute hour day-of-month month day-of-week), an optional sixth field of
seconds (croniter's reading), croniter's extensions (``L``, ``#``, names), and the aliases ``@yearly``,
``@annually``, ``@monthly``, ``@weekly``, ``@daily``, ``@midnight``, ``@hourly``. Refused: ``@reboot``, seven
fields (croniter's year), and croniter's random ``R`` (a schedule must be reproducible). Day-of-month and
day-of-week combine with OR when both are restricted, as in every cron.

croniter only knows naive time, so it walks the *wall clock* and ``wallclock.resolve`` maps each matching wall
time to instants:

* a **fixed-time** entry (neither the minute nor the hour field starts with ``*``, e.g. ``30 2 * * *``,
  ``@daily``) whose time is skipped fires at the jump; one whose time repeats fires once, on the first pass;
* a **wildcard** entry (``*``, ``*/5``, ... in the minute or hour field, e.g. ``*/15 * * * *``, ``@hourly``)
  does not fire in a skipped span and fires again in a repeated one (each real hour).

Cost: a few croniter look-ups per call, never a minute-by-minute scan. Spans are jumped over, and an
expression that never matches (``0 0 30 2 *``) gives None once croniter has looked 50 years ahead.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Final

from croniter import CroniterBadDateError, croniter

from .const import CRON_ALIASES
from .wallclock import ONE_MICROSECOND, WallKind, resolve, span_end, span_start

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

_FIELD_COUNTS: Final = (5, 6)
_WILDCARD_STARTS: Final = ("*", "?")
_MAX_STEPS: Final = 8  # each step returns or jumps past a DST span; real zones need at most 4


def expand(expression: str) -> str:
    """Return the expression with single spaces and any alias spelled out ("@daily" -> "0 0 * * *")."""
    text = " ".join(expression.split())
    return CRON_ALIASES.get(text.lower(), text)


def is_valid_cron(expression: object) -> bool:
    """Tell whether ``expression`` is a cron expression this integration accepts (module docstring)."""
    if not isinstance(expression, str):
        return False
    text = expand(expression)
    fields = text.split()
    if len(fields) not in _FIELD_COUNTS:
        return False
    if any(part.upper().startswith("R") for field in fields for part in field.split(",")):
        return False
    return bool(croniter.is_valid(text))


def is_wildcard(expression: str) -> bool:
    """Tell whether an entry follows the wall clock across DST (``*`` in its minute or hour field)."""
    minute, hour = expand(expression).split()[:2]
    return minute.startswith(_WILDCARD_STARTS) or hour.startswith(_WILDCARD_STARTS)


def _match_after(expression: str, wall: datetime) -> datetime | None:
    """Return the first matching naive wall time strictly after ``wall``, or None if there is none."""
    try:
        found: datetime = croniter(expression, wall).get_next(datetime)
    except CroniterBadDateError:
        return None
    return found


def _earliest(best: datetime | None, candidate: datetime) -> datetime:
    return candidate if best is None else min(best, candidate)


def next_cron(expression: str, zone: ZoneInfo, after: datetime) -> datetime | None:
    """Return the first run of ``expression`` in ``zone`` strictly after the aware ``after`` (UTC)."""
    expression = expand(expression)
    wildcard = is_wildcard(expression)
    local = after.astimezone(zone)
    wall = local.replace(tzinfo=None)
    best: datetime | None = None
    here = resolve(wall, zone)
    if wildcard and here.kind is WallKind.FOLD and local.fold == 0:
        # ``after`` is on the first pass of a repeated span: the second pass of every matching wall time of
        # the span, even those before ``wall``, is still to come. The earliest of them is a candidate.
        candidate = _match_after(expression, span_start(here, zone) - ONE_MICROSECOND)
        if candidate is not None and (again := resolve(candidate, zone)).second is not None:
            best = again.second
    cursor = wall
    for _ in range(_MAX_STEPS):
        candidate = _match_after(expression, cursor)
        if candidate is None:
            break
        resolved = resolve(candidate, zone)
        if resolved.kind is WallKind.GAP and wildcard:
            cursor = span_end(resolved, zone) - ONE_MICROSECOND
            continue
        if resolved.first > after:
            return _earliest(best, resolved.first)
        # Only a repeated span gets here, with ``after`` on its second pass: the second pass of this wall time
        # is the next wildcard run in the span; the next first pass lies beyond the span.
        if wildcard and resolved.second is not None and resolved.second > after:
            best = _earliest(best, resolved.second)
        cursor = span_end(resolved, zone) - ONE_MICROSECOND if resolved.second is not None else candidate
    return best
