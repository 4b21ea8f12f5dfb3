"""/pdsa do: log one of the three Do meetings; the kind select reloads the form for that meeting."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from sqlmodel import Session

from copbot.do_meetings import (
    GAME_PLAN_PARTS,
    GamePlan,
    TypedMeeting,
    do_meeting_form,
    kind_from_words,
    log_do_meeting,
)
from copbot.team_choice import cop_of, open_cycle_of
from copbot.vocabulary import DoMeetingKind
from handlers.channel_notes import Note
from handlers.forms import FormValues
from handlers.pdsa import PdsaRouter
from handlers.replies import action, view_submission
from handlers.submissions import save_once
from handlers.team_choice import (
    FormRequest,
    register_step_form,
    reload_view,
    submitted_cycle,
    submitted_team,
)
from messages.confirmations import confirmation
from messages.do_meetings import CALLBACK_ID, do_modal

TITLE = "Do meeting"


def _kind(value: str | None) -> DoMeetingKind | None:
    return DoMeetingKind(value) if value in DoMeetingKind._value2member_map_ else None


def build_do_modal(session: Session, request: FormRequest) -> dict[str, Any]:
    team = request.school_team
    cycle = open_cycle_of(session, team=team)
    form = request.form
    if form is None:
        meeting = do_meeting_form(session, cycle=cycle, kind=kind_from_words(request.args))
    else:
        typed = TypedMeeting(held_on=form.date("held_on"), attendees=tuple(form.users("attendees")),
                             notes=form.text("notes"))
        meeting = do_meeting_form(session, cycle=cycle, kind=_kind(form.option("kind")), typed=typed)
    return do_modal(meeting, school_team=team, teams=request.teams)


def register(app: App, pdsa: PdsaRouter) -> None:
    register_step_form(
        app, pdsa, step="do", callback_id=CALLBACK_ID, build=build_do_modal, title=TITLE,
        summary="Log a Do meeting: game plan, mid-stream check or end-of-cycle data session",
        example="/pdsa do mid",
    )

    def is_do_modal(body: dict) -> bool:
        return (body.get("view") or {}).get("callback_id") == CALLBACK_ID

    @app.action("kind", matchers=[is_do_modal])
    @action
    def switch_meeting(ack: Any, body: dict, client: Any, context: Any) -> None:
        ack()
        reload_view(body=body, client=client, context=context, build=build_do_modal, title=TITLE)

    @app.view(CALLBACK_ID)
    @view_submission("kind")
    def save_do_modal(ack: Any, body: dict, view: dict, client: Any, context: Any) -> None:
        form, user_id = FormValues(view), body["user"]["id"]

        def save(session: Session) -> Note:
            team = submitted_team(session, team_id=context.team_id, user_id=user_id, form=form)
            cycle = submitted_cycle(session, team=team, form=form)
            meeting = log_do_meeting(
                session, cycle=cycle, user_id=user_id, kind=_kind(form.option("kind")), held_on=form.date("held_on"),
                attendees=form.users("attendees"), notes=form.text("notes"),
                game_plan=GamePlan({part: form.text(part) for part in GAME_PLAN_PARTS if form.has(part)}),
            )
            kind = DoMeetingKind(meeting.kind)
            return Note(cop_of(session, team).channel_id, confirmation(
                user_id=user_id, what=f"the {kind.label.lower()} meeting", school=team.school_name,
                cycle_number=cycle.number,
                detail=f"Held {meeting.held_on:%b %-d, %Y} with {len(meeting.attendees)} people.",
            ))

        note = save_once(context, view, save)
        ack()
        if note is not None:
            note.post(client)
