"""/pdsa study end to end: the evidence list, each prediction's result, flagged predictions."""

from __future__ import annotations

import pytest
from sqlmodel import select

from copbot.evidence import Measurement, add_evidence
from copbot.learning_questions import QuestionDraft
from copbot.vocabulary import Stage
from storage.models import Cycle, LearningQuestion, StudyReflection
from tests.cycle_states import HELD, QUESTION, open_first_cycle, planned
from tests.factories import make_cop, make_school_team
from tests.modals import initial, opened_view, submit, view_text

SECOND = QuestionDraft(2, "Do observers hear more evidence prompts?", "Teachers prompt twice as often",
                       "Prompts per observed lesson")
REFLECTION = {"implementation": "Frames used in 3 of 4 classes", "evidence_summary": "Exit tickets rose to 69%",
              "learnings": "Frames help ELs justify; teachers need modelling time"}


@pytest.fixture
def questions(database):
    with database.session() as session:
        team = make_school_team(session, make_cop(session))
        cycle = planned(session, open_first_cycle(session, team), questions=(QUESTION, SECOND))
        for week in range(1, 30):
            add_evidence(session, cycle=cycle, user_id="U0001", focus="student_impact", kind="student_work",
                         description=f"Week {week} exit tickets " + "with details " * 20, today=HELD,
                         measurement=Measurement("EL exit tickets citing evidence (%)", 40 + week, HELD))
        rows = session.exec(select(LearningQuestion).order_by(LearningQuestion.id)).all()
    return rows


def stored(database):
    with database.session() as session:
        return (session.exec(select(StudyReflection)).all(),
                session.exec(select(LearningQuestion).order_by(LearningQuestion.id)).all(),
                session.exec(select(Cycle)).one())


def test_study_shows_evidence_and_predictions_and_records_results(slack, standin, database, questions):
    first, second = questions
    slack.command("study")
    view = opened_view(standin)
    shown = view_text(view)
    assert "29 items" in shown and "… and" in shown and "Week 1 exit tickets" in shown
    assert QUESTION.prediction in shown and SECOND.prediction in shown

    values = {**REFLECTION, f"result_{first.id}": "matched", f"why_{first.id}": "69% cited evidence"}
    answer = submit(slack, view, values)
    assert answer["errors"] == {f"result_{second.id}": 'Say whether the prediction matched, or tick "No result yet".'}
    answer = submit(slack, view, {**values, f"result_{second.id}": "partly"})
    assert list(answer["errors"]) == [f"why_{second.id}"]
    answer = submit(slack, view, {**values, "learnings": "", f"no_result_{second.id}": ["no_result"]})
    assert list(answer["errors"]) == ["learnings"]
    studies, rows, cycle = stored(database)
    assert studies == [] and [q.result for q in rows] == [None, None] and cycle.stage == Stage.DO

    assert submit(slack, view, {**values, f"no_result_{second.id}": ["no_result"]}) is None
    studies, rows, cycle = stored(database)
    assert studies[0].learnings == REFLECTION["learnings"] and cycle.stage == Stage.ACT
    assert [(q.result, q.result_note) for q in rows] == [("matched", "69% cited evidence"), ("no_result", "")]
    post = standin.wait_for("chat.postMessage")[0]
    assert "the Study" in post.args["text"] and "Matched" in str(post.args["blocks"])

    # Re-opening pre-fills the saved study and shows the flagged prediction.
    slack.command("study")
    again = opened_view(standin, count=2)
    assert initial(again, "learnings") == REFLECTION["learnings"]
    assert initial(again, f"result_{first.id}") == "matched"
    assert initial(again, f"no_result_{second.id}") == ["no_result"]
    assert ":triangular_flag_on_post:" in view_text(again)


def test_study_by_a_non_member_is_refused(slack, standin, database, questions):
    slack.command("study")
    answer = submit(slack, opened_view(standin), REFLECTION, user_id="U0099")
    assert "Only members" in answer["errors"]["learnings"]
    assert stored(database)[0] == []
