"""/pdsa mine [YYYY-MM]: what did I record this month (in my time zone)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from copbot.clock import in_zone, utcnow
from copbot.my_records import parse_month, records_for_month
from copbot.user_zones import cached_timezone
from handlers.pdsa import PdsaRouter
from messages.mine import my_month

log = logging.getLogger(__name__)


def slack_timezone(client: Any, user_id: str) -> str | None:
    """The person's time zone from users.info, or None when Slack cannot say."""
    try:
        return client.users_info(user=user_id)["user"].get("tz")
    except SlackApiError as error:
        log.warning("users.info for %s failed: %s", user_id, error.response.get("error"))
        return None


def register(app: App, pdsa: PdsaRouter) -> None:
    def run_mine(ack: Any, command: dict, client: Any, context: Any, respond: Any, args: str, **_: Any) -> None:
        ack()  # users.info may be slow: answer through response_url
        team_id, user_id, now = context.team_id, command["user_id"], utcnow()
        with context["database"].session() as session:
            tz = cached_timezone(session, team_id=team_id, user_id=user_id,
                                 lookup=lambda: slack_timezone(client, user_id), at=now)
            month = parse_month(args, today=in_zone(now, tz).date())
            found = records_for_month(session, team_id=team_id, user_id=user_id, month=month, tz_name=tz)
        text, blocks = my_month(found)
        respond(response_type="ephemeral", text=text, blocks=blocks)

    pdsa.add("mine", summary="What you recorded this month (or another: YYYY-MM)", example="/pdsa mine 2025-11",
             run=run_mine)
