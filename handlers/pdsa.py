"""The one /pdsa slash command, routed to subcommands that features register."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from handlers.replies import slash_command
from messages.help import help_blocks, help_text


@dataclass(frozen=True)
class Subcommand:
    name: str
    summary: str
    example: str
    run: Callable[..., None]


class PdsaRouter:
    """Maps the first word of ``/pdsa <text>`` to a feature's subcommand listener.

    A subcommand listener takes Bolt's usual keyword arguments plus ``args`` (the rest of the
    text) and must ack (an ephemeral answer, or a bare ack before opening a modal).
    """

    def __init__(self) -> None:
        self.subcommands: dict[str, Subcommand] = {}

    def add(self, name: str, *, summary: str, example: str, run: Callable[..., None]) -> None:
        if name in self.subcommands:
            raise ValueError(f"/pdsa {name} is registered twice")
        self.subcommands[name] = Subcommand(name, summary, example, slash_command(run))

    def listing(self) -> list[Subcommand]:
        return sorted(self.subcommands.values(), key=lambda sub: sub.name)

    def handle(self, ack: Any, command: dict, client: Any, context: Any, respond: Any, logger: Any) -> None:
        word, _, rest = (command.get("text") or "").strip().partition(" ")
        subcommand = self.subcommands.get(word.lower())
        if subcommand is None:
            unknown = word if word and word.lower() != "help" else None
            ack(response_type="ephemeral", text=help_text(self.listing(), unknown=unknown),
                blocks=help_blocks(self.listing(), unknown=unknown))
            return
        subcommand.run(ack=ack, command=command, client=client, context=context, respond=respond,
                       logger=logger, args=rest.strip())
