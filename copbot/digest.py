"""The weekly channel digest of a CoP, assembled as plain facts (rendered by messages/digest.py).

A digest says, per CoP: what each team recorded in the week before the digest, where each team
stands (cycle and step), the run-chart signals that a value measured that week takes part in,
deadlines and convenings in the next two weeks, overdue items, and how the learning questions'
predictions turned out across the CoP's teams this school year.

The facts are assembled once, when the digest's notification row is inserted, and stored in its
payload: the message posted is the one previewed, even if it is sent late. Digests due together
(every CoP defaults to Monday 8:00) are assembled from one set of statements for all of them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from copbot.clock import zone
from copbot.reminders import PlannedNotification, cycle_dates
from copbot.run_chart import signals_measured_between
from copbot.school_calendar import do_meeting_due_dates
from copbot.vocabulary import ActDecisionKind, DoMeetingKind, PredictionResult, Stage
from storage.sweep_queries import RecentRecords, SweepData, load_recent_records

UPCOMING = timedelta(days=14)
WEEK = timedelta(days=7)


def with_digest_facts(session: Session, data: SweepData,
                      planned: list[PlannedNotification]) -> list[PlannedNotification]:
    """``planned`` with each weekly digest's payload completed by its facts."""
    digests = [p for p in planned if p.kind == "weekly_digest" and "teams" not in p.payload]
    if not digests:
        return planned
    until = max(p.due_at for p in digests)
    records = load_recent_records(session, cop_ids=sorted({p.cop_id for p in digests}),
                                  since=min(p.due_at for p in digests) - WEEK, until=until)
    completed = {}
    for notification in digests:
        facts = digest_facts(data, records, cop_id=notification.cop_id, due_at=notification.due_at)
        completed[notification.dedupe_key] = PlannedNotification(
            team_id=notification.team_id, dedupe_key=notification.dedupe_key, kind=notification.kind,
            recipient=notification.recipient, due_at=notification.due_at,
            payload={**notification.payload, **facts},
        )
    return [completed.get(p.dedupe_key, p) for p in planned]


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def digest_facts(data: SweepData, records: RecentRecords, *, cop_id: int, due_at: datetime) -> dict[str, Any]:
    """The digest of one CoP as of ``due_at``, as JSON-serialisable facts."""
    cop = data.cops[cop_id]
    today = due_at.astimezone(zone(cop.timezone)).date()
    since = due_at - WEEK
    week_from = since.astimezone(zone(cop.timezone)).date()
    convenings = data.convenings[cop_id]
    convening_days = [c.held_on for c in convenings]
    breaks = data.breaks[cop_id]
    teams, upcoming, overdue = [], [], []
    for convening in convenings:
        if today <= convening.held_on <= today + UPCOMING:
            upcoming.append((convening.held_on, convening.title or "CoP convening"))
    for team in data.teams_by_cop[cop_id]:
        cycles = data.cycles[team.id]
        current = next((c for c in reversed(cycles) if c.stage != Stage.CLOSED), None)
        if current is None:
            standing = f"cycle {cycles[-1].number} closed" if cycles else "no cycle opened yet"
        else:
            standing = f"cycle {current.number}, {Stage(current.stage).label}"
        teams.append({"school": team.school_name, "standing": standing,
                      "recorded": _recorded(records, team.id, since=since, until=due_at),
                      "signals": _new_signals(records, team.id, since=week_from, until=today)})
        if current is None:
            continue
        plan_on, study_on = cycle_dates(current, convening_days)
        stage = Stage(current.stage)
        if stage is Stage.PLAN and plan_on and plan_on < today:
            overdue.append(f"{team.school_name}: cycle {current.number} Plan (convening {_day(plan_on)})")
        if stage in (Stage.DO, Stage.STUDY) and study_on and study_on < today:
            overdue.append(f"{team.school_name}: cycle {current.number} Study (convening {_day(study_on)})")
        if stage is Stage.DO and plan_on and study_on and (study_on - plan_on).days >= 3:
            logged = data.do_meetings[current.id]
            for kind, due in do_meeting_due_dates(plan_on, study_on, breaks).items():
                if kind.value in logged:
                    continue
                what = f"{team.school_name}: {kind.label} meeting, cycle {current.number}"
                if due < today:
                    overdue.append(f"{what} (due {_day(due)})")
                elif due <= today + UPCOMING:
                    upcoming.append((due, what))
    for index, convening in enumerate(convenings):
        following = convenings[index + 1].held_on if index + 1 < len(convenings) else None
        if convening.held_on >= today or (following is not None and following < today):
            continue  # only the latest convening's SSC reports are still expected
        for team in data.teams_by_cop[cop_id]:
            if not any(r.convening_id == convening.id or (r.convening_id is None and r.reported_on >= convening.held_on)
                       for r in data.ssc_reports[team.id]):
                overdue.append(f"{team.school_name}: SSC report after the {_day(convening.held_on)} convening")
    results = records.results.get(cop_id, {})
    return {
        "week_from": _day(week_from),
        "week_to": _day(today - timedelta(days=1)),
        "teams": teams,
        "upcoming": [f"{_day(day)}: {what}" for day, what in sorted(upcoming)],
        "overdue": overdue,
        "results": [{"label": result.label, "count": results.get(result.value, 0)} for result in PredictionResult]
        + [{"label": "Not yet known", "count": results.get("pending", 0)}],
        "questions": sum(results.values()),
    }


def _new_signals(records: RecentRecords, team_id: int, *, since: date, until: date) -> list[str]:
    """"<measure>: <signal>" for each run-chart signal involving a value measured in [since, until)."""
    return [f"{measure}: {signal.description}"
            for measure, points in sorted(records.measured.get(team_id, {}).items(), key=lambda m: m[0].lower())
            for signal in signals_measured_between(points, since=since, until=until)]


def _recorded(records: RecentRecords, team_id: int, *, since: datetime, until: datetime) -> list[str]:
    def inside(stamp: datetime) -> bool:
        return since <= stamp < until

    lines = []
    for number, plan in records.plans.get(team_id, []):
        if inside(plan.updated_at):
            lines.append(f"Plan for cycle {number}: {plan.strategy}")
    for number, meeting in records.do_meetings.get(team_id, []):
        if inside(meeting.recorded_at):
            lines.append(f"{DoMeetingKind(meeting.kind).label} meeting (cycle {number})")
    count = sum(1 for stamp in records.evidence.get(team_id, []) if inside(stamp))
    if count:
        lines.append(f"{count} piece{'s' if count != 1 else ''} of evidence")
    for number, study in records.studies.get(team_id, []):
        if inside(study.recorded_at):
            lines.append(f"Study reflection (cycle {number}): {study.learnings}")
    for number, act in records.acts.get(team_id, []):
        if inside(act.decided_at):
            lines.append(f"Act decision (cycle {number}): {ActDecisionKind(act.decision).label}")
    if any(inside(stamp) for stamp in records.ssc_reports.get(team_id, [])):
        lines.append("SSC report")
    return lines
