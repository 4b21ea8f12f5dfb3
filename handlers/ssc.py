"""/pdsa ssc: record a report of key learnings to the School Site Council after a convening."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from sqlmodel import Session

from copbot.clock import today_in
from copbot.ssc import convenings_before, record_ssc_report
from copbot.team_choice import cop_of
from handlers.channel_notes import Note
from handlers.forms import FormValues
from handlers.pdsa import PdsaRouter
from handlers.replies import view_submission
from handlers.submissions import save_once
from handlers.team_choice import (
    FormRequest,
    register_step_form,
    submitted_team,
)
from messages.confirmations import confirmation
from messages.ssc import CALLBACK_ID, ssc_modal

TITLE = "SSC report"


def build_ssc_modal(session: Session, request: FormRequest) -> dict[str, Any]:
    team = request.school_team
    today = today_in(cop_of(session, team).timezone)
    convenings = convenings_before(session, team_id=request.team_id, cop_id=team.cop_id, today=today)
    return ssc_modal(school_team=team, teams=request.teams, convenings=convenings, today=today)


def register(app: App, pdsa: PdsaRouter) -> None:
    register_step_form(
        app, pdsa, step="ssc", callback_id=CALLBACK_ID, build=build_ssc_modal, title=TITLE,
        summary="Record your report to the School Site Council: learnings, feedback, plan changes",
        example="/pdsa ssc",
    )

    @app.view(CALLBACK_ID)
    @view_submission("key_learnings")
    def save_ssc_modal(ack: Any, body: dict, view: dict, client: Any, context: Any) -> None:
        form, user_id = FormValues(view), body["user"]["id"]

        def save(session: Session) -> Note:
            team = submitted_team(session, team_id=context.team_id, user_id=user_id, form=form)
            cop = cop_of(session, team)
            convening = form.option("convening")
            report = record_ssc_report(
                session, school_team=team, user_id=user_id, reported_on=form.date("reported_on"),
                convening_id=int(convening) if convening and convening.isdigit() else None,
                key_learnings=form.text("key_learnings"), ssc_feedback=form.text("ssc_feedback"),
                plan_changes=form.text("plan_changes"), today=today_in(cop.timezone),
            )
            return Note(cop.channel_id, confirmation(
                user_id=user_id, what="an SSC report", school=team.school_name,
                detail=f"SSC met {report.reported_on:%b %-d, %Y}.",
            ))

        note = save_once(context, view, save)
        ack()
        if note is not None:
            note.post(client)
