"""Facilitator check-ins (copbot/checkins.py), without Slack."""

from __future__ import annotations

from datetime import date

import pytest

from copbot.checkins import facilitated_cops, record_checkin
from copbot.errors import NotAllowed, UserError
from tests.cycle_states import open_first_cycle
from tests.factories import make_cop, make_school_team

TODAY = date(2025, 11, 20)


@pytest.fixture
def cop(session):
    return make_cop(session)


@pytest.fixture
def team(session, cop):
    return make_school_team(session, cop)


def checkin(session, cop, **changes):
    values = dict(facilitator_user_id="UFAC1", kind="regional_nov", held_on=date(2025, 11, 18),
                  notes="Teams are collecting exit tickets; Roosevelt needs observer time.", today=TODAY)
    values.update(changes)
    return record_checkin(session, cop=cop, **values)


def field_of(call) -> str | None:
    with pytest.raises(UserError) as error:
        call()
    return error.value.field


def test_regional_checkin(session, cop):
    saved = checkin(session, cop)
    assert (saved.kind, saved.school_team_id, saved.cycle_id) == ("regional_nov", None, None)
    assert [c.id for c in facilitated_cops(session, team_id="T0001", user_id="UFAC1")] == [cop.id]
    assert facilitated_cops(session, team_id="T0001", user_id="U0001") == []


def test_team_checkin_is_tied_to_the_current_cycle(session, cop, team):
    cycle = open_first_cycle(session, team)
    saved = checkin(session, cop, kind="team", school_team_id=team.id)
    assert (saved.school_team_id, saved.cycle_id) == (team.id, cycle.id)


def test_only_facilitators(session, cop, team):
    with pytest.raises(NotAllowed):
        checkin(session, cop, facilitator_user_id="U0001")


def test_checks_name_the_field(session, cop, team):
    assert field_of(lambda: checkin(session, cop, kind=None)) == "kind"
    assert field_of(lambda: checkin(session, cop, held_on=None)) == "held_on"
    assert field_of(lambda: checkin(session, cop, held_on=date(2025, 11, 21))) == "held_on"
    assert field_of(lambda: checkin(session, cop, kind="team")) == "checkin_team"
    assert field_of(lambda: checkin(session, cop, notes="")) == "notes"
    other_cop = make_cop(session, channel_id="C0009", name="Other CoP")
    other = make_school_team(session, other_cop, "Jefferson Middle School")
    assert field_of(lambda: checkin(session, cop, kind="team", school_team_id=other.id)) == "checkin_team"
