"""Multi-workspace install: OAuth v2 through /slack/install and /slack/oauth_redirect, tokens per workspace."""

from __future__ import annotations

import dataclasses
import re
import urllib.request
from pathlib import Path

import pytest
from sqlmodel import select

from copbot.config import ConfigError, load_settings
from copbot.installations import BOT_SCOPES, bot_token_for, client_for_team, create_oauth_tables
from copbot.workspaces import is_active
from storage.models import Workspace
from tests.conftest import SIGNING_SECRET
from tests.servers import ROOT, InProcessServer
from tests.slack_requests import SlackSender, event

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "oauth-client-secret"
WORKSPACES = {"code-north": ("T0NORTH", "North County Schools", "xoxb-north"),
              "code-south": ("T0SOUTH", "South Valley Unified", "xoxb-south")}


@pytest.fixture
def oauth_settings(settings):
    return dataclasses.replace(settings, slack_bot_token=None, slack_client_id=CLIENT_ID,
                               slack_client_secret=CLIENT_SECRET)


@pytest.fixture
def oauth_copbot(oauth_settings, database, standin):
    def access(args):
        team_id, name, token = WORKSPACES[args["code"]]
        standin.valid_tokens.add(token)
        return {"ok": True, "app_id": "A0COPBOT", "access_token": token, "token_type": "bot",
                "scope": ",".join(BOT_SCOPES), "bot_user_id": "UBOT" + team_id[-4:],
                "team": {"id": team_id, "name": name}, "authed_user": {"id": "UINSTALLER"}}

    standin.handlers["oauth.v2.access"] = access
    create_oauth_tables(database)
    with InProcessServer(oauth_settings, database) as server:
        yield server
    for _, _, token in WORKSPACES.values():
        standin.valid_tokens.discard(token)


def fetch(url, cookie=None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers


def install(server, code):
    status, page, headers = fetch(server.url + "/slack/install")
    assert status == 200
    state = re.search(r"state=([\w-]+)", page).group(1)
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    assert cookie.endswith(state)
    assert "scope=" + ",".join(BOT_SCOPES) + "&" in page.replace("&amp;", "&")
    return fetch(f"{server.url}/slack/oauth_redirect?code={code}&state={state}", cookie)


def test_install_two_workspaces_and_each_gets_its_own_token(oauth_copbot, oauth_settings, database, standin):
    for code in WORKSPACES:
        status, page, _ = install(oauth_copbot, code)
        assert status == 200, page
    assert standin.calls_to("oauth.v2.access")[0].args["code"] == "code-north"

    with database.session() as session:
        workspaces = {w.team_id: w for w in session.exec(select(Workspace)).all()}
        assert workspaces["T0NORTH"].name == "North County Schools"
        assert all(is_active(session, team) for team in ("T0NORTH", "T0SOUTH"))
    assert bot_token_for(oauth_settings, database, "T0SOUTH") == "xoxb-south"
    assert client_for_team(oauth_settings, database, "T0NORTH").token == "xoxb-north"
    assert bot_token_for(oauth_settings, database, "T0NOBODY") is None

    slack = SlackSender(oauth_copbot.url, SIGNING_SECRET)
    reply = slack.command("help", team_id="T0SOUTH")
    assert reply.status == 200 and "/pdsa help" in reply.json["text"]


def test_redirect_with_forged_state_installs_nothing(oauth_copbot, database, standin):
    status, _, _ = fetch(f"{oauth_copbot.url}/slack/oauth_redirect?code=code-north&state=forged",
                         "slack-app-oauth-state=forged")
    assert status >= 400
    assert not standin.calls_to("oauth.v2.access")
    with database.session() as session:
        assert session.exec(select(Workspace)).first() is None


def test_uninstall_stops_sends_and_deletes_tokens_once_even_when_retried(oauth_copbot, oauth_settings, database):
    for code in WORKSPACES:
        install(oauth_copbot, code)
    slack = SlackSender(oauth_copbot.url, SIGNING_SECRET)
    uninstalled = event({"type": "app_uninstalled"}, event_id="Ev0UNINSTALL", team_id="T0NORTH")
    assert slack.event(uninstalled).status == 200
    oauth_copbot.wait_idle()
    with database.session() as session:
        first = session.get(Workspace, "T0NORTH").uninstalled_at
        assert first is not None and not is_active(session, "T0NORTH")
    # Slack retries the same event: nothing changes and nothing fails.
    assert slack.event(uninstalled, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
                       ).status == 200
    oauth_copbot.wait_idle()
    with database.session() as session:
        assert session.get(Workspace, "T0NORTH").uninstalled_at == first
        assert is_active(session, "T0SOUTH")
    assert bot_token_for(oauth_settings, database, "T0NORTH") is None
    assert client_for_team(oauth_settings, database, "T0NORTH") is None
    assert bot_token_for(oauth_settings, database, "T0SOUTH") == "xoxb-south"

    # The uninstalled workspace's commands get Bolt's "reinstall" answer, never copbot's data.
    reply = slack.command("help", team_id="T0NORTH")
    assert "/pdsa help" not in reply.text

    # Installing again makes it active again.
    install(oauth_copbot, "code-north")
    with database.session() as session:
        assert is_active(session, "T0NORTH")


def test_tokens_revoked_for_the_bot_stops_sends(oauth_copbot, oauth_settings, database):
    install(oauth_copbot, "code-south")
    slack = SlackSender(oauth_copbot.url, SIGNING_SECRET)
    user_only = event({"type": "tokens_revoked", "tokens": {"oauth": ["UINSTALLER"]}}, event_id="Ev0R1",
                      team_id="T0SOUTH")
    slack.event(user_only)
    oauth_copbot.wait_idle()
    assert bot_token_for(oauth_settings, database, "T0SOUTH") == "xoxb-south"
    revoked = event({"type": "tokens_revoked", "tokens": {"bot": ["UBOTOUTH"]}}, event_id="Ev0R2",
                    team_id="T0SOUTH")
    assert slack.event(revoked).status == 200
    oauth_copbot.wait_idle()
    assert bot_token_for(oauth_settings, database, "T0SOUTH") is None


def test_single_token_mode_uninstall_marks_workspace(slack, copbot, settings, database):
    assert bot_token_for(settings, database, "T0001") == settings.slack_bot_token
    slack.event(event({"type": "app_uninstalled"}, event_id="Ev0U1"))
    copbot.wait_idle()
    with database.session() as session:
        assert not is_active(session, "T0001")
    assert bot_token_for(settings, database, "T0001") is None


def test_oauth_needs_the_signing_secret_too():
    env = {"SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET}
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        load_settings(env)
    settings = load_settings({**env, "SLACK_SIGNING_SECRET": "s"})
    assert settings.oauth_enabled and settings.slack_bot_token is None


def test_create_oauth_tables_is_idempotent(database):
    from sqlalchemy import inspect

    create_oauth_tables(database)
    create_oauth_tables(database)
    tables = set(inspect(database.engine).get_table_names())
    assert {"slack_installations", "slack_bots", "slack_oauth_states"} <= tables


def test_bot_scopes_match_the_manifest():
    manifest = Path(ROOT / "manifest.yml").read_text()
    block = manifest.split("    bot:\n", 1)[1].split("settings:", 1)[0]
    scopes = re.findall(r"^\s+- ([\w:.]+)", block, flags=re.M)
    assert scopes == BOT_SCOPES


def test_db_upgrade_creates_the_oauth_tables(tmp_path):
    from sqlalchemy import inspect

    from storage.db import Database
    from tests.servers import copbot_env, run_copbot

    url = f"sqlite:///{tmp_path}/fresh.db"
    assert run_copbot("db", "upgrade", env=copbot_env(DATABASE_URL=url)).returncode == 0
    tables = set(inspect(Database(url).engine).get_table_names())
    assert {"slack_installations", "slack_bots", "slack_oauth_states", "workspace"} <= tables


def test_copbot_serve_in_oauth_mode_serves_the_install_page(tmp_path, standin):
    from sqlalchemy import inspect

    from storage.db import Database
    from tests.servers import CopbotProcess, copbot_env, free_port

    url = f"sqlite:///{tmp_path}/oauth.db"
    env = copbot_env(SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET=CLIENT_SECRET, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                     SLACK_API_URL=standin.api_url, DATABASE_URL=url, PORT=str(free_port()), WEB_CONCURRENCY="1")
    process = CopbotProcess(env)
    try:
        process.wait_ready()
        status, page, headers = fetch(process.url + "/slack/install")
        assert status == 200 and "slack.com/oauth/v2/authorize" in page
        assert "slack-app-oauth-state=" in headers["Set-Cookie"]
        assert "slack_installations" in inspect(Database(url).engine).get_table_names()
    finally:
        output = process.stop()
    assert "Traceback" not in output
