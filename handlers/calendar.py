"""/pdsa calendar [add | import <url> | export], the break modal, and the Import school calendar shortcut."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import App

from copbot.calendar_feed import build_feed, feed_path
from copbot.calendar_import import check_url, fetch, may_receive_bot_token, parse_calendar
from copbot.clock import utcnow
from copbot.errors import UserError
from copbot.membership import is_facilitator
from copbot.school_calendar import (
    Break,
    add_break,
    calendar_cop,
    cop_calendar,
    get_cop,
    import_breaks,
    require_facilitator,
)
from handlers.forms import FormValues
from handlers.pdsa import PdsaRouter
from handlers.replies import action, ephemeral, view_submission
from messages.calendar import (
    USAGE,
    break_modal,
    break_saved,
    calendar_listing,
    export_comment,
    import_summary,
    importing,
    no_ics_file,
)
from messages.confirmations import confirmation
from storage.db import Database
from storage.idempotency import first_delivery, view_submission_key


def _import_and_report(*, database: Database, client: Any, respond: Any, team_id: str, user_id: str, cop_id: int,
                       data: bytes, source: str) -> None:
    """Parse first (a bad file stores nothing), store the breaks, tell the importer and the channel."""
    parsed = parse_calendar(data)
    with database.session() as session:
        cop = get_cop(session, team_id=team_id, cop_id=cop_id)
        result = import_breaks(session, team_id=team_id, cop_id=cop_id, breaks=parsed.breaks)
    text, blocks = import_summary(cop_name=cop.name, result=result, skipped=parsed.skipped, source=source)
    respond(response_type="ephemeral", replace_original=False, text=text, blocks=blocks)
    if result.added and cop.channel_id:
        what = f"the school calendar ({len(result.added)} breaks imported)"
        note, note_blocks = confirmation(user_id=user_id, what=what, school=cop.name)
        client.chat_postMessage(channel=cop.channel_id, text=note, blocks=note_blocks)


def _facilitated_cop(database: Database, *, team_id: str, channel_id: str | None, user_id: str) -> tuple[int, str]:
    with database.session() as session:
        cop = calendar_cop(session, team_id=team_id, channel_id=channel_id, user_id=user_id)
        require_facilitator(session, team_id=team_id, user_id=user_id, cop=cop)
        return cop.id, cop.name


def _show_calendar(*, ack: Any, database: Database, team_id: str, user_id: str, channel_id: str | None,
                   **_: Any) -> None:
    with database.session() as session:
        cop = calendar_cop(session, team_id=team_id, channel_id=channel_id, user_id=user_id)
        calendar = cop_calendar(session, team_id=team_id, cop=cop)
        can_edit = is_facilitator(session, team_id=team_id, user_id=user_id, cop_id=cop.id)
    text, blocks = calendar_listing(calendar, can_edit=can_edit)
    ack(response_type="ephemeral", text=text, blocks=blocks)


def _open_break_modal(*, ack: Any, client: Any, command: dict, database: Database, team_id: str, user_id: str,
                      channel_id: str | None, **_: Any) -> None:
    cop_id, cop_name = _facilitated_cop(database, team_id=team_id, channel_id=channel_id, user_id=user_id)
    ack()
    client.views_open(trigger_id=command["trigger_id"], view=break_modal(cop_id=cop_id, cop_name=cop_name))


def _import_url(*, ack: Any, client: Any, respond: Any, database: Database, team_id: str, user_id: str,
                channel_id: str | None, rest: str, **_: Any) -> None:
    cop_id, _ = _facilitated_cop(database, team_id=team_id, channel_id=channel_id, user_id=user_id)
    url = check_url(rest)
    ack(response_type="ephemeral", text=importing(url))
    data = fetch(url)
    _import_and_report(database=database, client=client, respond=respond, team_id=team_id, user_id=user_id,
                       cop_id=cop_id, data=data, source=url)


def _export(*, ack: Any, client: Any, context: Any, database: Database, team_id: str, user_id: str,
            channel_id: str | None, **_: Any) -> None:
    settings = context["settings"]
    with database.session() as session:
        cop = calendar_cop(session, team_id=team_id, channel_id=channel_id, user_id=user_id)
        body = build_feed(session, team_id=team_id, cop=cop, generated_at=utcnow())
    feed_url = None
    if settings.public_url and settings.slack_signing_secret:
        feed_url = settings.public_url + feed_path(settings.slack_signing_secret, team_id=team_id, cop_id=cop.id)
    ack(response_type="ephemeral", text=f"Sending you {cop.name}'s calendar in a direct message.")
    dm = client.conversations_open(users=user_id)["channel"]["id"]
    slug = re.sub(r"[^a-z0-9]+", "-", cop.name.lower()).strip("-") or "cop"
    client.files_upload_v2(channel=dm, content=body, filename=f"{slug}-calendar.ics", title=f"{cop.name} calendar",
                           initial_comment=export_comment(cop_name=cop.name, feed_url=feed_url))


ACTIONS = {"": _show_calendar, "add": _open_break_modal, "import": _import_url, "export": _export}


def register(app: App, pdsa: PdsaRouter) -> None:
    def run_calendar(ack: Any, command: dict, client: Any, context: Any, respond: Any, args: str, **_: Any) -> None:
        word, _, rest = args.partition(" ")
        run = ACTIONS.get(word.lower())
        if run is None:
            ack(response_type="ephemeral", text=USAGE)
            return
        run(ack=ack, client=client, command=command, context=context, respond=respond, rest=rest.strip(),
            database=context["database"], team_id=context.team_id, user_id=command["user_id"],
            channel_id=command.get("channel_id"))

    pdsa.add("calendar", summary="Your CoP's breaks and convenings; import, add or export them",
             example="/pdsa calendar import https://district.example.org/calendar.ics", run=run_calendar)

    @app.view("calendar_modal")
    @view_submission("name")
    def save_break(ack: Any, body: dict, view: dict, client: Any, context: Any, **_: Any) -> None:
        form = FormValues(view)
        database, team_id, user_id = context["database"], context.team_id, body["user"]["id"]
        with database.session() as session:
            if not first_delivery(session, team_id=team_id, key=view_submission_key(view)):
                ack()
                return
            cop = get_cop(session, team_id=team_id, cop_id=int(form.metadata.get("cop_id") or 0))
            require_facilitator(session, team_id=team_id, user_id=user_id, cop=cop)
            row = add_break(session, team_id=team_id, cop_id=cop.id,
                            name=form.required_text("name", "Name the break, e.g. Winter break."),
                            starts_on=form.required_date("starts_on", "Pick the first day off."),
                            ends_on=form.required_date("ends_on", "Pick the last day off."))
        ack()
        if cop.channel_id:
            text, blocks = break_saved(cop_name=cop.name, item=Break(row.starts_on, row.ends_on, row.name))
            client.chat_postMessage(channel=cop.channel_id, text=text, blocks=blocks)

    @app.shortcut("import_calendar")
    @action
    def import_from_message(ack: Any, shortcut: dict, client: Any, context: Any, respond: Any, **_: Any) -> None:
        ack()  # a shortcut's ack shows nothing: every answer goes to response_url
        database, team_id, user_id = context["database"], context.team_id, shortcut["user"]["id"]
        cop_id, _ = _facilitated_cop(database, team_id=team_id, channel_id=(shortcut.get("channel") or {}).get("id"),
                                     user_id=user_id)
        ics = _ics_file(shortcut.get("message") or {})
        if ics is None:
            raise UserError(no_ics_file())
        url = ics.get("url_private_download") or ics.get("url_private") or ""
        if not may_receive_bot_token(url, context["settings"].slack_api_url):
            raise UserError("That file is not stored in Slack, so copbot cannot download it.")
        name = ics.get("name") or "the uploaded file"
        ephemeral(ack, respond, importing(name))
        data = fetch(url, bearer_token=context.bot_token or client.token)
        _import_and_report(database=database, client=client, respond=respond, team_id=team_id, user_id=user_id,
                           cop_id=cop_id, data=data, source=name)


def _ics_file(message: dict) -> dict | None:
    for item in message.get("files") or []:
        name = (item.get("name") or "").lower()
        if name.endswith(".ics") or item.get("filetype") == "ics" or item.get("mimetype") == "text/calendar":
            return item
    return None

