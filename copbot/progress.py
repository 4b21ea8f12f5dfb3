"""Progress of a school against the program's requirements for the school year.

- Cycles: three full PDSA cycles per school year (a cycle counts once its Act decision closes it).
- First semester: at least one full cycle closed by the end of the first semester. The semester is
  taken to end on January 31 (the usual US first-semester end); the CoP's convenings are not used
  to move it, because the January convening (where cycle 2 is studied) already falls inside it.
  The program asks this of a school's first year; copbot asks it every year, as a simple check.
- Do meetings: three for every cycle that reached Do (game plan, mid-stream, end of cycle).
- SSC reports: one after each CoP convening held so far this school year.

A school year runs July 1 to June 30 and is named like the CoP's: "2025-26".
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from copbot.clock import in_zone
from copbot.cycles import CYCLES_PER_YEAR
from copbot.membership import get_school_team
from copbot.vocabulary import Stage
from storage.models import Convening, Cop, Cycle, DoMeeting, SchoolTeam, SscReport

DO_MEETINGS_PER_CYCLE = 3
SEMESTER_END = (1, 31)  # month, day in the school year's second calendar year


def school_year_of(day: date) -> str:
    start = day.year if day.month >= 7 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def school_year_bounds(school_year: str) -> tuple[date, date]:
    start = int(school_year[:4])
    return date(start, 7, 1), date(start + 1, 6, 30)


@dataclass(frozen=True)
class Progress:
    school_team_id: int
    school: str
    school_year: str
    today: date
    cycles_completed: int
    cycles_required: int
    first_semester_ends: date
    first_semester_cycles: int
    do_meetings_held: int
    do_meetings_expected: int
    ssc_reports_filed: int
    convenings_held: int

    @property
    def cycles_met(self) -> bool:
        return self.cycles_completed >= self.cycles_required

    @property
    def first_semester_met(self) -> bool:
        return self.first_semester_cycles >= 1

    @property
    def first_semester_over(self) -> bool:
        return self.today > self.first_semester_ends

    @property
    def do_meetings_met(self) -> bool:
        return self.do_meetings_held >= self.do_meetings_expected

    @property
    def ssc_reports_met(self) -> bool:
        return self.ssc_reports_filed >= self.convenings_held


def school_progress(session: Session, *, team_id: str, school_team_id: int, today: date) -> Progress:
    """Where a school stands on ``today`` against the year's requirements."""
    get_school_team(session, team_id=team_id, school_team_id=school_team_id)  # NotFound from another workspace
    return progress_of_teams(session, team_id=team_id, days={school_team_id: today})[school_team_id]


def progress_of_teams(session: Session, *, team_id: str, days: dict[int, date]) -> dict[int, Progress]:
    """``school_progress`` for each school team id in ``days`` (its CoP's today), in six queries
    whatever the number of teams; ids of no school team in this workspace are left out."""
    if not days:
        return {}
    teams = {team.id: team for team in session.exec(
        select(SchoolTeam).where(SchoolTeam.team_id == team_id, col(SchoolTeam.id).in_(list(days))))}
    cops = {cop.id: cop for cop in session.exec(
        select(Cop).where(Cop.team_id == team_id, col(Cop.id).in_({team.cop_id for team in teams.values()})))}
    cycles: dict[int, list[Cycle]] = defaultdict(list)
    for cycle in session.exec(
            select(Cycle).where(Cycle.team_id == team_id, col(Cycle.school_team_id).in_(list(teams)))):
        cycles[cycle.school_team_id].append(cycle)
    cycle_ids = [cycle.id for team_cycles in cycles.values() for cycle in team_cycles]
    meetings = dict(session.exec(
        select(DoMeeting.cycle_id, func.count(DoMeeting.id))
        .where(DoMeeting.team_id == team_id, col(DoMeeting.cycle_id).in_(cycle_ids)).group_by(DoMeeting.cycle_id)
    ).all()) if cycle_ids else {}
    convenings: dict[int, list[date]] = defaultdict(list)
    for cop_id, held_on in session.exec(select(Convening.cop_id, Convening.held_on).where(
            Convening.team_id == team_id, col(Convening.cop_id).in_(list(cops)))):
        convenings[cop_id].append(held_on)
    reports: dict[int, list[date]] = defaultdict(list)
    for school_team_id, reported_on in session.exec(select(SscReport.school_team_id, SscReport.reported_on).where(
            SscReport.team_id == team_id, col(SscReport.school_team_id).in_(list(teams)))):
        reports[school_team_id].append(reported_on)
    return {
        school_team_id: _progress(teams[school_team_id], cops[teams[school_team_id].cop_id],
                                  cycles[school_team_id], meetings, convenings[teams[school_team_id].cop_id],
                                  reports[school_team_id], today)
        for school_team_id, today in days.items() if school_team_id in teams
    }


def _progress(team: SchoolTeam, cop: Cop, all_cycles: list[Cycle], meetings: dict[int, int],
              convening_days: list[date], report_days: list[date], today: date) -> Progress:
    school_year = school_year_of(today)
    year_start, year_end = school_year_bounds(school_year)
    semester_end = date(year_start.year + 1, *SEMESTER_END)
    cycles = [cycle for cycle in all_cycles if cycle.school_year == school_year]
    closed_on = [in_zone(c.closed_at, cop.timezone).date() for c in cycles
                 if c.stage == Stage.CLOSED and c.closed_at is not None]
    reached_do = [c.id for c in cycles if c.stage != Stage.PLAN]
    until = min(today, year_end)
    return Progress(
        school_team_id=team.id, school=team.school_name, school_year=school_year, today=today,
        cycles_completed=len(closed_on), cycles_required=CYCLES_PER_YEAR, first_semester_ends=semester_end,
        first_semester_cycles=sum(1 for day in closed_on if day <= semester_end),
        do_meetings_held=sum(meetings.get(cycle_id, 0) for cycle_id in reached_do),
        do_meetings_expected=DO_MEETINGS_PER_CYCLE * len(reached_do),
        ssc_reports_filed=sum(1 for day in report_days if year_start <= day <= until),
        convenings_held=sum(1 for day in convening_days if year_start <= day <= until),
    )
