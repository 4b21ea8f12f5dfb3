"""A small modal that explains why copbot cannot open a form (used where no ephemeral reply is possible)."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.views import View

from messages.blocks import as_view, mrkdwn_escape, section


def notice_view(text: str, *, title: str = "copbot") -> dict[str, Any]:
    return as_view(View(type="modal", title=title, close="OK", blocks=[section(mrkdwn_escape(text))]))
