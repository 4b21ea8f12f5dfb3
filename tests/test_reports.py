"""Report content against a seeded school year, missing-data messages, HTML escaping, isolation."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from copbot.errors import NotAllowed
from copbot.reports import MissingData, district_summary, improvement_plan_summary, ssc_summary
from copbot.vocabulary import ActDecisionKind
from messages.reports import district_report_files, plan_report_files, ssc_report_files
from storage.models import Plan
from tests.factories import make_cop, make_school_team
from tests.school_year import JEFFERSON, LINCOLN, ROOSEVELT, TALK_MEASURE, TODAY, seed_school_year


@pytest.fixture
def year(session):
    return seed_school_year(session)


def texts(files):
    """extension -> text of the Markdown and HTML files."""
    return {f.filename.rsplit(".", 1)[1]: f.content.decode() for f in files if not f.filename.endswith(".pdf")}


def test_ssc_summary_after_the_last_convening(session, year):
    summary = ssc_summary(session, team_id="T0001", school_team_id=year.schools[LINCOLN].id, today=TODAY)
    assert summary.convening_on == date(2026, 3, 20)
    assert summary.cycle.number == 3
    assert summary.cycle.decision is ActDecisionKind.SCALE
    assert "extended from ELA to science" in summary.cycle.strategy
    talk = next(m for m in summary.cycle.evidence.measures if m.name == TALK_MEASURE)
    assert (talk.first, talk.last, talk.count) == (57.0, 66.0, 4)
    markdown, html = texts(ssc_report_files(summary)).values()
    for heading in ("Problem of practice", "Strategy tested (cycle 3)", "Evidence highlights",
                    "What we learned (Study)", "Decision (Act)", "Next steps"):
        assert f"## {heading}" in markdown
        assert f"<h2>{heading}</h2>" in html
    assert "English learners" in markdown
    assert "57 → 66" in markdown
    assert "The routine transfers to science" in markdown
    assert "**Scale**" in markdown
    assert "March 20, 2026" in markdown
    assert "Scale to all core subjects" in html


def test_ssc_summary_pdf_is_a_one_page_pdf_with_the_text(session, year):
    summary = ssc_summary(session, team_id="T0001", school_team_id=year.schools[LINCOLN].id, today=TODAY)
    [pdf] = [f for f in ssc_report_files(summary) if f.filename.endswith(".pdf")]
    assert pdf.content.startswith(b"%PDF-1.")
    assert pdf.content.rstrip().endswith(b"%%EOF")
    assert b"/Count 1" in pdf.content  # one page
    assert len(pdf.content) > 5_000


def test_ssc_summary_mid_year_reports_the_cycle_studied_at_that_convening(session, year):
    summary = ssc_summary(session, team_id="T0001", school_team_id=year.schools[ROOSEVELT].id,
                          today=date(2025, 12, 1))
    assert summary.convening_on == date(2025, 11, 15)
    assert summary.cycle.number == 1
    assert summary.cycle.decision is ActDecisionKind.ABANDON
    assert summary.next_convening_on == date(2026, 1, 23)
    assert any("Group role cards" in step for step in summary.next_steps)
    assert any("January 23, 2026" in step for step in summary.next_steps)


def test_ssc_summary_without_an_act_decision_says_to_decide(session, year):
    summary = ssc_summary(session, team_id="T0001", school_team_id=year.schools[JEFFERSON].id, today=TODAY)
    assert summary.cycle.number == 2
    assert summary.cycle.decision is None
    markdown = texts(ssc_report_files(summary))["md"]
    assert "Not decided yet." in markdown
    assert "Decide at Act" in markdown


def test_ssc_summary_for_a_team_with_no_data_names_what_is_missing(session):
    cop = make_cop(session)
    team = make_school_team(session, cop, "Washington Middle School", with_pop=False)
    with pytest.raises(MissingData) as raised:
        ssc_summary(session, team_id="T0001", school_team_id=team.id, today=TODAY)
    assert "problem of practice" in raised.value.message
    assert "a Plan naming the strategy" in raised.value.message
    assert "Washington Middle School" in raised.value.message


def test_html_is_autoescaped(session, year):
    plan = session.exec(select(Plan).where(Plan.team_id == "T0001")).all()[-1]
    plan.strategy = "<script>alert('x')</script> & talk moves"
    session.add(plan)
    session.commit()
    summary = ssc_summary(session, team_id="T0001", school_team_id=year.schools[JEFFERSON].id, today=TODAY)
    files = texts(ssc_report_files(summary))
    assert "<script>" not in files["html"]
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; talk moves" in files["html"]
    assert "<script>alert('x')</script> & talk moves" in files["md"]


def test_plan_summary_lists_learnings_per_cycle_and_interventions_with_dates(session, year):
    summary = improvement_plan_summary(session, team_id="T0001", school_team_id=year.schools[ROOSEVELT].id,
                                       today=TODAY)
    assert [c.number for c in summary.cycles] == [1, 2, 3]
    headings = [group.heading for group in summary.interventions]
    assert headings == ["Kept", "Adapted", "Abandoned"]
    abandoned = summary.interventions[-1].interventions[0]
    assert abandoned.decided_on == date(2025, 11, 15)
    assert "cold-call" in abandoned.strategy
    markdown, html = texts(plan_report_files(summary)).values()
    for section in ("## Problem of practice", "## Interventions", "### Kept", "### Adapted", "### Abandoned",
                    "## Key learnings by cycle", "### Cycle 2", "## Reports to the School Site Council"):
        assert section in markdown
    assert "decided November 15, 2025" in markdown
    assert "Check-ins keep students with IEPs" in markdown
    assert "Suspensions per month 9 → 9" in markdown
    assert "<h3>Cycle 3: January 23, 2026 to March 20, 2026</h3>" in html


def test_plan_summary_needs_an_act_decision(session):
    cop = make_cop(session)
    team = make_school_team(session, cop, "Lincoln Middle School")
    with pytest.raises(MissingData) as raised:
        improvement_plan_summary(session, team_id="T0001", school_team_id=team.id, today=TODAY)
    assert "a Plan for a cycle in 2025-26" in raised.value.message
    assert "an Act decision" in raised.value.message


def test_district_summary_groups_what_worked_by_focus_area_and_subgroup(session, year):
    summary = district_summary(session, team_id="T0001", user_id="UFAC1", is_workspace_admin=False, today=TODAY)
    assert summary.strategy_count == 8
    assert summary.school_count == 3
    [area] = summary.focus_areas
    assert area.focus_area == "English Language Arts"
    by_group = {group.subgroup: group for group in area.subgroups}
    assert set(by_group) == {"English learners", "Students with disabilities", "African American students"}
    els = by_group["English learners"]
    assert [o.decision for o in els.worked] == [ActDecisionKind.KEEP, ActDecisionKind.SCALE]
    assert [o.decision for o in els.changed] == [ActDecisionKind.ADAPT]
    swd = by_group["Students with disabilities"]
    assert [o.decision for o in swd.did_not_work] == [ActDecisionKind.ABANDON]
    assert swd.did_not_work[0].evidence_count == 4
    assert swd.did_not_work[0].measured_count == 3
    assert len(by_group["African American students"].testing) == 1
    markdown, html = texts(district_report_files(summary)).values()
    assert "## English Language Arts" in markdown
    assert "### Students with disabilities" in markdown
    assert "**What did not work**" in markdown
    assert "Daily cold-call participation tracker" in markdown
    assert "Evidence: 4 items, 3 measured." in markdown
    assert "What worked" in html


def test_district_summary_is_for_facilitators_and_admins_only(session, year):
    with pytest.raises(NotAllowed):
        district_summary(session, team_id="T0001", user_id="U0001", is_workspace_admin=False, today=TODAY)
    admin = district_summary(session, team_id="T0001", user_id="U0001", is_workspace_admin=True, today=TODAY)
    assert admin.everyone and admin.strategy_count == 8


def test_district_summary_covers_only_the_facilitators_cops_and_workspace(session, year):
    other = seed_school_year(session, team_id="T0001", channel_id="C0009", facilitator="UFAC2",
                             name="High School Attendance CoP")
    other.cop.focus_area = "Attendance"
    session.add(other.cop)
    seed_school_year(session, team_id="T0002", channel_id="C0001", facilitator="UFAC1")
    session.commit()
    mine = district_summary(session, team_id="T0001", user_id="UFAC1", is_workspace_admin=False, today=TODAY)
    assert mine.cop_names == ["Middle School Engagement CoP"]
    assert mine.strategy_count == 8
    admin = district_summary(session, team_id="T0001", user_id="UADMIN", is_workspace_admin=True, today=TODAY)
    assert admin.strategy_count == 16
    assert [a.focus_area for a in admin.focus_areas] == ["Attendance", "English Language Arts"]
