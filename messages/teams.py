"""/pdsa team: the team picker (new team or an existing one), the team form, and the saved note."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from copbot.teams import ADD_RULE, TEAM_ROLES, TeamChoices
from copbot.vocabulary import Role, SupportType
from messages.blocks import as_view, context, section
from messages.inputs import option, option_group, radio_input, select_input, text_input, users_input
from storage.models import Cop, SchoolTeam

PICK_CALLBACK_ID = "team_pick_modal"
CALLBACK_ID = "team_modal"
NEW = "new"
ROLE_LABELS = {
    Role.IMPLEMENTING_TEACHER: "Implementing teachers",
    Role.OBSERVER: "Observers",
    Role.NOTE_TAKER: "Note taker",
    Role.SITE_DECISION_MAKER: "Site decision maker",
}
ROLE_HINTS = {
    Role.IMPLEMENTING_TEACHER: "Teachers trying the strategy in their classrooms.",
    Role.OBSERVER: "Peer teacher, coach, teacher leader or TOSA who observes.",
    Role.NOTE_TAKER: "Keeps the team's notes at Do meetings.",
    Role.SITE_DECISION_MAKER: "Principal or administrator who can decide at the site.",
}


def choice_value(*, cop_id: int, school_team_id: int | None) -> str:
    return f"{NEW}:{cop_id}" if school_team_id is None else f"team:{school_team_id}"


def parse_choice(value: str) -> tuple[str, int]:
    """'new:<cop id>' or 'team:<school team id>' -> (kind, id)."""
    kind, _, number = value.partition(":")
    return kind, int(number)


def picker_view(choices: TeamChoices, cops: Sequence[Cop], *, channel_id: str) -> dict[str, Any]:
    """First step when there is a choice: add a team (to which CoP) or edit which team."""
    groups = []
    can_add = {cop.id for cop in choices.can_add}
    for cop in cops:
        options = [option(choice_value(cop_id=cop.id, school_team_id=None), "➕ New school team")] \
            if cop.id in can_add else []
        options += [option(choice_value(cop_id=cop.id, school_team_id=team.id), team.school_name)
                    for team in choices.can_edit if team.cop_id == cop.id]
        if options:
            groups.append(option_group(cop.name, options))
    every = [o for group in groups for o in group.options]
    blocks: list[Block] = [
        select_input("team_choice", "School team", [] if len(groups) > 1 else every,
                     groups=groups if len(groups) > 1 else None, initial=every[0].value),
        context(ADD_RULE),
    ]
    view = View(type="modal", callback_id=PICK_CALLBACK_ID, title="School team", submit="Next", close="Cancel",
                blocks=blocks, private_metadata=json.dumps({"channel_id": channel_id}))
    return as_view(view)


def team_view(*, cop: Cop, team: SchoolTeam | None, members: dict[Role, list[str]], channel_id: str,
              school_name: str = "") -> dict[str, Any]:
    """The team form, pre-filled when ``team`` exists."""
    blocks: list[Block] = [
        section(f"*{'Edit' if team else 'Add'} a school team* in {cop.name}"),
        text_input("school_name", "School", initial=team.school_name if team else school_name, max_length=200,
                   placeholder="Lincoln Middle School"),
        text_input("district", "District", initial=team.district if team else (cop.districts or [""])[0],
                   max_length=200),
        radio_input("support_type", "Support type", [option(v, label) for v, label in SupportType.choices()],
                    initial=team.support_type if team else SupportType.FOCUS.value),
        text_input("subgroups", "Student subgroups", optional=True, max_length=1000,
                   initial=", ".join(team.subgroups) if team else None,
                   placeholder="English learners, Students with disabilities",
                   hint="Separate several subgroups with commas. Focus schools name the subgroup(s) behind "
                        "their designation."),
    ]
    for role in TEAM_ROLES:
        blocks.append(users_input(role.value, ROLE_LABELS[role], initial=members.get(role, []), optional=True,
                                  hint=ROLE_HINTS[role]))
    blocks.append(context("A school team usually has 4-7 people. " + ADD_RULE))
    metadata = {"cop_id": cop.id, "school_team_id": team.id if team else None, "channel_id": channel_id}
    view = View(type="modal", callback_id=CALLBACK_ID, title="Edit school team" if team else "Add a school team",
                submit="Save team", close="Cancel", blocks=blocks, private_metadata=json.dumps(metadata))
    return as_view(view)


def saved_detail(*, created: bool, cycle_number: int | None, warnings: Sequence[str]) -> str:
    """The line under the channel confirmation: cycle opened and the size warnings."""
    parts = [f"Cycle {cycle_number} is open: plan it at the next convening with /pdsa plan."] \
        if created and cycle_number else []
    parts += [f"⚠ {warning}" for warning in warnings]
    return " ".join(parts)
