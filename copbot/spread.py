"""Spreading what works: a strategy a team keeps or scales, suggested to teams with a similar problem.

A school team matches when its problem of practice shares, with the deciding team's, its CoP's
focus area, a student subgroup, or an index metric (compared without regard to case). Only teams
of the same workspace are considered, never the deciding team, and each team hears of a strategy
at most once: a ``SpreadSuggestion`` row is inserted (unique per Act decision and team) before the
suggestion is returned for sending, and a team already told of the same strategy by the same
school in an earlier cycle is skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from copbot.errors import NotFound
from copbot.vocabulary import ActDecisionKind, EvidenceFocus
from storage.models import (
    ActDecision,
    Cop,
    Cycle,
    EvidenceItem,
    Membership,
    Plan,
    ProblemOfPractice,
    SchoolTeam,
    SpreadSuggestion,
    StudyReflection,
)

SPREADING = {ActDecisionKind.KEEP, ActDecisionKind.SCALE}
SEEDED_PREFIX = re.compile(r"^(keep|scale|adapt)\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Common:
    """What two teams' problems of practice share."""

    focus_area: str | None
    subgroups: list[str]
    metrics: list[str]


@dataclass(frozen=True)
class Suggestion:
    """One message to send: ``source_school``'s strategy, to ``school_team_id``'s CoP channel."""

    school_team_id: int
    school_name: str
    channel_id: str | None
    member_ids: list[str]
    source_school: str
    source_cycle_id: int
    cycle_number: int
    school_year: str
    decision: ActDecisionKind
    decided_by: str
    strategy: str
    common: Common
    evidence_counts: dict[EvidenceFocus, int]
    learnings: str


@dataclass(frozen=True)
class _Profile:
    team: SchoolTeam
    cop: Cop
    focus_area: str
    subgroups: dict[str, str]  # casefolded -> as written
    metrics: dict[str, str]


def strategy_key(strategy: str) -> str:
    """A strategy's text for comparison: without the "Keep:"/"Scale:" a seeded Plan adds, case or spacing."""
    return " ".join(SEEDED_PREFIX.sub("", strategy.strip()).casefold().split())


def _folded(values: list[str]) -> dict[str, str]:
    return {value.strip().casefold(): value.strip() for value in values if value and value.strip()}


def _profiles(session: Session, *, team_id: str) -> dict[int, _Profile]:
    rows = session.exec(
        select(SchoolTeam, Cop, ProblemOfPractice)
        .join(Cop, Cop.id == SchoolTeam.cop_id)
        .join(ProblemOfPractice, ProblemOfPractice.school_team_id == SchoolTeam.id, isouter=True)
        .where(SchoolTeam.team_id == team_id, Cop.team_id == team_id)
    ).all()
    profiles = {}
    for team, cop, pop in rows:
        subgroups = list(team.subgroups or []) + list(pop.subgroups if pop else [])
        metrics = list(pop.index_metrics if pop else [])
        profiles[team.id] = _Profile(team=team, cop=cop, focus_area=cop.focus_area.strip(),
                                     subgroups=_folded(subgroups), metrics=_folded(metrics))
    return profiles


def _common(source: _Profile, other: _Profile) -> Common | None:
    focus = source.focus_area if source.focus_area and source.focus_area.casefold() == other.focus_area.casefold() \
        else None
    subgroups = [source.subgroups[key] for key in source.subgroups if key in other.subgroups]
    metrics = [source.metrics[key] for key in source.metrics if key in other.metrics]
    if focus is None and not subgroups and not metrics:
        return None
    return Common(focus_area=focus, subgroups=subgroups, metrics=metrics)


def _already_told(session: Session, *, team_id: str, source_team_id: int, key: str) -> set[int]:
    """Teams that already had this school's strategy suggested (any earlier Act decision)."""
    rows = session.exec(
        select(SpreadSuggestion.school_team_id, Plan.strategy)
        .join(ActDecision, ActDecision.id == SpreadSuggestion.act_decision_id)
        .join(Cycle, Cycle.id == ActDecision.cycle_id)
        .join(Plan, Plan.cycle_id == Cycle.id)
        .where(SpreadSuggestion.team_id == team_id, Cycle.team_id == team_id,
               Cycle.school_team_id == source_team_id)
    ).all()
    return {school_team_id for school_team_id, strategy in rows if strategy_key(strategy) == key}


def _record(session: Session, *, team_id: str, act_decision_id: int, school_team_id: int) -> bool:
    """Insert the once-only row; False when another delivery already inserted it."""
    try:
        with session.begin_nested():
            session.add(SpreadSuggestion(team_id=team_id, act_decision_id=act_decision_id,
                                         school_team_id=school_team_id))
            session.flush()
    except IntegrityError:
        return False
    return True


def suggest_strategy(session: Session, *, team_id: str, act_decision_id: int) -> list[Suggestion]:
    """The suggestions to send for a keep/scale Act decision, each recorded so it is sent only once."""
    act = session.exec(
        select(ActDecision).where(ActDecision.team_id == team_id, ActDecision.id == act_decision_id)
    ).first()
    if act is None:
        raise NotFound("That Act decision does not exist in this workspace.")
    if act.decision not in SPREADING:
        return []
    cycle = session.exec(select(Cycle).where(Cycle.team_id == team_id, Cycle.id == act.cycle_id)).one()
    plan = session.exec(select(Plan).where(Plan.team_id == team_id, Plan.cycle_id == cycle.id)).first()
    if plan is None or not plan.strategy.strip():
        return []
    profiles = _profiles(session, team_id=team_id)
    source = profiles.get(cycle.school_team_id)
    if source is None:
        return []
    key = strategy_key(plan.strategy)
    told = _already_told(session, team_id=team_id, source_team_id=source.team.id, key=key)
    matches = []
    for other in sorted(profiles.values(), key=lambda p: p.team.school_name):
        if other.team.id == source.team.id or other.team.id in told:
            continue
        common = _common(source, other)
        if common is not None:
            matches.append((other, common))
    if not matches:
        return []
    counts, learnings = _evidence(session, team_id=team_id, cycle_id=cycle.id)
    members = _members(session, team_id=team_id, school_team_ids=[other.team.id for other, _ in matches])
    suggestions = []
    for other, common in matches:
        if not _record(session, team_id=team_id, act_decision_id=act.id, school_team_id=other.team.id):
            continue
        suggestions.append(Suggestion(
            school_team_id=other.team.id, school_name=other.team.school_name, channel_id=other.cop.channel_id,
            member_ids=members.get(other.team.id, []), source_school=source.team.school_name,
            source_cycle_id=cycle.id, cycle_number=cycle.number, school_year=cycle.school_year,
            decision=ActDecisionKind(act.decision), decided_by=act.decided_by,
            strategy=SEEDED_PREFIX.sub("", plan.strategy.strip()), common=common, evidence_counts=counts,
            learnings=learnings,
        ))
    return suggestions


def _evidence(session: Session, *, team_id: str, cycle_id: int) -> tuple[dict[EvidenceFocus, int], str]:
    foci = session.exec(
        select(EvidenceItem.focus).where(EvidenceItem.team_id == team_id, EvidenceItem.cycle_id == cycle_id)
    ).all()
    counted = Counter(foci)
    counts = {focus: counted.get(focus.value, 0) for focus in EvidenceFocus}
    study = session.exec(
        select(StudyReflection).where(StudyReflection.team_id == team_id, StudyReflection.cycle_id == cycle_id)
    ).first()
    return counts, study.learnings if study else ""


def _members(session: Session, *, team_id: str, school_team_ids: list[int]) -> dict[int, list[str]]:
    rows = session.exec(
        select(Membership.school_team_id, Membership.user_id)
        .where(Membership.team_id == team_id, Membership.school_team_id.in_(school_team_ids))
        .order_by(Membership.id)
    ).all()
    members: dict[int, list[str]] = {}
    for school_team_id, user_id in rows:
        if user_id not in members.setdefault(school_team_id, []):
            members[school_team_id].append(user_id)
    return members
