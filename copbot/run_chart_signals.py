"""The standard run-chart rules: shift, trend, too few or too many runs, astronomical point.

Rules as taught by IHI and Perla, Provost & Murray (2011), "The run chart: a simple analytical
tool for learning from variation in healthcare processes", BMJ Qual Saf 20:46-51:

- **shift**: six or more consecutive points all above or all below the median. Points exactly on
  the median neither break a shift nor count towards it.
- **trend**: five or more consecutive points all going up or all going down. A point equal to the
  one before it neither breaks the trend nor counts towards it.
- **runs**: a run is a series of points on one side of the median (points on the median are
  skipped). Too few or too many runs for the number of useful observations (points not on the
  median) is a signal. The limits are the Swed-Eisenhart critical values that Perla et al.
  tabulate for 10 to 60 useful observations: the exact distribution of the number of runs for
  ⌊N/2⌋ points on one side and ⌈N/2⌉ on the other, cut at 2.5% in each tail (a two-sided 5%
  test). With fewer than 10 or more than 60 useful observations the rule is not applied.
- **astronomical point**: a value obviously different from the rest. Concretely, with
  L = 3.14 × the median moving range (Wheeler's three-sigma distance, sigma ≈ median MR / 0.954,
  which one outlier cannot inflate the way it inflates the average moving range), a point is
  astronomical when it is further than L from the median *and* further than L from each point next
  to it. The second condition keeps a steady trend or a step to a new level (the shift and trend
  rules' business) from turning every point into an outlier: only a spike away from its
  neighbours counts. If the median moving range is 0 (most consecutive values equal), L is three
  times the average moving range / 1.128; if that is 0 too, nothing is astronomical. Needs at least
  six values.

No maintained Python library implements these run-chart rules (the maintained implementations are
R packages: qicharts2, runcharter, NHSRplotthedots), so they are written out here.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from math import comb

SHIFT_LENGTH = 6
TREND_LENGTH = 5
RUNS_TABLE_RANGE = range(10, 61)
RUNS_TAIL = 0.025
ASTRONOMICAL_MIN_POINTS = 6
MEDIAN_MR_FACTOR = 3.14  # 3 / 0.954: three sigma from the median moving range (Wheeler)
AVERAGE_MR_D2 = 1.128  # d2 for moving ranges of two


class Rule(StrEnum):
    SHIFT = "shift"
    TREND = "trend"
    TOO_FEW_RUNS = "too_few_runs"
    TOO_MANY_RUNS = "too_many_runs"
    ASTRONOMICAL = "astronomical"

    @property
    def label(self) -> str:
        return {
            "shift": "Shift",
            "trend": "Trend",
            "too_few_runs": "Too few runs",
            "too_many_runs": "Too many runs",
            "astronomical": "Astronomical point",
        }[self.value]


@dataclass(frozen=True)
class Signal:
    """One rule broken: which points (0-based indexes into the series) and a sentence saying so."""

    rule: Rule
    points: tuple[int, ...]
    description: str


def detect_signals(values: Sequence[float]) -> list[Signal]:
    """Every run-chart signal in ``values`` (in time order), shifts first, then trends, runs, outliers."""
    values = [float(v) for v in values]
    if len(values) < 2:
        return []
    median = statistics.median(values)
    return [
        *shifts(values, median),
        *trends(values),
        *runs_signals(values, median),
        *astronomical_points(values, median),
    ]


def _side(value: float, median: float) -> int:
    return (value > median) - (value < median)


def shifts(values: Sequence[float], median: float) -> list[Signal]:
    """Runs of six or more useful points on one side of the median."""
    found: list[Signal] = []
    current: list[int] = []
    current_side = 0
    for index, value in enumerate(values):
        side = _side(value, median)
        if side == 0:
            continue
        if side != current_side:
            found.extend(_shift_signal(current, current_side))
            current, current_side = [], side
        current.append(index)
    found.extend(_shift_signal(current, current_side))
    return found


def _shift_signal(points: list[int], side: int) -> list[Signal]:
    if len(points) < SHIFT_LENGTH:
        return []
    where = "above" if side > 0 else "below"
    return [Signal(Rule.SHIFT, tuple(points),
                   f"Shift: {len(points)} points in a row {where} the median (points {_span(points)}).")]


def trends(values: Sequence[float]) -> list[Signal]:
    """Five or more points all going up or all going down; repeated values are skipped, not counted."""
    found: list[Signal] = []
    stretch: list[int] = [0]  # indexes of the points in the current monotone stretch
    counted = 1  # points that count: the first one plus each strict step in the direction
    direction = 0
    for index in range(1, len(values)):
        step = _side(values[index], values[index - 1])
        if step == 0:
            stretch.append(index)
            continue
        if direction in (0, step):
            direction = step
            stretch.append(index)
            counted += 1
            continue
        found.extend(_trend_signal(stretch, counted, direction))
        start = _last_distinct_start(values, index)
        stretch = [*range(start, index + 1)]
        counted, direction = 2, step
    found.extend(_trend_signal(stretch, counted, direction))
    return found


def _last_distinct_start(values: Sequence[float], index: int) -> int:
    """Where the point before ``index`` starts (ties with it included), to begin the next stretch."""
    start = index - 1
    while start > 0 and values[start - 1] == values[start]:
        start -= 1
    return start


def _trend_signal(stretch: list[int], counted: int, direction: int) -> list[Signal]:
    if counted < TREND_LENGTH:
        return []
    where = "rising" if direction > 0 else "falling"
    return [Signal(Rule.TREND, tuple(stretch),
                   f"Trend: {counted} points in a row {where} (points {_span(stretch)}).")]


def count_runs(values: Sequence[float], median: float) -> tuple[int, int]:
    """(number of runs, number of useful observations): points on the median are skipped."""
    sides = [s for s in (_side(v, median) for v in values) if s != 0]
    if not sides:
        return 0, 0
    runs = 1 + sum(1 for before, after in itertools.pairwise(sides) if before != after)
    return runs, len(sides)


@cache
def runs_limits(useful: int) -> tuple[int, int] | None:
    """(fewest, most) runs that are not a signal for ``useful`` observations, or None outside 10-60.

    Fewer runs than the first number are "too few"; more than the second are "too many".
    """
    if useful not in RUNS_TABLE_RANGE:
        return None
    below = useful // 2
    above = useful - below
    probabilities = {r: _runs_probability(r, below, above) for r in range(2, useful + 1)}
    fewest = next(r for r in range(2, useful + 1) if sum(probabilities[k] for k in range(2, r + 1)) > RUNS_TAIL)
    most = next(r for r in range(useful, 1, -1) if sum(probabilities[k] for k in range(r, useful + 1)) > RUNS_TAIL)
    return fewest, most


def _runs_probability(runs: int, n1: int, n2: int) -> float:
    """P(exactly ``runs`` runs) for n1 and n2 points on the two sides in random order (Swed-Eisenhart)."""
    total = comb(n1 + n2, n1)
    if runs % 2 == 0:
        k = runs // 2
        return 2 * comb(n1 - 1, k - 1) * comb(n2 - 1, k - 1) / total
    k = (runs - 1) // 2
    return (comb(n1 - 1, k - 1) * comb(n2 - 1, k) + comb(n1 - 1, k) * comb(n2 - 1, k - 1)) / total


def runs_signals(values: Sequence[float], median: float) -> list[Signal]:
    runs, useful = count_runs(values, median)
    limits = runs_limits(useful)
    if limits is None:
        return []
    fewest, most = limits
    useful_points = tuple(i for i, v in enumerate(values) if _side(v, median) != 0)
    if runs < fewest:
        return [Signal(Rule.TOO_FEW_RUNS, useful_points,
                       f"Too few runs: {runs} runs in {useful} points off the median (expected {fewest} to {most}).")]
    if runs > most:
        return [Signal(Rule.TOO_MANY_RUNS, useful_points,
                       f"Too many runs: {runs} runs in {useful} points off the median "
                       f"(expected {fewest} to {most}).")]
    return []


def astronomical_limit(values: Sequence[float]) -> float | None:
    """How far from the median a point must lie to be astronomical, or None when it cannot be said."""
    if len(values) < ASTRONOMICAL_MIN_POINTS:
        return None
    moving_ranges = [abs(b - a) for a, b in itertools.pairwise(values)]
    median_mr = statistics.median(moving_ranges)
    if median_mr > 0:
        return MEDIAN_MR_FACTOR * median_mr
    average_mr = statistics.fmean(moving_ranges)
    if average_mr > 0:
        return 3 * average_mr / AVERAGE_MR_D2
    return None


def astronomical_points(values: Sequence[float], median: float) -> list[Signal]:
    values = list(values)
    limit = astronomical_limit(values)
    if limit is None:
        return []
    found = []
    for index, value in enumerate(values):
        neighbours = values[max(index - 1, 0):index] + values[index + 1:index + 2]
        if abs(value - median) > limit and all(abs(value - other) > limit for other in neighbours):
            found.append(Signal(Rule.ASTRONOMICAL, (index,), f"Astronomical point: point {index + 1} ({value:g}) "
                                f"stands far from the median ({median:g}) and from the points beside it."))
    return found


def _span(points: Sequence[int]) -> str:
    """Points as people count them: 1-based, first to last."""
    return f"{points[0] + 1}-{points[-1] + 1}"
