"""Opening a step's modal for the right school team, and reading the team back on submit.

One place for every step modal (plan, do, evidence, study, act, ssc):
- from a /pdsa command: the teams the person may edit in this CoP channel (or in any CoP
  outside one); with several, the modal starts on the first one that can show the form and
  carries a "school_team" select that reloads it for another team;
- from an ``open_<step>`` button: the team named by the button's value;
- on submit: the team the form shows, checked again against the person's edit rights.

A feature passes a ``FormBuilder``: (session, FormRequest) -> view dict; it raises UserError
when the team cannot use the form (no open cycle, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import App
from sqlmodel import Session

from copbot.cycles import get_cycle
from copbot.errors import NotFound, UserError
from copbot.membership import editable_teams
from copbot.team_choice import chosen_team, teams_to_act_on
from handlers.forms import FormValues
from handlers.pdsa import PdsaRouter
from handlers.replies import action
from messages.team_choice import TEAM_FIELD, notice_view
from storage.models import Cycle, SchoolTeam


@dataclass(frozen=True)
class FormRequest:
    """Who opens a step's form, for which team, among which teams, with what the modal holds now."""

    team_id: str
    user_id: str
    school_team: SchoolTeam
    teams: list[SchoolTeam]
    args: str = ""
    form: FormValues | None = None  # the open modal's values, when it is being reloaded


FormBuilder = Callable[[Session, FormRequest], dict[str, Any]]


def view_for_channel(session: Session, *, team_id: str, user_id: str, channel_id: str | None,
                     build: FormBuilder, args: str = "") -> dict[str, Any]:
    """The form for the teams the person may act on from this channel, on the first team it suits."""
    teams = teams_to_act_on(session, team_id=team_id, user_id=user_id, channel_id=channel_id)
    first_error: UserError | None = None
    for team in teams:
        try:
            return build(session, FormRequest(team_id, user_id, team, teams, args))
        except UserError as error:
            first_error = first_error or error
    assert first_error is not None
    raise first_error


def open_from_command(*, ack: Any, client: Any, context: Any, command: dict, build: FormBuilder,
                      args: str = "") -> None:
    """Open the form for a /pdsa subcommand; a person with no team to act on gets the reason."""
    with context["database"].session() as session:
        view = view_for_channel(session, team_id=context.team_id, user_id=command["user_id"],
                                channel_id=command.get("channel_id"), build=build, args=args)
    ack()
    client.views_open(trigger_id=command["trigger_id"], view=view)


def open_from_button(*, ack: Any, body: dict, client: Any, context: Any, build: FormBuilder,
                     title: str) -> None:
    """Open the form for the team named by an ``open_<step>`` button; refusals open a notice."""
    ack()
    user_id = body["user"]["id"]
    raw = (body.get("actions") or [{}])[0].get("value") or ""
    try:
        with context["database"].session() as session:
            if not raw.isdigit():
                raise NotFound("That button does not name a school team.")
            team = chosen_team(session, team_id=context.team_id, user_id=user_id, school_team_id=int(raw))
            view = build(session, FormRequest(context.team_id, user_id, team, [team]))
    except UserError as error:
        view = notice_view(title, error.message)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def register_team_switch(app: App, *, callback_id: str, build: FormBuilder, title: str) -> None:
    """Reload the modal ``callback_id`` when the person picks another team in its "school_team" select."""

    def is_this_form(body: dict) -> bool:
        return (body.get("view") or {}).get("callback_id") == callback_id

    @app.action(TEAM_FIELD, matchers=[is_this_form])
    @action
    def switch_team(ack: Any, body: dict, client: Any, context: Any) -> None:
        ack()
        reload_view(body=body, client=client, context=context, build=build, title=title)


def reload_view(*, body: dict, client: Any, context: Any, build: FormBuilder, title: str) -> None:
    """Rebuild an open modal for the team now selected in it (and its other current values)."""
    view = body["view"]
    form = FormValues(view)
    user_id = body["user"]["id"]
    picked = form.option(TEAM_FIELD) if form.has(TEAM_FIELD) else str(form.metadata.get("school_team_id", ""))
    offered = [int(i) for i in form.metadata.get("team_ids") or []]
    try:
        if not (picked or "").isdigit():
            raise NotFound("Pick a school team.", field=TEAM_FIELD)
        with context["database"].session() as session:
            team = chosen_team(session, team_id=context.team_id, user_id=user_id,
                               school_team_id=int(picked), offered=offered)
            teams = [t for t in editable_teams(session, team_id=context.team_id, user_id=user_id) if t.id in offered]
            new_view = build(session, FormRequest(context.team_id, user_id, team, teams or [team], form=form))
    except UserError as error:
        new_view = notice_view(title, error.message)
    client.views_update(view_id=view["id"], hash=view.get("hash"), view=new_view)


def submitted_team(session: Session, *, team_id: str, user_id: str, form: FormValues) -> SchoolTeam:
    """The team a submitted form is for, if the person (still) may change its records."""
    shown = str(form.metadata.get("school_team_id") or "")
    picked = form.option(TEAM_FIELD) if form.has(TEAM_FIELD) else shown
    if not shown.isdigit() or picked != shown:
        raise UserError("The form is still showing another team: pick the team again.", field=TEAM_FIELD)
    offered = [int(i) for i in form.metadata.get("team_ids") or [int(shown)]]
    return chosen_team(session, team_id=team_id, user_id=user_id, school_team_id=int(shown), offered=offered)


def submitted_cycle(session: Session, *, team: SchoolTeam, form: FormValues) -> Cycle:
    """The cycle the form was opened for (it must belong to ``team``)."""
    cycle_id = form.metadata.get("cycle_id")
    if not isinstance(cycle_id, int):
        raise NotFound("This form does not name a PDSA cycle; open it again.")
    cycle = get_cycle(session, team_id=team.team_id, cycle_id=cycle_id)
    if cycle.school_team_id != team.id:
        raise NotFound("This form's cycle belongs to another team; open it again.")
    return cycle


def register_step_form(app: App, pdsa: PdsaRouter, *, step: str, summary: str, example: str, callback_id: str,
                       build: FormBuilder, title: str) -> None:
    """Everything that opens a step's form: ``/pdsa <step> [words]``, the ``open_<step>`` button,
    and the team switch inside the open modal."""

    def open_command(ack: Any, command: dict, client: Any, context: Any, args: str = "", **_: Any) -> None:
        open_from_command(ack=ack, client=client, context=context, command=command, build=build, args=args)

    pdsa.add(step, summary=summary, example=example, run=open_command)

    @app.action(f"open_{step}")
    @action
    def open_button(ack: Any, body: dict, client: Any, context: Any) -> None:
        open_from_button(ack=ack, body=body, client=client, context=context, build=build, title=title)

    register_team_switch(app, callback_id=callback_id, build=build, title=title)
