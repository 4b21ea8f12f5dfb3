"""Reminder policy (copbot/reminders.py): what should exist at a frozen instant, for every kind."""

from __future__ import annotations

from datetime import date

from copbot import cycles
from copbot.reminders import due_notifications
from copbot.vocabulary import CheckinKind, DoMeetingKind, ReminderKind, Role
from storage.models import CalendarBreak, Convening, FacilitatorCheckin, SscReport
from tests.reminder_world import (
    DECIDER,
    FACILITATOR,
    NOTES,
    TEACHER,
    cop_with_team,
    cycle_in_do,
    cycle_in_plan,
    person,
    utc,
)


def keyed(session, at, kind=None):
    planned = due_notifications(session, at=utc(at))
    return {p.dedupe_key: p for p in planned if kind is None or p.kind == kind}


def test_plan_reminder_goes_to_recorders_the_school_day_before_the_convening(session):
    _cop, team = cop_with_team(session)
    cycle = cycle_in_plan(session, team, number=2)  # Plan at Sat 15 Nov -> remind Fri 14 Nov
    assert keyed(session, "2025-11-13T23:00", ReminderKind.PLAN) == {}
    planned = keyed(session, "2025-11-14T16:00", ReminderKind.PLAN)
    assert set(planned) == {f"plan:cycle:{cycle.id}:{TEACHER}", f"plan:cycle:{cycle.id}:{NOTES}"}
    reminder = planned[f"plan:cycle:{cycle.id}:{TEACHER}"]
    assert reminder.due_at == utc("2025-11-14T15:30")  # 7:30 PST
    assert reminder.payload["button"] == "open_plan" and reminder.payload["school_team_id"] == team.id
    assert keyed(session, "2025-11-16T16:00", ReminderKind.PLAN) == {}  # the convening has passed


def test_each_do_meeting_is_reminded_on_its_due_date_until_logged(session):
    _cop, team = cop_with_team(session)
    cycle = cycle_in_do(session, team)
    assert keyed(session, "2025-09-08T14:00", ReminderKind.DO_MEETING) == {}  # 7:00 PDT
    planned = keyed(session, "2025-09-08T14:30", ReminderKind.DO_MEETING)
    assert set(planned) == {f"do_meeting:game_plan:cycle:{cycle.id}:{TEACHER}",
                            f"do_meeting:game_plan:cycle:{cycle.id}:{NOTES}"}
    later = keyed(session, "2025-11-10T16:00", ReminderKind.DO_MEETING)
    assert {p.payload["meeting"] for p in later.values()} == {"game_plan", "mid_stream", "end_of_cycle"}
    assert {p.due_at for p in later.values() if p.payload["meeting"] == "mid_stream"} == {utc("2025-10-06T14:30")}
    cycles.record_do_meeting(session, cycle=cycle, user_id=NOTES, kind=DoMeetingKind.GAME_PLAN,
                             held_on=date(2025, 9, 5), attendees=[TEACHER], notes="Who, what, when")
    after = keyed(session, "2025-11-10T16:00", ReminderKind.DO_MEETING)
    assert {p.payload["meeting"] for p in after.values()} == {"mid_stream", "end_of_cycle"}
    assert keyed(session, "2025-11-16T16:00", ReminderKind.DO_MEETING) == {}  # Study convening passed


def test_study_before_and_act_after_the_study_convening(session):
    _cop, team = cop_with_team(session)
    cycle = cycle_in_do(session, team)
    study = keyed(session, "2025-11-14T16:00", ReminderKind.STUDY)
    assert set(study) == {f"study:cycle:{cycle.id}:{TEACHER}", f"study:cycle:{cycle.id}:{NOTES}"}
    assert keyed(session, "2025-11-14T16:00", ReminderKind.ACT) == {}
    act = keyed(session, "2025-11-17T16:00", ReminderKind.ACT)  # Monday after Sat 15 Nov
    assert set(act) == {f"act:cycle:{cycle.id}:{TEACHER}", f"act:cycle:{cycle.id}:{NOTES}"}
    assert act[f"act:cycle:{cycle.id}:{TEACHER}"].payload["button"] == "open_study"  # Study comes first
    cycles.record_study(session, cycle=cycle, user_id=TEACHER, implementation="Daily", evidence_summary="Up",
                        learnings="Frames doubled student talk")
    assert keyed(session, "2025-11-17T16:00", ReminderKind.ACT)[f"act:cycle:{cycle.id}:{TEACHER}"].payload[
        "button"] == "open_act"
    cycles.record_act(session, cycle=cycle, user_id=TEACHER, decision="keep", rationale="Works")
    assert keyed(session, "2025-11-17T16:00", ReminderKind.ACT) == {}


def test_ssc_report_reminds_the_site_decision_maker_weekly_until_recorded(session):
    _cop, team = cop_with_team(session)
    first = keyed(session, "2025-08-25T15:00", ReminderKind.SSC_REPORT)  # Monday after Sat 23 Aug
    assert next(iter(first.values())).payload["convening_on"] == "2025-08-23"
    assert [p.recipient for p in first.values()] == [DECIDER]
    assert next(iter(first)).endswith(f":1:{DECIDER}")
    second = keyed(session, "2025-09-02T15:00", ReminderKind.SSC_REPORT)  # second weekly reminder, Mon 1 Sep
    assert next(iter(second)).endswith(f":2:{DECIDER}")
    fifth_week = keyed(session, "2025-10-20T15:00", ReminderKind.SSC_REPORT)
    assert next(iter(fifth_week)).endswith(f":4:{DECIDER}")  # at most four reminders
    first_convening = session.get(Convening, 1)
    session.add(SscReport(team_id="T0001", school_team_id=team.id, convening_id=first_convening.id,
                          reported_on=date(2025, 9, 3), key_learnings="Shared the PoP"))
    session.flush()
    assert keyed(session, "2025-09-02T15:00", ReminderKind.SSC_REPORT) == {}


def test_regional_checkins_remind_facilitators_until_recorded(session):
    cop, _team = cop_with_team(session)
    kickoff = keyed(session, "2025-08-18T15:00", ReminderKind.REGIONAL_CHECKIN)
    assert set(kickoff) == {f"regional_checkin:regional_kickoff:2025-26:cop:{cop.id}:{FACILITATOR}"}
    for at, kind in (("2025-11-03T16:00", "regional_nov"), ("2026-02-02T16:00", "regional_feb"),
                     ("2026-05-01T15:00", "regional_may")):
        assert {p.payload["checkin"] for p in keyed(session, at, ReminderKind.REGIONAL_CHECKIN).values()} == {kind}
    session.add(FacilitatorCheckin(team_id="T0001", cop_id=cop.id, kind=CheckinKind.REGIONAL_KICKOFF,
                                   held_on=date(2025, 8, 20), facilitator_user_id=FACILITATOR))
    session.flush()
    assert keyed(session, "2025-08-18T15:00", ReminderKind.REGIONAL_CHECKIN) == {}
    assert keyed(session, "2025-10-01T15:00", ReminderKind.REGIONAL_CHECKIN) == {}  # kickoff window over


def test_facilitator_checks_in_with_each_team_during_the_cycle(session):
    cop, team = cop_with_team(session)
    cycle = cycle_in_do(session, team)
    planned = keyed(session, "2025-10-06T15:00", ReminderKind.TEAM_CHECKIN)
    assert set(planned) == {f"team_checkin:cycle:{cycle.id}:{FACILITATOR}"}
    assert planned[f"team_checkin:cycle:{cycle.id}:{FACILITATOR}"].payload["button"] == "open_checkin"
    session.add(FacilitatorCheckin(team_id="T0001", cop_id=cop.id, school_team_id=team.id, cycle_id=cycle.id,
                                   kind=CheckinKind.TEAM, held_on=date(2025, 10, 1), facilitator_user_id=FACILITATOR))
    session.flush()
    assert keyed(session, "2025-10-06T15:00", ReminderKind.TEAM_CHECKIN) == {}


def test_behind_digest_lists_teams_behind_for_facilitators(session):
    cop, team = cop_with_team(session)
    cycle_in_do(session, team)
    assert keyed(session, "2025-11-03T16:00", ReminderKind.BEHIND_DIGEST) == {}  # nobody behind yet
    december = keyed(session, "2025-12-01T16:00", ReminderKind.BEHIND_DIGEST)
    assert set(december) == {f"behind_digest:2025-12:cop:{cop.id}:{FACILITATOR}"}
    assert "fewer than three on track" in december[f"behind_digest:2025-12:cop:{cop.id}:{FACILITATOR}"].payload[
        "teams"][0]["reason"]
    february = keyed(session, "2026-02-02T16:00", ReminderKind.BEHIND_DIGEST)
    assert february[f"behind_digest:2026-02:cop:{cop.id}:{FACILITATOR}"].payload["teams"][0]["reason"] == (
        "no full PDSA cycle in the first semester")


def test_weekly_digest_at_the_cops_day_and_hour(session):
    cop, _team = cop_with_team(session)
    assert keyed(session, "2025-11-10T15:59", ReminderKind.WEEKLY_DIGEST) == {}  # Mon 7:59 PST
    planned = keyed(session, "2025-11-10T16:00", ReminderKind.WEEKLY_DIGEST)
    assert set(planned) == {f"weekly_digest:cop:{cop.id}:2025-11-10"}
    assert planned[f"weekly_digest:cop:{cop.id}:2025-11-10"].recipient == "C0001"
    cop.digest_weekday, cop.digest_hour, cop.timezone = 4, 15, "America/New_York"  # Fridays 15:00 Eastern
    session.add(cop)
    session.flush()
    assert set(keyed(session, "2025-11-14T20:00", ReminderKind.WEEKLY_DIGEST)) == {
        f"weekly_digest:cop:{cop.id}:2025-11-14"}
    assert keyed(session, "2025-11-16T20:00", ReminderKind.WEEKLY_DIGEST) == {}  # more than a day late


def test_people_in_different_zones_get_the_same_reminder_at_their_own_hour(session):
    _cop, team = cop_with_team(session)
    cycle = cycle_in_do(session, team)
    person(session, TEACHER, tz="America/New_York")
    person(session, NOTES, tz="America/Los_Angeles")
    east = keyed(session, "2025-09-08T11:30", ReminderKind.DO_MEETING)  # 7:30 EDT, 4:30 PDT
    assert set(east) == {f"do_meeting:game_plan:cycle:{cycle.id}:{TEACHER}"}
    both = keyed(session, "2025-09-08T14:30", ReminderKind.DO_MEETING)
    assert {p.recipient: p.due_at for p in both.values()} == {TEACHER: utc("2025-09-08T11:30"),
                                                              NOTES: utc("2025-09-08T14:30")}


def test_breaks_move_due_dates_and_reminders(session):
    cop, team = cop_with_team(session)
    cycle = cycle_in_do(session, team)
    session.add(CalendarBreak(team_id="T0001", cop_id=cop.id, starts_on=date(2025, 10, 6), ends_on=date(2025, 10, 10),
                              name="Fall break"))
    session.flush()
    assert not [p for p in keyed(session, "2025-10-08T16:00", ReminderKind.DO_MEETING).values()
                if p.payload["meeting"] == "mid_stream"]
    planned = keyed(session, "2025-10-13T16:00", ReminderKind.DO_MEETING)
    mid = planned[f"do_meeting:mid_stream:cycle:{cycle.id}:{TEACHER}"]
    assert mid.payload["due_on"] == "2025-10-13" and mid.due_at == utc("2025-10-13T14:30")


def test_quiet_hours_move_the_planned_time(session):
    _cop, team = cop_with_team(session)
    cycle = cycle_in_do(session, team)
    person(session, TEACHER, quiet_start_hour=6, quiet_end_hour=9)
    planned = keyed(session, "2025-09-08T17:00", ReminderKind.DO_MEETING)
    assert planned[f"do_meeting:game_plan:cycle:{cycle.id}:{TEACHER}"].due_at == utc("2025-09-08T16:00")  # 9:00 PDT


def test_planning_is_deterministic_and_skips_deleted_people(session):
    _cop, team = cop_with_team(session, members={TEACHER: Role.IMPLEMENTING_TEACHER, NOTES: Role.NOTE_TAKER})
    cycle_in_do(session, team)
    first = keyed(session, "2025-11-10T16:00")
    assert first == keyed(session, "2025-11-10T16:00")
    person(session, NOTES, deleted=True)
    assert not [p for p in keyed(session, "2025-11-10T16:00").values() if p.recipient == NOTES]

