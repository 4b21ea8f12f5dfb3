"""Where a school team's PDSA cycle stands: done, missing, next deadline, overdue.

One computation shared by App Home, /pdsa status, reminders and reports. Deadlines: Plan at
the cycle's Plan convening; the three Do meetings at ``school_calendar.do_meeting_due_dates``
(past weekends and the CoP's breaks); Study and Act at the Study convening.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from copbot.cops import cop_today
from copbot.errors import NotAllowed, NotFound, UserError
from copbot.membership import cop_for_channel, cops_for_user, editable_teams
from copbot.school_calendar import Break, do_meeting_due_dates
from copbot.vocabulary import DoMeetingKind, Role, Stage
from storage.models import (
    ActDecision,
    CalendarBreak,
    Cop,
    Cycle,
    DoMeeting,
    EvidenceItem,
    Membership,
    Plan,
    ProblemOfPractice,
    SchoolTeam,
    StudyReflection,
)


@dataclass(frozen=True)
class Deadline:
    what: str
    due_on: date


@dataclass(frozen=True)
class CycleStatus:
    """One cycle of one school team, as of ``today``."""

    school_team_id: int
    school_name: str
    cop_id: int
    cycle_id: int
    number: int
    school_year: str
    stage: Stage
    plan_on: date | None
    study_on: date | None
    has_problem: bool
    plan_done: bool
    do_meetings_done: tuple[DoMeetingKind, ...]
    evidence_count: int
    study_done: bool
    act_done: bool
    done: tuple[str, ...]
    missing: tuple[str, ...]
    next_deadline: Deadline | None
    overdue: tuple[Deadline, ...]

    @property
    def do_meetings_missing(self) -> tuple[DoMeetingKind, ...]:
        return tuple(kind for kind in DoMeetingKind if kind not in self.do_meetings_done)


@dataclass(frozen=True)
class _Records:
    """What was recorded for a set of cycles, loaded in one query per table (not one per team)."""

    teams: dict[int, SchoolTeam]
    held: dict[int, set[DoMeetingKind]]
    plans: set[int]
    studies: set[int]
    acts: set[int]
    evidence: dict[int, int]
    teams_with_problem: set[int]
    breaks: dict[int, list[Break]]


def _load_records(session: Session, *, team_id: str, cycles: Sequence[Cycle]) -> _Records:
    cycle_ids = [cycle.id for cycle in cycles]
    teams = {team.id: team for team in session.exec(select(SchoolTeam).where(
        SchoolTeam.team_id == team_id, SchoolTeam.id.in_({cycle.school_team_id for cycle in cycles})
    )).all()}
    held: dict[int, set[DoMeetingKind]] = defaultdict(set)
    for cycle_id, kind in session.exec(select(DoMeeting.cycle_id, DoMeeting.kind).where(
        DoMeeting.team_id == team_id, DoMeeting.cycle_id.in_(cycle_ids)
    )).all():
        held[cycle_id].add(DoMeetingKind(kind))

    def recorded(model: Any) -> set[int]:
        return set(session.exec(select(model.cycle_id).where(
            model.team_id == team_id, model.cycle_id.in_(cycle_ids)
        )).all())

    evidence = dict(session.exec(
        select(EvidenceItem.cycle_id, func.count()).where(
            EvidenceItem.team_id == team_id, EvidenceItem.cycle_id.in_(cycle_ids)
        ).group_by(EvidenceItem.cycle_id)
    ).all())
    with_problem = set(session.exec(select(ProblemOfPractice.school_team_id).where(
        ProblemOfPractice.team_id == team_id, ProblemOfPractice.school_team_id.in_(set(teams))
    )).all())
    breaks: dict[int, list[Break]] = defaultdict(list)
    for row in session.exec(select(CalendarBreak).where(
        CalendarBreak.team_id == team_id, CalendarBreak.cop_id.in_({team.cop_id for team in teams.values()})
    )).all():
        breaks[row.cop_id].append(Break(row.starts_on, row.ends_on, row.name))
    return _Records(teams=teams, held=held, plans=recorded(Plan), studies=recorded(StudyReflection),
                    acts=recorded(ActDecision), evidence=evidence, teams_with_problem=with_problem, breaks=breaks)


def _status(cycle: Cycle, team: SchoolTeam, records: _Records, today: date) -> CycleStatus:
    held = records.held.get(cycle.id, set())
    plan_done, study_done, act_done = (cycle.id in records.plans, cycle.id in records.studies,
                                       cycle.id in records.acts)
    evidence = records.evidence.get(cycle.id, 0)
    do_due: dict[DoMeetingKind, date | None] = dict.fromkeys(DoMeetingKind)
    if cycle.plan_on and cycle.study_on and (cycle.study_on - cycle.plan_on).days >= 3:
        do_due.update(do_meeting_due_dates(cycle.plan_on, cycle.study_on, records.breaks.get(team.cop_id, [])))
    evidence_label = f"{evidence} evidence item{'s' if evidence != 1 else ''}" if evidence else "Evidence"
    # (what, finished, due on): in the order a cycle runs.
    steps: list[tuple[str, bool, date | None]] = [
        ("Plan", plan_done, cycle.plan_on),
        *((f"Do meeting: {kind.label}", kind in held, do_due[kind]) for kind in DoMeetingKind),
        (evidence_label, evidence > 0, None),
        ("Study", study_done, cycle.study_on),
        ("Act decision", act_done, cycle.study_on),
    ]
    pending = sorted((Deadline(what, day) for what, finished, day in steps if not finished and day),
                     key=lambda deadline: deadline.due_on)
    upcoming = [deadline for deadline in pending if deadline.due_on >= today]
    return CycleStatus(
        school_team_id=team.id, school_name=team.school_name, cop_id=team.cop_id, cycle_id=cycle.id,
        number=cycle.number, school_year=cycle.school_year, stage=Stage(cycle.stage),
        plan_on=cycle.plan_on, study_on=cycle.study_on, has_problem=team.id in records.teams_with_problem,
        plan_done=plan_done, do_meetings_done=tuple(kind for kind in DoMeetingKind if kind in held),
        evidence_count=evidence, study_done=study_done, act_done=act_done,
        done=tuple(what for what, finished, _ in steps if finished),
        missing=tuple(what for what, finished, _ in steps if not finished),
        next_deadline=upcoming[0] if upcoming else None,
        overdue=tuple(deadline for deadline in pending if deadline.due_on < today),
    )


def cycle_statuses(session: Session, *, team_id: str, cycles: Sequence[Cycle],
                   today: date | Mapping[int, date]) -> dict[int, CycleStatus]:
    """The status of each cycle by cycle id, in a fixed number of queries (for Home, digests, sweeps).

    ``today``: one date, or a date per CoP id (each CoP's today in its own time zone).
    Cycles of other workspaces are left out.
    """
    cycles = [cycle for cycle in cycles if cycle.team_id == team_id]
    if not cycles:
        return {}
    records = _load_records(session, team_id=team_id, cycles=cycles)
    statuses = {}
    for cycle in cycles:
        team = records.teams.get(cycle.school_team_id)
        if team is not None:
            day = today if isinstance(today, date) else today[team.cop_id]
            statuses[cycle.id] = _status(cycle, team, records, day)
    return statuses


def cycle_status(session: Session, *, team_id: str, cycle: Cycle, today: date) -> CycleStatus:
    """The status of one cycle as of ``today`` (a date in the CoP's time zone)."""
    found = cycle_statuses(session, team_id=team_id, cycles=[cycle], today=today).get(cycle.id)
    if found is None:
        raise NotFound("That school team does not exist in this workspace.")
    return found


def cycles_of_teams(session: Session, *, team_id: str, teams: Sequence[SchoolTeam],
                    number: int | None = None) -> dict[int, Cycle]:
    """Each team's current (open) cycle, or its cycle ``number`` of its CoP's school year, by school team id."""
    team_ids = [team.id for team in teams]
    query = select(Cycle).where(Cycle.team_id == team_id, Cycle.school_team_id.in_(team_ids))
    if number is None:
        query = query.where(Cycle.stage != Stage.CLOSED)
    else:
        query = query.join(SchoolTeam, SchoolTeam.id == Cycle.school_team_id).join(
            Cop, Cop.id == SchoolTeam.cop_id
        ).where(Cycle.number == number, Cycle.school_year == Cop.school_year)
    found: dict[int, Cycle] = {}
    for cycle in session.exec(query.order_by(Cycle.opened_at.desc(), Cycle.id.desc())).all():
        found.setdefault(cycle.school_team_id, cycle)
    return found


@dataclass(frozen=True)
class TeamOverview:
    team: SchoolTeam
    status: CycleStatus | None


@dataclass(frozen=True)
class CopOverview:
    """One CoP as a person sees it on App Home: the teams they are in, or all teams if they facilitate."""

    cop: Cop
    facilitator: bool
    today: date
    teams: tuple[TeamOverview, ...]


def overview_for_user(session: Session, *, team_id: str, user_id: str,
                      today: date | None = None) -> list[CopOverview]:
    """Each of the person's CoPs with the status of each school team they may work on.

    ``today`` None: each CoP's own today, in its time zone.
    """
    teams = editable_teams(session, team_id=team_id, user_id=user_id)
    cops = cops_for_user(session, team_id=team_id, user_id=user_id)
    facilitated = set(session.exec(select(Membership.cop_id).where(
        Membership.team_id == team_id, Membership.user_id == user_id, Membership.role == Role.FACILITATOR
    )).all())
    days = {cop.id: today or cop_today(cop) for cop in cops}
    cycles = cycles_of_teams(session, team_id=team_id, teams=teams)
    statuses = cycle_statuses(session, team_id=team_id, cycles=list(cycles.values()), today=days)
    return [
        CopOverview(
            cop=cop, facilitator=cop.id in facilitated, today=days[cop.id],
            teams=tuple(
                TeamOverview(team=team, status=statuses.get(cycles[team.id].id) if team.id in cycles else None)
                for team in teams if team.cop_id == cop.id
            ),
        )
        for cop in cops
    ]


@dataclass(frozen=True)
class TeamStatus:
    team: SchoolTeam
    cop: Cop
    status: CycleStatus | None


def parse_cycle_number(text: str) -> int | None:
    """'' -> None (current cycle); 'cycle 2' or '2' -> 2."""
    words = text.lower().split()
    if words[:1] == ["cycle"]:
        words = words[1:]
    if not words:
        if text.strip():
            raise UserError("Say which cycle, for example `/pdsa status cycle 2`.")
        return None
    if len(words) != 1 or not words[0].isdigit() or int(words[0]) < 1:
        raise UserError("Use `/pdsa status` for the current cycle, or `/pdsa status cycle 2` for another one.")
    return int(words[0])


def statuses_for(session: Session, *, team_id: str, user_id: str, channel_id: str | None,
                 number: int | None = None, today: date | None = None) -> list[TeamStatus]:
    """The person's teams (every team, for a facilitator) in the channel's CoP, or in all their CoPs.

    ``today`` None: each CoP's today in its own time zone.
    """
    cop = cop_for_channel(session, team_id=team_id, channel_id=channel_id)
    teams = editable_teams(session, team_id=team_id, user_id=user_id, cop_id=cop.id if cop else None)
    if not teams:
        if cop is not None:
            raise NotAllowed(f"You are neither on a school team of {cop.name} nor one of its facilitators.")
        raise UserError("You are not on a school team yet. To start a CoP run `/pdsa setup`; to join one, "
                        "ask its facilitator to add you to your school's team.")
    cops = {c.id: c for c in session.exec(
        select(Cop).where(Cop.team_id == team_id, Cop.id.in_({t.cop_id for t in teams}))
    ).all()}
    cycles = cycles_of_teams(session, team_id=team_id, teams=teams, number=number)
    days = {cop_id: today or cop_today(cop) for cop_id, cop in cops.items()}
    statuses = cycle_statuses(session, team_id=team_id, cycles=list(cycles.values()), today=days)
    return [
        TeamStatus(team=team, cop=cops[team.cop_id],
                   status=statuses.get(cycles[team.id].id) if team.id in cycles else None)
        for team in teams
    ]
