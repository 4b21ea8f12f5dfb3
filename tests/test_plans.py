"""Saving a Plan with its learning questions (copbot/plans.py)."""

from __future__ import annotations

import pytest

from copbot import cycles
from copbot.errors import UserError
from copbot.learning_questions import QuestionDraft, questions_for
from copbot.plans import plan_form, save_plan
from copbot.team_choice import open_cycle_of
from copbot.vocabulary import ActDecisionKind, Stage
from tests.cycle_states import QUESTION, acted, open_first_cycle, planned, studied
from tests.factories import make_cop, make_school_team


@pytest.fixture
def team(session):
    return make_school_team(session, make_cop(session))


def test_save_plan_moves_to_do_and_keeps_questions(session, team):
    cycle = planned(session, open_first_cycle(session, team))
    assert cycle.stage == Stage.DO
    assert [q.measure for q in questions_for(session, team_id="T0001", cycle_id=cycle.id)] == [QUESTION.measure]


def test_a_plan_without_questions_is_rejected_before_anything_changes(session, team):
    cycle = open_first_cycle(session, team)
    with pytest.raises(UserError) as error:
        save_plan(session, cycle=cycle, user_id="U0001", strategy="Talk moves", evidence_adult_practice="x",
                  questions=[QuestionDraft(1)])
    assert error.value.field == "question_1"
    assert cycle.stage == Stage.PLAN
    assert plan_form(session, cycle=cycle).plan is None


def test_unknown_method_is_rejected(session, team):
    cycle = open_first_cycle(session, team)
    with pytest.raises(UserError) as error:
        save_plan(session, cycle=cycle, user_id="U0001", strategy="s", evidence_adult_practice="x",
                  evidence_methods=["telepathy"], questions=[QUESTION])
    assert error.value.field == "evidence_methods"


def test_plan_form_offers_saved_plan_then_seeded_draft(session, team):
    cycle = planned(session, open_first_cycle(session, team))
    form = plan_form(session, cycle=cycle)
    assert (form.seeded, form.plan.strategy, len(form.questions)) == (False, form.plan.strategy, 1)
    following = acted(session, studied(session, cycle), ActDecisionKind.SCALE)
    seeded = plan_form(session, cycle=following)
    assert seeded.seeded and seeded.plan.strategy.startswith("Scale: ")
    assert seeded.questions == []


def test_open_cycle_of_says_when_there_is_none(session, team):
    with pytest.raises(UserError, match="no open PDSA cycle"):
        open_cycle_of(session, team=team)
    cycle = open_first_cycle(session, team)
    assert open_cycle_of(session, team=team).id == cycle.id
    assert cycles.current_cycle(session, team_id="T0002", school_team_id=team.id) is None
