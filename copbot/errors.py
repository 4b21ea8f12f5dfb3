"""Domain errors carry a message written for the person who caused them."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a broken rule. ``field`` names the form field it belongs to, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(UserError):
    """The person may not change these records."""


class NotFound(UserError):
    """The record does not exist in this workspace."""
