"""app_uninstalled and tokens_revoked: copbot stops sending to the workspace and forgets its tokens.

Slack may deliver an event more than once (X-Slack-Retry-Num); handling it again changes nothing.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from copbot.clock import utcnow
from copbot.workspaces import record_uninstall
from handlers.pdsa import PdsaRouter
from handlers.replies import action


def register(app: App, pdsa: PdsaRouter) -> None:
    @action
    def app_uninstalled(context: BoltContext, logger: Any, **_: Any) -> None:
        forget(context, logger, reason="app_uninstalled")

    @action
    def tokens_revoked(event: dict, context: BoltContext, logger: Any, **_: Any) -> None:
        if (event.get("tokens") or {}).get("bot"):
            forget(context, logger, reason="bot token revoked")

    app.event("app_uninstalled")(app_uninstalled)
    app.event("tokens_revoked")(tokens_revoked)


def forget(context: BoltContext, logger: Any, *, reason: str) -> None:
    team_id = context.team_id
    if not team_id:
        return
    with context["database"].session() as session:
        record_uninstall(session, team_id=team_id, at=utcnow())
    logger.info("workspace %s is no longer reachable (%s): sends stopped, tokens deleted", team_id, reason)
