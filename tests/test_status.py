"""Cycle status (copbot/status.py): done, missing, next deadline and overdue, as of a given day."""

from __future__ import annotations

from datetime import date

import pytest

from copbot import cycles, status
from copbot.errors import NotAllowed, UserError
from copbot.vocabulary import ActDecisionKind, DoMeetingKind, EvidenceFocus, EvidenceKind, Role, Stage
from storage.models import CalendarBreak, EvidenceItem
from tests.factories import CONVENINGS, make_cop, make_school_team

# Cycle 1: Plan Sat Aug 23, Study Sat Nov 15. Do meetings fall due on Sat Sep 6, Sat Oct 4 and Sat Nov 8,
# each moved to the Monday after: Sep 8, Oct 6, Nov 10.
GAME_PLAN, MID, END = date(2025, 9, 8), date(2025, 10, 6), date(2025, 11, 10)


@pytest.fixture
def cop(session):
    return make_cop(session)


@pytest.fixture
def team(session, cop):
    return make_school_team(session, cop)


@pytest.fixture
def cycle(session, team):
    return cycles.open_cycle(session, team_id="T0001", school_team_id=team.id, school_year="2025-26",
                             plan_on=CONVENINGS[0], study_on=CONVENINGS[1])


def plan(session, cycle):
    cycles.record_plan(session, cycle=cycle, user_id="U0001", strategy="Talk moves with sentence frames",
                       evidence_adult_practice="Observer tallies prompts")


def meeting(session, cycle, kind, held_on):
    cycles.record_do_meeting(session, cycle=cycle, user_id="U0001", kind=kind, held_on=held_on,
                             attendees=["U0001", "U0002"], notes="")


def at(session, cycle, today):
    return status.cycle_status(session, team_id="T0001", cycle=cycle, today=today)


def test_a_new_cycle_waits_for_its_plan_convening(session, team, cycle):
    now = at(session, cycle, date(2025, 8, 20))
    assert (now.number, now.stage, now.school_name, now.has_problem) == (1, Stage.PLAN, team.school_name, True)
    assert now.done == ()
    assert now.missing == ("Plan", "Do meeting: Game plan", "Do meeting: Mid-stream status check",
                           "Do meeting: End-of-cycle data organisation", "Evidence", "Study", "Act decision")
    assert now.next_deadline == status.Deadline("Plan", CONVENINGS[0])
    assert now.overdue == ()


def test_a_missed_plan_is_overdue(session, cycle):
    now = at(session, cycle, date(2025, 8, 25))
    assert now.overdue == (status.Deadline("Plan", CONVENINGS[0]),)
    assert now.next_deadline == status.Deadline("Do meeting: Game plan", GAME_PLAN)


def test_do_meetings_fall_due_on_school_days(session, cycle):
    plan(session, cycle)
    now = at(session, cycle, date(2025, 9, 15))
    assert now.stage == Stage.DO and now.plan_done and now.done == ("Plan",)
    assert now.overdue == (status.Deadline("Do meeting: Game plan", GAME_PLAN),)
    assert now.next_deadline == status.Deadline("Do meeting: Mid-stream status check", MID)
    meeting(session, cycle, DoMeetingKind.GAME_PLAN, date(2025, 9, 9))
    now = at(session, cycle, date(2025, 9, 15))
    assert now.overdue == () and now.do_meetings_done == (DoMeetingKind.GAME_PLAN,)
    assert now.do_meetings_missing == (DoMeetingKind.MID_STREAM, DoMeetingKind.END_OF_CYCLE)


def test_breaks_move_deadlines(session, cop, cycle):
    session.add(CalendarBreak(team_id="T0001", cop_id=cop.id, starts_on=date(2025, 10, 6),
                              ends_on=date(2025, 10, 10), name="Fall break"))
    session.flush()
    plan(session, cycle)
    assert at(session, cycle, date(2025, 9, 20)).next_deadline == status.Deadline(
        "Do meeting: Mid-stream status check", date(2025, 10, 13))


def test_evidence_is_counted(session, cycle):
    plan(session, cycle)
    for n in range(2):
        session.add(EvidenceItem(team_id="T0001", cycle_id=cycle.id, focus=EvidenceFocus.STUDENT_IMPACT,
                                 kind=EvidenceKind.STUDENT_WORK, description=f"Exit tickets week {n}"))
    session.flush()
    now = at(session, cycle, date(2025, 9, 1))
    assert now.evidence_count == 2 and "2 evidence items" in now.done and "Evidence" not in now.missing


def test_a_finished_cycle_has_nothing_missing(session, cycle):
    plan(session, cycle)
    for kind, held in zip(DoMeetingKind, [GAME_PLAN, MID, END], strict=True):
        meeting(session, cycle, kind, held)
    session.add(EvidenceItem(team_id="T0001", cycle_id=cycle.id, focus=EvidenceFocus.ADULT_PRACTICE,
                             kind=EvidenceKind.OBSERVATION, description="Tally"))
    cycles.record_study(session, cycle=cycle, user_id="U0001", implementation="", evidence_summary="",
                        learnings="Frames doubled student talk")
    cycles.record_act(session, cycle=cycle, user_id="U0001", decision=ActDecisionKind.KEEP, rationale="It works")
    now = at(session, cycle, date(2025, 12, 1))
    assert now.stage == Stage.CLOSED and now.act_done and now.study_done
    assert now.missing == () and now.overdue == () and now.next_deadline is None


def test_without_convening_dates_nothing_falls_due(session, team):
    cycle = cycles.open_cycle(session, team_id="T0001", school_team_id=team.id, school_year="2025-26")
    now = at(session, cycle, date(2026, 5, 1))
    assert now.next_deadline is None and now.overdue == () and len(now.missing) == 7


def test_other_workspace_is_not_found(session, cycle):
    with pytest.raises(UserError, match="does not exist"):
        status.cycle_status(session, team_id="T0002", cycle=cycle, today=date(2025, 9, 1))


@pytest.mark.parametrize(("text", "number"), [("", None), ("cycle 2", 2), ("2", 2), (" Cycle  3 ", 3)])
def test_parse_cycle_number(text, number):
    assert status.parse_cycle_number(text) == number


@pytest.mark.parametrize("text", ["cycle", "cycle two", "0", "cycle 1 2", "next"])
def test_parse_cycle_number_rejects(text):
    with pytest.raises(UserError):
        status.parse_cycle_number(text)


def test_statuses_for_members_facilitators_and_others(session, cop, team, cycle):
    other = make_school_team(session, cop, "Roosevelt Middle School", members={"U0009": Role.OBSERVER})
    day = date(2025, 9, 1)
    facilitator = status.statuses_for(session, team_id="T0001", user_id="UFAC1", channel_id="C0001", today=day)
    assert [(s.team.school_name, s.status is not None) for s in facilitator] == [
        ("Lincoln Middle School", True), ("Roosevelt Middle School", False)]
    member = status.statuses_for(session, team_id="T0001", user_id="U0009", channel_id="D0001", today=day)
    assert [s.team.id for s in member] == [other.id]
    second = status.statuses_for(session, team_id="T0001", user_id="U0001", channel_id="C0001", number=2,
                                 today=day)
    assert second[0].status is None
    first = status.statuses_for(session, team_id="T0001", user_id="U0001", channel_id="C0001", number=1,
                                today=day)
    assert first[0].status.cycle_id == cycle.id
    with pytest.raises(NotAllowed):
        status.statuses_for(session, team_id="T0001", user_id="UNOBODY", channel_id="C0001", today=day)
    with pytest.raises(UserError, match="/pdsa setup"):
        status.statuses_for(session, team_id="T0002", user_id="U0001", channel_id="C0001", today=day)


def test_overview_for_user(session, cop, team, cycle):
    second = make_cop(session, channel_id="C0002", facilitator="UFAC2", name="Attendance CoP")
    make_school_team(session, second, "Jefferson Middle School", members={"U0001": Role.NOTE_TAKER})
    overview = status.overview_for_user(session, team_id="T0001", user_id="U0001", today=date(2025, 9, 1))
    assert [(o.cop.name, o.facilitator, [t.team.school_name for t in o.teams]) for o in overview] == [
        ("Attendance CoP", False, ["Jefferson Middle School"]),
        ("Middle School Engagement CoP", False, ["Lincoln Middle School"]),
    ]
    assert overview[1].teams[0].status.cycle_id == cycle.id and overview[0].teams[0].status is None
    assert status.overview_for_user(session, team_id="T0002", user_id="U0001") == []
    facilitator = status.overview_for_user(session, team_id="T0001", user_id="UFAC1")
    assert facilitator[0].facilitator and facilitator[0].today is not None


def test_statuses_of_many_teams_take_a_fixed_number_of_queries(session, cop, team, cycle):
    from sqlalchemy import event

    others = [make_school_team(session, cop, f"School {n}", members={f"U1{n:03d}": Role.OBSERVER})
              for n in range(8)]
    for other in others:
        cycles.open_cycle(session, team_id="T0001", school_team_id=other.id, school_year="2025-26",
                          plan_on=CONVENINGS[0], study_on=CONVENINGS[1])
    plan(session, cycle)
    every = [team, *others]
    statements = []

    def count(_connection, _cursor, statement, *_args):
        statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        found = status.cycles_of_teams(session, team_id="T0001", teams=every)
        statuses = status.cycle_statuses(session, team_id="T0001", cycles=list(found.values()),
                                         today={cop.id: date(2025, 9, 1)})
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statuses) == 9 and len(statements) <= 10
    assert statuses[cycle.id].stage == Stage.DO
    assert {s.stage for cid, s in statuses.items() if cid != cycle.id} == {Stage.PLAN}
    assert status.cycle_statuses(session, team_id="T0002", cycles=list(found.values()), today=date.today()) == {}


def test_cycles_of_teams_by_number_uses_the_cops_school_year(session, cop, team, cycle):
    cycle.school_year, cycle.stage = "2024-25", Stage.CLOSED
    session.add(cycle)
    session.flush()
    assert status.cycles_of_teams(session, team_id="T0001", teams=[team], number=1) == {}
    current = cycles.open_cycle(session, team_id="T0001", school_team_id=team.id, school_year="2025-26")
    assert current.number == 1
    assert status.cycles_of_teams(session, team_id="T0001", teams=[team], number=1)[team.id].id == current.id
