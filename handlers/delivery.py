"""Delivering copbot's notes after the ack: to a CoP channel, privately to one person, or in a modal.

Slack errors here are logged and swallowed: what was saved stays saved, and the person still gets
the note by another route where one exists.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from copbot.errors import UserError
from messages.notices import notice_view

log = logging.getLogger(__name__)


def post_in_channel(client: Any, channel_id: str | None, text: str, blocks: list[dict]) -> bool:
    """Post to a CoP channel; False (logged) when there is no channel or Slack refuses."""
    if not channel_id:
        return False
    try:
        client.chat_postMessage(channel=channel_id, text=text, blocks=blocks)
        return True
    except SlackApiError as error:
        log.warning("could not post in %s: %s", channel_id, error.response.get("error"))
        return False


def tell_privately(client: Any, *, user_id: str, channel_id: str | None, text: str,
                   blocks: list[dict] | None = None) -> bool:
    """An ephemeral note in ``channel_id`` if possible, else a direct message."""
    if channel_id and channel_id[:1] in ("C", "G"):
        try:
            client.chat_postEphemeral(channel=channel_id, user=user_id, text=text, blocks=blocks)
            return True
        except SlackApiError as error:
            log.info("ephemeral note to %s in %s failed (%s); sending a DM", user_id, channel_id,
                     error.response.get("error"))
    try:
        client.chat_postMessage(channel=user_id, text=text, blocks=blocks)
        return True
    except SlackApiError as error:
        log.error("could not tell %s: %s (%s)", user_id, text, error.response.get("error"))
        return False


def explain_in_modal(client: Any, trigger_id: str, error: UserError) -> None:
    """For buttons on App Home, where an ephemeral reply cannot be shown: the refusal in a small modal."""
    try:
        client.views_open(trigger_id=trigger_id, view=notice_view(error.message))
    except SlackApiError as slack_error:
        log.warning("could not explain %r: %s", error.message, slack_error.response.get("error"))
