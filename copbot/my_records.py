"""What did I record this month: everything one person recorded in a calendar month of their time zone.

Counted as "recorded by" a person: problems of practice (``updated_by``), Plans, Do meetings,
evidence, Study reflections and SSC reports (``recorded_by``), Act decisions (``decided_by``) and
facilitator check-ins (``facilitator_user_id``), by the time each was last saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from sqlmodel import Session, select

from copbot.clock import in_zone, zone
from copbot.errors import UserError
from copbot.vocabulary import ActDecisionKind, CheckinKind, DoMeetingKind, EvidenceFocus, EvidenceKind
from storage.models import (
    ActDecision,
    Cop,
    Cycle,
    DoMeeting,
    EvidenceItem,
    FacilitatorCheckin,
    Plan,
    ProblemOfPractice,
    SchoolTeam,
    SscReport,
    StudyReflection,
)

MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class RecordKind(StrEnum):
    POP = "pop"
    PLAN = "plan"
    DO_MEETING = "do_meeting"
    EVIDENCE = "evidence"
    STUDY = "study"
    ACT = "act"
    SSC = "ssc"
    CHECKIN = "checkin"


@dataclass(frozen=True)
class Record:
    kind: RecordKind
    at: datetime  # when it was saved, in the person's time zone
    where: str  # "Lincoln Middle School, cycle 1"
    summary: str


@dataclass(frozen=True)
class MonthOfRecords:
    month: date  # the first day of the month
    tz: str
    records: list[Record]


def parse_month(text: str, *, today: date) -> date:
    """The first day of the month ``YYYY-MM`` names, or of ``today``'s month when ``text`` is empty."""
    text = text.strip()
    if not text:
        return today.replace(day=1)
    match = MONTH.match(text)
    if match is None or not 1 <= int(match[2]) <= 12:
        raise UserError(f"Give a month as YYYY-MM, e.g. `/pdsa mine {today:%Y-%m}`.")
    return date(int(match[1]), int(match[2]), 1)


def month_bounds(month: date, tz_name: str | None) -> tuple[datetime, datetime]:
    """[start, end) of the month in the person's zone, as aware datetimes."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    tz = zone(tz_name)
    return datetime.combine(month, time(), tz), datetime.combine(following, time(), tz)


def _cycle_place(school: str, number: int) -> str:
    return f"{school}, cycle {number}"


def records_for_month(session: Session, *, team_id: str, user_id: str, month: date,
                      tz_name: str | None) -> MonthOfRecords:
    """Everything ``user_id`` recorded in ``month`` (of their zone), newest first within each kind."""
    start, end = month_bounds(month, tz_name)
    records: list[Record] = []

    def add(kind: RecordKind, at: datetime, where: str, summary: str) -> None:
        records.append(Record(kind, in_zone(at, tz_name), where, summary))

    def in_cycles(model, stamp):  # type: ignore[no-untyped-def]
        return (
            select(model, Cycle.number, SchoolTeam.school_name)
            .join(Cycle, Cycle.id == model.cycle_id).join(SchoolTeam, SchoolTeam.id == Cycle.school_team_id)
            .where(model.team_id == team_id, Cycle.team_id == team_id, stamp >= start, stamp < end)
        )

    for pop, school in session.exec(
        select(ProblemOfPractice, SchoolTeam.school_name)
        .join(SchoolTeam, SchoolTeam.id == ProblemOfPractice.school_team_id)
        .where(ProblemOfPractice.team_id == team_id, ProblemOfPractice.updated_by == user_id,
               ProblemOfPractice.updated_at >= start, ProblemOfPractice.updated_at < end)
    ).all():
        add(RecordKind.POP, pop.updated_at, school, pop.statement)
    for plan, number, school in session.exec(in_cycles(Plan, Plan.updated_at).where(Plan.recorded_by == user_id)):
        add(RecordKind.PLAN, plan.updated_at, _cycle_place(school, number), plan.strategy)
    for meeting, number, school in session.exec(
        in_cycles(DoMeeting, DoMeeting.recorded_at).where(DoMeeting.recorded_by == user_id)
    ):
        label = DoMeetingKind(meeting.kind).label
        add(RecordKind.DO_MEETING, meeting.recorded_at, _cycle_place(school, number),
            f"{label} meeting held {meeting.held_on:%b} {meeting.held_on.day}")
    for item, number, school in session.exec(
        in_cycles(EvidenceItem, EvidenceItem.recorded_at).where(EvidenceItem.recorded_by == user_id)
    ):
        kind = f"{EvidenceFocus(item.focus).label}, {EvidenceKind(item.kind).label.lower()}"
        add(RecordKind.EVIDENCE, item.recorded_at, _cycle_place(school, number), f"{kind}: {item.description}")
    for study, number, school in session.exec(
        in_cycles(StudyReflection, StudyReflection.recorded_at).where(StudyReflection.recorded_by == user_id)
    ):
        add(RecordKind.STUDY, study.recorded_at, _cycle_place(school, number), study.learnings)
    for act, number, school in session.exec(
        in_cycles(ActDecision, ActDecision.decided_at).where(ActDecision.decided_by == user_id)
    ):
        add(RecordKind.ACT, act.decided_at, _cycle_place(school, number),
            f"{ActDecisionKind(act.decision).label}: {act.rationale}")
    for report, school in session.exec(
        select(SscReport, SchoolTeam.school_name).join(SchoolTeam, SchoolTeam.id == SscReport.school_team_id)
        .where(SscReport.team_id == team_id, SscReport.recorded_by == user_id,
               SscReport.recorded_at >= start, SscReport.recorded_at < end)
    ).all():
        add(RecordKind.SSC, report.recorded_at, school,
            f"Reported {report.reported_on:%b} {report.reported_on.day}: {report.key_learnings}")
    for checkin, cop_name, school in session.exec(
        select(FacilitatorCheckin, Cop.name, SchoolTeam.school_name)
        .join(Cop, Cop.id == FacilitatorCheckin.cop_id)
        .join(SchoolTeam, SchoolTeam.id == FacilitatorCheckin.school_team_id, isouter=True)
        .where(FacilitatorCheckin.team_id == team_id, FacilitatorCheckin.facilitator_user_id == user_id,
               FacilitatorCheckin.recorded_at >= start, FacilitatorCheckin.recorded_at < end)
    ).all():
        add(RecordKind.CHECKIN, checkin.recorded_at, school or cop_name,
            f"{CheckinKind(checkin.kind).label}, held {checkin.held_on:%b} {checkin.held_on.day}: {checkin.notes}")
    order = list(RecordKind)
    records.sort(key=lambda r: (order.index(r.kind), -r.at.timestamp()))
    return MonthOfRecords(month=month, tz=str(zone(tz_name)), records=records)
