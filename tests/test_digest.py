"""The weekly digest: facts (copbot/digest.py), the jinja2 template and section splitting."""

from __future__ import annotations

from datetime import date

from sqlalchemy import event

from copbot import cycles
from copbot.digest import with_digest_facts
from copbot.reminders import plan_notifications
from copbot.run_chart_signals import Rule, detect_signals
from copbot.vocabulary import DoMeetingKind, ReminderKind
from messages.digest import digest_message, split_sections
from messages.templates import environment, render
from storage.models import EvidenceItem, LearningQuestion
from storage.sweep_queries import load_sweep_data
from tests.factories import make_school_team
from tests.reminder_world import NOTES, TEACHER, cop_with_team, cycle_in_do, utc

MONDAY = "2025-10-13T15:00"  # Mon 13 Oct, 8:00 PDT


def digest_for(session, at: str):
    data = load_sweep_data(session)
    planned = [p for p in plan_notifications(data, at=utc(at)) if p.kind == ReminderKind.WEEKLY_DIGEST]
    return with_digest_facts(session, data, planned)[0].payload


def test_digest_reports_last_week_standing_deadlines_overdue_and_results(session):
    cop, team = cop_with_team(session)
    cycle = cycle_in_do(session, team)
    make_school_team(session, cop, "Roosevelt Middle School", members={"U0101": "note_taker"})
    meeting = cycles.record_do_meeting(session, cycle=cycle, user_id=NOTES, kind=DoMeetingKind.GAME_PLAN,
                                       held_on=date(2025, 9, 8), attendees=[TEACHER], notes="Who, what, when")
    meeting.recorded_at = utc("2025-10-08T20:00")  # last week
    session.add(EvidenceItem(team_id="T0001", cycle_id=cycle.id, focus="student_impact", kind="student_work",
                             description="Exit tickets", recorded_at=utc("2025-10-09T18:00")))
    session.add(EvidenceItem(team_id="T0001", cycle_id=cycle.id, focus="student_impact", kind="student_work",
                             description="Too old", recorded_at=utc("2025-09-01T18:00")))
    for result in ("matched", "matched", "not_matched", None):
        session.add(LearningQuestion(team_id="T0001", cycle_id=cycle.id, question="Will talk double?",
                                     prediction="Yes", result=result))
    session.flush()
    facts = digest_for(session, MONDAY)
    lincoln, roosevelt = facts["teams"]
    assert lincoln["standing"] == "cycle 1, Do" and roosevelt["standing"] == "no cycle opened yet"
    assert lincoln["recorded"] == ["Game plan meeting (cycle 1)", "1 piece of evidence"]
    assert any("Mid-stream status check" in line and "due Mon 6 Oct" in line for line in facts["overdue"])
    assert any("SSC report after the Sat 23 Aug convening" in line for line in facts["overdue"])
    assert [r["count"] for r in facts["results"]] == [2, 0, 1, 0, 1] and facts["questions"] == 4
    text, blocks = digest_message(facts)
    body = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "*Lincoln Middle School*: cycle 1, Do" in body
    assert "Matched: 2" in body and "Did not match: 1" in body
    assert "Weekly digest for Middle School Engagement CoP" in text


def test_upcoming_lists_convenings_and_due_meetings(session):
    _cop, team = cop_with_team(session)
    cycle_in_do(session, team)
    facts = digest_for(session, "2025-11-03T16:00")  # two weeks before Sat 15 Nov
    assert facts["upcoming"] == ["Mon 10 Nov: Lincoln Middle School: End-of-cycle data organisation meeting, cycle 1",
                                 "Sat 15 Nov: CoP convening"]


def test_user_text_is_escaped_for_mrkdwn(session):
    cop, _team = cop_with_team(session, school="<!channel> & Co")
    facts = digest_for(session, MONDAY)
    _text, blocks = digest_message(facts)
    body = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "&lt;!channel&gt; &amp; Co" in body and "<!channel>" not in body
    assert cop.name in blocks[0]["text"]["text"]


def test_large_digest_is_split_into_sections_under_3000_characters(session):
    cop, _team = cop_with_team(session)
    for index in range(60):
        make_school_team(session, cop, f"School number {index} with a fairly long name for testing",
                         members={f"U9{index:03d}": "note_taker"})
    _text, blocks = digest_message(digest_for(session, MONDAY))
    sections = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert len(sections) > 1 and all(len(text) <= 3000 for text in sections)
    assert sum(text.count("School number") for text in sections) == 60 * 2  # standing, overdue SSC report


def test_split_sections_packs_paragraphs_and_breaks_long_ones():
    paragraphs = ["a" * 1000, "b" * 1000, "c" * 1500, "\n".join(["d" * 100] * 40)]
    chunks = split_sections("\n\n".join(paragraphs))
    assert all(len(chunk) <= 3000 for chunk in chunks)
    assert chunks[0] == "a" * 1000 + "\n\n" + "b" * 1000
    assert "".join(chunks).count("d" * 100) == 40


def test_one_environment_autoescapes_html_only():
    env = environment()
    assert env is environment()
    assert env.autoescape("report.html") is True
    assert env.autoescape("digest.md.j2") is False
    assert render("digest.md.j2", week_from="Mon 6 Oct", week_to="Sun 12 Oct", teams=[], upcoming=[], overdue=[],
                  results=[], questions=0).startswith("*Week of Mon 6 Oct to Sun 12 Oct*")


def measured(session, cycle, measure: str, values: list[float], days: list[date]) -> None:
    for value, day in zip(values, days, strict=True):
        session.add(EvidenceItem(team_id="T0001", cycle_id=cycle.id, focus="student_impact", kind="student_work",
                                 description="Exit tickets", measure_name=measure, measured_value=value,
                                 measured_on=day, recorded_at=utc(f"{day.isoformat()}T20:00")))
    session.flush()


WEEKS = [date(2025, 9, 8), date(2025, 9, 15), date(2025, 9, 22), date(2025, 9, 29), date(2025, 10, 8)]


def test_digest_names_run_chart_signals_a_value_of_last_week_takes_part_in(session):
    _cop, team = cop_with_team(session)
    cycle = cycle_in_do(session, team)
    measured(session, cycle, "EL exit tickets citing evidence (%)", [40, 44, 47, 52, 55], WEEKS)  # 5th: Wed 8 Oct
    # A trend of five before the week; the week's value (10) breaks it and signals nothing new.
    assert [s.rule for s in detect_signals([4, 6, 7, 9, 11, 10])] == [Rule.TREND]
    measured(session, cycle, "Talk moves per lesson", [4, 6, 7, 9, 11, 10], [*WEEKS[:4], date(2025, 10, 1),
                                                                                date(2025, 10, 7)])
    # A value this week in a series too short to signal.
    measured(session, cycle, "Attendance (%)", [91, 93], [date(2025, 9, 30), date(2025, 10, 9)])
    facts = digest_for(session, MONDAY)  # the week of Mon 6 to Sun 12 Oct
    (lincoln,) = facts["teams"]
    assert lincoln["signals"] == ["EL exit tickets citing evidence (%): Trend: 5 points in a row rising (points 1-5)."]
    _text, blocks = digest_message(facts)
    body = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "*New run-chart signals*" in body and "Trend: 5 points in a row rising" in body
    assert "Talk moves" not in body

    later = digest_for(session, "2025-10-20T15:00")  # the signal is a week old by then
    assert later["teams"][0]["signals"] == []
    _text, blocks = digest_message(later)
    assert "run-chart signals" not in "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")


def test_digest_facts_for_many_cops_take_a_fixed_number_of_statements(session):
    def statements_for_digests(count: int) -> int:
        for index in range(count):
            _cop, team = cop_with_team(session, school=f"School {index}", members={f"U{index:04d}": "observer"})
            measured(session, cycle_in_do(session, team), "Attendance (%)", [90, 91, 92, 93, 94], WEEKS)
        data = load_sweep_data(session)
        planned = [p for p in plan_notifications(data, at=utc(MONDAY)) if p.kind == ReminderKind.WEEKLY_DIGEST]
        statements = []

        def note(_connection, _cursor, statement, *_args):
            statements.append(statement)

        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", note)
        try:
            digests = with_digest_facts(session, data, planned)
        finally:
            event.remove(engine, "before_cursor_execute", note)
        assert all(d.payload["teams"][0]["signals"] for d in digests)
        return len(statements)

    assert statements_for_digests(1) == statements_for_digests(3)
