"""Saving the Study with prediction results (copbot/studies.py)."""

from __future__ import annotations

import pytest

from copbot.errors import UserError
from copbot.evidence import add_evidence
from copbot.learning_questions import ResultDraft, questions_for
from copbot.studies import save_study, study_form
from copbot.vocabulary import PredictionResult, Stage
from tests.cycle_states import HELD, open_first_cycle, planned
from tests.factories import make_cop, make_school_team


@pytest.fixture
def cycle(session):
    team = make_school_team(session, make_cop(session))
    return planned(session, open_first_cycle(session, team))


def test_study_records_results_and_moves_to_act(session, cycle):
    add_evidence(session, cycle=cycle, user_id="U0001", focus="student_impact", kind="student_work",
                 description="Exit tickets", today=HELD)
    form = study_form(session, cycle=cycle)
    assert len(form.evidence) == 1 and len(form.questions) == 1
    question = form.questions[0]
    save_study(session, cycle=cycle, user_id="U0001", implementation="3 classes", evidence_summary="Up",
               learnings="Frames work", results=[ResultDraft(question.id, PredictionResult.PARTLY, "52%, not 60%")])
    assert cycle.stage == Stage.ACT
    assert questions_for(session, team_id="T0001", cycle_id=cycle.id)[0].result == "partly"
    assert study_form(session, cycle=cycle).study.learnings == "Frames work"


def test_a_prediction_without_result_is_flagged_on_its_field(session, cycle):
    (question,) = questions_for(session, team_id="T0001", cycle_id=cycle.id)
    with pytest.raises(UserError) as error:
        save_study(session, cycle=cycle, user_id="U0001", implementation="", evidence_summary="",
                   learnings="Frames work", results=[])
    assert error.value.field == f"result_{question.id}"


def test_learnings_are_required(session, cycle):
    with pytest.raises(UserError) as error:
        save_study(session, cycle=cycle, user_id="U0001", implementation="", evidence_summary="", learnings=" ")
    assert error.value.field == "learnings"
