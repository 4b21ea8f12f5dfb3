"""The WSGI application gunicorn serves: Slack requests, OAuth pages, /healthz and CoP calendar feeds.

Every POST to /slack/events has its signature checked here, on the raw bytes, before Bolt sees
it: Bolt parses the body before verifying it, so a forged request with a malformed body (or
timestamp) would otherwise end in a 500. A request that is signed correctly but cannot be
parsed gets 400. Neither answer carries a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from copbot.calendar_feed import build_feed, cop_for_token
from copbot.clock import utcnow
from copbot.config import Settings
from storage.db import Database, DatabaseError

EVENTS_PATH = "/slack/events"
CALENDAR_PATH = re.compile(r"^/calendar/(?P<token>[0-9]+-[0-9a-f]{1,64})\.ics$")
SIGNATURE_MAX_AGE_SECONDS = 5 * 60
MAX_BODY_BYTES = 1024 * 1024  # Slack's payloads are far smaller; anything bigger is not from Slack
log = logging.getLogger(__name__)


class CopbotWsgi:
    """Routes GET /healthz and GET /calendar/<token>.ics here, everything else to Bolt (/slack/events, OAuth).

    The signing secret (from ``settings``) verifies Slack requests and keys the calendar feed
    tokens; without settings, Bolt alone verifies and every feed address answers 404.
    """

    def __init__(self, app: App, database: Database, settings: Settings | None = None) -> None:
        self.slack = SlackRequestHandler(app, path=EVENTS_PATH)
        self.database = database
        self.signing_secret = settings.slack_signing_secret if settings else None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO") or ""
        if path == "/healthz" and method in ("GET", "HEAD"):
            return self.healthz(start_response)
        feed = CALENDAR_PATH.match(path)
        if feed and method in ("GET", "HEAD"):
            return self.calendar_feed(feed["token"], start_response)
        if path == EVENTS_PATH and method == "POST" and self.signing_secret:
            return self.slack_event(self.signing_secret.encode(), environ, start_response)
        return self.slack(environ, start_response)

    def slack_event(self, secret: bytes, environ: dict[str, Any],
                    start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = environ.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > MAX_BODY_BYTES:
            return _answer(start_response, "413 Payload Too Large", {"error": "request body too large"})
        body = environ["wsgi.input"].read(int(length)) if int(length) else b""
        if not _signed_by_slack(secret, environ, body):
            return _answer(start_response, "401 Unauthorized", {"error": "invalid request signature"})
        try:
            body.decode("utf-8")
            environ["wsgi.input"] = io.BytesIO(body)
            return self.slack(environ, start_response)
        except ValueError as error:  # malformed JSON or form encoding, or bytes that are not UTF-8
            log.warning("signed Slack request that cannot be parsed: %s", error)
            return _answer(start_response, "400 Bad Request", {"error": "malformed request body"})

    def healthz(self, start_response: Callable[..., Any]) -> Iterable[bytes]:
        try:
            self.database.check()
            status, body = "200 OK", {"status": "ok", "database": "ok"}
        except DatabaseError as error:
            status, body = "503 Service Unavailable", {"status": "error", "database": str(error)}
        return _answer(start_response, status, body)

    def calendar_feed(self, token: str, start_response: Callable[..., Any]) -> Iterable[bytes]:
        """A CoP's .ics feed; 404 for a token that is not exactly one CoP's."""
        with self.database.session() as session:
            cop = cop_for_token(session, secret=self.signing_secret, token=token)
            body = build_feed(session, team_id=cop.team_id, cop=cop, generated_at=utcnow()) if cop else None
        if body is None:
            payload = b"Not found"
            start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", str(len(payload)))])
            return [payload]
        start_response("200 OK", [("Content-Type", "text/calendar; charset=utf-8"),
                                  ("Content-Length", str(len(body))), ("Cache-Control", "private, max-age=900")])
        return [body]


def _signed_by_slack(secret: bytes, environ: dict[str, Any], body: bytes) -> bool:
    """Slack's v0 signature over these exact bytes, with a timestamp within five minutes of now."""
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP") or ""
    signature = environ.get("HTTP_X_SLACK_SIGNATURE") or ""
    if not (timestamp.isascii() and timestamp.isdigit() and signature):
        return False
    if abs(time.time() - int(timestamp)) > SIGNATURE_MAX_AGE_SECONDS:
        return False
    expected = "v0=" + hmac.new(secret, b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))


def _answer(start_response: Callable[..., Any], status: str, body: dict[str, Any]) -> Iterable[bytes]:
    payload = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
    return [payload]
