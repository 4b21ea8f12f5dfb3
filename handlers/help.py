"""/pdsa help: every subcommand with one example (unknown words get the same list)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from handlers.pdsa import PdsaRouter
from messages.help import help_blocks, help_text


def register(app: App, pdsa: PdsaRouter) -> None:
    def show_help(ack: Any, **_: Any) -> None:
        ack(response_type="ephemeral", text=help_text(pdsa.listing()), blocks=help_blocks(pdsa.listing()))

    pdsa.add("help", summary="List every /pdsa command", example="/pdsa help", run=show_help)
