"""SQLModel tables for everything copbot records.

Conventions:
- every table carries ``team_id``: the Slack workspace (team) id the row belongs to;
  every query filters on it;
- datetimes are timezone-aware UTC (``copbot.clock.utcnow()``; SQLModel's UTCDateTime
  stores them so on SQLite and PostgreSQL alike); dates are calendar dates;
- enum-like columns hold the string values of ``copbot.vocabulary`` enums;
- list-like columns (subgroups, metrics, attendees) are JSON arrays.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from copbot.clock import utcnow


def json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


def long_text(nullable: bool = False) -> Any:
    if nullable:
        return Field(default=None, sa_column=Column(Text, nullable=True))
    return Field(default="", sa_column=Column(Text, nullable=False))


class Workspace(SQLModel, table=True):
    """A Slack workspace copbot is installed in."""

    team_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(default="", max_length=200)
    installed_at: datetime = Field(default_factory=utcnow)
    uninstalled_at: datetime | None = None


class Cop(SQLModel, table=True):
    """A Community of Practice: 2-4 school teams around a shared problem of practice."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    name: str = Field(max_length=200)
    focus_area: str = Field(default="", max_length=200)
    school_level: str = Field(default="ms", max_length=20)
    scope: str = Field(default="intra_district", max_length=20)
    districts: list[str] = json_list()
    channel_id: str | None = Field(default=None, index=True, max_length=32)
    school_year: str = Field(max_length=9)  # "2025-26"
    stage_of_development: str = Field(default="potential", max_length=20)
    timezone: str = Field(default="America/Los_Angeles", max_length=64)
    digest_weekday: int = 0  # Monday
    digest_hour: int = 8
    created_by: str = Field(default="", max_length=32)
    created_at: datetime = Field(default_factory=utcnow)


class Convening(SQLModel, table=True):
    """A CoP gathering: Plan for one cycle and Study of the previous one happen here."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    cop_id: int = Field(foreign_key="cop.id", index=True)
    held_on: date
    title: str = Field(default="", max_length=200)


class CalendarBreak(SQLModel, table=True):
    """School days off (holidays, breaks) when no reminder goes out and nothing falls due."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    cop_id: int = Field(foreign_key="cop.id", index=True)
    starts_on: date
    ends_on: date
    name: str = Field(default="", max_length=200)


class SchoolTeam(SQLModel, table=True):
    """One school's team in a CoP (4-7 educators)."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    cop_id: int = Field(foreign_key="cop.id", index=True)
    school_name: str = Field(max_length=200)
    district: str = Field(default="", max_length=200)
    support_type: str = Field(default="other_support", max_length=20)
    subgroups: list[str] = json_list()
    created_at: datetime = Field(default_factory=utcnow)


class Membership(SQLModel, table=True):
    """A person's role in a school team, or a facilitator's role in a CoP (school_team_id empty)."""

    __table_args__ = (UniqueConstraint("cop_id", "school_team_id", "user_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    cop_id: int = Field(foreign_key="cop.id", index=True)
    school_team_id: int | None = Field(default=None, foreign_key="schoolteam.id", index=True)
    user_id: str = Field(index=True, max_length=32)
    role: str = Field(max_length=32)


class SlackUser(SQLModel, table=True):
    """What copbot knows of a person: time zone (users.info) and reminder preferences."""

    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    user_id: str = Field(max_length=32)
    tz: str | None = Field(default=None, max_length=64)
    tz_checked_at: datetime | None = None
    quiet_start_hour: int | None = None
    quiet_end_hour: int | None = None
    muted_kinds: list[str] = json_list()
    deleted: bool = False


class ProblemOfPractice(SQLModel, table=True):
    """A school team's problem of practice and the needs assessment behind it."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    school_team_id: int = Field(foreign_key="schoolteam.id", unique=True)
    statement: str = long_text()
    quantitative_data: str = long_text()
    qualitative_data: str = long_text()
    index_metrics: list[str] = json_list()
    classroom_practice: str = long_text()
    subgroups: list[str] = json_list()
    focus_questions: str = long_text()
    # The five "rich PoP" checks (seeds/004).
    instructional_core: bool = False
    directly_observable: bool = False
    actionable: bool = False
    connects_to_strategy: bool = False
    high_leverage: bool = False
    updated_by: str = Field(default="", max_length=32)
    updated_at: datetime = Field(default_factory=utcnow)


class Cycle(SQLModel, table=True):
    """One PDSA cycle of a school team in a school year."""

    __table_args__ = (UniqueConstraint("school_team_id", "school_year", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    school_team_id: int = Field(foreign_key="schoolteam.id", index=True)
    school_year: str = Field(max_length=9)
    number: int
    stage: str = Field(default="plan", max_length=10, index=True)
    plan_on: date | None = None  # the convening where Plan happens
    study_on: date | None = None  # the convening where Study happens
    opened_at: datetime = Field(default_factory=utcnow)
    closed_at: datetime | None = None
    previous_cycle_id: int | None = Field(default=None, foreign_key="cycle.id")


class Plan(SQLModel, table=True):
    """The Plan step: shared learning, the strategy to test, the evidence plan."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    cycle_id: int = Field(foreign_key="cycle.id", unique=True)
    shared_learning: str = long_text()
    strategy: str = long_text()
    evidence_adult_practice: str = long_text()
    evidence_student_impact: str = long_text()
    evidence_methods: list[str] = json_list()
    prediction: str = long_text()
    recorded_by: str = Field(default="", max_length=32)
    updated_at: datetime = Field(default_factory=utcnow)


class LearningQuestion(SQLModel, table=True):
    """A question the cycle should answer, its prediction, and how it turned out."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    question: str = long_text()
    prediction: str = long_text()
    measure: str = Field(default="", max_length=200)
    result: str | None = Field(default=None, max_length=20)
    result_note: str = long_text()


class DoMeeting(SQLModel, table=True):
    """One of the three Do team meetings."""

    __table_args__ = (UniqueConstraint("cycle_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    kind: str = Field(max_length=20)
    held_on: date
    attendees: list[str] = json_list()
    notes: str = long_text()
    recorded_by: str = Field(default="", max_length=32)
    recorded_at: datetime = Field(default_factory=utcnow)


class EvidenceItem(SQLModel, table=True):
    """A piece of evidence collected during Do, optionally with a measured value for run charts."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    cycle_id: int = Field(foreign_key="cycle.id", index=True)
    focus: str = Field(max_length=20)
    kind: str = Field(max_length=30)
    description: str = long_text()
    link: str | None = Field(default=None, max_length=1000)
    source_channel: str | None = Field(default=None, max_length=32)
    source_ts: str | None = Field(default=None, max_length=32)
    measure_name: str | None = Field(default=None, max_length=200)
    measured_value: float | None = None
    measured_on: date | None = None
    recorded_by: str = Field(default="", max_length=32)
    recorded_at: datetime = Field(default_factory=utcnow)


class StudyReflection(SQLModel, table=True):
    """The Study step: what happened, what the evidence says, what the team learned."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    cycle_id: int = Field(foreign_key="cycle.id", unique=True)
    implementation: str = long_text()
    evidence_summary: str = long_text()
    learnings: str = long_text()
    recorded_by: str = Field(default="", max_length=32)
    recorded_at: datetime = Field(default_factory=utcnow)


class ActDecision(SQLModel, table=True):
    """The Act step: start/stop/keep/scale/adapt/abandon, which seeds the next cycle."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    cycle_id: int = Field(foreign_key="cycle.id", unique=True)
    decision: str = Field(max_length=10)
    rationale: str = long_text()
    next_cycle_id: int | None = Field(default=None, foreign_key="cycle.id")
    decided_by: str = Field(default="", max_length=32)
    decided_at: datetime = Field(default_factory=utcnow)


class SscReport(SQLModel, table=True):
    """A report of key learnings to the School Site Council after a convening."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    school_team_id: int = Field(foreign_key="schoolteam.id", index=True)
    convening_id: int | None = Field(default=None, foreign_key="convening.id")
    reported_on: date
    key_learnings: str = long_text()
    ssc_feedback: str = long_text()
    plan_changes: str = long_text()
    recorded_by: str = Field(default="", max_length=32)
    recorded_at: datetime = Field(default_factory=utcnow)


class FacilitatorCheckin(SQLModel, table=True):
    """A facilitator's regional check-in, or check-in with one school team."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    cop_id: int = Field(foreign_key="cop.id", index=True)
    school_team_id: int | None = Field(default=None, foreign_key="schoolteam.id")
    cycle_id: int | None = Field(default=None, foreign_key="cycle.id")
    kind: str = Field(max_length=20)
    held_on: date
    facilitator_user_id: str = Field(max_length=32)
    notes: str = long_text()
    recorded_at: datetime = Field(default_factory=utcnow)


class SpreadSuggestion(SQLModel, table=True):
    """A keep/scale strategy suggested to another team (at most once per strategy per team)."""

    __table_args__ = (UniqueConstraint("act_decision_id", "school_team_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    act_decision_id: int = Field(foreign_key="actdecision.id")
    school_team_id: int = Field(foreign_key="schoolteam.id")
    suggested_at: datetime = Field(default_factory=utcnow)


class Notification(SQLModel, table=True):
    """A reminder or digest due at an instant, sent at most once (``dedupe_key`` is unique)."""

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(index=True, max_length=32)
    dedupe_key: str = Field(unique=True, max_length=300)
    kind: str = Field(max_length=40)
    recipient: str = Field(max_length=32)  # user id (DM) or channel id
    due_at: datetime = Field(index=True)
    status: str = Field(default="pending", max_length=10, index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=500)
    claimed_by: str | None = Field(default=None, max_length=100)
    claimed_until: datetime | None = None
    sent_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class ReceivedRequest(SQLModel, table=True):
    """Idempotency keys of Slack deliveries already handled (event ids, view submissions)."""

    __table_args__ = (UniqueConstraint("team_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    key: str = Field(max_length=300)
    received_at: datetime = Field(default_factory=utcnow)
