"""/pdsa help end to end: signed request in over HTTP, ephemeral answer out."""

from __future__ import annotations

import time

from tests.conftest import SIGNING_SECRET
from tests.slack_requests import slash_command


def test_help_lists_commands_ephemerally(slack):
    reply = slack.command("help")
    assert reply.status == 200
    body = reply.json
    assert body["response_type"] == "ephemeral"
    assert "/pdsa help" in body["text"]


def test_unknown_subcommand_gets_help_naming_it(slack):
    reply = slack.command("frobnicate now")
    body = reply.json
    assert reply.status == 200
    assert body["response_type"] == "ephemeral"
    assert "frobnicate" in body["text"]
    assert "/pdsa help" in body["text"]


def test_empty_text_shows_help(slack):
    assert "copbot commands" in slack.command("").json["text"]


def test_unsigned_badly_signed_and_stale_requests_get_401(slack):
    from urllib.parse import urlencode

    body = urlencode(slash_command("help")).encode()
    form = "application/x-www-form-urlencoded"
    assert slack.post_raw(body, form, signature="v0=" + "0" * 64).status == 401
    assert slack.post_raw(body, form, secret="another-secret").status == 401
    assert slack.post_raw(body, form, timestamp=int(time.time()) - 6 * 60).status == 401
    assert slack.post_raw(body, form, headers={"X-Slack-Signature": ""}).status == 401
    assert slack.post_raw(body, form, secret=SIGNING_SECRET).status == 200


def test_healthz_reports_database(slack):
    reply = slack.get("/healthz")
    assert reply.status == 200
    assert reply.json == {"status": "ok", "database": "ok"}
