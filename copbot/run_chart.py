"""A measure's values across a school team's cycles, ready to draw as a run chart.

Evidence items may carry ``measure_name``, ``measured_value`` and ``measured_on``. The chart takes
every value of one measure over all the team's cycles, in date order (``measured_on``, else the day
it was recorded), with the median, where each cycle starts, and the run-chart signals.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from copbot.errors import UserError
from copbot.membership import get_school_team
from copbot.run_chart_signals import Signal, detect_signals
from storage.models import Cycle, EvidenceItem

MIN_POINTS = 2


@dataclass(frozen=True)
class ChartPoint:
    measured_on: date
    value: float
    cycle_number: int


@dataclass(frozen=True)
class CycleStart:
    number: int
    starts_on: date


@dataclass(frozen=True)
class RunChart:
    school: str
    measure: str
    points: list[ChartPoint]
    cycle_starts: list[CycleStart]
    median: float
    signals: list[Signal]


def team_measures(session: Session, *, team_id: str, school_team_id: int) -> list[str]:
    """Names of the measures with at least one value in the team's evidence, alphabetically."""
    names = session.exec(
        select(EvidenceItem.measure_name).join(Cycle, Cycle.id == EvidenceItem.cycle_id)
        .where(EvidenceItem.team_id == team_id, Cycle.school_team_id == school_team_id,
               EvidenceItem.measure_name.is_not(None), EvidenceItem.measured_value.is_not(None))
        .distinct()
    ).all()
    return sorted({name.strip() for name in names if name and name.strip()}, key=str.lower)


def pick_measure(measures: list[str], wanted: str, school: str) -> str:
    """The measure the words name: exact (any case), else the only one containing them."""
    listed = ", ".join(f"“{m}”" for m in measures)
    if not measures:
        raise UserError(f"No evidence of {school} carries a measured value yet, so there is nothing to chart. "
                        "Add a measure name and value when you record evidence.")
    wanted = wanted.strip().strip("\"'“”")
    if not wanted:
        if len(measures) == 1:
            return measures[0]
        raise UserError(f"{school} tracks several measures; name one, e.g. `/pdsa chart {measures[0]}`. "
                        f"Measures: {listed}.")
    exact = [m for m in measures if m.lower() == wanted.lower()]
    if exact:
        return exact[0]
    close = [m for m in measures if wanted.lower() in m.lower()]
    if len(close) == 1:
        return close[0]
    raise UserError(f"{school} has no single measure called “{wanted}”. Measures: {listed}.")


def run_chart(session: Session, *, team_id: str, school_team_id: int, measure: str = "") -> RunChart:
    """The run chart of one measure; UserError when there is no such measure or fewer than two values."""
    team = get_school_team(session, team_id=team_id, school_team_id=school_team_id)
    name = pick_measure(team_measures(session, team_id=team_id, school_team_id=school_team_id), measure,
                        team.school_name)
    rows = _measured_rows(session, team_id=team_id, school_team_id=school_team_id, measure=name)
    if len(rows) < MIN_POINTS:
        raise UserError(f"A run chart needs at least two values; {team.school_name} has {len(rows)} for “{name}”. "
                        "Record more evidence with this measure and try again.")
    points = [ChartPoint(item.measured_on or item.recorded_at.date(), float(item.measured_value),
                         cycle.number) for item, cycle in rows]
    starts: dict[int, date] = {}
    for (_, cycle), point in zip(rows, points, strict=True):
        begins = min(cycle.plan_on, point.measured_on) if cycle.plan_on else point.measured_on
        starts[cycle.number] = min(starts.get(cycle.number, begins), begins)
    values = [p.value for p in points]
    return RunChart(
        school=team.school_name, measure=name, points=points,
        cycle_starts=[CycleStart(number, day) for number, day in sorted(starts.items())],
        median=statistics.median(values), signals=detect_signals(values),
    )


def _measured_rows(session: Session, *, team_id: str, school_team_id: int,
                   measure: str) -> list[tuple[EvidenceItem, Cycle]]:
    """A team's evidence items carrying a value of ``measure``, with their cycles, in date order."""
    rows = session.exec(
        select(EvidenceItem, Cycle).join(Cycle, Cycle.id == EvidenceItem.cycle_id)
        .where(EvidenceItem.team_id == team_id, Cycle.school_team_id == school_team_id,
               EvidenceItem.measure_name == measure, EvidenceItem.measured_value.is_not(None))
    ).all()
    return sorted(rows, key=lambda row: (row[0].measured_on or row[0].recorded_at.date(), row[0].id or 0))


def signals_at(session: Session, *, team_id: str, school_team_id: int, item: EvidenceItem) -> list[Signal]:
    """Run-chart signals of the item's measure that the item's own value takes part in.

    Called right after a measured value is saved, this names the signals the new point raises
    (or extends), for the channel confirmation and the digest.
    """
    if not item.measure_name or item.measured_value is None:
        return []
    # Only the four columns the order and the values need (not whole rows): this runs on every save.
    points = session.exec(
        select(EvidenceItem.id, EvidenceItem.measured_value, EvidenceItem.measured_on, EvidenceItem.recorded_at)
        .join(Cycle, Cycle.id == EvidenceItem.cycle_id)
        .where(EvidenceItem.team_id == team_id, Cycle.school_team_id == school_team_id,
               EvidenceItem.measure_name == item.measure_name, EvidenceItem.measured_value.is_not(None))
    ).all()
    points = sorted(points, key=lambda point: (point[2] or point[3].date(), point[0] or 0))
    index = next((i for i, point in enumerate(points) if point[0] == item.id), None)
    if index is None or len(points) < MIN_POINTS:
        return []
    signals = detect_signals([float(point[1]) for point in points])
    return [signal for signal in signals if index in signal.points]


def signals_measured_between(points: Sequence[tuple[date, int, float]], *, since: date,
                             until: date) -> list[Signal]:
    """Run-chart signals of one measure's values that involve a point measured in [since, until).

    ``points`` are (day measured, evidence id, value) in any order; they are charted as the run
    chart charts them (by day, then by evidence id). The digest uses this for the week's new signals.
    """
    ordered = sorted(points)
    new = {index for index, (day, _id, _value) in enumerate(ordered) if since <= day < until}
    if not new or len(ordered) < MIN_POINTS:
        return []
    return [signal for signal in detect_signals([value for _day, _id, value in ordered]) if new & set(signal.points)]
