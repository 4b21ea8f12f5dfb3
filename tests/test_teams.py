"""School teams (copbot/teams.py), without Slack."""

from __future__ import annotations

import pytest
from sqlmodel import select

from copbot import teams
from copbot.errors import NotAllowed, UserError
from copbot.vocabulary import Role, Stage, SupportType
from storage.models import Cycle, Membership
from tests.factories import CONVENINGS, make_cop, make_school_team

FULL = {Role.IMPLEMENTING_TEACHER: ["U0001", "U0002"], Role.OBSERVER: ["U0003"], Role.NOTE_TAKER: ["U0004"],
        Role.SITE_DECISION_MAKER: ["U0005"]}


def form(school="Jefferson Middle School", members=None, **changes):
    values = dict(school_name=school, district="Sanger Unified", support_type=SupportType.FOCUS,
                  subgroups=["African American students"], members=FULL if members is None else members)
    values.update(changes)
    return teams.TeamForm(**values)


@pytest.fixture
def cop(session):
    return make_cop(session)


def add(session, cop, school="Jefferson Middle School", user="UFAC1", **kwargs):
    return teams.save_team(session, team_id="T0001", user_id=user, cop_id=cop.id, school_team_id=None,
                           form=form(school, **kwargs))


def test_facilitator_adds_team_with_members_and_cycle_one(session, cop):
    saved = add(session, cop)
    assert saved.created and saved.team.school_name == "Jefferson Middle School"
    rows = session.exec(select(Membership.user_id, Membership.role)
                        .where(Membership.school_team_id == saved.team.id)).all()
    assert sorted(rows) == sorted((user, role.value) for role, users in FULL.items() for user in users)
    cycle = session.exec(select(Cycle).where(Cycle.school_team_id == saved.team.id)).one()
    assert (cycle.number, cycle.stage, cycle.school_year) == (1, Stage.PLAN, "2025-26")
    assert (cycle.plan_on, cycle.study_on) == (CONVENINGS[0], CONVENINGS[1])
    assert saved.cycle.id == cycle.id


def test_only_facilitators_add_teams(session, cop):
    make_school_team(session, cop)  # U0001 is a member of Lincoln's team
    with pytest.raises(NotAllowed, match="Only facilitators"):
        add(session, cop, user="U0001")
    with pytest.raises(NotAllowed):
        add(session, cop, user="UNOBODY")


def test_members_and_facilitators_edit_a_team_and_memberships_are_replaced(session, cop):
    team = make_school_team(session, cop)
    new_members = {Role.IMPLEMENTING_TEACHER: ["U0001"], Role.OBSERVER: ["U0009"]}
    saved = teams.save_team(session, team_id="T0001", user_id="U0001", cop_id=cop.id, school_team_id=team.id,
                            form=form("Lincoln Middle School", members=new_members,
                                      support_type=SupportType.OTHER_SUPPORT))
    assert not saved.created and saved.cycle is None
    assert teams.members_by_role(session, team_id="T0001", school_team_id=team.id) == {
        Role.IMPLEMENTING_TEACHER: ["U0001"], Role.OBSERVER: ["U0009"], Role.NOTE_TAKER: [],
        Role.SITE_DECISION_MAKER: []}
    assert saved.team.support_type == SupportType.OTHER_SUPPORT
    teams.save_team(session, team_id="T0001", user_id="UFAC1", cop_id=cop.id, school_team_id=team.id,
                    form=form("Lincoln Middle School"))
    with pytest.raises(NotAllowed):
        teams.save_team(session, team_id="T0001", user_id="U0009", cop_id=cop.id, school_team_id=team.id,
                        form=form("Lincoln Middle School"))  # the facilitator's save removed U0009


def test_school_names_are_unique_in_a_cop(session, cop):
    make_school_team(session, cop)
    with pytest.raises(UserError) as error:
        add(session, cop, school="lincoln  middle school")
    assert error.value.field == "school_name"
    with pytest.raises(UserError) as error:
        add(session, cop, school="   ")
    assert error.value.field == "school_name"


def test_size_warnings_do_not_block(session, cop):
    saved = add(session, cop, members={Role.IMPLEMENTING_TEACHER: ["U0001", "U0002"]})
    assert saved.warnings == ["Jefferson Middle School has 2 members; a school team usually has 4-7.",
                              "The CoP has 1 school team; a CoP usually has 2-4."]
    saved = add(session, cop, school="Roosevelt Middle School")
    assert saved.warnings == []
    for school in ["A", "B", "C"]:
        saved = add(session, cop, school=f"{school} Middle School")
    assert saved.warnings == ["The CoP has 5 school teams; a CoP usually has 2-4."]


def test_one_person_with_two_roles_counts_once():
    assert teams.team_size({Role.IMPLEMENTING_TEACHER: ["U1", "U2"], Role.NOTE_TAKER: ["U1"]}) == 2
    assert teams.size_warnings(school_name="X", people=8, teams_in_cop=3) == [
        "X has 8 members; a school team usually has 4-7."]


def test_other_workspace_cannot_touch_the_team(session, cop):
    team = make_school_team(session, cop)
    with pytest.raises(UserError, match="does not exist"):
        teams.save_team(session, team_id="T0002", user_id="UFAC1", cop_id=cop.id, school_team_id=team.id,
                        form=form())
    other = make_cop(session, team_id="T0002", facilitator="UFAC1")
    with pytest.raises(UserError, match="does not exist"):
        teams.save_team(session, team_id="T0002", user_id="UFAC1", cop_id=other.id, school_team_id=team.id,
                        form=form())


def test_start_in_a_cop_channel(session, cop):
    lincoln = make_school_team(session, cop)
    start = teams.start_team_form(session, team_id="T0001", user_id="UFAC1", channel_id="C0001")
    assert start.target is None  # a new team or Lincoln: the person picks
    assert [c.id for c in start.choices.can_add] == [cop.id] and start.choices.can_edit == [lincoln]
    member = teams.start_team_form(session, team_id="T0001", user_id="U0002", channel_id="C0001")
    assert member.target.team.id == lincoln.id and member.choices.can_add == []
    with pytest.raises(NotAllowed, match="neither a facilitator"):
        teams.start_team_form(session, team_id="T0001", user_id="UNOBODY", channel_id="C0001")


def test_start_by_school_name(session, cop):
    lincoln = make_school_team(session, cop)
    assert teams.start_team_form(session, team_id="T0001", user_id="UFAC1", channel_id="C0001",
                                 school_name="lincoln").target.team.id == lincoln.id
    new = teams.start_team_form(session, team_id="T0001", user_id="UFAC1", channel_id="C0001",
                                school_name="Roosevelt  Middle School").target
    assert new.team is None and new.school_name == "Roosevelt Middle School"
    with pytest.raises(NotAllowed, match="cannot add one"):
        teams.start_team_form(session, team_id="T0001", user_id="U0002", channel_id="C0001",
                              school_name="Roosevelt")


def test_start_outside_a_cop_channel(session, cop):
    second = make_cop(session, channel_id="C0002", facilitator="UFAC2", name="Attendance CoP")
    start = teams.start_team_form(session, team_id="T0001", user_id="UFAC1", channel_id="D0001")
    assert start.target.cop.id == cop.id and start.target.team is None
    with pytest.raises(UserError, match="/pdsa setup"):
        teams.start_team_form(session, team_id="T0001", user_id="UNOBODY", channel_id="D0001")
    session.add(Membership(team_id="T0001", cop_id=second.id, user_id="UFAC1", role=Role.FACILITATOR))
    session.flush()
    several = teams.start_team_form(session, team_id="T0001", user_id="UFAC1", channel_id="D0001")
    assert several.target is None and len(several.choices.can_add) == 2


def test_target_from_choice_checks_rights(session, cop):
    lincoln = make_school_team(session, cop)
    assert teams.target_from_choice(session, team_id="T0001", user_id="U0001", kind="team",
                                    number=lincoln.id).team.id == lincoln.id
    with pytest.raises(NotAllowed):
        teams.target_from_choice(session, team_id="T0001", user_id="U0001", kind="new", number=cop.id)
    with pytest.raises(NotAllowed):
        teams.target_from_choice(session, team_id="T0001", user_id="UNOBODY", kind="team", number=lincoln.id)
    assert teams.target_from_choice(session, team_id="T0001", user_id="UFAC1", kind="new",
                                    number=cop.id).team is None
