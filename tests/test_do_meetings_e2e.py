"""/pdsa do end to end: the three Do meetings through signed requests, then the database."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from storage.models import DoMeeting
from tests.cycle_states import QUESTION, seed_team_in_do, seed_team_in_plan
from tests.modals import initial, input_ids, opened_view, submit, updated_view, view_text
from tests.slack_requests import block_action, view_state

GAME_PLAN = {"kind": "game_plan", "held_on": "2025-09-02", "attendees": ["U0001", "U0002", "U0003"],
             "who": "Ms. Rivera teaches; Mr. Chen observes; Ms. Ortiz takes notes",
             "what": "Sentence frames in whole-class discussion", "where": "Period 3 ELA, room 12",
             "when": "Tue/Thu Sep 8 - Oct 30", "why": "ELs rarely justify answers with evidence",
             "notes": "Tally sheet shared in Drive."}


@pytest.fixture
def team(database):
    return seed_team_in_plan(database)


@pytest.fixture
def planned_team(database):
    return seed_team_in_do(database)


def meetings(database):
    with database.session() as session:
        return session.exec(select(DoMeeting).order_by(DoMeeting.id)).all()


def test_a_do_meeting_for_a_cycle_not_in_do_is_refused_on_kind(slack, standin, database, team):
    slack.command("do mid")
    view = opened_view(standin)
    assert "Do meetings are logged while a cycle is in Do" in view_text(view)
    answer = submit(slack, view, {"kind": "mid_stream", "held_on": "2025-10-01", "attendees": ["U0001"],
                                  "notes": "On track"})
    assert answer["response_action"] == "errors" and list(answer["errors"]) == ["kind"]
    assert "needs a cycle in Do" in answer["errors"]["kind"]
    assert meetings(database) == []


def test_game_plan_asks_who_what_where_when_why(slack, standin, database, planned_team):
    slack.command("do")
    view = opened_view(standin)
    assert initial(view, "kind") == "game_plan"
    assert initial(view, "attendees") == ["U0001", "U0002", "U0003", "U0004"]
    assert {"who", "what", "where", "when", "why"} <= set(input_ids(view))

    answer = submit(slack, view, {**GAME_PLAN, "where": ""})
    assert list(answer["errors"]) == ["where"]
    answer = submit(slack, view, {**GAME_PLAN, "held_on": None})
    assert list(answer["errors"]) == ["held_on"]
    answer = submit(slack, view, {**GAME_PLAN, "held_on": "2099-01-05"})
    assert list(answer["errors"]) == ["held_on"]
    answer = submit(slack, view, {**GAME_PLAN, "attendees": []})
    assert list(answer["errors"]) == ["attendees"]
    assert meetings(database) == []

    assert submit(slack, view, GAME_PLAN) is None
    (meeting,) = meetings(database)
    assert (meeting.kind, meeting.held_on, meeting.attendees) == ("game_plan", date(2025, 9, 2),
                                                                  ["U0001", "U0002", "U0003"])
    assert meeting.notes.startswith("Who: Ms. Rivera teaches") and "Why: ELs rarely" in meeting.notes
    assert meeting.notes.endswith("Tally sheet shared in Drive.")
    post = standin.wait_for("chat.postMessage")[0]
    assert "game plan meeting" in post.args["text"] and post.args["channel"] == "C0001"


def test_next_meeting_is_offered_and_switching_kind_prefills_the_saved_one(slack, standin, database, planned_team):
    slack.command("do")
    submit(slack, opened_view(standin), GAME_PLAN)
    slack.command("do")
    view = opened_view(standin, count=2)
    assert initial(view, "kind") == "mid_stream" and "who" not in input_ids(view)

    state_view = {**view, "state": {"values": view_state(view, {"kind": "game_plan"})}}
    option = {"text": {"type": "plain_text", "text": "Game plan"}, "value": "game_plan"}
    slack.interactive(block_action("kind", block_id="kind", view=state_view, selected_option=option))
    reloaded = updated_view(standin)
    assert initial(reloaded, "kind") == "game_plan"
    assert initial(reloaded, "who") == GAME_PLAN["who"] and initial(reloaded, "held_on") == "2025-09-02"
    assert initial(reloaded, "notes") == "Tally sheet shared in Drive."
    assert "Editing the game plan meeting" in view_text(reloaded)

    corrected = {**GAME_PLAN, "held_on": "2025-09-03", "when": "Tue/Thu Sep 9 - Oct 30"}
    assert submit(slack, reloaded, corrected) is None
    (meeting,) = meetings(database)
    assert meeting.held_on == date(2025, 9, 3) and "When: Tue/Thu Sep 9" in meeting.notes


def test_mid_stream_needs_notes(slack, standin, database, planned_team):
    slack.command("do mid")
    view = opened_view(standin)
    values = {"kind": "mid_stream", "held_on": "2025-10-01", "attendees": ["U0001", "U0002"]}
    assert list(submit(slack, view, values)["errors"]) == ["notes"]
    assert submit(slack, view, {**values, "notes": "Half the classes started; observer schedule slipped"}) is None
    assert [m.kind for m in meetings(database)] == ["mid_stream"]


def test_end_of_cycle_shows_each_prediction(slack, standin, database, planned_team):
    slack.command("do end")
    view = opened_view(standin)
    assert initial(view, "kind") == "end_of_cycle"
    shown = view_text(view)
    assert QUESTION.question in shown and QUESTION.prediction in shown and QUESTION.measure in shown
    assert "*Evidence gathered*: none yet" in shown
    assert submit(slack, view, {"kind": "end_of_cycle", "held_on": "2025-11-07", "attendees": ["U0001"],
                                "notes": "Sorted exit tickets by week"}) is None
    assert [m.kind for m in meetings(database)] == ["end_of_cycle"]


def test_non_member_cannot_open_or_submit(slack, standin, database, planned_team):
    reply = slack.command("do", user_id="U0099")
    assert "not a member" in reply.json["text"]
    slack.command("do")
    view = opened_view(standin)
    answer = submit(slack, view, GAME_PLAN, user_id="U0099")
    assert "Only members of Lincoln Middle School's team" in answer["errors"]["kind"]
    assert meetings(database) == []
