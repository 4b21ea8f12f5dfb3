"""Driving copbot's modals through the stand-in: the view it opened or updated, and submitting it."""

from __future__ import annotations

from typing import Any

from tests.slack_requests import SlackSender, block_action, view_submission
from tests.slack_standin import SlackStandIn


def opened_view(standin: SlackStandIn, count: int = 1) -> dict[str, Any]:
    """The newest modal copbot opened, as Slack holds it (with its id and hash)."""
    return standin.wait_for("views.open", count=count)[-1].answer["view"]


def updated_view(standin: SlackStandIn, count: int = 1) -> dict[str, Any]:
    """The newest modal copbot updated (after a select with dispatch_action changed)."""
    return standin.wait_for("views.update", count=count)[-1].answer["view"]


def input_ids(view: dict[str, Any]) -> list[str]:
    return [block["block_id"] for block in view["blocks"] if block["type"] == "input"]


def initial(view: dict[str, Any], field: str) -> Any:
    """The pre-filled value of an input (text, date, option value(s), users)."""
    block = next(b for b in view["blocks"] if b.get("block_id") == field)
    element = block["element"]
    for key in ("initial_value", "initial_date", "initial_users"):
        if key in element:
            return element[key]
    if "initial_option" in element:
        return element["initial_option"]["value"]
    if "initial_options" in element:
        return [o["value"] for o in element["initial_options"]]
    return None


def view_text(view: dict[str, Any]) -> str:
    """Every section and context text of a view, joined: to check what a modal shows."""
    parts = []
    for block in view["blocks"]:
        if block["type"] == "section":
            parts.append(block["text"]["text"])
        elif block["type"] == "context":
            parts += [element.get("text", "") for element in block["elements"]]
    return "\n".join(parts)


def submit(slack: SlackSender, view: dict[str, Any], values: dict[str, Any], *, user_id: str = "U0001",
           team_id: str = "T0001") -> Any:
    """Submit ``view`` with ``values``; returns copbot's answer (None when it closed the modal)."""
    reply = slack.interactive(view_submission(view, values, user_id=user_id, team_id=team_id))
    assert reply.status == 200, reply.text
    return reply.json if reply.body else None


def pick_team(slack: SlackSender, view: dict[str, Any], school_team_id: int, *, user_id: str = "U0001") -> None:
    """Choose another team in the modal's school_team select (Slack sends a block action)."""
    from tests.slack_requests import view_state

    state_view = dict(view)
    state_view["state"] = {"values": view_state(view, {"school_team": str(school_team_id)})}
    option = next(o for b in view["blocks"] if b.get("block_id") == "school_team"
                  for o in b["element"]["options"] if o["value"] == str(school_team_id))
    payload = block_action("school_team", user_id=user_id, block_id="school_team", view=state_view,
                           selected_option=option)
    assert slack.interactive(payload).status == 200
