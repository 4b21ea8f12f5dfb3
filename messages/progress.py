"""Progress against the year's requirements, as Block Kit (for App Home, /pdsa status, /pdsa progress)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block

from copbot.progress import Progress
from messages.blocks import as_message_blocks, context, fallback_text, mrkdwn_escape, section
from messages.templates import long_date

DONE, TODO, LATE = ":white_check_mark:", ":hourglass_flowing_sand:", ":warning:"


def _mark(met: bool, late: bool = False) -> str:
    if met:
        return DONE
    return LATE if late else TODO


def progress_lines(progress: Progress) -> list[str]:
    p = progress
    semester = (
        f"{_mark(p.first_semester_met, p.first_semester_over)} First semester (ends "
        f"{long_date(p.first_semester_ends)}): {p.first_semester_cycles} full cycle"
        f"{'s' if p.first_semester_cycles != 1 else ''} completed, 1 required"
    )
    return [
        f"{_mark(p.cycles_met)} Cycles completed: *{p.cycles_completed} of {p.cycles_required}*",
        semester,
        f"{_mark(p.do_meetings_met, late=True)} Do meetings held: *{p.do_meetings_held} of "
        f"{p.do_meetings_expected}* (3 per cycle that reached Do)",
        f"{_mark(p.ssc_reports_met, late=True)} SSC reports filed: *{p.ssc_reports_filed}* for "
        f"*{p.convenings_held}* convening{'s' if p.convenings_held != 1 else ''} held",
    ]


def progress_blocks(progress: Progress) -> list[Block]:
    """A heading line, the four requirement lines, and a note on the rules; Block objects to add to a view."""
    return [
        section(f"*{mrkdwn_escape(progress.school)}*: progress in {progress.school_year}\n"
                + "\n".join(progress_lines(progress))),
        context("Three full PDSA cycles a year, one by the end of the first semester; three Do meetings per "
                "cycle; an SSC report after each convening."),
    ]


def progress_message(progresses: Sequence[Progress]) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks) for the /pdsa progress ephemeral reply."""
    blocks: list[Block] = []
    for progress in progresses:
        blocks.extend(progress_blocks(progress))
    plain = "; ".join(f"{p.school}: {p.cycles_completed} of {p.cycles_required} cycles" for p in progresses)
    return fallback_text(plain), as_message_blocks(blocks)
