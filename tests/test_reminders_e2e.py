"""/pdsa remind and the snooze buttons, end to end through signed requests and the Slack stand-in."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from copbot.clock import in_zone, utcnow
from copbot.notify import NotificationSender
from copbot.slack_client import make_client
from storage.models import Notification, SlackUser
from tests.reminder_world import NOTES, TEACHER, cop_with_team, cycle_in_do, utc
from tests.slack_requests import block_action, view_submission


def open_remind(slack, standin, user_id=TEACHER):
    opened = len(standin.calls_to("views.open"))
    reply = slack.command("remind", user_id=user_id)
    assert reply.status == 200
    return standin.wait_for("views.open", count=opened + 1)[-1].args["view"]


def test_remind_opens_settings_and_saves_quiet_hours_and_mutes(slack, standin, database):
    view = open_remind(slack, standin)
    assert view["callback_id"] == "remind_modal"
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == ["quiet_start", "quiet_end",
                                                                               "muted_kinds"]
    reply = slack.interactive(view_submission(view, {"quiet_start": "20", "quiet_end": "7",
                                                     "muted_kinds": ["ssc_report", "team_checkin"]}))
    assert reply.status == 200 and not reply.body
    standin.wait_for("chat.postMessage", lambda c: c.args["channel"] == TEACHER)
    with Session(database.engine) as session:
        user = session.exec(select(SlackUser).where(SlackUser.user_id == TEACHER)).one()
    assert (user.quiet_start_hour, user.quiet_end_hour, user.muted_kinds) == (20, 7, ["ssc_report", "team_checkin"])
    again = open_remind(slack, standin)  # shows what was saved
    quiet_start = next(b for b in again["blocks"] if b.get("block_id") == "quiet_start")
    assert quiet_start["element"]["initial_option"]["value"] == "20"


def test_remind_rejects_half_set_or_all_day_quiet_hours_inline(slack, standin, database):
    view = open_remind(slack, standin)
    reply = slack.interactive(view_submission(view, {"quiet_start": "20"}))
    assert reply.json["response_action"] == "errors" and "quiet_end" in reply.json["errors"]
    reply = slack.interactive(view_submission(open_remind(slack, standin), {"quiet_start": "6", "quiet_end": "20"}))
    assert "whole school day" in reply.json["errors"]["quiet_start"]


def test_remind_with_extra_words_explains_itself(slack):
    reply = slack.command("remind me tomorrow")
    assert reply.json["response_type"] == "ephemeral" and "reminder settings" in reply.json["text"]


def sent_reminder(database, settings, standin) -> Notification:
    with database.session() as session:
        _cop, team = cop_with_team(session)
        cycle_in_do(session, team)
    standin.add_user(TEACHER)
    standin.add_user(NOTES)
    client = make_client(settings)
    NotificationSender(database, lambda _t: client).sweep(at=utc("2025-09-08T14:30"))
    with Session(database.engine) as session:
        return session.exec(select(Notification).where(Notification.recipient == TEACHER)).one()


def test_snooze_button_reschedules_the_reminder(slack, standin, database, settings):
    row = sent_reminder(database, settings, standin)
    dm = standin.wait_for("chat.postMessage", lambda c: c.args["channel"] == TEACHER)[0]
    button = next(e for b in dm.args["blocks"] if b["type"] == "actions" for e in b["elements"]
                  if e["action_id"] == "snooze_notification_week")
    before = utcnow()
    reply = slack.interactive(block_action(button["action_id"], value=button["value"], user_id=TEACHER,
                                           response_url=standin.response_url()))
    assert reply.status == 200
    answer = standin.wait_for_response(lambda body: "Snoozed" in body.get("text", ""))
    assert answer["response_type"] == "ephemeral"
    with Session(database.engine) as session:
        snoozed = session.get(Notification, row.id)
    assert snoozed.status == "pending" and snoozed.sent_at is None and snoozed.claimed_by is None
    assert snoozed.due_at >= before + timedelta(days=7)
    local = in_zone(snoozed.due_at, "America/Los_Angeles")
    assert local.weekday() < 5 and (7, 30) <= (local.hour, local.minute) < (19, 0)


def test_only_the_recipient_may_snooze(slack, standin, database, settings):
    row = sent_reminder(database, settings, standin)
    reply = slack.interactive(block_action("snooze_notification_day", value=str(row.id), user_id=NOTES,
                                           response_url=standin.response_url()))
    assert reply.status == 200
    answer = standin.wait_for_response(lambda body: "Only the person" in body.get("text", ""))
    assert answer["response_type"] == "ephemeral"
    with Session(database.engine) as session:
        assert session.get(Notification, row.id).status == "sent"
