"""Reading what a person typed into a modal: ``view.state.values`` by block id.

Modals built in ``messages/`` use the field name as both block_id and action_id, so a
submission is read with ``FormValues(view).text("strategy")``.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from copbot.errors import UserError


class FormValues:
    def __init__(self, view: dict[str, Any]) -> None:
        self.values: dict[str, dict[str, Any]] = view.get("state", {}).get("values", {})
        raw = view.get("private_metadata") or "{}"
        try:
            self.metadata: dict[str, Any] = json.loads(raw)
        except json.JSONDecodeError:
            self.metadata = {}

    def _entry(self, field: str) -> dict[str, Any]:
        block = self.values.get(field) or {}
        return next(iter(block.values()), {}) if block else {}

    def has(self, field: str) -> bool:
        return field in self.values

    def text(self, field: str) -> str:
        # NUL cannot be stored in PostgreSQL text and is never meant: drop it.
        return (self._entry(field).get("value") or "").replace("\x00", "").strip()

    def required_text(self, field: str, message: str) -> str:
        value = self.text(field)
        if not value:
            raise UserError(message, field=field)
        return value

    def number(self, field: str) -> float | None:
        raw = self.text(field)
        if not raw:
            return None
        try:
            return float(raw)
        except ValueError:
            raise UserError("Enter a number, for example 92.5.", field=field) from None

    def date(self, field: str) -> date | None:
        raw = self._entry(field).get("selected_date")
        return date.fromisoformat(raw) if raw else None

    def required_date(self, field: str, message: str) -> date:
        value = self.date(field)
        if value is None:
            raise UserError(message, field=field)
        return value

    def option(self, field: str) -> str | None:
        selected = self._entry(field).get("selected_option")
        return selected.get("value") if selected else None

    def options(self, field: str) -> list[str]:
        return [o["value"] for o in self._entry(field).get("selected_options") or []]

    def user(self, field: str) -> str | None:
        return self._entry(field).get("selected_user")

    def users(self, field: str) -> list[str]:
        return list(self._entry(field).get("selected_users") or [])

    def conversation(self, field: str) -> str | None:
        entry = self._entry(field)
        return entry.get("selected_conversation") or entry.get("selected_channel")
