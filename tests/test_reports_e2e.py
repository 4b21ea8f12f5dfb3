"""/pdsa report, /pdsa chart and /pdsa progress end to end: signed requests in, files uploaded to the stand-in."""

from __future__ import annotations

import io
from datetime import date

import matplotlib.image
import pytest

from storage.models import Cycle, EvidenceItem
from tests.factories import make_cop, make_school_team
from tests.school_year import seed_school_year


@pytest.fixture
def year(session):
    return seed_school_year(session)


def uploaded(standin, channel: str) -> dict[str, bytes]:
    """filename -> bytes of the files shared to ``channel`` by files.completeUploadExternal."""
    [call] = standin.wait_for("files.completeUploadExternal", lambda c: c.args.get("channel_id") == channel)
    titles = {f["id"]: f.get("title", "") for f in call.args["files"]}
    names = {c.answer["file_id"]: c.args["filename"] for c in standin.calls_to("files.getUploadURLExternal")}
    return {names[file_id]: standin.uploads[file_id] for file_id in titles}


def test_ssc_report_is_uploaded_to_the_cop_channel_as_markdown_and_html(slack, standin, year):
    reply = slack.command("report ssc", user_id="U0001", channel_id="C0001", response_url=standin.response_url())
    assert reply.status == 200
    assert reply.json["response_type"] == "ephemeral"
    assert "School Site Council summary" in reply.json["text"]
    files = uploaded(standin, "C0001")
    markdown = next(content for name, content in files.items() if name.endswith(".md")).decode()
    html = next(content for name, content in files.items() if name.endswith(".html")).decode()
    assert markdown.startswith("# School Site Council update: Lincoln Middle School")
    assert "## Decision (Act)" in markdown and "**Scale**" in markdown
    assert "<h2>Next steps</h2>" in html
    pdf = next(content for name, content in files.items() if name.endswith(".pdf"))
    assert pdf.startswith(b"%PDF-") and b"/Count 1" in pdf
    lengths = {c.args["filename"]: int(c.args["length"]) for c in standin.calls_to("files.getUploadURLExternal")}
    assert all(lengths[name] == len(content) for name, content in files.items())
    [complete] = standin.calls_to("files.completeUploadExternal")
    assert "Lincoln Middle School" in complete.args["initial_comment"]


def test_plan_report_for_a_named_school_by_the_facilitator(slack, standin, year):
    slack.command("report plan Roosevelt", user_id="UFAC1", channel_id="C0001")
    files = uploaded(standin, "C0001")
    markdown = next(content for name, content in files.items() if name.endswith(".md")).decode()
    assert "School Improvement Plan summary 2025-26: Roosevelt Middle School" in markdown
    assert "### Abandoned" in markdown


def test_report_asked_outside_the_cop_channel_goes_to_a_dm(slack, standin, year):
    slack.command("report ssc", user_id="U0011", channel_id="CELSEWHERE")
    [opened] = standin.wait_for("conversations.open")
    assert opened.args["users"] == "U0011"
    dm = opened.answer["channel"]["id"]
    files = uploaded(standin, dm)
    assert any(b"Roosevelt Middle School" in content for content in files.values())


def test_report_for_a_team_with_no_data_says_what_is_missing(slack, standin, session):
    cop = make_cop(session)
    make_school_team(session, cop, "Washington Middle School", with_pop=False)
    session.commit()
    slack.command("report ssc", user_id="U0001", response_url=standin.response_url())
    body = standin.wait_for_response(lambda b: "Missing" in b.get("text", ""))
    assert body["response_type"] == "ephemeral"
    assert "problem of practice" in body["text"] and "Plan" in body["text"]
    assert standin.calls_to("files.completeUploadExternal") == []
    assert standin.calls_to("files.getUploadURLExternal") == []


def test_district_report_is_refused_to_a_teacher(slack, standin, year):
    standin.add_user("U0001")
    slack.command("report district", user_id="U0001", response_url=standin.response_url())
    body = standin.wait_for_response(lambda b: "facilitators" in b.get("text", ""))
    assert "Only CoP facilitators and workspace admins" in body["text"]
    assert standin.calls_to("files.getUploadURLExternal") == []


def test_district_report_for_a_workspace_admin_goes_to_their_dm(slack, standin, year):
    standin.add_user("UADMIN")
    standin.users["UADMIN"]["is_admin"] = True
    slack.command("report district", user_id="UADMIN", channel_id="C0001")
    standin.wait_for("users.info", lambda c: c.args["user"] == "UADMIN")
    [opened] = standin.wait_for("conversations.open")
    files = uploaded(standin, opened.answer["channel"]["id"])
    markdown = next(content for name, content in files.items() if name.endswith(".md")).decode()
    assert "strategies tested across all CoPs" in markdown
    assert "**What did not work**" in markdown


def test_reports_never_cross_workspaces(slack, standin, year):
    slack.command("report ssc", user_id="U0001", team_id="T0002", response_url=standin.response_url())
    body = standin.wait_for_response(lambda b: "not on a school team" in b.get("text", ""))
    assert body["response_type"] == "ephemeral"
    assert standin.calls_to("files.getUploadURLExternal") == []


def test_unknown_report_kind_lists_the_reports(slack, standin, year):
    reply = slack.command("report weekly")
    assert "`/pdsa report ssc`" in reply.json["text"]


def test_chart_is_uploaded_as_a_png(slack, standin, year):
    reply = slack.command("chart justifying", user_id="U0001", channel_id="C0001")
    assert "Drawing the run chart" in reply.json["text"]
    files = uploaded(standin, "C0001")
    [(name, png)] = files.items()
    assert name.endswith(".png") and png[:4] == b"\x89PNG"
    assert len(png) > 10_000
    assert matplotlib.image.imread(io.BytesIO(png), format="png").shape[:2] == (660, 1200)
    [complete] = standin.calls_to("files.completeUploadExternal")
    assert "Too few runs" in complete.args["initial_comment"]


def test_chart_without_a_name_lists_the_measures(slack, standin, year):
    reply = slack.command("chart", user_id="U0001")
    assert reply.json["response_type"] == "ephemeral"
    assert "several measures" in reply.json["text"]
    assert "Weekly attendance rate (%)" in reply.json["text"]


def test_chart_with_fewer_than_two_values_says_so(slack, standin, session):
    cop = make_cop(session)
    team = make_school_team(session, cop)
    cycle = Cycle(team_id="T0001", school_team_id=team.id, school_year="2025-26", number=1, stage="do")
    session.add(cycle)
    session.flush()
    session.add(EvidenceItem(team_id="T0001", cycle_id=cycle.id, focus="student_impact", kind="assessment_data",
                             measure_name="Weekly attendance rate (%)", measured_value=92.0,
                             measured_on=date(2025, 9, 5)))
    session.commit()
    reply = slack.command("chart", user_id="U0001")
    assert reply.json["response_type"] == "ephemeral"
    assert "A run chart needs at least two values" in reply.json["text"]
    assert standin.calls_to("files.getUploadURLExternal") == []


def test_progress_is_shown_ephemerally(slack, standin, year):
    reply = slack.command("progress", user_id="U0021")
    body = reply.json
    assert body["response_type"] == "ephemeral"
    text = body["blocks"][0]["text"]["text"]
    assert "*Jefferson Middle School*: progress in" in text
