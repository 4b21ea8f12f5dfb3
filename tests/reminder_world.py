"""A CoP in the middle of its school year, for reminder tests (on top of tests/factories.py).

Convenings (factories.CONVENINGS): Sat 23 Aug, Sat 15 Nov 2025, Fri 23 Jan, Fri 20 Mar 2026.
Cycle 1 plans on 23 Aug and studies on 15 Nov; its Do meetings fall due Mon 8 Sep (game plan),
Mon 6 Oct (mid-stream) and Mon 10 Nov (end of cycle), moved past weekends.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, select

from copbot import cycles
from copbot.vocabulary import Role
from storage.models import Convening, Cop, Cycle, SchoolTeam, SlackUser, SscReport
from tests.factories import CONVENINGS, make_cop, make_school_team

TEACHER, OBSERVER, NOTES, DECIDER, FACILITATOR = "U0001", "U0002", "U0003", "U0004", "UFAC1"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def team_members(prefix: str = "U") -> dict[str, Role]:
    return {f"{prefix}0001": Role.IMPLEMENTING_TEACHER, f"{prefix}0002": Role.OBSERVER,
            f"{prefix}0003": Role.NOTE_TAKER, f"{prefix}0004": Role.SITE_DECISION_MAKER}


def cop_with_team(session: Session, *, school: str = "Lincoln Middle School",
                  members: dict[str, Role] | None = None) -> tuple[Cop, SchoolTeam]:
    cop = make_cop(session)
    return cop, make_school_team(session, cop, school, members=members)


def cycle_in_do(session: Session, team: SchoolTeam, *, number: int = 1) -> Cycle:
    cycle = cycles.open_cycle(session, team_id=team.team_id, school_team_id=team.id, school_year="2025-26",
                              plan_on=CONVENINGS[number - 1], study_on=CONVENINGS[number])
    cycles.record_plan(session, cycle=cycle, user_id=TEACHER, strategy="Sentence frames for academic talk",
                       evidence_adult_practice="Observer tallies prompts", evidence_student_impact="Exit tickets")
    return cycle


def cycle_in_plan(session: Session, team: SchoolTeam, *, number: int = 1) -> Cycle:
    return cycles.open_cycle(session, team_id=team.team_id, school_team_id=team.id, school_year="2025-26",
                             plan_on=CONVENINGS[number - 1], study_on=CONVENINGS[number])


def person(session: Session, user_id: str, *, tz: str = "America/Los_Angeles", checked: str = "2025-08-01T00:00",
           **prefs: object) -> SlackUser:
    """A SlackUser whose time zone copbot already knows (so no users.info call is needed)."""
    user = SlackUser(team_id="T0001", user_id=user_id, tz=tz, tz_checked_at=utc(checked), **prefs)
    session.add(user)
    session.flush()
    return user


def held(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def mid_cycle(session: Session) -> tuple[Cop, SchoolTeam, Cycle]:
    """A CoP (Friday digests) with one team in Do for cycle 1 that has reported to its SSC in August."""
    cop, team = cop_with_team(session)
    cop.digest_weekday = 4
    session.add(cop)
    cycle = cycle_in_do(session, team)
    august = session.exec(select(Convening).where(Convening.cop_id == cop.id).order_by(Convening.held_on)).first()
    session.add(SscReport(team_id=cop.team_id, school_team_id=team.id, convening_id=august.id,
                          reported_on=date(2025, 8, 26), key_learnings="Shared our problem of practice"))
    session.flush()
    return cop, team, cycle
