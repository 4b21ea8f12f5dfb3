"""The Plan step as a form: what pre-fills it and how one submission is saved.

A Plan is saved with its learning questions in one go (``save_plan``); the cycle rules
(strategy and evidence plan required, plan -> do) stay in ``copbot.cycles.record_plan``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from copbot import cycles
from copbot.errors import UserError
from copbot.learning_questions import QuestionDraft, checked_questions, questions_for, replace_questions
from copbot.vocabulary import EvidenceKind
from storage.models import Cycle, LearningQuestion, Plan


@dataclass(frozen=True)
class PlanForm:
    """What the Plan form shows: the saved Plan or the draft seeded by the last Act, and questions."""

    cycle: Cycle
    plan: Plan | None
    questions: list[LearningQuestion]
    seeded: bool  # the plan is a draft from the previous cycle's Act decision, not saved yet


def saved_plan(session: Session, *, cycle: Cycle) -> Plan | None:
    return session.exec(select(Plan).where(Plan.team_id == cycle.team_id, Plan.cycle_id == cycle.id)).first()


def plan_form(session: Session, *, cycle: Cycle) -> PlanForm:
    plan = cycles.plan_for_editing(session, cycle=cycle)
    questions = questions_for(session, team_id=cycle.team_id, cycle_id=cycle.id)
    return PlanForm(cycle=cycle, plan=plan, questions=questions, seeded=plan is not None and plan.id is None)


def save_plan(
    session: Session,
    *,
    cycle: Cycle,
    user_id: str,
    strategy: str,
    shared_learning: str = "",
    evidence_adult_practice: str = "",
    evidence_student_impact: str = "",
    evidence_methods: Sequence[str] = (),
    prediction: str = "",
    questions: Sequence[QuestionDraft] = (),
) -> Plan:
    """Save the Plan and replace its learning questions; the cycle moves from plan to do."""
    unknown = [m for m in evidence_methods if m not in EvidenceKind._value2member_map_]
    if unknown:
        raise UserError(f"Unknown evidence method: {unknown[0]}.", field="evidence_methods")
    checked_questions(questions)
    plan = cycles.record_plan(
        session, cycle=cycle, user_id=user_id, strategy=strategy, shared_learning=shared_learning,
        evidence_adult_practice=evidence_adult_practice, evidence_student_impact=evidence_student_impact,
        evidence_methods=list(evidence_methods), prediction=prediction,
    )
    replace_questions(session, cycle=cycle, drafts=questions)
    return plan
