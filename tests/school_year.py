"""A full 2025-26 school year for three middle schools, from seeds/004's sample problems of practice.

Lincoln (English learners, academic talk) runs three full cycles: adapt, keep, scale.
Roosevelt (students with disabilities, group work) runs three: abandon, adapt, keep.
Jefferson (African American students, higher-order questions) closes cycle 1 (keep), has cycle 2 at
Act (Study done, no decision) and so falls behind the three-cycle requirement.
Measured values (for run charts) ride on evidence items; SSC reports: Lincoln 3, Roosevelt 2,
Jefferson 1. Records go through copbot.cycles so the stage rules hold; timestamps are then set
to the convening dates so the year reads as it happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from copbot import cycles
from copbot.school_calendar import do_meeting_due_dates
from copbot.vocabulary import ActDecisionKind, EvidenceFocus, EvidenceKind, Role
from storage.models import Convening, Cop, EvidenceItem, SchoolTeam, SscReport
from tests.factories import CONVENINGS, make_cop, make_school_team

TODAY = date(2026, 6, 5)
SCHOOL_YEAR = "2025-26"
LINCOLN, ROOSEVELT, JEFFERSON = "Lincoln Middle School", "Roosevelt Middle School", "Jefferson Middle School"
TALK_MEASURE = "Students justifying answers with evidence (%)"
ATTENDANCE_MEASURE = "Weekly attendance rate (%)"
SUSPENSIONS_MEASURE = "Suspensions per month"
QUESTIONS_MEASURE = "Higher-order questions per lesson"


@dataclass(frozen=True)
class CycleScript:
    strategy: str
    evidence: list[tuple[str, str, str | None, float | None]]  # (kind, description, measure, value)
    implementation: str
    evidence_summary: str
    learnings: str
    decision: ActDecisionKind | None  # None: the team has studied but not decided yet
    rationale: str = ""
    focus_question: str = ""


SCRIPTS: dict[str, list[CycleScript]] = {
    LINCOLN: [
        CycleScript(
            strategy="Sentence frames for justifying answers (\"I think ___ because the text says ___\") "
                     "in every ELA lesson, with think-pair-share before whole-class answers",
            evidence=[
                ("observation", "Peer observation: 9 of 24 English learners used a frame unprompted", TALK_MEASURE,
                 38.0),
                ("observation", "Peer observation week 3", TALK_MEASURE, 41.0),
                ("observation", "Peer observation week 5", TALK_MEASURE, 40.0),
                ("observation", "Peer observation week 7", TALK_MEASURE, 44.0),
                ("student_work", "Exit tickets: short constructed responses citing the text", None, None),
                ("intervention_record", "Attendance office weekly report", ATTENDANCE_MEASURE, 91.5),
                ("intervention_record", "Attendance office weekly report", ATTENDANCE_MEASURE, 92.0),
            ],
            implementation="All four ELA teachers used the frames daily; partner talk often drifted to recall.",
            evidence_summary="Justified answers rose from 38% to 44% of observed English learners.",
            learnings="Frames alone raise participation, but partners need roles so both students justify.",
            decision=ActDecisionKind.ADAPT,
            rationale="Keep the frames and add talk roles (speaker, questioner) so both partners justify.",
        ),
        CycleScript(
            strategy="Structured academic talk: sentence frames plus assigned talk roles (speaker, questioner) "
                     "in ELA lessons",
            evidence=[
                ("observation", "Peer observation week 1", TALK_MEASURE, 47.0),
                ("observation", "Peer observation week 3", TALK_MEASURE, 52.0),
                ("observation", "Peer observation week 5", TALK_MEASURE, 55.0),
                ("observation", "Peer observation week 7", TALK_MEASURE, 58.0),
                ("interview", "Student focus group: roles make it 'OK to disagree'", None, None),
                ("intervention_record", "Attendance office weekly report", ATTENDANCE_MEASURE, 92.4),
            ],
            implementation="Roles were introduced with a fishbowl demonstration; used in 4 of 5 lessons a week.",
            evidence_summary="Justified answers reached 58%; students describe talk roles as safe.",
            learnings="Assigned roles doubled the number of English learners who justify with evidence.",
            decision=ActDecisionKind.KEEP,
            rationale="The routine works; keep it for a full cycle to see if the gain holds.",
        ),
        CycleScript(
            strategy="Structured academic talk with talk roles, extended from ELA to science classes",
            evidence=[
                ("observation", "Peer observation week 1 (ELA and science)", TALK_MEASURE, 57.0),
                ("observation", "Peer observation week 3", TALK_MEASURE, 61.0),
                ("observation", "Peer observation week 5", TALK_MEASURE, 63.0),
                ("observation", "Peer observation week 7", TALK_MEASURE, 66.0),
                ("assessment_data", "District interim: constructed response scores for ELs up 6 points", None,
                 None),
                ("intervention_record", "Attendance office weekly report", ATTENDANCE_MEASURE, 93.1),
            ],
            implementation="Science teachers adopted the roles after a demonstration lesson by the ELA team.",
            evidence_summary="Justified answers rose to 66%; interim constructed-response scores improved.",
            learnings="The routine transfers to science when teachers see it modelled first.",
            decision=ActDecisionKind.SCALE,
            rationale="Scale to all core subjects next year and include it in the School Improvement Plan.",
        ),
    ],
    ROOSEVELT: [
        CycleScript(
            strategy="Daily cold-call participation tracker for students with disabilities during group work",
            evidence=[
                ("intervention_record", "Monthly discipline report", SUSPENSIONS_MEASURE, 9.0),
                ("intervention_record", "Monthly discipline report", SUSPENSIONS_MEASURE, 10.0),
                ("intervention_record", "Monthly discipline report", SUSPENSIONS_MEASURE, 9.0),
                ("observation", "Co-teacher notes: tracker took attention away from the groups", None, None),
            ],
            implementation="Tracker used for three weeks, then dropped in most classes.",
            evidence_summary="No change in participation; teachers found the tracker hard to keep.",
            learnings="Tracking participation did not change how groups work; the task structure matters more.",
            decision=ActDecisionKind.ABANDON,
            rationale="Drop the tracker; test structured group roles instead.",
        ),
        CycleScript(
            strategy="Group role cards (facilitator, recorder, reporter, checker) with an accountability checklist",
            evidence=[
                ("intervention_record", "Monthly discipline report", SUSPENSIONS_MEASURE, 8.0),
                ("intervention_record", "Monthly discipline report", SUSPENSIONS_MEASURE, 6.0),
                ("intervention_record", "Monthly discipline report", SUSPENSIONS_MEASURE, 6.0),
                ("artifact", "Completed checklists from 6 classes", None, None),
            ],
            implementation="Role cards used in math and science; checklists completed in about half of groups.",
            evidence_summary="Suspensions fell from 9 to 6 a month; checklists often left unfinished.",
            learnings="Roles help students with disabilities join in, but checklists need time at the end.",
            decision=ActDecisionKind.ADAPT,
            rationale="Keep the roles; reserve five minutes for the checklist and add co-teacher check-ins.",
        ),
        CycleScript(
            strategy="Group role cards plus co-teacher check-ins with students with IEPs",
            evidence=[
                ("intervention_record", "Monthly discipline report", SUSPENSIONS_MEASURE, 5.0),
                ("intervention_record", "Monthly discipline report", SUSPENSIONS_MEASURE, 4.0),
                ("intervention_record", "Monthly discipline report", SUSPENSIONS_MEASURE, 4.0),
            ],
            implementation="Co-teachers checked in with each group twice a lesson.",
            evidence_summary="Suspensions at 4 a month, the lowest in three years.",
            learnings="Check-ins keep students with IEPs in their group role instead of waiting for the teacher.",
            decision=ActDecisionKind.KEEP,
            rationale="Keep role cards and check-ins; revisit the checklist wording with students.",
        ),
    ],
    JEFFERSON: [
        CycleScript(
            strategy="Higher-order question stems planned into every math lesson (explain, justify, critique)",
            evidence=[
                ("observation", "Walkthrough tally", QUESTIONS_MEASURE, 2.0),
                ("observation", "Walkthrough tally", QUESTIONS_MEASURE, 3.0),
                ("observation", "Walkthrough tally", QUESTIONS_MEASURE, 3.0),
                ("observation", "Walkthrough tally", QUESTIONS_MEASURE, 4.0),
            ],
            implementation="Stems were printed on lesson plans; used most in 7th grade.",
            evidence_summary="Higher-order questions per lesson doubled from 2 to 4.",
            learnings="Planning the questions ahead is what makes them happen.",
            decision=ActDecisionKind.KEEP,
            rationale="Keep planned stems and add a routine for students to critique reasoning.",
        ),
        CycleScript(
            strategy="Planned question stems plus a 'convince a partner' routine for critiquing reasoning",
            evidence=[
                ("observation", "Walkthrough tally", QUESTIONS_MEASURE, 4.0),
                ("observation", "Walkthrough tally", QUESTIONS_MEASURE, 5.0),
            ],
            implementation="Routine used twice a week.",
            evidence_summary="Five higher-order questions per lesson in the last walkthrough.",
            learnings="Students explain more when they first convince one partner.",
            decision=None,
        ),
    ],
}

SSC_REPORTS = {LINCOLN: 3, ROOSEVELT: 2, JEFFERSON: 1}
MEMBERS = {
    LINCOLN: {"U0001": Role.IMPLEMENTING_TEACHER, "U0002": Role.OBSERVER, "U0003": Role.NOTE_TAKER,
              "U0004": Role.SITE_DECISION_MAKER},
    ROOSEVELT: {"U0011": Role.IMPLEMENTING_TEACHER, "U0012": Role.OBSERVER, "U0013": Role.NOTE_TAKER,
                "U0014": Role.SITE_DECISION_MAKER},
    JEFFERSON: {"U0021": Role.IMPLEMENTING_TEACHER, "U0022": Role.OBSERVER, "U0023": Role.NOTE_TAKER,
                "U0024": Role.SITE_DECISION_MAKER},
}


@dataclass(frozen=True)
class SeededYear:
    cop: Cop
    schools: dict[str, SchoolTeam]
    today: date = TODAY


def at(day: date, hour: int = 17) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def seed_school_year(session: Session, *, team_id: str = "T0001", channel_id: str = "C0001",
                     facilitator: str = "UFAC1", name: str = "Middle School Engagement CoP") -> SeededYear:
    """Three schools through the 2025-26 year (see the module docstring); committed."""
    cop = make_cop(session, team_id=team_id, channel_id=channel_id, facilitator=facilitator, name=name)
    schools = {school: make_school_team(session, cop, school, members=MEMBERS[school]) for school in SCRIPTS}
    for school, team in schools.items():
        _run_cycles(session, team, SCRIPTS[school])
        _file_ssc_reports(session, team, SSC_REPORTS[school])
    session.commit()
    return SeededYear(cop=cop, schools=schools)


def _run_cycles(session: Session, team: SchoolTeam, scripts: list[CycleScript]) -> None:
    user = next(iter(MEMBERS[team.school_name]))
    cycle = cycles.open_cycle(session, team_id=team.team_id, school_team_id=team.id, school_year=SCHOOL_YEAR,
                              plan_on=CONVENINGS[0], study_on=CONVENINGS[1])
    for number, script in enumerate(scripts, start=1):
        plan_on, study_on = CONVENINGS[number - 1], CONVENINGS[number]
        plan = cycles.record_plan(
            session, cycle=cycle, user_id=user, strategy=script.strategy,
            shared_learning="Article study: Zwiers & Crawford, Academic Conversations",
            evidence_adult_practice="Peer observation of the strategy in use",
            evidence_student_impact="Student work and the measure tracked weekly",
            evidence_methods=["observation", "student_work"],
        )
        plan.updated_at = at(plan_on)
        for kind, day in do_meeting_due_dates(plan_on, study_on).items():
            meeting = cycles.record_do_meeting(session, cycle=cycle, user_id=user, kind=kind, held_on=day,
                                               attendees=list(MEMBERS[team.school_name]), notes=f"{kind.label}.")
            meeting.recorded_at = at(day)
        _add_evidence(session, cycle, script, plan_on, study_on, user)
        study = cycles.record_study(session, cycle=cycle, user_id=user, implementation=script.implementation,
                                    evidence_summary=script.evidence_summary, learnings=script.learnings)
        study.recorded_at = at(study_on)
        if script.decision is None:
            break
        next_study = CONVENINGS[number + 1] if number + 1 < len(CONVENINGS) else None
        outcome = cycles.record_act(session, cycle=cycle, user_id=user, decision=script.decision,
                                    rationale=script.rationale, next_plan_on=study_on, next_study_on=next_study)
        outcome.decision.decided_at = at(study_on, 20)
        cycle.closed_at = at(study_on, 20)
        outcome.next_cycle.opened_at = at(study_on, 20)
        session.add_all([outcome.decision, cycle, outcome.next_cycle])
        cycle = outcome.next_cycle
    session.flush()


def _add_evidence(session: Session, cycle, script: CycleScript, plan_on: date, study_on: date, user: str) -> None:
    measured = [item for item in script.evidence if item[2]]
    step = (study_on - plan_on).days // (len(measured) + 1)
    per_measure: dict[str, int] = {}
    for kind, description, measure, value in script.evidence:
        focus = EvidenceFocus.ADULT_PRACTICE if kind == "observation" else EvidenceFocus.STUDENT_IMPACT
        measured_on = None
        if measure:
            per_measure[measure] = per_measure.get(measure, 0) + 1
            measured_on = plan_on + timedelta(days=7 + step * per_measure[measure])
        session.add(EvidenceItem(
            team_id=cycle.team_id, cycle_id=cycle.id, focus=focus, kind=EvidenceKind(kind), description=description,
            measure_name=measure, measured_value=value, measured_on=measured_on, recorded_by=user,
            recorded_at=at(measured_on or plan_on + timedelta(days=20)),
        ))


def _file_ssc_reports(session: Session, team: SchoolTeam, count: int) -> None:
    convenings = session.exec(
        Convening.__table__.select().where(Convening.cop_id == team.cop_id).order_by(Convening.held_on)
    ).all()
    for convening in convenings[1:count + 1]:
        session.add(SscReport(
            team_id=team.team_id, school_team_id=team.id, convening_id=convening.id,
            reported_on=convening.held_on + timedelta(days=10),
            key_learnings="Shared the cycle's learnings and evidence with the School Site Council.",
            ssc_feedback="The SSC asked to see the measure again after the next cycle.",
            plan_changes="Added the strategy to the School Improvement Plan's instructional goal.",
            recorded_by=next(iter(MEMBERS[team.school_name])), recorded_at=at(convening.held_on + timedelta(days=10)),
        ))
    session.flush()
