"""Which teams a command acts on (copbot/team_choice.py)."""

from __future__ import annotations

import pytest

from copbot.errors import NotAllowed
from copbot.team_choice import chosen_team, teams_to_act_on
from copbot.vocabulary import Role
from tests.factories import make_cop, make_school_team


@pytest.fixture
def cop(session):
    return make_cop(session)


def names(teams):
    return [team.school_name for team in teams]


def test_in_a_cop_channel_members_get_their_team_and_facilitators_all(session, cop):
    lincoln = make_school_team(session, cop)
    make_school_team(session, cop, "Roosevelt Middle School", members={"U0005": Role.OBSERVER})
    assert names(teams_to_act_on(session, team_id="T0001", user_id="U0001", channel_id="C0001")) == [
        lincoln.school_name]
    assert names(teams_to_act_on(session, team_id="T0001", user_id="UFAC1", channel_id="C0001")) == [
        "Lincoln Middle School", "Roosevelt Middle School"]


def test_outside_a_cop_channel_teams_across_cops(session, cop):
    make_school_team(session, cop)
    other = make_cop(session, channel_id="C0002", name="High School Attendance CoP")
    make_school_team(session, other, "Jefferson Middle School", members={"U0001": Role.OBSERVER})
    assert names(teams_to_act_on(session, team_id="T0001", user_id="U0001", channel_id="D0001")) == [
        "Jefferson Middle School", "Lincoln Middle School"]
    assert names(teams_to_act_on(session, team_id="T0001", user_id="U0001", channel_id="C0002")) == [
        "Jefferson Middle School"]


def test_refusals_say_why(session, cop):
    with pytest.raises(NotAllowed, match="has no school teams yet"):
        teams_to_act_on(session, team_id="T0001", user_id="UFAC1", channel_id="C0001")
    team = make_school_team(session, cop)
    with pytest.raises(NotAllowed, match="not a member of a school team in Middle School Engagement CoP"):
        teams_to_act_on(session, team_id="T0001", user_id="U0099", channel_id="C0001")
    with pytest.raises(NotAllowed, match="not a member of any school team"):
        teams_to_act_on(session, team_id="T0001", user_id="U0099", channel_id=None)
    with pytest.raises(NotAllowed):
        teams_to_act_on(session, team_id="T0002", user_id="U0001", channel_id="C0001")
    with pytest.raises(NotAllowed):
        chosen_team(session, team_id="T0001", user_id="U0099", school_team_id=team.id)
    with pytest.raises(NotAllowed) as error:
        chosen_team(session, team_id="T0001", user_id="U0001", school_team_id=team.id, offered=[team.id + 1])
    assert error.value.field == "school_team"
