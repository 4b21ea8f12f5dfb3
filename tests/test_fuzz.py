"""Hypothesis fuzzing of what people type: /pdsa text and every modal copbot opens.

copbot never answers 500 and never shows a traceback. A slash command answers 200 with an
ephemeral message (or an empty ack before opening a modal). A modal submission answers an empty
ack or ``response_action: errors``, and a submission it rejected stores nothing. Modals are
found at test time (every /pdsa subcommand and every ``open_*`` button), so features merged later
are fuzzed too.
"""

from __future__ import annotations

import itertools
import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import handlers
from copbot.vocabulary import Role
from storage.models import Cycle
from tests import sample_feature
from tests.conftest import SIGNING_SECRET
from tests.factories import make_cop, make_school_team
from tests.registrations import discover, element_options, input_elements, snapshot
from tests.servers import InProcessServer
from tests.slack_requests import SlackSender, block_action, view_submission

FUZZ = settings(max_examples=40, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
MODAL_FUZZ = settings(FUZZ, max_examples=25)

any_text = st.one_of(
    st.text(max_size=120),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=30),  # control characters
    st.text(min_size=1, max_size=12).map(lambda s: s * (4000 // len(s) + 1)),  # very long
    st.sampled_from(["", " ", "\x00", "<!channel>", "*bold* _it_ `code`", "<@U0001|maria>", "1; DROP TABLE cop;--"]),
)


@pytest.fixture
def seeded(database):
    """A CoP in C0001 where U0001 (the default sender) belongs to a team with a cycle in Do."""
    with database.session() as session:
        cop = make_cop(session, channel_id="C0001")
        team = make_school_team(session, cop, "Lincoln Middle School",
                                members={"U0001": Role.IMPLEMENTING_TEACHER, "U0002": Role.OBSERVER})
        make_school_team(session, cop, "Roosevelt Middle School")
        session.add(Cycle(team_id=cop.team_id, school_team_id=team.id, school_year="2025-26", number=1,
                          stage="do", plan_on=date(2025, 8, 23), study_on=date(2025, 11, 15)))
        session.flush()
        return {"cop_id": cop.id, "school_team_id": team.id}


def assert_no_traceback(reply: Any) -> None:
    assert reply.status != 500, reply.text[:500]
    for leak in ("Traceback", 'File "/', "sqlalchemy.", "psycopg"):
        assert leak not in reply.text, reply.text[:500]


def test_fuzzed_pdsa_text_always_gets_an_ephemeral_answer(slack, copbot, seeded, standin):
    names = [sub.name for sub in copbot.app.pdsa_router.listing()]

    @FUZZ
    @given(word=st.one_of(st.just(""), st.sampled_from(names)), rest=any_text)
    def send(word: str, rest: str) -> None:
        reply = slack.command(f"{word} {rest}" if word else rest, response_url=standin.response_url())
        assert_no_traceback(reply)
        assert reply.status == 200
        if reply.body:  # an empty ack means a modal is opening
            body = reply.json
            assert body["response_type"] == "ephemeral"
            assert body["text"].strip()

    send()
    copbot.wait_idle()


# ----- modals -----

def element_values(element: dict[str, Any]) -> st.SearchStrategy:
    """Values Slack could submit for this element, plus ones it would not (empty, oversize)."""
    kind = element["type"]
    options = element_options(element)
    if kind in ("static_select", "radio_buttons", "external_select"):
        return st.one_of(st.none(), st.sampled_from(options)) if options else st.none()
    if kind in ("multi_static_select", "checkboxes", "multi_external_select"):
        return st.lists(st.sampled_from(options), unique=True) if options else st.just([])
    if kind == "datepicker":
        return st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(date.isoformat))
    if kind == "timepicker":
        return st.one_of(st.none(), st.times().map(lambda t: t.strftime("%H:%M")))
    if kind == "users_select":
        return st.one_of(st.none(), st.sampled_from(["U0001", "U0002", "UNOBODY1"]))
    if kind == "multi_users_select":
        return st.lists(st.sampled_from(["U0001", "U0002", "U0003", "UNOBODY1"]), unique=True)
    if kind in ("conversations_select", "channels_select"):
        return st.one_of(st.none(), st.sampled_from(["C0001", "CNOWHERE"]))
    if kind == "multi_conversations_select":
        return st.lists(st.sampled_from(["C0001", "CNOWHERE"]), unique=True)
    if kind == "number_input":
        return st.one_of(st.none(), any_text, st.decimals(allow_nan=False, allow_infinity=False).map(str))
    return st.one_of(st.none(), any_text)


def form_values(view: dict[str, Any]) -> st.SearchStrategy:
    return st.fixed_dictionaries({block_id: element_values(element) for block_id, element in input_elements(view)})


def open_every_modal(slack: SlackSender, server: InProcessServer, standin: Any, seeded: dict) -> dict[str, dict]:
    """Every modal reachable from a /pdsa subcommand or an open_* button, by callback_id."""
    views: dict[str, dict] = {}

    def collect(reply: Any) -> None:
        server.wait_idle()
        for call in standin.calls_to("views.open") + standin.calls_to("views.push"):
            view = call.answer.get("view") or {}
            if view.get("callback_id"):
                views.setdefault(view["callback_id"], view)

    for sub in server.app.pdsa_router.listing():
        collect(slack.command(sub.name, response_url=standin.response_url()))
    for action_id in discover().actions:
        if action_id.startswith("open_"):
            value = str(seeded["cop_id"] if action_id == "open_team" else seeded["school_team_id"])
            collect(slack.interactive(block_action(action_id, value=value, response_url=standin.response_url())))
    return views


def fuzz_modal(slack: SlackSender, server: InProcessServer, database: Any, view: dict[str, Any]) -> set[str]:
    """Submit fuzzed values to one modal; the outcomes seen ("saved", "errors", ...)."""
    callback_id = view.get("callback_id")
    outcomes: set[str] = set()
    view_ids = itertools.count(1)

    @MODAL_FUZZ
    @given(values=form_values(view))
    def submit(values: dict[str, Any]) -> None:
        server.wait_idle()
        before = snapshot(database)
        payload = view_submission(view, values)
        number = next(view_ids)
        payload["view"].update(id=f"VFUZZ{callback_id}{number}", hash=f"h{number}")
        reply = slack.interactive(payload)
        server.wait_idle()
        assert_no_traceback(reply)
        assert reply.status == 200, reply.text[:300]
        answer = reply.json if reply.body else {}
        action = answer.get("response_action")
        assert action in (None, "errors", "update", "push", "clear"), answer
        if action == "errors":
            assert answer["errors"] and all(isinstance(m, str) and m for m in answer["errors"].values())
            assert snapshot(database) == before, f"{callback_id} rejected {values!r} but stored something"
        outcomes.add(action or "saved")

    submit()
    return outcomes


def fuzz_modals(slack: SlackSender, server: InProcessServer, standin: Any, database: Any, seeded: dict) -> dict:
    views = open_every_modal(slack, server, standin, seeded)
    return {callback_id: fuzz_modal(slack, server, database, view) for callback_id, view in views.items()}


def test_every_modal_survives_fuzzed_values(slack, copbot, standin, database, seeded):
    outcomes = fuzz_modals(slack, copbot, standin, database, seeded)
    if not outcomes:
        pytest.skip("no feature registers a modal yet; the harness is tested with tests/sample_feature.py")
    assert all(outcomes.values())


def test_the_modal_fuzzer_on_a_sample_feature(settings, database, standin, seeded, monkeypatch):
    monkeypatch.setattr(handlers, "FEATURES", [handlers.help_feature, sample_feature])
    with InProcessServer(settings, database) as server:
        slack = SlackSender(server.url, SIGNING_SECRET)
        outcomes = fuzz_modals(slack, server, standin, database, seeded)
    assert outcomes[sample_feature.CALLBACK_ID] == {"errors", "saved"}
    saved = standin.calls_to("chat.postMessage")
    assert saved and all(json.dumps(c.args).count("Learning question saved") == 1 for c in saved)
