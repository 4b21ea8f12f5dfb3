from datetime import date
from pathlib import Path

import pytest

from copbot.calendar_import import parse_calendar
from copbot.cycles import open_cycle
from copbot.errors import NotAllowed, UserError
from copbot.school_calendar import (
    Break,
    add_break,
    calendar_cop,
    cop_calendar,
    cycle_do_meeting_due_dates,
    do_meeting_due_dates,
    import_breaks,
    is_school_day,
    next_school_day,
    require_facilitator,
)
from copbot.vocabulary import DoMeetingKind
from tests.factories import make_cop, make_school_team

DISTRICT = (Path(__file__).parent / "calendars" / "district_2025_26.ics").read_bytes()
THANKSGIVING = Break(date(2025, 11, 24), date(2025, 11, 28), "Thanksgiving break")


def test_weekends_and_breaks_are_not_school_days():
    assert is_school_day(date(2025, 11, 21))  # Friday
    assert not is_school_day(date(2025, 11, 22))  # Saturday
    assert not is_school_day(date(2025, 11, 25), [THANKSGIVING])
    assert next_school_day(date(2025, 11, 22), [THANKSGIVING]) == date(2025, 12, 1)


def test_do_meeting_due_dates_skip_breaks():
    plain = do_meeting_due_dates(date(2025, 11, 15), date(2026, 1, 23))
    assert plain[DoMeetingKind.MID_STREAM] == date(2025, 12, 19)
    winter = Break(date(2025, 12, 19), date(2026, 1, 2), "Winter break")
    moved = do_meeting_due_dates(date(2025, 11, 15), date(2026, 1, 23), [winter])
    assert moved[DoMeetingKind.MID_STREAM] == date(2026, 1, 5)
    assert moved[DoMeetingKind.GAME_PLAN] == plain[DoMeetingKind.GAME_PLAN]


# ----- a CoP's breaks in the database -----


def test_importing_the_district_calendar_moves_a_teams_do_meeting_due_dates(session):
    cop = make_cop(session)
    team = make_school_team(session, cop)
    cycle = open_cycle(session, team_id="T0001", school_team_id=team.id, school_year="2025-26",
                       plan_on=date(2025, 11, 15), study_on=date(2026, 1, 23))
    before = cycle_do_meeting_due_dates(session, team_id="T0001", cycle=cycle)
    assert before == {DoMeetingKind.GAME_PLAN: date(2025, 11, 26), DoMeetingKind.MID_STREAM: date(2025, 12, 19),
                      DoMeetingKind.END_OF_CYCLE: date(2026, 1, 16)}

    import_breaks(session, team_id="T0001", cop_id=cop.id, breaks=parse_calendar(DISTRICT).breaks)

    after = cycle_do_meeting_due_dates(session, team_id="T0001", cycle=cycle)
    assert after == {DoMeetingKind.GAME_PLAN: date(2025, 12, 1),  # after Thanksgiving break
                     DoMeetingKind.MID_STREAM: date(2026, 1, 5),  # after winter recess
                     DoMeetingKind.END_OF_CYCLE: date(2026, 1, 16)}


def test_a_cycle_without_dates_uses_the_cops_convenings(session):
    cop = make_cop(session)
    team = make_school_team(session, cop)
    cycle = open_cycle(session, team_id="T0001", school_team_id=team.id, school_year="2025-26")
    add_break(session, team_id="T0001", cop_id=cop.id, name="Fall recess", starts_on=date(2025, 9, 5),
              ends_on=date(2025, 9, 5))
    due = cycle_do_meeting_due_dates(session, team_id="T0001", cycle=cycle)
    # Aug 23 -> Nov 15: game plan on Sep 5 (a Friday, now a break) moves to Monday Sep 8.
    assert due[DoMeetingKind.GAME_PLAN] == date(2025, 9, 8)


def test_breaks_by_hand_are_checked(session):
    cop = make_cop(session)
    with pytest.raises(UserError) as raised:
        add_break(session, team_id="T0001", cop_id=cop.id, name="Winter break", starts_on=date(2026, 1, 2),
                  ends_on=date(2025, 12, 22))
    assert raised.value.field == "ends_on"
    with pytest.raises(UserError) as raised:
        add_break(session, team_id="T0001", cop_id=cop.id, name=" ", starts_on=date(2025, 12, 22),
                  ends_on=date(2026, 1, 2))
    assert raised.value.field == "name"
    add_break(session, team_id="T0001", cop_id=cop.id, name="Winter break", starts_on=date(2025, 12, 22),
              ends_on=date(2026, 1, 2))
    listing = cop_calendar(session, team_id="T0001", cop=cop)
    assert [b.name for b in listing.breaks] == ["Winter break"]
    assert len(listing.convenings) == 4


def test_which_cop_and_who_may_change_it(session):
    cop = make_cop(session)
    make_school_team(session, cop)
    other = make_cop(session, team_id="T0002", channel_id="C0001", facilitator="UFAC9")
    assert calendar_cop(session, team_id="T0001", channel_id="C0001", user_id="U0001").id == cop.id
    assert calendar_cop(session, team_id="T0002", channel_id="C0001", user_id="UFAC9").id == other.id
    assert calendar_cop(session, team_id="T0001", channel_id="D0001", user_id="U0001").id == cop.id
    with pytest.raises(UserError, match="CoP's channel"):
        calendar_cop(session, team_id="T0002", channel_id="D0001", user_id="U0001")
    require_facilitator(session, team_id="T0001", user_id="UFAC1", cop=cop)
    with pytest.raises(NotAllowed):
        require_facilitator(session, team_id="T0001", user_id="U0001", cop=cop)
    with pytest.raises(NotAllowed):
        require_facilitator(session, team_id="T0002", user_id="UFAC1", cop=other)
