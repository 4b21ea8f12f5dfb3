"""The warning shown when typed text seems to contain student personal data (copbot.privacy)."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from copbot.privacy import kinds_named
from messages.blocks import context


def privacy_warning_text(warnings: list[str]) -> str:
    """One sentence naming what was spotted, never repeating the data itself."""
    if not warnings:
        return ""
    return (f":warning: This looks like it contains {kinds_named(warnings)}. Please describe students without names or "
            "identifiers (for example \"14 of 27 students\") before saving.")


def privacy_warning_blocks(warnings: list[str]) -> list[Block]:
    """A context block for a modal or an ephemeral reply; no blocks when nothing was spotted."""
    return [context(privacy_warning_text(warnings))] if warnings else []
