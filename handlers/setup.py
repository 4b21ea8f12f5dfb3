"""/pdsa setup: create a CoP (modal), then link or create its channel and invite its facilitators.

The CoP is saved before the modal closes; the Slack work on the channel happens after the ack, and
if Slack refuses part of it the person is told privately what to do (the CoP stays saved).
``/pdsa setup link [CoP name]`` gives a CoP whose channel could not be created the current channel.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from copbot import cops
from copbot.clock import utcnow, zone
from copbot.errors import UserError
from copbot.vocabulary import CopScope, SchoolLevel, StageOfDevelopment
from handlers.cop_channel import ChannelSetup, can_link
from handlers.forms import FormValues
from handlers.pdsa import PdsaRouter
from handlers.replies import ephemeral, view_submission
from messages.setup import CALLBACK_ID, USE_THIS_CHANNEL, linked, setup_view
from storage.idempotency import first_delivery, view_submission_key

log = logging.getLogger(__name__)


def register(app: App, pdsa: PdsaRouter) -> None:
    pdsa.add("setup", summary="Create a Community of Practice: convenings, facilitators and its channel",
             example="/pdsa setup", run=open_setup)
    app.view(CALLBACK_ID)(save_setup)


def open_setup(ack: Any, command: dict, client: Any, context: Any, respond: Any, args: str, **_: Any) -> None:
    if args.lower().split()[:1] == ["link"]:
        link_channel_here(ack, command, client, context, respond, args[4:].strip())
        return
    ack()
    today = utcnow().astimezone(zone(cops.DEFAULT_TIMEZONE)).date()
    view = setup_view(channel_id=command["channel_id"], can_link_channel=can_link(command["channel_id"]),
                      school_year=cops.current_school_year(today))
    client.views_open(trigger_id=command["trigger_id"], view=view)


def link_channel_here(ack: Any, command: dict, client: Any, context: Any, respond: Any, cop_name: str) -> None:
    channel_id, user_id = command["channel_id"], command["user_id"]
    with context["database"].session() as session:
        cop = cops.link_here(session, team_id=context.team_id, user_id=user_id, channel_id=channel_id,
                             cop_name=cop_name)
        facilitators = cops.facilitator_ids(session, team_id=context.team_id, cop_id=cop.id)
        convenings = cops.convening_dates(session, team_id=context.team_id, cop_id=cop.id)
    ephemeral(ack, respond, linked(cop_name=cop.name))
    setup = ChannelSetup(cop_id=cop.id, cop_name=cop.name, user_id=user_id, origin_channel=channel_id,
                         create=False, channel_id=channel_id)
    setup.run(client, context, facilitators=facilitators, convenings=convenings,
              focus_area=cop.focus_area, school_year=cop.school_year)


def read_form(values: FormValues) -> cops.CopForm:
    """The setup modal's values, parsed; a UserError names the field to fix."""
    name = values.required_text("name", "Give the CoP a name.")
    focus_area = values.required_text("focus_area", "Name the CoP's focus area, for example Attendance.")
    districts = cops.parse_list(values.text("districts"))
    if not districts:
        raise UserError("Name the CoP's district, or several separated by commas.", field="districts")
    school_year = cops.parse_school_year(values.text("school_year"))
    convenings = cops.check_convenings(
        [values.date(cops.convening_field(n)) for n in range(1, cops.MAX_CONVENINGS + 1)]
    )
    facilitators = values.users("facilitators")
    if not facilitators:
        raise UserError("Pick at least one facilitator.", field="facilitators")
    return cops.CopForm(
        name=name, focus_area=focus_area,
        school_level=SchoolLevel(values.option("school_level") or SchoolLevel.MIDDLE),
        scope=CopScope(values.option("scope") or CopScope.INTRA_DISTRICT),
        districts=districts, school_year=school_year, convenings=convenings,
        stage=StageOfDevelopment(values.option("stage") or StageOfDevelopment.POTENTIAL),
        timezone=cops.parse_timezone(values.text("timezone")), facilitators=facilitators,
    )


@view_submission("name")
def save_setup(ack: Any, body: dict, view: dict, client: Any, context: Any) -> None:
    values = FormValues(view)
    form = read_form(values)
    origin = values.metadata.get("channel_id") or ""
    use_this = values.option("channel_choice") == USE_THIS_CHANNEL
    if use_this and not can_link(origin):
        raise UserError("A direct message cannot be a CoP channel: choose “Create a new channel”.",
                        field="channel_choice")
    user_id = body["user"]["id"]
    with context["database"].session() as session:
        if not first_delivery(session, team_id=context.team_id, key=view_submission_key(view)):
            ack()
            return
        cop = cops.create_cop(session, team_id=context.team_id, user_id=user_id, form=form,
                              channel_id=origin if use_this else None)
    ack()
    log.info("CoP %s created in %s by %s", cop.id, context.team_id, user_id)
    setup = ChannelSetup(cop_id=cop.id, cop_name=cop.name, user_id=user_id, origin_channel=origin,
                         create=not use_this, channel_id=origin if use_this else None)
    setup.run(client, context, facilitators=form.facilitators, convenings=form.convenings,
              focus_area=form.focus_area, school_year=form.school_year)
