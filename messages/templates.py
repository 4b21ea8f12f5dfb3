"""The one jinja2 Environment: templates on disk in messages/templates/, HTML autoescaped.

``render("ssc_report.html.j2", summary=...)``. Templates ending in .html.j2 are autoescaped;
Markdown (.md.j2) is not, since it is plain text read as such.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

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
    return env


def render(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context)
