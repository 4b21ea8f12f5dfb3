"""Learning questions and prediction results (copbot/learning_questions.py), without Slack."""

from __future__ import annotations

import pytest

from copbot.errors import UserError
from copbot.learning_questions import (
    QuestionDraft,
    ResultDraft,
    checked_questions,
    flagged_questions,
    questions_for,
    record_results,
    replace_questions,
)
from copbot.vocabulary import PredictionResult
from tests.cycle_states import QUESTION, open_first_cycle, planned
from tests.factories import make_cop, make_school_team


@pytest.fixture
def cycle(session):
    team = make_school_team(session, make_cop(session))
    return open_first_cycle(session, team)


def field_of(call) -> str | None:
    with pytest.raises(UserError) as error:
        call()
    return error.value.field


def test_at_least_one_question_with_question_and_prediction():
    assert field_of(lambda: checked_questions([QuestionDraft(1), QuestionDraft(2)])) == "question_1"
    assert field_of(lambda: checked_questions([QuestionDraft(1), QuestionDraft(2, question="Why?")])) == "prediction_2"
    assert field_of(lambda: checked_questions([QuestionDraft(1, prediction="More talk")])) == "question_1"
    assert field_of(lambda: checked_questions([QuestionDraft(1, "q", "p", "m" * 201)])) == "measure_1"
    assert checked_questions([QuestionDraft(1), QUESTION.__class__(2, "q", "p")]) == [QuestionDraft(2, "q", "p")]


def test_replace_questions_replaces_the_cycles_questions(session, cycle):
    replace_questions(session, cycle=cycle, drafts=[QUESTION, QuestionDraft(2, "Second?", "Yes")])
    replace_questions(session, cycle=cycle, drafts=[QuestionDraft(1, " Only one? ", " Yes ", " count ")])
    rows = questions_for(session, team_id="T0001", cycle_id=cycle.id)
    assert [(q.question, q.prediction, q.measure) for q in rows] == [("Only one?", "Yes", "count")]


def test_every_question_needs_a_result_or_no_result_yet(session, cycle):
    planned(session, cycle, questions=(QUESTION, QuestionDraft(2, "Do observers see more talk?", "Yes")))
    first, second = questions_for(session, team_id="T0001", cycle_id=cycle.id)
    matched = ResultDraft(first.id, PredictionResult.MATCHED, why="18 of 26 cited evidence")
    assert field_of(lambda: record_results(session, cycle=cycle, drafts=[matched])) == f"result_{second.id}"
    no_why = ResultDraft(second.id, PredictionResult.PARTLY)
    assert field_of(lambda: record_results(session, cycle=cycle, drafts=[matched, no_why])) == f"why_{second.id}"

    record_results(session, cycle=cycle, drafts=[matched, ResultDraft(second.id, no_result_yet=True)])
    assert (first.result, first.result_note) == ("matched", "18 of 26 cited evidence")
    assert second.result == PredictionResult.NO_RESULT
    assert [q.id for q in flagged_questions(session, team_id="T0001", cycle_id=cycle.id)] == [second.id]


def test_a_chosen_result_wins_over_a_no_result_tick(session, cycle):
    planned(session, cycle)
    (question,) = questions_for(session, team_id="T0001", cycle_id=cycle.id)
    record_results(session, cycle=cycle, drafts=[ResultDraft(question.id, PredictionResult.NOT_MATCHED,
                                                             why="Only 30%", no_result_yet=True)])
    assert question.result == "not_matched"
    assert flagged_questions(session, team_id="T0001", cycle_id=cycle.id) == []


def test_questions_never_cross_workspaces(session, cycle):
    planned(session, cycle)
    assert questions_for(session, team_id="T0002", cycle_id=cycle.id) == []
