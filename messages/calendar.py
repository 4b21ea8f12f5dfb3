"""The school calendar's messages: the CoP's breaks and convenings, the break modal, import results."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import DatePickerElement, InputBlock, PlainTextInputElement
from slack_sdk.models.blocks.basic_components import PlainTextObject
from slack_sdk.models.views import View

from copbot.school_calendar import Break, BreakImport, CopCalendar
from messages.blocks import as_message_blocks, as_view, clip, context, fallback_text, header, mrkdwn_escape, section

USAGE = (
    "`/pdsa calendar` lists your CoP's breaks and convenings. Facilitators can also use "
    "`/pdsa calendar add` (enter a break), `/pdsa calendar import https://…/calendar.ics` (a district calendar), "
    "or the *Import school calendar* shortcut on a message with an .ics file. "
    "`/pdsa calendar export` sends you the CoP's calendar to add to yours."
)
LIST_LIMIT = 40


def day(value: date) -> str:
    return f"{value:%a %b} {value.day}, {value.year}"


def days(starts_on: date, ends_on: date) -> str:
    return day(starts_on) if starts_on == ends_on else f"{day(starts_on)} – {day(ends_on)}"


def _break_lines(breaks: Sequence[Break]) -> str:
    lines = [f"• {days(b.starts_on, b.ends_on)}: {mrkdwn_escape(clip(b.name or 'Break', 100))}"
             for b in breaks[:LIST_LIMIT]]
    if len(breaks) > LIST_LIMIT:
        lines.append(f"…and {len(breaks) - LIST_LIMIT} more")
    return "\n".join(lines)


def calendar_listing(calendar: CopCalendar, *, can_edit: bool) -> tuple[str, list[dict[str, Any]]]:
    cop = mrkdwn_escape(calendar.cop.name)
    blocks = [header(f"School calendar: {calendar.cop.name}")]
    if calendar.convenings:
        lines = "\n".join(f"• {day(c.held_on)}: {mrkdwn_escape(clip(c.title or 'CoP convening', 100))}"
                          for c in calendar.convenings[:LIST_LIMIT])
        blocks.append(section(f"*Convenings*\n{lines}"))
    else:
        blocks.append(section("*Convenings*\nNone scheduled yet."))
    if calendar.breaks:
        blocks.append(section(f"*Breaks and days off* (nothing falls due on these)\n{_break_lines(calendar.breaks)}"))
    else:
        blocks.append(section("*Breaks and days off*\nNone yet: Do meetings fall due on any weekday."))
    hint = ("Add a break with `/pdsa calendar add` or import your district's .ics with "
            "`/pdsa calendar import <url>`. " if can_edit else "")
    blocks.append(context(hint + "`/pdsa calendar export` sends you this calendar with your teams' deadlines."))
    text = f"{cop}: {len(calendar.convenings)} convenings, {len(calendar.breaks)} breaks"
    return fallback_text(text), as_message_blocks(blocks)


def break_modal(*, cop_id: int, cop_name: str) -> dict[str, Any]:
    return as_view(View(
        type="modal",
        callback_id="calendar_modal",
        title=PlainTextObject(text="Add a break"),
        submit=PlainTextObject(text="Save"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=json.dumps({"cop_id": cop_id}),
        blocks=[
            context(f"Days off for {mrkdwn_escape(cop_name)}: nothing falls due and no reminder goes out."),
            InputBlock(block_id="name", label=PlainTextObject(text="Name"),
                       element=PlainTextInputElement(action_id="name", max_length=200,
                                                     placeholder=PlainTextObject(text="Winter break"))),
            InputBlock(block_id="starts_on", label=PlainTextObject(text="First day off"),
                       element=DatePickerElement(action_id="starts_on")),
            InputBlock(block_id="ends_on", label=PlainTextObject(text="Last day off"),
                       element=DatePickerElement(action_id="ends_on")),
        ],
    ))


def import_summary(*, cop_name: str, result: BreakImport, skipped: Sequence[str],
                   source: str) -> tuple[str, list[dict[str, Any]]]:
    """What an import stored (names and date ranges), what was there already, what was skipped."""
    added = len(result.added)
    title = f"Imported {added} break{'s' if added != 1 else ''} into {cop_name}'s calendar"
    blocks = [section(f":calendar: *{mrkdwn_escape(title)}* from {mrkdwn_escape(clip(source, 200))}.")]
    if result.added:
        blocks.append(section(_break_lines(result.added)))
    if result.already_there:
        blocks.append(section(f"*Already in the calendar* (not added again)\n{_break_lines(result.already_there)}"))
    if skipped:
        names = ", ".join(mrkdwn_escape(clip(name, 60)) for name in skipped[:15])
        more = f" and {len(skipped) - 15} more" if len(skipped) > 15 else ""
        blocks.append(context(f"Not imported ({len(skipped)} all-day events that are not days off): {names}{more}. "
                              "Add any that are days off with `/pdsa calendar add`."))
    if not (result.added or result.already_there):
        blocks.append(context("No all-day breaks or holidays were found. Only all-day events whose name says "
                              "break, holiday, no school, recess, furlough or vacation (or names a holiday) "
                              "are imported."))
    blocks.append(context("Do-meeting due dates and reminders now skip these days."))
    return fallback_text(title), as_message_blocks(blocks)


def break_saved(*, cop_name: str, item: Break) -> tuple[str, list[dict[str, Any]]]:
    text = f"Break added to {cop_name}'s calendar: {item.name}, {days(item.starts_on, item.ends_on)}"
    blocks = [section(f":calendar: *{mrkdwn_escape(item.name)}* ({days(item.starts_on, item.ends_on)}) "
                      f"added to {mrkdwn_escape(cop_name)}'s calendar."),
              context("Do-meeting due dates and reminders skip these days.")]
    return fallback_text(text), as_message_blocks(blocks)


def export_comment(*, cop_name: str, feed_url: str | None) -> str:
    text = (f"{cop_name}'s calendar: convenings, breaks, and each team's Plan, Do-meeting and Study deadlines. "
            "Open the file to add it to your calendar.")
    if feed_url:
        text += f" To keep it up to date instead, subscribe to {feed_url} (keep this address private)."
    return clip(text, 3000)


def importing(source: str) -> str:
    return clip(f"Importing the school calendar from {source}…", 3000)


def no_ics_file() -> str:
    return ("That message has no .ics calendar file. Upload your district's calendar (.ics) in a message, "
            "then use *Import school calendar* on it.")
