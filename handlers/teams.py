"""/pdsa team [school]: add a school team (facilitators) or edit one (its members and facilitators).

When there is a choice, a first modal asks which team (or "new school team", per CoP); its submission
replaces the modal with the team form, pre-filled for an existing team. ``/pdsa team <school>`` and
the ``open_team`` button (value: CoP id, or "" for every CoP of the person) lead to the same forms.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from copbot import teams
from copbot.cops import get_cop, parse_list
from copbot.errors import UserError
from copbot.vocabulary import SupportType
from handlers.delivery import explain_in_modal, post_in_channel, tell_privately
from handlers.forms import FormValues
from handlers.home import refresh_home
from handlers.pdsa import PdsaRouter
from handlers.replies import action, view_submission
from messages.blocks import fallback_text
from messages.confirmations import confirmation
from messages.teams import CALLBACK_ID, PICK_CALLBACK_ID, parse_choice, picker_view, saved_detail, team_view
from storage.idempotency import first_delivery, view_submission_key

log = logging.getLogger(__name__)


def register(app: App, pdsa: PdsaRouter) -> None:
    pdsa.add("team", summary="Add a school team (CoP facilitators only) or edit your team and its members",
             example="/pdsa team Lincoln Middle School", run=open_team_command)
    app.view(PICK_CALLBACK_ID)(pick_team)
    app.view(CALLBACK_ID)(save_team)
    app.action("open_team")(open_team_button)


def _first_view(context: Any, user_id: str, *, channel_id: str | None, cop_id: int | None = None,
                school_name: str = "") -> dict[str, Any]:
    with context["database"].session() as session:
        start = teams.start_team_form(session, team_id=context.team_id, user_id=user_id, channel_id=channel_id,
                                      cop_id=cop_id, school_name=school_name)
        if start.target is None:
            return picker_view(start.choices, start.cops, channel_id=channel_id or "")
        return _form_for(session, context.team_id, start.target, channel_id or "")


def _form_for(session: Any, team_id: str, target: teams.TeamTarget, channel_id: str) -> dict[str, Any]:
    members = teams.members_by_role(session, team_id=team_id, school_team_id=target.team.id) if target.team else {}
    return team_view(cop=target.cop, team=target.team, members=members, channel_id=channel_id,
                     school_name=target.school_name)


def open_team_command(ack: Any, command: dict, client: Any, context: Any, args: str, **_: Any) -> None:
    view = _first_view(context, command["user_id"], channel_id=command["channel_id"], school_name=args)
    ack()
    client.views_open(trigger_id=command["trigger_id"], view=view)


@action
def open_team_button(ack: Any, body: dict, client: Any, context: Any) -> None:
    ack()
    value = (body.get("actions") or [{}])[0].get("value") or ""
    try:
        view = _first_view(context, body["user"]["id"], channel_id=None, cop_id=int(value) if value else None)
    except UserError as error:
        explain_in_modal(client, body["trigger_id"], error)
        return
    client.views_open(trigger_id=body["trigger_id"], view=view)


@view_submission("team_choice")
def pick_team(ack: Any, body: dict, view: dict, context: Any) -> None:
    values = FormValues(view)
    choice = values.option("team_choice")
    if not choice:
        raise UserError("Choose a school team, or a new one.", field="team_choice")
    kind, number = parse_choice(choice)
    with context["database"].session() as session:
        target = teams.target_from_choice(session, team_id=context.team_id, user_id=body["user"]["id"],
                                          kind=kind, number=number)
        form = _form_for(session, context.team_id, target, values.metadata.get("channel_id") or "")
    ack(response_action="update", view=form)


def read_form(values: FormValues) -> teams.TeamForm:
    return teams.TeamForm(
        school_name=values.required_text("school_name", "Write the school's name."),
        district=values.text("district"),
        support_type=SupportType(values.option("support_type") or SupportType.OTHER_SUPPORT),
        subgroups=parse_list(values.text("subgroups")),
        members={role: values.users(role.value) for role in teams.TEAM_ROLES},
    )


@view_submission("school_name")
def save_team(ack: Any, body: dict, view: dict, client: Any, context: Any) -> None:
    values = FormValues(view)
    form = read_form(values)
    user_id = body["user"]["id"]
    cop_id, school_team_id = int(values.metadata["cop_id"]), values.metadata.get("school_team_id")
    with context["database"].session() as session:
        if not first_delivery(session, team_id=context.team_id, key=view_submission_key(view)):
            ack()
            return
        saved = teams.save_team(session, team_id=context.team_id, user_id=user_id, cop_id=cop_id,
                                school_team_id=int(school_team_id) if school_team_id else None, form=form)
        channel_id = get_cop(session, team_id=context.team_id, cop_id=cop_id).channel_id
    ack()
    detail = saved_detail(created=saved.created, cycle_number=saved.cycle.number if saved.cycle else None,
                          warnings=saved.warnings)
    text, blocks = confirmation(user_id=user_id, what="a new school team" if saved.created else "team changes",
                                school=saved.team.school_name, detail=detail)
    post_in_channel(client, channel_id, text, blocks)
    if saved.warnings:
        note = f"{saved.team.school_name} is saved. Heads-up: " + " ".join(saved.warnings)
        tell_privately(client, user_id=user_id, channel_id=channel_id or values.metadata.get("channel_id"),
                       text=fallback_text(note))
    members = [user for users in form.members.values() for user in users]
    refresh_home(client, context["database"], context.team_id, [user_id, *members])
