"""Kill the sender in the middle of a sweep and restart it: every due notification is sent once.

`copbot reminders due --send` (the worker's sweep, at a given instant) runs as a subprocess against
the Slack stand-in with 300 due DMs across two workspaces, four CoPs and a hundred school teams. The
stand-in holds the 150th chat.postMessage (batch two of three) until the process has been killed
with SIGKILL, so the kill lands exactly in the window copbot/notify.py documents: Slack accepted
the message, copbot never recorded it. Then:

- a restart at the same instant sends what no sweep had claimed, and nothing twice: the rows the
  killed sweep had claimed are still under its lease;
- a restart after the lease (``LEASE`` after the instant) sends the rest.

In the end every notification is sent, each once per recipient and text as the stand-in saw it,
except the one message in flight when the process died (sent twice, the documented bound).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from copbot.notify import BATCH_SIZE, LEASE, preview_due
from copbot.vocabulary import NotificationStatus
from storage.models import Notification, SlackUser
from tests.conftest import BOT_TOKEN, SIGNING_SECRET
from tests.factories import make_cop, make_school_team
from tests.reminder_world import cycle_in_do, team_members, utc
from tests.servers import ROOT, copbot_env, run_copbot

SWEEP_AT = utc("2025-09-08T14:30")  # Mon 8 Sep, 7:30 in Los Angeles: game plan Do reminders, SSC reminders
WORKSPACES = ("T0001", "T0002")
COPS_PER_WORKSPACE = 2
TEAMS_PER_COP = 25
DMS_PER_TEAM = 3  # the teacher and the note taker (Do game plan), the site decision maker (SSC)
KILL_AT_MESSAGE = BATCH_SIZE + BATCH_SIZE // 2  # the middle of the second claimed batch


class HoldOneMessage:
    """A chat.postMessage handler for the stand-in: accepts every message, but holds the n-th
    one (already accepted, not yet answered) until ``release()``, so the sender dies mid-call."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.seen = 0
        self.message: tuple[str, str] | None = None
        self.in_flight = threading.Event()
        self._released = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, args: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self.seen += 1
            held = self.seen == self.n
        if held:
            self.message = (args["channel"], args["text"])
            self.in_flight.set()
            self._released.wait(timeout=60)
        return {"ok": True, "channel": args["channel"], "ts": f"{1757341800 + self.seen}.000100",
                "message": {"text": args["text"]}}

    def release(self) -> None:
        self._released.set()


def seed(database) -> None:
    """Four CoPs (two per workspace), 25 teams each with a cycle in Do; everyone's zone known."""
    with database.session() as session:
        for workspace in WORKSPACES:
            for cop_number in range(COPS_PER_WORKSPACE):
                cop = make_cop(session, team_id=workspace, channel_id=f"C{workspace[-1]}{cop_number}",
                               facilitator=f"UF{workspace[-1]}{cop_number}", name=f"CoP {workspace} {cop_number}")
                cop.digest_weekday = 4  # Friday: the Monday sweep is reminders only
                session.add(cop)
                for index in range(TEAMS_PER_COP):
                    prefix = f"U{workspace[-1]}{cop_number}{index:02d}"
                    team = make_school_team(session, cop, f"School {index}", members=team_members(prefix=prefix))
                    cycle_in_do(session, team)
                    for suffix in ("0001", "0002", "0003", "0004"):
                        session.add(SlackUser(team_id=workspace, user_id=prefix + suffix, tz="America/Los_Angeles",
                                              tz_checked_at=SWEEP_AT - timedelta(days=1)))


def sweep_command(at: str) -> list[str]:
    return [sys.executable, "-m", "copbot", "reminders", "due", "--at", at, "--send"]


def delivered(standin) -> Counter[tuple[str, str]]:
    """Messages the stand-in accepted, counted per recipient and text."""
    return Counter((c.args["channel"], c.args["text"]) for c in standin.calls_to("chat.postMessage")
                   if c.status == 200 and c.answer.get("ok"))


def rows(database) -> list[Notification]:
    with Session(database.engine) as session:
        return list(session.exec(select(Notification)))


def test_a_sweep_killed_mid_send_and_restarted_sends_every_notification_once(database, database_url, standin,
                                                                             tmp_path):
    seed(database)
    with Session(database.engine) as session:
        expected = [o for o in preview_due(session, at=SWEEP_AT) if o.status == "would_send"]
    assert len(expected) == len(WORKSPACES) * COPS_PER_WORKSPACE * TEAMS_PER_COP * DMS_PER_TEAM == 300
    hold = HoldOneMessage(KILL_AT_MESSAGE)
    standin.handlers["chat.postMessage"] = hold
    env = copbot_env(DATABASE_URL=database_url, SLACK_API_URL=standin.api_url, SLACK_BOT_TOKEN=BOT_TOKEN,
                     SLACK_SIGNING_SECRET=SIGNING_SECRET)

    with open(tmp_path / "killed.log", "w") as log:
        worker = subprocess.Popen(sweep_command(SWEEP_AT.isoformat()), env=env, cwd=ROOT, stdout=log, stderr=log)
        try:
            assert hold.in_flight.wait(timeout=120), (tmp_path / "killed.log").read_text()
            worker.send_signal(signal.SIGKILL)
            assert worker.wait(timeout=30) == -signal.SIGKILL
        finally:
            hold.release()
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    assert hold.message is not None
    standin.wait_for("chat.postMessage", count=KILL_AT_MESSAGE)  # the held call, recorded once released
    before_restart = delivered(standin)
    assert sum(before_restart.values()) == KILL_AT_MESSAGE  # the held message counts: Slack accepted it
    assert max(before_restart.values()) == 1
    with Session(database.engine) as session:
        claimed = session.exec(select(Notification).where(Notification.status == NotificationStatus.PENDING,
                                                          Notification.claimed_by.is_not(None))).all()
    # The killed sweep's second batch: the held row and the rows after it, claimed until the lease ends.
    assert len(claimed) == 2 * BATCH_SIZE - KILL_AT_MESSAGE + 1
    assert all(row.claimed_until == SWEEP_AT + LEASE for row in claimed)

    # Restart at the same instant: the unclaimed third batch goes out, nothing goes out twice.
    same_instant = run_copbot("reminders", "due", "--at", SWEEP_AT.isoformat(), "--send", env=env, timeout=120)
    assert same_instant.returncode == 0, same_instant.stderr
    assert same_instant.stdout.startswith(f"sweep at {SWEEP_AT.isoformat()}: {len(expected) - 2 * BATCH_SIZE} sent")
    assert max(delivered(standin).values()) == 1

    # Restart once the killed sweep's lease has lapsed: its claimed rows are taken over and sent.
    after_lease = (SWEEP_AT + LEASE + timedelta(minutes=1)).isoformat()
    taken_over = run_copbot("reminders", "due", "--at", after_lease, "--send", env=env, timeout=120)
    assert taken_over.returncode == 0, taken_over.stderr
    assert taken_over.stdout.startswith(f"sweep at {after_lease}: {len(claimed)} sent, 0 skipped, 0 failed")

    final = rows(database)
    assert len(final) == len(expected)
    assert {row.status for row in final} == {NotificationStatus.SENT}
    assert all(row.claimed_by is None for row in final)
    messages = delivered(standin)
    # Zero lost: each notification row reached its recipient with its own text.
    assert len(messages) == len(final)
    assert Counter(channel for channel, _text in messages) == Counter(row.recipient for row in final)
    # At most the documented crash window duplicated: the one message in flight when the process died.
    duplicates = {message: count for message, count in messages.items() if count > 1}
    assert sum(count - 1 for count in duplicates.values()) <= 1
    assert duplicates == {hold.message: 2}
    # A further sweep finds nothing left to send.
    again = run_copbot("reminders", "due", "--at", after_lease, "--send", env=env, timeout=120)
    assert again.stdout.startswith(f"sweep at {after_lease}: 0 sent")
    assert sum(delivered(standin).values()) == len(final) + 1
