"""App Home end to end: app_home_opened publishes each CoP and team with status and step buttons."""

from __future__ import annotations

import json

from copbot import cycles
from copbot.vocabulary import Role
from tests.factories import CONVENINGS, make_cop, make_school_team
from tests.slack_requests import app_home_opened, event, view_submission


def published(standin, user_id, count=1):
    return standin.wait_for("views.publish", lambda c: c.args["user_id"] == user_id, count=count)[-1].args["view"]


def buttons(view):
    return [e for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]


def seed(database):
    with database.session() as session:
        cop = make_cop(session)
        lincoln = make_school_team(session, cop)
        roosevelt = make_school_team(session, cop, "Roosevelt Middle School", with_pop=False,
                                     members={"U0009": Role.OBSERVER})
        for team in (lincoln, roosevelt):
            cycles.open_cycle(session, team_id="T0001", school_team_id=team.id, school_year="2025-26",
                              plan_on=CONVENINGS[0], study_on=CONVENINGS[1])
    return cop, lincoln, roosevelt


def test_person_in_no_cop_is_shown_how_to_start(slack, standin, database):
    assert slack.event(app_home_opened("U0404", event_id="Ev1")).status == 200
    view = published(standin, "U0404")
    assert view["type"] == "home" and "/pdsa setup" in json.dumps(view)
    assert buttons(view) == []


def test_member_sees_cycle_step_deadline_and_buttons(slack, standin, database):
    cop, lincoln, _ = seed(database)
    slack.event(app_home_opened("U0001", event_id="Ev2"))
    view = published(standin, "U0001")
    text = json.dumps(view)
    assert cop.name in text and "Lincoln Middle School" in text and "Roosevelt" not in text
    assert "*Cycle 1* (2025-26)" in text and "step: *Plan*" in text and "Missing: Plan" in text
    found = {b["action_id"]: b for b in buttons(view)}
    assert set(found) == {"open_pop", "open_plan", "open_do", "open_evidence", "open_study", "open_act",
                          "open_ssc"}
    assert {b["value"] for b in found.values()} == {str(lincoln.id)}
    assert found["open_plan"].get("style") == "primary" and "style" not in found["open_pop"]


def test_team_without_problem_of_practice_is_pointed_to_it(slack, standin, database):
    _, _, roosevelt = seed(database)
    slack.event(app_home_opened("U0009", event_id="Ev3"))
    view = published(standin, "U0009")
    assert "No problem of practice yet" in json.dumps(view)
    primary = [b for b in buttons(view) if b.get("style") == "primary"]
    assert [(b["action_id"], b["value"]) for b in primary] == [("open_pop", str(roosevelt.id))]


def test_facilitator_sees_every_team_and_the_team_button(slack, standin, database):
    cop, lincoln, roosevelt = seed(database)
    slack.event(app_home_opened("UFAC1", event_id="Ev4"))
    view = published(standin, "UFAC1")
    values = {(b["action_id"], b["value"]) for b in buttons(view)}
    assert ("open_plan", str(lincoln.id)) in values and ("open_plan", str(roosevelt.id)) in values
    assert ("open_team", str(cop.id)) in values
    assert "you facilitate" in json.dumps(view)


def test_other_workspace_and_other_tabs(slack, standin, database):
    seed(database)
    slack.event(app_home_opened("U0001", team_id="T0002", event_id="Ev5"))
    view = published(standin, "U0001")
    assert "Lincoln" not in json.dumps(view) and "/pdsa setup" in json.dumps(view)
    messages_tab = {"type": "app_home_opened", "user": "U0001", "channel": "D0001", "tab": "messages",
                    "event_ts": "1.0"}
    slack.event(event(messages_tab, event_id="Ev6"))
    slack.event(app_home_opened("U0404", event_id="Ev7"))
    published(standin, "U0404")
    assert len(standin.calls_to("views.publish")) == 2


def test_home_is_refreshed_after_a_save(slack, standin, database):
    seed(database)
    slack.command("pop", user_id="U0009")
    view = standin.wait_for("views.open")[-1].answer["view"]
    slack.interactive(view_submission(view, {
        "statement": "Students with disabilities wait during group work.", "index_metrics": "Suspension rate",
        "classroom_practice": "Group work", "subgroups": "Students with disabilities"}, user_id="U0009"))
    home = published(standin, "U0009")
    assert "No problem of practice yet" not in json.dumps(home)
    assert [b["action_id"] for b in buttons(home) if b.get("style") == "primary"] == ["open_plan"]


def test_a_long_list_of_teams_stays_within_slack_limits(slack, standin, database):
    with database.session() as session:
        for n in range(30):
            cop = make_cop(session, channel_id=f"C{n:04d}", name=f"CoP {n:02d} " + "x" * 193)  # Cop.name holds 200
            make_school_team(session, cop, f"School {n}", members={"U0001": Role.OBSERVER})
    slack.event(app_home_opened("U0001", event_id="Ev8"))
    view = published(standin, "U0001")
    assert len(view["blocks"]) == 100 and "more not shown" in json.dumps(view["blocks"][-1])


def test_home_shows_each_teams_progress_this_year(slack, standin, database):
    seed(database)
    slack.event(app_home_opened("U0001", event_id="Ev9"))
    text = json.dumps(published(standin, "U0001"))
    assert "Cycles completed: *0 of 3*" in text and "SSC reports filed" in text
