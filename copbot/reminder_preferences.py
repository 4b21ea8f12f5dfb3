"""A person's reminder preferences (quiet hours, muted kinds) and snoozing one reminder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from copbot.clock import to_utc
from copbot.delivery_window import DeliveryRules, next_delivery_slot, quiet_hours_leave_a_slot
from copbot.errors import NotAllowed, NotFound, UserError
from copbot.school_calendar import breaks_for
from copbot.vocabulary import NotificationStatus, ReminderKind
from storage.models import Cop, Notification, SlackUser
from storage.notifications import get_notification
from storage.slack_users import get_or_create_user

MUTABLE_KINDS = [kind for kind in ReminderKind if kind is not ReminderKind.WEEKLY_DIGEST]
SNOOZE_DAYS = (1, 7)


@dataclass(frozen=True)
class ReminderPreferences:
    quiet_start_hour: int | None
    quiet_end_hour: int | None
    muted_kinds: list[str]
    tz: str | None


def preferences(session: Session, *, team_id: str, user_id: str) -> ReminderPreferences:
    user = session.exec(select(SlackUser).where(SlackUser.team_id == team_id, SlackUser.user_id == user_id)).first()
    if user is None:
        return ReminderPreferences(None, None, [], None)
    return ReminderPreferences(user.quiet_start_hour, user.quiet_end_hour, list(user.muted_kinds or []), user.tz)


def save_preferences(session: Session, *, team_id: str, user_id: str, quiet_start_hour: int | None,
                     quiet_end_hour: int | None, muted_kinds: Sequence[str]) -> SlackUser:
    """Save quiet hours (both or neither, whole hours, never the whole school day) and muted kinds."""
    if (quiet_start_hour is None) != (quiet_end_hour is None):
        raise UserError("Choose both when quiet hours start and when they end, or neither.",
                        field="quiet_start" if quiet_start_hour is None else "quiet_end")
    for hour in (quiet_start_hour, quiet_end_hour):
        if hour is not None and not 0 <= hour <= 23:
            raise UserError("Quiet hours are whole hours from 0 to 23.", field="quiet_start")
    if quiet_start_hour is not None and quiet_start_hour == quiet_end_hour:
        raise UserError("Quiet hours must start and end at different times.", field="quiet_end")
    if not quiet_hours_leave_a_slot(quiet_start_hour, quiet_end_hour):
        raise UserError("These quiet hours cover the whole school day (7:30 to 19:00): leave at least one hour "
                        "for reminders, or mute the kinds you do not want.", field="quiet_start")
    unknown = set(muted_kinds) - {kind.value for kind in MUTABLE_KINDS}
    if unknown:
        raise UserError(f"Unknown kind of reminder: {', '.join(sorted(unknown))}.", field="muted_kinds")
    user = get_or_create_user(session, team_id=team_id, user_id=user_id)
    user.quiet_start_hour = quiet_start_hour
    user.quiet_end_hour = quiet_end_hour
    user.muted_kinds = [kind.value for kind in MUTABLE_KINDS if kind.value in set(muted_kinds)]
    session.add(user)
    session.flush()
    return user


@dataclass(frozen=True)
class Snoozed:
    notification: Notification
    tz: str


def snooze_notification(session: Session, *, team_id: str, user_id: str, notification_id: int, days: int,
                        at: datetime) -> Snoozed:
    """Send this reminder again ``days`` from ``at``, at the person's next delivery slot.

    Only the recipient may snooze it. The row goes back to pending (even if it was sent), so the
    sweep sends it again then, unless the step has been recorded by then.
    """
    if days not in SNOOZE_DAYS:
        raise UserError("A reminder can be snoozed for a day or a week.")
    row = get_notification(session, team_id=team_id, notification_id=notification_id)
    if row is None:
        raise NotFound("That reminder no longer exists.")
    if row.recipient != user_id:
        raise NotAllowed("Only the person this reminder was sent to can snooze it.")
    cop_id = row.payload.get("cop_id")
    cop = session.get(Cop, cop_id) if cop_id is not None else None
    user = session.exec(select(SlackUser).where(SlackUser.team_id == team_id, SlackUser.user_id == user_id)).first()
    tz = (user.tz if user and user.tz else None) or (cop.timezone if cop else "UTC")
    rules = DeliveryRules(
        tz=tz,
        breaks=breaks_for(session, team_id=team_id, cop_id=cop.id) if cop and cop.team_id == team_id else (),
        quiet_start_hour=user.quiet_start_hour if user else None,
        quiet_end_hour=user.quiet_end_hour if user else None,
    )
    row.due_at = next_delivery_slot(to_utc(at) + timedelta(days=days), rules)
    row.status = NotificationStatus.PENDING
    row.claimed_by = None
    row.claimed_until = None
    row.sent_at = None
    row.last_error = None
    session.add(row)
    session.flush()
    return Snoozed(row, tz)
