"""Reminder policy: which notifications should exist at an instant, worked out from the records.

Why a notifications table and not one APScheduler job per reminder: reminders depend on data that
changes all the time (a Do meeting logged, a convening moved, a person muting a kind). Keeping one
scheduler job per reminder would mean adding, moving and deleting jobs from every handler. Instead
one recurring sweep (``copbot.notify``) asks this module what *should* exist at ``at``, inserts the
missing rows into ``notification`` (insert-if-absent on a deterministic ``dedupe_key``) and sends
the due ones. Planning is a pure function of the database and ``at``, so it is idempotent: planning
twice, or in two workers, or after a restart, yields the same keys and inserts nothing new.

What is planned (``ReminderKind``), each as DMs unless stated:
- ``plan``: the cycle is still in Plan; due the school day before its Plan convening, until then.
- ``do_meeting``: each of the three Do meetings not logged by its due date
  (``school_calendar.do_meeting_due_dates`` with the CoP's breaks), until the Study convening.
- ``study``: the cycle has no Study yet; due the school day before the Study convening.
- ``act``: the cycle is not closed after its Study convening; due the next school day.
- ``ssc_report``: to each school's site decision maker after every convening, then weekly (at most
  four times, never past the next convening) until an SSC report for that convening is recorded.
- ``regional_checkin``: to facilitators, for the regional kickoff (Aug/Sep), Nov, Feb and early May
  check-ins not yet recorded for the CoP.
- ``team_checkin``: to facilitators, for each team's cycle in Do without a facilitator check-in;
  due at the mid-stream meeting's date.
- ``behind_digest``: to facilitators, monthly (Oct-May), the teams that are behind: no full cycle
  in the first semester, or fewer cycles finished than the convenings held call for (so fewer than
  three on track for the year). Only when some team is behind.
- ``weekly_digest``: to the CoP's channel at ``Cop.digest_weekday``/``digest_hour`` in
  ``Cop.timezone`` (default Monday 8:00); its content is assembled by ``copbot.digest`` only when
  the row is first inserted.

Team reminders go to the people who record the step: the implementing teacher(s) and note
taker(s), or every member when the team has neither. People copbot knows to be deleted get none.
A DM's ``due_at`` is the first delivery slot (``copbot.delivery_window``) on its trigger date in
the person's time zone (cached from users.info, else the CoP's). A planned notification stops being
planned once its condition is met (the step recorded) or it expires; the sender then skips a
pending row for it with a reason instead of sending.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session

from copbot.clock import to_utc, zone
from copbot.delivery_window import DeliveryRules, next_delivery_slot
from copbot.school_calendar import Break, do_meeting_due_dates, is_school_day, next_school_day
from copbot.vocabulary import CheckinKind, DoMeetingKind, ReminderKind, Role, Stage
from storage.models import Convening, Cop, Cycle, SchoolTeam
from storage.sweep_queries import SweepData, load_sweep_data

RESPONSIBLE_ROLES = (Role.IMPLEMENTING_TEACHER, Role.NOTE_TAKER)
SSC_REMINDERS = 4
DIGEST_FRESH_FOR = timedelta(days=1)
BEHIND_DIGEST_MONTHS = (10, 11, 12, 1, 2, 3, 4, 5)
FIRST_SEMESTER_ENDS = (1, 31)  # month, day in the school year's second calendar year
CONVENING_GRACE = timedelta(days=14)  # time after a convening to finish the cycle it studies
# Regional facilitator check-ins: (kind, reminder month/day, last month/day it is worth reminding).
REGIONAL_CHECKINS = (
    (CheckinKind.REGIONAL_KICKOFF, (8, 18), (9, 30)),
    (CheckinKind.REGIONAL_NOV, (11, 3), (11, 30)),
    (CheckinKind.REGIONAL_FEB, (2, 2), (2, 28)),
    (CheckinKind.REGIONAL_MAY, (5, 1), (5, 15)),
)
OPEN_BUTTON = {
    ReminderKind.PLAN: "open_plan",
    ReminderKind.DO_MEETING: "open_do",
    ReminderKind.STUDY: "open_study",
    ReminderKind.ACT: "open_act",
    ReminderKind.SSC_REPORT: "open_ssc",
    ReminderKind.TEAM_CHECKIN: "open_checkin",
}


@dataclass(frozen=True)
class PlannedNotification:
    """A notification that should exist: who gets what, when, under which dedupe key.

    ``payload`` holds the facts the message is rendered from (JSON-serialisable), plus ``cop_id``
    and, for team reminders, ``school_team_id`` (the value of the open-modal button).
    """

    team_id: str
    dedupe_key: str
    kind: ReminderKind
    recipient: str
    due_at: datetime
    payload: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def cop_id(self) -> int:
        return int(self.payload["cop_id"])

    @property
    def is_dm(self) -> bool:
        return self.kind is not ReminderKind.WEEKLY_DIGEST


def due_notifications(session: Session, *, at: datetime) -> list[PlannedNotification]:
    """Every notification that should exist at ``at`` (due at or before it, not yet expired)."""
    return plan_notifications(load_sweep_data(session), at=at)


def plan_notifications(data: SweepData, *, at: datetime) -> list[PlannedNotification]:
    """``due_notifications`` on data already loaded (the sweep loads it once and reuses it)."""
    planner = _Planner(data, to_utc(at))
    for cop in data.cops.values():
        planner.plan_cop(cop)
    return planner.planned


def cycle_dates(cycle: Cycle, convenings: list[date]) -> tuple[date | None, date | None]:
    """The cycle's Plan and Study convenings: as stored, else the n-th and (n+1)-th convening."""
    plan_on = cycle.plan_on or (convenings[cycle.number - 1] if cycle.number - 1 < len(convenings) else None)
    study_on = cycle.study_on or (convenings[cycle.number] if cycle.number < len(convenings) else None)
    return plan_on, study_on


def school_day_before(day: date, breaks: list[Break]) -> date:
    """The last school day strictly before ``day``."""
    day -= timedelta(days=1)
    for _ in range(400):
        if is_school_day(day, breaks):
            return day
        day -= timedelta(days=1)
    raise ValueError("no school day within 400 days: check the CoP's breaks")


def teams_behind(data: SweepData, cop: Cop, today: date) -> list[dict[str, str]]:
    """Teams of the CoP that are behind on ``today``, each with the reason, for facilitators."""
    start_year = int(cop.school_year[:4])
    semester_ends = date(start_year + 1, *FIRST_SEMESTER_ENDS)
    held = [c.held_on for c in data.convenings[cop.id] if c.held_on <= today - CONVENING_GRACE]
    expected = max(0, min(len(held), 4) - 1)  # convening n studies cycle n-1
    behind = []
    for team in data.teams_by_cop[cop.id]:
        finished = sum(1 for cycle in data.cycles[team.id] if cycle.stage == Stage.CLOSED)
        if today > semester_ends and finished == 0:
            reason = "no full PDSA cycle in the first semester"
        elif finished < expected:
            reason = f"{finished} of {expected} cycles finished by now: fewer than three on track this year"
        else:
            continue
        behind.append({"school": team.school_name, "school_team_id": str(team.id), "reason": reason})
    return behind


class _Planner:
    def __init__(self, data: SweepData, at: datetime) -> None:
        self.data = data
        self.at = at
        self.planned: list[PlannedNotification] = []

    # ----- one recipient -----
    def rules_for(self, cop: Cop, user_id: str) -> DeliveryRules | None:
        user = self.data.user(cop.team_id, user_id)
        if user is not None and user.deleted:
            return None
        return DeliveryRules(
            tz=(user.tz if user is not None and user.tz else cop.timezone),
            breaks=self.data.breaks[cop.id],
            quiet_start_hour=user.quiet_start_hour if user else None,
            quiet_end_hour=user.quiet_end_hour if user else None,
        )

    def dm(self, cop: Cop, user_id: str, kind: ReminderKind, key: str, trigger: date,
           payload: dict[str, Any], *, expires_on: date | None = None) -> None:
        """Plan a DM due on ``trigger`` in the person's zone, if that moment has come."""
        rules = self.rules_for(cop, user_id)
        if rules is None:
            return
        today = self.at.astimezone(zone(rules.tz)).date()
        if trigger > today or (expires_on is not None and today > expires_on):
            return
        due = next_delivery_slot(datetime.combine(trigger, time(0), zone(rules.tz)), rules)
        if due > self.at:
            return
        button = OPEN_BUTTON.get(kind)
        if kind is ReminderKind.ACT and payload.get("stage") != Stage.ACT:
            button = "open_study"  # Act needs the Study first
        extra = {"button": button} if button else {}
        self.planned.append(PlannedNotification(
            team_id=cop.team_id, dedupe_key=key, kind=kind, recipient=user_id, due_at=due,
            payload={**payload, **extra, "cop_id": cop.id, "cop": cop.name},
        ))

    def responsible(self, team: SchoolTeam) -> list[str]:
        members = self.data.members[team.id]
        chosen = [user for user, role in members if role in RESPONSIBLE_ROLES] or [user for user, _ in members]
        return list(dict.fromkeys(chosen))

    # ----- one CoP -----
    def plan_cop(self, cop: Cop) -> None:
        convenings = self.data.convenings[cop.id]
        for team in self.data.teams_by_cop[cop.id]:
            open_cycles = [c for c in self.data.cycles[team.id] if c.stage != Stage.CLOSED]
            if open_cycles:
                self.cycle_reminders(cop, team, open_cycles[-1], [c.held_on for c in convenings])
            self.ssc_reminders(cop, team, convenings)
        self.regional_checkins(cop)
        self.behind_digest(cop)
        self.weekly_digest(cop)

    def cycle_reminders(self, cop: Cop, team: SchoolTeam, cycle: Cycle, convenings: list[date]) -> None:
        plan_on, study_on = cycle_dates(cycle, convenings)
        breaks = self.data.breaks[cop.id]
        stage = Stage(cycle.stage)
        base = {"school": team.school_name, "school_team_id": team.id, "cycle": cycle.number,
                "stage": stage.value}
        people = self.responsible(team)
        if stage is Stage.PLAN and plan_on:
            for user in people:
                self.dm(cop, user, ReminderKind.PLAN, f"plan:cycle:{cycle.id}:{user}",
                        school_day_before(plan_on, breaks), {**base, "due_on": plan_on.isoformat()}, expires_on=plan_on)
        if stage is Stage.DO and plan_on and study_on and (study_on - plan_on).days >= 3:
            due = do_meeting_due_dates(plan_on, study_on, breaks)
            logged = self.data.do_meetings[cycle.id]
            for kind, day in due.items():
                if kind.value in logged:
                    continue
                for user in people:
                    self.dm(cop, user, ReminderKind.DO_MEETING, f"do_meeting:{kind.value}:cycle:{cycle.id}:{user}",
                            day, {**base, "meeting": kind.value, "due_on": day.isoformat()}, expires_on=study_on)
            self.team_checkin(cop, team, cycle, plan_on, study_on, due[DoMeetingKind.MID_STREAM], base)
        if stage in (Stage.DO, Stage.STUDY) and study_on:
            for user in people:
                self.dm(cop, user, ReminderKind.STUDY, f"study:cycle:{cycle.id}:{user}",
                        school_day_before(study_on, breaks), {**base, "due_on": study_on.isoformat()},
                        expires_on=study_on)
        if stage in (Stage.DO, Stage.STUDY, Stage.ACT) and study_on:
            trigger = next_school_day(study_on + timedelta(days=1), breaks)
            for user in people:
                self.dm(cop, user, ReminderKind.ACT, f"act:cycle:{cycle.id}:{user}", trigger,
                        {**base, "due_on": study_on.isoformat()})

    def team_checkin(self, cop: Cop, team: SchoolTeam, cycle: Cycle, plan_on: date, study_on: date,
                     mid_stream: date, base: dict[str, Any]) -> None:
        for checkin in self.data.checkins[cop.id]:
            if checkin.kind == CheckinKind.TEAM and (
                checkin.cycle_id == cycle.id
                or (checkin.school_team_id == team.id and plan_on <= checkin.held_on <= study_on)
            ):
                return
        for user in self.data.facilitators[cop.id]:
            self.dm(cop, user, ReminderKind.TEAM_CHECKIN, f"team_checkin:cycle:{cycle.id}:{user}", mid_stream,
                    {**base, "due_on": mid_stream.isoformat()}, expires_on=study_on)

    def ssc_reminders(self, cop: Cop, team: SchoolTeam, convenings: list[Convening]) -> None:
        deciders = [user for user, role in self.data.members[team.id] if role == Role.SITE_DECISION_MAKER]
        if not deciders:
            return
        breaks = self.data.breaks[cop.id]
        today = self.at.astimezone(zone(cop.timezone)).date()
        reports = self.data.ssc_reports[team.id]
        for index, convening in enumerate(convenings):
            if convening.held_on >= today:
                break
            following = convenings[index + 1].held_on if index + 1 < len(convenings) else None
            if any(
                report.convening_id == convening.id
                or (report.convening_id is None and report.reported_on >= convening.held_on
                    and (following is None or report.reported_on < following))
                for report in reports
            ):
                continue
            first = next_school_day(convening.held_on + timedelta(days=1), breaks)
            latest: tuple[int, date] | None = None
            for number in range(1, SSC_REMINDERS + 1):
                trigger = next_school_day(first + timedelta(days=7 * (number - 1)), breaks)
                if trigger > today or (following is not None and trigger >= following):
                    break
                latest = (number, trigger)
            if latest is None:
                continue
            number, trigger = latest
            expires_on = following - timedelta(days=1) if following else None
            for user in deciders:
                self.dm(cop, user, ReminderKind.SSC_REPORT,
                        f"ssc_report:convening:{convening.id}:team:{team.id}:{number}:{user}", trigger,
                        {"school": team.school_name, "school_team_id": team.id,
                         "convening_on": convening.held_on.isoformat(), "reminder_number": number},
                        expires_on=expires_on)

    def regional_checkins(self, cop: Cop) -> None:
        start_year = int(cop.school_year[:4])
        recorded = {(c.kind, c.facilitator_user_id) for c in self.data.checkins[cop.id]}
        for kind, (month, day), (last_month, last_day) in REGIONAL_CHECKINS:
            year = start_year if month >= 8 else start_year + 1
            trigger = next_school_day(date(year, month, day), self.data.breaks[cop.id])
            for user in self.data.facilitators[cop.id]:
                if (kind.value, user) in recorded:
                    continue
                self.dm(cop, user, ReminderKind.REGIONAL_CHECKIN,
                        f"regional_checkin:{kind.value}:{cop.school_year}:cop:{cop.id}:{user}", trigger,
                        {"checkin": kind.value}, expires_on=date(year, last_month, last_day))

    def behind_digest(self, cop: Cop) -> None:
        today = self.at.astimezone(zone(cop.timezone)).date()
        if today.month not in BEHIND_DIGEST_MONTHS:
            return
        behind = teams_behind(self.data, cop, today)
        if not behind:
            return
        month_start = today.replace(day=1)
        trigger = next_school_day(month_start, self.data.breaks[cop.id])
        month_end = (month_start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        for user in self.data.facilitators[cop.id]:
            self.dm(cop, user, ReminderKind.BEHIND_DIGEST, f"behind_digest:{today:%Y-%m}:cop:{cop.id}:{user}",
                    trigger, {"teams": behind}, expires_on=month_end)

    def weekly_digest(self, cop: Cop) -> None:
        if not cop.channel_id:
            return
        tz = zone(cop.timezone)
        local = self.at.astimezone(tz)
        day = local.date() - timedelta(days=(local.weekday() - cop.digest_weekday) % 7)
        due = datetime.combine(day, time(cop.digest_hour), tz)
        if due > self.at:
            day -= timedelta(days=7)
            due = datetime.combine(day, time(cop.digest_hour), tz)
        if self.at - due > DIGEST_FRESH_FOR:
            return
        self.planned.append(PlannedNotification(
            team_id=cop.team_id, dedupe_key=f"weekly_digest:cop:{cop.id}:{day.isoformat()}",
            kind=ReminderKind.WEEKLY_DIGEST, recipient=cop.channel_id, due_at=to_utc(due),
            payload={"cop_id": cop.id, "cop": cop.name, "digest_on": day.isoformat()},
        ))
