"""/pdsa act end to end: the decision closes the cycle and opens the next with its Plan pre-filled."""

from __future__ import annotations

import pytest
from sqlmodel import select

from copbot.vocabulary import Role, Stage
from storage.models import ActDecision, Cycle, SpreadSuggestion
from tests.cycle_states import open_first_cycle, planned, studied
from tests.factories import CONVENINGS, make_cop, make_school_team
from tests.modals import initial, opened_view, submit, view_text


@pytest.fixture
def team(database):
    with database.session() as session:
        team = make_school_team(session, make_cop(session))
        cycle = open_first_cycle(session, team)
        studied(session, planned(session, cycle))
    return team


def state(database):
    with database.session() as session:
        return (session.exec(select(Cycle).order_by(Cycle.number)).all(),
                session.exec(select(ActDecision)).all())


def test_act_closes_the_cycle_and_opens_the_next(slack, standin, database, team):
    slack.command("act")
    view = opened_view(standin)
    assert view["title"]["text"] == "Act · cycle 1"
    assert "Structured academic talk" in view_text(view)
    assert list(submit(slack, view, {"decision": "scale"})["errors"]) == ["rationale"]
    assert list(submit(slack, view, {"rationale": "Worked"})["errors"]) == ["decision"]
    assert state(database)[1] == []

    assert submit(slack, view, {"decision": "scale", "rationale": "Worked in 3 of 4 classes"}) is None
    cycles, decisions = state(database)
    assert [(c.number, c.stage) for c in cycles] == [(1, Stage.CLOSED), (2, Stage.PLAN)]
    assert (cycles[1].plan_on, cycles[1].study_on) == (CONVENINGS[1], CONVENINGS[2])
    assert decisions[0].decision == "scale" and decisions[0].next_cycle_id == cycles[1].id
    post = standin.wait_for("chat.postMessage")[0]
    assert "Cycle 2 is open with its Plan pre-filled" in str(post.args["blocks"])

    slack.command("plan")
    assert initial(opened_view(standin, count=2), "strategy").startswith("Scale: ")


def test_a_second_act_for_a_closed_cycle_is_refused_on_decision(slack, standin, database, team):
    slack.command("act")
    first = opened_view(standin)
    slack.command("act")
    second = opened_view(standin, count=2)
    assert submit(slack, first, {"decision": "keep", "rationale": "Keep refining"}) is None
    answer = submit(slack, second, {"decision": "abandon", "rationale": "Changed our mind"})
    assert answer["response_action"] == "errors" and "closed" in answer["errors"]["decision"]
    cycles, decisions = state(database)
    assert len(decisions) == 1 and decisions[0].decision == "keep" and len(cycles) == 2


def test_act_before_study_is_refused_on_decision(slack, standin, database):
    with database.session() as session:
        planned(session, open_first_cycle(session, make_school_team(session, make_cop(session))))
    slack.command("act")
    view = opened_view(standin)
    assert "the Act decision follows the Study" in view_text(view)
    answer = submit(slack, view, {"decision": "keep", "rationale": "Too early"})
    assert "needs a cycle in Act" in answer["errors"]["decision"]


def test_a_scale_decision_is_suggested_once_to_a_matching_team(slack, standin, database, team):
    with database.session() as session:
        cop = make_cop(session, team_id="T0001", channel_id="C0777", facilitator="UFAC9", name="Another CoP")
        make_school_team(session, cop, "Roosevelt Middle School",
                         members={"U0101": Role.IMPLEMENTING_TEACHER, "U0102": Role.OBSERVER})
    slack.command("act")
    view = opened_view(standin)
    assert submit(slack, view, {"decision": "scale", "rationale": "Worked in 3 of 4 classes"}) is None
    suggestion = standin.wait_for("chat.postMessage", lambda call: call.args["channel"] == "C0777")
    assert "Lincoln Middle School" in suggestion[0].args["text"]
    with database.session() as session:
        assert len(session.exec(select(SpreadSuggestion)).all()) == 1
