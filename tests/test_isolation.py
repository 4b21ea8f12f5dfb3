"""Nothing of workspace A can be read or changed from workspace B, through anything copbot registers.

Workspace A (the victim) and workspace B (the prober) share a channel id (C0001) and user ids
(U0001 is a member in both), so only the workspace id tells them apart. B sends every /pdsa
subcommand (bare, with each of A's record ids, with the start of A's school name), every registered button
and select action with A's ids as values, every modal copbot opened for B submitted with A's
ids in private_metadata and in its selects, every other registered modal callback, shortcut,
options request and event. A's rows must be unchanged and nothing copbot says to B may name
A's schools, CoP or plans. The probe is discovered from the registrations at test time, so it
covers features merged after this test was written.
"""

from __future__ import annotations

import json
import time
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from sqlmodel import select

import handlers
from copbot.vocabulary import Role
from storage.models import (
    ActDecision,
    CalendarBreak,
    Convening,
    Cycle,
    DoMeeting,
    EvidenceItem,
    FacilitatorCheckin,
    LearningQuestion,
    Plan,
    SchoolTeam,
    SscReport,
    StudyReflection,
)
from tests.conftest import SIGNING_SECRET
from tests.factories import make_cop, make_school_team
from tests.registrations import discover, fill_form, input_elements, snapshot, with_metadata
from tests.servers import InProcessServer
from tests.slack_requests import SlackSender, block_action, event, load_payload, message_shortcut, view_submission

VICTIM, PROBER = "T0VICTIM", "T0001"
VICTIM_SCHOOLS = ["Quail Hollow Middle School", "Osprey Point Middle School"]
SECRETS = [*VICTIM_SCHOOLS, "Quail Hollow", "Osprey Point", "Victim County CoP", "ZEBRAFISH", "Tuesday huddle 7b"]


def seed_victim(session) -> dict[str, int]:
    cop = make_cop(session, team_id=VICTIM, channel_id="C0001", facilitator="UFAC1", name="Victim County CoP")
    members = {"U0001": Role.IMPLEMENTING_TEACHER, "U0002": Role.OBSERVER}
    teams = [make_school_team(session, cop, school, members=members) for school in VICTIM_SCHOOLS]
    cycle = Cycle(team_id=VICTIM, school_team_id=teams[0].id, school_year="2025-26", number=1, stage="do",
                  plan_on=date(2025, 8, 23), study_on=date(2025, 11, 15))
    session.add(cycle)
    session.flush()
    convening = session.exec(select(Convening).where(Convening.team_id == VICTIM)).first()
    records = [
        Plan(team_id=VICTIM, cycle_id=cycle.id, strategy="ZEBRAFISH sentence frames", shared_learning="ZEBRAFISH"),
        LearningQuestion(team_id=VICTIM, cycle_id=cycle.id, question="ZEBRAFISH: do frames raise talk?"),
        DoMeeting(team_id=VICTIM, cycle_id=cycle.id, kind="game_plan", held_on=date(2025, 9, 2),
                  attendees=["U0001"], notes="Tuesday huddle 7b"),
        EvidenceItem(team_id=VICTIM, cycle_id=cycle.id, focus="student_impact", kind="observation",
                     description="ZEBRAFISH observation: 14 of 27 students cited text"),
        StudyReflection(team_id=VICTIM, cycle_id=cycle.id, learnings="ZEBRAFISH learnings"),
        SscReport(team_id=VICTIM, school_team_id=teams[0].id, convening_id=convening.id,
                  reported_on=date(2025, 11, 20), key_learnings="ZEBRAFISH report"),
        FacilitatorCheckin(team_id=VICTIM, cop_id=cop.id, school_team_id=teams[0].id, cycle_id=cycle.id,
                           kind="school", held_on=date(2025, 10, 1), facilitator_user_id="UFAC1",
                           notes="ZEBRAFISH check-in"),
        CalendarBreak(team_id=VICTIM, cop_id=cop.id, starts_on=date(2025, 12, 22), ends_on=date(2026, 1, 2),
                      name="Winter break"),
    ]
    session.add_all(records)
    session.flush()
    act = ActDecision(team_id=VICTIM, cycle_id=cycle.id, decision="keep", rationale="ZEBRAFISH keep")
    session.add(act)
    session.flush()
    ids = {"cop_id": cop.id, "school_team_id": teams[0].id, "other_school_team_id": teams[1].id,
           "cycle_id": cycle.id, "convening_id": convening.id, "act_decision_id": act.id}
    ids.update({f"{type(r).__name__.lower()}_id": r.id for r in records})
    return ids


def seed_prober(session) -> None:
    """B has its own CoP in the same channel id with the same user ids, so features get past set-up."""
    cop = make_cop(session, team_id=PROBER, channel_id="C0001", facilitator="UFAC1", name="Bravo Valley CoP")
    team = make_school_team(session, cop, "Bravo Middle School")
    session.add(Cycle(team_id=PROBER, school_team_id=team.id, school_year="2025-26", number=1, stage="do"))
    session.flush()


class Probe:
    """Sends B's requests and collects everything copbot said back or sent to Slack."""

    def __init__(self, server: InProcessServer, standin: Any, victim_ids: dict[str, int]) -> None:
        self.server = server
        self.slack = SlackSender(server.url, SIGNING_SECRET)
        self.standin = standin
        self.victim_ids = victim_ids
        self.values = sorted({str(v) for v in victim_ids.values()}, key=int)
        self.heard: list[str] = []
        self.views: dict[str, dict] = {}
        self.sent = 0
        self._seen_opens = 0

    def _after(self, reply: Any, what: str) -> None:
        self.sent += 1
        assert reply.status < 500, f"{what} answered {reply.status}: {reply.text[:300]}"
        self.heard.append(reply.text)
        self.server.wait_idle()
        opens = self.standin.calls_to("views.open") + self.standin.calls_to("views.push")
        for call in opens[self._seen_opens:]:
            view = call.answer.get("view") or call.args.get("view")
            if isinstance(view, dict):
                self.views.setdefault(view.get("callback_id") or f"view{len(self.views)}", view)
        self._seen_opens = len(opens)

    def command(self, text: str) -> None:
        reply = self.slack.command(text, team_id=PROBER, response_url=self.standin.response_url())
        self._after(reply, f"/pdsa {text}")

    def action(self, action_id: str, value: str) -> None:
        payload = block_action(action_id, value=value, team_id=PROBER, response_url=self.standin.response_url())
        self._after(self.slack.interactive(payload), f"action {action_id}={value}")

    def submit(self, view: dict, values: dict[str, Any], forced_selects: str | None = None) -> None:
        payload = view_submission(view, values, team_id=PROBER)
        if forced_selects is not None:
            for block_id, element in input_elements(view):
                entry = payload["view"]["state"]["values"][block_id][element["action_id"]]
                option = {"text": {"type": "plain_text", "text": forced_selects}, "value": forced_selects}
                if "selected_option" in entry:
                    entry["selected_option"] = option
                elif "selected_options" in entry:
                    entry["selected_options"] = [option]
        payload["view"]["id"] = f"V{time.monotonic_ns()}"  # a new view each time, never a retry
        self._after(self.slack.interactive(payload), f"submit {view.get('callback_id')}")

    def victim_metadata(self, view: dict, target: str) -> dict:
        overrides: dict[str, Any] = {key: value for key, value in self.victim_ids.items() if key.endswith("_id")}
        overrides["team_id"] = VICTIM
        try:
            existing = json.loads(view.get("private_metadata") or "{}")
        except json.JSONDecodeError:
            existing = {}
        if isinstance(existing, dict):
            for key, value in existing.items():
                if isinstance(value, int | str) and key not in overrides:
                    overrides[key] = int(target) if isinstance(value, int) else target
        return with_metadata(view, overrides)

    def leaks(self) -> list[str]:
        said = list(self.heard)
        said += [f"{c.method} {json.dumps(c.args, default=str)}" for c in self.standin.calls]
        said += [f"response_url {json.dumps(body)}" for body in self.standin.responses]
        return [f"{secret!r} in: {text[:400]}" for text in said for secret in SECRETS if secret in text]


def run_probe(server: InProcessServer, standin: Any, victim_ids: dict[str, int]) -> Probe:
    probe = Probe(server, standin, victim_ids)
    registered = discover()
    standin.add_user("U0001", team_id=PROBER)
    names = [sub.name for sub in server.app.pdsa_router.listing()]
    assert "help" in names
    for name in names:
        for text in [name, f"{name} Quail", *(f"{name} {value}" for value in probe.values)]:
            probe.command(text)
    for action_id in registered.actions:
        for value in ["", *probe.values]:
            probe.action(action_id, value)
    submitted: set[str] = set()
    for target in probe.values:
        for callback_id, view in list(probe.views.items()):
            hostile = probe.victim_metadata(view, target)
            probe.submit(hostile, fill_form(view))
            probe.submit(hostile, fill_form(view), forced_selects=target)
            submitted.add(callback_id)
        for callback_id in registered.views:
            if callback_id in submitted:
                continue
            bare = {"type": "modal", "callback_id": callback_id, "blocks": [], "private_metadata": "{}",
                    "title": {"type": "plain_text", "text": "copbot"}}
            probe.submit(probe.victim_metadata(bare, target), {})
    for callback_id in registered.shortcuts:
        payload = message_shortcut(callback_id, text="Quail exit tickets", team_id=PROBER,
                                   response_url=standin.response_url())
        probe._after(probe.slack.interactive(payload), f"shortcut {callback_id}")
    for action_id in registered.options:
        payload = load_payload("block_actions")
        payload.update(type="block_suggestion", action_id=action_id, block_id=action_id, value="Quail")
        payload["team"]["id"] = PROBER
        payload["user"].update(team_id=PROBER)
        probe._after(probe.slack.interactive(payload), f"options {action_id}")
    for number, kind in enumerate(registered.events):
        inner = {"type": kind, "user": "U0001", "channel": "C0001", "tab": "home", "text": "status",
                 "event_ts": f"{time.time():.6f}", "tokens": {"bot": ["UBOT"]}}
        probe._after(probe.slack.event(event(inner, event_id=f"EvProbe{number}", team_id=PROBER)), f"event {kind}")
    return probe


@pytest.fixture
def two_workspaces(database):
    with database.session() as session:
        victim_ids = seed_victim(session)
        seed_prober(session)
    return victim_ids


def test_nothing_of_workspace_a_is_read_or_changed_from_workspace_b(two_workspaces, copbot, standin, database):
    before = snapshot(database, VICTIM)
    assert sum(len(rows) for rows in before.values()) >= 20

    probe = run_probe(copbot, standin, two_workspaces)

    subcommands = len(copbot.app.pdsa_router.listing())
    assert probe.sent >= subcommands * (2 + len(probe.values)) + len(discover().events)
    assert snapshot(database, VICTIM) == before
    assert probe.leaks() == []


# ----- the probe itself is tested: a feature that forgets the workspace filter is caught -----

def _leaky_feature() -> SimpleNamespace:
    from handlers.replies import action

    def register(app: Any, pdsa: Any) -> None:
        def list_all_schools(ack: Any, context: Any, **_: Any) -> None:
            with context["database"].session() as session:
                names = [t.school_name for t in session.exec(select(SchoolTeam)).all()]  # no team_id filter
            ack(response_type="ephemeral", text=", ".join(names))

        @action
        def rename_school(ack: Any, body: dict, context: Any, **_: Any) -> None:
            ack()
            value = body["actions"][0].get("value") or ""
            if value.isdigit():
                with context["database"].session() as session:
                    team = session.get(SchoolTeam, int(value))  # no team_id filter
                    if team is not None:
                        team.district = "changed from another workspace"

        pdsa.add("leakyschools", summary="test only", example="/pdsa leakyschools", run=list_all_schools)
        app.action("leaky_rename")(rename_school)

    return SimpleNamespace(register=register)


def test_the_probe_catches_a_feature_without_workspace_filters(two_workspaces, settings, database, standin,
                                                               monkeypatch):
    monkeypatch.setattr(handlers, "FEATURES", [*handlers.FEATURES, _leaky_feature()])
    before = snapshot(database, VICTIM)
    with InProcessServer(settings, database) as server:
        probe = run_probe(server, standin, two_workspaces)
    assert any("Quail Hollow Middle School" in leak for leak in probe.leaks())
    assert snapshot(database, VICTIM)["schoolteam"] != before["schoolteam"]
