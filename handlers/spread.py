"""Delivering "spreading what works" suggestions after an Act decision is saved.

The Act feature calls ``deliver_suggestions`` once its Act decision is committed:
``deliver_suggestions(client, context["database"], team_id=context.team_id, act_decision_id=act.id)``.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from copbot.spread import suggest_strategy
from messages.spread import suggestion_message
from storage.db import Database

log = logging.getLogger(__name__)


def deliver_suggestions(client: Any, database: Database, *, team_id: str, act_decision_id: int) -> int:
    """Suggest a kept or scaled strategy to matching teams' CoP channels; returns how many were posted.

    The once-only rows are committed before anything is sent, so a retry never posts twice.
    A team whose CoP has no channel is recorded as told and skipped (logged).
    """
    with database.session() as session:
        suggestions = suggest_strategy(session, team_id=team_id, act_decision_id=act_decision_id)
    posted = 0
    for suggestion in suggestions:
        if not suggestion.channel_id:
            log.warning("spread: %s's CoP has no channel; suggestion for act %s not posted",
                        suggestion.school_name, act_decision_id)
            continue
        text, blocks = suggestion_message(suggestion)
        try:
            client.chat_postMessage(channel=suggestion.channel_id, text=text, blocks=blocks)
            posted += 1
        except SlackApiError:
            log.exception("spread: posting to %s for act %s failed", suggestion.channel_id, act_decision_id)
    return posted
