"""Reading district .ics calendars: which events become breaks, bad files named by line, fetching."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from copbot.calendar_import import (
    CalendarFileError,
    check_url,
    fetch,
    is_day_off,
    may_receive_bot_token,
    parse_calendar,
)
from copbot.errors import UserError
from copbot.school_calendar import Break, import_breaks
from storage.models import CalendarBreak
from tests.factories import make_cop
from tests.file_server import FileServer

DISTRICT = (Path(__file__).parent / "calendars" / "district_2025_26.ics").read_bytes()


@pytest.fixture
def files() -> Iterator[FileServer]:
    with FileServer() as server:
        yield server


def test_all_day_days_off_become_breaks_with_inclusive_last_days():
    parsed = parse_calendar(DISTRICT)
    assert parsed.breaks == [
        Break(date(2025, 9, 1), date(2025, 9, 1), "Labor Day - No School"),
        Break(date(2025, 11, 11), date(2025, 11, 11), "Veterans Day"),
        Break(date(2025, 11, 24), date(2025, 11, 28), "Thanksgiving Break"),
        Break(date(2025, 12, 19), date(2026, 1, 2), "Winter Recess"),
        Break(date(2026, 1, 19), date(2026, 1, 19), "Martin Luther King Jr. Day"),
        Break(date(2026, 3, 30), date(2026, 4, 3), "Spring Break"),
    ]
    # School days stay school days; the timed Back to School Night is not an all-day event at all.
    assert parsed.skipped == ["First Day of School", "Minimum Day (secondary)"]


def test_day_off_rule():
    assert is_day_off("WINTER BREAK")
    assert is_day_off("No School - Staff Development")
    assert is_day_off("Furlough day")
    assert not is_day_off("First day of school")
    assert not is_day_off("Early release")


def test_a_line_that_is_not_icalendar_is_named():
    broken = DISTRICT.replace(b"SUMMARY:Veterans Day", b"SUMMARY Veterans Day")
    with pytest.raises(CalendarFileError) as raised:
        parse_calendar(broken)
    assert "line 31" in raised.value.message
    assert "SUMMARY Veterans Day" in raised.value.message


def test_a_bad_date_value_is_named_by_line():
    broken = DISTRICT.replace(b"DTSTART;VALUE=DATE:20251124", b"DTSTART;VALUE=DATE:2025-11-XX")
    with pytest.raises(CalendarFileError) as raised:
        parse_calendar(broken)
    assert "line 36" in raised.value.message


def test_unbalanced_blocks_and_other_files_are_named():
    with pytest.raises(CalendarFileError, match="line 32"):
        parse_calendar(DISTRICT.replace(b"END:VEVENT\r\nBEGIN:VEVENT\r\nUID:fusd-2025-thanksgiving",
                                        b"END:VTODO\r\nBEGIN:VEVENT\r\nUID:fusd-2025-thanksgiving"))
    with pytest.raises(CalendarFileError, match="line 1"):
        parse_calendar(b"<!doctype html>\n<html><body>Calendar</body></html>")
    with pytest.raises(CalendarFileError, match="never closed"):
        parse_calendar(DISTRICT.replace(b"END:VCALENDAR\r\n", b""))


def test_reimporting_adds_nothing_new(session):
    cop = make_cop(session)
    breaks = parse_calendar(DISTRICT).breaks
    first = import_breaks(session, team_id="T0001", cop_id=cop.id, breaks=breaks)
    again = import_breaks(session, team_id="T0001", cop_id=cop.id, breaks=breaks)
    assert len(first.added) == 6 and first.already_there == []
    assert again.added == [] and len(again.already_there) == 6
    assert len(session.exec(select(CalendarBreak)).all()) == 6


def test_fetch_reads_a_calendar_from_a_web_server(files):
    url = files.serve("/district.ics", DISTRICT)
    assert fetch(url) == DISTRICT
    assert "Authorization" not in files.requests[-1][1]


def test_fetch_sends_the_token_when_asked_and_reports_failures(files):
    url = files.serve("/private.ics", DISTRICT)
    fetch(url, bearer_token="xoxb-abc")
    assert files.requests[-1][1]["Authorization"] == "Bearer xoxb-abc"
    with pytest.raises(UserError, match="404"):
        fetch(files.url("/missing.ics"))
    with pytest.raises(UserError, match="larger than"):
        fetch(url, max_bytes=100)


def test_only_web_addresses_are_fetched():
    for bad in ("file:///etc/passwd", "ftp://example.org/cal.ics", "calendar.ics", ""):
        with pytest.raises(UserError, match="https://"):
            check_url(bad)
    assert check_url("<https://district.example.org/cal.ics>") == "https://district.example.org/cal.ics"


def test_the_bot_token_only_goes_to_slack_hosts():
    api = "https://slack.com/api/"
    assert may_receive_bot_token("https://files.slack.com/files-pri/T1-F1/district.ics", api)
    assert not may_receive_bot_token("https://evil.example.org/district.ics", api)
    assert not may_receive_bot_token("https://files.slack.com.evil.org/x.ics", api)
    assert may_receive_bot_token("http://127.0.0.1:4000/files/x.ics", "http://127.0.0.1:5000/api/")


RECURRING = b"""BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Sanger Unified//EN\r
BEGIN:VEVENT\r
UID:furlough@sanger.example\r
DTSTAMP:20250601T120000Z\r
SUMMARY:Furlough Friday - no school\r
DTSTART;VALUE=DATE:20260206\r
DTEND;VALUE=DATE:20260207\r
RRULE:FREQ=WEEKLY;COUNT=4\r
EXDATE;VALUE=DATE:20260213\r
END:VEVENT\r
END:VCALENDAR\r
"""


def test_a_recurring_day_off_becomes_one_break_per_occurrence():
    assert [b.starts_on for b in parse_calendar(RECURRING).breaks] == [
        date(2026, 2, 6), date(2026, 2, 20), date(2026, 2, 27)]


def test_a_second_calendar_in_one_file_is_named():
    with pytest.raises(CalendarFileError, match="line 71"):
        parse_calendar(DISTRICT + DISTRICT)


def test_slack_link_formatting_is_removed_from_addresses():
    assert check_url("<https://district.example.org/cal.ics|cal.ics>") == "https://district.example.org/cal.ics"
