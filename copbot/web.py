"""The WSGI application gunicorn serves: Slack requests, OAuth pages and /healthz."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from storage.db import Database, DatabaseError


class CopbotWsgi:
    """Routes GET /healthz here and everything else to Bolt's WSGI handler (/slack/events)."""

    def __init__(self, app: App, database: Database) -> None:
        self.slack = SlackRequestHandler(app, path="/slack/events")
        self.database = database

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return self.healthz(start_response)
        return self.slack(environ, start_response)

    def healthz(self, start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            self.database.check()
            status, body = "200 OK", {"status": "ok", "database": "ok"}
        except DatabaseError as error:
            status, body = "503 Service Unavailable", {"status": "error", "database": str(error)}
        payload = json.dumps(body).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
        return [payload]
