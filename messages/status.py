"""A school team's cycle status in words: shared by /pdsa status and App Home."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import Block

from copbot.progress import Progress
from copbot.status import CycleStatus, TeamStatus
from messages.blocks import as_message_blocks, context, divider, fallback_text, mrkdwn_escape, section
from messages.progress import progress_lines


def day(value: date) -> str:
    return value.strftime("%a %b %-d")


def status_summary(status: CycleStatus) -> str:
    """Cycle, step, done, missing, next deadline and overdue items, as mrkdwn lines."""
    lines = [f"*Cycle {status.number}* ({mrkdwn_escape(status.school_year)}) · step: *{status.stage.label}*"]
    if not status.has_problem:
        lines.append(":memo: No problem of practice yet: `/pdsa pop`")
    if status.done:
        lines.append(":white_check_mark: Done: " + ", ".join(status.done))
    if status.missing:
        lines.append(":white_square: Missing: " + ", ".join(status.missing))
    if status.next_deadline:
        lines.append(f":calendar: Next: {status.next_deadline.what}, {day(status.next_deadline.due_on)}")
    if status.overdue:
        lines.append(":warning: Overdue: " + ", ".join(f"{d.what} (due {day(d.due_on)})" for d in status.overdue))
    return "\n".join(lines)


def status_message(reports: Sequence[TeamStatus], *, number: int | None = None,
                   progress: dict[int, Progress] | None = None) -> tuple[str, list[dict[str, Any]]]:
    """One ephemeral message with each team's cycle status and, when given, its progress this year."""
    blocks: list[Block] = []
    for report in reports:
        school = report.team.school_name
        title = f"*{mrkdwn_escape(school)}* · {mrkdwn_escape(report.cop.name)}"
        if report.status is None:
            missing = f"has no cycle {number} yet" if number else "has no open cycle"
            blocks.append(section(f"{title}\n{mrkdwn_escape(school)} {missing}."))
        else:
            blocks.append(section(f"{title}\n{status_summary(report.status)}"))
        if progress and report.team.id in progress:
            blocks.append(context("\n".join(progress_lines(progress[report.team.id]))))
        blocks.append(divider())
    if blocks:
        blocks.pop()
    blocks.append(context("Open copbot's Home tab for buttons to each step."))
    plain = "; ".join(
        f"{r.team.school_name}: cycle {r.status.number}, {r.status.stage.label}" if r.status
        else f"{r.team.school_name}: no cycle"
        for r in reports
    )
    return fallback_text(plain or "No school team"), as_message_blocks(blocks)
