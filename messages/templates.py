"""The one jinja2 Environment copbot renders prose with; templates live in messages/templates/.

``render("ssc_report.html.j2", summary=...)``. Autoescaping is on for HTML templates
(``.html.j2``) and off for Markdown, Slack mrkdwn and plain text (``.md.j2``, ``.txt``), where
HTML escaping would show ``&amp;#39;`` to people. In mrkdwn templates every piece of user text
goes through the ``mrkdwn`` filter instead (Slack's own escaping of ``&``, ``<`` and ``>``), so
names cannot inject mentions or links.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from messages.blocks import mrkdwn_escape

TEMPLATES = Path(__file__).parent / "templates"


def long_date(day: date | None, missing: str = "not set") -> str:
    """'November 15, 2025' (or ``missing`` when there is no date)."""
    if day is None:
        return missing
    return f"{day:%B} {day.day}, {day.year}"


def number(value: float) -> str:
    """A measured value without a needless '.0'."""
    return f"{value:g}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    env.filters["number"] = number
    env.filters["mrkdwn"] = lambda value: mrkdwn_escape(str(value))
    return env


def render(name: str, **context: Any) -> str:
    """Render ``messages/templates/<name>`` with ``context``."""
    return environment().get_template(name).render(**context)
