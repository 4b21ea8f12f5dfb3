"""The Study step as a form: the evidence gathered, each prediction beside it, and one save.

``save_study`` records each learning question's result (or an explicit "no result yet") and the
reflection; the cycle rules (learnings required, -> act) stay in ``copbot.cycles.record_study``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from copbot import cycles
from copbot.evidence import evidence_for
from copbot.learning_questions import ResultDraft, questions_for, record_results
from storage.models import Cycle, EvidenceItem, LearningQuestion, StudyReflection


@dataclass(frozen=True)
class StudyForm:
    cycle: Cycle
    study: StudyReflection | None
    questions: list[LearningQuestion]
    evidence: list[EvidenceItem]


def study_form(session: Session, *, cycle: Cycle) -> StudyForm:
    study = session.exec(
        select(StudyReflection).where(StudyReflection.team_id == cycle.team_id, StudyReflection.cycle_id == cycle.id)
    ).first()
    return StudyForm(
        cycle=cycle,
        study=study,
        questions=questions_for(session, team_id=cycle.team_id, cycle_id=cycle.id),
        evidence=evidence_for(session, team_id=cycle.team_id, cycle_id=cycle.id),
    )


def save_study(
    session: Session,
    *,
    cycle: Cycle,
    user_id: str,
    implementation: str,
    evidence_summary: str,
    learnings: str,
    results: Sequence[ResultDraft] = (),
) -> StudyReflection:
    """Save the Study with every prediction's result; the cycle moves on to Act."""
    study = cycles.record_study(
        session, cycle=cycle, user_id=user_id, implementation=implementation,
        evidence_summary=evidence_summary, learnings=learnings,
    )
    record_results(session, cycle=cycle, drafts=results)
    return study
