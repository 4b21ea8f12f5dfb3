"""PDSA cycle rules: which step may be recorded when, and how Act opens the next cycle.

Stages move plan -> do -> study -> act -> closed:
- saving the Plan (with a strategy) moves a cycle from plan to do;
- Do meetings and evidence belong to a cycle in do (evidence also in study);
- saving the Study moves the cycle from do or study to act;
- recording the Act decision closes the cycle and opens the next one, in plan, with the
  strategy carried over when the decision keeps, scales or adapts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from copbot.clock import utcnow
from copbot.errors import NotFound, UserError
from copbot.vocabulary import ActDecisionKind, DoMeetingKind, Stage
from storage.models import ActDecision, Convening, Cycle, DoMeeting, Plan, SchoolTeam, StudyReflection

CYCLES_PER_YEAR = 3
ORDER = [Stage.PLAN, Stage.DO, Stage.STUDY, Stage.ACT, Stage.CLOSED]
CARRY_STRATEGY = {ActDecisionKind.KEEP, ActDecisionKind.SCALE, ActDecisionKind.ADAPT}


def get_cycle(session: Session, *, team_id: str, cycle_id: int) -> Cycle:
    cycle = session.exec(select(Cycle).where(Cycle.team_id == team_id, Cycle.id == cycle_id)).first()
    if cycle is None:
        raise NotFound("That PDSA cycle does not exist in this workspace.")
    return cycle


def current_cycle(session: Session, *, team_id: str, school_team_id: int) -> Cycle | None:
    """The newest cycle of a school team that is not closed, if any."""
    return session.exec(
        select(Cycle)
        .where(Cycle.team_id == team_id, Cycle.school_team_id == school_team_id, Cycle.stage != Stage.CLOSED)
        .order_by(Cycle.opened_at.desc(), Cycle.id.desc())
    ).first()


def cycle_dates(session: Session, *, team_id: str, cop_id: int, number: int) -> tuple[date | None, date | None]:
    """(Plan convening, Study convening) of cycle ``number``: cycle n plans at the n-th convening
    of the CoP and studies at the next one (Aug/Nov/Jan/Mar gives three cycles)."""
    dates = list(session.exec(
        select(Convening.held_on).where(Convening.team_id == team_id, Convening.cop_id == cop_id)
        .order_by(Convening.held_on)
    ).all())
    plan_on = dates[number - 1] if number - 1 < len(dates) else None
    study_on = dates[number] if number < len(dates) else None
    return plan_on, study_on


def open_cycle(
    session: Session,
    *,
    team_id: str,
    school_team_id: int,
    school_year: str,
    plan_on: date | None = None,
    study_on: date | None = None,
    previous: Cycle | None = None,
) -> Cycle:
    """Open the next cycle of a school team for the school year; only one may be open at a time."""
    team = session.exec(
        select(SchoolTeam).where(SchoolTeam.team_id == team_id, SchoolTeam.id == school_team_id)
    ).first()
    if team is None:
        raise NotFound("That school team does not exist in this workspace.")
    if current_cycle(session, team_id=team_id, school_team_id=school_team_id) is not None:
        raise UserError(f"{team.school_name} already has an open cycle; finish it with Act first.")
    numbers = session.exec(
        select(Cycle.number).where(
            Cycle.team_id == team_id, Cycle.school_team_id == school_team_id, Cycle.school_year == school_year
        )
    ).all()
    cycle = Cycle(
        team_id=team_id,
        school_team_id=school_team_id,
        school_year=school_year,
        number=max(numbers, default=0) + 1,
        stage=Stage.PLAN,
        plan_on=plan_on,
        study_on=study_on,
        previous_cycle_id=previous.id if previous else None,
    )
    if plan_on and study_on and study_on <= plan_on:
        raise UserError("The Study convening must come after the Plan convening.", field="study_on")
    session.add(cycle)
    session.flush()
    return cycle


def _require_stage(cycle: Cycle, allowed: set[Stage], doing: str, field: str | None = None) -> None:
    if cycle.stage not in allowed:
        stage = Stage(cycle.stage)
        if stage is Stage.CLOSED:
            raise UserError(f"Cycle {cycle.number} is closed: {doing} is no longer possible.", field=field)
        wanted = " or ".join(s.label for s in ORDER if s in allowed)
        raise UserError(
            f"Cycle {cycle.number} is in {stage.label}; {doing} needs a cycle in {wanted}.", field=field
        )


def record_plan(
    session: Session,
    *,
    cycle: Cycle,
    user_id: str,
    strategy: str,
    shared_learning: str = "",
    evidence_adult_practice: str = "",
    evidence_student_impact: str = "",
    evidence_methods: list[str] | None = None,
    prediction: str = "",
) -> Plan:
    """Save (or revise) the Plan. A cycle in plan moves to do; a Plan can be revised until Study."""
    _require_stage(cycle, {Stage.PLAN, Stage.DO}, "recording the Plan", field="strategy")
    if not strategy.strip():
        raise UserError("Name the strategy the team will test.", field="strategy")
    if not (evidence_adult_practice.strip() or evidence_student_impact.strip()):
        raise UserError(
            "Say what evidence you will collect: adult practice, student impact, or both.",
            field="evidence_adult_practice",
        )
    plan = session.exec(select(Plan).where(Plan.cycle_id == cycle.id)).first() or Plan(
        team_id=cycle.team_id, cycle_id=cycle.id
    )
    plan.strategy = strategy.strip()
    plan.shared_learning = shared_learning.strip()
    plan.evidence_adult_practice = evidence_adult_practice.strip()
    plan.evidence_student_impact = evidence_student_impact.strip()
    plan.evidence_methods = list(evidence_methods or [])
    plan.prediction = prediction.strip()
    plan.recorded_by = user_id
    plan.updated_at = utcnow()
    session.add(plan)
    if cycle.stage == Stage.PLAN:
        cycle.stage = Stage.DO
        session.add(cycle)
    session.flush()
    return plan


def record_do_meeting(
    session: Session,
    *,
    cycle: Cycle,
    user_id: str,
    kind: DoMeetingKind,
    held_on: date,
    attendees: list[str],
    notes: str,
) -> DoMeeting:
    """Log (or correct) one of the three Do meetings; the cycle must be in Do."""
    _require_stage(cycle, {Stage.DO}, "logging a Do meeting", field="kind")
    if held_on > utcnow().date() + timedelta(days=1):
        raise UserError("A Do meeting can only be logged once it has been held.", field="held_on")
    meeting = session.exec(
        select(DoMeeting).where(DoMeeting.cycle_id == cycle.id, DoMeeting.kind == kind)
    ).first() or DoMeeting(team_id=cycle.team_id, cycle_id=cycle.id, kind=kind, held_on=held_on)
    meeting.held_on = held_on
    meeting.attendees = list(attendees)
    meeting.notes = notes.strip()
    meeting.recorded_by = user_id
    meeting.recorded_at = utcnow()
    session.add(meeting)
    session.flush()
    return meeting


def record_study(
    session: Session,
    *,
    cycle: Cycle,
    user_id: str,
    implementation: str,
    evidence_summary: str,
    learnings: str,
) -> StudyReflection:
    """Save the Study reflection; the cycle moves on to Act."""
    _require_stage(cycle, {Stage.DO, Stage.STUDY, Stage.ACT}, "recording the Study", field="learnings")
    if not learnings.strip():
        raise UserError("Write down what the team learned.", field="learnings")
    study = session.exec(select(StudyReflection).where(StudyReflection.cycle_id == cycle.id)).first()
    study = study or StudyReflection(team_id=cycle.team_id, cycle_id=cycle.id)
    study.implementation = implementation.strip()
    study.evidence_summary = evidence_summary.strip()
    study.learnings = learnings.strip()
    study.recorded_by = user_id
    study.recorded_at = utcnow()
    session.add(study)
    cycle.stage = Stage.ACT
    session.add(cycle)
    session.flush()
    return study


@dataclass(frozen=True)
class ActOutcome:
    decision: ActDecision
    next_cycle: Cycle


def record_act(
    session: Session,
    *,
    cycle: Cycle,
    user_id: str,
    decision: ActDecisionKind,
    rationale: str,
    next_plan_on: date | None = None,
    next_study_on: date | None = None,
) -> ActOutcome:
    """Record the Act decision, close the cycle and open the next one with its Plan seeded."""
    _require_stage(cycle, {Stage.ACT}, "recording the Act decision", field="decision")
    if not rationale.strip():
        raise UserError("Say why the team made this decision.", field="rationale")
    act = ActDecision(
        team_id=cycle.team_id, cycle_id=cycle.id, decision=decision, rationale=rationale.strip(), decided_by=user_id
    )
    cycle.stage = Stage.CLOSED
    cycle.closed_at = utcnow()
    session.add_all([act, cycle])
    session.flush()
    next_cycle = open_cycle(
        session,
        team_id=cycle.team_id,
        school_team_id=cycle.school_team_id,
        school_year=cycle.school_year,
        plan_on=next_plan_on,
        study_on=next_study_on,
        previous=cycle,
    )
    act.next_cycle_id = next_cycle.id
    session.add(act)
    session.flush()
    return ActOutcome(decision=act, next_cycle=next_cycle)


def plan_for_editing(session: Session, *, cycle: Cycle) -> Plan | None:
    """The cycle's saved Plan, or else a draft seeded from the previous cycle's Act decision.

    The draft is not added to the session: it only pre-fills the Plan form.
    """
    saved = session.exec(select(Plan).where(Plan.cycle_id == cycle.id)).first()
    if saved is not None or cycle.previous_cycle_id is None:
        return saved
    previous = session.get(Cycle, cycle.previous_cycle_id)
    act = session.exec(select(ActDecision).where(ActDecision.cycle_id == cycle.previous_cycle_id)).first()
    old = session.exec(select(Plan).where(Plan.cycle_id == cycle.previous_cycle_id)).first()
    if previous is None or act is None or old is None:
        return None
    return _seeded_plan(previous=previous, next_cycle=cycle, act=act, old=old)


def _seeded_plan(*, previous: Cycle, next_cycle: Cycle, act: ActDecision, old: Plan) -> Plan:
    decision = ActDecisionKind(act.decision)
    carry = decision in CARRY_STRATEGY
    verb = {"keep": "Keep", "scale": "Scale", "adapt": "Adapt"}.get(decision.value, "")
    return Plan(
        team_id=next_cycle.team_id,
        cycle_id=next_cycle.id,
        strategy=f"{verb}: {old.strategy}" if carry else "",
        shared_learning=(
            f"From cycle {previous.number} ({decision.label.lower()}): {act.rationale}"
        ),
        evidence_adult_practice=old.evidence_adult_practice if carry else "",
        evidence_student_impact=old.evidence_student_impact if carry else "",
        evidence_methods=list(old.evidence_methods) if carry else [],
        recorded_by="",
    )


def default_do_meeting_dates(plan_on: date, study_on: date) -> dict[DoMeetingKind, date]:
    """When each Do meeting falls due between two convenings.

    Game plan: a sixth of the way in (at most two weeks after Plan); mid-stream: half way;
    end-of-cycle: a week before Study (or the day before, in a short cycle).
    """
    span = (study_on - plan_on).days
    if span < 3:
        raise UserError("Plan and Study convenings must be at least three days apart.")
    game_plan = plan_on + timedelta(days=max(1, min(14, span // 6)))
    mid = plan_on + timedelta(days=span // 2)
    end = study_on - timedelta(days=7 if span >= 28 else 1)
    return {DoMeetingKind.GAME_PLAN: game_plan, DoMeetingKind.MID_STREAM: mid, DoMeetingKind.END_OF_CYCLE: end}
