"""What copbot registers with Bolt, discovered at test time so tests cover features merged later.

``discover()`` runs ``handlers.register_all`` against a recorder that stands in for Bolt's App
and notes every ``app.action(...)``, ``app.view(...)``, ``app.event(...)`` ... call. The /pdsa
subcommands come from the real app's router (``app.pdsa_router``). ``fill_form`` builds plausible
values for every input of a modal copbot opened, from the element types in it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import SQLModel

from handlers import register_all
from storage.db import Database

KINDS = {
    "action": "actions", "block_action": "actions", "attachment_action": "actions",
    "view": "views", "view_submission": "views",
    "shortcut": "shortcuts", "global_shortcut": "shortcuts", "message_shortcut": "shortcuts",
    "event": "events", "message": "events",
    "options": "options", "block_suggestion": "options",
    "command": "commands",
}


@dataclass
class Registrations:
    actions: list[str] = field(default_factory=list)
    views: list[str] = field(default_factory=list)
    shortcuts: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    patterns: list[tuple[str, Any]] = field(default_factory=list)  # regex constraints: no single id to send


class _Recorder:
    """Answers every Bolt registration method; remembers what was registered."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any]] = []

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)

        def register(*args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, args[0] if args else kwargs))
            if args and callable(args[0]) and not isinstance(args[0], str | dict | re.Pattern):
                return args[0]  # used as a bare decorator: @app.middleware
            return lambda func=None, *more, **options: func

        return register


def _ids(constraint: Any) -> list[str]:
    if isinstance(constraint, str):
        return [constraint]
    if isinstance(constraint, dict):
        found = [constraint.get(key) for key in ("action_id", "callback_id", "type")]
        return [value for value in found if isinstance(value, str)][:1]
    if isinstance(constraint, list | tuple):
        return [one for item in constraint for one in _ids(item)]
    return []


def discover() -> Registrations:
    recorder = _Recorder()
    register_all(recorder)  # type: ignore[arg-type]
    found = Registrations()
    for method, constraint in recorder.calls:
        kind = KINDS.get(method)
        if kind is None:
            continue
        ids = _ids(constraint)
        if not ids:
            found.patterns.append((method, constraint))
        for one in ids:
            if one not in getattr(found, kind):
                getattr(found, kind).append(one)
    return found


def input_elements(view: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(block_id, element) of every input block in a modal."""
    return [(block["block_id"], block["element"]) for block in view.get("blocks", [])
            if block.get("type") == "input" and block.get("element")]


def element_options(element: dict[str, Any]) -> list[str]:
    values = [o["value"] for o in element.get("options", [])]
    for group in element.get("option_groups", []):
        values += [o["value"] for o in group["options"]]
    return values


def plausible_value(element: dict[str, Any]) -> Any:
    """A value a careful person would enter in this element."""
    kind = element["type"]
    options = element_options(element)
    if kind in ("static_select", "radio_buttons", "external_select"):
        return options[0] if options else None
    if kind in ("multi_static_select", "checkboxes", "multi_external_select"):
        return options[:1]
    if kind == "datepicker":
        return date(2025, 10, 6).isoformat()
    if kind == "timepicker":
        return "15:30"
    if kind == "number_input":
        return "12"
    if kind == "url_text_input":
        return "https://drive.example.org/evidence/observation-notes"
    if kind == "email_text_input":
        return "coach@district.example.org"
    if kind == "users_select":
        return "U0002"
    if kind == "multi_users_select":
        return ["U0002", "U0003"]
    if kind in ("conversations_select", "channels_select"):
        return "C0001"
    if kind == "multi_conversations_select":
        return ["C0001"]
    return "Students explained their reasoning in pairs before sharing with the class."


def fill_form(view: dict[str, Any]) -> dict[str, Any]:
    return {block_id: plausible_value(element) for block_id, element in input_elements(view)}


def with_metadata(view: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    """The view with ``overrides`` merged into its JSON private_metadata."""
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        metadata = {}
    if not isinstance(metadata, dict):
        metadata = {}
    return {**view, "private_metadata": json.dumps({**metadata, **overrides})}


def snapshot(database: Database, team_id: str | None = None) -> dict[str, list[tuple]]:
    """Every row of every copbot table (of one workspace when ``team_id`` is given), comparable."""
    rows: dict[str, list[tuple]] = {}
    with database.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            query = select(table)
            if team_id is not None:
                query = query.where(table.c.team_id == team_id)
            rows[table.name] = sorted(tuple(repr(v) for v in row) for row in connection.execute(query))
    return rows
