"""Where a school team's PDSA cycle stands: done, missing, next deadline, overdue.

One computation shared by App Home, /pdsa status, reminders and reports. Deadlines: Plan at
the cycle's Plan convening; the three Do meetings at ``school_calendar.do_meeting_due_dates``
(past weekends and the CoP's breaks); Study and Act at the Study convening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from copbot.cops import cop_today
from copbot.cycles import current_cycle
from copbot.errors import NotAllowed, NotFound, UserError
from copbot.membership import cop_for_channel, cops_for_user, editable_teams, is_facilitator
from copbot.school_calendar import Break, breaks_for, do_meeting_due_dates
from copbot.vocabulary import DoMeetingKind, Stage
from storage.models import (
    ActDecision,
    Cop,
    Cycle,
    DoMeeting,
    EvidenceItem,
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


def _count(session: Session, model: type, cycle_id: int) -> int:
    return session.exec(select(func.count()).select_from(model).where(model.cycle_id == cycle_id)).one()


def cycle_status(session: Session, *, team_id: str, cycle: Cycle, today: date,
                 breaks: list[Break] | None = None) -> CycleStatus:
    """The status of ``cycle`` as of ``today`` (a date in the CoP's time zone)."""
    team = session.exec(
        select(SchoolTeam).where(SchoolTeam.team_id == team_id, SchoolTeam.id == cycle.school_team_id)
    ).first()
    if team is None or cycle.team_id != team_id:
        raise NotFound("That school team does not exist in this workspace.")
    if breaks is None:
        breaks = breaks_for(session, team_id=team_id, cop_id=team.cop_id)
    held = {DoMeetingKind(kind) for kind in session.exec(
        select(DoMeeting.kind).where(DoMeeting.team_id == team_id, DoMeeting.cycle_id == cycle.id)
    ).all()}
    plan_done = _count(session, Plan, cycle.id) > 0
    study_done = _count(session, StudyReflection, cycle.id) > 0
    act_done = _count(session, ActDecision, cycle.id) > 0
    evidence = _count(session, EvidenceItem, cycle.id)
    has_problem = session.exec(
        select(ProblemOfPractice.id).where(ProblemOfPractice.team_id == team_id,
                                           ProblemOfPractice.school_team_id == team.id)
    ).first() is not None

    do_due: dict[DoMeetingKind, date | None] = dict.fromkeys(DoMeetingKind)
    if cycle.plan_on and cycle.study_on and (cycle.study_on - cycle.plan_on).days >= 3:
        do_due.update(do_meeting_due_dates(cycle.plan_on, cycle.study_on, breaks))
    evidence_label = f"{evidence} evidence item{'s' if evidence != 1 else ''}" if evidence else "Evidence"
    # (what, finished, due on): in the order a cycle runs.
    steps: list[tuple[str, bool, date | None]] = [
        ("Plan", plan_done, cycle.plan_on),
        *((f"Do meeting: {kind.label}", kind in held, do_due[kind]) for kind in DoMeetingKind),
        (evidence_label, evidence > 0, None),
        ("Study", study_done, cycle.study_on),
        ("Act decision", act_done, cycle.study_on),
    ]
    done = [what for what, finished, _ in steps if finished]
    missing = [what for what, finished, _ in steps if not finished]
    pending = sorted((Deadline(what, day) for what, finished, day in steps if not finished and day),
                     key=lambda deadline: deadline.due_on)
    overdue = tuple(deadline for deadline in pending if deadline.due_on < today)
    upcoming = [deadline for deadline in pending if deadline.due_on >= today]
    return CycleStatus(
        school_team_id=team.id, school_name=team.school_name, cop_id=team.cop_id, cycle_id=cycle.id,
        number=cycle.number, school_year=cycle.school_year, stage=Stage(cycle.stage),
        plan_on=cycle.plan_on, study_on=cycle.study_on, has_problem=has_problem, plan_done=plan_done,
        do_meetings_done=tuple(kind for kind in DoMeetingKind if kind in held), evidence_count=evidence,
        study_done=study_done, act_done=act_done, done=tuple(done), missing=tuple(missing),
        next_deadline=upcoming[0] if upcoming else None, overdue=overdue,
    )


def find_cycle(session: Session, *, team_id: str, school_team_id: int, number: int | None = None,
               school_year: str | None = None) -> Cycle | None:
    """The team's current (open) cycle, or cycle ``number`` of ``school_year``."""
    if number is None:
        return current_cycle(session, team_id=team_id, school_team_id=school_team_id)
    query = select(Cycle).where(Cycle.team_id == team_id, Cycle.school_team_id == school_team_id,
                                Cycle.number == number)
    if school_year is not None:
        query = query.where(Cycle.school_year == school_year)
    return session.exec(query.order_by(Cycle.id.desc())).first()


def team_status(session: Session, *, team_id: str, team: SchoolTeam, cop: Cop, today: date,
                number: int | None = None) -> CycleStatus | None:
    """The status of the team's current cycle (or cycle ``number`` of the CoP's school year), if any."""
    cycle = find_cycle(session, team_id=team_id, school_team_id=team.id, number=number,
                       school_year=cop.school_year if number is not None else None)
    if cycle is None:
        return None
    return cycle_status(session, team_id=team_id, cycle=cycle, today=today)


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
    overview = []
    for cop in cops_for_user(session, team_id=team_id, user_id=user_id):
        day = today or cop_today(cop)
        breaks = breaks_for(session, team_id=team_id, cop_id=cop.id)
        entries = []
        for team in (t for t in teams if t.cop_id == cop.id):
            cycle = current_cycle(session, team_id=team_id, school_team_id=team.id)
            status = cycle_status(session, team_id=team_id, cycle=cycle, today=day, breaks=breaks) if cycle else None
            entries.append(TeamOverview(team=team, status=status))
        overview.append(CopOverview(
            cop=cop, facilitator=is_facilitator(session, team_id=team_id, user_id=user_id, cop_id=cop.id),
            today=day, teams=tuple(entries),
        ))
    return overview


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
    return [
        TeamStatus(team=team, cop=cops[team.cop_id],
                   status=team_status(session, team_id=team_id, team=team, cop=cops[team.cop_id],
                                      today=today or cop_today(cops[team.cop_id]), number=number))
        for team in teams
    ]
