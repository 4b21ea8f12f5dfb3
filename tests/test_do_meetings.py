"""The Do meeting form and its checks (copbot/do_meetings.py)."""

from __future__ import annotations

from datetime import date

import pytest

from copbot.do_meetings import (
    GamePlan,
    TypedMeeting,
    compose_notes,
    do_meeting_form,
    kind_from_words,
    log_do_meeting,
    next_kind,
    split_notes,
)
from copbot.errors import UserError
from copbot.vocabulary import DoMeetingKind
from tests.cycle_states import HELD, open_first_cycle, planned
from tests.factories import make_cop, make_school_team

PARTS = {"who": "Ms. Rivera teaches; Mr. Chen observes", "what": "Sentence frames in discussions",
         "where": "Period 3 ELA", "when": "Tuesdays and Thursdays, Sep 15 - Oct 31", "why": "More EL talk"}


@pytest.fixture
def cycle(session):
    team = make_school_team(session, make_cop(session))
    return planned(session, open_first_cycle(session, team))


def field_of(call) -> str | None:
    with pytest.raises(UserError) as error:
        call()
    return error.value.field


def test_game_plan_notes_round_trip():
    notes = compose_notes(GamePlan(PARTS), "Bring the tally sheet.")
    assert notes.startswith("Who: Ms. Rivera teaches")
    assert split_notes(notes) == (GamePlan(PARTS), "Bring the tally sheet.")
    assert split_notes("Just notes\nWho: not a label here") == (GamePlan({}), "Just notes\nWho: not a label here")


def test_kind_from_words():
    assert kind_from_words("mid") is DoMeetingKind.MID_STREAM
    assert kind_from_words("end of cycle") is DoMeetingKind.END_OF_CYCLE
    assert kind_from_words("game-plan") is DoMeetingKind.GAME_PLAN
    assert kind_from_words("") is None and kind_from_words("lunch") is None


def test_checks_name_the_field(session, cycle):
    def log(**changes):
        values = dict(kind=DoMeetingKind.MID_STREAM, held_on=HELD, attendees=["U0001"], notes="On track")
        values.update(changes)
        return lambda: log_do_meeting(session, cycle=cycle, user_id="U0001", **values)

    assert field_of(log(kind=None)) == "kind"
    assert field_of(log(held_on=None)) == "held_on"
    assert field_of(log(attendees=[])) == "attendees"
    assert field_of(log(notes=" ")) == "notes"
    assert field_of(log(kind=DoMeetingKind.GAME_PLAN, game_plan=GamePlan({**PARTS, "where": ""}))) == "where"
    assert field_of(log(held_on=date(2099, 1, 1))) == "held_on"


def test_next_kind_and_editing_prefills(session, cycle):
    assert next_kind(session, cycle=cycle) is DoMeetingKind.GAME_PLAN
    log_do_meeting(session, cycle=cycle, user_id="U0001", kind=DoMeetingKind.GAME_PLAN, held_on=HELD,
                   attendees=["U0001", "U0002"], notes="", game_plan=GamePlan(PARTS))
    assert next_kind(session, cycle=cycle) is DoMeetingKind.MID_STREAM
    form = do_meeting_form(session, cycle=cycle, kind=DoMeetingKind.GAME_PLAN)
    assert form.meeting is not None and form.game_plan == GamePlan(PARTS) and form.notes == ""
    assert form.attendees == ["U0001", "U0002"]
    fresh = do_meeting_form(session, cycle=cycle)
    assert fresh.kind is DoMeetingKind.MID_STREAM and fresh.meeting is None and fresh.held_on is None
    assert fresh.attendees == ["U0001", "U0002", "U0003", "U0004"]
    assert len(fresh.questions) == 1
    typed = do_meeting_form(session, cycle=cycle, kind=DoMeetingKind.END_OF_CYCLE,
                            typed=TypedMeeting(HELD, ("U0002",), "Sorted tickets"))
    assert (typed.held_on, typed.attendees, typed.notes) == (HELD, ["U0002"], "Sorted tickets")
    saved = do_meeting_form(session, cycle=cycle, kind=DoMeetingKind.GAME_PLAN, typed=TypedMeeting(notes="x"))
    assert saved.notes == "" and saved.held_on == HELD
