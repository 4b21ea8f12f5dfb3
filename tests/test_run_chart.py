"""The run chart's data and its PNG, on the seeded year."""

from __future__ import annotations

import io
from datetime import date

import matplotlib.image
import pytest

from copbot.errors import UserError
from copbot.run_chart import run_chart, team_measures
from copbot.run_chart_signals import Rule
from messages.run_chart import chart_comment, run_chart_png
from storage.models import Cycle, EvidenceItem
from tests.factories import make_cop, make_school_team
from tests.school_year import (
    ATTENDANCE_MEASURE,
    LINCOLN,
    ROOSEVELT,
    SUSPENSIONS_MEASURE,
    TALK_MEASURE,
    seed_school_year,
)


@pytest.fixture
def year(session):
    return seed_school_year(session)


def test_points_in_date_order_with_cycle_starts_median_and_signals(session, year):
    chart = run_chart(session, team_id="T0001", school_team_id=year.schools[LINCOLN].id, measure="justifying")
    assert chart.measure == TALK_MEASURE
    assert [p.value for p in chart.points] == [38, 41, 40, 44, 47, 52, 55, 58, 57, 61, 63, 66]
    dates = [p.measured_on for p in chart.points]
    assert dates == sorted(dates)
    assert [(c.number, c.starts_on) for c in chart.cycle_starts] == [
        (1, date(2025, 8, 23)), (2, date(2025, 11, 15)), (3, date(2026, 1, 23))]
    assert chart.median == 53.5
    assert {s.rule for s in chart.signals} == {Rule.SHIFT, Rule.TREND, Rule.TOO_FEW_RUNS}


def test_the_only_measure_needs_no_name(session, year):
    chart = run_chart(session, team_id="T0001", school_team_id=year.schools[ROOSEVELT].id)
    assert chart.measure == SUSPENSIONS_MEASURE
    assert len(chart.points) == 9


def test_several_measures_and_none_named_lists_them(session, year):
    assert team_measures(session, team_id="T0001", school_team_id=year.schools[LINCOLN].id) == [
        TALK_MEASURE, ATTENDANCE_MEASURE]
    with pytest.raises(UserError) as raised:
        run_chart(session, team_id="T0001", school_team_id=year.schools[LINCOLN].id)
    assert "several measures" in raised.value.message
    assert TALK_MEASURE in raised.value.message and ATTENDANCE_MEASURE in raised.value.message


def test_unknown_measure_lists_the_known_ones(session, year):
    with pytest.raises(UserError) as raised:
        run_chart(session, team_id="T0001", school_team_id=year.schools[LINCOLN].id, measure="reading level")
    assert "no single measure called “reading level”" in raised.value.message


def test_fewer_than_two_values_says_so(session):
    cop = make_cop(session)
    team = make_school_team(session, cop)
    cycle = Cycle(team_id="T0001", school_team_id=team.id, school_year="2025-26", number=1, stage="do")
    session.add(cycle)
    session.flush()
    session.add(EvidenceItem(team_id="T0001", cycle_id=cycle.id, focus="student_impact", kind="assessment_data",
                             measure_name="Weekly attendance rate (%)", measured_value=92.0,
                             measured_on=date(2025, 9, 5)))
    session.commit()
    with pytest.raises(UserError) as raised:
        run_chart(session, team_id="T0001", school_team_id=team.id)
    assert "at least two values" in raised.value.message
    assert "has 1" in raised.value.message


def test_no_measures_at_all(session):
    cop = make_cop(session)
    team = make_school_team(session, cop)
    session.commit()
    with pytest.raises(UserError) as raised:
        run_chart(session, team_id="T0001", school_team_id=team.id)
    assert "nothing to chart" in raised.value.message


def test_png_is_produced_non_trivial_and_decodes(session, year):
    chart = run_chart(session, team_id="T0001", school_team_id=year.schools[LINCOLN].id, measure=TALK_MEASURE)
    png = run_chart_png(chart)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(png) > 10_000
    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
    assert pixels.shape[:2] == (660, 1200)
    assert pixels.std() > 0.05  # not a blank canvas


def test_chart_comment_names_the_signals(session, year):
    chart = run_chart(session, team_id="T0001", school_team_id=year.schools[ROOSEVELT].id)
    comment = chart_comment(chart)
    assert "9 values, median 6" in comment
    assert "Trend: 6 points in a row falling" in comment


def test_signals_at_names_the_signals_a_new_point_takes_part_in(session, year):
    from sqlmodel import select

    from copbot.run_chart import signals_at

    lincoln = year.schools[LINCOLN].id
    items = session.exec(select(EvidenceItem).join(Cycle, Cycle.id == EvidenceItem.cycle_id).where(
        Cycle.school_team_id == lincoln, EvidenceItem.measure_name == TALK_MEASURE)).all()
    latest = max(items, key=lambda item: item.measured_on)
    rules = {signal.rule for signal in signals_at(session, team_id="T0001", school_team_id=lincoln, item=latest)}
    assert Rule.SHIFT in rules or Rule.TREND in rules
    unmeasured = EvidenceItem(team_id="T0001", cycle_id=latest.cycle_id, focus="adult_practice", kind="artifact")
    assert signals_at(session, team_id="T0001", school_team_id=lincoln, item=unmeasured) == []
    assert signals_at(session, team_id="T9999", school_team_id=lincoln, item=latest) == []
