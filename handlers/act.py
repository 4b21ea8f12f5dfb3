"""/pdsa act: the Act decision, which closes the cycle and opens the next with its Plan pre-filled.

After a save the handler posts the channel confirmation, then suggests a kept or scaled strategy
to matching teams of the workspace (handlers/spread.py).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from sqlmodel import Session

from copbot.cycles import cycle_dates, record_act
from copbot.errors import UserError
from copbot.plans import saved_plan
from copbot.team_choice import cop_of, open_cycle_of
from copbot.vocabulary import ActDecisionKind
from handlers.channel_notes import Note
from handlers.forms import FormValues
from handlers.pdsa import PdsaRouter
from handlers.replies import view_submission
from handlers.spread import deliver_suggestions
from handlers.submissions import save_once
from handlers.team_choice import (
    FormRequest,
    register_step_form,
    submitted_cycle,
    submitted_team,
)
from messages.act import CALLBACK_ID, act_modal
from messages.confirmations import confirmation

TITLE = "Act"


def build_act_modal(session: Session, request: FormRequest) -> dict[str, Any]:
    team = request.school_team
    cycle = open_cycle_of(session, team=team)
    return act_modal(cycle=cycle, plan=saved_plan(session, cycle=cycle), school_team=team, teams=request.teams)


def register(app: App, pdsa: PdsaRouter) -> None:
    register_step_form(
        app, pdsa, step="act", callback_id=CALLBACK_ID, build=build_act_modal, title=TITLE,
        summary="Decide: start, stop, keep, scale, adapt or abandon; opens the next cycle",
        example="/pdsa act",
    )

    @app.view(CALLBACK_ID)
    @view_submission("decision")
    def save_act_modal(ack: Any, body: dict, view: dict, client: Any, context: Any) -> None:
        form, user_id = FormValues(view), body["user"]["id"]
        decided: list[int] = []

        def save(session: Session) -> Note:
            team = submitted_team(session, team_id=context.team_id, user_id=user_id, form=form)
            cycle = submitted_cycle(session, team=team, form=form)
            chosen = form.option("decision")
            if chosen not in ActDecisionKind._value2member_map_:
                raise UserError("Pick the team's decision.", field="decision")
            plan_on, study_on = cycle_dates(session, team_id=team.team_id, cop_id=team.cop_id, number=cycle.number + 1)
            outcome = record_act(session, cycle=cycle, user_id=user_id, decision=ActDecisionKind(chosen),
                                 rationale=form.text("rationale"), next_plan_on=plan_on, next_study_on=study_on)
            decided.append(outcome.decision.id)
            after = f"Cycle {outcome.next_cycle.number} is open with its Plan pre-filled from this decision"
            after += f" (Plan convening {plan_on:%b %-d, %Y})." if plan_on else "."
            return Note(cop_of(session, team).channel_id, confirmation(
                user_id=user_id, what=f"the Act decision: {ActDecisionKind(chosen).label.lower()}",
                school=team.school_name, cycle_number=cycle.number, detail=after,
            ))

        note = save_once(context, view, save)
        ack()
        if note is not None:
            note.post(client)
        if decided:
            deliver_suggestions(client, context["database"], team_id=context.team_id, act_decision_id=decided[0])
