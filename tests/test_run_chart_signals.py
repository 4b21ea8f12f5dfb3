"""Run-chart rules on known series, including series that must not signal."""

from __future__ import annotations

import pytest

from copbot.run_chart_signals import Rule, count_runs, detect_signals, runs_limits

# Weekly attendance rates (%) with ordinary week-to-week noise: no rule should fire.
STEADY_ATTENDANCE = [91.2, 92.5, 92.8, 90.8, 91.0, 92.1, 91.5, 90.6, 92.3, 92.6, 91.0, 91.4]


def rules(values: list[float]) -> list[Rule]:
    return [signal.rule for signal in detect_signals(values)]


def test_random_looking_series_does_not_signal():
    assert detect_signals(STEADY_ATTENDANCE) == []


def test_too_short_series_does_not_signal():
    assert detect_signals([]) == []
    assert detect_signals([4.0]) == []
    assert detect_signals([1, 2, 3, 4]) == []  # four rising points are not a trend


def test_shift_of_six_points_above_the_median():
    values = [10, 11, 9, 10, 9, 14, 15, 14, 16, 15, 14, 10, 9]
    shift = [s for s in detect_signals(values) if s.rule is Rule.SHIFT]
    assert len(shift) == 1
    assert shift[0].points == (5, 6, 7, 8, 9, 10)
    assert "6 points in a row above the median" in shift[0].description


def test_five_points_on_one_side_is_not_a_shift():
    values = [10, 9, 14, 15, 14, 16, 15, 9, 10, 8]
    assert Rule.SHIFT not in rules(values)


def test_points_on_the_median_neither_break_nor_count_towards_a_shift():
    # median is 10; the 10s sit on it. Five points above with a 10 in between: still five, no shift.
    five = [8, 7, 12, 13, 10, 12, 13, 12, 10, 7, 8, 9, 10]
    assert Rule.SHIFT not in rules(five)
    # Six above with points on the median between them: one shift of six, the 10s not included.
    six = [8, 7, 12, 13, 10, 12, 13, 12, 12, 10, 7, 8, 9, 10]
    shift = [s for s in detect_signals(six) if s.rule is Rule.SHIFT]
    assert len(shift) == 1
    assert shift[0].points == (2, 3, 5, 6, 7, 8)


def test_trend_of_five_rising_points():
    values = [20, 19, 21, 20, 18, 19, 20, 22, 24, 26, 21]
    trend = [s for s in detect_signals(values) if s.rule is Rule.TREND]
    assert len(trend) == 1
    assert trend[0].points == (4, 5, 6, 7, 8, 9)
    assert "rising" in trend[0].description


def test_falling_trend_with_a_tie_counts_the_tie_once():
    # 9, 8, 7, 7, 6: the repeated 7 does not count, so four falling points: no trend.
    assert Rule.TREND not in rules([9, 8, 7, 7, 6, 9, 8, 9])
    # 9, 8, 7, 7, 6, 5: five counted points falling.
    trend = [s for s in detect_signals([9, 8, 7, 7, 6, 5, 9, 8]) if s.rule is Rule.TREND]
    assert len(trend) == 1
    assert trend[0].points == (0, 1, 2, 3, 4, 5)
    assert "5 points in a row falling" in trend[0].description


def test_four_rising_points_are_not_a_trend():
    assert Rule.TREND not in rules([5, 6, 7, 8, 6, 7, 5, 6, 8, 7])


def test_runs_limits_follow_the_published_table():
    # Rows of the Perla, Provost & Murray table that the exact Swed-Eisenhart computation reproduces.
    assert runs_limits(10) == (3, 9)
    assert runs_limits(24) == (8, 18)
    assert runs_limits(30) == (11, 21)
    assert runs_limits(9) is None
    assert runs_limits(61) is None


def test_count_runs_skips_points_on_the_median():
    runs, useful = count_runs([1, 2, 3, 3, 4, 5], median=3)
    assert (runs, useful) == (2, 4)


def test_too_few_runs():
    values = [1, 2, 1, 2, 1, 2, 9, 8, 9, 8, 9, 8]  # 2 runs in 12 useful points
    found = rules(values)
    assert Rule.TOO_FEW_RUNS in found


def test_too_many_runs():
    values = [1, 9, 2, 8, 1, 9, 2, 8, 1, 9, 2, 8]  # alternating: 12 runs in 12 points
    found = detect_signals(values)
    many = [s for s in found if s.rule is Rule.TOO_MANY_RUNS]
    assert len(many) == 1
    assert "12 runs in 12 points" in many[0].description


def test_astronomical_point():
    values = [91.2, 92.5, 90.8, 92.1, 91.5, 78.0, 90.9, 91.8, 92.3, 91.0]
    astro = [s for s in detect_signals(values) if s.rule is Rule.ASTRONOMICAL]
    assert [s.points for s in astro] == [(5,)]
    assert "78" in astro[0].description


def test_moderately_low_point_is_not_astronomical():
    values = [91.2, 92.5, 90.8, 92.1, 91.5, 89.6, 90.9, 91.8, 92.3, 91.0]
    assert Rule.ASTRONOMICAL not in rules(values)


def test_constant_series_with_one_step_has_no_false_alarms():
    assert Rule.ASTRONOMICAL not in rules([5, 5, 5, 6, 6, 6])


@pytest.mark.parametrize("values", [
    [3, 3, 3, 3, 3, 3, 3, 3, 3, 3],
    [0.52, 0.48, 0.55, 0.47, 0.50, 0.53, 0.49, 0.51, 0.46, 0.54, 0.50],
])
def test_flat_or_noisy_series_do_not_signal(values):
    assert detect_signals(values) == []


def test_a_steady_improvement_is_a_shift_and_trend_not_a_string_of_outliers():
    rising = [38, 41, 40, 44, 47, 52, 55, 58, 57, 61, 63, 66]
    found = rules(rising)
    assert Rule.ASTRONOMICAL not in found
    assert Rule.SHIFT in found and Rule.TREND in found and Rule.TOO_FEW_RUNS in found


def test_a_spike_at_the_end_is_astronomical():
    values = [12, 11, 13, 12, 11, 12, 13, 12, 30]
    astro = [s for s in detect_signals(values) if s.rule is Rule.ASTRONOMICAL]
    assert [s.points for s in astro] == [(8,)]
