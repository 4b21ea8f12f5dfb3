"""The WSGI application gunicorn serves: Slack requests, OAuth pages, /healthz and CoP calendar feeds."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from copbot.calendar_feed import build_feed, cop_for_token
from copbot.clock import utcnow
from copbot.config import Settings
from storage.db import Database, DatabaseError

CALENDAR_PATH = re.compile(r"^/calendar/(?P<token>[0-9]+-[0-9a-f]{1,64})\.ics$")


class CopbotWsgi:
    """Routes GET /healthz and GET /calendar/<token>.ics here, everything else to Bolt (/slack/events).

    Calendar feeds need ``settings`` (their tokens are keyed with the signing secret); without
    it every feed address answers 404.
    """

    def __init__(self, app: App, database: Database, settings: Settings | None = None) -> None:
        self.slack = SlackRequestHandler(app, path="/slack/events")
        self.database = database
        self.feed_secret = settings.slack_signing_secret if settings else None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return self.healthz(start_response)
        feed = CALENDAR_PATH.match(environ.get("PATH_INFO") or "")
        if feed and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return self.calendar_feed(feed["token"], start_response)
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

    def calendar_feed(self, token: str, start_response: Callable[..., Any]) -> Iterable[bytes]:
        """A CoP's .ics feed; 404 for a token that is not exactly one CoP's."""
        with self.database.session() as session:
            cop = cop_for_token(session, secret=self.feed_secret, token=token)
            body = build_feed(session, team_id=cop.team_id, cop=cop, generated_at=utcnow()) if cop else None
        if body is None:
            payload = b"Not found"
            start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", str(len(payload)))])
            return [payload]
        start_response("200 OK", [("Content-Type", "text/calendar; charset=utf-8"),
                                  ("Content-Length", str(len(body))), ("Cache-Control", "private, max-age=900")])
        return [body]
