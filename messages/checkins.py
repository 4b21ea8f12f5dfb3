"""The facilitator check-in modal."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.views import View

from copbot.vocabulary import CheckinKind
from messages.blocks import as_view, context, mrkdwn_escape
from messages.inputs import date_input, select_input, text_input
from storage.models import Cop, SchoolTeam

CALLBACK_ID = "checkin_modal"


def checkin_modal(*, cop: Cop, teams: Sequence[SchoolTeam], today: date,
                  school_team_id: int | None = None) -> dict[str, Any]:
    blocks = [
        context(f"*{mrkdwn_escape(cop.name)}*: facilitator check-in notes. The CoP channel sees that a "
                "check-in was recorded, not the notes."),
        select_input("kind", "Check-in", CheckinKind.choices(),
                     initial=CheckinKind.TEAM.value if school_team_id else None),
        date_input("held_on", "Date", initial=today),
    ]
    if teams:
        blocks.append(select_input("checkin_team", "School team", [(str(t.id), t.school_name) for t in teams],
                                   initial=str(school_team_id) if school_team_id else None, optional=True,
                                   hint="Required for a check-in with a school team."))
    blocks.append(text_input("notes", "Notes", multiline=True))
    return as_view(View(
        type="modal", callback_id=CALLBACK_ID, title="Facilitator check-in", submit="Save", close="Cancel",
        blocks=blocks, private_metadata=json.dumps({"cop_id": cop.id}),
    ))
