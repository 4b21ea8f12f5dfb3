"""The weekly digest message: the digest template rendered, cut into section blocks."""

from __future__ import annotations

from typing import Any

from messages.blocks import (
    SECTION_TEXT_LIMIT,
    as_message_blocks,
    clip,
    context,
    fallback_text,
    header,
    section,
)
from messages.templates import render


def split_sections(text: str, limit: int = SECTION_TEXT_LIMIT) -> list[str]:
    """Paragraphs (blank-line separated) packed into chunks of at most ``limit`` characters;
    a paragraph longer than ``limit`` on its own is split by lines, then clipped."""
    chunks: list[str] = []
    current = ""
    pieces: list[str] = []
    for paragraph in (p.strip("\n") for p in text.split("\n\n")):
        if not paragraph.strip():
            continue
        if len(paragraph) <= limit:
            pieces.append(paragraph)
            continue
        line_chunk = ""
        for line in paragraph.split("\n"):
            if line_chunk and len(line_chunk) + 1 + len(line) > limit:
                pieces.append(line_chunk)
                line_chunk = ""
            line_chunk = f"{line_chunk}\n{line}" if line_chunk else clip(line, limit)
        if line_chunk:
            pieces.append(line_chunk)
    for piece in pieces:
        if current and len(current) + 2 + len(piece) > limit:
            chunks.append(current)
            current = ""
        current = f"{current}\n\n{piece}" if current else piece
    if current:
        chunks.append(current)
    return chunks


def digest_message(facts: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks) of a CoP's weekly digest from ``copbot.digest`` facts."""
    body = render("digest.md.j2", **{key: facts[key] for key in
                                     ("week_from", "week_to", "teams", "upcoming", "overdue", "results", "questions")})
    blocks = [header(f"Weekly digest: {facts['cop']}")]
    blocks += [section(chunk) for chunk in split_sections(body)]
    blocks.append(context("Sent every week by copbot. Record steps with `/pdsa`; see your team on copbot's Home tab."))
    return digest_summary(facts), as_message_blocks(blocks)


def digest_summary(facts: dict[str, Any]) -> str:
    """The digest's one-line notification text."""
    return fallback_text(f"Weekly digest for {facts['cop']}: {len(facts['teams'])} teams, "
                         f"{len(facts['overdue'])} overdue item(s)")
