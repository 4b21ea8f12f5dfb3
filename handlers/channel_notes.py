"""Posting a step's confirmation in the CoP's channel, after the submission was acked."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError

log = logging.getLogger("copbot.handlers")


@dataclass(frozen=True)
class Note:
    """A confirmation (fallback text, blocks) for a CoP channel (None when the CoP has none)."""

    channel_id: str | None
    message: tuple[str, list[dict[str, Any]]]

    def post(self, client: Any) -> None:
        """Post it; a failure is logged with Slack's error, the record stays saved."""
        if not self.channel_id:
            return
        text, blocks = self.message
        try:
            client.chat_postMessage(channel=self.channel_id, text=text, blocks=blocks)
        except SlackApiError as error:
            log.warning("could not post confirmation to %s: %s", self.channel_id, error.response.get("error"))
