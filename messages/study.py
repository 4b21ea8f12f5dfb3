"""The Study modal: the cycle's evidence, the reflection, and each prediction's result."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from copbot.learning_questions import RESULTS_TO_RECORD
from copbot.studies import StudyForm
from copbot.vocabulary import PredictionResult, Stage
from messages.blocks import as_view, context, divider, mrkdwn_escape, section
from messages.evidence import evidence_summary_text
from messages.inputs import checkboxes_input, radio_input, text_input
from messages.learning_questions import question_text
from messages.team_choice import metadata, with_team_select
from storage.models import SchoolTeam

CALLBACK_ID = "study_modal"
NO_RESULT_OPTION = (PredictionResult.NO_RESULT.value, "No result yet (flag it)")


def study_modal(form: StudyForm, *, school_team: SchoolTeam, teams: Sequence[SchoolTeam]) -> dict[str, Any]:
    cycle, study = form.cycle, form.study
    blocks: list[Block] = [
        context(f"*{mrkdwn_escape(school_team.school_name)}* · cycle {cycle.number} ({Stage(cycle.stage).label})")
    ]
    if cycle.stage not in (Stage.DO, Stage.STUDY, Stage.ACT):
        blocks.append(section(f":warning: Cycle {cycle.number} is in {Stage(cycle.stage).label}: the Study is "
                              "recorded once the cycle is in Do or Study."))
    blocks += [
        section(evidence_summary_text(form.evidence)),
        text_input("implementation", "How did implementation go?", initial=study and study.implementation,
                   multiline=True, optional=True),
        text_input("evidence_summary", "What does the evidence say?", initial=study and study.evidence_summary,
                   multiline=True, optional=True),
        text_input("learnings", "What did the team learn?", initial=study and study.learnings, multiline=True,
                   hint="Shared with the CoP at the convening."),
    ]
    if form.questions:
        blocks += [divider(), section("*Predictions*: did each one match what happened?")]
    recordable = [(r.value, r.label) for r in RESULTS_TO_RECORD]
    for number, question in enumerate(form.questions, start=1):
        recorded = question.result if question.result in {r.value for r in RESULTS_TO_RECORD} else None
        blocks += [
            section(question_text(question, number)),
            radio_input(f"result_{question.id}", f"Did prediction {number} match?", recordable,
                        initial=recorded, optional=True),
            text_input(f"why_{question.id}", f"Why? (prediction {number})", initial=question.result_note,
                       optional=True, multiline=True, placeholder="What the evidence showed"),
            checkboxes_input(f"no_result_{question.id}", f"Prediction {number}: no result yet?", [NO_RESULT_OPTION],
                             initial=[PredictionResult.NO_RESULT.value]
                             if question.result == PredictionResult.NO_RESULT else ()),
        ]
    return as_view(View(
        type="modal", callback_id=CALLBACK_ID, title=f"Study · cycle {cycle.number}", submit="Save Study",
        close="Cancel", blocks=with_team_select(blocks, teams, school_team),
        private_metadata=metadata(teams, school_team, cycle_id=cycle.id),
    ))
