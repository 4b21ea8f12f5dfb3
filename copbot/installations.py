"""Multi-workspace install (OAuth v2) with slack_sdk's SQLAlchemy stores in copbot's database.

Used only when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set; otherwise copbot runs with the
single SLACK_BOT_TOKEN. Bolt serves ``/slack/install`` and ``/slack/oauth_redirect`` from these
settings; every install (and reinstall) is recorded in the Workspace table.
"""

from __future__ import annotations

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from copbot.clock import utcnow
from copbot.config import Settings
from copbot.slack_client import make_client
from copbot.workspaces import is_active, record_install
from storage.db import Database

# The bot scopes of manifest.yml (tests/test_installations.py keeps the two in step).
BOT_SCOPES = [
    "commands", "chat:write", "chat:write.public", "im:write", "users:read", "channels:manage",
    "channels:join", "groups:write", "files:write", "files:read",
]
STATE_EXPIRATION_SECONDS = 600


class CopbotInstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store (tables slack_installations, slack_bots) that also records the Workspace."""

    def __init__(self, *, client_id: str, database: Database) -> None:
        super().__init__(client_id=client_id, engine=database.engine)
        self.database = database

    def save(self, installation: Installation) -> None:
        super().save(installation)
        if installation.team_id:
            with self.database.session() as session:
                record_install(session, team_id=installation.team_id, name=installation.team_name or "",
                               at=utcnow())


def create_oauth_tables(database: Database) -> None:
    """Create slack_sdk's OAuth tables if missing (idempotent; Alembic leaves slack_* tables alone)."""
    SQLAlchemyInstallationStore(client_id="copbot", engine=database.engine).create_tables()
    SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=database.engine).create_tables()


def oauth_settings(settings: Settings, database: Database) -> OAuthSettings:
    """Bolt's OAuth settings: bot scopes only, installations and states in copbot's database."""
    if not (settings.slack_client_id and settings.slack_client_secret):
        raise ValueError("oauth_settings needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=BOT_SCOPES,
        user_scopes=[],
        installation_store=CopbotInstallationStore(client_id=settings.slack_client_id, database=database),
        installation_store_bot_only=True,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=STATE_EXPIRATION_SECONDS, engine=database.engine),
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
    )


def bot_token_for(settings: Settings, database: Database, team_id: str) -> str | None:
    """The bot token to reach this workspace with, or None when copbot must not send to it."""
    with database.session() as session:
        if not is_active(session, team_id):
            return None
    if not settings.oauth_enabled:
        return settings.slack_bot_token
    store = CopbotInstallationStore(client_id=settings.slack_client_id or "", database=database)
    bot = store.find_bot(enterprise_id=None, team_id=team_id)
    return bot.bot_token if bot else None


def client_for_team(settings: Settings, database: Database, team_id: str) -> WebClient | None:
    """A WebClient for unprompted sends (reminders, digests) to one workspace; None if it is gone."""
    token = bot_token_for(settings, database, team_id)
    return make_client(settings, token) if token else None
