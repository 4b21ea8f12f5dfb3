"""/pdsa setup: the modal that creates a CoP, and the welcome posted in its channel."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from copbot.cops import DEFAULT_TIMEZONE, MAX_CONVENINGS, convening_field
from copbot.vocabulary import CopScope, SchoolLevel, StageOfDevelopment
from messages.blocks import as_message_blocks, as_view, context, fallback_text, header, mrkdwn_escape, section
from messages.inputs import date_input, option, radio_input, select_input, text_input, users_input

CALLBACK_ID = "setup_modal"
USE_THIS_CHANNEL = "this_channel"
CREATE_CHANNEL = "new_channel"


def setup_view(*, channel_id: str, can_link_channel: bool, school_year: str) -> dict[str, Any]:
    """The CoP setup modal. ``private_metadata`` keeps the channel the command ran in."""
    channel_options = [option(CREATE_CHANNEL, "Create a new channel for the CoP")]
    if can_link_channel:
        channel_options.insert(0, option(USE_THIS_CHANNEL, "Use this channel"))
    blocks: list[Block] = [
        text_input("name", "CoP name", placeholder="Middle School Engagement CoP", max_length=200),
        text_input("focus_area", "Focus area", placeholder="Suspension, Attendance, English Language Arts…",
                   max_length=200),
        select_input("school_level", "School level", [option(v, label) for v, label in SchoolLevel.choices()],
                     initial=SchoolLevel.MIDDLE.value),
        radio_input("scope", "Intra- or inter-district", [option(v, label) for v, label in CopScope.choices()],
                    initial=CopScope.INTRA_DISTRICT.value),
        text_input("districts", "District(s)", placeholder="Fresno Unified, Sanger Unified",
                   hint="Separate several districts with commas.", max_length=1000),
        text_input("school_year", "School year", initial=school_year, max_length=7, hint="YYYY-YY, e.g. 2025-26"),
    ]
    for position in range(1, MAX_CONVENINGS + 1):
        blocks.append(date_input(
            convening_field(position), f"Convening {position}", optional=True,
            hint="At least two convenings, in date order. Plan of cycle n happens at convening n, its Study at "
                 "convening n+1." if position == 1 else None,
        ))
    blocks += [
        select_input("stage", "Stage of development",
                     [option(v, label) for v, label in StageOfDevelopment.choices()],
                     initial=StageOfDevelopment.POTENTIAL.value),
        text_input("timezone", "Time zone", initial=DEFAULT_TIMEZONE, max_length=64,
                   hint="Deadlines and reminders follow this zone."),
        users_input("facilitators", "Facilitators", hint="At least one; they can add school teams."),
        radio_input("channel_choice", "CoP channel", channel_options, initial=channel_options[0].value),
    ]
    view = View(type="modal", callback_id=CALLBACK_ID, title="Set up a CoP", submit="Create CoP",
                close="Cancel", blocks=blocks, private_metadata=json.dumps({"channel_id": channel_id}))
    return as_view(view)


def welcome(*, cop_name: str, user_id: str, convenings: Sequence[date], facilitators: Sequence[str],
            focus_area: str, school_year: str) -> tuple[str, list[dict[str, Any]]]:
    """The first message in a CoP's channel: convenings and what to do next."""
    dates = "\n".join(f"• Convening {n}: {day.strftime('%a %b %-d, %Y')}" for n, day in enumerate(convenings, 1))
    people = ", ".join(f"<@{user}>" for user in facilitators)
    blocks: list[Block] = [
        header(f"Welcome to {cop_name}"),
        section(f"<@{user_id}> set up this Community of Practice for {mrkdwn_escape(school_year)}"
                + (f", focused on *{mrkdwn_escape(focus_area)}*" if focus_area else "") + "."
                + f"\nFacilitators: {people}"),
        section(f"*Convenings*\n{dates}"),
        section("*Next steps*\n"
                "1. Facilitators add each school team: `/pdsa team`\n"
                "2. Each team writes its problem of practice: `/pdsa pop`\n"
                "3. Plan cycle 1 at the first convening: `/pdsa plan`\n"
                "See where a team stands with `/pdsa status`, or open copbot's Home tab."),
        context("Type `/pdsa help` for every command."),
    ]
    return fallback_text(f"Welcome to {cop_name}"), as_message_blocks(blocks)


def setup_trouble(*, cop_name: str, problems: Sequence[str]) -> tuple[str, list[dict[str, Any]]]:
    """Private note when the CoP was saved but Slack refused part of the channel setup."""
    lines = "\n".join(f"• {problem}" for problem in problems)  # copbot's own sentences, with <@user> mentions
    text = (f":warning: *{mrkdwn_escape(cop_name)}* is saved (no need to set it up again), but Slack "
            f"refused part of the channel setup:\n{lines}")
    plain = fallback_text(f"{cop_name} is saved, but the channel setup is incomplete")
    return plain, as_message_blocks([section(text)])


def linked(*, cop_name: str) -> str:
    return f"This channel is now {cop_name}'s channel."
