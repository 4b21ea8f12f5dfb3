"""What the reports say, gathered into plain dataclasses (rendering lives in messages/reports.py).

- ``ssc_summary``: one page for a school's School Site Council after the latest convening.
- ``improvement_plan_summary``: the year-end School Improvement Plan summary of one school.
- ``district_summary``: every strategy tested in the CoPs a facilitator facilitates (all CoPs for
  workspace admins), grouped by focus area and subgroup into what worked and what did not.

A report with nothing to say raises ``MissingData`` naming what is missing, so no empty file is
ever uploaded. Every query filters on the workspace (``team_id``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from copbot.clock import in_zone
from copbot.errors import NotAllowed, UserError
from copbot.vocabulary import ActDecisionKind, EvidenceFocus, Role, SupportType
from storage.models import (
    ActDecision,
    Convening,
    Cop,
    Cycle,
    EvidenceItem,
    Membership,
    Plan,
    ProblemOfPractice,
    SchoolTeam,
    SscReport,
    StudyReflection,
)

HIGHLIGHTS = 5
WORKED = {ActDecisionKind.KEEP, ActDecisionKind.SCALE}
CHANGED = {ActDecisionKind.ADAPT, ActDecisionKind.START}
DID_NOT_WORK = {ActDecisionKind.STOP, ActDecisionKind.ABANDON}
INTERVENTION_ORDER = [ActDecisionKind.SCALE, ActDecisionKind.KEEP, ActDecisionKind.ADAPT, ActDecisionKind.START,
                      ActDecisionKind.STOP, ActDecisionKind.ABANDON]
INTERVENTION_HEADINGS = {
    ActDecisionKind.SCALE: "Scaled", ActDecisionKind.KEEP: "Kept", ActDecisionKind.ADAPT: "Adapted",
    ActDecisionKind.START: "Started", ActDecisionKind.STOP: "Stopped", ActDecisionKind.ABANDON: "Abandoned",
}
ALL_STUDENTS = "All students"
NO_FOCUS_AREA = "No focus area named"


class MissingData(UserError):
    """The report cannot be made yet; ``missing`` lists what has to be recorded first."""

    def __init__(self, message: str, *, missing: list[str]) -> None:
        super().__init__(message)
        self.missing = missing


# ----- shared pieces -----

@dataclass(frozen=True)
class ProblemSummary:
    statement: str
    subgroups: list[str]
    index_metrics: list[str]
    classroom_practice: str
    focus_questions: str


@dataclass(frozen=True)
class MeasureChange:
    name: str
    first: float
    last: float
    count: int
    first_on: date | None
    last_on: date | None


@dataclass(frozen=True)
class EvidenceHighlights:
    adult_practice: int
    student_impact: int
    items: list[str]
    measures: list[MeasureChange]

    @property
    def total(self) -> int:
        return self.adult_practice + self.student_impact


@dataclass(frozen=True)
class CycleRecord:
    """One cycle as the reports see it."""

    number: int
    school_year: str
    plan_on: date | None
    study_on: date | None
    strategy: str
    shared_learning: str
    implementation: str
    evidence_summary: str
    learnings: str
    decision: ActDecisionKind | None
    rationale: str
    decided_on: date | None
    evidence: EvidenceHighlights

    @property
    def decision_label(self) -> str:
        return self.decision.label if self.decision else "Not decided yet"


def _problem(session: Session, *, team_id: str, school_team_id: int) -> ProblemSummary | None:
    pop = session.exec(select(ProblemOfPractice).where(
        ProblemOfPractice.team_id == team_id, ProblemOfPractice.school_team_id == school_team_id)).first()
    if pop is None or not pop.statement.strip():
        return None
    return ProblemSummary(pop.statement, list(pop.subgroups), list(pop.index_metrics), pop.classroom_practice,
                          pop.focus_questions)


def _evidence(items: list[EvidenceItem]) -> EvidenceHighlights:
    adult = sum(1 for item in items if item.focus == EvidenceFocus.ADULT_PRACTICE)
    measured: dict[str, list[EvidenceItem]] = defaultdict(list)
    for item in items:
        if item.measure_name and item.measured_value is not None:
            measured[item.measure_name].append(item)
    measures = []
    for name, rows in sorted(measured.items()):
        rows.sort(key=lambda r: (r.measured_on or r.recorded_at.date(), r.id or 0))
        measures.append(MeasureChange(name, rows[0].measured_value, rows[-1].measured_value, len(rows),
                                      rows[0].measured_on, rows[-1].measured_on))
    unmeasured = [item.description for item in items if not item.measure_name and item.description.strip()]
    return EvidenceHighlights(adult, len(items) - adult, unmeasured[:HIGHLIGHTS], measures)


def _cycle_records(session: Session, *, team_id: str, school_team_id: int, timezone: str,
                   school_year: str | None = None) -> list[CycleRecord]:
    """Cycles of a school team that have a Plan, oldest first, with Study, Act and evidence."""
    query = (
        select(Cycle, Plan, StudyReflection, ActDecision)
        .join(Plan, Plan.cycle_id == Cycle.id)
        .outerjoin(StudyReflection, StudyReflection.cycle_id == Cycle.id)
        .outerjoin(ActDecision, ActDecision.cycle_id == Cycle.id)
        .where(Cycle.team_id == team_id, Cycle.school_team_id == school_team_id)
        .order_by(Cycle.school_year, Cycle.number)
    )
    if school_year:
        query = query.where(Cycle.school_year == school_year)
    rows = session.exec(query).all()
    cycle_ids = [cycle.id for cycle, *_ in rows]
    evidence: dict[int, list[EvidenceItem]] = defaultdict(list)
    if cycle_ids:
        for item in session.exec(select(EvidenceItem).where(
                EvidenceItem.team_id == team_id, EvidenceItem.cycle_id.in_(cycle_ids)).order_by(EvidenceItem.id)):
            evidence[item.cycle_id].append(item)
    return [
        CycleRecord(
            number=cycle.number, school_year=cycle.school_year, plan_on=cycle.plan_on, study_on=cycle.study_on,
            strategy=plan.strategy, shared_learning=plan.shared_learning,
            implementation=study.implementation if study else "",
            evidence_summary=study.evidence_summary if study else "",
            learnings=study.learnings if study else "",
            decision=ActDecisionKind(act.decision) if act else None,
            rationale=act.rationale if act else "",
            decided_on=in_zone(act.decided_at, timezone).date() if act else None,
            evidence=_evidence(evidence[cycle.id]),
        )
        for cycle, plan, study, act in rows
    ]


def _school(session: Session, *, team_id: str, school_team_id: int) -> tuple[SchoolTeam, Cop]:
    row = session.exec(
        select(SchoolTeam, Cop).join(Cop, Cop.id == SchoolTeam.cop_id)
        .where(SchoolTeam.team_id == team_id, SchoolTeam.id == school_team_id)
    ).first()
    if row is None:
        raise UserError("That school team does not exist in this workspace.")
    return row[0], row[1]


def _missing(what: str, school: str, missing: list[str]) -> MissingData:
    listed = "; ".join(missing)
    return MissingData(f"There is nothing to put in {school}'s {what} yet. Missing: {listed}.", missing=missing)


# ----- SSC summary -----

@dataclass(frozen=True)
class SscSummary:
    school: str
    district: str
    cop_name: str
    school_year: str
    convening_on: date | None
    next_convening_on: date | None
    problem: ProblemSummary
    cycle: CycleRecord
    next_steps: list[str]
    prepared_on: date


def ssc_summary(session: Session, *, team_id: str, school_team_id: int, today: date) -> SscSummary:
    """The School Site Council summary after the latest convening held by ``today``."""
    team, cop = _school(session, team_id=team_id, school_team_id=school_team_id)
    problem = _problem(session, team_id=team_id, school_team_id=school_team_id)
    records = _cycle_records(session, team_id=team_id, school_team_id=school_team_id, timezone=cop.timezone)
    missing = []
    if problem is None:
        missing.append("the problem of practice (`/pdsa pop`)")
    if not records:
        missing.append("a Plan naming the strategy tested (`/pdsa plan`)")
    if problem is None or not records:
        raise _missing("School Site Council summary", team.school_name, missing)
    convenings = list(session.exec(select(Convening.held_on).where(
        Convening.team_id == team_id, Convening.cop_id == cop.id).order_by(Convening.held_on)).all())
    latest = max((day for day in convenings if day <= today), default=None)
    upcoming = min((day for day in convenings if day > today), default=None)
    studied = [r for r in records if r.learnings and (latest is None or r.study_on is None or r.study_on <= latest)]
    cycle = studied[-1] if studied else records[-1]
    following = next((r for r in records if (r.school_year, r.number) > (cycle.school_year, cycle.number)), None)
    return SscSummary(
        school=team.school_name, district=team.district, cop_name=cop.name, school_year=cycle.school_year,
        convening_on=latest, next_convening_on=upcoming, problem=problem, cycle=cycle,
        next_steps=_next_steps(cycle, following, upcoming), prepared_on=today,
    )


def _next_steps(cycle: CycleRecord, following: CycleRecord | None, upcoming: date | None) -> list[str]:
    steps = []
    if cycle.decision is None:
        if cycle.learnings:
            steps.append("Decide at Act whether to keep, adapt, scale or stop the strategy.")
        else:
            steps.append(f"Finish cycle {cycle.number}: hold the Do meetings, collect evidence, then Study it "
                         "with the CoP.")
    elif following is not None:
        steps.append(f"Cycle {following.number} tests: {following.strategy}")
    elif cycle.decision in WORKED | CHANGED:
        steps.append(f"Plan cycle {cycle.number + 1} to {cycle.decision.label.lower()} this strategy, "
                     "as decided above.")
    else:
        steps.append(f"Plan cycle {cycle.number + 1} with a different strategy.")
    steps.append("Revise the School Improvement Plan with the School Site Council in light of these learnings.")
    if upcoming is not None:
        steps.append(f"Next CoP convening: {upcoming:%B} {upcoming.day}, {upcoming.year}.")
    return steps


# ----- School Improvement Plan summary -----

@dataclass(frozen=True)
class Intervention:
    strategy: str
    cycle_number: int
    decided_on: date | None
    rationale: str


@dataclass(frozen=True)
class InterventionGroup:
    heading: str
    decision: ActDecisionKind
    interventions: list[Intervention]


@dataclass(frozen=True)
class PlanSummary:
    school: str
    district: str
    support_type: str
    cop_name: str
    school_year: str
    problem: ProblemSummary | None
    cycles: list[CycleRecord]
    interventions: list[InterventionGroup]
    ssc_reports_on: list[date]
    prepared_on: date


def improvement_plan_summary(session: Session, *, team_id: str, school_team_id: int, today: date) -> PlanSummary:
    """The year-end School Improvement Plan summary for the CoP's school year."""
    team, cop = _school(session, team_id=team_id, school_team_id=school_team_id)
    records = _cycle_records(session, team_id=team_id, school_team_id=school_team_id, timezone=cop.timezone,
                             school_year=cop.school_year)
    decided = [r for r in records if r.decision is not None]
    if not decided:
        missing = [] if records else [f"a Plan for a cycle in {cop.school_year} (`/pdsa plan`)"]
        missing.append("an Act decision closing at least one cycle (`/pdsa act`)")
        raise _missing(f"{cop.school_year} School Improvement Plan summary", team.school_name, missing)
    groups = []
    for kind in INTERVENTION_ORDER:
        chosen = [Intervention(r.strategy, r.number, r.decided_on, r.rationale) for r in decided if r.decision is kind]
        if chosen:
            groups.append(InterventionGroup(INTERVENTION_HEADINGS[kind], kind, chosen))
    reports = session.exec(select(SscReport.reported_on).where(
        SscReport.team_id == team_id, SscReport.school_team_id == school_team_id).order_by(SscReport.reported_on))
    return PlanSummary(
        school=team.school_name, district=team.district, support_type=SupportType(team.support_type).label,
        cop_name=cop.name, school_year=cop.school_year,
        problem=_problem(session, team_id=team_id, school_team_id=school_team_id), cycles=records,
        interventions=groups, ssc_reports_on=list(reports.all()), prepared_on=today,
    )


# ----- district "what worked" -----

@dataclass(frozen=True)
class StrategyOutcome:
    school: str
    cop_name: str
    school_year: str
    cycle_number: int
    strategy: str
    decision: ActDecisionKind | None
    decided_on: date | None
    evidence_count: int
    measured_count: int
    learnings: str

    @property
    def decision_label(self) -> str:
        return self.decision.label if self.decision else "Not decided yet"


@dataclass
class SubgroupOutcomes:
    subgroup: str
    worked: list[StrategyOutcome] = field(default_factory=list)
    changed: list[StrategyOutcome] = field(default_factory=list)
    did_not_work: list[StrategyOutcome] = field(default_factory=list)
    testing: list[StrategyOutcome] = field(default_factory=list)


@dataclass(frozen=True)
class FocusAreaOutcomes:
    focus_area: str
    subgroups: list[SubgroupOutcomes]


@dataclass(frozen=True)
class DistrictSummary:
    cop_names: list[str]
    school_count: int
    strategy_count: int
    focus_areas: list[FocusAreaOutcomes]
    prepared_on: date
    everyone: bool  # a workspace admin's view of every CoP


def facilitated_cop_ids(session: Session, *, team_id: str, user_id: str) -> list[int]:
    return list(session.exec(select(Membership.cop_id).where(
        Membership.team_id == team_id, Membership.user_id == user_id, Membership.role == Role.FACILITATOR
    ).distinct()).all())


def district_summary(session: Session, *, team_id: str, user_id: str, is_workspace_admin: bool,
                     today: date) -> DistrictSummary:
    """What worked and what did not, across the CoPs the person facilitates (every CoP for admins)."""
    query = select(Cop).where(Cop.team_id == team_id)
    if not is_workspace_admin:
        cop_ids = facilitated_cop_ids(session, team_id=team_id, user_id=user_id)
        if not cop_ids:
            raise NotAllowed("Only CoP facilitators and workspace admins can see the district report.")
        query = query.where(Cop.id.in_(cop_ids))
    cops = {cop.id: cop for cop in session.exec(query.order_by(Cop.name)).all()}
    rows = session.exec(
        select(Cycle, Plan, SchoolTeam, StudyReflection, ActDecision, ProblemOfPractice)
        .join(Plan, Plan.cycle_id == Cycle.id)
        .join(SchoolTeam, SchoolTeam.id == Cycle.school_team_id)
        .outerjoin(StudyReflection, StudyReflection.cycle_id == Cycle.id)
        .outerjoin(ActDecision, ActDecision.cycle_id == Cycle.id)
        .outerjoin(ProblemOfPractice, ProblemOfPractice.school_team_id == SchoolTeam.id)
        .where(Cycle.team_id == team_id, SchoolTeam.cop_id.in_(list(cops)))
        .order_by(SchoolTeam.school_name, Cycle.school_year, Cycle.number)
    ).all() if cops else []
    if not rows:
        raise MissingData("No school team in the CoPs you facilitate has recorded a Plan yet, so there is no "
                          "strategy to report on. Missing: a Plan naming a strategy (`/pdsa plan`).",
                          missing=["a Plan naming a strategy (`/pdsa plan`)"])
    counts = _evidence_counts(session, team_id=team_id, cycle_ids=[cycle.id for cycle, *_ in rows])
    grouped: dict[str, dict[str, SubgroupOutcomes]] = defaultdict(dict)
    for cycle, plan, school, study, act, pop in rows:
        cop = cops[school.cop_id]
        outcome = StrategyOutcome(
            school=school.school_name, cop_name=cop.name, school_year=cycle.school_year, cycle_number=cycle.number,
            strategy=plan.strategy, decision=ActDecisionKind(act.decision) if act else None,
            decided_on=in_zone(act.decided_at, cop.timezone).date() if act else None,
            evidence_count=counts.get(cycle.id, (0, 0))[0], measured_count=counts.get(cycle.id, (0, 0))[1],
            learnings=study.learnings if study else "",
        )
        subgroups = (list(pop.subgroups) if pop and pop.subgroups else list(school.subgroups)) or [ALL_STUDENTS]
        for subgroup in subgroups:
            bucket = grouped[cop.focus_area.strip() or NO_FOCUS_AREA].setdefault(subgroup, SubgroupOutcomes(subgroup))
            _bucket_for(bucket, outcome.decision).append(outcome)
    focus_areas = [
        FocusAreaOutcomes(area, [grouped[area][name] for name in sorted(grouped[area])]) for area in sorted(grouped)
    ]
    return DistrictSummary(
        cop_names=[cop.name for cop in cops.values()],
        school_count=len({school.id for _, _, school, *_ in rows}),
        strategy_count=len(rows), focus_areas=focus_areas, prepared_on=today, everyone=is_workspace_admin,
    )


def _bucket_for(bucket: SubgroupOutcomes, decision: ActDecisionKind | None) -> list[StrategyOutcome]:
    if decision in WORKED:
        return bucket.worked
    if decision in CHANGED:
        return bucket.changed
    if decision in DID_NOT_WORK:
        return bucket.did_not_work
    return bucket.testing


def _evidence_counts(session: Session, *, team_id: str, cycle_ids: list[int]) -> dict[int, tuple[int, int]]:
    """cycle id -> (evidence items, items with a measured value), in one query."""
    rows = session.exec(
        select(EvidenceItem.cycle_id, func.count(EvidenceItem.id), func.count(EvidenceItem.measured_value))
        .where(EvidenceItem.team_id == team_id, EvidenceItem.cycle_id.in_(cycle_ids))
        .group_by(EvidenceItem.cycle_id)
    ).all()
    return {cycle_id: (total, measured) for cycle_id, total, measured in rows}
