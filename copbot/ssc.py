"""Reports to a school's School Site Council (SSC) after a CoP convening.

After each gathering every school shares its key learnings with its SSC and revises its
improvement plan with it; copbot records when, what was shared, the SSC's feedback and the
plan changes.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from copbot.errors import UserError
from storage.models import Convening, SchoolTeam, SscReport


def convenings_before(session: Session, *, team_id: str, cop_id: int, today: date) -> list[Convening]:
    """The CoP's convenings held on or before ``today``, newest first."""
    return list(session.exec(
        select(Convening).where(Convening.team_id == team_id, Convening.cop_id == cop_id, Convening.held_on <= today)
        .order_by(Convening.held_on.desc())
    ).all())


def reports_for(session: Session, *, team_id: str, school_team_id: int) -> list[SscReport]:
    return list(session.exec(
        select(SscReport).where(SscReport.team_id == team_id, SscReport.school_team_id == school_team_id)
        .order_by(SscReport.reported_on, SscReport.id)
    ).all())


def record_ssc_report(
    session: Session,
    *,
    school_team: SchoolTeam,
    user_id: str,
    reported_on: date | None,
    key_learnings: str,
    ssc_feedback: str = "",
    plan_changes: str = "",
    convening_id: int | None = None,
    today: date,
) -> SscReport:
    """Record an SSC report for a school team (the caller has checked the person may edit it)."""
    if reported_on is None:
        raise UserError("Give the date of the SSC meeting.", field="reported_on")
    if reported_on > today:
        raise UserError("Record the SSC report once the meeting has taken place.", field="reported_on")
    convening = None
    if convening_id is not None:
        convening = session.exec(
            select(Convening).where(Convening.team_id == school_team.team_id, Convening.cop_id == school_team.cop_id,
                                    Convening.id == convening_id)
        ).first()
        if convening is None:
            raise UserError("Pick one of your CoP's convenings.", field="convening")
        if convening.held_on > reported_on:
            raise UserError("The SSC report follows a convening held on or before its date.", field="convening")
    if not key_learnings.strip():
        raise UserError("Write the key learnings you shared with the SSC.", field="key_learnings")
    report = SscReport(
        team_id=school_team.team_id, school_team_id=school_team.id,
        convening_id=convening.id if convening else None, reported_on=reported_on,
        key_learnings=key_learnings.strip(), ssc_feedback=ssc_feedback.strip(), plan_changes=plan_changes.strip(),
        recorded_by=user_id,
    )
    session.add(report)
    session.flush()
    return report
