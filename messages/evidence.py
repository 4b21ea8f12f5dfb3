"""The evidence modal (/pdsa evidence) and the "Save as evidence" message shortcut's modal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from copbot.privacy import CHECKED_LABEL
from copbot.vocabulary import EvidenceFocus, EvidenceKind, Stage
from messages.blocks import SECTION_TEXT_LIMIT, as_view, clip, context, mrkdwn_escape, section
from messages.inputs import (
    checkboxes_input,
    date_input,
    number_input,
    radio_input,
    select_input,
    text_input,
    url_input,
)
from messages.privacy import privacy_warning_blocks
from messages.team_choice import metadata, with_team_select
from storage.models import Cycle, EvidenceItem, SchoolTeam

CALLBACK_ID = "evidence_modal"
MESSAGE_CALLBACK_ID = "message_evidence_modal"
MESSAGE_TEXT_LIMIT = 2500
LINK_SHOWN_LIMIT = 500
ITEM_LIMIT = 160
PRIVACY_FIELD = "privacy_ok"
PRIVACY_CHECKED = "checked"


@dataclass(frozen=True)
class SavedMessage:
    """The Slack message being saved as evidence."""

    channel_id: str
    ts: str
    author_id: str
    text: str
    permalink: str | None
    file_links: tuple[tuple[str, str], ...] = ()  # (name, permalink)

    def description(self) -> str:
        """The evidence description the modal starts with: text (clipped), files, author."""
        lines = [clip(self.text.strip(), MESSAGE_TEXT_LIMIT)] if self.text.strip() else []
        lines += [f"File: {name} {link}" for name, link in self.file_links]
        lines.append(f"(Posted by <@{self.author_id}>)" if self.author_id else "")
        return "\n".join(line for line in lines if line)


def _header(school_team: SchoolTeam, cycle: Cycle, count: int) -> list[Block]:
    stage = Stage(cycle.stage)
    blocks: list[Block] = [context(
        f"*{mrkdwn_escape(school_team.school_name)}* · cycle {cycle.number} ({stage.label}) · "
        f"{count} evidence item{'s' if count != 1 else ''} so far"
    )]
    if stage not in (Stage.DO, Stage.STUDY):
        blocks.append(section(f":warning: Cycle {cycle.number} is in {stage.label}: evidence is added while a cycle "
                              "is in Do or Study."))
    return blocks


def _tags(focus: str | None = None, kind: str | None = None) -> list[Block]:
    return [
        radio_input("focus", "What does it show?", EvidenceFocus.choices(), initial=focus),
        select_input("kind", "Kind of evidence", EvidenceKind.choices(), initial=kind),
    ]


def privacy_checkbox(*, checked: bool = False) -> Block:
    """The optional "I checked" box that lets a description copbot flagged be saved anyway."""
    return checkboxes_input(PRIVACY_FIELD, "Student privacy", [(PRIVACY_CHECKED, CHECKED_LABEL)],
                            initial=[PRIVACY_CHECKED] if checked else [])


def evidence_modal(*, school_team: SchoolTeam, teams: Sequence[SchoolTeam], cycle: Cycle,
                   count: int) -> dict[str, Any]:
    blocks = [
        *_header(school_team, cycle, count),
        *_tags(),
        text_input("description", "Description", multiline=True,
                   placeholder="What it is and what it shows"),
        privacy_checkbox(),
        url_input("link", "Link", hint="Optional: a web link to the artifact (https://...)."),
        section("*Measured value* (optional; feeds the run chart): give the measure's name, the value and "
                "the date together."),
        text_input("measure_name", "Measure", optional=True, max_length=200,
                   placeholder="e.g. % of students citing text evidence"),
        number_input("measured_value", "Value"),
        date_input("measured_on", "Measured on", optional=True),
    ]
    return as_view(View(
        type="modal", callback_id=CALLBACK_ID, title="Add evidence", submit="Save", close="Cancel",
        blocks=with_team_select(blocks, teams, school_team),
        private_metadata=metadata(teams, school_team, cycle_id=cycle.id),
    ))


def message_evidence_modal(message: SavedMessage, *, school_team: SchoolTeam, teams: Sequence[SchoolTeam],
                           cycle: Cycle, count: int, description: str | None = None,
                           focus: str | None = None, kind: str | None = None,
                           privacy_warnings: Sequence[str] = (), privacy_checked: bool = False) -> dict[str, Any]:
    """The shortcut's modal; ``privacy_warnings`` (what copbot.privacy spotted in the pre-filled
    description) are shown at the top."""
    author = f"<@{message.author_id}>'s message" if message.author_id else "A message"
    where = f"{author} in <#{message.channel_id}>"
    if message.permalink:
        where += f" · <{clip(message.permalink, LINK_SHOWN_LIMIT)}|open it>"
    blocks = [
        *_header(school_team, cycle, count),
        context(f"{where} becomes evidence of cycle {cycle.number}."),
        *_tags(focus, kind),
        text_input("description", "Description", initial=description or message.description(), multiline=True),
        privacy_checkbox(checked=privacy_checked),
    ]
    return as_view(View(
        type="modal", callback_id=MESSAGE_CALLBACK_ID, title="Save as evidence", submit="Save", close="Cancel",
        blocks=[*privacy_warning_blocks(list(privacy_warnings)), *with_team_select(blocks, teams, school_team)],
        private_metadata=metadata(
            teams, school_team, cycle_id=cycle.id, channel=message.channel_id, ts=message.ts,
            author=message.author_id, link=(message.permalink or "")[:LINK_SHOWN_LIMIT],
        ),
    ))


def evidence_line(item: EvidenceItem) -> str:
    tags = f"{EvidenceFocus(item.focus).label} · {EvidenceKind(item.kind).label}"
    line = f"• _{tags}_: {mrkdwn_escape(clip(item.description.replace(chr(10), ' '), ITEM_LIMIT))}"
    if item.measure_name and item.measured_value is not None:
        line += f" ({mrkdwn_escape(item.measure_name)} = {item.measured_value:g})"
    if item.link and not set("<>| ") & set(item.link):
        line += f" <{item.link}|link>"
    return line


def evidence_summary_text(items: Sequence[EvidenceItem]) -> str:
    """mrkdwn: how many items and the list, cut to one section with a note of what was left out."""
    if not items:
        return "*Evidence gathered*: none yet. Add some with `/pdsa evidence` or the \"Save as evidence\" shortcut."
    head = f"*Evidence gathered*: {len(items)} item{'s' if len(items) != 1 else ''}"
    lines: list[str] = []
    used = len(head) + 40
    for item in items:
        line = evidence_line(item)
        if used + len(line) + 1 > SECTION_TEXT_LIMIT:
            lines.append(f"… and {len(items) - len(lines)} more")
            break
        lines.append(line)
        used += len(line) + 1
    return clip(head + "\n" + "\n".join(lines), SECTION_TEXT_LIMIT)
