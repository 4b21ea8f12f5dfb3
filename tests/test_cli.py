"""The copbot command: help, settings errors (one line, exit 2), db upgrade."""

from __future__ import annotations

import pytest

from copbot.config import ConfigError, load_settings
from tests.servers import copbot_env, run_copbot

GOOD = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}


@pytest.mark.parametrize("args", [["--help"], ["serve", "--help"], ["worker", "--help"], ["db", "upgrade", "--help"]])
def test_help_for_each_command(args):
    result = run_copbot(*args, env=copbot_env())
    assert result.returncode == 0
    assert "usage: copbot" in result.stdout


@pytest.mark.parametrize(
    ("env", "names"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({**GOOD, "SLACK_BOT_TOKEN": "xoxp-user"}, "SLACK_BOT_TOKEN"),
        ({**GOOD, "PORT": "http"}, "PORT"),
        ({**GOOD, "PORT": "70000"}, "PORT"),
        ({**GOOD, "SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
        ({**GOOD, "DATABASE_URL": "mysql://x/y"}, "DATABASE_URL"),
        ({**GOOD, "SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN"),
        ({**GOOD, "WEB_CONCURRENCY": "0"}, "WEB_CONCURRENCY"),
    ],
)
def test_bad_settings_name_the_variable(env, names):
    with pytest.raises(ConfigError, match=names):
        load_settings(env)


def test_defaults():
    settings = load_settings(GOOD)
    assert settings.port == 3000
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url == "sqlite:///copbot.db"
    assert not settings.socket_mode
    assert load_settings({**GOOD, "DATABASE_URL": "postgres://u:p@h/db"}).database_url == (
        "postgresql+psycopg://u:p@h/db"
    )
    assert load_settings({**GOOD, "SLACK_API_URL": "http://127.0.0.1:9/api"}).slack_api_url.endswith("/api/")


def test_serve_with_missing_secret_prints_one_line_and_exits_2(tmp_path):
    result = run_copbot("serve", env=copbot_env(SLACK_BOT_TOKEN="xoxb-1", DATABASE_URL=f"sqlite:///{tmp_path}/x.db"))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "SLACK_SIGNING_SECRET" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_with_unopenable_database_prints_one_line_and_exits_2(tmp_path):
    env = copbot_env(**GOOD, DATABASE_URL=f"sqlite:///{tmp_path}/missing-dir/x.db")
    result = run_copbot("serve", env=env)
    assert result.returncode == 2
    assert "cannot open database" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_with_refused_token_exits_2(tmp_path, standin):
    env = copbot_env(SLACK_BOT_TOKEN="xoxb-revoked", SLACK_SIGNING_SECRET="s", SLACK_API_URL=standin.api_url,
                     DATABASE_URL=f"sqlite:///{tmp_path}/x.db")
    result = run_copbot("serve", env=env)
    assert result.returncode == 2
    assert "invalid_auth" in result.stderr
    assert "Traceback" not in result.stderr


def test_db_upgrade_creates_schema(tmp_path):
    url = f"sqlite:///{tmp_path}/fresh.db"
    result = run_copbot("db", "upgrade", env=copbot_env(DATABASE_URL=url))
    assert result.returncode == 0, result.stderr
    from storage.db import Database

    Database(url).check()


def test_worker_runs_scheduler_on_persistent_job_store(tmp_path, standin):
    import subprocess
    import sys
    import time

    from sqlalchemy import inspect

    from storage.db import Database
    from tests.servers import ROOT

    url = f"sqlite:///{tmp_path}/w.db"
    env = copbot_env(**GOOD, SLACK_API_URL=standin.api_url, DATABASE_URL=url)
    process = subprocess.Popen([sys.executable, "-m", "copbot", "worker"], env=env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 30
        while time.time() < deadline and "apscheduler_jobs" not in inspect(Database(url).engine).get_table_names():
            assert process.poll() is None, process.stdout.read()
            time.sleep(0.2)
        assert "apscheduler_jobs" in inspect(Database(url).engine).get_table_names()
        assert process.poll() is None  # still running: a real scheduler, not a placeholder
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=15)
    assert "Traceback" not in output
