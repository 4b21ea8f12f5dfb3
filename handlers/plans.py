"""/pdsa plan: the Plan modal for the team's current cycle, its submission and the open_plan button."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from sqlmodel import Session

from copbot.learning_questions import MAX_QUESTIONS, QuestionDraft
from copbot.plans import plan_form, save_plan
from copbot.team_choice import cop_of, open_cycle_of
from handlers.channel_notes import Note
from handlers.forms import FormValues
from handlers.pdsa import PdsaRouter
from handlers.replies import view_submission
from handlers.submissions import save_once
from handlers.team_choice import (
    FormRequest,
    register_step_form,
    submitted_cycle,
    submitted_team,
)
from messages.confirmations import confirmation
from messages.plans import CALLBACK_ID, plan_modal

TITLE = "Plan"


def build_plan_modal(session: Session, request: FormRequest) -> dict[str, Any]:
    team = request.school_team
    cycle = open_cycle_of(session, team=team)
    return plan_modal(plan_form(session, cycle=cycle), school_team=team, teams=request.teams)


def _questions(form: FormValues) -> list[QuestionDraft]:
    return [
        QuestionDraft(slot=slot, question=form.text(f"question_{slot}"), prediction=form.text(f"prediction_{slot}"),
                      measure=form.text(f"measure_{slot}"))
        for slot in range(1, MAX_QUESTIONS + 1)
    ]


def register(app: App, pdsa: PdsaRouter) -> None:
    register_step_form(
        app, pdsa, step="plan", callback_id=CALLBACK_ID, build=build_plan_modal, title=TITLE,
        summary="Plan the cycle: strategy, evidence plan, learning questions and predictions",
        example="/pdsa plan",
    )

    @app.view(CALLBACK_ID)
    @view_submission("strategy")
    def save_plan_modal(ack: Any, body: dict, view: dict, client: Any, context: Any) -> None:
        form, user_id = FormValues(view), body["user"]["id"]

        def save(session: Session) -> Note:
            team = submitted_team(session, team_id=context.team_id, user_id=user_id, form=form)
            cycle = submitted_cycle(session, team=team, form=form)
            plan = save_plan(
                session, cycle=cycle, user_id=user_id, strategy=form.text("strategy"),
                shared_learning=form.text("shared_learning"),
                evidence_adult_practice=form.text("evidence_adult_practice"),
                evidence_student_impact=form.text("evidence_student_impact"),
                evidence_methods=form.options("evidence_methods"), prediction=form.text("prediction"),
                questions=_questions(form),
            )
            return Note(cop_of(session, team).channel_id, confirmation(
                user_id=user_id, what="the Plan", school=team.school_name, cycle_number=cycle.number,
                detail=f"Strategy: {plan.strategy}",
            ))

        note = save_once(context, view, save)
        ack()
        if note is not None:
            note.post(client)
