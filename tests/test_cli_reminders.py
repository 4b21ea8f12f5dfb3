"""`copbot reminders due --at ... [--send]` in a subprocess, against the Slack stand-in."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import Notification
from tests.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.reminder_world import NOTES, TEACHER, mid_cycle
from tests.servers import copbot_env, run_copbot


def env_for(database_url, standin):
    return copbot_env(DATABASE_URL=database_url, SLACK_API_URL=standin.api_url, SLACK_BOT_TOKEN=BOT_TOKEN,
                      SLACK_SIGNING_SECRET=SIGNING_SECRET)


def seed(database, standin):
    with database.session() as session:
        mid_cycle(session)
    standin.add_user(TEACHER)
    standin.add_user(NOTES)


def test_preview_shows_recipients_kinds_and_text_without_sending(database, database_url, standin):
    seed(database, standin)
    result = run_copbot("reminders", "due", "--at", "2025-09-08T07:30-07:00", env=env_for(database_url, standin))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "2 notification(s) due at 2025-09-08T14:30:00+00:00 (preview: nothing sent)"
    assert any(TEACHER in line and "do_meeting" in line and "would_send" in line and "Game plan" in line
               for line in lines)
    assert standin.calls == []
    with Session(database.engine) as session:
        assert session.exec(select(Notification)).all() == []
    early = run_copbot("reminders", "due", "--at", "2025-09-08T14:00", env=env_for(database_url, standin))
    assert early.stdout.startswith("0 notification(s) due at 2025-09-08T14:00:00+00:00")


def test_send_sends_once(database, database_url, standin):
    seed(database, standin)
    env = env_for(database_url, standin)
    sent = run_copbot("reminders", "due", "--at", "2025-09-08T14:30", "--send", env=env)
    assert sent.returncode == 0, sent.stderr
    assert sent.stdout.startswith("sweep at 2025-09-08T14:30:00+00:00: 2 sent")
    assert {c.args["channel"] for c in standin.calls_to("chat.postMessage")} == {TEACHER, NOTES}
    again = run_copbot("reminders", "due", "--at", "2025-09-08T15:30", "--send", env=env)
    assert again.stdout.startswith("sweep at 2025-09-08T15:30:00+00:00: 0 sent")
    assert len(standin.calls_to("chat.postMessage")) == 2


def test_bad_instant_is_a_usage_error(database_url, standin):
    result = run_copbot("reminders", "due", "--at", "next monday", env=env_for(database_url, standin))
    assert result.returncode == 2
    assert "ISO 8601" in result.stderr and "Traceback" not in result.stderr
