"""A new CoP's channel, after the CoP is saved: link or create it, invite the facilitators, welcome them.

Slack may refuse any step (name taken, missing scope, private channel): each refusal is logged and
the person who ran /pdsa setup is told privately what to do. Nothing here undoes the saved CoP.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from slack_sdk.errors import SlackApiError

from copbot import cops
from handlers.delivery import tell_privately
from handlers.home import refresh_home
from messages.setup import setup_trouble, welcome

log = logging.getLogger(__name__)
NAME_ATTEMPTS = 20


def can_link(channel_id: str) -> bool:
    """Public (C) and private (G) channels can become a CoP channel; direct messages cannot."""
    return channel_id[:1] in ("C", "G")


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
