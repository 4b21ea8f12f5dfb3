"""Time in one place: aware UTC datetimes for storage, the user's zone for display."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def utcnow() -> datetime:
    """Now, as the aware UTC datetime copbot stores."""
    return datetime.now(UTC)


def to_utc(moment: datetime) -> datetime:
    """Any datetime as aware UTC; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def zone(name: str | None, fallback: str = "UTC") -> ZoneInfo:
    """The ZoneInfo for ``name``, or ``fallback`` when the name is empty or unknown."""
    for candidate in (name, fallback, "UTC"):
        if not candidate:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("UTC")


def in_zone(moment_utc: datetime, tz_name: str | None) -> datetime:
    """A stored UTC datetime shown in the given time zone."""
    return to_utc(moment_utc).astimezone(zone(tz_name))


def today_in(tz_name: str | None) -> date:
    """Today's date in the given time zone (a CoP's zone decides what "in the future" means)."""
    return in_zone(utcnow(), tz_name).date()
