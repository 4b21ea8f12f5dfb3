"""/pdsa team end to end: picker, pre-filled form, rules, warnings, cycle 1, and the open_team button."""

from __future__ import annotations

import json

from sqlmodel import select

from storage.models import Cycle, Membership, SchoolTeam
from tests.factories import make_cop, make_school_team
from tests.slack_requests import block_action, view_submission

NEW_TEAM = {
    "school_name": "Roosevelt Middle School",
    "district": "Sanger Unified",
    "support_type": "focus",
    "subgroups": "Students with disabilities, English learners",
    "implementing_teacher": ["U0011", "U0012"],
    "observer": ["U0013"],
    "note_taker": ["U0014"],
    "site_decision_maker": ["U0015"],
}


def last_opened(standin, count=1):
    return standin.wait_for("views.open", count=count)[-1].answer["view"]


def submit(slack, view, values, user_id):
    return slack.interactive(view_submission(view, values, user_id=user_id))


def blocks_of(view):
    return {b.get("block_id"): b for b in view["blocks"]}


def with_identity(view, view_id):
    """A view returned in a response_action (Slack gives it a new hash)."""
    return {**view, "id": view_id, "hash": f"hash-{view_id}"}


def teams(database, team_id="T0001"):
    with database.session() as session:
        return list(session.exec(select(SchoolTeam).where(SchoolTeam.team_id == team_id)).all())


def members(database, school_team_id):
    with database.session() as session:
        return sorted(session.exec(select(Membership.user_id, Membership.role)
                                   .where(Membership.school_team_id == school_team_id)).all())


def test_facilitator_with_existing_team_picks_new_and_saves(slack, standin, database):
    with database.session() as session:
        cop = make_cop(session)
        make_school_team(session, cop)
    slack.command("team", user_id="UFAC1")
    picker = last_opened(standin)
    assert picker["callback_id"] == "team_pick_modal"
    options = [o["value"] for o in blocks_of(picker)["team_choice"]["element"]["options"]]
    assert options[0] == f"new:{cop.id}" and len(options) == 2
    reply = submit(slack, picker, {"team_choice": f"new:{cop.id}"}, "UFAC1")
    assert reply.json["response_action"] == "update"
    form = with_identity(reply.json["view"], "V100")
    assert form["callback_id"] == "team_modal"
    assert blocks_of(form)["school_name"]["element"].get("initial_value") in (None, "")
    saved = submit(slack, form, NEW_TEAM, "UFAC1")
    assert (saved.status, saved.body) == (200, b"")  # the modal closes
    note = standin.wait_for("chat.postMessage", lambda c: c.args["channel"] == "C0001")[0]
    assert "Roosevelt Middle School" in note.args["text"]
    assert "Cycle 1 is open" in str(note.args["blocks"])
    roosevelt = next(t for t in teams(database) if t.school_name == "Roosevelt Middle School")
    assert roosevelt.subgroups == ["Students with disabilities", "English learners"]
    assert members(database, roosevelt.id) == sorted([
        ("U0011", "implementing_teacher"), ("U0012", "implementing_teacher"), ("U0013", "observer"),
        ("U0014", "note_taker"), ("U0015", "site_decision_maker")])
    with database.session() as session:
        cycle = session.exec(select(Cycle).where(Cycle.school_team_id == roosevelt.id)).one()
    assert (cycle.number, cycle.stage) == (1, "plan")
    standin.wait_for("views.publish", lambda c: c.args["user_id"] == "U0011")


def test_editing_pre_fills_and_replaces_memberships(slack, standin, database):
    with database.session() as session:
        cop = make_cop(session)
        lincoln = make_school_team(session, cop)
    slack.command("team Lincoln", user_id="U0002")  # a member: straight to the form
    form = last_opened(standin)
    blocks = blocks_of(form)
    assert blocks["school_name"]["element"]["initial_value"] == "Lincoln Middle School"
    assert blocks["observer"]["element"]["initial_users"] == ["U0002"]
    assert blocks["subgroups"]["element"]["initial_value"] == "English learners"
    assert json.loads(form["private_metadata"])["school_team_id"] == lincoln.id
    values = {"school_name": "Lincoln Middle School", "district": "Fresno Unified", "support_type": "focus",
              "subgroups": "English learners", "implementing_teacher": ["U0001"], "observer": ["U0002"],
              "note_taker": ["U0003"], "site_decision_maker": ["U0004", "U0005"]}
    submit(slack, form, values, "U0002")
    standin.wait_for("chat.postMessage", lambda c: "team changes" in c.args["text"])
    assert ("U0005", "site_decision_maker") in members(database, lincoln.id)
    assert len(members(database, lincoln.id)) == 5
    with database.session() as session:
        assert len(session.exec(select(Cycle).where(Cycle.school_team_id == lincoln.id)).all()) == 0


def test_member_picks_existing_team_in_picker_and_form_is_pre_filled(slack, standin, database):
    with database.session() as session:
        cop = make_cop(session)
        lincoln = make_school_team(session, cop)
    slack.command("team", user_id="UFAC1")
    picker = last_opened(standin)
    reply = submit(slack, picker, {"team_choice": f"team:{lincoln.id}"}, "UFAC1")
    form = reply.json["view"]
    assert blocks_of(form)["school_name"]["element"]["initial_value"] == "Lincoln Middle School"
    assert blocks_of(form)["implementing_teacher"]["element"]["initial_users"] == ["U0001"]


def test_member_cannot_add_a_team_and_non_member_is_refused(slack, standin, database):
    with database.session() as session:
        cop = make_cop(session)
        lincoln = make_school_team(session, cop)
    refused = slack.command("team Jefferson Middle School", user_id="U0001")
    assert refused.json["response_type"] == "ephemeral"
    assert "Only a CoP's facilitators can add a school team" in refused.json["text"]
    stranger = slack.command("team", user_id="UNOBODY")
    assert "neither a facilitator" in stranger.json["text"]
    # a forged picker choice is refused inline too
    slack.command("team", user_id="U0001")
    form = last_opened(standin)
    forged = {**form, "private_metadata": json.dumps({"cop_id": cop.id, "school_team_id": None})}
    reply = submit(slack, forged, {**NEW_TEAM, "implementing_teacher": ["U0001"]}, "U0001")
    assert reply.json["response_action"] == "errors"
    assert "Only facilitators" in next(iter(reply.json["errors"].values()))
    assert [t.id for t in teams(database)] == [lincoln.id]


def test_no_cop_explains_setup(slack, standin, database):
    reply = slack.command("team", user_id="U0001", channel_id="C0404")
    assert reply.json["response_type"] == "ephemeral"
    assert "/pdsa setup" in reply.json["text"]
    assert not standin.calls_to("views.open")


def test_invalid_team_form_keeps_modal_and_saves_nothing(slack, standin, database):
    with database.session() as session:
        cop = make_cop(session)
        make_school_team(session, cop)
    slack.command("team Roosevelt Middle School", user_id="UFAC1")
    form = last_opened(standin)
    assert blocks_of(form)["school_name"]["element"]["initial_value"] == "Roosevelt Middle School"
    empty = submit(slack, form, {**NEW_TEAM, "school_name": ""}, "UFAC1")
    assert list(empty.json["errors"]) == ["school_name"]
    taken = submit(slack, form, {**NEW_TEAM, "school_name": "LINCOLN MIDDLE SCHOOL"}, "UFAC1")
    assert list(taken.json["errors"]) == ["school_name"]
    assert len(teams(database)) == 1


def test_warnings_are_posted_but_do_not_block(slack, standin, database):
    with database.session() as session:
        make_cop(session)
    slack.command("team", user_id="UFAC1")
    form = last_opened(standin)
    assert form["callback_id"] == "team_modal"  # only choice: a new team
    reply = submit(slack, form, {"school_name": "Tiny School", "support_type": "other_support",
                                 "implementing_teacher": ["U0001"]}, "UFAC1")
    assert reply.status == 200
    note = standin.wait_for("chat.postMessage", lambda c: c.args["channel"] == "C0001")[0]
    assert "usually has 4-7" in str(note.args["blocks"]) and "usually has 2-4" in str(note.args["blocks"])
    private = standin.wait_for("chat.postEphemeral")[0]
    assert private.args["user"] == "UFAC1" and "usually has 4-7" in private.args["text"]
    assert [t.school_name for t in teams(database)] == ["Tiny School"]


def test_double_submit_creates_one_team(slack, standin, database):
    with database.session() as session:
        make_cop(session)
    slack.command("team", user_id="UFAC1")
    form = last_opened(standin)
    submit(slack, form, NEW_TEAM, "UFAC1")
    submit(slack, form, NEW_TEAM, "UFAC1")
    standin.wait_for("chat.postMessage")
    assert len(teams(database)) == 1
    with database.session() as session:
        assert len(session.exec(select(Cycle)).all()) == 1


def test_open_team_button_opens_the_form_or_explains(slack, standin, database):
    with database.session() as session:
        cop = make_cop(session)
    slack.interactive(block_action("open_team", value=str(cop.id), user_id="UFAC1"))
    assert last_opened(standin)["callback_id"] == "team_modal"
    slack.interactive(block_action("open_team", value=str(cop.id), user_id="UNOBODY"))
    notice = last_opened(standin, count=2)
    assert "neither a facilitator" in str(notice["blocks"])


def test_other_workspace_sees_nothing(slack, standin, database):
    with database.session() as session:
        cop = make_cop(session, team_id="T0002", channel_id="C0001", facilitator="UFAC1")
        make_school_team(session, cop)
    reply = slack.command("team", user_id="UFAC1", channel_id="C0001")
    assert "/pdsa setup" in reply.json["text"]
    slack.interactive(block_action("open_team", value=str(cop.id), user_id="UFAC1"))
    assert "does not exist" in str(last_opened(standin)["blocks"])


def test_corrected_form_saves_after_an_inline_error(slack, standin, database):
    """Slack resubmits the same view (same id and hash) after an inline error: it must still save."""
    with database.session() as session:
        cop = make_cop(session)
        make_school_team(session, cop)
    slack.command("team Roosevelt Middle School", user_id="UFAC1")
    form = last_opened(standin)
    taken = submit(slack, form, {**NEW_TEAM, "school_name": "Lincoln Middle School"}, "UFAC1")
    assert list(taken.json["errors"]) == ["school_name"]
    fixed = submit(slack, form, NEW_TEAM, "UFAC1")
    assert (fixed.status, fixed.body) == (200, b"")
    assert sorted(t.school_name for t in teams(database)) == ["Lincoln Middle School", "Roosevelt Middle School"]


def test_cop_picker_outside_a_cop_channel(slack, standin, database):
    with database.session() as session:
        first = make_cop(session, channel_id="C0001")
        second = make_cop(session, channel_id="C0002", facilitator="UFAC1", name="Attendance CoP")
    slack.command("team", user_id="UFAC1", channel_id="D0001")
    picker = last_opened(standin)
    groups = blocks_of(picker)["team_choice"]["element"]["option_groups"]
    assert [g["label"]["text"] for g in groups] == ["Attendance CoP", "Middle School Engagement CoP"]
    reply = submit(slack, picker, {"team_choice": f"new:{second.id}"}, "UFAC1")
    form = with_identity(reply.json["view"], "V200")
    assert json.loads(form["private_metadata"])["cop_id"] == second.id
    submit(slack, form, NEW_TEAM, "UFAC1")
    standin.wait_for("chat.postMessage", lambda c: c.args["channel"] == "C0002")
    [team] = teams(database)
    assert team.cop_id == second.id and team.cop_id != first.id
