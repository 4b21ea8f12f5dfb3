"""School days: weekends and a CoP's breaks are not school days; nothing falls due on them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from copbot.cycles import default_do_meeting_dates
from copbot.vocabulary import DoMeetingKind
from storage.models import CalendarBreak


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
