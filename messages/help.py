"""The /pdsa help message."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from messages.blocks import as_message_blocks, context, mrkdwn_escape, section


class Listed(Protocol):
    name: str
    summary: str
    example: str


def help_text(subcommands: Sequence[Listed], unknown: str | None = None) -> str:
    lines = [f"`{sub.example}`: {sub.summary}" for sub in subcommands]
    intro = f"/pdsa has no command `{unknown}`. " if unknown else ""
    return intro + "copbot commands:\n" + "\n".join(lines)


def help_blocks(subcommands: Sequence[Listed], unknown: str | None = None) -> list[dict[str, Any]]:
    blocks = []
    if unknown:
        blocks.append(section(f":warning: `/pdsa {mrkdwn_escape(unknown)}` is not a copbot command. "
                              "Here is what you can use:"))
    else:
        blocks.append(section("*copbot* runs your Community of Practice through PDSA cycles. Commands:"))
    blocks.append(section("\n".join(f"• `{sub.example}`: {sub.summary}" for sub in subcommands)))
    blocks.append(context("Run these in your CoP's channel to act on that CoP."))
    return as_message_blocks(blocks)
