"""Creating a Community of Practice: its convenings, its facilitators and its channel.

The Slack side (joining or creating the channel, inviting people) happens in the handler after
the CoP is saved; this module only decides what is valid and what gets stored.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, select

from copbot.clock import utcnow, zone
from copbot.errors import NotFound, UserError
from copbot.vocabulary import CopScope, Role, SchoolLevel, StageOfDevelopment
from storage.models import Convening, Cop, Membership

MAX_CONVENINGS = 6
MIN_CONVENINGS = 2
CHANNEL_NAME_LIMIT = 80
CHANNEL_PREFIX = "cop-"
DEFAULT_TIMEZONE = "America/Los_Angeles"
SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def convening_field(position: int) -> str:
    """The form field of the n-th convening date (1-based)."""
    return f"convening_{position}"


def cop_today(cop: Cop, at: datetime | None = None) -> date:
    """The calendar date in the CoP's time zone (deadlines are days in the CoP's schools)."""
    return (at or utcnow()).astimezone(zone(cop.timezone, DEFAULT_TIMEZONE)).date()


def current_school_year(today: date) -> str:
    """'2025-26' from July 2025 to June 2026."""
    start = today.year if today.month >= 7 else today.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def parse_school_year(text: str) -> str:
    match = SCHOOL_YEAR.match(text.strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise UserError("Write the school year as YYYY-YY, for example 2025-26.", field="school_year")
    return match.group(0)


def parse_list(text: str) -> list[str]:
    """'Fresno Unified, Sanger Unified' -> ['Fresno Unified', 'Sanger Unified'] (no blanks, no repeats)."""
    seen: dict[str, str] = {}
    for item in text.split(","):
        cleaned = " ".join(item.split())
        if cleaned and cleaned.lower() not in seen:
            seen[cleaned.lower()] = cleaned
    return list(seen.values())


def parse_timezone(text: str) -> str:
    name = text.strip() or DEFAULT_TIMEZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError(
            f"{name[:60]} is not a time zone copbot knows; use a name like America/Los_Angeles.", field="timezone"
        ) from None
    return name


def check_convenings(dates: list[date | None]) -> list[date]:
    """The convening dates in form order: at least two, no gaps, strictly increasing.

    ``dates[i]`` is the value of ``convening_{i+1}``; the error names the field to fix.
    """
    filled = [day for day in dates if day is not None]
    last_filled = max((i for i, day in enumerate(dates) if day is not None), default=-1)
    for index, day in enumerate(dates[:last_filled]):
        if day is None:
            raise UserError("Fill in the convening dates in order, without gaps.", field=convening_field(index + 1))
    if len(filled) < MIN_CONVENINGS:
        raise UserError(
            "A CoP needs at least two convenings: Plan happens at one and Study at the next.",
            field=convening_field(len(filled) + 1),
        )
    for index in range(1, len(filled)):
        if filled[index] <= filled[index - 1]:
            raise UserError(
                f"Convening {index + 1} must come after convening {index} ({filled[index - 1].isoformat()}).",
                field=convening_field(index + 1),
            )
    return filled


def channel_name_for(cop_name: str, attempt: int = 1) -> str:
    """A Slack channel name for the CoP: 'cop-' + lowercase letters, digits, '-' and '_', at most 80 chars.

    ``attempt`` > 1 appends '-<attempt>' (used when the name is taken).
    """
    ascii_name = unicodedata.normalize("NFKD", cop_name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9_-]+", "-", ascii_name.lower()).strip("-_")
    slug = re.sub(r"-{2,}", "-", slug)
    if slug.startswith("cop-") or slug == "cop":
        slug = slug[4:]
    suffix = f"-{attempt}" if attempt > 1 else ""
    room = CHANNEL_NAME_LIMIT - len(CHANNEL_PREFIX) - len(suffix)
    slug = slug[:room].rstrip("-_") or "community"
    return f"{CHANNEL_PREFIX}{slug}{suffix}"


def require_channel_free(session: Session, *, team_id: str, channel_id: str, field: str = "channel_choice") -> None:
    owner = session.exec(select(Cop).where(Cop.team_id == team_id, Cop.channel_id == channel_id)).first()
    if owner is not None:
        raise UserError(
            f"This channel already belongs to the CoP “{owner.name}”. Choose “Create a new channel”, "
            "or run /pdsa setup in another channel.",
            field=field,
        )


@dataclass(frozen=True)
class CopForm:
    """What the setup form collects, already parsed into Python values."""

    name: str
    focus_area: str
    school_level: SchoolLevel
    scope: CopScope
    districts: list[str]
    school_year: str
    convenings: list[date]
    stage: StageOfDevelopment
    timezone: str
    facilitators: list[str]


def create_cop(session: Session, *, team_id: str, user_id: str, form: CopForm, channel_id: str | None) -> Cop:
    """Save a CoP with its convenings and facilitators. ``channel_id`` None: a channel is made later."""
    if not form.name.strip():
        raise UserError("Give the CoP a name.", field="name")
    if not form.facilitators:
        raise UserError("Pick at least one facilitator.", field="facilitators")
    if channel_id:
        require_channel_free(session, team_id=team_id, channel_id=channel_id)
    cop = Cop(
        team_id=team_id, name=form.name.strip(), focus_area=form.focus_area.strip(),
        school_level=form.school_level, scope=form.scope, districts=list(form.districts),
        channel_id=channel_id, school_year=form.school_year, stage_of_development=form.stage,
        timezone=form.timezone, created_by=user_id,
    )
    session.add(cop)
    session.flush()
    for number, held_on in enumerate(form.convenings, start=1):
        session.add(Convening(team_id=team_id, cop_id=cop.id, held_on=held_on, title=f"Convening {number}"))
    for facilitator in dict.fromkeys(form.facilitators):
        session.add(Membership(team_id=team_id, cop_id=cop.id, user_id=facilitator, role=Role.FACILITATOR))
    session.flush()
    return cop


def get_cop(session: Session, *, team_id: str, cop_id: int) -> Cop:
    cop = session.exec(select(Cop).where(Cop.team_id == team_id, Cop.id == cop_id)).first()
    if cop is None:
        raise NotFound("That CoP does not exist in this workspace.")
    return cop


def link_channel(session: Session, *, team_id: str, cop_id: int, channel_id: str) -> Cop:
    """Record the channel made for a CoP after it was saved."""
    cop = get_cop(session, team_id=team_id, cop_id=cop_id)
    cop.channel_id = channel_id
    session.add(cop)
    session.flush()
    return cop


def convening_dates(session: Session, *, team_id: str, cop_id: int) -> list[date]:
    return list(session.exec(
        select(Convening.held_on).where(Convening.team_id == team_id, Convening.cop_id == cop_id)
        .order_by(Convening.held_on)
    ).all())


def facilitator_ids(session: Session, *, team_id: str, cop_id: int) -> list[str]:
    return list(session.exec(
        select(Membership.user_id).where(
            Membership.team_id == team_id, Membership.cop_id == cop_id, Membership.role == Role.FACILITATOR
        ).order_by(Membership.id)
    ).all())


def cops_without_channel(session: Session, *, team_id: str, user_id: str) -> list[Cop]:
    """CoPs this person facilitates that have no channel yet (channel creation failed at setup)."""
    facilitated = select(Membership.cop_id).where(
        Membership.team_id == team_id, Membership.user_id == user_id, Membership.role == Role.FACILITATOR
    )
    return list(session.exec(
        select(Cop).where(Cop.team_id == team_id, Cop.id.in_(facilitated), Cop.channel_id.is_(None))
        .order_by(Cop.name)
    ).all())


def link_here(session: Session, *, team_id: str, user_id: str, channel_id: str, cop_name: str = "") -> Cop:
    """``/pdsa setup link``: give a channel-less CoP this person facilitates the channel they are in."""
    if channel_id.startswith("D"):
        raise UserError("Run `/pdsa setup link` in the channel you want to link, not in a direct message.")
    require_channel_free(session, team_id=team_id, channel_id=channel_id)
    candidates = cops_without_channel(session, team_id=team_id, user_id=user_id)
    if cop_name.strip():
        wanted = cop_name.strip().lower()
        candidates = [cop for cop in candidates if cop.name.lower() == wanted]
    if not candidates:
        raise UserError("You facilitate no CoP without a channel" + (f" named “{cop_name.strip()}”" if cop_name
                        else "") + ". To create a CoP, run `/pdsa setup`.")
    if len(candidates) > 1:
        names = ", ".join(cop.name for cop in candidates)
        raise UserError(f"Several of your CoPs have no channel ({names}): run `/pdsa setup link <CoP name>`.")
    return link_channel(session, team_id=team_id, cop_id=candidates[0].id, channel_id=channel_id)
