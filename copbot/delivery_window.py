"""When a message may reach a person: a school-friendly hour on a school day, outside quiet hours.

A reminder is never delivered on a weekend, on one of the CoP's breaks (``copbot.school_calendar``),
before 7:30 or after 19:00 in the person's own time zone, or inside the quiet hours they chose in
``/pdsa remind``. ``next_delivery_slot`` moves any instant forward to the first moment that is
allowed; it is idempotent (a slot is its own next slot), which is what lets the sender re-check a
stored ``due_at`` against fresher preferences without drifting.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from copbot.clock import to_utc, zone
from copbot.school_calendar import Break, is_school_day

SEND_FROM = time(7, 30)
SEND_UNTIL = time(19, 0)
SEARCH_DAYS = 400


@dataclass(frozen=True)
class DeliveryRules:
    """Everything that decides when one person may be reminded."""

    tz: str
    breaks: Sequence[Break] = ()
    quiet_start_hour: int | None = None
    quiet_end_hour: int | None = None


def in_quiet_hours(moment: time, start: int | None, end: int | None) -> bool:
    """Whether a local wall-clock time falls in [start, end); the span may wrap past midnight."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= moment.hour < end
    return moment.hour >= start or moment.hour < end


def quiet_hours_leave_a_slot(start: int | None, end: int | None) -> bool:
    """Whether some whole hour between 7:30 and 19:00 lies outside the quiet hours."""
    return any(not in_quiet_hours(time(hour, 30), start, end) for hour in range(SEND_FROM.hour, SEND_UNTIL.hour))


def next_delivery_slot(earliest: datetime, rules: DeliveryRules) -> datetime:
    """The first allowed delivery instant at or after ``earliest``, as aware UTC."""
    tz = zone(rules.tz)
    quiet = (rules.quiet_start_hour, rules.quiet_end_hour)
    if not quiet_hours_leave_a_slot(*quiet):
        quiet = (None, None)  # quiet all day would mean never: the modal refuses it, ignore it here
    local = to_utc(earliest).astimezone(tz)
    day = local.date()
    for _ in range(SEARCH_DAYS):
        if is_school_day(day, rules.breaks):
            candidate = max(local, datetime.combine(day, SEND_FROM, tz))
            while candidate.time() < SEND_UNTIL:
                if not in_quiet_hours(candidate.time(), *quiet):
                    return candidate.astimezone(UTC)
                candidate = candidate.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        day += timedelta(days=1)
        local = datetime.combine(day, time(0), tz)
    raise ValueError("no delivery slot within 400 days: check the CoP's breaks")

