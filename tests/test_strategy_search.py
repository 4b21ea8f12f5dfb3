"""/pdsa find: every strategy tested in the workspace, for facilitators; domain and end to end."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from copbot.cycles import open_cycle, record_act, record_plan, record_study
from copbot.errors import NotAllowed, UserError
from copbot.strategy_search import search_strategies, search_words
from copbot.vocabulary import ActDecisionKind, EvidenceFocus, EvidenceKind, Role
from storage.models import Cop, EvidenceItem, SchoolTeam
from tests.factories import make_cop, make_school_team


def team(session: Session, cop: Cop, school: str) -> SchoolTeam:
    return make_school_team(session, cop, school, members={f"U{school[:3].upper()}": Role.IMPLEMENTING_TEACHER})


def cycle_tested(session: Session, school_team: SchoolTeam, strategy: str, *, learnings: str = "Students talked more.",
           rationale: str = "The evidence supports it.", decision: ActDecisionKind | None = ActDecisionKind.KEEP,
           evidence: int = 2) -> None:
    cycle = open_cycle(session, team_id=school_team.team_id, school_team_id=school_team.id, school_year="2025-26",
                       plan_on=date(2025, 8, 23), study_on=date(2025, 11, 15))
    record_plan(session, cycle=cycle, user_id="U0001", strategy=strategy, shared_learning="Read Zwiers (2011)",
                evidence_adult_practice="Observation notes")
    for _ in range(evidence):
        session.add(EvidenceItem(team_id=school_team.team_id, cycle_id=cycle.id, focus=EvidenceFocus.STUDENT_IMPACT,
                                 kind=EvidenceKind.STUDENT_WORK, description="Exit tickets"))
    if decision is not None:
        record_study(session, cycle=cycle, user_id="U0001", implementation="", evidence_summary="",
                     learnings=learnings)
        record_act(session, cycle=cycle, user_id="U0001", decision=decision, rationale=rationale)
    session.flush()


def seed(session: Session) -> None:
    ela = make_cop(session)
    cycle_tested(session, team(session, ela, "Lincoln Middle School"),
           "Structured academic talk with sentence frames", evidence=3)
    cycle_tested(session, team(session, ela, "Roosevelt Middle School"), "Assigned roles for group work",
           learnings="Roles gave every student with a disability a voice.", decision=ActDecisionKind.SCALE)
    cycle_tested(session, team(session, ela, "Jefferson Middle School"), "High-expectation questioning",
           rationale="Raised the level of academic talk in math.", decision=ActDecisionKind.ADAPT)
    cycle_tested(session, team(session, ela, "Kennedy Middle School"), "Talk moves: 100% participation", decision=None)
    elsewhere = make_cop(session, team_id="T0002", channel_id="C0009", facilitator="UFAC9")
    cycle_tested(session, team(session, elsewhere, "Lincoln Middle School"), "Structured academic talk, other district")


def test_every_word_must_match_in_any_strategy_text(session):
    seed(session)
    found = search_strategies(session, team_id="T0001", user_id="UFAC1", text="Academic TALK")
    assert [(h.school_name, h.decision, h.evidence_count) for h in found.hits] == [
        ("Jefferson Middle School", ActDecisionKind.ADAPT, 2),  # in the Act rationale
        ("Lincoln Middle School", ActDecisionKind.KEEP, 3),
    ]
    assert found.hits[1].strategy == "Structured academic talk with sentence frames"
    roles = search_strategies(session, team_id="T0001", user_id="UFAC1", text="disability roles")
    assert [h.school_name for h in roles.hits] == ["Roosevelt Middle School"]  # via Study learnings
    assert search_strategies(session, team_id="T0001", user_id="UFAC1", text="academic roles").hits == []


def test_like_wildcards_are_taken_literally(session):
    seed(session)
    percent = search_strategies(session, team_id="T0001", user_id="UFAC1", text="100%")
    assert [(h.school_name, h.decision) for h in percent.hits] == [("Kennedy Middle School", None)]
    literal = search_strategies(session, team_id="T0001", user_id="UFAC1", text="%")
    assert [h.school_name for h in literal.hits] == ["Kennedy Middle School"]  # not every cycle
    assert search_strategies(session, team_id="T0001", user_id="UFAC1", text="a_a").hits == []


def test_results_are_capped(session):
    seed(session)
    found = search_strategies(session, team_id="T0001", user_id="UFAC1", text="zwiers", limit=2)
    assert len(found.hits) == 2 and found.more
    assert not search_strategies(session, team_id="T0001", user_id="UFAC1", text="zwiers").more


def test_only_facilitators_of_this_workspace_search(session):
    seed(session)
    with pytest.raises(NotAllowed):
        search_strategies(session, team_id="T0001", user_id="ULIN", text="talk")
    with pytest.raises(NotAllowed):
        search_strategies(session, team_id="T0001", user_id="UFAC9", text="talk")
    other = search_strategies(session, team_id="T0002", user_id="UFAC9", text="academic talk")
    assert [h.strategy for h in other.hits] == ["Structured academic talk, other district"]
    with pytest.raises(UserError):
        search_strategies(session, team_id="T0001", user_id="UFAC1", text="  ")


def test_search_words():
    assert search_words(' "Academic"  talk academic ') == ["academic", "talk"]


def test_find_through_slack(slack, database):
    with database.session() as session:
        seed(session)
    reply = slack.command("find academic talk", user_id="UFAC1").json
    assert reply["response_type"] == "ephemeral"
    assert reply["text"] == "2 cycles tested a strategy matching “academic talk”"
    shown = str(reply["blocks"])
    assert "*Lincoln Middle School* · cycle 1, 2025-26 · Keep · 3 evidence items" in shown
    assert "other district" not in shown
    assert "/pdsa find academic talk" in slack.command("find", user_id="UFAC1").json["text"]
    assert "Only CoP facilitators" in slack.command("find academic talk", user_id="ULIN").json["text"]
    other = slack.command("find academic talk", user_id="UFAC9", team_id="T0002", channel_id="C0009").json
    assert other["text"].startswith("1 cycle tested") and "other district" in str(other["blocks"])
    assert "No tested strategy mentions all of: sentence zwiers math" in slack.command(
        "find sentence zwiers math", user_id="UFAC1").json["text"]
