"""The "spreading what works" message a CoP channel gets when a similar team keeps or scales a strategy."""

from __future__ import annotations

from typing import Any

from copbot.spread import Common, Suggestion
from copbot.vocabulary import ActDecisionKind, EvidenceFocus
from messages.blocks import as_message_blocks, clip, context, fallback_text, mrkdwn_escape, section

VERBS = {ActDecisionKind.KEEP: "is keeping", ActDecisionKind.SCALE: "scaled"}
LEARNINGS_LIMIT = 600


def _for_whom(common: Common) -> str:
    if common.subgroups:
        return " for " + " and ".join(common.subgroups)
    if common.focus_area:
        return " in " + common.focus_area
    return " to move " + " and ".join(common.metrics)


def _shared(common: Common) -> str:
    parts = []
    if common.focus_area:
        parts.append(f"focus area {common.focus_area}")
    if common.subgroups:
        parts.append("subgroup " + ", ".join(common.subgroups))
    if common.metrics:
        parts.append("index metric " + ", ".join(common.metrics))
    return "; ".join(parts)


def _evidence(counts: dict[EvidenceFocus, int]) -> str:
    total = sum(counts.values())
    if not total:
        return "No evidence items were logged."
    parts = [f"{count} {focus.label.lower()}" for focus, count in counts.items() if count]
    return f"{total} evidence item{'s' if total != 1 else ''} ({', '.join(parts)})."


def _find_words(strategy: str) -> str:
    return " ".join(strategy.split()[:4])


def suggestion_message(suggestion: Suggestion) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks): "Lincoln MS scaled <strategy> for English learners: see their cycle"."""
    verb = VERBS[suggestion.decision]
    strategy = clip(suggestion.strategy, 300)
    headline = (f"{suggestion.source_school} {verb} {strategy}{_for_whom(suggestion.common)}: "
                f"see their cycle")
    blocks = [
        section(f":seedling: *{mrkdwn_escape(suggestion.source_school)}* {verb} "
                f"*{mrkdwn_escape(strategy)}*{mrkdwn_escape(_for_whom(suggestion.common))}. "
                f"Could it help *{mrkdwn_escape(suggestion.school_name)}*? Your problems of practice share "
                f"{mrkdwn_escape(_shared(suggestion.common))}."),
        section(f"*Evidence*: {_evidence(suggestion.evidence_counts)}"),
    ]
    if suggestion.learnings.strip():
        blocks.append(section(f"*What they learned*\n{mrkdwn_escape(clip(suggestion.learnings, LEARNINGS_LIMIT))}"))
    if suggestion.member_ids:
        blocks.append(context("For " + " ".join(f"<@{user}>" for user in suggestion.member_ids[:10])))
    decided = f", decided by <@{suggestion.decided_by}>" if suggestion.decided_by else ""
    blocks.append(context(
        f"Cycle {suggestion.cycle_number}, {suggestion.school_year}{decided}. See their cycle: "
        f"`/pdsa find {mrkdwn_escape(_find_words(suggestion.strategy))}` (facilitators), or ask them here."
    ))
    return fallback_text(headline), as_message_blocks(blocks)
