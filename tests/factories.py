"""Realistic CoP data for tests, from seeds/004's sample problems of practice."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from copbot.vocabulary import Role, SupportType
from storage.models import Convening, Cop, Membership, ProblemOfPractice, SchoolTeam

CONVENINGS = [date(2025, 8, 23), date(2025, 11, 15), date(2026, 1, 23), date(2026, 3, 20)]

SAMPLE_POPS = {
    "Lincoln Middle School": (
        "Our English learners are rarely asked to justify their thinking with evidence; in most observed "
        "lessons teachers accept one-word answers, so students get few chances to engage in academic talk.",
        ["English learners"],
        ["ELA proficiency", "Chronic absenteeism"],
    ),
    "Roosevelt Middle School": (
        "Students with disabilities spend most group-work time waiting for the teacher; group tasks are not "
        "structured so that every student has a role and holds the group accountable.",
        ["Students with disabilities"],
        ["Suspension rate", "ELA proficiency"],
    ),
    "Jefferson Middle School": (
        "Teachers' questions in math lessons are mostly recall; few tasks have high expectations for "
        "African American students to explain and critique reasoning.",
        ["African American students"],
        ["Math proficiency"],
    ),
}


def make_cop(session: Session, *, team_id: str = "T0001", channel_id: str = "C0001",
             facilitator: str = "UFAC1", name: str = "Middle School Engagement CoP") -> Cop:
    cop = Cop(team_id=team_id, name=name, focus_area="English Language Arts", school_level="ms",
              scope="inter_district", districts=["Fresno Unified", "Sanger Unified"], channel_id=channel_id,
              school_year="2025-26", stage_of_development="coalescing", timezone="America/Los_Angeles")
    session.add(cop)
    session.flush()
    for held_on in CONVENINGS:
        session.add(Convening(team_id=team_id, cop_id=cop.id, held_on=held_on, title="CoP convening"))
    session.add(Membership(team_id=team_id, cop_id=cop.id, user_id=facilitator, role=Role.FACILITATOR))
    session.flush()
    return cop


def make_school_team(session: Session, cop: Cop, school: str = "Lincoln Middle School", *,
                     members: dict[str, Role] | None = None, with_pop: bool = True) -> SchoolTeam:
    statement, subgroups, metrics = SAMPLE_POPS.get(school, next(iter(SAMPLE_POPS.values())))
    team = SchoolTeam(team_id=cop.team_id, cop_id=cop.id, school_name=school, district="Fresno Unified",
                      support_type=SupportType.FOCUS, subgroups=subgroups)
    session.add(team)
    session.flush()
    members = members or {"U0001": Role.IMPLEMENTING_TEACHER, "U0002": Role.OBSERVER,
                          "U0003": Role.NOTE_TAKER, "U0004": Role.SITE_DECISION_MAKER}
    for user_id, role in members.items():
        session.add(Membership(team_id=cop.team_id, cop_id=cop.id, school_team_id=team.id, user_id=user_id,
                               role=role))
    if with_pop:
        session.add(ProblemOfPractice(team_id=cop.team_id, school_team_id=team.id, statement=statement,
                                      subgroups=subgroups, index_metrics=metrics,
                                      classroom_practice="Academic discourse", instructional_core=True,
                                      directly_observable=True, actionable=True))
    session.flush()
    return team
