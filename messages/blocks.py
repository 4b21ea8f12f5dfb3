"""Block Kit building blocks shared by every message: text clipped to Slack's limits, validation.

Every view and message leaves copbot through ``as_message_blocks`` or ``as_view``, which build
slack_sdk.models objects and call their ``validate_json()``, so a payload Slack would reject
fails here, in tests, instead of in front of a user.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

ELLIPSIS = "…"
SECTION_TEXT_LIMIT = 3000
HEADER_LIMIT = 150
MODAL_TITLE_LIMIT = 24
BUTTON_LIMIT = 75
OPTION_LIMIT = 75
CONTEXT_LIMIT = 2000
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
FALLBACK_TEXT_LIMIT = 3000


def clip(text: str | None, limit: int) -> str:
    """``text`` cut to ``limit`` characters, ending in a visible … when something was cut."""
    text = text or ""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def mrkdwn_escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn treats as control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=clip(text, HEADER_LIMIT), emoji=True))


def section(text: str, **kwargs: Any) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_TEXT_LIMIT)), **kwargs)


def context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(text, CONTEXT_LIMIT))])


def divider() -> DividerBlock:
    return DividerBlock()


def _fit(blocks: Sequence[Block], limit: int) -> list[Block]:
    blocks = list(blocks)
    if len(blocks) <= limit:
        return blocks
    return [*blocks[: limit - 1], context(f"{ELLIPSIS} {len(blocks) - limit + 1} more not shown")]


def as_message_blocks(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    """Validated JSON for a message (at most 50 blocks; the rest summarised)."""
    fitted = _fit(blocks, MESSAGE_BLOCK_LIMIT)
    for block in fitted:
        block.validate_json()
    return [block.to_dict() for block in fitted]


def as_view(view: View) -> dict[str, Any]:
    """Validated JSON for a modal or Home tab (at most 100 blocks; the rest summarised)."""
    view.blocks = _fit(view.blocks or [], VIEW_BLOCK_LIMIT)
    if view.title is not None:
        view.title.text = clip(view.title.text, MODAL_TITLE_LIMIT)
    view.validate_json()
    return view.to_dict()


def fallback_text(text: str) -> str:
    """Notification/fallback text for chat.postMessage (plain, clipped)."""
    return clip(text, FALLBACK_TEXT_LIMIT)
