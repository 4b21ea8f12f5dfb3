"""`copbot serve`: gunicorn (threaded workers) in HTTP mode, or Socket Mode with an app token."""

from __future__ import annotations

import logging
from typing import Any

from gunicorn.app.base import BaseApplication

from copbot.app import create_app
from copbot.config import Settings
from copbot.web import CopbotWsgi
from storage.db import Database

log = logging.getLogger(__name__)


def build_wsgi(settings: Settings) -> CopbotWsgi:
    database = Database(settings.database_url)
    return CopbotWsgi(create_app(settings, database), database, signing_secret=settings.slack_signing_secret)


class CopbotServer(BaseApplication):
    """Gunicorn with copbot's WSGI app, built in each worker after the fork."""

    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> CopbotWsgi:
        return build_wsgi(self.settings)


def gunicorn_options(settings: Settings, host: str = "0.0.0.0") -> dict[str, Any]:
    return {
        "bind": f"{host}:{settings.port}",
        "workers": settings.web_concurrency,
        "worker_class": "gthread",
        "threads": 8,
        "timeout": 30,
        "graceful_timeout": 10,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
    }


def serve_http(settings: Settings, host: str = "0.0.0.0") -> None:
    CopbotServer(settings, gunicorn_options(settings, host)).run()


def serve_socket_mode(settings: Settings) -> None:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    database = Database(settings.database_url)
    app = create_app(settings, database)
    log.info("copbot connecting to Slack in Socket Mode")
    SocketModeHandler(app, settings.slack_app_token).start()
