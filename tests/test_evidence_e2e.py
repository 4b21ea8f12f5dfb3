"""/pdsa evidence and the "Save as evidence" message shortcut end to end."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlmodel import select

from storage.models import Cycle, EvidenceItem
from tests.cycle_states import seed_team_in_do, seed_team_in_plan
from tests.modals import initial, opened_view, submit, view_text
from tests.slack_requests import message_shortcut, view_submission

VALID = {"focus": "student_impact", "kind": "student_work",
         "description": "Period 3 exit tickets: 18 of 26 ELs cited text evidence",
         "link": "https://drive.example.org/exit-tickets-week4",
         "measure_name": "EL exit tickets citing evidence (%)", "measured_value": "69.2", "measured_on": "2025-10-02"}
FILES = [{"id": "F0001", "name": "tally-sheet.pdf",
          "permalink": "https://copbot-test.slack.com/files/U0002/F0001/tally-sheet.pdf"},
         {"id": "F0002", "name": "photo.jpg", "permalink": "https://copbot-test.slack.com/files/U0002/F0002/photo.jpg"}]


@pytest.fixture
def team(database):
    return seed_team_in_plan(database)


@pytest.fixture
def doing(database):
    return seed_team_in_do(database)


def items(database):
    with database.session() as session:
        return session.exec(select(EvidenceItem).order_by(EvidenceItem.id)).all()


def test_evidence_with_a_measured_value(slack, standin, database, doing):
    slack.command("evidence")
    view = opened_view(standin)
    assert "0 evidence items so far" in view_text(view)
    assert submit(slack, view, VALID) is None
    (item,) = items(database)
    assert (item.focus, item.kind, item.link) == ("student_impact", "student_work", VALID["link"])
    assert (item.measure_name, item.measured_value, item.measured_on) == (
        VALID["measure_name"], 69.2, date(2025, 10, 2))
    post = standin.wait_for("chat.postMessage")[0]
    assert "EL exit tickets citing evidence (%): 69.2" in str(post.args["blocks"])


@pytest.mark.parametrize(("changes", "field"), [
    ({"focus": None}, "focus"),
    ({"kind": None}, "kind"),
    ({"description": ""}, "description"),
    ({"link": "javascript:alert(1)"}, "link"),
    ({"measured_on": None}, "measured_on"),
    ({"measured_value": None}, "measured_value"),
    ({"measure_name": ""}, "measure_name"),
    ({"measured_value": "lots"}, "measured_value"),
    ({"measured_on": "2099-01-01"}, "measured_on"),
])
def test_invalid_evidence_gets_an_inline_error_and_saves_nothing(slack, standin, database, doing, changes, field):
    slack.command("evidence")
    answer = submit(slack, opened_view(standin), {**VALID, **changes})
    assert answer["response_action"] == "errors" and list(answer["errors"]) == [field]
    assert items(database) == []


def test_evidence_before_the_plan_is_refused_on_focus(slack, standin, database, team):
    slack.command("evidence")
    answer = submit(slack, opened_view(standin), VALID)
    assert "save the Plan first" in answer["errors"]["focus"]


def test_without_a_measured_value(slack, standin, database, doing):
    slack.command("evidence")
    values = {k: v for k, v in VALID.items() if k not in ("measure_name", "measured_value", "measured_on", "link")}
    assert submit(slack, opened_view(standin), values) is None
    (item,) = items(database)
    assert item.measured_value is None and item.link is None


def test_save_as_evidence_shortcut_with_files(slack, standin, database, doing):
    text = "Mr. Chen's observation: 12 evidence prompts in period 3, up from 4. " + "x" * 4000
    slack.interactive(message_shortcut("save_as_evidence", text=text, files=FILES, message_ts="1700000000.000300"))
    view = opened_view(standin)
    assert view["callback_id"] == "message_evidence_modal"
    link_call = standin.wait_for("chat.getPermalink")[0]
    assert link_call.args["message_ts"] == "1700000000.000300"
    description = initial(view, "description")
    assert description.startswith("Mr. Chen's observation") and "…" in description and len(description) <= 3000
    assert FILES[0]["permalink"] in description and FILES[1]["permalink"] in description
    assert "<@U0002>" in description
    assert "<@U0002>'s message in <#C0001>" in view_text(view)

    answer = submit(slack, view, {"description": description})
    assert set(answer["errors"]) == {"focus"}
    assert submit(slack, view, {"focus": "adult_practice", "kind": "observation", "description": description}) is None
    (item,) = items(database)
    assert (item.source_channel, item.source_ts, item.focus, item.kind) == (
        "C0001", "1700000000.000300", "adult_practice", "observation")
    assert item.link == "https://copbot-test.slack.com/archives/C0001/p1700000000.000300"
    assert standin.wait_for("chat.postMessage")[0].args["channel"] == "C0001"

    # Saving the same message again updates the item instead of adding another.
    slack.interactive(message_shortcut("save_as_evidence", text=text, files=FILES, message_ts="1700000000.000300"))
    again = opened_view(standin, count=2)
    assert submit(slack, again, {"focus": "adult_practice", "kind": "artifact", "description": "Tally"}) is None
    (item,) = items(database)
    assert (item.kind, item.description) == ("artifact", "Tally")


def test_shortcut_for_a_non_member_opens_a_notice(slack, standin, database, doing):
    slack.interactive(message_shortcut("save_as_evidence", text="hello", user_id="U0099"))
    notice = opened_view(standin)
    assert "not a member of a school team" in view_text(notice)
    assert items(database) == []


def test_shortcut_survives_a_missing_permalink(slack, standin, database, doing):
    standin.fail("chat.getPermalink", error="message_not_found")
    slack.interactive(message_shortcut("save_as_evidence", text="Observation notes"))
    view = opened_view(standin)
    assert submit(slack, view, {"focus": "adult_practice", "kind": "observation",
                                "description": "Observation notes"}) is None
    assert items(database)[0].link is None


def test_double_submits_and_retries_add_one_item(slack, standin, database, doing):
    slack.command("evidence")
    view = opened_view(standin)
    payload = view_submission(view, VALID)
    with ThreadPoolExecutor(max_workers=3) as pool:
        replies = list(pool.map(lambda _: slack.interactive(payload), range(3)))
    assert [r.status for r in replies] == [200, 200, 200] and all(not r.body for r in replies)
    retried = slack.interactive(payload, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retried.status == 200
    assert len(items(database)) == 1
    standin.wait_for("chat.postMessage")
    assert len(standin.calls_to("chat.postMessage")) == 1


def test_a_new_run_chart_signal_is_named_in_the_channel_confirmation(slack, standin, database, doing):
    with database.session() as session:
        cycle = session.exec(select(Cycle)).one()
        for day, value in zip(range(1, 6), [40.0, 44.0, 47.0, 52.0, 55.0], strict=True):
            session.add(EvidenceItem(team_id="T0001", cycle_id=cycle.id, focus="student_impact", kind="student_work",
                                     description="exit tickets", measure_name=VALID["measure_name"],
                                     measured_value=value, measured_on=date(2025, 9, day)))
    slack.command("evidence")
    assert submit(slack, opened_view(standin), VALID) is None
    post = standin.wait_for("chat.postMessage")[0]
    assert "Run-chart signal" in str(post.args["blocks"])


PERSONAL = "Maria Lopez #123456 did not cite text evidence; call home at (559) 555-0142"


@pytest.mark.parametrize("start", [
    lambda slack: slack.command("evidence"),
    lambda slack: slack.interactive(message_shortcut("save_as_evidence", text="Observation notes")),
], ids=["evidence", "shortcut"])
def test_personal_data_keeps_the_modal_open_until_removed_or_checked(slack, standin, database, doing, start):
    start(slack)
    view = opened_view(standin)
    values = {"focus": "student_impact", "kind": "student_work", "description": PERSONAL}
    answer = submit(slack, view, values)
    assert answer["response_action"] == "errors" and list(answer["errors"]) == ["description"]
    error = answer["errors"]["description"]
    assert "a student's name with an ID number and a phone number" in error and "I checked" in error
    assert "Maria" not in error and "123456" not in error and "555" not in error
    assert items(database) == []

    assert submit(slack, view, {**values, "privacy_ok": ["checked"]}) is None
    (item,) = items(database)
    assert item.description == PERSONAL


def test_ordinary_evidence_is_saved_without_the_box(slack, standin, database, doing):
    slack.command("evidence")
    view = opened_view(standin)
    assert "privacy_ok" in [b.get("block_id") for b in view["blocks"]]
    assert initial(view, "privacy_ok") is None
    assert submit(slack, view, VALID) is None
    assert len(items(database)) == 1


def test_shortcut_prefilled_with_personal_data_shows_the_warning_on_top(slack, standin, database, doing):
    slack.interactive(message_shortcut("save_as_evidence", text="Email jlopez.family@example.com about Kevin"))
    view = opened_view(standin)
    top = view["blocks"][0]
    assert top["type"] == "context" and "an email address" in top["elements"][0]["text"]
    assert "jlopez" not in view_text(view).split("\n")[0]

    slack.interactive(message_shortcut("save_as_evidence", text="Observation notes: 12 prompts in period 3"))
    plain = opened_view(standin, count=2)
    assert ":warning:" not in view_text(plain)
