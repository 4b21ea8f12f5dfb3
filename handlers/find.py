"""/pdsa find <words>: facilitators search every strategy tested in the workspace."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from copbot.strategy_search import search_strategies, search_words
from handlers.pdsa import PdsaRouter
from messages.find import USAGE, search_results


def register(app: App, pdsa: PdsaRouter) -> None:
    def run_find(ack: Any, command: dict, context: Any, args: str, **_: Any) -> None:
        if not search_words(args):
            ack(response_type="ephemeral", text=USAGE)
            return
        with context["database"].session() as session:
            found = search_strategies(session, team_id=context.team_id, user_id=command["user_id"], text=args)
        text, blocks = search_results(found)
        ack(response_type="ephemeral", text=text, blocks=blocks)

    pdsa.add("find", summary="Facilitators: search every strategy tested in the workspace",
             example="/pdsa find academic talk", run=run_find)
