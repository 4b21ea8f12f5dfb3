"""The one jinja2 Environment copbot renders prose with; templates live in messages/templates/.

Autoescaping is on for HTML templates (``.html``) and off for Slack mrkdwn and plain text
(``.md``, ``.txt``), where HTML escaping would show ``&amp;#39;`` to people. In mrkdwn templates
every piece of user text goes through the ``mrkdwn`` filter instead (Slack's own escaping of
``&``, ``<`` and ``>``), so names cannot inject mentions or links.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from messages.blocks import mrkdwn_escape


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("messages", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "htm"), default_for_string=False, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["mrkdwn"] = lambda value: mrkdwn_escape(str(value))
    return env


def render(name: str, **context: Any) -> str:
    """Render ``messages/templates/<name>`` with ``context``."""
    return environment().get_template(name).render(**context)
