"""The CoP calendar feed: its events, and its secret address served by copbot's web app."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar

from copbot.calendar_feed import build_feed, cop_for_token, feed_path, feed_token
from copbot.cycles import open_cycle
from copbot.school_calendar import add_break
from storage.models import Cop
from tests.conftest import SIGNING_SECRET
from tests.factories import make_cop, make_school_team

AT = datetime(2025, 11, 20, 16, 0, tzinfo=UTC)
PUBLIC_URL = "https://copbot.example.org"


@pytest.fixture
def settings(settings):
    """copbot with a public address, so exported calendars name their subscription address."""
    return replace(settings, public_url=PUBLIC_URL)


def events(ics: bytes) -> dict[str, tuple[date, date]]:
    """SUMMARY -> (first day, last day) of every all-day event."""
    found = {}
    for event in Calendar.from_ical(ics).walk("VEVENT"):
        first = event.decoded("DTSTART")
        found[str(event["SUMMARY"])] = (first, event.decoded("DTEND") - timedelta(days=1))
    return found


def seed(session) -> int:
    cop = make_cop(session)
    lincoln = make_school_team(session, cop)
    open_cycle(session, team_id="T0001", school_team_id=lincoln.id, school_year="2025-26",
               plan_on=date(2025, 11, 15), study_on=date(2026, 1, 23))
    add_break(session, team_id="T0001", cop_id=cop.id, name="Thanksgiving break", starts_on=date(2025, 11, 24),
              ends_on=date(2025, 11, 28))
    return cop.id


def test_feed_holds_convenings_breaks_and_cycle_deadlines(session):
    cop_id = seed(session)
    ics = build_feed(session, team_id="T0001", cop=session.get(Cop, cop_id), generated_at=AT)
    found = events(ics)
    assert found["Middle School Engagement CoP: CoP convening"] == (date(2026, 3, 20), date(2026, 3, 20))
    assert found["No school: Thanksgiving break"] == (date(2025, 11, 24), date(2025, 11, 28))
    assert found["Lincoln Middle School, cycle 1: Plan (convening)"] == (date(2025, 11, 15), date(2025, 11, 15))
    assert found["Lincoln Middle School, cycle 1: Study (convening)"] == (date(2026, 1, 23), date(2026, 1, 23))
    # The game plan meeting would fall on Wed Nov 26, inside the break: it moves to Mon Dec 1.
    assert found["Lincoln Middle School, cycle 1: Do meeting due: Game plan"] == (date(2025, 12, 1), date(2025, 12, 1))
    assert found["Lincoln Middle School, cycle 1: Do meeting due: Mid-stream status check"][0] == date(2025, 12, 19)
    uids = [str(event["UID"]) for event in Calendar.from_ical(ics).walk("VEVENT")]
    assert len(uids) == len(set(uids)) == 4 + 1 + 5


def test_tokens_belong_to_one_cop_of_one_workspace(session):
    cop_id = seed(session)
    token = feed_token(SIGNING_SECRET, team_id="T0001", cop_id=cop_id)
    assert cop_for_token(session, secret=SIGNING_SECRET, token=token).id == cop_id
    assert cop_for_token(session, secret="another-secret", token=token) is None
    assert cop_for_token(session, secret=SIGNING_SECRET, token=feed_token(SIGNING_SECRET, team_id="T0002",
                                                                        cop_id=cop_id)) is None
    assert cop_for_token(session, secret=None, token=token) is None
    assert cop_for_token(session, secret=SIGNING_SECRET, token="abc") is None


def test_feed_is_served_at_its_secret_address_only(slack, database):
    with database.session() as session:
        cop_id = seed(session)
    reply = slack.get(feed_path(SIGNING_SECRET, team_id="T0001", cop_id=cop_id))
    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/calendar")
    assert "Lincoln Middle School, cycle 1: Study (convening)" in events(reply.body)

    wrong = feed_token("not-the-secret", team_id="T0001", cop_id=cop_id)
    assert slack.get(f"/calendar/{wrong}.ics").status == 404
    assert slack.get(f"/calendar/{cop_id + 1}-{wrong.split('-')[1]}.ics").status == 404
    assert slack.get("/calendar/../healthz.ics").status == 404


def test_export_names_the_subscription_address(slack, standin, database):
    with database.session() as session:
        cop_id = seed(session)
    slack.command("calendar export", user_id="U0001")
    complete = standin.wait_for("files.completeUploadExternal")[-1]
    path = feed_path(SIGNING_SECRET, team_id="T0001", cop_id=cop_id)
    assert f"{PUBLIC_URL}{path}" in complete.args["initial_comment"]
    assert slack.get(path).status == 200
