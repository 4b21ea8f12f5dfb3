"""A CoP's "add to calendar" feed: convenings, breaks and each team's cycle deadlines as iCalendar.

The feed is served at ``/calendar/<token>.ics``. The token is ``<cop id>-<HMAC>``, the HMAC being
SHA-256 of the workspace and CoP id keyed with the app's signing secret: nobody can guess another
CoP's address, and no table has to store it. Rotating the signing secret changes every address.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from sqlmodel import Session, select

from copbot.school_calendar import cop_calendar, cycle_convenings, cycle_do_meeting_due_dates
from copbot.vocabulary import Stage
from storage.models import Cop, Cycle, SchoolTeam

PRODID = "-//copbot//CoP calendar//EN"


def feed_token(secret: str, *, team_id: str, cop_id: int) -> str:
    digest = hmac.new(secret.encode(), f"calendar-feed:{team_id}:{cop_id}".encode(), hashlib.sha256).hexdigest()
    return f"{cop_id}-{digest[:32]}"


def cop_for_token(session: Session, *, secret: str | None, token: str) -> Cop | None:
    """The CoP whose feed token this is, or None (unknown CoP, wrong token, no secret configured)."""
    cop_part, _, _ = token.partition("-")
    if not secret or not cop_part.isdigit():
        return None
    cop = session.get(Cop, int(cop_part))
    if cop is None:
        return None
    expected = feed_token(secret, team_id=cop.team_id, cop_id=cop.id)
    return cop if hmac.compare_digest(expected, token) else None


def feed_path(secret: str, *, team_id: str, cop_id: int) -> str:
    return f"/calendar/{feed_token(secret, team_id=team_id, cop_id=cop_id)}.ics"


def _all_day(uid: str, summary: str, day: date, stamp: datetime, *, last_day: date | None = None,
             description: str = "") -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", (last_day or day) + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    if description:
        event.add("description", description)
    return event


def build_feed(session: Session, *, team_id: str, cop: Cop, generated_at: datetime) -> bytes:
    """The CoP's VCALENDAR: convenings, breaks, and for each open cycle its Plan and Study
    convenings and its three Do-meeting due dates (moved past weekends and breaks)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{cop.name} (copbot)")
    uid = f"cop{cop.id}.{team_id}@copbot"
    facts = cop_calendar(session, team_id=team_id, cop=cop)
    for convening in facts.convenings:
        title = f"{cop.name}: {convening.title or 'CoP convening'}"
        calendar.add_component(_all_day(f"convening{convening.id}.{uid}", title, convening.held_on, generated_at))
    for item in facts.breaks:
        calendar.add_component(_all_day(f"break{item.starts_on:%Y%m%d}-{item.ends_on:%Y%m%d}.{uid}",
                                        f"No school: {item.name or 'break'}", item.starts_on, generated_at,
                                        last_day=item.ends_on))
    rows = session.exec(
        select(Cycle, SchoolTeam).join(SchoolTeam, SchoolTeam.id == Cycle.school_team_id)
        .where(Cycle.team_id == team_id, SchoolTeam.team_id == team_id, SchoolTeam.cop_id == cop.id,
               Cycle.stage != Stage.CLOSED)
        .order_by(SchoolTeam.school_name, Cycle.number)
    ).all()
    for cycle, team in rows:
        for event in _cycle_events(session, team_id=team_id, cop=cop, cycle=cycle, team=team, uid=uid,
                                   stamp=generated_at):
            calendar.add_component(event)
    return calendar.to_ical()


def _cycle_events(session: Session, *, team_id: str, cop: Cop, cycle: Cycle, team: SchoolTeam, uid: str,
                  stamp: datetime) -> list[Event]:
    name = f"{team.school_name}, cycle {cycle.number}"
    events = []
    plan_on, study_on = cycle_convenings(session, team_id=team_id, cop_id=cop.id, cycle=cycle)
    if plan_on:
        events.append(_all_day(f"cycle{cycle.id}-plan.{uid}", f"{name}: Plan (convening)", plan_on, stamp))
    for kind, due in cycle_do_meeting_due_dates(session, team_id=team_id, cycle=cycle).items():
        events.append(_all_day(f"cycle{cycle.id}-{kind.value}.{uid}", f"{name}: Do meeting due: {kind.label}",
                               due, stamp, description="Log it with /pdsa do once the team has met."))
    if study_on:
        events.append(_all_day(f"cycle{cycle.id}-study.{uid}", f"{name}: Study (convening)", study_on, stamp))
    return events
