"""/pdsa setup end to end: the modal, its inline errors, the saved CoP and the channel work after the ack."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Convening, Cop, Membership
from tests.factories import make_cop
from tests.slack_requests import view_submission

VALID = {
    "name": "Middle School Engagement CoP",
    "focus_area": "English Language Arts",
    "school_level": "ms",
    "scope": "inter_district",
    "districts": "Fresno Unified, Sanger Unified",
    "school_year": "2025-26",
    "convening_1": "2025-08-23",
    "convening_2": "2025-11-15",
    "convening_3": "2026-01-23",
    "convening_4": "2026-03-20",
    "stage": "coalescing",
    "timezone": "America/Los_Angeles",
    "facilitators": ["UFAC1", "UFAC2"],
    "channel_choice": "new_channel",
}


def open_setup(slack, standin, *, channel_id="C0001", user_id="U0001"):
    reply = slack.command("setup", channel_id=channel_id, user_id=user_id)
    assert reply.status == 200
    call = standin.wait_for("views.open")[-1]
    return call.answer["view"]


def submit(slack, view, values, user_id="U0001", team_id="T0001"):
    return slack.interactive(view_submission(view, values, user_id=user_id, team_id=team_id))


def cops(database):
    with database.session() as session:
        return list(session.exec(select(Cop)).all())


def test_setup_opens_modal_with_defaults(slack, standin):
    view = open_setup(slack, standin)
    assert view["callback_id"] == "setup_modal"
    blocks = {b["block_id"]: b for b in view["blocks"]}
    assert blocks["timezone"]["element"]["initial_value"] == "America/Los_Angeles"
    assert blocks["school_year"]["element"]["initial_value"].count("-") == 1
    assert {f"convening_{n}" for n in range(1, 7)} <= set(blocks)
    choices = [o["value"] for o in blocks["channel_choice"]["element"]["options"]]
    assert choices == ["this_channel", "new_channel"]


def test_setup_in_a_direct_message_only_offers_a_new_channel(slack, standin):
    view = open_setup(slack, standin, channel_id="D0001")
    blocks = {b["block_id"]: b for b in view["blocks"]}
    assert [o["value"] for o in blocks["channel_choice"]["element"]["options"]] == ["new_channel"]


def test_setup_creates_cop_channel_convenings_and_facilitators(slack, standin, database):
    view = open_setup(slack, standin)
    reply = submit(slack, view, VALID)
    assert (reply.status, reply.body) == (200, b"")  # the modal closes
    create = standin.wait_for("conversations.create")[0]
    assert create.args["name"] == "cop-middle-school-engagement-cop"
    channel = create.answer["channel"]["id"]
    welcome = standin.wait_for("chat.postMessage", lambda c: c.args["channel"] == channel)[0]
    assert "Convening 1" in str(welcome.args["blocks"]) and "/pdsa team" in str(welcome.args["blocks"])
    invited = {c.args["users"] for c in standin.calls_to("conversations.invite")}
    assert invited == {"UFAC1", "UFAC2", "U0001"}
    [cop] = cops(database)
    assert (cop.channel_id, cop.school_year, cop.scope, cop.created_by) == (channel, "2025-26", "inter_district",
                                                                           "U0001")
    assert cop.districts == ["Fresno Unified", "Sanger Unified"]
    with database.session() as session:
        dates = session.exec(select(Convening.held_on).where(Convening.cop_id == cop.id)).all()
        roles = session.exec(select(Membership.user_id, Membership.role).where(Membership.cop_id == cop.id)).all()
    assert len(dates) == 4
    assert sorted(roles) == [("UFAC1", "facilitator"), ("UFAC2", "facilitator")]


def test_setup_links_this_channel_and_joins_it(slack, standin, database):
    view = open_setup(slack, standin, channel_id="C0777")
    submit(slack, view, {**VALID, "channel_choice": "this_channel"})
    standin.wait_for("conversations.join", lambda c: c.args["channel"] == "C0777")
    standin.wait_for("chat.postMessage", lambda c: c.args["channel"] == "C0777")
    assert not standin.calls_to("conversations.create")
    [cop] = cops(database)
    assert cop.channel_id == "C0777"


def test_channel_already_linked_to_another_cop_is_refused_inline(slack, standin, database):
    with database.session() as session:
        make_cop(session, channel_id="C0001", name="Existing CoP")
    view = open_setup(slack, standin)
    reply = submit(slack, view, {**VALID, "channel_choice": "this_channel"})
    assert reply.json["response_action"] == "errors"
    assert "Existing CoP" in reply.json["errors"]["channel_choice"]
    assert len(cops(database)) == 1


def test_name_taken_gets_a_number(slack, standin, database):
    standin.fail("conversations.create", error="name_taken")
    view = open_setup(slack, standin)
    submit(slack, view, VALID)
    created = standin.wait_for("conversations.create")[0]
    assert created.args["name"] == "cop-middle-school-engagement-cop-2"
    standin.wait_for("views.publish")
    [cop] = cops(database)
    assert cop.channel_id == created.answer["channel"]["id"]


def test_already_in_channel_is_ignored(slack, standin, database):
    standin.fail("conversations.invite", error="already_in_channel")
    view = open_setup(slack, standin)
    submit(slack, view, VALID)
    standin.wait_for("chat.postMessage")
    standin.wait_for("views.publish")
    assert not standin.calls_to("chat.postEphemeral")


def test_slack_failure_after_save_keeps_cop_and_tells_user(slack, standin, database):
    standin.fail("conversations.create", error="restricted_action")
    view = open_setup(slack, standin)
    submit(slack, view, VALID)
    note = standin.wait_for("chat.postEphemeral")[0]
    assert note.args["user"] == "U0001" and "restricted_action" in note.args["text"] + str(note.args["blocks"])
    assert "/pdsa setup link" in str(note.args["blocks"])
    [cop] = cops(database)
    assert cop.channel_id is None


def test_link_subcommand_gives_channel_to_cop_without_one(slack, standin, database):
    standin.fail("conversations.create", error="restricted_action")
    view = open_setup(slack, standin)
    submit(slack, view, {**VALID, "facilitators": ["U0001"]})
    standin.wait_for("chat.postEphemeral")
    reply = slack.command("setup link", channel_id="C0888")
    assert "now Middle School Engagement CoP's channel" in reply.json["text"]
    standin.wait_for("conversations.join", lambda c: c.args["channel"] == "C0888")
    [cop] = cops(database)
    assert cop.channel_id == "C0888"
    again = slack.command("setup link", channel_id="C0999")
    assert "no CoP without a channel" in again.json["text"]


def test_invalid_submissions_show_inline_errors_and_save_nothing(slack, standin, database):
    view = open_setup(slack, standin)
    cases = [
        ({"name": ""}, "name"),
        ({"districts": " , "}, "districts"),
        ({"school_year": "2025-2026"}, "school_year"),
        ({"school_year": "2025-27"}, "school_year"),
        ({"convening_2": None, "convening_3": None, "convening_4": None}, "convening_2"),
        ({"convening_2": "2025-08-23"}, "convening_2"),
        ({"convening_3": "2025-10-01"}, "convening_3"),
        ({"convening_2": None}, "convening_2"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"facilitators": []}, "facilitators"),
    ]
    for change, field in cases:
        reply = submit(slack, view, {**VALID, **change})
        assert reply.json["response_action"] == "errors", change
        assert list(reply.json["errors"]) == [field], change
    assert cops(database) == []


def test_direct_message_cannot_be_linked(slack, standin, database):
    view = open_setup(slack, standin, channel_id="D0001")
    view["blocks"][-1]["element"]["options"].insert(0, {"text": {"type": "plain_text", "text": "x"},
                                                        "value": "this_channel"})
    reply = submit(slack, view, {**VALID, "channel_choice": "this_channel"})
    assert "channel_choice" in reply.json["errors"]
    assert cops(database) == []


def test_double_submit_creates_one_cop(slack, standin, database):
    view = open_setup(slack, standin)
    first = submit(slack, view, VALID)
    second = submit(slack, view, VALID)
    assert first.status == second.status == 200
    standin.wait_for("conversations.create")
    assert len(cops(database)) == 1


def test_setup_is_scoped_to_the_workspace(slack, standin, database):
    with database.session() as session:
        make_cop(session, team_id="T0002", channel_id="C0001", name="Other workspace CoP")
    view = open_setup(slack, standin)
    submit(slack, view, {**VALID, "channel_choice": "this_channel"})
    standin.wait_for("conversations.join")
    mine = [cop for cop in cops(database) if cop.team_id == "T0001"]
    assert len(mine) == 1 and mine[0].channel_id == "C0001"


def test_failed_invite_and_welcome_are_reported_and_the_cop_is_kept(slack, standin, database):
    standin.fail("conversations.invite", error="user_is_restricted")
    standin.server_error("chat.postMessage", count=4)  # the welcome fails even after the client's retries
    view = open_setup(slack, standin, channel_id="C0555")
    submit(slack, view, {**VALID, "channel_choice": "this_channel", "facilitators": ["UFAC1"]})
    note = standin.wait_for("chat.postEphemeral", timeout=20)[0]
    text = str(note.args["blocks"])
    assert "<@UFAC1>" in text and "user_is_restricted" in text and "welcome" in text
    [cop] = cops(database)
    assert cop.channel_id == "C0555"
