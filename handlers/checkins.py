"""/pdsa checkin: a facilitator's check-in notes (regional kickoff, Nov, Feb, May, or with a team).

Only the CoP's facilitators may open or save it. The ``open_checkin`` button's value is either
``cop:<cop id>`` (a CoP-wide check-in) or ``<school team id>`` (a check-in with that team, which
the form pre-selects).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from sqlmodel import Session, select

from copbot.checkins import facilitated_cops, record_checkin, require_facilitator, teams_of
from copbot.clock import today_in
from copbot.errors import NotAllowed, NotFound, UserError
from copbot.membership import cop_for_channel, get_school_team
from copbot.vocabulary import CheckinKind
from handlers.channel_notes import Note
from handlers.forms import FormValues
from handlers.pdsa import PdsaRouter
from handlers.replies import action, view_submission
from handlers.submissions import save_once
from messages.checkins import CALLBACK_ID, checkin_modal
from messages.confirmations import confirmation
from messages.team_choice import notice_view
from storage.models import Cop

TITLE = "Facilitator check-in"


def _cop(session: Session, *, team_id: str, cop_id: int) -> Cop:
    cop = session.exec(select(Cop).where(Cop.team_id == team_id, Cop.id == cop_id)).first()
    if cop is None:
        raise NotFound("That CoP does not exist in this workspace.")
    return cop


def cop_for_command(session: Session, *, team_id: str, user_id: str, channel_id: str | None) -> Cop:
    """The CoP this channel belongs to, or the one CoP the person facilitates; facilitators only."""
    cop = cop_for_channel(session, team_id=team_id, channel_id=channel_id)
    if cop is not None:
        return require_facilitator(session, team_id=team_id, user_id=user_id, cop=cop)
    cops = facilitated_cops(session, team_id=team_id, user_id=user_id)
    if not cops:
        raise NotAllowed("Only CoP facilitators record facilitator check-ins.")
    if len(cops) > 1:
        raise UserError("You facilitate several CoPs: run `/pdsa checkin` in the channel of the CoP it is for.")
    return cops[0]


def build_checkin_modal(session: Session, *, team_id: str, user_id: str, cop: Cop,
                        school_team_id: int | None = None) -> dict[str, Any]:
    require_facilitator(session, team_id=team_id, user_id=user_id, cop=cop)
    return checkin_modal(cop=cop, teams=teams_of(session, team_id=team_id, cop_id=cop.id),
                         today=today_in(cop.timezone), school_team_id=school_team_id)


def register(app: App, pdsa: PdsaRouter) -> None:
    def open_checkin_command(ack: Any, command: dict, client: Any, context: Any, **_: Any) -> None:
        user_id = command["user_id"]
        with context["database"].session() as session:
            cop = cop_for_command(session, team_id=context.team_id, user_id=user_id,
                                  channel_id=command.get("channel_id"))
            view = build_checkin_modal(session, team_id=context.team_id, user_id=user_id, cop=cop)
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=view)

    pdsa.add("checkin", summary="Facilitators: record check-in notes (regional kickoff, Nov, Feb, May, or a team)",
             example="/pdsa checkin", run=open_checkin_command)

    @app.action("open_checkin")
    @action
    def open_checkin_button(ack: Any, body: dict, client: Any, context: Any) -> None:
        ack()
        raw = (body.get("actions") or [{}])[0].get("value") or ""
        user_id = body["user"]["id"]
        try:
            with context["database"].session() as session:
                school_team_id = None
                if raw.startswith("cop:") and raw[4:].isdigit():
                    cop = _cop(session, team_id=context.team_id, cop_id=int(raw[4:]))
                elif raw.isdigit():
                    team = get_school_team(session, team_id=context.team_id, school_team_id=int(raw))
                    cop, school_team_id = _cop(session, team_id=context.team_id, cop_id=team.cop_id), team.id
                else:
                    raise NotFound("That button does not name a CoP or a school team.")
                view = build_checkin_modal(session, team_id=context.team_id, user_id=user_id, cop=cop,
                                           school_team_id=school_team_id)
        except UserError as error:
            view = notice_view(TITLE, error.message)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    @app.view(CALLBACK_ID)
    @view_submission("notes")
    def save_checkin_modal(ack: Any, body: dict, view: dict, client: Any, context: Any) -> None:
        form, user_id = FormValues(view), body["user"]["id"]

        def save(session: Session) -> Note:
            cop_id = form.metadata.get("cop_id")
            if not isinstance(cop_id, int):
                raise NotFound("This form does not name a CoP; open it again.")
            cop = _cop(session, team_id=context.team_id, cop_id=cop_id)
            chosen_team = form.option("checkin_team")
            checkin = record_checkin(
                session, cop=cop, facilitator_user_id=user_id, kind=form.option("kind"), held_on=form.date("held_on"),
                notes=form.text("notes"), school_team_id=int(chosen_team) if chosen_team else None,
                today=today_in(cop.timezone),
            )
            school = (get_school_team(session, team_id=cop.team_id, school_team_id=checkin.school_team_id).school_name
                      if checkin.school_team_id else cop.name)
            return Note(cop.channel_id, confirmation(
                user_id=user_id, what=f"a facilitator check-in ({CheckinKind(checkin.kind).label})", school=school,
                detail=f"Held {checkin.held_on:%b %-d, %Y}.",
            ))

        note = save_once(context, view, save)
        ack()
        if note is not None:
            note.post(client)


