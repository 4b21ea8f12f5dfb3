"""Shared fixtures: a fresh database per test, the Slack stand-in, copbot on a real port.

Set COPBOT_TEST_DATABASE_URL to a PostgreSQL URL (a database the tests may wipe) to run the
whole suite on PostgreSQL; the default is a fresh SQLite file per test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import inspect
from sqlmodel import Session, SQLModel

import storage.models  # noqa: F401  (tables on the metadata)
from copbot.config import Settings
from storage.db import Database
from tests.servers import InProcessServer
from tests.slack_requests import SlackSender
from tests.slack_standin import SlackStandIn

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"
POSTGRES_URL = os.environ.get("COPBOT_TEST_DATABASE_URL")


def pytest_report_header(config: pytest.Config) -> str:
    return f"copbot test database: {'PostgreSQL' if POSTGRES_URL else 'SQLite'}"


@pytest.fixture
def database_url(tmp_path) -> str:
    if POSTGRES_URL:
        return POSTGRES_URL
    return f"sqlite:///{tmp_path / 'copbot.db'}"


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A database with copbot's tables and no rows."""
    db = Database(database_url)
    drop_foreign_tables(db)
    SQLModel.metadata.drop_all(db.engine)
    SQLModel.metadata.create_all(db.engine)
    yield db
    db.dispose()


def drop_foreign_tables(db: Database) -> None:
    """Drop the OAuth stores' and the job store's tables a previous test left (PostgreSQL keeps them)."""
    names = [n for n in inspect(db.engine).get_table_names() if n.startswith(("slack_", "apscheduler_"))]
    with db.engine.begin() as connection:
        for name in names:
            connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    with Session(database.engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture(scope="session")
def standin_server() -> Iterator[SlackStandIn]:
    with SlackStandIn(bot_token=BOT_TOKEN) as server:
        yield server


@pytest.fixture
def standin(standin_server: SlackStandIn) -> Iterator[SlackStandIn]:
    standin_server.reset()
    standin_server.users.clear()
    standin_server.handlers.clear()
    yield standin_server
    assert not standin_server.invalid_payloads, f"copbot sent invalid Block Kit: {standin_server.invalid_payloads}"


@pytest.fixture
def settings(standin: SlackStandIn, database_url: str) -> Settings:
    return Settings(
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_app_token=None,
        slack_client_id=None,
        slack_client_secret=None,
        database_url=database_url,
        port=3000,
        slack_api_url=standin.api_url,
        web_concurrency=1,
    )


@pytest.fixture
def copbot(settings: Settings, database: Database) -> Iterator[InProcessServer]:
    """copbot's WSGI app serving on a real port in this process."""
    with InProcessServer(settings, database) as server:
        yield server


@pytest.fixture
def slack(copbot: InProcessServer) -> SlackSender:
    """Sends signed Slack requests to the running copbot."""
    return SlackSender(copbot.url, SIGNING_SECRET)
