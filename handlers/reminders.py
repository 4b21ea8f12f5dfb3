"""/pdsa remind (quiet hours, muted kinds) and the snooze buttons of reminder DMs."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import App

from copbot.clock import utcnow
from copbot.errors import UserError
from copbot.reminder_preferences import preferences, save_preferences, snooze_notification
from handlers.forms import FormValues
from handlers.pdsa import PdsaRouter
from handlers.replies import action, ephemeral, view_submission
from messages.remind import hour_value, preferences_saved_text, remind_modal, snoozed_text
from messages.reminders import SNOOZE_ACTIONS
from storage.idempotency import first_delivery, view_submission_key


def register(app: App, pdsa: PdsaRouter) -> None:
    def open_remind(ack: Any, command: dict, client: Any, context: Any, args: str, **_: Any) -> None:
        if args:
            raise UserError("`/pdsa remind` opens your reminder settings; it takes no other words.")
        ack()
        with context["database"].session() as session:
            prefs = preferences(session, team_id=context.team_id, user_id=command["user_id"])
        client.views_open(trigger_id=command["trigger_id"], view=remind_modal(prefs))

    pdsa.add("remind", summary="Set quiet hours and mute kinds of reminders", example="/pdsa remind",
             run=open_remind)

    @app.view("remind_modal")
    @view_submission("quiet_start")
    def save_remind(ack: Any, body: dict, view: dict, context: Any, client: Any) -> None:
        form = FormValues(view)
        user_id = body["user"]["id"]
        with context["database"].session() as session:
            if not first_delivery(session, team_id=context.team_id, key=view_submission_key(view)):
                ack()
                return
            save_preferences(session, team_id=context.team_id, user_id=user_id,
                             quiet_start_hour=hour_value(form.option("quiet_start")),
                             quiet_end_hour=hour_value(form.option("quiet_end")),
                             muted_kinds=form.options("muted_kinds"))
            prefs = preferences(session, team_id=context.team_id, user_id=user_id)
        ack()
        client.chat_postMessage(channel=user_id, text=preferences_saved_text(prefs))

    @app.action(re.compile("^(" + "|".join(SNOOZE_ACTIONS) + ")$"))
    @action
    def snooze(ack: Any, body: dict, context: Any, respond: Any) -> None:
        ack()
        pressed = body["actions"][0]
        try:
            notification_id = int(pressed.get("value") or "")
        except ValueError:
            raise UserError("That reminder no longer exists.") from None
        with context["database"].session() as session:
            snoozed = snooze_notification(session, team_id=context.team_id, user_id=body["user"]["id"],
                                          notification_id=notification_id, days=SNOOZE_ACTIONS[pressed["action_id"]],
                                          at=utcnow())
        ephemeral(ack, respond, snoozed_text(snoozed.notification.due_at, snoozed.tz))
