"""/pdsa chart [school] [measure]: a PNG run chart of one measure across the team's cycles."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from copbot.run_chart import run_chart
from copbot.team_choice import choose_school_team
from handlers.file_uploads import destination, upload_files
from handlers.pdsa import PdsaRouter
from messages.reports import ReportFile
from messages.run_chart import chart_comment, chart_filename, run_chart_png
from storage.models import Cop


def register(app: App, pdsa: PdsaRouter) -> None:
    def chart(ack: Any, command: dict, client: Any, context: Any, args: str, **_: Any) -> None:
        team_id, user_id, channel_id = context.team_id, command["user_id"], command.get("channel_id")
        with context["database"].session() as session:
            choice = choose_school_team(session, team_id=team_id, user_id=user_id, channel_id=channel_id,
                                        words=args)
            data = run_chart(session, team_id=team_id, school_team_id=choice.team.id, measure=choice.rest)
            cop_channel = session.get(Cop, choice.team.cop_id).channel_id
        ack(response_type="ephemeral", text=f"Drawing the run chart of “{data.measure}” for {data.school}…")
        png = ReportFile(chart_filename(data), f"Run chart: {data.school}, {data.measure}", run_chart_png(data))
        channel = destination(client, asked_in=channel_id, cop_channel_id=cop_channel, user_id=user_id)
        upload_files(client, channel=channel, files=[png], comment=chart_comment(data))

    pdsa.add("chart", summary="Post a run chart of a measure across your cycles (median, cycles, signals)",
             example="/pdsa chart attendance", run=chart)
