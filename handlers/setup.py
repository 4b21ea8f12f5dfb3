"""/pdsa setup: create a CoP (modal), then link or create its channel and invite its facilitators.

The CoP is saved before the modal closes; the Slack work on the channel happens after the ack, and
if Slack refuses part of it the person is told privately what to do (the CoP stays saved).
``/pdsa setup link [CoP name]`` gives a CoP whose channel could not be created the current channel.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from copbot import cops
from copbot.clock import utcnow, zone
from copbot.errors import UserError
from copbot.vocabulary import CopScope, SchoolLevel, StageOfDevelopment
from handlers.delivery import tell_privately
from handlers.forms import FormValues
from handlers.home import refresh_home
from handlers.pdsa import PdsaRouter
from handlers.replies import ephemeral, view_submission
from messages.setup import CALLBACK_ID, USE_THIS_CHANNEL, linked, setup_trouble, setup_view, welcome
from storage.idempotency import first_delivery, view_submission_key

log = logging.getLogger(__name__)
NAME_ATTEMPTS = 20


def register(app: App, pdsa: PdsaRouter) -> None:
    pdsa.add("setup", summary="Create a Community of Practice: convenings, facilitators and its channel",
             example="/pdsa setup", run=open_setup)
    app.view(CALLBACK_ID)(save_setup)


def can_link(channel_id: str) -> bool:
    """Public (C) and private (G) channels can become a CoP channel; direct messages cannot."""
    return channel_id[:1] in ("C", "G")


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


@dataclass
class ChannelSetup:
    """The Slack side of a new CoP, after it is saved: channel, invitations, welcome.

    Each failure is logged and collected in ``problems`` (one sentence each, with what to do).
    """

    cop_id: int
    cop_name: str
    user_id: str
    origin_channel: str
    create: bool
    channel_id: str | None = None
    problems: list[str] = field(default_factory=list)

    def run(self, client: Any, context: Any, *, facilitators: list[str], convenings: list[date],
            focus_area: str, school_year: str) -> None:
        database = context["database"]
        if self.create:
            self.create_channel(client, context)
        else:
            self.join_channel(client)
        if self.channel_id:
            invitees = [*facilitators, self.user_id] if self.create else facilitators
            self.invite(client, invitees)
            text, blocks = welcome(cop_name=self.cop_name, user_id=self.user_id, convenings=convenings,
                                   facilitators=facilitators, focus_area=focus_area, school_year=school_year)
            self.call("post the welcome message", "Invite copbot to the channel with `/invite @copbot`.",
                      client.chat_postMessage, channel=self.channel_id, text=text, blocks=blocks)
        if self.problems:
            self.tell_user(client)
        refresh_home(client, database, context.team_id, [self.user_id, *facilitators])

    def call(self, doing: str, fix: str, method: Any, **kwargs: Any) -> dict | None:
        try:
            return method(**kwargs)
        except SlackApiError as error:
            code = error.response.get("error", "unknown_error")
            log.warning("CoP %s: could not %s: %s", self.cop_id, doing, code)
            self.problems.append(f"copbot could not {doing} ({code}). {fix}")
            return None

    def create_channel(self, client: Any, context: Any) -> None:
        for attempt in range(1, NAME_ATTEMPTS + 1):
            name = cops.channel_name_for(self.cop_name, attempt)
            try:
                response = client.conversations_create(name=name)
            except SlackApiError as error:
                if error.response.get("error") == "name_taken":
                    continue
                code = error.response.get("error", "unknown_error")
                log.warning("CoP %s: could not create channel %s: %s", self.cop_id, name, code)
                self.problems.append(
                    f"copbot could not create the channel #{name} ({code}). Create a channel yourself, "
                    "invite copbot (`/invite @copbot`) and run `/pdsa setup link` in it."
                )
                return
            self.channel_id = response["channel"]["id"]
            with context["database"].session() as session:
                cops.link_channel(session, team_id=context.team_id, cop_id=self.cop_id, channel_id=self.channel_id)
            return
        self.problems.append(
            f"every channel name from #{cops.channel_name_for(self.cop_name)} on is taken. Create a channel "
            "yourself, invite copbot (`/invite @copbot`) and run `/pdsa setup link` in it."
        )

    def join_channel(self, client: Any) -> None:
        self.call("join this channel", "If it is private, invite copbot with `/invite @copbot`.",
                  client.conversations_join, channel=self.channel_id)

    def invite(self, client: Any, users: list[str]) -> None:
        for user in dict.fromkeys(users):
            try:
                client.conversations_invite(channel=self.channel_id, users=user)
            except SlackApiError as error:
                code = error.response.get("error", "unknown_error")
                if code in ("already_in_channel", "cant_invite_self"):
                    continue
                log.warning("CoP %s: could not invite %s: %s", self.cop_id, user, code)
                self.problems.append(f"copbot could not invite <@{user}> ({code}). Invite them yourself.")

    def tell_user(self, client: Any) -> None:
        text, blocks = setup_trouble(cop_name=self.cop_name, problems=self.problems)
        tell_privately(client, user_id=self.user_id, channel_id=self.origin_channel, text=text, blocks=blocks)
