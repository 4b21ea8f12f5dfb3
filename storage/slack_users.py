"""What copbot remembers of a Slack person (time zone, reminder preferences): one row per workspace user."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage.models import SlackUser


def get_or_create_user(session: Session, *, team_id: str, user_id: str) -> SlackUser:
    """The person's row, created empty the first time (safe if two processes race to create it)."""
    query = select(SlackUser).where(SlackUser.team_id == team_id, SlackUser.user_id == user_id)
    user = session.exec(query).first()
    if user is not None:
        return user
    try:
        with session.begin_nested():
            user = SlackUser(team_id=team_id, user_id=user_id)
            session.add(user)
            session.flush()
    except IntegrityError:
        user = session.exec(query).one()
    return user
