"""The three Do meetings as a form: which one comes next, the game plan's five questions, saving.

The game plan meeting answers who, what, where, when and why; they are kept in the meeting's
notes as labelled lines ("Who: ...") so that the record reads well anywhere and the form can
be pre-filled from it again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, select

from copbot import cycles
from copbot.errors import UserError
from copbot.evidence import evidence_for
from copbot.learning_questions import questions_for
from copbot.vocabulary import DoMeetingKind
from storage.models import Cycle, DoMeeting, EvidenceItem, LearningQuestion, Membership

GAME_PLAN_PARTS = ("who", "what", "where", "when", "why")


@dataclass(frozen=True)
class GamePlan:
    """The game plan meeting's answers, keyed by ``GAME_PLAN_PARTS``."""

    parts: dict[str, str] = field(default_factory=dict)

    def missing(self) -> list[str]:
        return [part for part in GAME_PLAN_PARTS if not self.parts.get(part, "").strip()]


@dataclass(frozen=True)
class TypedMeeting:
    """What someone had typed in the open form before switching to another meeting."""

    held_on: date | None = None
    attendees: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class DoMeetingForm:
    cycle: Cycle
    kind: DoMeetingKind
    meeting: DoMeeting | None  # the saved meeting of this kind, when editing
    held_on: date | None
    game_plan: GamePlan
    notes: str  # notes without the game plan lines
    attendees: list[str]
    questions: list[LearningQuestion]  # shown at the end-of-cycle meeting
    evidence: list[EvidenceItem]  # shown beside them at the end-of-cycle meeting


def compose_notes(game_plan: GamePlan | None, notes: str) -> str:
    """Notes with the game plan's answers first, as labelled lines."""
    lines = []
    if game_plan is not None:
        lines = [f"{part.capitalize()}: {game_plan.parts[part].strip()}" for part in GAME_PLAN_PARTS
                 if game_plan.parts.get(part, "").strip()]
    body = notes.strip()
    return "\n".join(lines) + ("\n\n" + body if lines and body else body)


def split_notes(notes: str) -> tuple[GamePlan, str]:
    """The reverse of ``compose_notes``: (game plan answers, the remaining notes)."""
    parts: dict[str, str] = {}
    lines = notes.splitlines()
    index = 0
    while index < len(lines):
        label, sep, value = lines[index].partition(": ")
        if not sep or label.lower() not in GAME_PLAN_PARTS or label.lower() in parts:
            break
        parts[label.lower()] = value.strip()
        index += 1
    rest = "\n".join(lines[index:]).strip()
    return GamePlan(parts), rest


def team_member_ids(session: Session, *, team_id: str, school_team_id: int) -> list[str]:
    rows = session.exec(
        select(Membership.user_id).where(Membership.team_id == team_id, Membership.school_team_id == school_team_id)
        .order_by(Membership.id)
    ).all()
    return list(dict.fromkeys(rows))


def meetings_for(session: Session, *, team_id: str, cycle_id: int) -> dict[DoMeetingKind, DoMeeting]:
    rows = session.exec(select(DoMeeting).where(DoMeeting.team_id == team_id, DoMeeting.cycle_id == cycle_id)).all()
    return {DoMeetingKind(row.kind): row for row in rows}


def next_kind(session: Session, *, cycle: Cycle) -> DoMeetingKind:
    """The first of the three meetings not yet logged (the end-of-cycle one once all are)."""
    done = meetings_for(session, team_id=cycle.team_id, cycle_id=cycle.id)
    return next((kind for kind in DoMeetingKind if kind not in done), DoMeetingKind.END_OF_CYCLE)


def do_meeting_form(session: Session, *, cycle: Cycle, kind: DoMeetingKind | None = None,
                    typed: TypedMeeting | None = None) -> DoMeetingForm:
    """What the Do meeting form shows for ``kind`` (default: the next meeting due).

    A saved meeting of that kind pre-fills the form; otherwise what was ``typed`` in the open
    form (before switching to this kind) is kept, else the attendees default to the team.
    """
    kind = kind or next_kind(session, cycle=cycle)
    meeting = meetings_for(session, team_id=cycle.team_id, cycle_id=cycle.id).get(kind)
    if meeting is not None:
        game_plan, notes = (split_notes(meeting.notes) if kind is DoMeetingKind.GAME_PLAN
                            else (GamePlan(), meeting.notes))
        held_on, attendees = meeting.held_on, list(meeting.attendees)
    else:
        typed = typed or TypedMeeting()
        game_plan, notes, held_on = GamePlan(), typed.notes, typed.held_on
        attendees = list(typed.attendees) or team_member_ids(
            session, team_id=cycle.team_id, school_team_id=cycle.school_team_id
        )
    questions = questions_for(session, team_id=cycle.team_id, cycle_id=cycle.id)
    evidence = (evidence_for(session, team_id=cycle.team_id, cycle_id=cycle.id)
                if kind is DoMeetingKind.END_OF_CYCLE else [])
    return DoMeetingForm(cycle=cycle, kind=kind, meeting=meeting, held_on=held_on, game_plan=game_plan,
                         notes=notes, attendees=attendees, questions=questions, evidence=evidence)


def log_do_meeting(
    session: Session,
    *,
    cycle: Cycle,
    user_id: str,
    kind: DoMeetingKind | None,
    held_on: date | None,
    attendees: Sequence[str],
    notes: str,
    game_plan: GamePlan | None = None,
) -> DoMeeting:
    """Check a Do meeting form and save it (a second log of the same meeting corrects the first)."""
    if kind is None:
        raise UserError("Pick which Do meeting this was.", field="kind")
    if held_on is None:
        raise UserError("Give the date the meeting was held.", field="held_on")
    if not attendees:
        raise UserError("Add who attended.", field="attendees")
    if kind is DoMeetingKind.GAME_PLAN:
        missing = (game_plan or GamePlan()).missing()
        if missing:
            raise UserError(f"The game plan says {missing[0]}.", field=missing[0])
    elif not notes.strip():
        raise UserError("Write a few notes from the meeting.", field="notes")
    return cycles.record_do_meeting(
        session, cycle=cycle, user_id=user_id, kind=kind, held_on=held_on, attendees=list(attendees),
        notes=compose_notes(game_plan if kind is DoMeetingKind.GAME_PLAN else None, notes),
    )


KIND_WORDS = {
    DoMeetingKind.GAME_PLAN: ("game", "game-plan", "gameplan", "game_plan", "first"),
    DoMeetingKind.MID_STREAM: ("mid", "mid-stream", "midstream", "mid_stream", "middle", "second"),
    DoMeetingKind.END_OF_CYCLE: ("end", "end-of-cycle", "end_of_cycle", "final", "last", "third"),
}


def kind_from_words(text: str) -> DoMeetingKind | None:
    """The meeting named by ``/pdsa do <words>`` ("game", "mid", "end", ...), if any."""
    first = (text or "").strip().lower().split(" ")[0]
    return next((kind for kind, words in KIND_WORDS.items() if first in words), None)
