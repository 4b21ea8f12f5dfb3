"""Settings read from environment variables, checked once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

SLACK_API_DEFAULT = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///copbot.db"


class ConfigError(Exception):
    """A missing or malformed setting; the message names the variable and how to fix it."""


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str | None
    slack_signing_secret: str | None
    slack_app_token: str | None
    slack_client_id: str | None
    slack_client_secret: str | None
    database_url: str
    port: int
    slack_api_url: str
    web_concurrency: int
    public_url: str | None = None  # where Slack and calendars reach copbot, for calendar feed links

    @property
    def oauth_enabled(self) -> bool:
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)


def _port(raw: str) -> int:
    try:
        port = int(raw)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise ConfigError(f"PORT must be a TCP port number from 1 to 65535, got {raw!r}.")
    return port


def _api_url(raw: str) -> str:
    parsed = urlparse(raw)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(
            f"SLACK_API_URL must be an http(s) URL such as {SLACK_API_DEFAULT}, got {raw!r}."
        )
    return raw if raw.endswith("/") else raw + "/"


def _public_url(raw: str | None) -> str | None:
    if raw is None:
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"PUBLIC_URL must be copbot's public http(s) address, e.g. https://copbot.example.org, "
                          f"got {raw!r}.")
    return raw.rstrip("/")


def _database_url(raw: str) -> str:
    scheme = raw.split(":", 1)[0]
    if scheme.startswith("postgres"):
        # psycopg 3 is the driver; accept the usual postgres:// and postgresql:// spellings.
        rest = raw.split("://", 1)[1] if "://" in raw else ""
        return "postgresql+psycopg://" + rest
    if scheme.startswith("sqlite"):
        return raw
    raise ConfigError(
        "DATABASE_URL must be a sqlite:///path.db or postgresql://user:pass@host/db URL, "
        f"got {raw!r}."
    )


def load_settings(env: Mapping[str, str] | None = None, *, require_slack: bool = True) -> Settings:
    """Read settings from ``env`` (default: the process environment).

    ``require_slack`` is false for commands that never talk to Slack (``copbot db upgrade``).
    """
    env = os.environ if env is None else env
    get = lambda name: (env.get(name) or "").strip() or None  # noqa: E731

    bot_token = get("SLACK_BOT_TOKEN")
    signing_secret = get("SLACK_SIGNING_SECRET")
    app_token = get("SLACK_APP_TOKEN")
    client_id = get("SLACK_CLIENT_ID")
    client_secret = get("SLACK_CLIENT_SECRET")
    oauth = bool(client_id and client_secret)

    if require_slack:
        if oauth and not signing_secret:
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set: the OAuth install flow (SLACK_CLIENT_ID and "
                "SLACK_CLIENT_SECRET) needs it too; copy it from Basic Information > App Credentials."
            )
        if not signing_secret and not app_token:
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set: copy it from your Slack app's "
                "Basic Information > App Credentials > Signing Secret."
            )
        if not bot_token and not oauth:
            raise ConfigError(
                "SLACK_BOT_TOKEN is not set: install the app to your workspace and copy the "
                "Bot User OAuth Token (xoxb-...) from OAuth & Permissions."
            )
        if bot_token and not bot_token.startswith("xoxb-"):
            raise ConfigError("SLACK_BOT_TOKEN must be a bot token starting with xoxb-.")
        if app_token and not app_token.startswith("xapp-"):
            raise ConfigError(
                "SLACK_APP_TOKEN must be an app-level token starting with xapp- "
                "(Basic Information > App-Level Tokens, scope connections:write)."
            )

    concurrency_raw = get("WEB_CONCURRENCY") or "2"
    if not concurrency_raw.isdigit() or int(concurrency_raw) < 1:
        raise ConfigError(f"WEB_CONCURRENCY must be a positive whole number, got {concurrency_raw!r}.")

    return Settings(
        slack_bot_token=bot_token,
        slack_signing_secret=signing_secret,
        slack_app_token=app_token,
        slack_client_id=client_id,
        slack_client_secret=client_secret,
        database_url=_database_url(get("DATABASE_URL") or DEFAULT_DATABASE_URL),
        port=_port(get("PORT") or "3000"),
        slack_api_url=_api_url(get("SLACK_API_URL") or SLACK_API_DEFAULT),
        web_concurrency=int(concurrency_raw),
        public_url=_public_url(get("PUBLIC_URL")),
    )
