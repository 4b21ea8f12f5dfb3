"""Reminder DMs: one sentence saying what is due, a button to the right form, snooze buttons.

The text is rendered from the facts stored in the notification's payload (``copbot.reminders``),
so a preview (``copbot reminders due``) shows exactly what will be sent.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from copbot.vocabulary import CheckinKind, DoMeetingKind, ReminderKind
from messages.blocks import BUTTON_LIMIT, as_message_blocks, clip, context, fallback_text, mrkdwn_escape, section
from messages.digest import digest_message, digest_summary

SNOOZE_ACTIONS = {"snooze_notification_day": 1, "snooze_notification_week": 7}
OPEN_LABEL = {
    "open_plan": "Record the Plan",
    "open_do": "Log the Do meeting",
    "open_study": "Record the Study",
    "open_act": "Record the Act decision",
    "open_ssc": "Record the SSC report",
    "open_checkin": "Record the check-in",
}


def _day(iso: str) -> str:
    day = date.fromisoformat(iso)
    return f"{day:%A} {day.day} {day:%B}"


def reminder_text(kind: str, payload: dict[str, Any]) -> str:
    """The reminder's sentence, in Slack mrkdwn (user text escaped)."""
    school = mrkdwn_escape(str(payload.get("school", "")))
    cop = mrkdwn_escape(str(payload.get("cop", "")))
    cycle = payload.get("cycle")
    if kind == ReminderKind.PLAN:
        return (f"*{school}*: the Plan for cycle {cycle} is due at the CoP convening on {_day(payload['due_on'])}. "
                "Record the strategy you will test and your evidence plan.")
    if kind == ReminderKind.DO_MEETING:
        meeting = DoMeetingKind(payload["meeting"]).label
        return (f"*{school}*: the *{meeting}* meeting of cycle {cycle} was due by {_day(payload['due_on'])} "
                "and is not logged yet. Log it once the team has met.")
    if kind == ReminderKind.STUDY:
        return (f"*{school}*: the Study of cycle {cycle} is due at the convening on {_day(payload['due_on'])}. "
                "Organise your evidence and record what the team learned.")
    if kind == ReminderKind.ACT:
        step = "your Act decision" if payload.get("stage") == "act" else "your Study reflection and Act decision"
        return (f"*{school}*: cycle {cycle} was studied at the convening on {_day(payload['due_on'])}. "
                f"Record {step}: start, stop, keep, scale, adapt or abandon.")
    if kind == ReminderKind.SSC_REPORT:
        again = " (reminder)" if int(payload.get("reminder_number", 1)) > 1 else ""
        return (f"*{school}*: report the key learnings of the {_day(payload['convening_on'])} convening to your "
                f"School Site Council, then record the report{again}.")
    if kind == ReminderKind.REGIONAL_CHECKIN:
        label = CheckinKind(payload["checkin"]).label
        return (f"*{cop}*: time for the regional facilitators' check-in: {label}. "
                "Record it with `/pdsa checkin` once it has happened.")
    if kind == ReminderKind.TEAM_CHECKIN:
        return (f"*{school}* is in Do for cycle {cycle}: schedule your facilitator check-in with the team "
                f"(mid-stream meeting due {_day(payload['due_on'])}) and record it.")
    if kind == ReminderKind.BEHIND_DIGEST:
        lines = [f"• *{mrkdwn_escape(team['school'])}*: {mrkdwn_escape(team['reason'])}" for team in payload["teams"]]
        return f"Teams of *{cop}* that are behind:\n" + "\n".join(lines)
    raise ValueError(f"no reminder text for kind {kind!r}")


def preview_text(kind: str, payload: dict[str, Any]) -> str:
    """The message's plain text only (no Block Kit built), for previews of thousands of rows."""
    if kind == ReminderKind.WEEKLY_DIGEST:
        return digest_summary(payload)
    return fallback_text(reminder_text(kind, payload).replace("*", ""))


def reminder_message(kind: str, payload: dict[str, Any], *, notification_id: int) -> tuple[str, list[dict[str, Any]]]:
    """(fallback text, blocks) of a notification; weekly digests use the digest template."""
    if kind == ReminderKind.WEEKLY_DIGEST:
        return digest_message(payload)
    text = reminder_text(kind, payload)
    buttons = []
    button = payload.get("button")
    if button and payload.get("school_team_id") is not None:
        buttons.append(ButtonElement(text=clip(OPEN_LABEL[button], BUTTON_LIMIT), action_id=button,
                                     value=str(payload["school_team_id"]), style="primary"))
    buttons += [
        ButtonElement(text="Snooze 1 day", action_id="snooze_notification_day", value=str(notification_id)),
        ButtonElement(text="Snooze 1 week", action_id="snooze_notification_week", value=str(notification_id)),
    ]
    blocks = [section(text), ActionsBlock(block_id="reminder_actions", elements=buttons),
              context(f"{ReminderKind(kind).label}. Change quiet hours or mute kinds with `/pdsa remind`.")]
    return preview_text(kind, payload), as_message_blocks(blocks)
