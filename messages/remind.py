"""The /pdsa remind modal (quiet hours, muted kinds) and the snooze confirmation."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from copbot.clock import in_zone
from copbot.reminder_preferences import MUTABLE_KINDS, ReminderPreferences
from messages.blocks import OPTION_LIMIT, as_view, clip, context, section

NO_QUIET_HOURS = "none"


def _hour_options() -> list[Option]:
    options = [Option(value=NO_QUIET_HOURS, label="No quiet hours")]
    return options + [Option(value=str(hour), label=f"{hour:02d}:00") for hour in range(24)]


def _hour_select(field: str, hour: int | None) -> StaticSelectElement:
    options = _hour_options()
    initial = next(o for o in options if o.value == (NO_QUIET_HOURS if hour is None else str(hour)))
    return StaticSelectElement(action_id=field, options=options, initial_option=initial)


def remind_modal(prefs: ReminderPreferences) -> dict[str, Any]:
    """The reminder settings modal, filled with the person's current preferences."""
    kinds = [Option(value=kind.value, label=clip(kind.label, OPTION_LIMIT)) for kind in MUTABLE_KINDS]
    muted = [option for option in kinds if option.value in prefs.muted_kinds]
    zone_note = prefs.tz or "your CoP's time zone (until copbot reads your Slack profile)"
    blocks = [
        section("copbot sends reminders on school days between 7:30 and 19:00 in *your* time zone, "
                "never on weekends or your CoP's breaks."),
        context(f"Time zone: {zone_note}. It follows your Slack profile."),
        InputBlock(block_id="quiet_start", label="Quiet hours start", optional=True,
                   element=_hour_select("quiet_start", prefs.quiet_start_hour)),
        InputBlock(block_id="quiet_end", label="Quiet hours end", optional=True,
                   element=_hour_select("quiet_end", prefs.quiet_end_hour)),
        InputBlock(block_id="muted_kinds", label="Mute these reminders", optional=True,
                   element=CheckboxesElement(action_id="muted_kinds", options=kinds,
                                             initial_options=muted or None)),
    ]
    view = View(type="modal", callback_id="remind_modal", title=PlainTextObject(text="Reminder settings"),
                submit=PlainTextObject(text="Save"), close=PlainTextObject(text="Cancel"), blocks=blocks,
                private_metadata=json.dumps({}))
    return as_view(view)


def hour_value(raw: str | None) -> int | None:
    """The hour chosen in a quiet-hours select (None for "No quiet hours" or nothing chosen)."""
    return None if raw in (None, NO_QUIET_HOURS) else int(raw)


def snoozed_text(due_at: datetime, tz: str) -> str:
    local = in_zone(due_at, tz)
    return f":zzz: Snoozed. I'll remind you again on {local:%A} {local.day} {local:%B} at {local:%H:%M}."


def preferences_saved_text(prefs: ReminderPreferences) -> str:
    quiet = (f"quiet hours {prefs.quiet_start_hour:02d}:00 to {prefs.quiet_end_hour:02d}:00"
             if prefs.quiet_start_hour is not None and prefs.quiet_end_hour is not None else "no quiet hours")
    muted = f"{len(prefs.muted_kinds)} kind(s) muted" if prefs.muted_kinds else "nothing muted"
    return f"Reminder settings saved: {quiet}, {muted}."
