"""What did I record this month: every kind of record, month edges in the person's zone, workspaces."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from copbot.cycles import open_cycle, record_act, record_do_meeting, record_plan, record_study
from copbot.errors import UserError
from copbot.my_records import RecordKind, month_bounds, parse_month, records_for_month
from copbot.user_zones import cached_timezone
from copbot.vocabulary import ActDecisionKind, CheckinKind, DoMeetingKind, EvidenceFocus, EvidenceKind
from storage.models import EvidenceItem, FacilitatorCheckin, ProblemOfPractice, SlackUser, SscReport
from tests.factories import make_cop, make_school_team

LA = "America/Los_Angeles"


def at(day: int, hour: int = 17, month: int = 11) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=UTC)


def seed(session: Session, team_id: str = "T0001") -> None:
    """U0001 records a whole cycle in November 2025 (LA time); U0002 logs one piece of evidence."""
    cop = make_cop(session, team_id=team_id)
    team = make_school_team(session, cop)
    pop = session.exec(select(ProblemOfPractice).where(ProblemOfPractice.school_team_id == team.id)).one()
    pop.updated_by, pop.updated_at = "U0001", at(2)
    cycle = open_cycle(session, team_id=team_id, school_team_id=team.id, school_year="2025-26",
                       plan_on=date(2025, 8, 23), study_on=date(2025, 11, 15))
    plan = record_plan(session, cycle=cycle, user_id="U0001", strategy="Structured academic talk",
                       evidence_adult_practice="Observation notes")
    plan.updated_at = at(3)
    meeting = record_do_meeting(session, cycle=cycle, user_id="U0001", kind=DoMeetingKind.GAME_PLAN,
                                held_on=date(2025, 9, 2), attendees=["U0001"], notes="Who observes when")
    meeting.recorded_at = at(4)
    session.add_all([
        EvidenceItem(team_id=team_id, cycle_id=cycle.id, focus=EvidenceFocus.STUDENT_IMPACT,
                     kind=EvidenceKind.STUDENT_WORK, description="Exit tickets, period 3", recorded_by="U0001",
                     recorded_at=datetime(2025, 12, 1, 5, tzinfo=UTC)),  # Nov 30, 9pm in Los Angeles
        EvidenceItem(team_id=team_id, cycle_id=cycle.id, focus=EvidenceFocus.ADULT_PRACTICE,
                     kind=EvidenceKind.OBSERVATION, description="Walkthrough", recorded_by="U0002",
                     recorded_at=at(5)),
        EvidenceItem(team_id=team_id, cycle_id=cycle.id, focus=EvidenceFocus.ADULT_PRACTICE,
                     kind=EvidenceKind.OBSERVATION, description="October walkthrough", recorded_by="U0001",
                     recorded_at=at(31, month=10)),
    ])
    study = record_study(session, cycle=cycle, user_id="U0001", implementation="", evidence_summary="",
                         learnings="Partner talk first helped English learners.")
    study.recorded_at = at(15, hour=20)
    act = record_act(session, cycle=cycle, user_id="U0001", decision=ActDecisionKind.SCALE,
                     rationale="Worked in four classrooms.").decision
    act.decided_at = at(15, hour=21)
    session.add_all([
        SscReport(team_id=team_id, school_team_id=team.id, reported_on=date(2025, 11, 18),
                  key_learnings="Talk frames work", recorded_by="U0001", recorded_at=at(18)),
        FacilitatorCheckin(team_id=team_id, cop_id=cop.id, school_team_id=team.id, kind=CheckinKind.TEAM,
                           held_on=date(2025, 11, 20), facilitator_user_id="U0001", notes="Going well",
                           recorded_at=at(20)),
        FacilitatorCheckin(team_id=team_id, cop_id=cop.id, kind=CheckinKind.REGIONAL_NOV,
                           held_on=date(2025, 11, 21), facilitator_user_id="U0001", notes="", recorded_at=at(21)),
    ])
    session.flush()


def test_everything_recorded_in_the_month_grouped_by_kind(session):
    seed(session)
    found = records_for_month(session, team_id="T0001", user_id="U0001", month=date(2025, 11, 1), tz_name=LA)
    assert [r.kind for r in found.records] == [
        RecordKind.POP, RecordKind.PLAN, RecordKind.DO_MEETING, RecordKind.EVIDENCE, RecordKind.STUDY,
        RecordKind.ACT, RecordKind.SSC, RecordKind.CHECKIN, RecordKind.CHECKIN,
    ]
    evidence = found.records[3]
    assert (evidence.at.date(), evidence.where) == (date(2025, 11, 30), "Lincoln Middle School, cycle 1")
    assert evidence.summary == "Student impact, student work: Exit tickets, period 3"
    assert found.records[5].summary == "Scale: Worked in four classrooms."
    assert [r.where for r in found.records[-2:]] == ["Middle School Engagement CoP", "Lincoln Middle School"]


def test_month_edges_follow_the_persons_zone(session):
    seed(session)
    in_utc = records_for_month(session, team_id="T0001", user_id="U0001", month=date(2025, 11, 1), tz_name="UTC")
    assert RecordKind.EVIDENCE not in {r.kind for r in in_utc.records}
    december = records_for_month(session, team_id="T0001", user_id="U0001", month=date(2025, 12, 1), tz_name="UTC")
    assert [r.kind for r in december.records] == [RecordKind.EVIDENCE]
    october = records_for_month(session, team_id="T0001", user_id="U0001", month=date(2025, 10, 1), tz_name=LA)
    assert [r.summary for r in october.records] == ["Adult practice, observation: October walkthrough"]


def test_only_this_person_and_this_workspace(session):
    seed(session)
    seed(session, team_id="T0002")
    other = records_for_month(session, team_id="T0001", user_id="U0002", month=date(2025, 11, 1), tz_name=LA)
    assert [r.summary for r in other.records] == ["Adult practice, observation: Walkthrough"]
    mine = records_for_month(session, team_id="T0001", user_id="U0001", month=date(2025, 11, 1), tz_name=LA)
    assert len(mine.records) == 9


def test_parse_month():
    today = date(2026, 2, 17)
    assert parse_month("", today=today) == date(2026, 2, 1)
    assert parse_month("2025-11", today=today) == date(2025, 11, 1)
    for bad in ("2025-13", "November", "2025/11", "25-11"):
        with pytest.raises(UserError, match="YYYY-MM"):
            parse_month(bad, today=today)
    start, end = month_bounds(date(2025, 12, 1), LA)
    assert (start.isoformat(), end.isoformat()) == ("2025-12-01T00:00:00-08:00", "2026-01-01T00:00:00-08:00")


def test_time_zones_are_cached_for_a_week(session):
    asked = []

    def lookup() -> str | None:
        asked.append(1)
        return "America/New_York"

    now = at(10)
    assert cached_timezone(session, team_id="T0001", user_id="U0001", lookup=lookup, at=now) == "America/New_York"
    assert cached_timezone(session, team_id="T0001", user_id="U0001", lookup=lookup,
                           at=now + timedelta(days=6)) == "America/New_York"
    assert len(asked) == 1
    assert cached_timezone(session, team_id="T0001", user_id="U0001", lookup=lambda: None,
                           at=now + timedelta(days=8)) == "America/New_York"
    cached_timezone(session, team_id="T0001", user_id="U0001", lookup=lookup, at=now + timedelta(days=8))
    assert len(asked) == 2
    assert cached_timezone(session, team_id="T0002", user_id="U0001", lookup=lambda: None, at=now) is None
    assert len(session.exec(select(SlackUser)).all()) == 1


def test_mine_through_slack(slack, standin, database):
    with database.session() as session:
        seed(session)
    standin.add_user("U0001", tz=LA)
    slack.command("mine 2025-11", response_url=standin.response_url())
    answer = standin.wait_for_response()
    assert answer["response_type"] == "ephemeral"
    assert answer["text"].startswith("In November 2025 you recorded problems of practice (1), plans (1)")
    shown = str(answer["blocks"])
    assert "*Evidence* (1)" in shown and "Sun Nov 30 · Lincoln Middle School, cycle 1" in shown
    assert "*Facilitator check-ins* (2)" in shown
    assert len(standin.calls_to("users.info")) == 1

    slack.command("mine 2024-01", response_url=standin.response_url())
    assert "nothing" in standin.wait_for_response(lambda body: "January 2024" in body["text"])["text"]
    assert len(standin.calls_to("users.info")) == 1  # the zone was cached

    slack.command("mine last-month", response_url=standin.response_url())
    assert "YYYY-MM" in standin.wait_for_response(lambda body: "YYYY-MM" in body.get("text", ""))["text"]


def test_mine_without_a_known_zone_uses_utc(slack, standin, database):
    with database.session() as session:
        seed(session)
    slack.command("mine 2025-12", user_id="U0001", response_url=standin.response_url())  # users.info: not found
    answer = standin.wait_for_response()
    assert "Exit tickets" in str(answer["blocks"]) and "(UTC)" in str(answer["blocks"])
