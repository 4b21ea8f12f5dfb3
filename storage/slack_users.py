"""What copbot remembers of a Slack person (time zone, reminder preferences): one row per workspace user."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, select

from storage.models import SlackUser
from storage.upsert import insert_ignoring_conflicts


def get_or_create_user(session: Session, *, team_id: str, user_id: str) -> SlackUser:
    """The person's row, created empty the first time (safe if two processes race to create it)."""
    insert_ignoring_conflicts(session, SlackUser, [{"team_id": team_id, "user_id": user_id, "muted_kinds": [],
                                                    "deleted": False}], unique=["team_id", "user_id"])
    return session.exec(select(SlackUser).where(SlackUser.team_id == team_id, SlackUser.user_id == user_id)).one()


def record_user_info(session: Session, *, team_id: str, user_id: str, tz: str | None, deleted: bool,
                     checked_at: datetime) -> None:
    """Store what users.info said (time zone, deleted), writing first so no read lock is held."""
    insert_ignoring_conflicts(session, SlackUser, [{"team_id": team_id, "user_id": user_id, "muted_kinds": [],
                                                    "deleted": False}], unique=["team_id", "user_id"])
    values: dict = {"deleted": deleted, "tz_checked_at": checked_at}
    if tz:
        values["tz"] = tz
    session.connection().execute(
        update(SlackUser).where(SlackUser.team_id == team_id, SlackUser.user_id == user_id).values(**values)
    )
