"""The Plan modal: shared learning, strategy, evidence plan, prediction, learning questions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from copbot.learning_questions import MAX_QUESTIONS, MEASURE_LIMIT
from copbot.plans import PlanForm
from copbot.vocabulary import EvidenceKind, Stage
from messages.blocks import as_view, context, divider, mrkdwn_escape, section
from messages.inputs import checkboxes_input, text_input
from messages.team_choice import metadata, with_team_select
from storage.models import SchoolTeam

CALLBACK_ID = "plan_modal"


def plan_modal(form: PlanForm, *, school_team: SchoolTeam, teams: Sequence[SchoolTeam]) -> dict[str, Any]:
    cycle, plan = form.cycle, form.plan
    about = f"*{mrkdwn_escape(school_team.school_name)}* · cycle {cycle.number} ({Stage(cycle.stage).label})"
    blocks: list[Block] = [context(about)]
    if form.seeded:
        blocks.append(context(f":seedling: Pre-filled from cycle {cycle.number - 1}'s Act decision: "
                              "review it and save."))
    if cycle.stage not in (Stage.PLAN, Stage.DO):
        blocks.append(section(f":warning: Cycle {cycle.number} is in {Stage(cycle.stage).label}: "
                              "its Plan can no longer be changed."))
    blocks += [
        text_input("shared_learning", "Shared learning (looking out)", initial=plan and plan.shared_learning,
                   multiline=True, optional=True,
                   hint="Book or article study, promising practices, a visit to another school, experts."),
        text_input("strategy", "Strategy or intervention to test", initial=plan and plan.strategy, multiline=True),
        text_input("evidence_adult_practice", "Evidence of adult practice: what and how",
                   initial=plan and plan.evidence_adult_practice, multiline=True, optional=True,
                   hint="What teachers will do differently, and how you will see it."),
        text_input("evidence_student_impact", "Evidence of student impact: what and how",
                   initial=plan and plan.evidence_student_impact, multiline=True, optional=True,
                   hint="What should change for students, and how you will know."),
        checkboxes_input("evidence_methods", "Methods", EvidenceKind.choices(),
                         initial=plan.evidence_methods if plan else ()),
        text_input("prediction", "What do you predict will happen?", initial=plan and plan.prediction,
                   multiline=True, optional=True),
        divider(),
        section(f"*Learning questions* (1 to {MAX_QUESTIONS}): each with your prediction and the measure "
                "that will answer it. At Study you record whether each prediction matched."),
    ]
    questions = list(form.questions)
    for slot in range(1, MAX_QUESTIONS + 1):
        saved = questions[slot - 1] if slot <= len(questions) else None
        blocks += [
            text_input(f"question_{slot}", f"Question {slot}", initial=saved and saved.question,
                       optional=True, multiline=True),
            text_input(f"prediction_{slot}", f"Prediction {slot}", initial=saved and saved.prediction,
                       optional=True, multiline=True),
            text_input(f"measure_{slot}", f"Measure {slot}", initial=saved and saved.measure, optional=True,
                       max_length=MEASURE_LIMIT, placeholder="e.g. % of students citing text evidence"),
        ]
    return as_view(View(
        type="modal", callback_id=CALLBACK_ID, title=f"Plan · cycle {cycle.number}", submit="Save Plan",
        close="Cancel", blocks=with_team_select(blocks, teams, school_team),
        private_metadata=metadata(teams, school_team, cycle_id=cycle.id),
    ))
