"""/pdsa evidence and the "Save as evidence" message shortcut: evidence items of the current cycle."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from copbot.clock import today_in
from copbot.errors import UserError
from copbot.evidence import Measurement, add_evidence, evidence_count, save_message_as_evidence
from copbot.privacy import personal_data_warnings
from copbot.run_chart import signals_at
from copbot.team_choice import cop_of, open_cycle_of
from copbot.vocabulary import EvidenceKind
from handlers.channel_notes import Note
from handlers.forms import FormValues
from handlers.pdsa import PdsaRouter
from handlers.replies import action, view_submission
from handlers.submissions import save_once
from handlers.team_choice import (
    FormBuilder,
    FormRequest,
    register_step_form,
    register_team_switch,
    submitted_cycle,
    submitted_team,
    view_for_channel,
)
from messages.confirmations import confirmation
from messages.evidence import (
    CALLBACK_ID,
    MESSAGE_CALLBACK_ID,
    PRIVACY_CHECKED,
    PRIVACY_FIELD,
    SavedMessage,
    evidence_modal,
    message_evidence_modal,
)
from messages.team_choice import notice_view
from storage.models import EvidenceItem, SchoolTeam

log = logging.getLogger("copbot.handlers")
TITLE = "Evidence"


@dataclass(frozen=True)
class SavedEvidence:
    """An evidence item just saved from the modal, and what its channel confirmation names."""

    channel_id: str | None
    user_id: str
    team: SchoolTeam
    cycle_number: int
    item: EvidenceItem

    def note(self, session: Session) -> Note:
        """The confirmation, naming the run-chart signals the new value takes part in."""
        item = self.item
        detail = EvidenceKind(item.kind).label
        if item.measure_name:
            detail += f" · {item.measure_name}: {item.measured_value:g} on {item.measured_on:%b %-d, %Y}"
            for signal in signals_at(session, team_id=self.team.team_id, school_team_id=self.team.id, item=item):
                detail += f" · Run-chart signal: {signal.description}"
        return Note(self.channel_id, confirmation(user_id=self.user_id, what="evidence", school=self.team.school_name,
                                                  cycle_number=self.cycle_number, detail=detail))


def build_evidence_modal(session: Session, request: FormRequest) -> dict[str, Any]:
    team = request.school_team
    cycle = open_cycle_of(session, team=team)
    count = evidence_count(session, team_id=request.team_id, cycle_id=cycle.id)
    return evidence_modal(school_team=team, teams=request.teams, cycle=cycle, count=count)


def message_modal_builder(message: SavedMessage | None) -> FormBuilder:
    """Builds the shortcut's modal for ``message``, or (on reload) for the message its metadata names."""

    def build(session: Session, request: FormRequest) -> dict[str, Any]:
        team = request.school_team
        cycle = open_cycle_of(session, team=team)
        count = evidence_count(session, team_id=request.team_id, cycle_id=cycle.id)
        form = request.form
        if message is not None or form is None:
            assert message is not None
            return message_evidence_modal(message, school_team=team, teams=request.teams, cycle=cycle, count=count,
                                          privacy_warnings=personal_data_warnings(message.description()))
        saved = SavedMessage(channel_id=form.metadata.get("channel", ""), ts=form.metadata.get("ts", ""),
                             author_id=form.metadata.get("author", ""), text="",
                             permalink=form.metadata.get("link") or None)
        description = form.text("description")
        return message_evidence_modal(saved, school_team=team, teams=request.teams, cycle=cycle, count=count,
                                      description=description, focus=form.option("focus"),
                                      kind=form.option("kind"), privacy_warnings=personal_data_warnings(description),
                                      privacy_checked=privacy_checked(form))

    return build


def privacy_checked(form: FormValues) -> bool:
    """Whether the person ticked that the description holds no student personal data."""
    return PRIVACY_CHECKED in form.options(PRIVACY_FIELD)


def _saved_message(shortcut: dict, client: Any) -> SavedMessage:
    message = shortcut.get("message") or {}
    channel_id = (shortcut.get("channel") or {}).get("id", "")
    ts = message.get("ts") or shortcut.get("message_ts", "")
    try:
        permalink = client.chat_getPermalink(channel=channel_id, message_ts=ts).get("permalink")
    except SlackApiError as error:
        log.warning("no permalink for %s/%s: %s", channel_id, ts, error.response.get("error"))
        permalink = None
    files = tuple(
        (f.get("name") or f.get("title") or "file", f["permalink"]) for f in message.get("files") or []
        if f.get("permalink")
    )
    return SavedMessage(channel_id=channel_id, ts=ts, author_id=message.get("user") or "",
                        text=message.get("text") or "", permalink=permalink, file_links=files)


def register(app: App, pdsa: PdsaRouter) -> None:
    register_step_form(
        app, pdsa, step="evidence", callback_id=CALLBACK_ID, build=build_evidence_modal, title=TITLE,
        summary="Add evidence (adult practice or student impact), with a measured value if any",
        example="/pdsa evidence",
    )
    register_team_switch(app, callback_id=MESSAGE_CALLBACK_ID, build=message_modal_builder(None), title=TITLE)

    @app.shortcut("save_as_evidence")
    @action
    def save_as_evidence(ack: Any, shortcut: dict, client: Any, context: Any) -> None:
        ack()
        message = _saved_message(shortcut, client)
        user_id = shortcut["user"]["id"]
        build = message_modal_builder(message)
        try:
            with context["database"].session() as session:
                view = view_for_channel(session, team_id=context.team_id, user_id=user_id,
                                        channel_id=message.channel_id, build=build)
        except UserError as error:
            view = notice_view("Save as evidence", error.message)
        client.views_open(trigger_id=shortcut["trigger_id"], view=view)

    @app.view(CALLBACK_ID)
    @view_submission("description")
    def save_evidence_modal(ack: Any, body: dict, view: dict, client: Any, context: Any) -> None:
        form, user_id = FormValues(view), body["user"]["id"]

        def save(session: Session) -> SavedEvidence:
            team = submitted_team(session, team_id=context.team_id, user_id=user_id, form=form)
            cycle = submitted_cycle(session, team=team, form=form)
            cop = cop_of(session, team)
            item = add_evidence(
                session, cycle=cycle, user_id=user_id, focus=form.option("focus"), kind=form.option("kind"),
                description=form.text("description"), link=form.text("link"),
                measurement=Measurement(name=form.text("measure_name"), value=form.number("measured_value"),
                                        measured_on=form.date("measured_on")),
                today=today_in(cop.timezone), personal_data_checked=privacy_checked(form),
            )
            return SavedEvidence(cop.channel_id, user_id, team, cycle.number, item)

        saved = save_once(context, view, save)
        ack()
        if saved is not None:  # the run-chart signals read the measure's whole series: after the ack
            with context["database"].reading() as session:
                note = saved.note(session)
            note.post(client)

    @app.view(MESSAGE_CALLBACK_ID)
    @view_submission("description")
    def save_message_evidence_modal(ack: Any, body: dict, view: dict, client: Any, context: Any) -> None:
        form, user_id = FormValues(view), body["user"]["id"]

        def save(session: Session) -> Note:
            team = submitted_team(session, team_id=context.team_id, user_id=user_id, form=form)
            cycle = submitted_cycle(session, team=team, form=form)
            item, created = save_message_as_evidence(
                session, cycle=cycle, user_id=user_id, focus=form.option("focus"), kind=form.option("kind"),
                description=form.text("description"), link=form.metadata.get("link"),
                source_channel=str(form.metadata.get("channel", "")), source_ts=str(form.metadata.get("ts", "")),
                personal_data_checked=privacy_checked(form),
            )
            what = "a message as evidence" if created else "a message's evidence tags again"
            return Note(cop_of(session, team).channel_id, confirmation(
                user_id=user_id, what=what, school=team.school_name, cycle_number=cycle.number,
                detail=EvidenceKind(item.kind).label,
            ))

        note = save_once(context, view, save)
        ack()
        if note is not None:
            note.post(client)
