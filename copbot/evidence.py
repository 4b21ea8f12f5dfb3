"""Evidence collected during Do: what it shows (adult practice or student impact), its kind, and an
optional measured value that feeds the team's run charts.

A Slack message saved as evidence keeps its channel and timestamp, so saving the same message
twice for the same cycle updates the first item instead of adding another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlparse

from sqlmodel import Session, func, select

from copbot.clock import utcnow
from copbot.errors import UserError
from copbot.privacy import require_checked
from copbot.vocabulary import EvidenceFocus, EvidenceKind, Stage
from storage.models import Cycle, EvidenceItem

COLLECTING = {Stage.DO, Stage.STUDY}
LINK_LIMIT = 1000
MEASURE_NAME_LIMIT = 200


@dataclass(frozen=True)
class Measurement:
    """A measured value as typed: all three parts, or none."""

    name: str = ""
    value: float | None = None
    measured_on: date | None = None


def evidence_for(session: Session, *, team_id: str, cycle_id: int) -> list[EvidenceItem]:
    return list(session.exec(
        select(EvidenceItem).where(EvidenceItem.team_id == team_id, EvidenceItem.cycle_id == cycle_id)
        .order_by(EvidenceItem.recorded_at, EvidenceItem.id)
    ).all())


def evidence_count(session: Session, *, team_id: str, cycle_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(EvidenceItem)
        .where(EvidenceItem.team_id == team_id, EvidenceItem.cycle_id == cycle_id)
    ).one()


def check_link(link: str) -> str | None:
    """An http(s) link, or None when empty; a UserError on field ``link`` otherwise."""
    link = link.strip()
    if not link:
        return None
    parsed = urlparse(link)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in link:
        raise UserError("Give a web link starting with https:// (or http://).", field="link")
    if len(link) > LINK_LIMIT:
        raise UserError(f"Links must be under {LINK_LIMIT} characters.", field="link")
    return link


def check_measurement(measurement: Measurement, *, today: date) -> Measurement | None:
    """The measurement when complete, None when empty; errors name the missing field."""
    name = measurement.name.strip()
    given = {"measure_name": bool(name), "measured_value": measurement.value is not None,
             "measured_on": measurement.measured_on is not None}
    if not any(given.values()):
        return None
    messages = {"measure_name": "Name what was measured (e.g. \"students citing evidence, %\").",
                "measured_value": "Give the measured value as a number.",
                "measured_on": "Give the date it was measured."}
    for field_name, present in given.items():
        if not present:
            raise UserError(messages[field_name] + " A measured value needs all three: name, value, date.",
                            field=field_name)
    if len(name) > MEASURE_NAME_LIMIT:
        raise UserError(f"Keep the measure's name under {MEASURE_NAME_LIMIT} characters.", field="measure_name")
    if measurement.measured_on > today + timedelta(days=1):
        raise UserError("A value can only be recorded once it has been measured.", field="measured_on")
    return Measurement(name=name, value=measurement.value, measured_on=measurement.measured_on)


def _require_collecting(cycle: Cycle) -> None:
    if cycle.stage not in COLLECTING:
        stage = Stage(cycle.stage)
        raise UserError(
            f"Cycle {cycle.number} is in {stage.label}: evidence is added while the cycle is in Do or Study"
            + (" (save the Plan first)." if stage is Stage.PLAN else "."),
            field="focus",
        )


def _tags(focus: str | None, kind: str | None) -> tuple[EvidenceFocus, EvidenceKind]:
    if focus not in EvidenceFocus._value2member_map_:
        raise UserError("Say whether this shows adult practice or student impact.", field="focus")
    if kind not in EvidenceKind._value2member_map_:
        raise UserError("Pick the kind of evidence.", field="kind")
    return EvidenceFocus(focus), EvidenceKind(kind)


def add_evidence(
    session: Session,
    *,
    cycle: Cycle,
    user_id: str,
    focus: str | None,
    kind: str | None,
    description: str,
    link: str = "",
    measurement: Measurement = Measurement(),
    today: date,
    personal_data_checked: bool = False,
) -> EvidenceItem:
    """Add an evidence item to a cycle in Do or Study. A description that looks like student personal
    data is refused unless the person ticked that they checked it (``personal_data_checked``)."""
    _require_collecting(cycle)
    focus_value, kind_value = _tags(focus, kind)
    if not description.strip():
        raise UserError("Describe the evidence.", field="description")
    require_checked(description, checked=personal_data_checked)
    checked_link = check_link(link)
    measured = check_measurement(measurement, today=today)
    item = EvidenceItem(
        team_id=cycle.team_id, cycle_id=cycle.id, focus=focus_value, kind=kind_value,
        description=description.strip(), link=checked_link, recorded_by=user_id, recorded_at=utcnow(),
        measure_name=measured.name if measured else None,
        measured_value=measured.value if measured else None,
        measured_on=measured.measured_on if measured else None,
    )
    session.add(item)
    session.flush()
    return item


def save_message_as_evidence(
    session: Session,
    *,
    cycle: Cycle,
    user_id: str,
    focus: str | None,
    kind: str | None,
    description: str,
    link: str | None,
    source_channel: str,
    source_ts: str,
    personal_data_checked: bool = False,
) -> tuple[EvidenceItem, bool]:
    """Save a Slack message as evidence: (item, created). The same message saved again for the same
    cycle updates the existing item's tags and description instead of adding a duplicate. The kept text
    is refused, as in ``add_evidence``, when it looks like unchecked student personal data."""
    _require_collecting(cycle)
    focus_value, kind_value = _tags(focus, kind)
    if not description.strip():
        raise UserError("Describe the evidence.", field="description")
    require_checked(description, checked=personal_data_checked)
    existing = session.exec(
        select(EvidenceItem).where(
            EvidenceItem.team_id == cycle.team_id, EvidenceItem.cycle_id == cycle.id,
            EvidenceItem.source_channel == source_channel, EvidenceItem.source_ts == source_ts,
        )
    ).first()
    item = existing or EvidenceItem(
        team_id=cycle.team_id, cycle_id=cycle.id, focus=focus_value, kind=kind_value,
        source_channel=source_channel, source_ts=source_ts, recorded_by=user_id,
    )
    item.focus = focus_value
    item.kind = kind_value
    item.description = description.strip()
    item.link = (link or "")[:LINK_LIMIT] or None
    item.recorded_at = utcnow()
    session.add(item)
    session.flush()
    return item, existing is None
