"""Bringing a school team's cycle to a given step through the domain, for tests that start there."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from copbot import cycles
from copbot.learning_questions import QuestionDraft
from copbot.plans import save_plan
from copbot.vocabulary import ActDecisionKind
from storage.models import Cycle, SchoolTeam
from tests.factories import CONVENINGS, make_cop, make_school_team

QUESTION = QuestionDraft(
    slot=1,
    question="Do English learners use sentence frames to justify answers with evidence?",
    prediction="At least 60% of ELs will cite text evidence in exit tickets by week 6.",
    measure="% of EL exit tickets citing text evidence",
)


def open_first_cycle(session: Session, team: SchoolTeam) -> Cycle:
    return cycles.open_cycle(session, team_id=team.team_id, school_team_id=team.id, school_year="2025-26",
                             plan_on=CONVENINGS[0], study_on=CONVENINGS[1])


def planned(session: Session, cycle: Cycle, *, questions: tuple[QuestionDraft, ...] = (QUESTION,)) -> Cycle:
    save_plan(session, cycle=cycle, user_id="U0001", strategy="Structured academic talk with sentence frames",
              evidence_adult_practice="Observer tallies teacher prompts for evidence",
              evidence_student_impact="Exit tickets citing text evidence", evidence_methods=["observation"],
              questions=questions)
    return cycle


def studied(session: Session, cycle: Cycle) -> Cycle:
    cycles.record_study(session, cycle=cycle, user_id="U0001", implementation="Done in 3 classes",
                        evidence_summary="Exit tickets improved", learnings="Frames help")
    return cycle


def acted(session: Session, cycle: Cycle, decision: ActDecisionKind = ActDecisionKind.KEEP) -> Cycle:
    """Record Act on a studied cycle; returns the next (open) cycle."""
    outcome = cycles.record_act(session, cycle=cycle, user_id="U0001", decision=decision,
                                rationale="It worked in most classes", next_plan_on=CONVENINGS[1],
                                next_study_on=CONVENINGS[2])
    return outcome.next_cycle


HELD = date(2025, 9, 10)


def seed_team_in_plan(database: Any) -> SchoolTeam:
    """Lincoln's team (tests/factories) in a fresh CoP, with cycle 1 open in Plan; committed."""
    with database.session() as session:
        team = make_school_team(session, make_cop(session))
        open_first_cycle(session, team)
    return team


def seed_team_in_do(database: Any) -> SchoolTeam:
    """``seed_team_in_plan`` with cycle 1's Plan saved, so the cycle is in Do; committed."""
    team = seed_team_in_plan(database)
    with database.session() as session:
        cycle = cycles.current_cycle(session, team_id=team.team_id, school_team_id=team.id)
        planned(session, cycle)
    return team
