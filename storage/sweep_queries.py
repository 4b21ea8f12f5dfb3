"""What one reminder sweep reads, in a fixed number of statements whatever the number of CoPs.

The sweep is the one place that reads across workspaces: it plans reminders for every installed
workspace at once. Each statement below selects one table for all active CoPs (joined on
``team_id`` as well as on ids, so a row never crosses workspaces) and the rows are grouped per
CoP, team or cycle in Python. There is no query per CoP or per team (see bench/sweep.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_
from sqlmodel import Session, col, select

from copbot.school_calendar import Break
from copbot.vocabulary import Role, Stage
from storage.models import (
    ActDecision,
    CalendarBreak,
    Convening,
    Cop,
    Cycle,
    DoMeeting,
    EvidenceItem,
    FacilitatorCheckin,
    LearningQuestion,
    Membership,
    Plan,
    SchoolTeam,
    SlackUser,
    SscReport,
    StudyReflection,
    Workspace,
)


@dataclass
class SweepData:
    """Everything the reminder policy needs, grouped for lookups by id."""

    cops: dict[int, Cop] = field(default_factory=dict)
    convenings: dict[int, list[Convening]] = field(default_factory=lambda: defaultdict(list))
    breaks: dict[int, list[Break]] = field(default_factory=lambda: defaultdict(list))
    teams: dict[int, SchoolTeam] = field(default_factory=dict)
    teams_by_cop: dict[int, list[SchoolTeam]] = field(default_factory=lambda: defaultdict(list))
    members: dict[int, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))  # (user, role)
    facilitators: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    users: dict[tuple[str, str], SlackUser] = field(default_factory=dict)  # (team_id, user_id)
    cycles: dict[int, list[Cycle]] = field(default_factory=lambda: defaultdict(list))  # by school team
    do_meetings: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))  # kinds by cycle
    ssc_reports: dict[int, list[SscReport]] = field(default_factory=lambda: defaultdict(list))  # by school team
    checkins: dict[int, list[FacilitatorCheckin]] = field(default_factory=lambda: defaultdict(list))  # by CoP

    def user(self, team_id: str, user_id: str) -> SlackUser | None:
        return self.users.get((team_id, user_id))


def _active_cops():  # type: ignore[no-untyped-def]
    """CoP ids of workspaces that have not uninstalled copbot (a subquery, reused by every statement)."""
    gone = select(Workspace.team_id).where(col(Workspace.uninstalled_at).is_not(None))
    return select(Cop.id).where(col(Cop.team_id).not_in(gone))


def _current_cycles():  # type: ignore[no-untyped-def]
    """Cycle ids of the CoP's current school year, for the active CoPs."""
    return (
        select(Cycle.id)
        .join(SchoolTeam, and_(SchoolTeam.id == Cycle.school_team_id, SchoolTeam.team_id == Cycle.team_id))
        .join(Cop, and_(Cop.id == SchoolTeam.cop_id, Cop.team_id == SchoolTeam.team_id))
        .where(col(Cop.id).in_(_active_cops()), Cycle.school_year == Cop.school_year)
    )


def load_sweep_data(session: Session) -> SweepData:
    """Active CoPs with their convenings, breaks, teams, members, people, cycles and records."""
    data = SweepData()
    active = _active_cops()
    for cop in session.exec(select(Cop).where(col(Cop.id).in_(active))):
        data.cops[cop.id] = cop
    for convening in session.exec(
        select(Convening).where(col(Convening.cop_id).in_(active)).order_by(Convening.held_on, Convening.id)
    ):
        data.convenings[convening.cop_id].append(convening)
    for row in session.exec(select(CalendarBreak).where(col(CalendarBreak.cop_id).in_(active))):
        data.breaks[row.cop_id].append(Break(row.starts_on, row.ends_on, row.name))
    for team in session.exec(
        select(SchoolTeam).where(col(SchoolTeam.cop_id).in_(active)).order_by(SchoolTeam.school_name)
    ):
        data.teams[team.id] = team
        data.teams_by_cop[team.cop_id].append(team)
    for cop_id, team_id, user_id, role in session.exec(
        select(Membership.cop_id, Membership.school_team_id, Membership.user_id, Membership.role)
        .where(col(Membership.cop_id).in_(active))
        .order_by(Membership.id)
    ):
        if role == Role.FACILITATOR:
            data.facilitators[cop_id].append(user_id)
        elif team_id is not None:
            data.members[team_id].append((user_id, role))
    people = select(Membership.team_id, Membership.user_id).where(col(Membership.cop_id).in_(active)).distinct()
    people_sub = people.subquery()
    for user in session.exec(
        select(SlackUser).join(
            people_sub, and_(people_sub.c.team_id == SlackUser.team_id, people_sub.c.user_id == SlackUser.user_id)
        )
    ):
        data.users[(user.team_id, user.user_id)] = user
    current = _current_cycles()
    for cycle in session.exec(select(Cycle).where(col(Cycle.id).in_(current)).order_by(Cycle.number)):
        data.cycles[cycle.school_team_id].append(cycle)
    open_cycles = select(Cycle.id).where(col(Cycle.id).in_(current), Cycle.stage != Stage.CLOSED)
    for cycle_id, kind in session.exec(
        select(DoMeeting.cycle_id, DoMeeting.kind).where(col(DoMeeting.cycle_id).in_(open_cycles))
    ):
        data.do_meetings[cycle_id].add(kind)
    teams = select(SchoolTeam.id).where(col(SchoolTeam.cop_id).in_(active))
    for report in session.exec(select(SscReport).where(col(SscReport.school_team_id).in_(teams))):
        data.ssc_reports[report.school_team_id].append(report)
    for checkin in session.exec(select(FacilitatorCheckin).where(col(FacilitatorCheckin.cop_id).in_(active))):
        data.checkins[checkin.cop_id].append(checkin)
    return data


@dataclass
class RecentRecords:
    """What teams recorded in a window (for the weekly digest), by school team."""

    plans: dict[int, list[tuple[int, Plan]]] = field(default_factory=lambda: defaultdict(list))
    do_meetings: dict[int, list[tuple[int, DoMeeting]]] = field(default_factory=lambda: defaultdict(list))
    evidence: dict[int, list[datetime]] = field(default_factory=lambda: defaultdict(list))  # recorded_at
    studies: dict[int, list[tuple[int, StudyReflection]]] = field(default_factory=lambda: defaultdict(list))
    acts: dict[int, list[tuple[int, ActDecision]]] = field(default_factory=lambda: defaultdict(list))
    ssc_reports: dict[int, list[datetime]] = field(default_factory=lambda: defaultdict(list))  # recorded_at
    results: dict[int, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    # Every measured value by school team, then measure: (day measured, evidence id, value), for run-chart signals.
    measured: dict[int, dict[str, list[tuple[date, int, float]]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list)))


def load_recent_records(session: Session, *, cop_ids: list[int], since: datetime, until: datetime) -> RecentRecords:
    """Records of the given CoPs' teams made in [since, until), learning-question results of the
    current school year by CoP, and every measured value of the teams' evidence (a run chart spans
    all of a team's cycles); one statement per table."""
    records = RecentRecords()
    teams = select(SchoolTeam.id).where(col(SchoolTeam.cop_id).in_(cop_ids))
    cycles = select(Cycle.id).where(col(Cycle.school_team_id).in_(teams))

    def by_team(model, stamp):  # type: ignore[no-untyped-def]
        return session.exec(
            select(Cycle.school_team_id, Cycle.number, model)
            .join(Cycle, and_(Cycle.id == model.cycle_id, Cycle.team_id == model.team_id))
            .where(col(model.cycle_id).in_(cycles), stamp >= since, stamp < until)
        )

    for team_id, number, plan in by_team(Plan, Plan.updated_at):
        records.plans[team_id].append((number, plan))
    for team_id, number, meeting in by_team(DoMeeting, DoMeeting.recorded_at):
        records.do_meetings[team_id].append((number, meeting))
    for team_id, number, study in by_team(StudyReflection, StudyReflection.recorded_at):
        records.studies[team_id].append((number, study))
    for team_id, number, act in by_team(ActDecision, ActDecision.decided_at):
        records.acts[team_id].append((number, act))
    for team_id, _number, item in by_team(EvidenceItem, EvidenceItem.recorded_at):
        records.evidence[team_id].append(item.recorded_at)
    for report_team, recorded_at in session.exec(
        select(SscReport.school_team_id, SscReport.recorded_at).where(
            col(SscReport.school_team_id).in_(teams), SscReport.recorded_at >= since, SscReport.recorded_at < until
        )
    ):
        records.ssc_reports[report_team].append(recorded_at)
    for cop_id, result in session.exec(
        select(SchoolTeam.cop_id, LearningQuestion.result)
        .join(Cycle, and_(Cycle.id == LearningQuestion.cycle_id, Cycle.team_id == LearningQuestion.team_id))
        .join(SchoolTeam, and_(SchoolTeam.id == Cycle.school_team_id, SchoolTeam.team_id == Cycle.team_id))
        .where(col(SchoolTeam.cop_id).in_(cop_ids), col(Cycle.id).in_(_current_cycles()))
    ):
        records.results[cop_id][result or "pending"] += 1
    for team_id, item_id, measure, value, measured_on, recorded_at in session.exec(
        select(Cycle.school_team_id, EvidenceItem.id, EvidenceItem.measure_name, EvidenceItem.measured_value,
               EvidenceItem.measured_on, EvidenceItem.recorded_at)
        .join(Cycle, and_(Cycle.id == EvidenceItem.cycle_id, Cycle.team_id == EvidenceItem.team_id))
        .where(col(EvidenceItem.cycle_id).in_(cycles), col(EvidenceItem.measure_name).is_not(None),
               col(EvidenceItem.measured_value).is_not(None))
    ):
        records.measured[team_id][measure].append((measured_on or recorded_at.date(), item_id, float(value)))
    return records
