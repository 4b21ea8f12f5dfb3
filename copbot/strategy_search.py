"""Searching every strategy tested in a workspace (for facilitators): ``/pdsa find <words>``.

A cycle matches when every word appears (ignoring case) in its Plan's strategy or shared
learning, its Study learnings or its Act rationale. Plain SQL LIKE per word, so the search runs
the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, or_, select

from copbot.errors import NotAllowed, UserError
from copbot.vocabulary import ActDecisionKind, Role
from storage.models import ActDecision, Cop, Cycle, EvidenceItem, Membership, Plan, SchoolTeam, StudyReflection

RESULT_LIMIT = 20
WORD_LIMIT = 10


@dataclass(frozen=True)
class StrategyHit:
    cycle_id: int
    school_name: str
    cop_name: str
    cycle_number: int
    school_year: str
    strategy: str
    decision: ActDecisionKind | None
    evidence_count: int


@dataclass(frozen=True)
class StrategySearch:
    words: list[str]
    hits: list[StrategyHit]
    more: bool  # there were more than ``RESULT_LIMIT`` matches


def search_words(text: str) -> list[str]:
    """The distinct words to look for, in order (at most ``WORD_LIMIT``)."""
    words: list[str] = []
    for word in text.split():
        word = word.strip("\"'“”‘’").casefold()
        if word and word not in words:
            words.append(word)
    return words[:WORD_LIMIT]


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def is_any_facilitator(session: Session, *, team_id: str, user_id: str) -> bool:
    return session.exec(
        select(Membership.id).where(Membership.team_id == team_id, Membership.user_id == user_id,
                                    Membership.role == Role.FACILITATOR)
    ).first() is not None


def search_strategies(session: Session, *, team_id: str, user_id: str, text: str,
                      limit: int = RESULT_LIMIT) -> StrategySearch:
    """Cycles of the workspace whose strategy texts contain all the words, newest first."""
    words = search_words(text)
    if not words:
        raise UserError("Say what to look for, e.g. `/pdsa find academic talk`.")
    if not is_any_facilitator(session, team_id=team_id, user_id=user_id):
        raise NotAllowed("Only CoP facilitators can search the strategies every team has tested.")
    evidence = (
        select(EvidenceItem.cycle_id, func.count(EvidenceItem.id).label("item_count"))
        .where(EvidenceItem.team_id == team_id).group_by(EvidenceItem.cycle_id).subquery()
    )
    query = (
        select(Cycle, SchoolTeam.school_name, Cop.name, Plan.strategy, ActDecision.decision, evidence.c.item_count)
        .join(SchoolTeam, SchoolTeam.id == Cycle.school_team_id)
        .join(Cop, Cop.id == SchoolTeam.cop_id)
        .join(Plan, Plan.cycle_id == Cycle.id)
        .join(StudyReflection, StudyReflection.cycle_id == Cycle.id, isouter=True)
        .join(ActDecision, ActDecision.cycle_id == Cycle.id, isouter=True)
        .join(evidence, evidence.c.cycle_id == Cycle.id, isouter=True)
        .where(Cycle.team_id == team_id, SchoolTeam.team_id == team_id, Cop.team_id == team_id,
               Plan.team_id == team_id)
    )
    for word in words:
        pattern = _like(word)
        query = query.where(or_(
            Plan.strategy.ilike(pattern, escape="\\"),
            Plan.shared_learning.ilike(pattern, escape="\\"),
            StudyReflection.learnings.ilike(pattern, escape="\\"),
            ActDecision.rationale.ilike(pattern, escape="\\"),
        ))
    rows = session.exec(query.order_by(Cycle.opened_at.desc(), Cycle.id.desc()).limit(limit + 1)).all()
    hits = [
        StrategyHit(cycle_id=cycle.id, school_name=school, cop_name=cop_name, cycle_number=cycle.number,
                    school_year=cycle.school_year, strategy=strategy,
                    decision=ActDecisionKind(decision) if decision else None, evidence_count=items or 0)
        for cycle, school, cop_name, strategy, decision, items in rows[:limit]
    ]
    return StrategySearch(words=words, hits=hits, more=len(rows) > limit)
