"""Requests as Slack sends them: real payload shapes (tests/payloads/) signed with v0 HMAC-SHA256.

``SlackSender`` posts them to a running copbot over HTTP. ``view_submission`` fills a modal the
way Slack does: it reads the view copbot actually opened (as recorded by the stand-in) and
builds ``view.state.values`` from the element types in it, so a test cannot submit a field
the modal does not have.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

PAYLOADS = Path(__file__).parent / "payloads"


def load_payload(name: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / f"{name}.json").read_text())


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """Slack's request signature: v0=HMAC-SHA256(secret, 'v0:{timestamp}:{body}')."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def text(self) -> str:
        return self.body.decode()


class SlackSender:
    """Sends signed requests to copbot's /slack/events."""

    def __init__(self, base_url: str, signing_secret: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.signing_secret = signing_secret

    def post_raw(self, body: bytes, content_type: str, *, headers: dict[str, str] | None = None,
                 timestamp: int | None = None, secret: str | None = None, signature: str | None = None,
                 path: str = "/slack/events") -> Reply:
        timestamp = int(time.time()) if timestamp is None else timestamp
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": signature or sign(body, secret or self.signing_secret, timestamp),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        }
        all_headers.update(headers or {})
        request = urllib.request.Request(self.base_url + path, data=body, headers=all_headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return Reply(response.status, response.read(), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read(), dict(error.headers))

    def form(self, fields: dict[str, Any], **kwargs: Any) -> Reply:
        return self.post_raw(urlencode(fields).encode(), "application/x-www-form-urlencoded", **kwargs)

    def interactive(self, payload: dict[str, Any], **kwargs: Any) -> Reply:
        return self.form({"payload": json.dumps(payload)}, **kwargs)

    def event(self, payload: dict[str, Any], **kwargs: Any) -> Reply:
        return self.post_raw(json.dumps(payload).encode(), "application/json", **kwargs)

    def command(self, text: str, **fields: Any) -> Reply:
        return self.form(slash_command(text, **fields))

    def get(self, path: str) -> Reply:
        try:
            with urllib.request.urlopen(self.base_url + path, timeout=15) as response:
                return Reply(response.status, response.read(), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read(), dict(error.headers))


_trigger_counter = iter(range(1, 10**9))


def trigger_id() -> str:
    return f"{int(time.time())}.{next(_trigger_counter)}.trigger"


def slash_command(text: str, *, user_id: str = "U0001", team_id: str = "T0001", channel_id: str = "C0001",
                  response_url: str | None = None, command: str = "/pdsa", **extra: Any) -> dict[str, Any]:
    fields = load_payload("slash_command")
    fields.update(text=text, user_id=user_id, team_id=team_id, channel_id=channel_id, command=command,
                  trigger_id=trigger_id())
    if response_url:
        fields["response_url"] = response_url
    fields.update(extra)
    return fields


def _state_entry(element: dict[str, Any], value: Any) -> dict[str, Any]:
    kind = element["type"]
    entry: dict[str, Any] = {"type": kind}
    options = {o["value"]: o for o in element.get("options", [])}
    for group in element.get("option_groups", []):
        options.update({o["value"]: o for o in group["options"]})

    def option(v: str) -> dict[str, Any]:
        if options and v not in options:
            raise AssertionError(f"{v!r} is not an option of {element.get('action_id')}: {sorted(options)}")
        return options.get(v) or {"text": {"type": "plain_text", "text": v}, "value": v}

    if kind in ("plain_text_input", "number_input", "email_text_input", "url_text_input"):
        entry["value"] = None if value is None else str(value)
    elif kind == "datepicker":
        entry["selected_date"] = value
    elif kind == "timepicker":
        entry["selected_time"] = value
    elif kind in ("static_select", "radio_buttons", "external_select"):
        entry["selected_option"] = option(value) if value is not None else None
    elif kind in ("multi_static_select", "checkboxes", "multi_external_select"):
        entry["selected_options"] = [option(v) for v in (value or [])]
    elif kind == "users_select":
        entry["selected_user"] = value
    elif kind == "multi_users_select":
        entry["selected_users"] = list(value or [])
    elif kind == "conversations_select":
        entry["selected_conversation"] = value
    elif kind == "channels_select":
        entry["selected_channel"] = value
    elif kind == "multi_conversations_select":
        entry["selected_conversations"] = list(value or [])
    else:
        raise AssertionError(f"no state shape for element type {kind}")
    return entry


def view_state(view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """``view.state.values`` for a submission: ``values`` maps block_id to the value entered.

    Inputs not named in ``values`` are submitted empty, as Slack does.
    """
    state: dict[str, Any] = {}
    known = set()
    for block in view.get("blocks", []):
        element = block.get("element") if block.get("type") == "input" else None
        if element is None:
            continue
        known.add(block["block_id"])
        state[block["block_id"]] = {element["action_id"]: _state_entry(element, values.get(block["block_id"]))}
    unknown = set(values) - known
    if unknown:
        raise AssertionError(f"the modal has no input blocks {sorted(unknown)}; it has {sorted(known)}")
    return state


def view_submission(view: dict[str, Any], values: dict[str, Any], *, user_id: str = "U0001",
                    team_id: str = "T0001") -> dict[str, Any]:
    """A view_submission payload for the modal ``view`` (as copbot sent it to views.open)."""
    payload = load_payload("view_submission")
    payload["team"]["id"] = team_id
    payload["user"].update(id=user_id, team_id=team_id)
    submitted = copy.deepcopy(view)
    submitted.setdefault("id", payload["view"]["id"])
    submitted.setdefault("hash", payload["view"]["hash"])
    submitted["state"] = {"values": view_state(view, values)}
    submitted.setdefault("private_metadata", "")
    submitted.setdefault("callback_id", "")
    submitted["team_id"] = team_id
    submitted["app_installed_team_id"] = team_id  # Bolt reads the workspace from here first
    payload["view"].update(submitted)
    payload["trigger_id"] = trigger_id()
    return payload


def block_action(action_id: str, *, value: str | None = None, user_id: str = "U0001", team_id: str = "T0001",
                 block_id: str = "actions", container: dict[str, Any] | None = None,
                 response_url: str | None = None, view: dict[str, Any] | None = None,
                 selected_option: dict[str, Any] | None = None) -> dict[str, Any]:
    """A block_actions payload for a button (or a select with ``selected_option``)."""
    payload = load_payload("block_actions")
    payload["team"]["id"] = team_id
    payload["user"].update(id=user_id, team_id=team_id)
    payload["trigger_id"] = trigger_id()
    action: dict[str, Any] = {"action_id": action_id, "block_id": block_id, "action_ts": f"{time.time():.6f}"}
    if selected_option is not None:
        action.update(type="static_select", selected_option=selected_option)
    else:
        action.update(type="button", text={"type": "plain_text", "text": action_id}, value=value)
    payload["actions"] = [action]
    if container:
        payload["container"] = container
    if response_url:
        payload["response_url"] = response_url
    if view is not None:
        payload["view"] = view
        payload["container"] = {"type": "view", "view_id": view.get("id", "V0000001")}
        payload.pop("message", None)
        payload.pop("channel", None)
    return payload


def message_shortcut(callback_id: str, *, text: str, user_id: str = "U0001", author_id: str = "U0002",
                     team_id: str = "T0001", channel_id: str = "C0001", message_ts: str = "1700000000.000200",
                     files: list[dict[str, Any]] | None = None, response_url: str | None = None) -> dict[str, Any]:
    payload = load_payload("message_action")
    payload["team"]["id"] = team_id
    payload["user"].update(id=user_id, team_id=team_id)
    payload["channel"]["id"] = channel_id
    payload.update(callback_id=callback_id, trigger_id=trigger_id(), message_ts=message_ts)
    payload["message"].update(text=text, user=author_id, ts=message_ts, team=team_id)
    if files:
        payload["message"]["files"] = files
    if response_url:
        payload["response_url"] = response_url
    return payload


def event(inner: dict[str, Any], *, event_id: str, team_id: str = "T0001") -> dict[str, Any]:
    payload = load_payload("event_callback")
    payload.update(team_id=team_id, context_team_id=team_id, event_id=event_id, event=inner,
                   event_time=int(time.time()))
    payload["authorizations"][0]["team_id"] = team_id
    return payload


def app_home_opened(user_id: str = "U0001", *, team_id: str = "T0001", event_id: str = "Ev0001") -> dict:
    return event({"type": "app_home_opened", "user": user_id, "channel": "D0001", "tab": "home",
                  "event_ts": f"{time.time():.6f}"}, event_id=event_id, team_id=team_id)
