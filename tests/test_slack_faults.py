"""Slack's Web API misbehaving on the request path: 429, 500, timeouts, ok:false.

copbot keeps answering Slack, a rate limit or server error is retried until one call succeeds,
nothing is sent twice, and a saved submission is saved once. A timed-out call is not retried
(Slack may have done it already; a retry could post twice). The request path is exercised with
tests/sample_feature.py (a modal and a channel confirmation) and with every modal-opening
/pdsa subcommand registered when the suite runs.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

import handlers
from copbot.vocabulary import Role
from handlers.replies import SORRY
from storage.models import Cycle, LearningQuestion
from tests import sample_feature
from tests.conftest import SIGNING_SECRET
from tests.factories import make_cop, make_school_team
from tests.servers import InProcessServer
from tests.slack_requests import SlackSender, view_submission


@pytest.fixture
def seeded(database):
    with database.session() as session:
        cop = make_cop(session, channel_id="C0001")
        team = make_school_team(session, cop, members={"U0001": Role.IMPLEMENTING_TEACHER})
        session.add(Cycle(team_id=cop.team_id, school_team_id=team.id, school_year="2025-26", number=1, stage="do",
                          plan_on=date(2025, 8, 23)))


@pytest.fixture
def server(settings, database, standin, seeded, monkeypatch):
    monkeypatch.setattr(handlers, "FEATURES", [*handlers.FEATURES, sample_feature])
    with InProcessServer(settings, database) as running:
        running.app.client.timeout = 2  # each request's client copies it: a stall of 3 s is a timeout
        yield running


@pytest.fixture
def sender(server):
    return SlackSender(server.url, SIGNING_SECRET)


def successful(standin, method):
    return [c for c in standin.calls_to(method) if c.status == 200 and c.answer.get("ok")]


def assert_still_serving(sender):
    reply = sender.command("help")
    assert reply.status == 200 and "/pdsa help" in reply.json["text"]


@pytest.mark.parametrize("fault", ["rate_limit", "server_error"])
def test_views_open_retried_after_429_or_500_and_opened_once(server, sender, standin, fault):
    if fault == "rate_limit":
        standin.rate_limit("views.open", retry_after=1)
    else:
        standin.server_error("views.open", count=2)
    reply = sender.command("sample", response_url=standin.response_url())
    assert reply.status == 200 and not reply.body  # acked at once, modal opening in the background
    assert_still_serving(sender)
    server.wait_idle()
    assert len(successful(standin, "views.open")) == 1
    assert len(standin.calls_to("views.open")) == (2 if fault == "rate_limit" else 3)


def test_views_open_ok_false_gets_an_apology_not_a_traceback(server, sender, standin):
    standin.fail("views.open", error="expired_trigger_id")
    sender.command("sample", response_url=standin.response_url())
    server.wait_idle()
    assert successful(standin, "views.open") == []
    assert len(standin.calls_to("views.open")) == 1  # ok:false is an answer, not retried
    apology = standin.wait_for_response(lambda body: body.get("text") == SORRY)
    assert "Traceback" not in json.dumps(apology)
    assert_still_serving(sender)
    sender.command("sample", response_url=standin.response_url())
    server.wait_idle()
    assert len(successful(standin, "views.open")) == 1


def test_a_stalled_slack_does_not_stop_copbot_answering(server, sender, standin):
    standin.stall("views.open", seconds=1.5)
    sender.command("sample", response_url=standin.response_url())
    assert_still_serving(sender)
    assert successful(standin, "views.open") == []  # help was answered while views.open hung
    server.wait_idle()
    assert len(successful(standin, "views.open")) == 1


def open_sample(sender, server, standin):
    sender.command("sample", response_url=standin.response_url())
    server.wait_idle()
    return standin.calls_to("views.open")[-1].answer["view"]


@pytest.mark.parametrize("fault", ["rate_limit", "server_error", "ok_false", "timeout"])
def test_confirmation_faults_save_once_and_post_at_most_once(server, sender, standin, database, fault):
    view = open_sample(sender, server, standin)
    {"rate_limit": lambda: standin.rate_limit("chat.postMessage", retry_after=1),
     "server_error": lambda: standin.server_error("chat.postMessage", status=503),
     "ok_false": lambda: standin.fail("chat.postMessage", error="channel_not_found", count=5),
     "timeout": lambda: standin.stall("chat.postMessage", seconds=3)}[fault]()
    submission = view_submission(view, {"question": "Do sentence frames raise the share of students citing text?"})
    assert sender.interactive(submission).status == 200
    assert sender.interactive(submission).status == 200  # Slack's retry of the same submission
    assert_still_serving(sender)
    server.wait_idle()
    if fault == "timeout":  # the stand-in finishes the stalled call after copbot gave up on it
        standin.wait_for("chat.postMessage")

    with database.session() as session:
        assert len(session.exec(select(LearningQuestion)).all()) == 1
    posted = successful(standin, "chat.postMessage")
    assert len(posted) == (0 if fault == "ok_false" else 1)
    attempts = standin.calls_to("chat.postMessage")
    assert len(attempts) == {"rate_limit": 2, "server_error": 2, "ok_false": 1, "timeout": 1}[fault]


def test_every_modal_subcommand_survives_a_rate_limit_then_a_server_error(server, sender, standin):
    """Generic: each subcommand that opens a modal opens it exactly once through 429 then 500."""
    opening = []
    for sub in server.app.pdsa_router.listing():
        before = len(standin.calls_to("views.open"))
        sender.command(sub.name, response_url=standin.response_url())
        server.wait_idle()
        if len(standin.calls_to("views.open")) > before:
            opening.append(sub.name)
    assert "sample" in opening
    for name in opening:
        standin.reset()
        standin.rate_limit("views.open", retry_after=1)
        standin.server_error("views.open")
        reply = sender.command(name, response_url=standin.response_url())
        assert reply.status == 200 and b"Traceback" not in reply.body
        server.wait_idle()
        assert len(successful(standin, "views.open")) == 1, name
        assert_still_serving(sender)
