"""School Site Council reports (copbot/ssc.py), without Slack."""

from __future__ import annotations

from datetime import date

import pytest

from copbot.errors import UserError
from copbot.ssc import convenings_before, record_ssc_report, reports_for
from tests.factories import CONVENINGS, make_cop, make_school_team

TODAY = date(2025, 12, 1)


@pytest.fixture
def cop(session):
    return make_cop(session)


@pytest.fixture
def team(session, cop):
    return make_school_team(session, cop)


def report(session, team, **changes):
    values = dict(reported_on=date(2025, 11, 20), key_learnings="Sentence frames doubled EL talk",
                  ssc_feedback="Try it in math too", plan_changes="Add frames to goal 2", today=TODAY)
    values.update(changes)
    return record_ssc_report(session, school_team=team, user_id="U0001", **values)


def field_of(call) -> str | None:
    with pytest.raises(UserError) as error:
        call()
    return error.value.field


def test_convenings_on_or_before_today_newest_first(session, cop):
    held = [c.held_on for c in convenings_before(session, team_id="T0001", cop_id=cop.id, today=TODAY)]
    assert held == [CONVENINGS[1], CONVENINGS[0]]
    assert convenings_before(session, team_id="T0002", cop_id=cop.id, today=TODAY) == []


def test_report_follows_a_convening(session, cop, team):
    november = convenings_before(session, team_id="T0001", cop_id=cop.id, today=TODAY)[0]
    saved = report(session, team, convening_id=november.id)
    assert (saved.convening_id, saved.key_learnings, saved.plan_changes) == (
        november.id, "Sentence frames doubled EL talk", "Add frames to goal 2")
    assert reports_for(session, team_id="T0001", school_team_id=team.id) == [saved]


def test_checks_name_the_field(session, cop, team):
    assert field_of(lambda: report(session, team, reported_on=None)) == "reported_on"
    assert field_of(lambda: report(session, team, reported_on=date(2025, 12, 2))) == "reported_on"
    assert field_of(lambda: report(session, team, key_learnings=" ")) == "key_learnings"
    later = convenings_before(session, team_id="T0001", cop_id=cop.id, today=date(2026, 6, 1))[0]
    assert field_of(lambda: report(session, team, convening_id=later.id)) == "convening"
    other_cop = make_cop(session, team_id="T0002", channel_id="C0002")
    foreign = convenings_before(session, team_id="T0002", cop_id=other_cop.id, today=TODAY)[0]
    assert field_of(lambda: report(session, team, convening_id=foreign.id)) == "convening"
    assert reports_for(session, team_id="T0001", school_team_id=team.id) == []
