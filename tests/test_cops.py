"""Creating a CoP (copbot/cops.py), without Slack."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from copbot import cops
from copbot.errors import UserError
from copbot.vocabulary import CopScope, SchoolLevel, StageOfDevelopment
from storage.models import Convening, Membership
from tests.factories import CONVENINGS, make_cop


def form(**changes):
    values = dict(name="Attendance CoP", focus_area="Attendance", school_level=SchoolLevel.HIGH,
                  scope=CopScope.INTRA_DISTRICT, districts=["Fresno Unified"], school_year="2025-26",
                  convenings=CONVENINGS, stage=StageOfDevelopment.POTENTIAL, timezone="America/Los_Angeles",
                  facilitators=["UFAC1", "UFAC2", "UFAC1"])
    values.update(changes)
    return cops.CopForm(**values)


@pytest.mark.parametrize(("today", "year"), [
    (date(2025, 7, 1), "2025-26"), (date(2026, 6, 30), "2025-26"), (date(1999, 9, 1), "1999-00"),
])
def test_current_school_year(today, year):
    assert cops.current_school_year(today) == year


@pytest.mark.parametrize("text", ["2025-26", " 2099-00 "])
def test_school_year_accepts_yyyy_yy(text):
    assert cops.parse_school_year(text) == text.strip()


@pytest.mark.parametrize("text", ["2025-2026", "2025-25", "25-26", "", "2025/26"])
def test_school_year_rejects_other_formats(text):
    with pytest.raises(UserError) as error:
        cops.parse_school_year(text)
    assert error.value.field == "school_year"


def test_parse_list_trims_and_drops_repeats():
    assert cops.parse_list(" Fresno Unified ,, fresno unified,  Sanger   Unified ") == ["Fresno Unified",
                                                                                        "Sanger Unified"]


def test_convenings_need_two_in_order_without_gaps():
    d = date
    assert cops.check_convenings([d(2025, 8, 23), d(2025, 11, 15), None, None]) == [d(2025, 8, 23), d(2025, 11, 15)]
    cases = [
        ([None, None], "convening_1"),
        ([d(2025, 8, 23), None], "convening_2"),
        ([d(2025, 8, 23), None, d(2025, 11, 15)], "convening_2"),
        ([d(2025, 8, 23), d(2025, 8, 23)], "convening_2"),
        ([d(2025, 8, 23), d(2025, 11, 15), d(2025, 10, 1)], "convening_3"),
    ]
    for dates, field in cases:
        with pytest.raises(UserError) as error:
            cops.check_convenings(dates)
        assert error.value.field == field, dates


def test_timezone_must_exist():
    assert cops.parse_timezone("") == "America/Los_Angeles"
    assert cops.parse_timezone("America/New_York") == "America/New_York"
    with pytest.raises(UserError) as error:
        cops.parse_timezone("Pacific Time")
    assert error.value.field == "timezone"


@pytest.mark.parametrize(("name", "attempt", "channel"), [
    ("Middle School Engagement CoP", 1, "cop-middle-school-engagement-cop"),
    ("CoP: Suspension & Attendance!!", 1, "cop-suspension-attendance"),
    ("cop-ela", 3, "cop-ela-3"),
    ("***", 1, "cop-community"),
    ("Élan vital_2025", 1, "cop-elan-vital_2025"),
])
def test_channel_names(name, attempt, channel):
    assert cops.channel_name_for(name, attempt) == channel


def test_channel_name_is_at_most_80_characters():
    name = cops.channel_name_for("x" * 300, 12)
    assert len(name) == 80 and name.endswith("-12") and name.startswith("cop-")


def test_create_cop_saves_convenings_and_facilitators_once(session):
    cop = cops.create_cop(session, team_id="T0001", user_id="U0001", form=form(), channel_id="C0100")
    held = session.exec(select(Convening.held_on).where(Convening.cop_id == cop.id)).all()
    people = session.exec(select(Membership.user_id).where(Membership.cop_id == cop.id)).all()
    assert sorted(held) == CONVENINGS
    assert sorted(people) == ["UFAC1", "UFAC2"]
    assert cops.facilitator_ids(session, team_id="T0001", cop_id=cop.id) == ["UFAC1", "UFAC2"]
    assert cops.convening_dates(session, team_id="T0001", cop_id=cop.id) == CONVENINGS


def test_create_cop_refuses_a_channel_of_another_cop_in_the_same_workspace_only(session):
    make_cop(session, channel_id="C0100")
    with pytest.raises(UserError) as error:
        cops.create_cop(session, team_id="T0001", user_id="U0001", form=form(), channel_id="C0100")
    assert error.value.field == "channel_choice"
    other = cops.create_cop(session, team_id="T0002", user_id="U0001", form=form(), channel_id="C0100")
    assert other.team_id == "T0002"


def test_create_cop_needs_a_facilitator(session):
    with pytest.raises(UserError) as error:
        cops.create_cop(session, team_id="T0001", user_id="U0001", form=form(facilitators=[]), channel_id=None)
    assert error.value.field == "facilitators"


def test_link_here_links_the_only_channel_less_cop(session):
    cop = cops.create_cop(session, team_id="T0001", user_id="U0001", form=form(), channel_id=None)
    assert cops.cops_without_channel(session, team_id="T0001", user_id="UFAC1") == [cop]
    with pytest.raises(UserError, match="direct message"):
        cops.link_here(session, team_id="T0001", user_id="UFAC1", channel_id="D0001")
    with pytest.raises(UserError, match="no CoP without a channel"):
        cops.link_here(session, team_id="T0001", user_id="U0009", channel_id="C0200")
    with pytest.raises(UserError, match="no CoP without a channel"):
        cops.link_here(session, team_id="T0002", user_id="UFAC1", channel_id="C0200")
    linked = cops.link_here(session, team_id="T0001", user_id="UFAC1", channel_id="C0200")
    assert linked.id == cop.id and linked.channel_id == "C0200"


def test_link_here_asks_for_a_name_when_several_cops_lack_a_channel(session):
    cops.create_cop(session, team_id="T0001", user_id="U0001", form=form(), channel_id=None)
    cops.create_cop(session, team_id="T0001", user_id="U0001", form=form(name="ELA CoP"), channel_id=None)
    with pytest.raises(UserError, match="Several"):
        cops.link_here(session, team_id="T0001", user_id="UFAC1", channel_id="C0200")
    assert cops.link_here(session, team_id="T0001", user_id="UFAC1", channel_id="C0200",
                          cop_name="ela cop").name == "ELA CoP"


def test_cop_today_uses_the_cops_time_zone(session):
    cop = make_cop(session)
    late_evening_in_california = datetime(2025, 9, 2, 5, 30, tzinfo=UTC)
    assert cops.cop_today(cop, late_evening_in_california) == date(2025, 9, 1)
    cop.timezone = "America/New_York"
    assert cops.cop_today(cop, late_evening_in_california) == date(2025, 9, 2)
