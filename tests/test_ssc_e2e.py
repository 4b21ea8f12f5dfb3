"""/pdsa ssc end to end."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from copbot.clock import today_in
from storage.models import Convening, SscReport
from tests.factories import CONVENINGS, make_cop, make_school_team
from tests.modals import initial, opened_view, submit
from tests.slack_requests import block_action

VALID = {"reported_on": "2025-11-20", "key_learnings": "Sentence frames doubled EL evidence talk",
         "ssc_feedback": "Share the frames with math", "plan_changes": "Goal 2 adds frames in all ELA classes"}


@pytest.fixture
def team(database):
    with database.session() as session:
        return make_school_team(session, make_cop(session))


def reports(database):
    with database.session() as session:
        return session.exec(select(SscReport)).all()


def convening_on(database, day: date) -> Convening:
    with database.session() as session:
        return session.exec(select(Convening).where(Convening.held_on == day)).one()


def test_ssc_report_after_a_convening(slack, standin, database, team):
    slack.command("ssc")
    view = opened_view(standin)
    today = today_in("America/Los_Angeles")
    assert initial(view, "reported_on") == today.isoformat()
    options = next(b for b in view["blocks"] if b.get("block_id") == "convening")["element"]["options"]
    held = [c for c in CONVENINGS if c <= today]  # the convenings of 2025-26 are all past since Mar 2026
    assert len(options) == len(held) and options[0]["text"]["text"].startswith(f"{held[-1]:%b %-d, %Y}")
    november = convening_on(database, CONVENINGS[1])
    assert submit(slack, view, {**VALID, "convening": str(november.id)}) is None
    (report,) = reports(database)
    assert (report.convening_id, report.reported_on) == (november.id, date(2025, 11, 20))
    assert report.school_team_id == team.id
    assert "an SSC report" in standin.wait_for("chat.postMessage")[0].args["text"]


def test_invalid_ssc_reports_get_inline_errors(slack, standin, database, team):
    slack.command("ssc")
    view = opened_view(standin)
    tomorrow = (today_in("America/Los_Angeles") + timedelta(days=2)).isoformat()
    january = convening_on(database, CONVENINGS[2])
    assert list(submit(slack, view, {**VALID, "key_learnings": ""})["errors"]) == ["key_learnings"]
    assert list(submit(slack, view, {**VALID, "reported_on": None})["errors"]) == ["reported_on"]
    assert list(submit(slack, view, {**VALID, "reported_on": tomorrow})["errors"]) == ["reported_on"]
    assert list(submit(slack, view, {**VALID, "convening": str(january.id)})["errors"]) == ["convening"]
    assert reports(database) == []


def test_open_ssc_button_and_refusal(slack, standin, database, team):
    slack.interactive(block_action("open_ssc", value=str(team.id)))
    assert opened_view(standin)["callback_id"] == "ssc_modal"
    reply = slack.command("ssc", user_id="U0099")
    assert "not a member" in reply.json["text"]
