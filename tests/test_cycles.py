"""The PDSA cycle rules in copbot/cycles.py, without Slack."""

from __future__ import annotations

from datetime import date

import pytest

from copbot import cycles
from copbot.errors import UserError
from copbot.vocabulary import ActDecisionKind, DoMeetingKind, Stage
from tests.factories import CONVENINGS, make_cop, make_school_team


@pytest.fixture
def team(session):
    cop = make_cop(session)
    return make_school_team(session, cop)


def open_first(session, team):
    return cycles.open_cycle(session, team_id="T0001", school_team_id=team.id, school_year="2025-26",
                             plan_on=CONVENINGS[0], study_on=CONVENINGS[1])


def plan(session, cycle, strategy="Structured academic talk with sentence frames"):
    return cycles.record_plan(session, cycle=cycle, user_id="U0001", strategy=strategy,
                              evidence_adult_practice="Observer tallies teacher prompts",
                              evidence_student_impact="Exit tickets", evidence_methods=["observation"])


def test_open_cycle_numbers_and_only_one_open(session, team):
    cycle = open_first(session, team)
    assert (cycle.number, cycle.stage) == (1, Stage.PLAN)
    with pytest.raises(UserError, match="already has an open cycle"):
        open_first(session, team)


def test_open_cycle_in_another_workspace_is_not_found(session, team):
    with pytest.raises(UserError, match="does not exist"):
        cycles.open_cycle(session, team_id="T9999", school_team_id=team.id, school_year="2025-26")


def test_study_before_plan_is_rejected(session, team):
    with pytest.raises(UserError) as error:
        cycles.open_cycle(session, team_id="T0001", school_team_id=team.id, school_year="2025-26",
                          plan_on=date(2025, 11, 15), study_on=date(2025, 8, 23))
    assert error.value.field == "study_on"


def test_plan_needs_strategy_and_evidence_and_moves_to_do(session, team):
    cycle = open_first(session, team)
    with pytest.raises(UserError) as error:
        cycles.record_plan(session, cycle=cycle, user_id="U0001", strategy="  ")
    assert error.value.field == "strategy"
    with pytest.raises(UserError) as error:
        cycles.record_plan(session, cycle=cycle, user_id="U0001", strategy="Talk moves")
    assert error.value.field == "evidence_adult_practice"
    assert cycle.stage == Stage.PLAN
    plan(session, cycle)
    assert cycle.stage == Stage.DO


def test_do_meeting_needs_cycle_in_do(session, team):
    cycle = open_first(session, team)
    with pytest.raises(UserError, match="needs a cycle in Do") as error:
        cycles.record_do_meeting(session, cycle=cycle, user_id="U0001", kind=DoMeetingKind.GAME_PLAN,
                                 held_on=date(2025, 9, 1), attendees=["U0001"], notes="x")
    assert error.value.field == "kind"
    plan(session, cycle)
    meeting = cycles.record_do_meeting(session, cycle=cycle, user_id="U0001", kind=DoMeetingKind.GAME_PLAN,
                                       held_on=date(2025, 9, 1), attendees=["U0001", "U0002"], notes="Who: ...")
    again = cycles.record_do_meeting(session, cycle=cycle, user_id="U0001", kind=DoMeetingKind.GAME_PLAN,
                                     held_on=date(2025, 9, 2), attendees=["U0001"], notes="corrected")
    assert again.id == meeting.id and again.held_on == date(2025, 9, 2)


def test_study_then_act_closes_and_opens_next_with_plan_seeded(session, team):
    cycle = open_first(session, team)
    plan(session, cycle)
    with pytest.raises(UserError, match="needs a cycle in Act"):
        cycles.record_act(session, cycle=cycle, user_id="U0001", decision=ActDecisionKind.KEEP, rationale="x")
    with pytest.raises(UserError) as error:
        cycles.record_study(session, cycle=cycle, user_id="U0001", implementation="", evidence_summary="",
                            learnings=" ")
    assert error.value.field == "learnings"
    cycles.record_study(session, cycle=cycle, user_id="U0001", implementation="Daily", evidence_summary="Up",
                        learnings="Sentence frames doubled student talk")
    assert cycle.stage == Stage.ACT
    outcome = cycles.record_act(session, cycle=cycle, user_id="U0001", decision=ActDecisionKind.SCALE,
                                rationale="Works in 3 classrooms", next_plan_on=CONVENINGS[1],
                                next_study_on=CONVENINGS[2])
    assert cycle.stage == Stage.CLOSED and cycle.closed_at is not None
    nxt = outcome.next_cycle
    assert (nxt.number, nxt.stage, nxt.previous_cycle_id) == (2, Stage.PLAN, cycle.id)
    assert outcome.decision.next_cycle_id == nxt.id
    draft = cycles.plan_for_editing(session, cycle=nxt)
    assert draft.strategy == "Scale: Structured academic talk with sentence frames"
    assert "Works in 3 classrooms" in draft.shared_learning
    assert draft.evidence_student_impact == "Exit tickets"
    with pytest.raises(UserError, match="closed"):
        cycles.record_act(session, cycle=cycle, user_id="U0001", decision=ActDecisionKind.KEEP, rationale="again")


def test_abandon_seeds_an_empty_strategy(session, team):
    cycle = open_first(session, team)
    plan(session, cycle)
    cycles.record_study(session, cycle=cycle, user_id="U1", implementation="", evidence_summary="",
                        learnings="No change")
    outcome = cycles.record_act(session, cycle=cycle, user_id="U1", decision=ActDecisionKind.ABANDON,
                                rationale="No effect on talk")
    draft = cycles.plan_for_editing(session, cycle=outcome.next_cycle)
    assert draft.strategy == "" and draft.evidence_methods == []


def test_default_do_meeting_dates_fall_between_convenings():
    dates = cycles.default_do_meeting_dates(CONVENINGS[0], CONVENINGS[1])
    assert CONVENINGS[0] < dates[DoMeetingKind.GAME_PLAN] < dates[DoMeetingKind.MID_STREAM]
    assert dates[DoMeetingKind.MID_STREAM] < dates[DoMeetingKind.END_OF_CYCLE] < CONVENINGS[1]
    assert dates[DoMeetingKind.END_OF_CYCLE] == date(2025, 11, 8)
    with pytest.raises(UserError):
        cycles.default_do_meeting_dates(date(2025, 1, 1), date(2025, 1, 2))


def test_cycle_dates_follow_convenings(session, team):
    assert cycles.cycle_dates(session, team_id="T0001", cop_id=team.cop_id, number=1) == (CONVENINGS[0], CONVENINGS[1])
    assert cycles.cycle_dates(session, team_id="T0001", cop_id=team.cop_id, number=3) == (CONVENINGS[2], CONVENINGS[3])
    assert cycles.cycle_dates(session, team_id="T0001", cop_id=team.cop_id, number=4) == (CONVENINGS[3], None)
    assert cycles.cycle_dates(session, team_id="T9999", cop_id=team.cop_id, number=1) == (None, None)
