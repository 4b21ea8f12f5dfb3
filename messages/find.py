"""The /pdsa find answer: strategies tested across the workspace."""

from __future__ import annotations

from typing import Any

from copbot.strategy_search import StrategySearch
from messages.blocks import as_message_blocks, clip, context, fallback_text, mrkdwn_escape, section

USAGE = ("Search every strategy tested in this workspace: `/pdsa find <words>`, e.g. `/pdsa find academic talk`. "
         "Every word must appear in the strategy, shared learning, Study learnings or Act rationale.")
STRATEGY_LIMIT = 300


def search_results(search: StrategySearch) -> tuple[str, list[dict[str, Any]]]:
    words = " ".join(search.words)
    if not search.hits:
        text = f"No tested strategy mentions all of: {words}."
        return fallback_text(text), as_message_blocks([section(mrkdwn_escape(text)),
                                                       context("Try fewer or shorter words.")])
    count = f"{len(search.hits)}{'+' if search.more else ''}"
    intro = f"{count} cycle{'s' if len(search.hits) != 1 else ''} tested a strategy matching “{words}”"
    blocks = [section(f"*{mrkdwn_escape(intro)}*")]
    for hit in search.hits:
        decision = hit.decision.label if hit.decision else "no Act decision yet"
        items = f"{hit.evidence_count} evidence item{'s' if hit.evidence_count != 1 else ''}"
        blocks.append(section(
            f"*{mrkdwn_escape(hit.school_name)}* · cycle {hit.cycle_number}, {hit.school_year} · "
            f"{mrkdwn_escape(decision)} · {items}\n{mrkdwn_escape(clip(hit.strategy, STRATEGY_LIMIT))}"
        ))
        blocks.append(context(mrkdwn_escape(hit.cop_name)))
    if search.more:
        blocks.append(context(f"Showing the newest {len(search.hits)}; add words to narrow the search."))
    return fallback_text(intro), as_message_blocks(blocks)
