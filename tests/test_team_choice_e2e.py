"""Every step command and open_* button: who is refused, and workspaces kept apart."""

from __future__ import annotations

import pytest

from tests.cycle_states import open_first_cycle, planned
from tests.factories import make_cop, make_school_team
from tests.modals import opened_view, view_text
from tests.slack_requests import block_action

STEPS = ["plan", "do", "evidence", "study", "act", "ssc"]
CALLBACKS = {"plan": "plan_modal", "do": "do_modal", "evidence": "evidence_modal", "study": "study_modal",
             "act": "act_modal", "ssc": "ssc_modal"}


@pytest.fixture
def team(database):
    with database.session() as session:
        team = make_school_team(session, make_cop(session))
        planned(session, open_first_cycle(session, team))
    return team


@pytest.mark.parametrize("step", STEPS)
def test_members_and_facilitators_open_every_step(slack, standin, team, step):
    slack.command(step)
    assert opened_view(standin)["callback_id"] == CALLBACKS[step]
    slack.command(step, user_id="UFAC1")
    assert opened_view(standin, count=2)["callback_id"] == CALLBACKS[step]


@pytest.mark.parametrize("step", STEPS)
def test_non_members_are_refused_every_step(slack, standin, team, step):
    reply = slack.command(step, user_id="U0099")
    assert reply.json["response_type"] == "ephemeral" and "not a member" in reply.json["text"]
    slack.interactive(block_action(f"open_{step}", value=str(team.id), user_id="U0099"))
    notice = opened_view(standin)
    assert not notice.get("callback_id") and "Only members" in view_text(notice)


@pytest.mark.parametrize("step", STEPS)
def test_another_workspace_sees_nothing_of_this_one(slack, standin, team, step):
    reply = slack.command(step, team_id="T0002")
    assert "not a member of any school team" in reply.json["text"]
    slack.interactive(block_action(f"open_{step}", value=str(team.id), team_id="T0002"))
    assert "does not exist in this workspace" in view_text(opened_view(standin))


def test_a_button_without_a_team_says_so(slack, standin, team):
    slack.interactive(block_action("open_plan", value="not-a-team"))
    assert "does not name a school team" in view_text(opened_view(standin))
