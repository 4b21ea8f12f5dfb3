"""The notification sweep: plan what is due, insert what is missing, send what is due, exactly once.

One sweep (``NotificationSender.sweep(at=...)``), run every minute by the worker's APScheduler job
(``run_sweep``) and on demand by ``copbot reminders due --send``:

1. **Plan** (one transaction): ``copbot.reminders.plan_notifications`` on data loaded in a fixed
   number of statements; rows missing from ``notification`` are inserted with
   ``ON CONFLICT (dedupe_key) DO NOTHING``. Keys are deterministic, so re-planning after a restart,
   or in a second worker, inserts nothing twice. Planned notifications older than ``LOOKBACK``
   (7 days) are not inserted: a worker that was down for a month does not flood people.
2. **Claim** (one short transaction per batch): due pending rows are claimed for this sweep with a
   lease (``storage.notifications.claim_due``: ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, a
   conditional UPDATE on SQLite) and the claim is committed before any Slack call.
3. **Decide and send** each claimed row, outside any transaction (a Slack call with a 429
   Retry-After must not hold database locks), then **record the outcome and release the claim in
   one UPDATE** guarded by the claim token: sent, skipped with a reason (muted, no longer needed,
   stale, a CoP break), failed with a reason (permanent Slack error, deleted user, too many
   attempts), deferred (a new ``due_at`` for quiet hours, a weekend or a break in the person's
   zone), or retried later (a transient error: ``attempts + 1`` and ``claimed_until`` pushed out
   by a backoff, until ``MAX_ATTEMPTS``).

Guarantee. Every row ends sent, skipped or failed, with a reason for the last two. A row is sent
at most once *unless the process dies in the window between Slack accepting chat.postMessage and
the one UPDATE that marks the row sent* (milliseconds): the claim then lapses after ``LEASE`` and
another sweep sends the row again. So delivery is at-least-once with that window, and exactly
once otherwise; we chose this over at-most-once (mark sent before calling Slack) because a lost
reminder is worse than a rare duplicate, and Slack's chat.postMessage has no idempotency key to
close the window. Restarts between sweeps, and two workers sweeping the same rows concurrently,
never duplicate (tests/test_notify.py).

Slack errors: the WebClient (``copbot.slack_client.make_client``) waits out 429 Retry-After and
retries 5xx and connection errors with backoff; what still fails is classified here.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session, col, or_, select

from copbot.clock import in_zone, to_utc, utcnow
from copbot.config import Settings, load_settings
from copbot.delivery_window import DeliveryRules, next_delivery_slot
from copbot.digest import with_digest_facts
from copbot.installations import client_for_team
from copbot.reminders import PlannedNotification, plan_notifications
from copbot.vocabulary import NotificationStatus, ReminderKind
from messages.reminders import preview_text, reminder_message
from storage.db import Database
from storage.models import Notification, SlackUser
from storage.notifications import claim_due, existing_keys, finish, insert_if_absent
from storage.slack_users import record_user_info
from storage.sweep_queries import SweepData, load_sweep_data

log = logging.getLogger(__name__)

LOOKBACK = timedelta(days=7)  # planned notifications older than this are not inserted
STALE_AFTER = timedelta(days=7)  # pending rows due longer ago than this are skipped, not sent
LEASE = timedelta(minutes=15)
BATCH_SIZE = 100
MAX_ATTEMPTS = 5
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
TZ_REFRESH = timedelta(days=7)
PERMANENT_ERRORS = frozenset({
    "user_not_found", "channel_not_found", "is_archived", "account_inactive", "not_in_channel",
    "invalid_auth", "token_revoked", "token_expired", "not_authed", "user_disabled", "cannot_dm_bot",
    "messages_tab_disabled", "restricted_action", "team_access_not_granted", "missing_scope",
    "no_permission", "invalid_blocks", "invalid_arguments", "msg_too_long", "org_login_required",
    "ekm_access_denied", "is_inactive", "access_denied",
})
NO_LONGER_NEEDED = "no longer needed: the step was recorded, the reminder expired or a newer one replaced it"


@dataclass(frozen=True)
class Decision:
    """What to do with one due notification: send, skip (reason), fail (reason) or defer (until)."""

    action: str
    reason: str = ""
    until: datetime | None = None


@dataclass(frozen=True)
class Outcome:
    notification_id: int | None
    kind: str
    recipient: str
    due_at: datetime
    status: str  # sent, skipped, failed, deferred, retry, would_send (preview)
    reason: str = ""
    text: str = ""


@dataclass(frozen=True)
class Planning:
    """What one sweep planned: the data it read and the keys that should exist at ``at``."""

    at: datetime
    data: SweepData
    still_planned: set[str]
    planned: int
    inserted: int


@dataclass
class SweepReport:
    at: datetime
    planned: int = 0
    inserted: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)


def rules_for(data: SweepData, cop_id: int, user: SlackUser | None) -> DeliveryRules:
    cop = data.cops[cop_id]
    return DeliveryRules(
        tz=(user.tz if user is not None and user.tz else cop.timezone),
        breaks=data.breaks[cop_id],
        quiet_start_hour=user.quiet_start_hour if user else None,
        quiet_end_hour=user.quiet_end_hour if user else None,
    )


def decide(*, kind: str, due_at: datetime, at: datetime, still_planned: bool, data: SweepData, cop_id: int | None,
           user: SlackUser | None) -> Decision:
    """Whether a due notification goes out now; pure, shared by the sender and the preview."""
    if cop_id is None or cop_id not in data.cops or not still_planned:
        return Decision("skip", NO_LONGER_NEEDED)
    if at - due_at > STALE_AFTER:
        return Decision("skip", f"stale: was due {due_at:%Y-%m-%d %H:%M} UTC, more than {STALE_AFTER.days} days ago")
    if kind == ReminderKind.WEEKLY_DIGEST:
        cop = data.cops[cop_id]
        local_day = in_zone(at, cop.timezone).date()
        on_break = next((b for b in data.breaks[cop_id] if b.covers(local_day)), None)
        if on_break is not None:
            return Decision("skip", f"the CoP is on a break ({on_break.name or 'school break'})")
        return Decision("send")
    if user is not None and user.deleted:
        return Decision("fail", "the recipient's Slack account is deactivated or deleted")
    if user is not None and kind in (user.muted_kinds or []):
        return Decision("skip", f"muted by the recipient ({ReminderKind(kind).label})")
    slot = next_delivery_slot(due_at, rules_for(data, cop_id, user))
    if slot > at:
        return Decision("defer", "outside school hours, quiet hours, a weekend or a break", until=slot)
    return Decision("send")


def _new_rows(session: Session, data: SweepData, planned: list[PlannedNotification], *,
              at: datetime) -> list[PlannedNotification]:
    """Planned notifications with no row yet and not too old to insert, digests completed."""
    known = existing_keys(session, created_since=at - LOOKBACK - timedelta(days=1))
    fresh = [p for p in planned if p.dedupe_key not in known and at - p.due_at <= LOOKBACK]
    return with_digest_facts(session, data, fresh)


class NotificationSender:
    """Sweeps the notifications table for one process. Safe to run in several processes at once.

    ``client_for(team_id)`` returns the WebClient for a workspace (one bot token, or an
    installation store's token per workspace), or None when copbot was uninstalled from it
    or its tokens were revoked: its notifications then end skipped, with that reason.
    """

    def __init__(self, database: Database, client_for: Callable[[str], WebClient | None], *,
                 worker_id: str | None = None, batch_size: int = BATCH_SIZE, lease: timedelta = LEASE,
                 max_attempts: int = MAX_ATTEMPTS) -> None:
        self.database = database
        self.client_for = client_for
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"
        self.batch_size = batch_size
        self.lease = lease
        self.max_attempts = max_attempts

    # ----- the sweep -----
    def sweep(self, *, at: datetime) -> SweepReport:
        """Plan, then send what is due at ``at``."""
        return self.send_due(self.plan(at=at))

    def plan(self, *, at: datetime) -> Planning:
        """Insert the notifications that should exist at ``at`` and are missing."""
        at = to_utc(at)
        with self.database.reading() as session:  # reads only: no write lock held while planning
            data = load_sweep_data(session)
            planned = plan_notifications(data, at=at)
            new = _new_rows(session, data, planned, at=at)
        with self.database.session() as session:  # a write-only transaction
            insert_if_absent(session, [_row(p, at) for p in new])
        return Planning(at=at, data=data, still_planned={p.dedupe_key for p in planned}, planned=len(planned),
                        inserted=len(new))

    def send_due(self, planning: Planning) -> SweepReport:
        """Claim and deliver the rows due at the planning's instant, batch by batch."""
        at, data, still_planned = planning.at, planning.data, planning.still_planned
        report = SweepReport(at=at, planned=planning.planned, inserted=planning.inserted)
        out_of_time = False
        while not out_of_time:  # each batch leaves its rows final, deferred or backing off
            token = f"{self.worker_id}:{uuid.uuid4().hex[:12]}"[-100:]
            with self.database.session() as session:
                rows = claim_due(session, at=at, token=token, lease=self.lease, limit=self.batch_size)
            # Stop sending well before the lease ends (Slack rate limits can be slow): rows left are
            # released for the next sweep rather than risk another sender re-claiming them mid-send.
            deadline = time.monotonic() + self.lease.total_seconds() - 60
            for row in rows:
                out_of_time = out_of_time or time.monotonic() > deadline
                if out_of_time:
                    self._release(row, token)
                else:
                    report.outcomes.append(self._deliver_safely(row, token, at=at, data=data,
                                                                still_planned=still_planned))
            if len(rows) < self.batch_size:
                break
        log.info("notification sweep at %s: %d planned, %d new, %d sent, %d skipped, %d failed, %d deferred, "
                 "%d to retry", at.isoformat(), report.planned, report.inserted, report.count("sent"),
                 report.count("skipped"), report.count("failed"), report.count("deferred"), report.count("retry"))
        return report

    # ----- one row -----
    def _deliver_safely(self, row: Notification, token: str, *, at: datetime, data: SweepData,
                        still_planned: set[str]) -> Outcome:
        """``_deliver``, but a bug met on one row (a payload that cannot be rendered, say) is logged
        with its traceback and counted as a failed attempt of that row, not the end of the sweep."""
        try:
            return self._deliver(row, token, at=at, data=data, still_planned=still_planned)
        except Exception as error:
            log.exception("notification %s (%s) could not be delivered", row.id, row.dedupe_key)
            return self._retry_later(row, token, row.attempts + 1, f"copbot error: {type(error).__name__}: {error}",
                                     at=at)

    def _deliver(self, row: Notification, token: str, *, at: datetime, data: SweepData,
                 still_planned: set[str]) -> Outcome:
        client = self.client_for(row.team_id)
        if client is None:
            reason = "copbot is no longer installed in this workspace"
            return self._finish(row, token, "skipped", reason, status=NotificationStatus.SKIPPED, last_error=reason)
        cop_id = row.payload.get("cop_id")
        is_dm = row.kind != ReminderKind.WEEKLY_DIGEST
        user = data.user(row.team_id, row.recipient) if is_dm else None
        planned_now = row.dedupe_key in still_planned
        decision = decide(kind=row.kind, due_at=row.due_at, at=at, still_planned=planned_now, data=data,
                          cop_id=cop_id, user=user)
        if is_dm and decision.action in ("send", "defer"):
            # Only now ask Slack for the person's time zone (weekly): it may move the slot.
            user = self._refreshed_user(client, row.team_id, row.recipient, at=at, cached=user)
            if user is not None:  # later rows for this person in this sweep reuse it
                data.users[(row.team_id, row.recipient)] = user
            decision = decide(kind=row.kind, due_at=row.due_at, at=at, still_planned=planned_now, data=data,
                              cop_id=cop_id, user=user)
        if decision.action == "skip":
            return self._finish(row, token, "skipped", decision.reason, status=NotificationStatus.SKIPPED,
                                last_error=decision.reason[:500])
        if decision.action == "fail":
            return self._finish(row, token, "failed", decision.reason, status=NotificationStatus.FAILED,
                                last_error=decision.reason[:500])
        if decision.action == "defer":
            assert decision.until is not None
            return self._finish(row, token, "deferred", f"deferred to {decision.until:%Y-%m-%d %H:%M} UTC",
                                due_at=decision.until)
        return self._send(client, row, token, at=at)

    def _send(self, client: WebClient, row: Notification, token: str, *, at: datetime) -> Outcome:
        text, blocks = reminder_message(row.kind, row.payload, notification_id=row.id)
        attempts = row.attempts + 1
        try:
            client.chat_postMessage(channel=row.recipient, text=text, blocks=blocks,
                                                          unfurl_links=False, unfurl_media=False)
        except SlackApiError as error:
            code = str(error.response.get("error") or f"http_{error.response.status_code}")
            if code in PERMANENT_ERRORS:
                return self._finish(row, token, "failed", f"Slack refused it: {code}",
                                    status=NotificationStatus.FAILED, attempts=attempts,
                                    last_error=f"Slack refused it: {code}")
            return self._retry_later(row, token, attempts, f"Slack error after retries: {code}", at=at)
        except OSError as error:  # connection refused, reset, timed out (URLError is an OSError)
            return self._retry_later(row, token, attempts, f"cannot reach Slack: {error}", at=at)
        return self._finish(row, token, "sent", "", status=NotificationStatus.SENT, attempts=attempts, sent_at=at,
                            last_error=None, text=text)

    def _retry_later(self, row: Notification, token: str, attempts: int, reason: str, *, at: datetime) -> Outcome:
        if attempts >= self.max_attempts:
            final = f"gave up after {attempts} attempts; last: {reason}"
            return self._finish(row, token, "failed", final, status=NotificationStatus.FAILED, attempts=attempts,
                                last_error=final[:500])
        backoff = BACKOFF[min(attempts - 1, len(BACKOFF) - 1)]
        log.warning("notification %s to %s will be retried in %s: %s", row.dedupe_key, row.recipient, backoff, reason)
        return self._finish(row, token, "retry", reason, attempts=attempts, last_error=reason[:500],
                            claimed_until=at + backoff)

    def _finish(self, row: Notification, token: str, outcome: str, reason: str, *, text: str = "",
                **values: Any) -> Outcome:
        with self.database.session() as session:
            kept = finish(session, notification_id=row.id, token=token, **values)
        if not kept:
            log.error("notification %s: claim lost before recording %s (lease %s too short?)", row.id, outcome,
                      self.lease)
        if outcome in ("failed", "skipped"):
            log.info("notification %s to %s %s: %s", row.dedupe_key, row.recipient, outcome, reason)
        return Outcome(row.id, row.kind, row.recipient, row.due_at, outcome, reason, text)

    def _release(self, row: Notification, token: str) -> None:
        with self.database.session() as session:
            finish(session, notification_id=row.id, token=token)

    # ----- people -----
    def _refreshed_user(self, client: WebClient, team_id: str, user_id: str, *, at: datetime,
                        cached: SlackUser | None) -> SlackUser | None:
        """The person's row, with time zone and deleted flag refreshed from users.info weekly."""
        if cached is not None and (cached.deleted or (
                cached.tz_checked_at is not None and at - cached.tz_checked_at < TZ_REFRESH)):
            return cached
        try:
            answer = client.users_info(user=user_id)
            info = answer.get("user") or {}
            tz, deleted = info.get("tz"), bool(info.get("deleted"))
        except SlackApiError as error:
            if error.response.get("error") not in ("user_not_found", "account_inactive"):
                log.warning("users.info %s failed (%s); using the last known time zone", user_id,
                            error.response.get("error"))
                return cached
            tz, deleted = None, True
        except OSError as error:
            log.warning("users.info %s unreachable (%s); using the last known time zone", user_id, error)
            return cached
        with self.database.session() as session:
            record_user_info(session, team_id=team_id, user_id=user_id, tz=tz, deleted=deleted, checked_at=at)
        with self.database.reading() as session:
            return session.exec(
                select(SlackUser).where(SlackUser.team_id == team_id, SlackUser.user_id == user_id)
            ).one()


def _row(planned: PlannedNotification, at: datetime) -> dict[str, Any]:
    return {
        "team_id": planned.team_id, "dedupe_key": planned.dedupe_key, "kind": planned.kind.value,
        "recipient": planned.recipient, "due_at": planned.due_at, "status": NotificationStatus.PENDING.value,
        "payload": planned.payload, "attempts": 0, "created_at": at,
    }


def preview_due(session: Session, *, at: datetime) -> list[Outcome]:
    """What a sweep at ``at`` would do, without writing anything or calling Slack.

    Time zones come from what copbot has cached (users.info is only asked when sending).
    """
    at = to_utc(at)
    data = load_sweep_data(session)
    planned = plan_notifications(data, at=at)
    still_planned = {p.dedupe_key for p in planned}
    pending = list(session.exec(
        select(Notification).where(
            Notification.status == NotificationStatus.PENDING, col(Notification.due_at) <= at,
            or_(col(Notification.claimed_until).is_(None), col(Notification.claimed_until) < at),
        ).order_by(Notification.due_at, Notification.id)
    ))
    candidates: list[tuple[int | None, str, str, str, datetime, dict[str, Any]]] = [
        (row.id, row.team_id, row.kind, row.recipient, row.due_at, row.payload) for row in pending
    ]
    candidates += [(None, p.team_id, p.kind.value, p.recipient, p.due_at, p.payload)
                   for p in _new_rows(session, data, planned, at=at)]
    keys = {row.id: row.dedupe_key for row in pending}
    outcomes = []
    for notification_id, team_id, kind, recipient, due_at, payload in candidates:
        user = None if kind == ReminderKind.WEEKLY_DIGEST else data.user(team_id, recipient)
        planned_now = notification_id is None or keys[notification_id] in still_planned
        decision = decide(kind=kind, due_at=due_at, at=at, still_planned=planned_now, data=data,
                          cop_id=payload.get("cop_id"), user=user)
        text = preview_text(kind, payload)
        status = {"send": "would_send", "skip": "skipped", "fail": "failed", "defer": "deferred"}[decision.action]
        reason = decision.reason if decision.until is None else f"deferred to {decision.until:%Y-%m-%d %H:%M} UTC"
        outcomes.append(Outcome(notification_id, kind, recipient, due_at, status, reason, text))
    return outcomes


# ----- the worker's job -----
@cache
def _process_sender(settings: Settings) -> NotificationSender:
    """One sender (database engine) per worker process and settings, reaching each workspace with
    its own bot token (and never a workspace copbot was uninstalled from)."""
    database = Database(settings.database_url)
    return NotificationSender(database, workspace_clients(settings, database))


def workspace_clients(settings: Settings, database: Database) -> Callable[[str], WebClient | None]:
    """``client_for`` for a NotificationSender: the workspace's client, None when it is gone."""
    return lambda team_id: client_for_team(settings, database, team_id)


def run_sweep() -> None:
    """The APScheduler job: settings from the environment, one sender per process, a sweep now.

    Module-level with no arguments, so the persistent job store only stores its import path.
    """
    _process_sender(load_settings()).sweep(at=utcnow())
