"""Saving a modal submission exactly once, whatever Slack repeats.

A double submit or a retried delivery carries the same view id and hash; ``save_once`` runs the
save and records that key in one transaction, so a repeat changes nothing and a rejected
submission (UserError) records nothing, leaving the person free to correct and resubmit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlmodel import Session

from storage.idempotency import already_delivered, record_delivery_last, view_submission_key

T = TypeVar("T")


def save_once(context: Any, view: dict, save: Callable[[Session], T]) -> T | None:
    """``save(session)``'s result, or None when this submission was already handled."""
    key = view_submission_key(view)
    with context["database"].session() as session:
        if already_delivered(session, team_id=context.team_id, key=key):
            return None
        result = save(session)
        if not record_delivery_last(session, team_id=context.team_id, key=key):
            session.rollback()
            return None
        return result
