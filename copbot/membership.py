"""Who belongs where, and who may change what.

Only members of a school team and the facilitators of its CoP may change that team's records;
everything is looked up inside one workspace (``team_id``).
"""

from __future__ import annotations

from sqlmodel import Session, or_, select

from copbot.errors import NotAllowed, NotFound
from copbot.vocabulary import Role
from storage.models import Cop, Membership, SchoolTeam


def cop_for_channel(session: Session, *, team_id: str, channel_id: str | None) -> Cop | None:
    """The CoP whose channel this is, if any."""
    if not channel_id:
        return None
    return session.exec(select(Cop).where(Cop.team_id == team_id, Cop.channel_id == channel_id)).first()


def is_facilitator(session: Session, *, team_id: str, user_id: str, cop_id: int) -> bool:
    return session.exec(
        select(Membership.id).where(
            Membership.team_id == team_id, Membership.cop_id == cop_id, Membership.user_id == user_id,
            Membership.role == Role.FACILITATOR,
        )
    ).first() is not None


def cops_for_user(session: Session, *, team_id: str, user_id: str) -> list[Cop]:
    """CoPs the person belongs to, as a team member or a facilitator."""
    cop_ids = select(Membership.cop_id).where(Membership.team_id == team_id, Membership.user_id == user_id)
    return list(session.exec(
        select(Cop).where(Cop.team_id == team_id, Cop.id.in_(cop_ids)).order_by(Cop.name)
    ).all())


def editable_teams(session: Session, *, team_id: str, user_id: str, cop_id: int | None = None) -> list[SchoolTeam]:
    """School teams the person may change: teams they are in, and every team of CoPs they facilitate."""
    mine = select(Membership.school_team_id).where(
        Membership.team_id == team_id, Membership.user_id == user_id, Membership.school_team_id.is_not(None)
    )
    facilitated = select(Membership.cop_id).where(
        Membership.team_id == team_id, Membership.user_id == user_id, Membership.role == Role.FACILITATOR
    )
    query = select(SchoolTeam).where(
        SchoolTeam.team_id == team_id, or_(SchoolTeam.id.in_(mine), SchoolTeam.cop_id.in_(facilitated))
    )
    if cop_id is not None:
        query = query.where(SchoolTeam.cop_id == cop_id)
    return list(session.exec(query.order_by(SchoolTeam.school_name)).all())


def get_school_team(session: Session, *, team_id: str, school_team_id: int) -> SchoolTeam:
    team = session.exec(
        select(SchoolTeam).where(SchoolTeam.team_id == team_id, SchoolTeam.id == school_team_id)
    ).first()
    if team is None:
        raise NotFound("That school team does not exist in this workspace.")
    return team


def require_can_edit(session: Session, *, team_id: str, user_id: str, school_team_id: int) -> SchoolTeam:
    """The school team, if this person may change its records; NotAllowed otherwise."""
    team = get_school_team(session, team_id=team_id, school_team_id=school_team_id)
    member = session.exec(
        select(Membership.id).where(
            Membership.team_id == team_id, Membership.school_team_id == school_team_id,
            Membership.user_id == user_id,
        )
    ).first()
    if member is None and not is_facilitator(session, team_id=team_id, user_id=user_id, cop_id=team.cop_id):
        raise NotAllowed(
            f"Only members of {team.school_name}'s team and the CoP's facilitators can change its records."
        )
    return team
