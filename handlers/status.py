"""/pdsa status [cycle N]: where each of the person's school teams stands, in one ephemeral message."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from copbot.cops import cop_today
from copbot.progress import progress_of_teams
from copbot.status import parse_cycle_number, statuses_for
from handlers.pdsa import PdsaRouter
from messages.status import status_message


def register(app: App, pdsa: PdsaRouter) -> None:
    pdsa.add("status", summary="Your team's cycle: step, what is done and missing, next deadline, overdue",
             example="/pdsa status cycle 2", run=show_status)


def show_status(ack: Any, command: dict, context: Any, args: str, **_: Any) -> None:
    number = parse_cycle_number(args)
    with context["database"].reading() as session:  # no write lock: status requests never queue
        reports = statuses_for(session, team_id=context.team_id, user_id=command["user_id"],
                               channel_id=command["channel_id"], number=number)
        progress = progress_of_teams(session, team_id=context.team_id,
                                     days={r.team.id: cop_today(r.cop) for r in reports})
    text, blocks = status_message(reports, number=number, progress=progress)
    ack(response_type="ephemeral", text=text, blocks=blocks)
