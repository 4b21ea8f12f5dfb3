"""/pdsa calendar end to end: URL import, the file shortcut, breaks by hand, listing and export."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar
from sqlmodel import select

from copbot.school_calendar import add_break
from storage.models import CalendarBreak
from tests.conftest import BOT_TOKEN
from tests.factories import make_cop, make_school_team
from tests.file_server import FileServer
from tests.slack_requests import message_shortcut, view_submission

DISTRICT = (Path(__file__).parent / "calendars" / "district_2025_26.ics").read_bytes()


@pytest.fixture
def files() -> Iterator[FileServer]:
    with FileServer() as server:
        yield server


@pytest.fixture
def cop_id(database) -> int:
    with database.session() as session:
        cop = make_cop(session)
        make_school_team(session, cop)
        return cop.id


def stored_breaks(database) -> list[CalendarBreak]:
    with database.session() as session:
        return list(session.exec(select(CalendarBreak).order_by(CalendarBreak.starts_on)).all())


def test_facilitator_imports_a_calendar_from_a_url(slack, standin, files, database, cop_id):
    url = files.serve("/fusd/2025-26.ics", DISTRICT)
    reply = slack.command(f"calendar import {url}", user_id="UFAC1", response_url=standin.response_url())
    assert reply.json["response_type"] == "ephemeral"
    assert "Importing" in reply.json["text"]
    summary = standin.wait_for_response(lambda body: "Imported" in body.get("text", ""))
    assert summary["text"] == "Imported 6 breaks into Middle School Engagement CoP's calendar"
    shown = str(summary["blocks"])
    assert "Winter Recess" in shown and "Fri Dec 19, 2025 – Fri Jan 2, 2026" in shown
    assert "First Day of School" in shown  # listed as not imported
    assert len(stored_breaks(database)) == 6
    note = standin.wait_for("chat.postMessage")[-1]
    assert note.args["channel"] == "C0001" and "6 breaks imported" in str(note.args["blocks"])

    slack.command(f"calendar import {url}", user_id="UFAC1", response_url=standin.response_url())
    again = standin.wait_for_response(lambda body: body.get("text", "").startswith("Imported 0"))
    assert "Already in the calendar" in str(again["blocks"])
    assert len(stored_breaks(database)) == 6


def test_a_malformed_calendar_names_the_line_and_imports_nothing(slack, standin, files, database, cop_id):
    url = files.serve("/bad.ics", DISTRICT.replace(b"SUMMARY:Spring Break", b"SUMMARY Spring Break"))
    slack.command(f"calendar import {url}", user_id="UFAC1", response_url=standin.response_url())
    answer = standin.wait_for_response(lambda body: "line" in body.get("text", ""))
    assert "line 68" in answer["text"] and "SUMMARY Spring Break" in answer["text"]
    assert stored_breaks(database) == []
    assert standin.calls_to("chat.postMessage") == []


def test_unreachable_calendars_and_bad_addresses_are_explained(slack, standin, files, cop_id):
    slack.command(f"calendar import {files.url('/nope.ics')}", user_id="UFAC1", response_url=standin.response_url())
    assert "404" in standin.wait_for_response(lambda body: "downloaded" in body.get("text", ""))["text"]
    reply = slack.command("calendar import file:///etc/passwd", user_id="UFAC1")
    assert "https://" in reply.json["text"]


def test_only_facilitators_change_the_calendar(slack, standin, files, database, cop_id):
    url = files.serve("/fusd.ics", DISTRICT)
    for text in (f"calendar import {url}", "calendar add"):
        reply = slack.command(text, user_id="U0001")
        assert "Only facilitators" in reply.json["text"]
    assert files.requests == []
    assert standin.calls_to("views.open") == []


def test_import_from_an_uploaded_file_sends_the_bot_token(slack, standin, files, database, cop_id):
    url = files.serve("/files-pri/T0001-F0001/fusd.ics", DISTRICT)
    shortcut = message_shortcut(
        "import_calendar", text="Here is the district calendar", user_id="UFAC1",
        files=[{"id": "F0001", "name": "fusd.ics", "filetype": "ics", "mimetype": "text/calendar",
                "url_private": url, "url_private_download": url}],
        response_url=standin.response_url(),
    )
    assert slack.interactive(shortcut).status == 200
    summary = standin.wait_for_response(lambda body: "Imported" in body.get("text", ""))
    assert "Spring Break" in str(summary["blocks"])
    assert files.requests[-1][1]["Authorization"] == f"Bearer {BOT_TOKEN}"
    assert len(stored_breaks(database)) == 6


def test_the_shortcut_on_a_message_without_a_calendar_file(slack, standin, files, cop_id):
    shortcut = message_shortcut("import_calendar", text="no file here", user_id="UFAC1",
                                files=[{"id": "F2", "name": "notes.pdf", "filetype": "pdf",
                                        "url_private": files.url("/notes.pdf")}],
                                response_url=standin.response_url())
    slack.interactive(shortcut)
    assert ".ics" in standin.wait_for_response()["text"]
    assert files.requests == []


def test_add_a_break_by_hand(slack, standin, database, cop_id):
    slack.command("calendar add", user_id="UFAC1")
    view = standin.wait_for("views.open")[-1].args["view"]
    assert view["callback_id"] == "calendar_modal"
    bad = slack.interactive(view_submission(view, {"name": "Winter break", "starts_on": "2026-01-02",
                                                   "ends_on": "2025-12-22"}, user_id="UFAC1"))
    assert bad.json["response_action"] == "errors"
    assert "ends_on" in bad.json["errors"]
    assert stored_breaks(database) == []

    good = view_submission(view, {"name": "Winter break", "starts_on": "2025-12-22", "ends_on": "2026-01-02"},
                           user_id="UFAC1")
    good["view"]["hash"] = "h-second-try"
    assert slack.interactive(good).status == 200
    note = standin.wait_for("chat.postMessage")[-1]
    assert "Winter break" in note.args["text"]
    [row] = stored_breaks(database)
    assert (row.name, row.starts_on, row.ends_on) == ("Winter break", date(2025, 12, 22), date(2026, 1, 2))

    listing = slack.command("calendar", user_id="U0001").json
    shown = str(listing["blocks"])
    assert "Winter break" in shown and "Sat Aug 23, 2025" in shown
    assert "calendar add" not in shown  # not a facilitator: no editing hints


def test_export_uploads_the_calendar_to_the_person(slack, standin, database, cop_id):
    reply = slack.command("calendar export", user_id="U0001")
    assert "direct message" in reply.json["text"]
    complete = standin.wait_for("files.completeUploadExternal")[-1]
    assert complete.args["channel_id"] == "DU0001"
    [uploaded] = standin.uploads.values()
    calendar = Calendar.from_ical(uploaded)
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert "Middle School Engagement CoP: CoP convening" in summaries


def test_other_workspaces_see_none_of_it(slack, standin, database, cop_id):
    with database.session() as session:
        add_break(session, team_id="T0001", cop_id=cop_id, name="Winter break", starts_on=date(2025, 12, 22),
                  ends_on=date(2026, 1, 2))
    reply = slack.command("calendar", user_id="UFAC1", team_id="T0002")
    assert "CoP's channel" in reply.json["text"]
    reply = slack.command("calendar add", user_id="UFAC1", team_id="T0002")
    assert "CoP's channel" in reply.json["text"]


def test_unknown_calendar_words_get_usage(slack, cop_id):
    assert "/pdsa calendar add" in slack.command("calendar frobnicate", user_id="UFAC1").json["text"]
