"""Remembering Slack deliveries already handled, so retries and double submits change nothing."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.models import ReceivedRequest


def first_delivery(session: Session, *, team_id: str, key: str) -> bool:
    """Record ``key``; True the first time, False when it was already recorded.

    Uses a savepoint so a duplicate leaves the surrounding transaction usable.
    """
    try:
        with session.begin_nested():
            session.add(ReceivedRequest(team_id=team_id, key=key[:300]))
            session.flush()
    except IntegrityError:
        return False
    return True


def view_submission_key(view: dict) -> str:
    """One key per submitted modal state: a double click or a Slack retry repeats it."""
    return f"view:{view.get('id')}:{view.get('hash')}"
