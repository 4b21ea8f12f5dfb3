"""Evidence items (copbot/evidence.py), without Slack."""

from __future__ import annotations

from datetime import date

import pytest

from copbot.errors import UserError
from copbot.evidence import Measurement, add_evidence, evidence_count, evidence_for, save_message_as_evidence
from tests.cycle_states import acted, open_first_cycle, planned, studied
from tests.factories import make_cop, make_school_team

TODAY = date(2025, 10, 1)


@pytest.fixture
def team(session):
    return make_school_team(session, make_cop(session))


@pytest.fixture
def cycle(session, team):
    return planned(session, open_first_cycle(session, team))


def add(session, cycle, **changes):
    values = dict(focus="student_impact", kind="student_work", description="Exit tickets, period 3",
                  link="", measurement=Measurement(), today=TODAY)
    values.update(changes)
    return add_evidence(session, cycle=cycle, user_id="U0001", **values)


def field_of(call) -> str | None:
    with pytest.raises(UserError) as error:
        call()
    return error.value.field


def test_add_evidence_with_a_measured_value(session, cycle):
    item = add(session, cycle, link="https://docs.example.org/exit-tickets",
               measurement=Measurement("EL exit tickets citing evidence (%)", 69.2, date(2025, 9, 30)))
    assert (item.measure_name, item.measured_value, item.measured_on) == (
        "EL exit tickets citing evidence (%)", 69.2, date(2025, 9, 30))
    assert item.link == "https://docs.example.org/exit-tickets"
    assert evidence_count(session, team_id="T0001", cycle_id=cycle.id) == 1
    assert evidence_for(session, team_id="T0002", cycle_id=cycle.id) == []


def test_checks_name_the_field(session, cycle):
    assert field_of(lambda: add(session, cycle, focus=None)) == "focus"
    assert field_of(lambda: add(session, cycle, kind="rumour")) == "kind"
    assert field_of(lambda: add(session, cycle, description="  ")) == "description"
    assert field_of(lambda: add(session, cycle, link="ftp://files.example.org/x")) == "link"
    assert field_of(lambda: add(session, cycle, link="not a link")) == "link"
    assert field_of(lambda: add(session, cycle, measurement=Measurement("Attendance", None, TODAY))) == "measured_value"
    assert field_of(lambda: add(session, cycle, measurement=Measurement("", 3, None))) == "measure_name"
    assert field_of(lambda: add(session, cycle, measurement=Measurement("Attendance", 91, None))) == "measured_on"
    future = Measurement("Attendance", 91, date(2025, 12, 1))
    assert field_of(lambda: add(session, cycle, measurement=future)) == "measured_on"
    assert evidence_count(session, team_id="T0001", cycle_id=cycle.id) == 0


def test_evidence_needs_a_cycle_in_do_or_study(session, team):
    cycle = open_first_cycle(session, team)
    with pytest.raises(UserError, match="save the Plan first") as error:
        add(session, cycle)
    assert error.value.field == "focus"
    planned(session, cycle)
    studied(session, cycle)
    with pytest.raises(UserError, match="in Act"):
        add(session, cycle)


def test_saving_the_same_message_twice_updates_it(session, cycle, team):
    def save(target, kind="observation"):
        return save_message_as_evidence(
            session, cycle=target, user_id="U0002", focus="adult_practice", kind=kind,
            description="Observed 12 evidence prompts", link="https://copbot-test.slack.com/archives/C0001/p1",
            source_channel="C0001", source_ts="1700000000.000200",
        )

    first, created = save(cycle)
    again, created_again = save(cycle, kind="artifact")
    assert created and not created_again and again.id == first.id and again.kind == "artifact"
    assert evidence_count(session, team_id="T0001", cycle_id=cycle.id) == 1
    following = acted(session, studied(session, cycle))
    planned(session, following)
    other, created_other = save(following)
    assert created_other and other.id != first.id


def test_student_personal_data_needs_the_privacy_check(session, cycle):
    with pytest.raises(UserError, match="a student ID number") as error:
        add(session, cycle, description="ID: 1234567 scored below basic")
    assert error.value.field == "description" and "1234567" not in error.value.message
    with pytest.raises(UserError, match="an email address"):
        save_message_as_evidence(session, cycle=cycle, user_id="U0002", focus="adult_practice", kind="observation",
                                 description="Ask jlopez.family@example.com", link=None,
                                 source_channel="C0001", source_ts="1700000000.000200")
    assert evidence_count(session, team_id="T0001", cycle_id=cycle.id) == 0
    add(session, cycle, description="ID: 1234567 is a course section, not a student", personal_data_checked=True)
    assert evidence_count(session, team_id="T0001", cycle_id=cycle.id) == 1
