"""Remembering Slack deliveries already handled, so retries and double submits change nothing."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from copbot.clock import utcnow
from storage.models import ReceivedRequest
from storage.upsert import insert_ignoring_conflicts


def first_delivery(session: Session, *, team_id: str, key: str) -> bool:
    """Record ``key``; True the first time, False when it was already recorded.

    One ``INSERT ... ON CONFLICT DO NOTHING`` inside the caller's transaction: if the caller's
    work then fails and rolls back, the key is forgotten too, so the corrected resubmission of a
    modal is not mistaken for a duplicate.
    """
    row = {"team_id": team_id, "key": key[:300], "received_at": utcnow()}
    return insert_ignoring_conflicts(session, ReceivedRequest, [row], unique=["team_id", "key"]) == 1


def view_submission_key(view: dict) -> str:
    """One key per submitted modal state: a double click or a Slack retry repeats it."""
    return f"view:{view.get('id')}:{view.get('hash')}"


def already_delivered(session: Session, *, team_id: str, key: str) -> bool:
    """True when ``key`` was recorded by an earlier, committed delivery (reads only)."""
    return session.exec(
        select(ReceivedRequest.id).where(ReceivedRequest.team_id == team_id, ReceivedRequest.key == key[:300])
    ).first() is not None


def record_delivery_last(session: Session, *, team_id: str, key: str) -> bool:
    """Record ``key`` as the last write of a transaction that already made its changes.

    False when a concurrent delivery recorded it first: the caller must then roll the whole
    transaction back.
    """
    try:
        session.add(ReceivedRequest(team_id=team_id, key=key[:300]))
        session.flush()
    except IntegrityError:
        return False
    return True
