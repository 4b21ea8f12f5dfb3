"""A whole school year for Lincoln Middle School through signed requests only.

The CoP, the team and its problem of practice come from the factories (their own commands are
another feature's); the first cycle is opened as /pdsa pop would. Then three PDSA cycles run
through /pdsa plan, do (three meetings), evidence (and the "Save as evidence" shortcut), study
and act, with an SSC report after each Study convening and the facilitator's regional check-ins;
finally the database must hold all of it. All dates lie in school year 2025-26, in the past.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from copbot import cycles
from copbot.cycles import default_do_meeting_dates
from copbot.vocabulary import DoMeetingKind, Stage
from storage.models import (
    ActDecision,
    Convening,
    Cycle,
    DoMeeting,
    EvidenceItem,
    FacilitatorCheckin,
    LearningQuestion,
    Plan,
    SscReport,
    StudyReflection,
)
from tests.factories import CONVENINGS, make_cop, make_school_team
from tests.modals import initial, opened_view, submit, view_text
from tests.slack_requests import message_shortcut

TEAM = ["U0001", "U0002", "U0003", "U0004"]
DECISIONS = ["keep", "scale", "adapt"]
STRATEGIES = {1: "Sentence frames for justifying answers with text evidence"}
RESULTS = ["partly", "matched", "not_matched"]


class Year:
    """Drives copbot like the team would, one signed request at a time."""

    def __init__(self, slack, standin) -> None:
        self.slack, self.standin = slack, standin
        self.opened = 0

    def open(self, text: str, user_id: str = "U0001") -> dict:
        reply = self.slack.command(text, user_id=user_id)
        assert reply.status == 200 and not reply.body, reply.text
        self.opened += 1
        return opened_view(self.standin, count=self.opened)

    def shortcut(self, text: str, ts: str, user_id: str) -> dict:
        files = [{"id": f"F{ts[-3:]}", "name": "tally.pdf",
                  "permalink": f"https://copbot-test.slack.com/files/U0002/F{ts[-3:]}/tally.pdf"}]
        self.slack.interactive(message_shortcut("save_as_evidence", text=text, user_id=user_id, message_ts=ts,
                                                files=files))
        self.opened += 1
        return opened_view(self.standin, count=self.opened)

    def save(self, view: dict, values: dict, user_id: str = "U0001") -> None:
        answer = submit(self.slack, view, values, user_id=user_id)
        assert answer is None, answer


def run_cycle(year: Year, number: int, convening_ids: dict[date, int]) -> None:
    plan_on, study_on = CONVENINGS[number - 1], CONVENINGS[number]

    view = year.open("plan")
    assert view["title"]["text"] == f"Plan · cycle {number}"
    if number > 1:
        assert initial(view, "strategy").startswith(("Keep: ", "Scale: "))
    strategy = initial(view, "strategy") or STRATEGIES[1]
    year.save(view, {
        "shared_learning": f"Cycle {number}: read Zwiers, visited Roosevelt MS",
        "strategy": strategy,
        "evidence_adult_practice": "Observer tallies evidence prompts with the tally sheet",
        "evidence_student_impact": "EL exit tickets citing text evidence",
        "evidence_methods": ["observation", "student_work"],
        "prediction": "EL evidence talk rises every cycle",
        "question_1": f"Cycle {number}: do ELs cite text evidence more often?",
        "prediction_1": f"{50 + 10 * number}% of EL exit tickets cite evidence",
        "measure_1": "% of EL exit tickets citing evidence",
    })

    due = default_do_meeting_dates(plan_on, study_on)
    view = year.open("do", user_id="U0003")
    assert initial(view, "kind") == "game_plan"
    year.save(view, {"kind": "game_plan", "held_on": due[DoMeetingKind.GAME_PLAN].isoformat(), "attendees": TEAM,
                     "who": "Ms. Rivera teaches, Mr. Chen observes", "what": strategy, "where": "Period 3 ELA",
                     "when": "Tuesdays and Thursdays", "why": "ELs rarely justify answers"}, user_id="U0003")
    view = year.open("do", user_id="U0003")
    assert initial(view, "kind") == "mid_stream"
    year.save(view, {"kind": "mid_stream", "held_on": due[DoMeetingKind.MID_STREAM].isoformat(),
                     "attendees": TEAM[:3], "notes": "On track in 3 of 4 classes"}, user_id="U0003")

    for week in range(1, 4):
        view = year.open("evidence", user_id="U0002")
        measured_on = plan_on + timedelta(weeks=2 * week)
        year.save(view, {"focus": "student_impact", "kind": "student_work",
                         "description": f"Week {2 * week} exit tickets", "measure_name": "EL exit tickets citing "
                         "evidence (%)", "measured_value": str(40 + 5 * week + 10 * number),
                         "measured_on": measured_on.isoformat()}, user_id="U0002")
    view = year.open("evidence", user_id="U0002")
    year.save(view, {"focus": "adult_practice", "kind": "observation", "description": "Observation of period 3",
                     "link": "https://drive.example.org/observation"}, user_id="U0002")
    view = year.shortcut(f"Cycle {number} tally: 12 evidence prompts", ts=f"17000000{number}0.000100",
                         user_id="U0002")
    year.save(view, {"focus": "adult_practice", "kind": "artifact", "description": initial(view, "description")},
              user_id="U0002")

    view = year.open("do end", user_id="U0003")
    assert f"Cycle {number}: do ELs cite text evidence more often?" in view_text(view)
    year.save(view, {"kind": "end_of_cycle", "held_on": due[DoMeetingKind.END_OF_CYCLE].isoformat(),
                     "attendees": TEAM, "notes": "Sorted exit tickets by week against the prediction"},
              user_id="U0003")

    view = year.open("study")
    assert "5 items" in view_text(view)
    result_field = next(b["block_id"] for b in view["blocks"] if b.get("block_id", "").startswith("result_"))
    question_id = result_field.removeprefix("result_")
    year.save(view, {"implementation": "Frames used in most classes", "evidence_summary": "Exit tickets rose",
                     "learnings": f"Cycle {number}: frames help ELs justify answers",
                     result_field: RESULTS[number - 1], f"why_{question_id}": "See the run chart"})

    view = year.open("act", user_id="U0004")
    year.save(view, {"decision": DECISIONS[number - 1], "rationale": f"Cycle {number} evidence"}, user_id="U0004")

    view = year.open("ssc", user_id="U0004")
    year.save(view, {"reported_on": (study_on + timedelta(days=10)).isoformat(),
                     "convening": str(convening_ids[study_on]), "key_learnings": f"Cycle {number} learnings",
                     "ssc_feedback": "Keep going", "plan_changes": f"Goal {number} updated"}, user_id="U0004")


def test_a_school_year_of_three_cycles(slack, standin, database):
    with database.session() as session:
        cop = make_cop(session)
        team = make_school_team(session, cop)
        plan_on, study_on = cycles.cycle_dates(session, team_id="T0001", cop_id=cop.id, number=1)
        cycles.open_cycle(session, team_id="T0001", school_team_id=team.id, school_year="2025-26",
                          plan_on=plan_on, study_on=study_on)
        convening_ids = {c.held_on: c.id for c in session.exec(select(Convening)).all()}

    year = Year(slack, standin)
    for kind, held_on in [("regional_kickoff", "2025-08-28"), ("regional_nov", "2025-11-18"),
                          ("regional_feb", "2026-02-10"), ("regional_may", "2026-05-05")]:
        view = year.open("checkin", user_id="UFAC1")
        year.save(view, {"kind": kind, "held_on": held_on, "notes": f"{kind}: teams on track"}, user_id="UFAC1")
    for number in (1, 2, 3):
        run_cycle(year, number, convening_ids)

    with database.session() as session:
        all_cycles = session.exec(select(Cycle).order_by(Cycle.number)).all()
        assert [(c.number, c.stage) for c in all_cycles] == [
            (1, Stage.CLOSED), (2, Stage.CLOSED), (3, Stage.CLOSED), (4, Stage.PLAN)]
        assert [(c.plan_on, c.study_on) for c in all_cycles] == [
            (CONVENINGS[0], CONVENINGS[1]), (CONVENINGS[1], CONVENINGS[2]), (CONVENINGS[2], CONVENINGS[3]),
            (CONVENINGS[3], None)]
        assert [c.previous_cycle_id for c in all_cycles] == [None] + [c.id for c in all_cycles[:3]]
        closed = [c.id for c in all_cycles[:3]]

        plans = session.exec(select(Plan).order_by(Plan.cycle_id)).all()
        assert [p.cycle_id for p in plans] == closed
        assert plans[1].strategy.startswith("Keep: ") and plans[2].strategy.startswith("Scale: Keep: ")

        meetings = session.exec(select(DoMeeting)).all()
        assert len(meetings) == 9
        assert {(m.cycle_id, m.kind) for m in meetings} == {(c, k.value) for c in closed for k in DoMeetingKind}
        assert all(m.held_on < date(2026, 11, 23) for m in meetings)

        evidence = session.exec(select(EvidenceItem)).all()
        assert len(evidence) == 15
        assert sum(1 for e in evidence if e.measured_value is not None) == 9
        assert sum(1 for e in evidence if e.source_ts) == 3

        questions = session.exec(select(LearningQuestion).order_by(LearningQuestion.cycle_id)).all()
        assert [(q.cycle_id, q.result) for q in questions] == list(zip(closed, RESULTS, strict=True))

        assert [s.cycle_id for s in session.exec(select(StudyReflection).order_by(StudyReflection.cycle_id))] == closed
        acts = session.exec(select(ActDecision).order_by(ActDecision.cycle_id)).all()
        assert [(a.decision, a.next_cycle_id) for a in acts] == list(
            zip(DECISIONS, [c.id for c in all_cycles[1:]], strict=True))

        reports = session.exec(select(SscReport).order_by(SscReport.reported_on)).all()
        assert [r.convening_id for r in reports] == [convening_ids[d] for d in CONVENINGS[1:]]
        assert len(session.exec(select(FacilitatorCheckin)).all()) == 4
        assert all(row.team_id == "T0001" for row in [*all_cycles, *plans, *meetings, *evidence, *reports])

    # Every save was confirmed once in the CoP channel: 4 check-ins + 3 cycles x 12 saves.
    posts = standin.wait_for("chat.postMessage", count=4 + 3 * 12)
    assert {p.args["channel"] for p in posts} == {"C0001"}
    assert len(standin.calls_to("chat.postMessage")) == 4 + 3 * 12
