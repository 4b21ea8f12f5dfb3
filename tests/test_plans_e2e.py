"""/pdsa plan end to end, plus the team choice every step modal shares: signed requests in,
the Slack stand-in's record out, then the database."""

from __future__ import annotations

import pytest
from sqlmodel import select

from copbot.vocabulary import ActDecisionKind, Role, Stage
from storage.models import Cop, Cycle, LearningQuestion, Plan
from tests.cycle_states import acted, open_first_cycle, planned, studied
from tests.factories import make_cop, make_school_team
from tests.modals import initial, input_ids, opened_view, pick_team, submit, updated_view, view_text
from tests.slack_requests import block_action

VALID = {
    "shared_learning": "Read Zwiers' Academic Conversations; visited Roosevelt MS",
    "strategy": "Sentence frames for justifying answers with text evidence",
    "evidence_adult_practice": "Observer tallies teacher prompts for evidence (what), using a tally sheet (how)",
    "evidence_student_impact": "EL exit tickets citing text evidence",
    "evidence_methods": ["observation", "student_work"],
    "prediction": "EL talk time doubles",
    "question_1": "Do ELs justify answers with evidence more often?",
    "prediction_1": "60% of EL exit tickets cite evidence by week 6",
    "measure_1": "% of EL exit tickets citing evidence",
}


def _cop(session):
    return session.exec(select(Cop)).first()


@pytest.fixture
def lincoln(database):
    with database.session() as session:
        team = make_school_team(session, make_cop(session))
        open_first_cycle(session, team)
    return team


def plans(database):
    with database.session() as session:
        return session.exec(select(Plan)).all(), session.exec(select(LearningQuestion)).all()


def cycle_of(database):
    with database.session() as session:
        return session.exec(select(Cycle).order_by(Cycle.id.desc())).first()


def test_plan_opens_saves_and_confirms_in_the_channel(slack, standin, database, lincoln):
    reply = slack.command("plan")
    assert reply.status == 200 and not reply.body
    view = opened_view(standin)
    assert view["callback_id"] == "plan_modal" and "school_team" not in input_ids(view)
    assert "Lincoln Middle School" in view_text(view)

    assert submit(slack, view, VALID) is None
    saved, questions = plans(database)
    assert len(saved) == 1 and saved[0].strategy == VALID["strategy"]
    assert saved[0].evidence_methods == ["observation", "student_work"] and saved[0].recorded_by == "U0001"
    assert [(q.question, q.prediction, q.measure) for q in questions] == [
        (VALID["question_1"], VALID["prediction_1"], VALID["measure_1"])]
    assert cycle_of(database).stage == Stage.DO
    post = standin.wait_for("chat.postMessage")[0]
    assert post.args["channel"] == "C0001"
    assert "<@U0001>" in str(post.args["blocks"]) and "the Plan" in post.args["text"]
    assert "cycle 1" in post.args["text"]


def test_invalid_plan_stays_open_with_inline_errors_and_saves_nothing(slack, standin, database, lincoln):
    slack.command("plan")
    view = opened_view(standin)
    answer = submit(slack, view, {**VALID, "strategy": ""})
    assert answer["response_action"] == "errors" and list(answer["errors"]) == ["strategy"]
    answer = submit(slack, view, {**VALID, "question_1": "", "prediction_1": "", "measure_1": ""})
    assert list(answer["errors"]) == ["question_1"]
    answer = submit(slack, view, {**VALID, "prediction_1": ""})
    assert list(answer["errors"]) == ["prediction_1"]
    answer = submit(slack, view, {**VALID, "evidence_adult_practice": "", "evidence_student_impact": ""})
    assert list(answer["errors"]) == ["evidence_adult_practice"]
    assert plans(database) == ([], [])
    assert cycle_of(database).stage == Stage.PLAN
    # The corrected submission of the same modal is saved (the rejected ones recorded nothing).
    assert submit(slack, view, VALID) is None
    assert len(plans(database)[0]) == 1


def test_editing_prefills_and_a_rejected_edit_loses_nothing(slack, standin, database, lincoln):
    slack.command("plan")
    submit(slack, opened_view(standin), VALID)
    slack.command("plan")
    view = opened_view(standin, count=2)
    assert initial(view, "strategy") == VALID["strategy"]
    assert initial(view, "evidence_methods") == ["observation", "student_work"]
    assert initial(view, "question_1") == VALID["question_1"] and initial(view, "measure_1") == VALID["measure_1"]
    assert initial(view, "question_2") is None

    assert submit(slack, view, {**VALID, "strategy": " "})["errors"] == {
        "strategy": "Name the strategy the team will test."}
    assert plans(database)[0][0].strategy == VALID["strategy"]
    changed = {**VALID, "question_1": "", "prediction_1": "", "measure_1": "",
               "question_2": "Do observers hear more evidence prompts?", "prediction_2": "Twice as many"}
    assert submit(slack, view, changed) is None
    saved, questions = plans(database)
    assert len(saved) == 1 and [q.question for q in questions] == ["Do observers hear more evidence prompts?"]


def test_next_cycle_plan_is_prefilled_from_the_act_decision(slack, standin, database, lincoln):
    with database.session() as session:
        cycle = session.exec(select(Cycle)).one()
        acted(session, studied(session, planned(session, cycle)), ActDecisionKind.SCALE)
    slack.command("plan")
    view = opened_view(standin)
    assert view["title"]["text"] == "Plan · cycle 2"
    assert initial(view, "strategy") == "Scale: Structured academic talk with sentence frames"
    assert "Pre-filled from cycle 1's Act decision" in view_text(view)


def test_non_members_are_refused_with_the_reason(slack, standin, database, lincoln):
    reply = slack.command("plan", user_id="U0099")
    assert reply.json["response_type"] == "ephemeral"
    assert "not a member of a school team in Middle School Engagement CoP" in reply.json["text"]
    reply = slack.command("plan", user_id="U0099", channel_id="D0099")
    assert "not a member of any school team" in reply.json["text"]
    assert standin.calls_to("views.open") == []


def test_a_team_without_an_open_cycle_is_told_so(slack, standin, database):
    with database.session() as session:
        make_school_team(session, make_cop(session))
    reply = slack.command("plan")
    assert "has no open PDSA cycle yet" in reply.json["text"]


def test_double_submit_saves_once_and_confirms_once(slack, standin, database, lincoln):
    slack.command("plan")
    view = opened_view(standin)
    assert submit(slack, view, VALID) is None
    assert submit(slack, view, VALID) is None
    saved, questions = plans(database)
    assert len(saved) == 1 and len(questions) == 1
    standin.wait_for("chat.postMessage")
    assert len(standin.calls_to("chat.postMessage")) == 1


def test_a_facilitator_picks_among_several_teams(slack, standin, database, lincoln):
    with database.session() as session:
        roosevelt = make_school_team(session, _cop(session), "Roosevelt Middle School",
                                     members={"U0005": Role.OBSERVER})
        open_first_cycle(session, roosevelt)
    slack.command("plan", user_id="UFAC1")
    view = opened_view(standin)
    assert initial(view, "school_team") == str(lincoln.id)
    pick_team(slack, view, roosevelt.id, user_id="UFAC1")
    reloaded = updated_view(standin)
    assert initial(reloaded, "school_team") == str(roosevelt.id)
    assert "Roosevelt Middle School" in view_text(reloaded)

    answer = submit(slack, view, {**VALID, "school_team": str(roosevelt.id)}, user_id="UFAC1")
    assert list(answer["errors"]) == ["school_team"]
    assert submit(slack, reloaded, {**VALID, "school_team": str(roosevelt.id)}, user_id="UFAC1") is None
    with database.session() as session:
        plan = session.exec(select(Plan)).one()
        assert session.get(Cycle, plan.cycle_id).school_team_id == roosevelt.id


def test_open_plan_button_opens_the_named_team_or_says_why_not(slack, standin, database, lincoln):
    slack.interactive(block_action("open_plan", value=str(lincoln.id)))
    assert opened_view(standin)["callback_id"] == "plan_modal"
    slack.interactive(block_action("open_plan", value=str(lincoln.id), user_id="U0099"))
    notice = opened_view(standin, count=2)
    assert "callback_id" not in notice or not notice.get("callback_id")
    assert "Only members of Lincoln Middle School's team" in view_text(notice)


def test_workspaces_are_isolated(slack, standin, database, lincoln):
    with database.session() as session:
        other = make_school_team(session, make_cop(session, team_id="T0002", channel_id="C0002"))
        open_first_cycle(session, other)
    slack.command("plan")
    view_t1 = opened_view(standin)
    # The same user id in another workspace only sees that workspace's team.
    slack.command("plan", team_id="T0002", channel_id="C0002")
    view_t2 = opened_view(standin, count=2)
    assert view_t1["private_metadata"] != view_t2["private_metadata"]
    # A T0001 modal submitted from T0002 cannot touch T0001's records.
    answer = submit(slack, view_t1, VALID, team_id="T0002")
    assert answer["response_action"] == "errors"
    assert plans(database) == ([], [])
    assert submit(slack, view_t2, VALID, team_id="T0002") is None
    with database.session() as session:
        assert [p.team_id for p in session.exec(select(Plan)).all()] == ["T0002"]
        assert [q.team_id for q in session.exec(select(LearningQuestion)).all()] == ["T0002"]
