"""The baseline for bench/ack_path.py: a bare Bolt app that verifies Slack's signature and acks.

Served by the same gunicorn setup as `copbot serve` (copbot.serve.gunicorn_options: gthread
workers, WEB_CONCURRENCY processes, 8 threads each). Settings come from the same environment
variables (SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL, PORT, WEB_CONCURRENCY).

    python bench/bare_app.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gunicorn.app.base import BaseApplication
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from copbot.config import load_settings
from copbot.serve import gunicorn_options
from copbot.slack_client import make_client


def build_bare_app() -> SlackRequestHandler:
    settings = load_settings()
    app = App(signing_secret=settings.slack_signing_secret or "", client=make_client(settings),
              process_before_response=False, raise_error_for_unhandled_request=False, name="bare")

    @app.command("/pdsa")
    def pdsa(ack: Any) -> None:
        ack(response_type="ephemeral", text="ok")

    @app.view(re.compile(".*"))
    def submitted(ack: Any) -> None:
        ack()

    return SlackRequestHandler(app)


class BareServer(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> SlackRequestHandler:
        return build_bare_app()


if __name__ == "__main__":
    BareServer(gunicorn_options(load_settings(), host="127.0.0.1")).run()
