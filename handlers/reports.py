"""/pdsa report ssc|plan|district: build the report after the ack and upload it as files."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from copbot.clock import in_zone, utcnow
from copbot.reports import district_summary, improvement_plan_summary, ssc_summary
from copbot.team_choice import choose_school_team
from handlers.file_uploads import destination, upload_files
from handlers.pdsa import PdsaRouter
from messages.reports import (
    REPORT_KINDS,
    district_comment,
    district_report_files,
    plan_comment,
    plan_report_files,
    report_usage,
    ssc_comment,
    ssc_report_files,
    working_on,
)
from storage.models import Cop

log = logging.getLogger(__name__)


def is_workspace_admin(client: Any, user_id: str) -> bool:
    """Whether Slack says the person is a workspace admin or owner (users.info)."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as error:
        log.warning("users.info failed for %s: %s", user_id, error.response.get("error"))
        return False
    return bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))


def register(app: App, pdsa: PdsaRouter) -> None:
    def report(ack: Any, command: dict, client: Any, context: Any, respond: Any, args: str, **_: Any) -> None:
        kind, _, rest = args.partition(" ")
        kind = kind.lower()
        if kind not in REPORT_KINDS:
            ack(response_type="ephemeral", text=report_usage())
            return
        ack(response_type="ephemeral", text=working_on(kind))
        team_id, user_id, channel_id = context.team_id, command["user_id"], command.get("channel_id")
        with context["database"].session() as session:
            if kind == "district":
                summary = district_summary(session, team_id=team_id, user_id=user_id,
                                           is_workspace_admin=is_workspace_admin(client, user_id),
                                           today=utcnow().date())
                files, comment, cop_channel = district_report_files(summary), district_comment(summary), None
            else:
                team = choose_school_team(session, team_id=team_id, user_id=user_id, channel_id=channel_id,
                                          words=rest).team
                cop = session.get(Cop, team.cop_id)
                today = in_zone(utcnow(), cop.timezone).date()
                cop_channel = cop.channel_id
                if kind == "ssc":
                    ssc = ssc_summary(session, team_id=team_id, school_team_id=team.id, today=today)
                    files, comment = ssc_report_files(ssc), ssc_comment(ssc)
                else:
                    plan = improvement_plan_summary(session, team_id=team_id, school_team_id=team.id, today=today)
                    files, comment = plan_report_files(plan), plan_comment(plan)
        channel = destination(client, asked_in=channel_id, cop_channel_id=cop_channel, user_id=user_id)
        upload_files(client, channel=channel, files=files, comment=comment)

    pdsa.add("report", summary="Reports as files: `ssc` (School Site Council), `plan` (School Improvement Plan), "
             "`district` (what worked, facilitators)", example="/pdsa report ssc", run=report)
