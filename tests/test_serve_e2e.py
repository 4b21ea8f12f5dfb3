"""`copbot serve` as a real process (gunicorn) on a real port, against the Slack stand-in."""

from __future__ import annotations

import pytest

from tests.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.servers import CopbotProcess, copbot_env, free_port
from tests.slack_requests import SlackSender


@pytest.fixture
def served(standin, database_url, tmp_path):
    env = copbot_env(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                     SLACK_API_URL=standin.api_url, DATABASE_URL=database_url, PORT=str(free_port()),
                     WEB_CONCURRENCY="1")
    process = CopbotProcess(env)
    try:
        process.wait_ready()
        yield process
    finally:
        process.stop()


def test_signed_help_through_copbot_serve(served, standin):
    slack = SlackSender(served.url, SIGNING_SECRET)
    reply = slack.command("help")
    assert reply.status == 200
    assert reply.json["response_type"] == "ephemeral"
    assert "/pdsa help" in reply.json["text"]
    # The app checked its token against the stand-in, through SLACK_API_URL.
    assert standin.calls_to("auth.test")


def test_copbot_serve_rejects_forged_request(served):
    slack = SlackSender(served.url, "not-the-secret")
    assert slack.command("help").status == 401


def test_first_serve_creates_sqlite_schema(served, database_url):
    from storage.db import Database

    Database(database_url).check()  # raises if the tables are missing
