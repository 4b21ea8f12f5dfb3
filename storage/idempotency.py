"""Remembering Slack deliveries already handled, so retries and double submits change nothing."""

from __future__ import annotations

from sqlmodel import Session

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
