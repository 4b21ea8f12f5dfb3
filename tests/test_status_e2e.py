"""/pdsa status end to end: one ephemeral message per request, for the person's teams only."""

from __future__ import annotations

from copbot import cycles
from copbot.vocabulary import Role
from tests.factories import CONVENINGS, make_cop, make_school_team


def seed(database):
    with database.session() as session:
        cop = make_cop(session)
        lincoln = make_school_team(session, cop)
        roosevelt = make_school_team(session, cop, "Roosevelt Middle School", with_pop=False,
                                     members={"U0009": Role.OBSERVER})
        cycle = cycles.open_cycle(session, team_id="T0001", school_team_id=lincoln.id, school_year="2025-26",
                                  plan_on=CONVENINGS[0], study_on=CONVENINGS[1])
        cycles.record_plan(session, cycle=cycle, user_id="U0001", strategy="Talk moves",
                           evidence_adult_practice="Observer tallies")
    return cop, lincoln, roosevelt


def test_member_sees_current_cycle_step_done_and_missing(slack, database):
    seed(database)
    reply = slack.command("status", user_id="U0001")
    body = reply.json
    assert body["response_type"] == "ephemeral"
    blocks = str(body["blocks"])
    assert "Lincoln Middle School" in blocks and "Roosevelt" not in blocks
    assert "*Cycle 1*" in blocks and "step: *Do*" in blocks
    assert "Done: Plan" in blocks and "Missing: Do meeting: Game plan" in blocks
    assert body["text"] == "Lincoln Middle School: cycle 1, Do"


def test_facilitator_sees_every_team_of_the_cop(slack, database):
    seed(database)
    blocks = str(slack.command("status", user_id="UFAC1").json["blocks"])
    assert "Lincoln Middle School" in blocks and "Roosevelt Middle School has no open cycle" in blocks


def test_status_of_a_given_cycle(slack, database):
    seed(database)
    assert "*Cycle 1*" in str(slack.command("status cycle 1", user_id="U0001").json["blocks"])
    assert "has no cycle 2 yet" in str(slack.command("status cycle 2", user_id="U0001").json["blocks"])
    wrong = slack.command("status cycle two", user_id="U0001").json
    assert wrong["response_type"] == "ephemeral" and "/pdsa status cycle 2" in wrong["text"]


def test_outside_the_cop_channel_lists_the_persons_teams(slack, database):
    seed(database)
    reply = slack.command("status", user_id="U0009", channel_id="D0001")
    assert "Roosevelt Middle School" in str(reply.json["blocks"])


def test_non_member_and_other_workspace_are_refused(slack, database):
    seed(database)
    stranger = slack.command("status", user_id="UNOBODY").json
    assert stranger["response_type"] == "ephemeral" and "neither" in stranger["text"]
    elsewhere = slack.command("status", user_id="U0001", team_id="T0002").json
    assert "/pdsa setup" in elsewhere["text"] and "Lincoln" not in elsewhere["text"]


def test_help_lists_the_workflow_commands(slack):
    text = slack.command("help").json["text"]
    for example in ("/pdsa setup", "/pdsa team", "/pdsa pop", "/pdsa status cycle 2"):
        assert example in text
    assert "facilitators only" in text


def test_status_shows_progress_against_the_yearly_requirement(slack, database):
    seed(database)
    blocks = str(slack.command("status", user_id="U0001").json["blocks"])
    assert "Cycles completed: *0 of 3*" in blocks
    assert "SSC reports filed" in blocks and "Do meetings held" in blocks
