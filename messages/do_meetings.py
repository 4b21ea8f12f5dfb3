"""The Do meeting modal: which of the three meetings, when, who came, notes; the game plan's five
questions; and at the end-of-cycle meeting, the learning questions to organise the data against."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from copbot.do_meetings import GAME_PLAN_PARTS, DoMeetingForm
from copbot.vocabulary import DoMeetingKind, Stage
from messages.blocks import as_view, context, divider, mrkdwn_escape, section
from messages.evidence import evidence_summary_text
from messages.inputs import date_input, select_input, text_input, users_input
from messages.learning_questions import questions_section
from messages.team_choice import metadata, with_team_select
from storage.models import SchoolTeam

CALLBACK_ID = "do_modal"
GAME_PLAN_LABELS = {
    "who": ("Who", "Who implements, who observes, who takes notes"),
    "what": ("What", "The strategy and the evidence each person collects"),
    "where": ("Where", "Classes, periods, settings"),
    "when": ("When", "Dates for teaching, observing and collecting"),
    "why": ("Why", "What the team expects to learn"),
}


def do_modal(form: DoMeetingForm, *, school_team: SchoolTeam, teams: Sequence[SchoolTeam]) -> dict[str, Any]:
    cycle, kind, meeting = form.cycle, form.kind, form.meeting
    blocks: list[Block] = [
        context(f"*{mrkdwn_escape(school_team.school_name)}* · cycle {cycle.number} ({Stage(cycle.stage).label})")
    ]
    if cycle.stage != Stage.DO:
        blocks.append(section(f":warning: Cycle {cycle.number} is in {Stage(cycle.stage).label}: Do meetings are "
                              "logged while a cycle is in Do."))
    blocks.append(select_input("kind", "Which meeting", DoMeetingKind.choices(), initial=kind.value,
                               dispatch_action=True))
    if meeting is not None:
        blocks.append(context(f"Editing the {kind.label.lower()} meeting logged for {meeting.held_on:%b %-d, %Y}."))
    blocks += [
        date_input("held_on", "Date held", initial=form.held_on),
        users_input("attendees", "Attendees", initial=form.attendees),
    ]
    if kind is DoMeetingKind.GAME_PLAN:
        blocks.append(section("*Game plan*: who, what, where, when and why."))
        for part in GAME_PLAN_PARTS:
            label, hint = GAME_PLAN_LABELS[part]
            blocks.append(text_input(part, label, initial=form.game_plan.parts.get(part), placeholder=hint))
    if kind is DoMeetingKind.END_OF_CYCLE:
        blocks += [
            divider(),
            questions_section(form.questions, intro="*Organise your data against each prediction* "
                              "(you record the results at Study):"),
            section(evidence_summary_text(form.evidence)),
        ]
    blocks.append(text_input("notes", "Notes", initial=form.notes, multiline=True,
                             optional=kind is DoMeetingKind.GAME_PLAN))
    return as_view(View(
        type="modal", callback_id=CALLBACK_ID, title="Do meeting", submit="Save", close="Cancel",
        blocks=with_team_select(blocks, teams, school_team),
        private_metadata=metadata(teams, school_team, cycle_id=cycle.id),
    ))
