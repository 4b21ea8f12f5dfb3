"""/pdsa study: the Study modal with the cycle's evidence and each prediction's result."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from sqlmodel import Session

from copbot.learning_questions import ResultDraft
from copbot.studies import save_study, study_form
from copbot.team_choice import cop_of, open_cycle_of
from copbot.vocabulary import PredictionResult
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
from messages.study import CALLBACK_ID, study_modal

TITLE = "Study"
PREFIX = "result_"


def build_study_modal(session: Session, request: FormRequest) -> dict[str, Any]:
    team = request.school_team
    cycle = open_cycle_of(session, team=team)
    return study_modal(study_form(session, cycle=cycle), school_team=team, teams=request.teams)


def _results(form: FormValues) -> list[ResultDraft]:
    drafts = []
    for field in form.values:
        if not field.startswith(PREFIX) or not field[len(PREFIX):].isdigit():
            continue
        question_id = int(field[len(PREFIX):])
        chosen = form.option(field)
        drafts.append(ResultDraft(
            question_id=question_id,
            result=PredictionResult(chosen) if chosen in PredictionResult._value2member_map_ else None,
            why=form.text(f"why_{question_id}"),
            no_result_yet=PredictionResult.NO_RESULT.value in form.options(f"no_result_{question_id}"),
        ))
    return drafts


def register(app: App, pdsa: PdsaRouter) -> None:
    register_step_form(
        app, pdsa, step="study", callback_id=CALLBACK_ID, build=build_study_modal, title=TITLE,
        summary="Study the cycle: evidence, learnings, and whether each prediction matched",
        example="/pdsa study",
    )

    @app.view(CALLBACK_ID)
    @view_submission("learnings")
    def save_study_modal(ack: Any, body: dict, view: dict, client: Any, context: Any) -> None:
        form, user_id = FormValues(view), body["user"]["id"]

        def save(session: Session) -> Note:
            team = submitted_team(session, team_id=context.team_id, user_id=user_id, form=form)
            cycle = submitted_cycle(session, team=team, form=form)
            save_study(session, cycle=cycle, user_id=user_id, implementation=form.text("implementation"),
                       evidence_summary=form.text("evidence_summary"), learnings=form.text("learnings"),
                       results=_results(form))
            results = [d.result.label for d in _results(form) if d.result is not None]
            detail = ("Predictions: " + ", ".join(results)) if results else ""
            return Note(cop_of(session, team).channel_id, confirmation(
                user_id=user_id, what="the Study", school=team.school_name, cycle_number=cycle.number, detail=detail,
            ))

        note = save_once(context, view, save)
        ack()
        if note is not None:
            note.post(client)
