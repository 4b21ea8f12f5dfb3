"""The "what did I record this month" answer: one ephemeral message grouped by kind."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from copbot.my_records import MonthOfRecords, RecordKind
from messages.blocks import as_message_blocks, clip, context, fallback_text, header, mrkdwn_escape, section

TITLES = {
    RecordKind.POP: "Problems of practice",
    RecordKind.PLAN: "Plans",
    RecordKind.DO_MEETING: "Do meetings",
    RecordKind.EVIDENCE: "Evidence",
    RecordKind.STUDY: "Study reflections",
    RecordKind.ACT: "Act decisions",
    RecordKind.SSC: "SSC reports",
    RecordKind.CHECKIN: "Facilitator check-ins",
}
LINES_PER_KIND = 15
SUMMARY_LIMIT = 120


def my_month(found: MonthOfRecords) -> tuple[str, list[dict[str, Any]]]:
    month = f"{found.month:%B %Y}"
    if not found.records:
        text = f"You recorded nothing in copbot in {month}."
        return fallback_text(text), as_message_blocks([
            section(text), context("Try another month: `/pdsa mine 2025-11`.")])
    counts = ", ".join(f"{TITLES[kind].lower()} ({len(list(group))})"
                       for kind, group in groupby(found.records, key=lambda r: r.kind))
    blocks = [header(f"What you recorded in {month}")]
    for kind, group in groupby(found.records, key=lambda r: r.kind):
        items = list(group)
        lines = [
            f"• {record.at:%a %b} {record.at.day} · {mrkdwn_escape(record.where)}: "
            f"{mrkdwn_escape(clip(' '.join(record.summary.split()), SUMMARY_LIMIT))}"
            for record in items[:LINES_PER_KIND]
        ]
        if len(items) > LINES_PER_KIND:
            lines.append(f"…and {len(items) - LINES_PER_KIND} more")
        blocks.append(section(f"*{TITLES[kind]}* ({len(items)})\n" + "\n".join(lines)))
    blocks.append(context(f"Dates in your time zone ({mrkdwn_escape(found.tz)}). "
                          "Another month: `/pdsa mine YYYY-MM`."))
    return fallback_text(f"In {month} you recorded {counts}."), as_message_blocks(blocks)
