"""Learning questions: what a cycle should answer, the team's prediction, and how it turned out.

The Plan states one to three questions, each with a prediction and the measure that will answer
it. At Study the team records for each one whether the prediction matched (fully, partly, not)
and why, or says there is no result yet; a prediction left without a result is flagged, never
silently dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, delete, select

from copbot.errors import UserError
from copbot.vocabulary import PredictionResult
from storage.models import Cycle, LearningQuestion

MAX_QUESTIONS = 3
MEASURE_LIMIT = 200
RESULTS_TO_RECORD = [PredictionResult.MATCHED, PredictionResult.PARTLY, PredictionResult.NOT_MATCHED]


@dataclass(frozen=True)
class QuestionDraft:
    """One learning question as typed into the Plan form (``slot`` numbers the form's fields)."""

    slot: int
    question: str = ""
    prediction: str = ""
    measure: str = ""

    @property
    def blank(self) -> bool:
        return not (self.question.strip() or self.prediction.strip() or self.measure.strip())


@dataclass(frozen=True)
class ResultDraft:
    """What the team says at Study about one question's prediction."""

    question_id: int
    result: PredictionResult | None = None
    why: str = ""
    no_result_yet: bool = False


def questions_for(session: Session, *, team_id: str, cycle_id: int) -> list[LearningQuestion]:
    return list(session.exec(
        select(LearningQuestion)
        .where(LearningQuestion.team_id == team_id, LearningQuestion.cycle_id == cycle_id)
        .order_by(LearningQuestion.id)
    ).all())


def checked_questions(drafts: Sequence[QuestionDraft]) -> list[QuestionDraft]:
    """The non-blank drafts, each with a question and a prediction; at least one is required."""
    filled = [draft for draft in drafts if not draft.blank]
    if not filled:
        first = min((d.slot for d in drafts), default=1)
        raise UserError("Write at least one learning question with its prediction.", field=f"question_{first}")
    if len(filled) > MAX_QUESTIONS:
        raise UserError(f"Keep to at most {MAX_QUESTIONS} learning questions.", field=f"question_{filled[-1].slot}")
    for draft in filled:
        if not draft.question.strip():
            raise UserError("Write the question this prediction answers.", field=f"question_{draft.slot}")
        if not draft.prediction.strip():
            raise UserError("Predict what you expect to find.", field=f"prediction_{draft.slot}")
        if len(draft.measure.strip()) > MEASURE_LIMIT:
            raise UserError(f"Keep the measure under {MEASURE_LIMIT} characters.", field=f"measure_{draft.slot}")
    return filled


def replace_questions(session: Session, *, cycle: Cycle, drafts: Sequence[QuestionDraft]) -> list[LearningQuestion]:
    """Replace the cycle's learning questions with ``drafts`` (checked with ``checked_questions``)."""
    filled = checked_questions(drafts)
    session.exec(delete(LearningQuestion).where(
        LearningQuestion.team_id == cycle.team_id, LearningQuestion.cycle_id == cycle.id
    ))
    rows = [
        LearningQuestion(team_id=cycle.team_id, cycle_id=cycle.id, question=d.question.strip(),
                         prediction=d.prediction.strip(), measure=d.measure.strip())
        for d in filled
    ]
    session.add_all(rows)
    session.flush()
    return rows


def record_results(session: Session, *, cycle: Cycle, drafts: Sequence[ResultDraft]) -> list[LearningQuestion]:
    """Record each question's result; every question needs a result or an explicit "no result yet".

    Errors name the form field of the question (``result_<id>``, ``why_<id>``).
    """
    by_id = {draft.question_id: draft for draft in drafts}
    questions = questions_for(session, team_id=cycle.team_id, cycle_id=cycle.id)
    for question in questions:
        draft = by_id.get(question.id) or ResultDraft(question_id=question.id)
        if draft.result is None and not draft.no_result_yet:
            raise UserError(
                "Say whether the prediction matched, or tick \"No result yet\".", field=f"result_{question.id}"
            )
        if draft.result is not None and not draft.why.strip():
            raise UserError("Say why (what the evidence showed).", field=f"why_{question.id}")
        question.result = draft.result.value if draft.result is not None else PredictionResult.NO_RESULT.value
        question.result_note = draft.why.strip()
        session.add(question)
    session.flush()
    return questions


def is_flagged(question: LearningQuestion) -> bool:
    """A prediction still without a result (never studied, or studied with "no result yet")."""
    return question.result in (None, PredictionResult.NO_RESULT.value)


def flagged_questions(session: Session, *, team_id: str, cycle_id: int) -> list[LearningQuestion]:
    """Questions of a cycle whose prediction has no result: for status and digests to show."""
    return [q for q in questions_for(session, team_id=team_id, cycle_id=cycle_id) if is_flagged(q)]
