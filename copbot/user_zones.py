"""A person's time zone, as Slack's users.info reports it, cached in ``SlackUser`` for a week."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlmodel import Session, select

from copbot.clock import to_utc
from storage.models import SlackUser

TZ_MAX_AGE = timedelta(days=7)


def cached_timezone(session: Session, *, team_id: str, user_id: str, lookup: Callable[[], str | None],
                    at: datetime) -> str | None:
    """The stored zone if checked within ``TZ_MAX_AGE``, else ``lookup()`` (stored); an old zone if it fails."""
    row = session.exec(select(SlackUser).where(SlackUser.team_id == team_id, SlackUser.user_id == user_id)).first()
    if row is not None and row.tz and row.tz_checked_at and to_utc(at) - to_utc(row.tz_checked_at) < TZ_MAX_AGE:
        return row.tz
    fresh = lookup()
    if fresh is None:
        return row.tz if row is not None else None
    row = row or SlackUser(team_id=team_id, user_id=user_id)
    row.tz = fresh[:64]
    row.tz_checked_at = to_utc(at)
    session.add(row)
    session.flush()
    return row.tz
