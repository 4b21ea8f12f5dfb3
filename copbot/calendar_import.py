"""Reading a district calendar (iCalendar .ics) into school breaks, and fetching one over HTTP.

The rule for what becomes a break: an **all-day** event (DTSTART is a date, not a time) whose
summary names a day off: it contains one of ``DAY_OFF_WORDS`` (break, holiday, no school, recess,
furlough, vacation, ...) or a holiday's name (Thanksgiving, Labor Day, ...). Timed events and
all-day events such as "First day of school" or "Minimum day" are school days and are skipped
(the import summary lists them, so nothing is dropped silently).

A recurring all-day break (RRULE, less its EXDATEs) becomes one break per occurrence within two
years. A file that cannot be parsed raises ``CalendarFileError`` naming the line; parsing happens
before anything is stored, so a bad file imports nothing.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlparse

from dateutil.rrule import rrulestr
from icalendar import Calendar, Event
from icalendar.parser import Contentline

from copbot.errors import UserError
from copbot.school_calendar import Break

MAX_BYTES = 2_000_000
MAX_OCCURRENCES = 200
FETCH_TIMEOUT_SECONDS = 10
DAY_OFF_WORDS = (
    "break", "holiday", "no school", "recess", "furlough", "vacation", "day off", "days off", "closed",
    "non-student", "no students", "school not in session",
    "thanksgiving", "labor day", "veterans day", "martin luther king", "mlk", "presidents", "memorial day",
    "juneteenth", "independence day", "christmas", "new year", "cesar chavez", "indigenous peoples",
    "columbus day",
)


class CalendarFileError(UserError):
    """The .ics could not be read; the message names the line."""


@dataclass(frozen=True)
class ContentLine:
    """One unfolded iCalendar content line and the physical line it starts on."""

    number: int
    name: str
    value: str
    text: str


@dataclass(frozen=True)
class CalendarFile:
    """What an .ics holds for copbot: the breaks, and the all-day events that are not days off."""

    breaks: list[Break]
    skipped: list[str]


def is_day_off(summary: str) -> bool:
    words = summary.casefold()
    return any(re.search(rf"\b{re.escape(word)}", words) for word in DAY_OFF_WORDS)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def content_lines(text: str) -> list[ContentLine]:
    """Unfold the file (RFC 5545 3.1) and split every content line, naming the first bad one."""
    unfolded: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw[:1] in (" ", "\t") and unfolded:
            start, so_far = unfolded[-1]
            unfolded[-1] = (start, so_far + raw[1:])
        elif raw.strip():
            unfolded.append((number, raw))
    lines = []
    for number, raw in unfolded:
        try:
            name, _params, value = Contentline(raw).parts()
        except ValueError:
            raise CalendarFileError(
                f"The calendar file cannot be read: line {number} is not an iCalendar line: {_show(raw)}"
            ) from None
        lines.append(ContentLine(number, name.upper(), str(value), raw))
    return lines


def _show(raw: str) -> str:
    return f"“{raw[:80]}{'…' if len(raw) > 80 else ''}”"


def _check_structure(lines: list[ContentLine]) -> list[ContentLine]:
    """BEGIN/END must pair up inside one VCALENDAR; returns the BEGIN:VEVENT lines in order."""
    if not lines or lines[0].name != "BEGIN" or lines[0].value.upper() != "VCALENDAR":
        first = f"line {lines[0].number} is {_show(lines[0].text)}" if lines else "it is empty"
        raise CalendarFileError(f"This is not an iCalendar (.ics) file: {first}; it must start with BEGIN:VCALENDAR.")
    open_blocks: list[ContentLine] = []
    events = []
    for line in lines:
        if not open_blocks and line is not lines[0]:
            raise CalendarFileError(
                f"The calendar file cannot be read: line {line.number} ({_show(line.text)}) comes after "
                "END:VCALENDAR; a file must hold exactly one calendar."
            )
        if line.name == "BEGIN":
            open_blocks.append(line)
            if line.value.upper() == "VEVENT":
                events.append(line)
        elif line.name == "END":
            if not open_blocks or open_blocks[-1].value.upper() != line.value.upper():
                expected = f"END:{open_blocks[-1].value}" if open_blocks else "nothing more"
                raise CalendarFileError(
                    f"The calendar file cannot be read: line {line.number} says {_show(line.text)} "
                    f"but {expected} was expected there."
                )
            open_blocks.pop()
    if open_blocks:
        block = open_blocks[-1]
        raise CalendarFileError(
            f"The calendar file cannot be read: {_show(block.text)} on line {block.number} is never closed "
            f"with END:{block.value}."
        )
    return events


def _line_of(lines: list[ContentLine], begin: ContentLine, name: str) -> ContentLine:
    """The ``name`` property line of the event that starts at ``begin`` (or ``begin`` itself)."""
    inside = False
    for line in lines:
        if line is begin:
            inside = True
        elif inside and line.name == name:
            return line
        elif inside and line.name == "END" and line.value.upper() == "VEVENT":
            break
    return begin


def parse_calendar(data: bytes) -> CalendarFile:
    """The breaks in an .ics file; CalendarFileError (naming the line) when it cannot be read."""
    lines = content_lines(_decode(data))
    event_lines = _check_structure(lines)
    try:
        calendar = Calendar.from_ical(_decode(data))
    except ValueError as error:
        raise CalendarFileError(f"The calendar file cannot be read: {str(error)[:200]}") from None
    breaks: list[Break] = []
    skipped: list[str] = []
    for begin, event in zip(event_lines, calendar.walk("VEVENT"), strict=False):
        summary = str(event.get("SUMMARY") or "").strip()
        starts_on, ends_on = _event_days(event, lines, begin)
        if starts_on is None or ends_on is None:
            continue  # a timed event: a school day
        if is_day_off(summary):
            length = ends_on - starts_on
            breaks.extend(Break(first, first + length, summary[:200])
                          for first in _occurrences(event, starts_on, lines, begin))
        else:
            skipped.append(summary or "(untitled event)")
    return CalendarFile(breaks=_unique(breaks), skipped=skipped)


def _event_days(event: Event, lines: list[ContentLine], begin: ContentLine) -> tuple[date | None, date | None]:
    """(first day, last day) of an all-day event, or (None, None) for a timed one."""
    for name, message in event.errors:
        line = _line_of(lines, begin, name) if name else _find_text(lines, begin, message)
        raise CalendarFileError(
            f"The calendar file cannot be read: line {line.number} has a value iCalendar does not accept: "
            f"{_show(line.text)}"
        )
    if "DTSTART" not in event:
        raise CalendarFileError(
            f"The calendar file cannot be read: the event starting on line {begin.number} has no DTSTART."
        )
    start = event.decoded("DTSTART")
    if isinstance(start, datetime):
        return None, None
    if "DTEND" in event:
        end = event.decoded("DTEND")
        last = (end.date() if isinstance(end, datetime) else end) - timedelta(days=1)
    elif "DURATION" in event:
        last = start + event.decoded("DURATION") - timedelta(days=1)
    else:
        last = start
    if last < start:
        last = start
    if (last - start).days > 120:
        line = _line_of(lines, begin, "DTEND")
        raise CalendarFileError(
            f"The calendar file has an all-day event longer than 120 days on line {line.number}: {_show(line.text)}"
        )
    return start, last


def _occurrences(event: Event, starts_on: date, lines: list[ContentLine], begin: ContentLine) -> list[date]:
    """First days of an all-day event: just ``starts_on``, or every RRULE occurrence (at most
    ``MAX_OCCURRENCES``, within two years) less its EXDATEs."""
    if "RRULE" not in event:
        return [starts_on]
    rule_text = event["RRULE"].to_ical().decode()
    try:
        rule = rrulestr(rule_text, dtstart=datetime.combine(starts_on, time()))
    except (ValueError, TypeError):
        line = _line_of(lines, begin, "RRULE")
        raise CalendarFileError(
            f"The calendar file has a repeat rule copbot cannot follow on line {line.number}: {_show(line.text)}"
        ) from None
    horizon = datetime.combine(starts_on + timedelta(days=730), time())
    firsts = [moment.date() for moment in rule.between(datetime.combine(starts_on, time()), horizon, inc=True)]
    excluded = set()
    exdates = event.get("EXDATE")
    for group in exdates if isinstance(exdates, list) else [exdates] if exdates is not None else []:
        excluded.update(value.dt.date() if isinstance(value.dt, datetime) else value.dt for value in group.dts)
    return [first for first in firsts if first not in excluded][:MAX_OCCURRENCES]


def _find_text(lines: list[ContentLine], begin: ContentLine, message: str) -> ContentLine:
    for line in lines:
        if line.number >= begin.number and line.text in message:
            return line
    return begin


def _unique(breaks: list[Break]) -> list[Break]:
    seen: set[tuple[date, date]] = set()
    kept = []
    for item in sorted(breaks, key=lambda b: (b.starts_on, b.ends_on)):
        if (item.starts_on, item.ends_on) not in seen:
            seen.add((item.starts_on, item.ends_on))
            kept.append(item)
    return kept


def check_url(url: str) -> str:
    """The URL if copbot may fetch it (http or https with a host); UserError otherwise."""
    parsed = urlparse(url.strip().strip("<>").split("|")[0])
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise UserError("Give the calendar's web address, starting with https://, e.g. "
                        "`/pdsa calendar import https://district.example.org/calendar.ics`.")
    return parsed.geturl()


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only, and never carry the bot token to another host."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> urllib.request.Request | None:
        if urlparse(newurl).scheme not in ("http", "https"):
            raise UserError("The calendar address redirects to something that is not a web address.")
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and urlparse(newurl).hostname != urlparse(req.full_url).hostname:
            new.remove_header("Authorization")
        return new


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_SafeRedirects())


def fetch(url: str, *, bearer_token: str | None = None, timeout: float = FETCH_TIMEOUT_SECONDS,
          max_bytes: int = MAX_BYTES) -> bytes:
    """GET ``url`` (http/https only) with a timeout and a size cap; UserError saying what failed."""
    url = check_url(url)
    headers = {"User-Agent": "copbot calendar import", "Accept": "text/calendar, */*"}
    if bearer_token:
        headers["Authorization"] = f"Bearer {bearer_token}"
    request = urllib.request.Request(url, headers=headers)
    try:
        with _opener().open(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise UserError(f"The calendar could not be downloaded: the server answered {error.code}.") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise UserError(f"The calendar could not be downloaded: {reason}.") from None
    if len(data) > max_bytes:
        raise UserError(f"The calendar file is larger than {max_bytes // 1_000_000} MB; copbot does not import it.")
    return data


def may_receive_bot_token(url: str, slack_api_url: str) -> bool:
    """Slack file URLs only: hosts under slack.com, or the host of the configured SLACK_API_URL."""
    host = (urlparse(url).hostname or "").lower()
    api_host = (urlparse(slack_api_url).hostname or "").lower()
    return host == "slack.com" or host.endswith(".slack.com") or (bool(host) and host == api_host)
