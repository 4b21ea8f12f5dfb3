"""Spreading what works: who hears of a kept or scaled strategy, and only once."""

from __future__ import annotations

from datetime import date

import pytest
from slack_sdk import WebClient
from sqlmodel import Session, select

from copbot.cycles import current_cycle, open_cycle, record_act, record_plan, record_study
from copbot.errors import NotFound
from copbot.spread import strategy_key, suggest_strategy
from copbot.vocabulary import ActDecisionKind, EvidenceFocus, EvidenceKind, Role
from handlers.spread import deliver_suggestions
from storage.models import Cop, EvidenceItem, SchoolTeam, SpreadSuggestion
from tests.conftest import BOT_TOKEN
from tests.factories import make_cop, make_school_team

STRATEGY = "Structured academic talk: sentence frames and partner talk before whole-class discussion"


def team_of(session: Session, cop: Cop, school: str, prefix: str) -> SchoolTeam:
    return make_school_team(session, cop, school, members={f"{prefix}1": Role.IMPLEMENTING_TEACHER,
                                                           f"{prefix}2": Role.OBSERVER})


def network(session: Session) -> dict[str, SchoolTeam]:
    """Two CoPs in T0001 and a look-alike CoP in T0002."""
    ela = make_cop(session)
    attendance = make_cop(session, channel_id="C0002", name="Attendance CoP", facilitator="UFAC2")
    attendance.focus_area = "Attendance"
    session.add(attendance)
    elsewhere = make_cop(session, team_id="T0002", channel_id="C0009", facilitator="UFAC9")
    return {
        "lincoln": team_of(session, ela, "Lincoln Middle School", "UL"),
        # same CoP: shares the focus area and the ELA proficiency metric
        "roosevelt": team_of(session, ela, "Roosevelt Middle School", "UR"),
        # another CoP: shares English learners and metrics (the sample PoP is Lincoln's)
        "washington": team_of(session, attendance, "Washington Middle School", "UW"),
        # another CoP, nothing in common: African American students, math
        "jefferson": team_of(session, attendance, "Jefferson Middle School", "UJ"),
        # another workspace: identical problem of practice, must never hear of it
        "other_lincoln": team_of(session, elsewhere, "Lincoln Middle School", "UX"),
    }


def decide(session: Session, team: SchoolTeam, decision: ActDecisionKind, *, strategy: str = STRATEGY,
           cycle=None) -> int:
    cycle = cycle or open_cycle(session, team_id=team.team_id, school_team_id=team.id, school_year="2025-26",
                                plan_on=date(2025, 8, 23), study_on=date(2025, 11, 15))
    record_plan(session, cycle=cycle, user_id="UL1", strategy=strategy,
                evidence_adult_practice="Observation notes on teacher prompts",
                evidence_student_impact="Exit tickets citing text evidence")
    for focus in (EvidenceFocus.ADULT_PRACTICE, EvidenceFocus.STUDENT_IMPACT, EvidenceFocus.STUDENT_IMPACT):
        session.add(EvidenceItem(team_id=team.team_id, cycle_id=cycle.id, focus=focus, kind=EvidenceKind.OBSERVATION,
                                 description="Period 3 observation", recorded_by="UL2"))
    record_study(session, cycle=cycle, user_id="UL1", implementation="All four teachers used the frames.",
                 evidence_summary="Exit tickets with evidence rose from 9 of 26 to 18 of 26.",
                 learnings="English learners spoke more when partner talk came first. " * 30)
    outcome = record_act(session, cycle=cycle, user_id="UL1", decision=decision, rationale="It worked in 4 rooms.")
    return outcome.decision.id


def test_keep_is_suggested_to_matching_teams_of_the_workspace_only(session):
    teams = network(session)
    act_id = decide(session, teams["lincoln"], ActDecisionKind.KEEP)
    suggestions = suggest_strategy(session, team_id="T0001", act_decision_id=act_id)
    assert [s.school_name for s in suggestions] == ["Roosevelt Middle School", "Washington Middle School"]
    roosevelt, washington = suggestions
    assert roosevelt.common.focus_area == "English Language Arts"
    assert roosevelt.common.metrics == ["ELA proficiency"] and roosevelt.common.subgroups == []
    assert washington.common.focus_area is None and washington.common.subgroups == ["English learners"]
    assert washington.channel_id == "C0002" and washington.member_ids == ["UW1", "UW2"]
    assert roosevelt.evidence_counts == {EvidenceFocus.ADULT_PRACTICE: 1, EvidenceFocus.STUDENT_IMPACT: 2}
    rows = session.exec(select(SpreadSuggestion)).all()
    assert {row.school_team_id for row in rows} == {teams["roosevelt"].id, teams["washington"].id}
    assert all(row.team_id == "T0001" for row in rows)


def test_each_team_hears_once(session):
    teams = network(session)
    act_id = decide(session, teams["lincoln"], ActDecisionKind.SCALE)
    assert len(suggest_strategy(session, team_id="T0001", act_decision_id=act_id)) == 2
    assert suggest_strategy(session, team_id="T0001", act_decision_id=act_id) == []


def test_the_same_strategy_scaled_again_next_cycle_is_not_suggested_again(session):
    teams = network(session)
    first = decide(session, teams["lincoln"], ActDecisionKind.KEEP)
    suggest_strategy(session, team_id="T0001", act_decision_id=first)
    newcomer = team_of(session, session.get(Cop, teams["roosevelt"].cop_id), "Kennedy Middle School", "UK")
    next_cycle = current_cycle(session, team_id="T0001", school_team_id=teams["lincoln"].id)
    second = decide(session, teams["lincoln"], ActDecisionKind.SCALE, strategy="Scale: " + STRATEGY,
                    cycle=next_cycle)
    again = suggest_strategy(session, team_id="T0001", act_decision_id=second)
    assert [s.school_name for s in again] == [newcomer.school_name]
    assert again[0].strategy == STRATEGY


@pytest.mark.parametrize("decision", [ActDecisionKind.STOP, ActDecisionKind.ABANDON, ActDecisionKind.ADAPT])
def test_other_decisions_spread_nothing(session, decision):
    teams = network(session)
    act_id = decide(session, teams["lincoln"], decision)
    assert suggest_strategy(session, team_id="T0001", act_decision_id=act_id) == []
    assert session.exec(select(SpreadSuggestion)).all() == []


def test_another_workspace_cannot_use_the_act_decision(session):
    teams = network(session)
    act_id = decide(session, teams["lincoln"], ActDecisionKind.KEEP)
    with pytest.raises(NotFound):
        suggest_strategy(session, team_id="T0002", act_decision_id=act_id)


def test_the_other_workspaces_team_gets_its_own_suggestions_only(session):
    teams = network(session)
    lookalike = team_of(session, session.get(Cop, teams["other_lincoln"].cop_id), "Roosevelt Middle School", "UY")
    act_id = decide(session, teams["other_lincoln"], ActDecisionKind.KEEP)
    suggestions = suggest_strategy(session, team_id="T0002", act_decision_id=act_id)
    assert [s.school_team_id for s in suggestions] == [lookalike.id]


def test_strategy_key_ignores_the_seeded_verb_and_spacing():
    assert strategy_key("Scale:  Structured   academic talk") == strategy_key("structured academic talk")


def test_delivery_posts_once_to_each_matching_cop_channel(database, standin):
    with database.session() as session:
        teams = network(session)
        act_id = decide(session, teams["lincoln"], ActDecisionKind.SCALE)
    client = WebClient(token=BOT_TOKEN, base_url=standin.api_url)
    assert deliver_suggestions(client, database, team_id="T0001", act_decision_id=act_id) == 2
    posts = standin.calls_to("chat.postMessage")
    assert [post.args["channel"] for post in posts] == ["C0001", "C0002"]
    assert posts[1].args["text"].startswith("Lincoln Middle School scaled Structured academic talk")
    assert "for English learners: see their cycle" in posts[1].args["text"]
    shown = str(posts[1].args["blocks"])
    assert "3 evidence items (1 adult practice, 2 student impact)" in shown
    assert "<@UW1> <@UW2>" in shown
    assert "…" in shown  # long learnings are clipped
    assert deliver_suggestions(client, database, team_id="T0001", act_decision_id=act_id) == 0
    assert len(standin.calls_to("chat.postMessage")) == 2
