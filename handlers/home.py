"""App Home: published when someone opens copbot's Home tab, and after they save something.

Other features refresh it after a save with ``refresh_home(client, database, team_id, [user_id])``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from typing import Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from copbot.progress import progress_of_teams
from copbot.status import overview_for_user
from handlers.pdsa import PdsaRouter
from handlers.replies import action
from messages.home import home_view
from storage.db import Database

log = logging.getLogger(__name__)


def publish_home(client: Any, session: Session, team_id: str, user_id: str, today: date | None = None) -> None:
    """Build and publish the person's Home tab (``today`` None: each CoP's today in its time zone)."""
    overview = overview_for_user(session, team_id=team_id, user_id=user_id, today=today)
    progress = progress_of_teams(session, team_id=team_id,
                                 days={t.team.id: entry.today for entry in overview for t in entry.teams})
    client.views_publish(user_id=user_id, view=home_view(overview, progress))


def refresh_home(client: Any, database: Database, team_id: str, user_ids: Iterable[str]) -> None:
    """Republish Home for each person after a save; a Slack error is logged, never raised."""
    for user_id in dict.fromkeys(user_ids):
        try:
            with database.session() as session:
                publish_home(client, session, team_id, user_id)
        except SlackApiError as error:
            log.warning("could not refresh Home of %s in %s: %s", user_id, team_id, error.response.get("error"))


def register(app: App, pdsa: PdsaRouter) -> None:
    app.event("app_home_opened")(show_home)


@action
def show_home(event: dict, client: Any, context: Any, **_: Any) -> None:
    if event.get("tab", "home") != "home":
        return
    with context["database"].session() as session:
        publish_home(client, session, context.team_id, event["user"])
