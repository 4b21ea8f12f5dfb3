"""The school team picker shared by the step modals, their private metadata, and notice modals."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block, InputBlock
from slack_sdk.models.views import View

from messages.blocks import as_view, clip, section
from messages.inputs import select_input
from storage.models import SchoolTeam

TEAM_FIELD = "school_team"
METADATA_LIMIT = 3000


def team_select(teams: Sequence[SchoolTeam], selected: SchoolTeam) -> InputBlock | None:
    """A "school_team" select when the person may record for several teams, else None.

    Changing it reloads the modal for the chosen team (dispatch_action).
    """
    if len(teams) < 2:
        return None
    return select_input(
        TEAM_FIELD, "School team", [(str(team.id), team.school_name) for team in teams],
        initial=str(selected.id), dispatch_action=True,
        hint="You may record for several teams; the form shows the team picked here.",
    )


def with_team_select(blocks: Sequence[Block], teams: Sequence[SchoolTeam], selected: SchoolTeam) -> list[Block]:
    select = team_select(teams, selected)
    return [select, *blocks] if select else list(blocks)


def metadata(teams: Sequence[SchoolTeam], selected: SchoolTeam, **extra: Any) -> str:
    """private_metadata JSON: the team shown, the teams offered, and the form's own context."""
    data = {"school_team_id": selected.id, "team_ids": [team.id for team in teams], **extra}
    raw = json.dumps(data, separators=(",", ":"))
    if len(raw) > METADATA_LIMIT:
        data["team_ids"] = [selected.id]
        raw = json.dumps(data, separators=(",", ":"))
    return raw


def notice_view(title: str, text: str) -> dict[str, Any]:
    """A modal that only says something (e.g. why a button cannot open its form)."""
    return as_view(View(type="modal", title=clip(title, 24), close="Close", blocks=[section(text)]))
