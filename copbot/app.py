"""The Bolt app factory: one App per process, built from Settings, never at import time."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App, BoltContext

from copbot.config import Settings
from copbot.installations import oauth_settings
from copbot.slack_client import make_client
from handlers import register_all
from storage.db import Database

log = logging.getLogger(__name__)

# Threads that run listeners, per process. A listener holds one until it returns, including its
# work after the ack (a channel confirmation that waits out a 429, a home refresh); Bolt's default
# of 5 let that work hold back the acks of new requests arriving on gunicorn's 8 threads.
LISTENER_THREADS = 32


def create_app(settings: Settings, database: Database) -> App:
    """Build the Bolt app with every feature registered.

    Listeners run in Bolt's thread pool (``process_before_response=False``): each acks first
    (within Slack's 3 seconds) and then does its slower work. Databases are reached through
    ``context["database"]``, set by a middleware, and sessions are opened with
    ``database.session()`` in the listener that needs one.

    With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set, each workspace's bot token comes from the
    installation store (multi-workspace OAuth); otherwise SLACK_BOT_TOKEN serves one workspace.
    """
    oauth = oauth_settings(settings, database) if settings.oauth_enabled else None
    # The client carries the bot token in single-token mode (Bolt takes it from there); with OAuth
    # each request's token comes from the installation store, and this client only serves the
    # OAuth flow (oauth.v2.access goes to SLACK_API_URL).
    client = make_client(settings)
    if oauth:
        client.token = None
    app = App(
        signing_secret=settings.slack_signing_secret or "",
        client=client,
        oauth_settings=oauth,
        process_before_response=False,
        raise_error_for_unhandled_request=False,
        listener_executor=ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="listener"),
        name="copbot",
    )

    @app.middleware
    def provide_database(context: BoltContext, next: Any) -> None:
        context["database"] = database
        context["settings"] = settings
        next()

    app.pdsa_router = register_all(app)  # type: ignore[attr-defined]  # read by tests and benchmarks
    return app
