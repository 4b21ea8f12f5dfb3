"""A local stand-in for Slack's Web API, served on 127.0.0.1.

copbot reaches it through SLACK_API_URL (``standin.api_url``). It:
- records every call (method, arguments, token) in ``calls``;
- answers like Slack: ``{"ok": true, ...}``, or ``{"ok": false, "error": ...}`` for unknown
  methods (``unknown_method``), missing required arguments (``invalid_arguments``), bad tokens
  (``invalid_auth``) and Block Kit that slack_sdk.models rejects (``invalid_blocks``);
- fails on demand: ``fail(method, error=...)``, ``rate_limit(method, retry_after=1)`` (HTTP 429
  with Retry-After), ``server_error(method, status=500)``, ``stall(method, seconds)``;
- accepts ``response_url`` posts at ``/response/<id>`` and file uploads at ``/upload/<id>``.

Tests wait for background work with ``wait_for(method, ...)``.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

# Required arguments per method, from Slack's Web API reference.
METHODS: dict[str, tuple[str, ...]] = {
    "api.test": (),
    "auth.test": (),
    "chat.postMessage": ("channel",),
    "chat.postEphemeral": ("channel", "user"),
    "chat.update": ("channel", "ts"),
    "chat.delete": ("channel", "ts"),
    "chat.getPermalink": ("channel", "message_ts"),
    "conversations.create": ("name",),
    "conversations.info": ("channel",),
    "conversations.invite": ("channel", "users"),
    "conversations.join": ("channel",),
    "conversations.members": ("channel",),
    "conversations.open": (),
    "files.getUploadURLExternal": ("filename", "length"),
    "files.completeUploadExternal": ("files",),
    "oauth.v2.access": ("code",),
    "team.info": (),
    "users.info": ("user",),
    "views.open": ("trigger_id", "view"),
    "views.push": ("trigger_id", "view"),
    "views.update": ("view",),
    "views.publish": ("user_id", "view"),
}
TEXT_OR_BLOCKS = {"chat.postMessage", "chat.postEphemeral", "chat.update"}


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.time)
    answer: dict[str, Any] = field(default_factory=dict)
    status: int = 200


@dataclass
class Fault:
    method: str
    count: int
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    stall_seconds: float = 0.0


def _decode_json_fields(args: dict[str, Any]) -> dict[str, Any]:
    for key in ("blocks", "view", "attachments", "files"):
        if isinstance(args.get(key), str):
            with contextlib.suppress(json.JSONDecodeError):
                args[key] = json.loads(args[key])
    return args


def block_kit_problem(method: str, args: dict[str, Any]) -> str | None:
    """Why slack_sdk.models rejects this payload's blocks or view, or None when valid."""
    try:
        if "view" in args and method.startswith("views."):
            view = args["view"]
            if not isinstance(view, dict):
                return "view is not an object"
            View(**view).validate_json()
            if len(view.get("blocks", [])) > 100:
                return "more than 100 blocks in a view"
        if "blocks" in args and args["blocks"] is not None:
            blocks = args["blocks"]
            if not isinstance(blocks, list):
                return "blocks is not an array"
            if len(blocks) > 50:
                return "more than 50 blocks in a message"
            for raw in blocks:
                block = Block.parse(raw)
                if block is None:
                    return f"unknown block {raw!r}"
                block.validate_json()
    except (SlackObjectFormationError, TypeError, KeyError, ValueError) as error:
        return str(error)
    return None


class SlackStandIn:
    """The server and what it saw. Use as a context manager or call start()/stop()."""

    def __init__(self, *, bot_token: str = "xoxb-test-token") -> None:
        self.valid_tokens = {bot_token}
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []  # posts to response_url
        self.uploads: dict[str, bytes] = {}
        self.invalid_payloads: list[tuple[str, str]] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.faults: list[Fault] = []
        self.handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {}
        self._lock = threading.Condition()
        self._ids = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # ----- life cycle -----
    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return self.base_url + "/api/"

    def response_url(self) -> str:
        return f"{self.base_url}/response/{next(self._ids)}"

    def start(self) -> SlackStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ----- configuring -----
    def add_user(self, user_id: str, *, tz: str = "America/Los_Angeles", name: str | None = None,
                 deleted: bool = False, team_id: str = "T0001") -> None:
        self.users[user_id] = {
            "id": user_id, "team_id": team_id, "name": name or user_id.lower(), "deleted": deleted,
            "real_name": name or user_id, "tz": tz, "tz_label": tz, "tz_offset": 0, "is_bot": False,
            "profile": {"real_name": name or user_id, "display_name": name or user_id},
        }

    def fail(self, method: str, *, error: str = "internal_error", count: int = 1) -> None:
        self.faults.append(Fault(method, count, error=error))

    def rate_limit(self, method: str, *, retry_after: int = 1, count: int = 1) -> None:
        self.faults.append(Fault(method, count, status=429, error="ratelimited", retry_after=retry_after))

    def server_error(self, method: str, *, status: int = 500, count: int = 1) -> None:
        self.faults.append(Fault(method, count, status=status, error="fatal_error"))

    def stall(self, method: str, *, seconds: float, count: int = 1) -> None:
        self.faults.append(Fault(method, count, stall_seconds=seconds))

    def reset(self) -> None:
        with self._lock:
            self.calls.clear()
            self.responses.clear()
            self.faults.clear()
            self.invalid_payloads.clear()

    # ----- reading what happened -----
    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(self, method: str, predicate: Callable[[Call], bool] = lambda call: True, *,
                 count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Block until ``count`` successful calls of ``method`` match, then return them."""
        deadline = time.time() + timeout
        with self._lock:
            while True:
                found = [c for c in self.calls if c.method == method and c.status == 200
                         and c.answer.get("ok") and predicate(c)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.time()
                if remaining <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"timed out waiting for {count} x {method}; calls seen: {seen}")
                self._lock.wait(remaining)

    def wait_for_response(self, predicate: Callable[[dict[str, Any]], bool] = lambda body: True, *,
                          timeout: float = 10.0) -> dict[str, Any]:
        deadline = time.time() + timeout
        with self._lock:
            while True:
                for body in self.responses:
                    if predicate(body):
                        return body
                remaining = deadline - time.time()
                if remaining <= 0:
                    raise AssertionError(f"timed out waiting for a response_url post; got {self.responses}")
                self._lock.wait(remaining)

    # ----- answering -----
    def _take_fault(self, method: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.method == method and fault.count > 0:
                    fault.count -= 1
                    return fault
        return None

    def answer(self, method: str, args: dict[str, Any], token: str | None) -> tuple[int, dict[str, Any], dict]:
        headers: dict[str, str] = {}
        fault = self._take_fault(method)
        if fault and fault.stall_seconds:
            time.sleep(fault.stall_seconds)
        if fault and fault.status != 200:
            if fault.retry_after is not None:
                headers["Retry-After"] = str(fault.retry_after)
            return fault.status, {"ok": False, "error": fault.error}, headers
        if method not in METHODS:
            return 200, {"ok": False, "error": "unknown_method"}, headers
        if method != "oauth.v2.access" and token not in self.valid_tokens:
            return 200, {"ok": False, "error": "not_authed" if not token else "invalid_auth"}, headers
        missing = [name for name in METHODS[method] if args.get(name) in (None, "", [])]
        if method in TEXT_OR_BLOCKS and not (args.get("text") or args.get("blocks")):
            missing.append("text or blocks")
        if missing:
            return 200, {"ok": False, "error": "invalid_arguments",
                         "response_metadata": {"messages": [f"missing required field: {m}" for m in missing]}
                         }, headers
        problem = block_kit_problem(method, args)
        if problem:
            self.invalid_payloads.append((method, problem))
            return 200, {"ok": False, "error": "invalid_blocks", "detail": problem}, headers
        if fault and fault.error:
            return 200, {"ok": False, "error": fault.error}, headers
        custom = self.handlers.get(method)
        if custom is not None:
            return 200, custom(args), headers
        return 200, self._default_answer(method, args), headers

    def _default_answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        ts = f"{time.time():.6f}"
        if method == "auth.test":
            return {"ok": True, "url": "https://copbot-test.slack.com/", "team": "Test District",
                    "user": "copbot", "team_id": "T0001", "user_id": "UBOT", "bot_id": "BBOT"}
        if method in ("chat.postMessage", "chat.update"):
            return {"ok": True, "channel": args["channel"], "ts": args.get("ts") or ts,
                    "message": {"text": args.get("text", ""), "ts": ts}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "chat.getPermalink":
            return {"ok": True, "channel": args["channel"],
                    "permalink": f"https://copbot-test.slack.com/archives/{args['channel']}/p{args['message_ts']}"}
        if method == "users.info":
            user = self.users.get(args["user"])
            return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
        if method == "conversations.create":
            channel_id = f"C{next(self._ids):06d}"
            return {"ok": True, "channel": {"id": channel_id, "name": args["name"], "is_channel": True}}
        if method in ("conversations.info", "conversations.join"):
            return {"ok": True, "channel": {"id": args["channel"], "name": "cop", "is_member": True}}
        if method == "conversations.invite":
            return {"ok": True, "channel": {"id": args["channel"]}}
        if method == "conversations.members":
            return {"ok": True, "members": [], "response_metadata": {"next_cursor": ""}}
        if method == "conversations.open":
            users = args.get("users", "")
            return {"ok": True, "channel": {"id": "D" + str(users).replace(",", "")[:10]}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ids):06d}"
            return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in args["files"]]}
        if method in ("views.open", "views.push", "views.update", "views.publish"):
            view = dict(args["view"])
            view.setdefault("id", f"V{next(self._ids):06d}")
            view.setdefault("hash", f"h{next(self._ids)}")
            return {"ok": True, "view": view}
        if method == "team.info":
            return {"ok": True, "team": {"id": "T0001", "name": "Test District", "domain": "copbot-test"}}
        return {"ok": True}

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()

    def _record_response(self, body: dict[str, Any]) -> None:
        with self._lock:
            self.responses.append(body)
            self._lock.notify_all()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def _body(self) -> bytes:
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _send(self, status: int, body: dict[str, Any] | str, headers: dict | None = None) -> None:
                raw = (json.dumps(body) if isinstance(body, dict) else body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(raw)

            def _args(self, raw: bytes) -> dict[str, Any]:
                url = urlparse(self.path)
                args: dict[str, Any] = {k: v[0] for k, v in parse_qs(url.query).items()}
                content_type = self.headers.get("Content-Type", "")
                if raw and "json" in content_type:
                    args.update(json.loads(raw))
                elif raw:
                    args.update({k: v[0] for k, v in parse_qs(raw.decode()).items()})
                return _decode_json_fields(args)

            def do_GET(self) -> None:
                self._dispatch(b"")

            def do_POST(self) -> None:
                self._dispatch(self._body())

            def _dispatch(self, raw: bytes) -> None:
                path = urlparse(self.path).path
                if path.startswith("/response/"):
                    standin._record_response(json.loads(raw or b"{}"))
                    self._send(200, "ok")
                    return
                if path.startswith("/upload/"):
                    standin.uploads[path.rsplit("/", 1)[1]] = raw
                    self._send(200, "OK - uploaded")
                    return
                if not path.startswith("/api/"):
                    self._send(404, {"ok": False, "error": "not_found"})
                    return
                method = path[len("/api/"):]
                args = self._args(raw)
                auth = self.headers.get("Authorization", "")
                token = auth[len("Bearer "):] if auth.startswith("Bearer ") else args.pop("token", None)
                status, answer, headers = standin.answer(method, args, token)
                standin._record(Call(method, args, token, answer=answer, status=status))
                self._send(status, answer, headers)

        return Handler
