"""Facilitator check-ins: the regional facilitators' CoP (kickoff in Aug/Sep, Nov, Feb, early May)
and a facilitator's check-ins with one school team. Only the CoP's facilitators record them."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from copbot import cycles
from copbot.errors import NotAllowed, UserError
from copbot.membership import cops_for_user, is_facilitator
from copbot.vocabulary import CheckinKind
from storage.models import Cop, FacilitatorCheckin, SchoolTeam


def facilitated_cops(session: Session, *, team_id: str, user_id: str) -> list[Cop]:
    return [cop for cop in cops_for_user(session, team_id=team_id, user_id=user_id)
            if is_facilitator(session, team_id=team_id, user_id=user_id, cop_id=cop.id)]


def require_facilitator(session: Session, *, team_id: str, user_id: str, cop: Cop) -> Cop:
    if not is_facilitator(session, team_id=team_id, user_id=user_id, cop_id=cop.id):
        raise NotAllowed(f"Only {cop.name}'s facilitators record facilitator check-ins.")
    return cop


def teams_of(session: Session, *, team_id: str, cop_id: int) -> list[SchoolTeam]:
    return list(session.exec(
        select(SchoolTeam).where(SchoolTeam.team_id == team_id, SchoolTeam.cop_id == cop_id)
        .order_by(SchoolTeam.school_name)
    ).all())


def record_checkin(
    session: Session,
    *,
    cop: Cop,
    facilitator_user_id: str,
    kind: str | None,
    held_on: date | None,
    notes: str,
    school_team_id: int | None = None,
    today: date,
) -> FacilitatorCheckin:
    """Record a check-in; a team check-in names the team (and is tied to its current cycle)."""
    require_facilitator(session, team_id=cop.team_id, user_id=facilitator_user_id, cop=cop)
    if kind not in CheckinKind._value2member_map_:
        raise UserError("Pick which check-in this was.", field="kind")
    if held_on is None:
        raise UserError("Give the date of the check-in.", field="held_on")
    if held_on > today:
        raise UserError("Record the check-in once it has taken place.", field="held_on")
    team = None
    if school_team_id is not None:
        team = session.exec(
            select(SchoolTeam).where(SchoolTeam.team_id == cop.team_id, SchoolTeam.cop_id == cop.id,
                                     SchoolTeam.id == school_team_id)
        ).first()
        if team is None:
            raise UserError(f"Pick one of {cop.name}'s school teams.", field="checkin_team")
    if CheckinKind(kind) is CheckinKind.TEAM and team is None:
        raise UserError("A team check-in names the school team.", field="checkin_team")
    if not notes.strip():
        raise UserError("Write your check-in notes.", field="notes")
    cycle = cycles.current_cycle(session, team_id=cop.team_id, school_team_id=team.id) if team else None
    checkin = FacilitatorCheckin(
        team_id=cop.team_id, cop_id=cop.id, school_team_id=team.id if team else None,
        cycle_id=cycle.id if cycle else None, kind=kind, held_on=held_on,
        facilitator_user_id=facilitator_user_id, notes=notes.strip(),
    )
    session.add(checkin)
    session.flush()
    return checkin
