"""Learning questions shown read-only: each question with its prediction, measure and result."""

from __future__ import annotations

from collections.abc import Sequence

from slack_sdk.models.blocks import SectionBlock

from copbot.vocabulary import PredictionResult
from messages.blocks import SECTION_TEXT_LIMIT, clip, mrkdwn_escape, section
from storage.models import LearningQuestion

QUESTION_LIMIT = 600


def question_text(question: LearningQuestion, number: int | None = None) -> str:
    """mrkdwn for one question: the question, the prediction, the measure and any result."""
    lead = f"*{number}. " if number else "*"
    lines = [
        lead + mrkdwn_escape(clip(question.question, QUESTION_LIMIT)) + "*",
        "Prediction: " + mrkdwn_escape(clip(question.prediction, QUESTION_LIMIT)),
    ]
    if question.measure:
        lines.append("Measure: " + mrkdwn_escape(question.measure))
    if question.result:
        result = PredictionResult(question.result)
        flag = " :triangular_flag_on_post:" if result is PredictionResult.NO_RESULT else ""
        lines.append(f"Result: {result.label}{flag}")
    return "\n".join(lines)


def questions_section(questions: Sequence[LearningQuestion], *, intro: str) -> SectionBlock:
    if not questions:
        return section(intro + "\n_The Plan has no learning questions._")
    body = "\n\n".join(question_text(q, n) for n, q in enumerate(questions, start=1))
    return section(clip(intro + "\n" + body, SECTION_TEXT_LIMIT))
