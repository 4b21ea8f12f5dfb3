"""The sweep (copbot/notify.py) against the Slack stand-in: sent once, skipped or failed with a reason."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from slack_sdk import WebClient
from sqlmodel import Session, select

from copbot import cycles
from copbot.notify import STALE_AFTER, NotificationSender, preview_due
from copbot.slack_client import make_client, retry_handlers
from copbot.vocabulary import DoMeetingKind, NotificationStatus, ReminderKind
from storage.models import CalendarBreak, Notification, SlackUser
from storage.notifications import claim_due
from tests.conftest import BOT_TOKEN, POSTGRES_URL
from tests.factories import make_cop, make_school_team
from tests.reminder_world import (
    DECIDER,
    FACILITATOR,
    NOTES,
    TEACHER,
    cop_with_team,
    cycle_in_do,
    mid_cycle,
    person,
    team_members,
    utc,
)

GAME_PLAN_DUE = "2025-09-08T14:30"  # Mon 8 Sep, 7:30 PDT


@pytest.fixture
def client(settings) -> WebClient:
    return make_client(settings)


@pytest.fixture
def sender(database, client) -> NotificationSender:
    return NotificationSender(database, lambda _team_id: client, worker_id="worker-1")


@pytest.fixture
def world(database, standin):
    """A CoP with one team whose cycle 1 is in Do (its August SSC report done); everyone known to
    Slack in Los Angeles."""
    with database.session() as session:
        cop, team, cycle = mid_cycle(session)
    for user_id in (TEACHER, "U0002", NOTES, DECIDER, FACILITATOR):
        standin.add_user(user_id, tz="America/Los_Angeles")
    return cop, team, cycle


def rows(database, **where) -> list[Notification]:
    with Session(database.engine) as session:
        query = select(Notification).order_by(Notification.id)
        for name, value in where.items():
            query = query.where(getattr(Notification, name) == value)
        return list(session.exec(query))


def dms(standin, user_id: str) -> list:
    return [c for c in standin.calls_to("chat.postMessage") if c.args["channel"] == user_id and c.status == 200]


def test_due_reminders_are_sent_once_with_buttons(sender, world, standin, database):
    _cop, team, cycle = world
    report = sender.sweep(at=utc(GAME_PLAN_DUE))
    assert report.count("sent") == 2
    teacher = dms(standin, TEACHER)
    assert len(teacher) == 1
    blocks = teacher[0].args["blocks"]
    actions = next(b for b in blocks if b["type"] == "actions")["elements"]
    assert [a["action_id"] for a in actions] == ["open_do", "snooze_notification_day", "snooze_notification_week"]
    assert actions[0]["value"] == str(team.id)
    assert "Game plan" in teacher[0].args["text"]
    row = rows(database, recipient=TEACHER)[0]
    assert (row.status, row.attempts, row.claimed_by, row.sent_at) == ("sent", 1, None, utc(GAME_PLAN_DUE))
    assert row.dedupe_key == f"do_meeting:game_plan:cycle:{cycle.id}:{TEACHER}"
    assert actions[1]["value"] == str(row.id)
    again = sender.sweep(at=utc(GAME_PLAN_DUE) + timedelta(hours=2))
    assert again.count("sent") == 0 and len(dms(standin, TEACHER)) == 1


def test_restart_catch_up_sends_each_due_notification_exactly_once(database, client, world, standin):
    first = NotificationSender(database, lambda _t: client, worker_id="before-restart")
    first.sweep(at=utc("2025-09-08T14:30"))  # game plan reminders go out
    assert len(standin.calls_to("chat.postMessage")) == 2
    # The worker is down from Sep 9 to Oct 7: the mid-stream reminders and the team check-in fell due.
    restarted = NotificationSender(database, lambda _t: client, worker_id="after-restart")
    report = restarted.sweep(at=utc("2025-10-07T10:00"))
    assert report.count("sent") == 3  # mid-stream x2 and the facilitator's team check-in
    third = NotificationSender(database, lambda _t: client, worker_id="after-second-restart")
    assert third.sweep(at=utc("2025-10-07T10:05")).count("sent") == 0
    sent = [(c.args["channel"], c.args["text"][:40]) for c in standin.calls_to("chat.postMessage")]
    assert len(sent) == len(set(sent)) == 5
    assert {r.status for r in rows(database)} == {"sent"}


def test_muted_kind_is_skipped_with_a_reason(sender, world, standin, database):
    with database.session() as session:
        person(session, TEACHER, checked="2025-09-07T00:00", muted_kinds=[ReminderKind.DO_MEETING.value])
    sender.sweep(at=utc(GAME_PLAN_DUE))
    assert dms(standin, TEACHER) == [] and len(dms(standin, NOTES)) == 1
    row = rows(database, recipient=TEACHER)[0]
    assert row.status == "skipped" and "muted" in row.last_error


def test_quiet_hours_hold_a_reminder_until_they_end(sender, world, standin, database):
    with database.session() as session:
        person(session, TEACHER, checked="2025-09-07T00:00", quiet_start_hour=6, quiet_end_hour=10)
    sender.sweep(at=utc(GAME_PLAN_DUE))
    assert dms(standin, TEACHER) == [] and len(dms(standin, NOTES)) == 1
    sender.sweep(at=utc("2025-09-08T16:59"))
    assert dms(standin, TEACHER) == []
    sender.sweep(at=utc("2025-09-08T17:00"))  # 10:00 PDT
    assert len(dms(standin, TEACHER)) == 1
    assert rows(database, recipient=TEACHER)[0].due_at == utc("2025-09-08T17:00")


def in_new_york(database, cop) -> None:
    """The CoP says New York, but Slack says its people are in Los Angeles (users.info)."""
    with database.session() as session:
        stored = session.get(type(cop), cop.id)
        stored.timezone = "America/New_York"
        session.add(stored)


def test_slack_time_zone_defers_a_row_planned_in_the_cops_zone(sender, world, standin, database):
    cop, _team, _cycle = world
    in_new_york(database, cop)
    report = sender.sweep(at=utc("2025-09-08T11:30"))  # 7:30 in New York, 4:30 in Los Angeles
    assert report.count("deferred") == 2 and standin.calls_to("chat.postMessage") == []
    assert {(r.status, r.due_at) for r in rows(database)} == {("pending", utc("2025-09-08T14:30"))}
    assert sender.sweep(at=utc("2025-09-08T14:30")).count("sent") == 2

def test_time_zone_from_users_info_moves_delivery_to_local_hour(sender, world, standin, database):
    standin.add_user(TEACHER, tz="America/New_York")
    sender.sweep(at=utc("2025-09-08T11:30"))  # 7:30 in New York: the CoP zone says not yet
    assert dms(standin, TEACHER) == []
    sender.sweep(at=utc("2025-09-08T14:30"))  # planned in the CoP zone, users.info now says New York
    assert len(dms(standin, TEACHER)) == 1
    with database.session() as session:
        user = session.exec(select(SlackUser).where(SlackUser.user_id == TEACHER)).one()
    assert user.tz == "America/New_York" and user.tz_checked_at == utc("2025-09-08T14:30")
    users_info = [c for c in standin.calls_to("users.info") if c.args["user"] == TEACHER]
    sender.sweep(at=utc("2025-10-06T14:30"))  # four weeks later: the cached zone is refreshed
    assert len([c for c in standin.calls_to("users.info") if c.args["user"] == TEACHER]) == len(users_info) + 1


def test_new_york_and_los_angeles_people_each_get_it_at_730_local(sender, database, standin):
    with database.session() as session:
        _cop, team = cop_with_team(session)
        cycle_in_do(session, team)
        person(session, TEACHER, tz="America/New_York", checked="2025-09-07T00:00")
        person(session, NOTES, tz="America/Los_Angeles", checked="2025-09-07T00:00")
    sender.sweep(at=utc("2025-09-08T11:30"))
    assert len(dms(standin, TEACHER)) == 1 and dms(standin, NOTES) == []
    sender.sweep(at=utc("2025-09-08T14:30"))
    assert len(dms(standin, TEACHER)) == 1 and len(dms(standin, NOTES)) == 1


def test_weekends_and_breaks_hold_reminders_back(sender, world, standin, database):
    cop, _team, _cycle = world
    with database.session() as session:
        session.add(CalendarBreak(team_id="T0001", cop_id=cop.id, starts_on=date(2025, 9, 8), ends_on=date(2025, 9, 12),
                                  name="Fire recovery days"))
    assert sender.sweep(at=utc("2025-09-13T17:00")).count("sent") == 0  # Saturday after the break
    assert sender.sweep(at=utc("2025-09-15T14:30")).count("sent") >= 2  # Monday 7:30 PDT
    assert len(dms(standin, TEACHER)) == 1


def test_deleted_or_unknown_people_fail_permanently(sender, world, standin, database):
    standin.add_user(TEACHER, deleted=True)
    del standin.users[NOTES]
    report = sender.sweep(at=utc(GAME_PLAN_DUE))
    assert report.count("failed") == 2 and standin.calls_to("chat.postMessage") == []
    assert {r.last_error for r in rows(database)} == {"the recipient's Slack account is deactivated or deleted"}
    assert sender.sweep(at=utc("2025-10-06T14:30")).count("failed") == 0  # no new reminders for them


def test_rate_limit_waits_for_retry_after_then_sends(sender, world, standin, database):
    standin.rate_limit("chat.postMessage", retry_after=1)
    report = sender.sweep(at=utc(GAME_PLAN_DUE))
    assert report.count("sent") == 2
    statuses = [c.status for c in standin.calls_to("chat.postMessage")]
    assert statuses == [429, 200, 200]


def test_server_error_is_retried_then_sent(sender, world, standin, database):
    standin.server_error("chat.postMessage", status=503)
    report = sender.sweep(at=utc(GAME_PLAN_DUE))
    assert report.count("sent") == 2
    assert [c.status for c in standin.calls_to("chat.postMessage")] == [503, 200, 200]


def test_transient_error_after_retries_backs_off_then_recovers(database, world, standin, settings):
    impatient = WebClient(token=BOT_TOKEN, base_url=standin.api_url, retry_handlers=retry_handlers(max_retries=0))
    sender = NotificationSender(database, lambda _t: impatient, worker_id="w")
    standin.server_error("chat.postMessage", count=2)
    report = sender.sweep(at=utc(GAME_PLAN_DUE))
    assert report.count("retry") == 2 and report.count("sent") == 0
    row = rows(database, recipient=TEACHER)[0]
    assert (row.status, row.attempts, row.claimed_by) == ("pending", 1, None)
    assert row.claimed_until == utc(GAME_PLAN_DUE) + timedelta(minutes=1) and "fatal_error" in row.last_error
    assert sender.sweep(at=utc(GAME_PLAN_DUE) + timedelta(seconds=30)).count("sent") == 0  # backing off
    assert sender.sweep(at=utc(GAME_PLAN_DUE) + timedelta(minutes=2)).count("sent") == 2
    assert len(dms(standin, TEACHER)) == 1


def test_transient_errors_give_up_after_max_attempts(database, world, standin):
    impatient = WebClient(token=BOT_TOKEN, base_url=standin.api_url, retry_handlers=[])
    sender = NotificationSender(database, lambda _t: impatient, worker_id="w", max_attempts=2)
    standin.fail("chat.postMessage", error="internal_error", count=10)
    sender.sweep(at=utc(GAME_PLAN_DUE))
    sender.sweep(at=utc(GAME_PLAN_DUE) + timedelta(minutes=5))
    assert {(r.status, r.attempts) for r in rows(database)} == {("failed", 2)}
    assert all(r.last_error.startswith("gave up after 2 attempts") for r in rows(database))


def test_permanent_slack_error_is_recorded_and_not_retried(sender, world, standin, database):
    standin.fail("chat.postMessage", error="channel_not_found", count=2)
    report = sender.sweep(at=utc(GAME_PLAN_DUE))
    assert report.count("failed") == 2
    assert {r.last_error for r in rows(database)} == {"Slack refused it: channel_not_found"}
    sender.sweep(at=utc(GAME_PLAN_DUE) + timedelta(hours=3))
    assert len(standin.calls_to("chat.postMessage")) == 2


def test_recorded_step_skips_the_pending_reminder(sender, world, standin, database):
    cop, _team, cycle = world
    in_new_york(database, cop)
    sender.sweep(at=utc("2025-09-08T11:30"))  # rows deferred to 7:30 in Los Angeles
    with database.session() as session:
        cycles.record_do_meeting(session, cycle=session.get(type(cycle), cycle.id), user_id=NOTES,
                                 kind=DoMeetingKind.GAME_PLAN, held_on=date(2025, 9, 5), attendees=[], notes="")
    report = sender.sweep(at=utc(GAME_PLAN_DUE))
    assert report.count("skipped") == 2 and standin.calls_to("chat.postMessage") == []
    assert rows(database, recipient=TEACHER)[0].last_error.startswith("no longer needed")


def test_stale_pending_rows_are_skipped_not_sent(sender, world, standin, database):
    cop, _team, _cycle = world
    in_new_york(database, cop)
    sender.sweep(at=utc("2025-09-08T11:30"))
    with database.session() as session:  # rows left pending for too long (e.g. a long outage)
        for row in session.exec(select(Notification)):
            row.due_at = utc(GAME_PLAN_DUE) - STALE_AFTER - timedelta(minutes=1)
            session.add(row)
    sender.sweep(at=utc(GAME_PLAN_DUE))
    assert {r.last_error.split(":")[0] for r in rows(database)} == {"stale"}
    assert standin.calls_to("chat.postMessage") == []


def test_weekly_digest_is_posted_in_sections_and_skipped_on_breaks(sender, world, standin, database):
    cop, _team, _cycle = world
    sender.sweep(at=utc("2025-10-10T15:00"))  # Friday 8:00 PDT
    posts = [c for c in standin.calls_to("chat.postMessage") if c.args["channel"] == "C0001"]
    assert len(posts) == 1
    sections = [b["text"]["text"] for b in posts[0].args["blocks"] if b["type"] == "section"]
    assert all(len(text) <= 3000 for text in sections)
    body = "\n".join(sections)
    assert "Lincoln Middle School" in body and "cycle 1, Do" in body and "Overdue" in body
    with database.session() as session:
        session.add(CalendarBreak(team_id="T0001", cop_id=cop.id, starts_on=date(2025, 10, 13),
                                  ends_on=date(2025, 10, 17), name="Fall break"))
    sender.sweep(at=utc("2025-10-17T15:00"))
    skipped = rows(database, kind="weekly_digest", status="skipped")
    assert len(skipped) == 1 and "Fall break" in skipped[0].last_error


def test_preview_writes_and_sends_nothing(world, standin, database):
    with Session(database.engine) as session:
        outcomes = preview_due(session, at=utc(GAME_PLAN_DUE))
    assert {(o.recipient, o.kind, o.status) for o in outcomes} == {
        (TEACHER, "do_meeting", "would_send"), (NOTES, "do_meeting", "would_send")}
    assert all("Game plan" in o.text for o in outcomes)
    assert rows(database) == [] and standin.calls == []


def test_a_claim_takes_one_batch_and_a_second_claim_skips_it(sender, world, database):
    with database.session() as session:
        for number in range(5):
            session.add(Notification(team_id="T0001", dedupe_key=f"test:{number}", kind="do_meeting",
                                     recipient=TEACHER, due_at=utc(GAME_PLAN_DUE), payload={}))
    with database.session() as session:
        first = claim_due(session, at=utc(GAME_PLAN_DUE), token="a", lease=timedelta(minutes=5), limit=2)
    with database.session() as session:
        second = claim_due(session, at=utc(GAME_PLAN_DUE), token="b", lease=timedelta(minutes=5), limit=10)
    assert len(first) == 2 and len(second) == 3
    assert not {row.id for row in first} & {row.id for row in second}
    later = utc(GAME_PLAN_DUE) + timedelta(minutes=6)  # the leases have lapsed: claimable again
    with database.session() as session:
        assert len(claim_due(session, at=later, token="c", lease=timedelta(minutes=5), limit=10)) == 5


def _two_workers_sweep(database, standin, client_factory) -> None:
    with database.session() as session:
        cop = make_cop(session)
        cop.digest_weekday = 4
        for index in range(12):
            team = make_school_team(session, cop, f"School {index}", members=team_members(prefix=f"U{index:02d}"))
            cycle_in_do(session, team)
    for index in range(12):
        for suffix in ("0001", "0003", "0004"):  # teacher and note taker (Do), decider (SSC)
            standin.add_user(f"U{index:02d}{suffix}")
    standin.stall("chat.postMessage", seconds=0.02, count=36)  # slow Slack: the workers' batches overlap
    barrier = threading.Barrier(2)
    reports = []

    def work(name: str) -> None:
        sender = NotificationSender(database, lambda _t: client_factory(), worker_id=name, batch_size=2)
        barrier.wait()
        planning = sender.plan(at=utc(GAME_PLAN_DUE))  # both plan and insert the same rows
        barrier.wait()
        reports.append(sender.send_due(planning))  # and both claim and send from them at once

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    channels = [c.args["channel"] for c in standin.calls_to("chat.postMessage") if c.status == 200]
    assert len(channels) == 36 == len(set(channels))
    assert sum(report.count("sent") for report in reports) == 36
    assert all(report.count("sent") > 0 for report in reports)  # both really worked, side by side
    assert {r.status for r in rows(database)} == {NotificationStatus.SENT}


@pytest.mark.skipif(not (POSTGRES_URL or "").startswith("postgres"),
                    reason="set COPBOT_TEST_DATABASE_URL to a PostgreSQL URL to run the two-worker test")
def test_two_workers_on_postgresql_send_each_notification_once(database, standin, settings):
    _two_workers_sweep(database, standin, lambda: make_client(settings))


def test_two_workers_on_the_same_database_send_each_notification_once(database, standin, settings):
    _two_workers_sweep(database, standin, lambda: make_client(settings))


def test_a_bug_on_one_row_is_recorded_and_the_sweep_goes_on(sender, world, standin, database, monkeypatch):
    import copbot.notify as notify

    real, calls = notify.reminder_message, []

    def broken_once(kind, payload, *, notification_id):
        calls.append(notification_id)
        if len(calls) == 1:
            raise RuntimeError("template bug")
        return real(kind, payload, notification_id=notification_id)

    monkeypatch.setattr(notify, "reminder_message", broken_once)
    report = sender.sweep(at=utc(GAME_PLAN_DUE))
    assert (report.count("retry"), report.count("sent")) == (1, 1)
    broken = next(r for r in rows(database) if r.status == "pending")
    assert broken.attempts == 1 and broken.last_error == "copbot error: RuntimeError: template bug"
    assert sender.sweep(at=utc(GAME_PLAN_DUE) + timedelta(minutes=2)).count("sent") == 1


def test_an_uninstalled_workspace_gets_nothing_and_each_row_says_why(settings, world, standin, database):
    """Planning leaves uninstalled workspaces out; rows planned before the uninstall end skipped."""
    from copbot.clock import utcnow
    from copbot.notify import workspace_clients
    from copbot.workspaces import record_uninstall

    sender = NotificationSender(database, workspace_clients(settings, database))
    planning = sender.plan(at=utc(GAME_PLAN_DUE))
    assert planning.inserted >= 2
    with database.session() as session:
        record_uninstall(session, team_id="T0001", at=utcnow())
    report = sender.send_due(planning)
    assert report.count("sent") == 0 and report.count("skipped") >= 2
    assert not standin.calls_to("chat.postMessage")
    skipped = rows(database, status=NotificationStatus.SKIPPED)
    assert skipped and all("no longer installed" in row.last_error for row in skipped)
    assert sender.plan(at=utc(GAME_PLAN_DUE) + timedelta(days=7)).planned == 0
