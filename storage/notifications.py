"""Notification rows: insert-if-absent, claiming due rows for one sender, recording outcomes.

A row moves pending -> sent | skipped | failed. While a sender works on a row it holds a claim:
``claimed_by`` (a token unique to that claim) and ``claimed_until`` (the lease's end). A pending
row whose ``claimed_until`` lies in the future is not due yet (a claim in progress, or a backoff
after a transient error); once it has passed, any sender may claim the row again.

Claiming is one statement on both databases:
- PostgreSQL: ``WITH due AS (SELECT id ... LIMIT n FOR UPDATE SKIP LOCKED) UPDATE ... WHERE id IN
  (SELECT id FROM due) AND <still claimable>``: rows another worker is claiming are skipped, not
  waited for, and the outer WHERE is re-checked on the committed row, so two workers never claim
  the same row;
- SQLite: the same conditional UPDATE without FOR UPDATE (SQLite lacks it): SQLite runs it under
  its database write lock, so it is atomic.
The claimed rows are then read back by their claim token.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from copbot.vocabulary import NotificationStatus
from storage.models import Notification
from storage.upsert import insert_ignoring_conflicts


def existing_keys(session: Session, *, created_since: datetime) -> set[str]:
    """Dedupe keys of rows created since the given instant (one statement)."""
    return set(session.exec(select(Notification.dedupe_key).where(Notification.created_at >= created_since)))


def insert_if_absent(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """Insert notification rows, silently keeping any row whose dedupe_key already exists
    (``ON CONFLICT (dedupe_key) DO NOTHING``), so two planners racing insert each row once."""
    insert_ignoring_conflicts(session, Notification, rows, unique=["dedupe_key"])


def _claimable(at: datetime):  # type: ignore[no-untyped-def]
    return (
        Notification.status == NotificationStatus.PENDING,
        col(Notification.due_at) <= at,
        or_(col(Notification.claimed_until).is_(None), col(Notification.claimed_until) < at),
    )


def claim_due(session: Session, *, at: datetime, token: str, lease: timedelta, limit: int) -> list[Notification]:
    """Claim up to ``limit`` due pending rows for ``token`` until ``at + lease``; return them.

    The caller commits right away, so the claim is visible to other senders before any Slack call.
    """
    due = select(Notification.id).where(*_claimable(at)).order_by(Notification.due_at, Notification.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    # A CTE, not ``IN (subquery)``: PostgreSQL may re-run a plain sub-select for each outer row,
    # and with SKIP LOCKED each run finds the next rows, so LIMIT would not bound the claim.
    # A CTE with a locking clause is run exactly once.
    chosen = due.cte("due_notifications")
    session.connection().execute(
        update(Notification)
        .where(col(Notification.id).in_(select(chosen.c.id)), *_claimable(at))
        .values(claimed_by=token, claimed_until=at + lease)
        .execution_options(synchronize_session=False)
    )
    return list(session.exec(
        select(Notification).where(Notification.claimed_by == token).order_by(Notification.due_at, Notification.id)
    ))


def finish(session: Session, *, notification_id: int, token: str, **values: Any) -> bool:
    """Record a claimed row's outcome and release the claim in one statement.

    Only the claim's holder can do it (``claimed_by = token``); False when the claim was lost.
    """
    values.setdefault("claimed_by", None)
    values.setdefault("claimed_until", None)
    result = session.connection().execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.claimed_by == token)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def get_notification(session: Session, *, team_id: str, notification_id: int) -> Notification | None:
    return session.exec(
        select(Notification).where(Notification.team_id == team_id, Notification.id == notification_id)
    ).first()
