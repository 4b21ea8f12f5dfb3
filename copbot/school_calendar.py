"""School days: weekends and a CoP's breaks are not school days; nothing falls due on them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from copbot.cycles import cycle_dates, default_do_meeting_dates
from copbot.errors import NotAllowed, NotFound, UserError
from copbot.membership import cop_for_channel, cops_for_user, is_facilitator
from copbot.vocabulary import DoMeetingKind
from storage.models import CalendarBreak, Convening, Cop, Cycle, SchoolTeam


@dataclass(frozen=True)
class Break:
    starts_on: date
    ends_on: date
    name: str = ""

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


def breaks_for(session: Session, *, team_id: str, cop_id: int) -> list[Break]:
    rows = session.exec(
        select(CalendarBreak).where(CalendarBreak.team_id == team_id, CalendarBreak.cop_id == cop_id)
    ).all()
    return [Break(row.starts_on, row.ends_on, row.name) for row in rows]


def is_school_day(day: date, breaks: Iterable[Break] = ()) -> bool:
    return day.weekday() < 5 and not any(b.covers(day) for b in breaks)


def next_school_day(day: date, breaks: Sequence[Break] = ()) -> date:
    """``day`` itself if it is a school day, else the first school day after it."""
    for _ in range(400):
        if is_school_day(day, breaks):
            return day
        day += timedelta(days=1)
    raise ValueError("no school day within 400 days: check the CoP's breaks")


def do_meeting_due_dates(plan_on: date, study_on: date, breaks: Sequence[Break] = ()) -> dict[DoMeetingKind, date]:
    """When each Do meeting is due, moved past weekends and breaks (never past the Study convening)."""
    due = {}
    for kind, day in default_do_meeting_dates(plan_on, study_on).items():
        moved = next_school_day(day, breaks)
        due[kind] = moved if moved < study_on else day
    return due


@dataclass(frozen=True)
class BreakImport:
    """What an import stored: new breaks, and breaks the CoP already had (same days)."""

    added: list[Break]
    already_there: list[Break]


@dataclass(frozen=True)
class CopCalendar:
    cop: Cop
    breaks: list[Break]
    convenings: list[Convening]


def calendar_cop(session: Session, *, team_id: str, channel_id: str | None, user_id: str) -> Cop:
    """The CoP a calendar command is about: the channel's CoP, else the person's only CoP."""
    cop = cop_for_channel(session, team_id=team_id, channel_id=channel_id)
    if cop is not None:
        return cop
    cops = cops_for_user(session, team_id=team_id, user_id=user_id)
    if len(cops) == 1:
        return cops[0]
    raise UserError("Run this in your CoP's channel, so copbot knows which CoP's calendar you mean.")


def require_facilitator(session: Session, *, team_id: str, user_id: str, cop: Cop) -> None:
    if not is_facilitator(session, team_id=team_id, user_id=user_id, cop_id=cop.id):
        raise NotAllowed(f"Only facilitators of {cop.name} can change its school calendar.")


def get_cop(session: Session, *, team_id: str, cop_id: int) -> Cop:
    cop = session.exec(select(Cop).where(Cop.team_id == team_id, Cop.id == cop_id)).first()
    if cop is None:
        raise NotFound("That CoP does not exist in this workspace.")
    return cop


def add_break(session: Session, *, team_id: str, cop_id: int, name: str, starts_on: date,
              ends_on: date) -> CalendarBreak:
    """Enter a break by hand (first and last day off, both included)."""
    if not name.strip():
        raise UserError("Name the break, e.g. Winter break.", field="name")
    if ends_on < starts_on:
        raise UserError("The last day must be on or after the first day.", field="ends_on")
    if (ends_on - starts_on).days > 120:
        raise UserError("A break can last at most 120 days.", field="ends_on")
    row = CalendarBreak(team_id=team_id, cop_id=cop_id, starts_on=starts_on, ends_on=ends_on, name=name.strip())
    session.add(row)
    session.flush()
    return row


def import_breaks(session: Session, *, team_id: str, cop_id: int, breaks: Sequence[Break]) -> BreakImport:
    """Store imported breaks; a break covering the same days as a stored one is not added again."""
    stored = {(b.starts_on, b.ends_on) for b in breaks_for(session, team_id=team_id, cop_id=cop_id)}
    added, already = [], []
    for item in breaks:
        if (item.starts_on, item.ends_on) in stored:
            already.append(item)
            continue
        stored.add((item.starts_on, item.ends_on))
        session.add(CalendarBreak(team_id=team_id, cop_id=cop_id, starts_on=item.starts_on, ends_on=item.ends_on,
                                  name=item.name))
        added.append(item)
    session.flush()
    return BreakImport(added=added, already_there=already)


def cop_calendar(session: Session, *, team_id: str, cop: Cop) -> CopCalendar:
    """The CoP's breaks and convenings, in date order."""
    breaks = sorted(breaks_for(session, team_id=team_id, cop_id=cop.id), key=lambda b: (b.starts_on, b.ends_on))
    convenings = list(session.exec(
        select(Convening).where(Convening.team_id == team_id, Convening.cop_id == cop.id).order_by(Convening.held_on)
    ).all())
    return CopCalendar(cop=cop, breaks=breaks, convenings=convenings)


def cycle_convenings(session: Session, *, team_id: str, cop_id: int, cycle: Cycle) -> tuple[date | None, date | None]:
    """(Plan, Study) convening of a cycle: its own dates, else the CoP's n-th and (n+1)-th convening."""
    plan_on, study_on = cycle.plan_on, cycle.study_on
    if plan_on is None or study_on is None:
        default_plan, default_study = cycle_dates(session, team_id=team_id, cop_id=cop_id, number=cycle.number)
        plan_on, study_on = plan_on or default_plan, study_on or default_study
    return plan_on, study_on


def cycle_do_meeting_due_dates(session: Session, *, team_id: str, cycle: Cycle) -> dict[DoMeetingKind, date]:
    """When a cycle's Do meetings are due, past weekends and its CoP's breaks ({} without convening dates)."""
    team = session.exec(
        select(SchoolTeam).where(SchoolTeam.team_id == team_id, SchoolTeam.id == cycle.school_team_id)
    ).first()
    if team is None:
        raise NotFound("That school team does not exist in this workspace.")
    plan_on, study_on = cycle_convenings(session, team_id=team_id, cop_id=team.cop_id, cycle=cycle)
    if plan_on is None or study_on is None or (study_on - plan_on).days < 3:
        return {}
    return do_meeting_due_dates(plan_on, study_on, breaks_for(session, team_id=team_id, cop_id=team.cop_id))
