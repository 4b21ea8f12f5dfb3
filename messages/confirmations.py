"""The short note posted in a CoP channel after someone records something."""

from __future__ import annotations

from typing import Any

from messages.blocks import as_message_blocks, context, fallback_text, mrkdwn_escape, section


def confirmation(*, user_id: str, what: str, school: str, cycle_number: int | None = None,
                 detail: str = "") -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks) for '<@user> recorded <what> for <school>, cycle N'."""
    where = mrkdwn_escape(school) + (f", cycle {cycle_number}" if cycle_number else "")
    line = f":white_check_mark: <@{user_id}> recorded *{mrkdwn_escape(what)}* for {where}."
    blocks = [section(line)]
    if detail:
        blocks.append(context(mrkdwn_escape(detail)))
    plain = f"{what} recorded for {school}" + (f", cycle {cycle_number}" if cycle_number else "")
    return fallback_text(plain), as_message_blocks(blocks)
