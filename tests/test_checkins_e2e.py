"""/pdsa checkin end to end: facilitators only."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from storage.models import Cop, FacilitatorCheckin
from tests.cycle_states import seed_team_in_plan
from tests.factories import make_cop
from tests.modals import initial, opened_view, submit, view_text
from tests.slack_requests import block_action

VALID = {"kind": "regional_nov", "held_on": "2025-11-18",
         "notes": "Lincoln is collecting exit tickets; Roosevelt needs observer release time."}


@pytest.fixture
def team(database):
    return seed_team_in_plan(database)


def checkins(database):
    with database.session() as session:
        return session.exec(select(FacilitatorCheckin)).all()


def test_members_are_refused(slack, standin, database, team):
    reply = slack.command("checkin", user_id="U0001")
    assert reply.json["response_type"] == "ephemeral"
    assert "Only Middle School Engagement CoP's facilitators" in reply.json["text"]
    reply = slack.command("checkin", user_id="U0001", channel_id="D0001")
    assert "Only CoP facilitators" in reply.json["text"]
    assert standin.calls_to("views.open") == []


def test_facilitator_records_a_regional_and_a_team_checkin(slack, standin, database, team):
    slack.command("checkin", user_id="UFAC1")
    view = opened_view(standin)
    answer = submit(slack, view, {**VALID, "kind": "team", "held_on": "2025-10-01"}, user_id="UFAC1")
    assert list(answer["errors"]) == ["checkin_team"]
    assert list(submit(slack, view, {**VALID, "notes": ""}, user_id="UFAC1")["errors"]) == ["notes"]
    assert list(submit(slack, view, {**VALID, "kind": None}, user_id="UFAC1")["errors"]) == ["kind"]
    assert list(submit(slack, view, {**VALID, "held_on": "2099-01-01"}, user_id="UFAC1")["errors"]) == ["held_on"]
    assert checkins(database) == []
    assert submit(slack, view, VALID, user_id="UFAC1") is None
    assert len(checkins(database)) == 1

    # From DMs, the one CoP the facilitator runs; the team check-in names the team.
    slack.command("checkin", user_id="UFAC1", channel_id="D0001")
    second = opened_view(standin, count=2)
    assert submit(slack, second, {**VALID, "kind": "team", "checkin_team": str(team.id)}, user_id="UFAC1") is None
    regional, with_team = checkins(database)
    assert (regional.kind, regional.school_team_id, regional.held_on) == ("regional_nov", None, date(2025, 11, 18))
    assert (with_team.kind, with_team.school_team_id) == ("team", team.id) and with_team.cycle_id is not None
    posts = standin.wait_for("chat.postMessage", count=2)
    assert all(p.args["channel"] == "C0001" for p in posts)
    assert all(VALID["notes"] not in str(p.args) for p in posts)


def test_open_checkin_button_by_cop_or_team(slack, standin, database, team):
    with database.session() as session:
        cop = session.exec(select(Cop)).one()
    slack.interactive(block_action("open_checkin", value=f"cop:{cop.id}", user_id="UFAC1"))
    assert opened_view(standin)["callback_id"] == "checkin_modal"
    slack.interactive(block_action("open_checkin", value=str(team.id), user_id="UFAC1"))
    by_team = opened_view(standin, count=2)
    assert initial(by_team, "kind") == "team" and initial(by_team, "checkin_team") == str(team.id)
    slack.interactive(block_action("open_checkin", value=str(team.id), user_id="U0001"))
    assert "facilitators" in view_text(opened_view(standin, count=3))


def test_a_checkin_form_from_another_workspace_changes_nothing(slack, standin, database, team):
    with database.session() as session:
        make_cop(session, team_id="T0002", channel_id="C0002", facilitator="UFAC1")
    slack.command("checkin", user_id="UFAC1")
    view = opened_view(standin)
    answer = submit(slack, view, VALID, user_id="UFAC1", team_id="T0002")
    assert "does not exist in this workspace" in answer["errors"]["notes"]
    assert checkins(database) == []
