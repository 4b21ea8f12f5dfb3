"""/pdsa progress [school]: where each school stands against the year's requirements (ephemeral)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from copbot.clock import in_zone, utcnow
from copbot.errors import UserError
from copbot.membership import cop_for_channel, editable_teams
from copbot.progress import progress_of_teams
from copbot.team_choice import choose_school_team
from handlers.pdsa import PdsaRouter
from messages.progress import progress_message
from storage.models import Cop


def register(app: App, pdsa: PdsaRouter) -> None:
    def progress(ack: Any, command: dict, context: Any, args: str, **_: Any) -> None:
        team_id, user_id, channel_id = context.team_id, command["user_id"], command.get("channel_id")
        with context["database"].session() as session:
            if args:
                teams = [choose_school_team(session, team_id=team_id, user_id=user_id, channel_id=channel_id,
                                            words=args).team]
            else:
                cop = cop_for_channel(session, team_id=team_id, channel_id=channel_id)
                teams = editable_teams(session, team_id=team_id, user_id=user_id, cop_id=cop.id if cop else None)
            if not teams:
                raise UserError("You are not on a school team and do not facilitate a CoP here, "
                                "so there is no progress to show.")
            timezone = session.get(Cop, teams[0].cop_id).timezone
            today = in_zone(utcnow(), timezone).date()
            by_team = progress_of_teams(session, team_id=team_id, days={team.id: today for team in teams[:20]})
            progresses = [by_team[team.id] for team in teams[:20]]
        text, blocks = progress_message(progresses)
        ack(response_type="ephemeral", text=text, blocks=blocks)

    pdsa.add("progress", summary="Cycles, Do meetings and SSC reports against the year's requirements",
             example="/pdsa progress", run=progress)
