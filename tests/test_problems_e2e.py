"""/pdsa pop end to end: the form, pre-filling, inline errors, the team picker and the open_pop button."""

from __future__ import annotations

from sqlmodel import select

from copbot.vocabulary import Role
from storage.models import ProblemOfPractice
from tests.factories import SAMPLE_POPS, make_cop, make_school_team
from tests.slack_requests import block_action, view_submission

STATEMENT, _, _ = SAMPLE_POPS["Roosevelt Middle School"]
VALUES = {
    "statement": STATEMENT,
    "quantitative_data": "Suspension rate of students with disabilities: 9.1% (district 4.2%)",
    "qualitative_data": "Observed 6 lessons: group roles in 1",
    "index_metrics": "Suspension rate, ELA proficiency",
    "classroom_practice": "Structured group work",
    "subgroups": "Students with disabilities",
    "focus_questions": "What does each student do while the group works?",
    "checks": ["instructional_core", "directly_observable", "actionable", "connects_to_strategy", "high_leverage"],
}


def opened(standin, count=1):
    return standin.wait_for("views.open", count=count)[-1].answer["view"]


def blocks_of(view):
    return {b.get("block_id"): b for b in view["blocks"]}


def problem(database, school_team_id):
    with database.session() as session:
        return session.exec(select(ProblemOfPractice).where(ProblemOfPractice.school_team_id == school_team_id)
                            ).first()


def setup_roosevelt(database, **kwargs):
    with database.session() as session:
        cop = make_cop(session)
        team = make_school_team(session, cop, "Roosevelt Middle School", with_pop=False, **kwargs)
    return cop, team


def test_member_writes_problem_of_practice(slack, standin, database):
    _, roosevelt = setup_roosevelt(database)
    slack.command("pop", user_id="U0001")
    view = opened(standin)
    assert view["callback_id"] == "pop_modal"
    assert "school_team" not in blocks_of(view)  # one team: no picker
    assert blocks_of(view)["subgroups"]["element"]["initial_value"] == "Students with disabilities"
    reply = slack.interactive(view_submission(view, VALUES, user_id="U0001"))
    assert (reply.status, reply.body) == (200, b"")
    note = standin.wait_for("chat.postMessage", lambda c: c.args["channel"] == "C0001")[0]
    assert "problem of practice" in note.args["text"] and "All five" in str(note.args["blocks"])
    saved = problem(database, roosevelt.id)
    assert saved.index_metrics == ["Suspension rate", "ELA proficiency"]
    assert saved.high_leverage and saved.updated_by == "U0001"


def test_editing_pre_fills_and_updates_in_place(slack, standin, database):
    _, roosevelt = setup_roosevelt(database)
    slack.command("pop", user_id="U0001")
    slack.interactive(view_submission(opened(standin), VALUES, user_id="U0001"))
    standin.wait_for("chat.postMessage")
    slack.command("pop", user_id="U0002")
    view = opened(standin, count=2)
    blocks = blocks_of(view)
    assert blocks["statement"]["element"]["initial_value"] == STATEMENT
    assert blocks["index_metrics"]["element"]["initial_value"] == "Suspension rate, ELA proficiency"
    assert len(blocks["checks"]["element"]["initial_options"]) == 5
    view["id"], view["hash"] = "V2", "h2"
    slack.interactive(view_submission(view, {**VALUES, "checks": ["actionable"]}, user_id="U0002"))
    standin.wait_for("chat.postMessage", lambda c: "revised" in c.args["text"])
    saved = problem(database, roosevelt.id)
    assert saved.actionable and not saved.high_leverage and saved.updated_by == "U0002"
    with database.session() as session:
        assert len(session.exec(select(ProblemOfPractice)).all()) == 1


def test_invalid_forms_show_inline_errors_and_keep_what_was_saved(slack, standin, database):
    _, roosevelt = setup_roosevelt(database)
    slack.command("pop", user_id="U0001")
    view = opened(standin)
    cases = [({"statement": ""}, "statement"), ({"index_metrics": " , "}, "index_metrics"),
             ({"classroom_practice": ""}, "classroom_practice"), ({"subgroups": ""}, "subgroups")]
    for change, field in cases:
        reply = slack.interactive(view_submission(view, {**VALUES, **change}, user_id="U0001"))
        assert reply.json == {"response_action": "errors", "errors": {field: reply.json["errors"][field]}}, change
    assert problem(database, roosevelt.id) is None
    assert "Focus school" in reply.json["errors"]["subgroups"]
    slack.interactive(view_submission(view, VALUES, user_id="U0001"))
    standin.wait_for("chat.postMessage")
    view["id"], view["hash"] = "V3", "h3"
    reply = slack.interactive(view_submission(view, {**VALUES, "statement": ""}, user_id="U0001"))
    assert "statement" in reply.json["errors"]
    assert problem(database, roosevelt.id).statement == STATEMENT


def test_facilitator_picks_among_teams(slack, standin, database):
    cop, roosevelt = setup_roosevelt(database)
    with database.session() as session:
        lincoln = make_school_team(session, cop, "Lincoln Middle School")
    slack.command("pop", user_id="UFAC1")
    view = opened(standin)
    picker = blocks_of(view)["school_team"]["element"]
    assert {o["value"] for o in picker["options"]} == {str(roosevelt.id), str(lincoln.id)}
    assert picker["initial_option"]["value"] == str(lincoln.id)  # alphabetical: Lincoln first
    assert blocks_of(view)["statement"]["element"]["initial_value"].startswith("Our English learners")
    # the form shows Lincoln's problem; Roosevelt has none yet, so picking it saves there
    reply = slack.interactive(view_submission(view, {**VALUES, "school_team": str(roosevelt.id)},
                                              user_id="UFAC1"))
    assert (reply.status, reply.body) == (200, b"")
    standin.wait_for("chat.postMessage")
    assert problem(database, roosevelt.id).statement == STATEMENT
    slack.command("pop Roosevelt", user_id="UFAC1")
    view = opened(standin, count=2)
    assert blocks_of(view)["school_team"]["element"]["initial_option"]["value"] == str(roosevelt.id)
    view["id"], view["hash"] = "V4", "h4"
    reply = slack.interactive(view_submission(view, {**VALUES, "school_team": str(lincoln.id)}, user_id="UFAC1"))
    assert "school_team" in reply.json["errors"]
    assert problem(database, lincoln.id).statement.startswith("Our English learners")


def test_non_member_is_refused(slack, standin, database):
    setup_roosevelt(database)
    reply = slack.command("pop", user_id="UNOBODY")
    assert reply.json["response_type"] == "ephemeral" and "neither" in reply.json["text"]
    assert not standin.calls_to("views.open")


def test_removed_member_cannot_submit_an_open_form(slack, standin, database):
    _, roosevelt = setup_roosevelt(database, members={"U0001": Role.IMPLEMENTING_TEACHER})
    slack.command("pop", user_id="U0001")
    view = opened(standin)
    reply = slack.interactive(view_submission(view, VALUES, user_id="U0007"))
    assert "Only members" in reply.json["errors"]["statement"]
    assert problem(database, roosevelt.id) is None


def test_double_submit_saves_once(slack, standin, database):
    setup_roosevelt(database)
    slack.command("pop", user_id="U0001")
    view = opened(standin)
    slack.interactive(view_submission(view, VALUES, user_id="U0001"))
    slack.interactive(view_submission(view, VALUES, user_id="U0001"))
    standin.wait_for("chat.postMessage")
    with database.session() as session:
        assert len(session.exec(select(ProblemOfPractice)).all()) == 1
    assert len([c for c in standin.calls_to("chat.postMessage") if c.args["channel"] == "C0001"]) == 1


def test_open_pop_button(slack, standin, database):
    _, roosevelt = setup_roosevelt(database)
    slack.interactive(block_action("open_pop", value=str(roosevelt.id), user_id="U0001"))
    assert opened(standin)["callback_id"] == "pop_modal"
    slack.interactive(block_action("open_pop", value=str(roosevelt.id), user_id="UNOBODY"))
    assert "Only members" in str(opened(standin, count=2)["blocks"])
    slack.interactive(block_action("open_pop", value=str(roosevelt.id), user_id="U0001", team_id="T0002"))
    assert "does not exist" in str(opened(standin, count=3)["blocks"])


def test_long_saved_text_is_clipped_in_the_form(slack, standin, database):
    _, roosevelt = setup_roosevelt(database)
    with database.session() as session:
        session.add(ProblemOfPractice(team_id="T0001", school_team_id=roosevelt.id, statement="x" * 5000,
                                      index_metrics=["Suspension rate"]))
    slack.command("pop", user_id="U0001")
    value = blocks_of(opened(standin))["statement"]["element"]["initial_value"]
    assert len(value) == 3000 and value.endswith("…")
