"""The School Site Council report modal."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.views import View

from messages.blocks import as_view, context, mrkdwn_escape
from messages.inputs import date_input, select_input, text_input
from messages.team_choice import metadata, with_team_select
from storage.models import Convening, SchoolTeam

CALLBACK_ID = "ssc_modal"


def convening_label(convening: Convening) -> str:
    return f"{convening.held_on:%b %-d, %Y}" + (f": {convening.title}" if convening.title else "")


def ssc_modal(*, school_team: SchoolTeam, teams: Sequence[SchoolTeam], convenings: Sequence[Convening],
              today: date) -> dict[str, Any]:
    blocks = [
        context(f"*{mrkdwn_escape(school_team.school_name)}*: report to your School Site Council after a "
                "convening, then revise the improvement plan with it."),
        date_input("reported_on", "SSC meeting date", initial=today),
    ]
    if convenings:
        blocks.append(select_input(
            "convening", "Convening it follows", [(str(c.id), convening_label(c)) for c in convenings],
            optional=True,
        ))
    blocks += [
        text_input("key_learnings", "Key learnings shared", multiline=True),
        text_input("ssc_feedback", "SSC feedback", multiline=True, optional=True),
        text_input("plan_changes", "Changes to the improvement plan", multiline=True, optional=True),
    ]
    return as_view(View(
        type="modal", callback_id=CALLBACK_ID, title="SSC report", submit="Save", close="Cancel",
        blocks=with_team_select(blocks, teams, school_team), private_metadata=metadata(teams, school_team),
    ))
