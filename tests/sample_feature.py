"""A small modal feature written the way copbot's features are, for testing the test harnesses.

``/pdsa sample`` opens a modal (views.open); its submission checks the values (UserError on a
field), saves a LearningQuestion for the cycle in private_metadata after the edit-rights check,
acks, then posts a confirmation to the CoP's channel. Tests add it with
``monkeypatch.setattr(handlers, "FEATURES", [*handlers.FEATURES, sample_feature])``.
"""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import (
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View
from sqlmodel import select

from copbot.errors import UserError
from copbot.membership import require_can_edit
from handlers.forms import FormValues
from handlers.replies import view_submission
from messages.blocks import as_view
from storage.idempotency import first_delivery, view_submission_key
from storage.models import Cop, Cycle, LearningQuestion

CALLBACK_ID = "sample_modal"


def sample_view(cycle_id: int) -> dict[str, Any]:
    return as_view(View(
        type="modal", callback_id=CALLBACK_ID, title="Learning question", submit="Save",
        private_metadata=json.dumps({"cycle_id": cycle_id}),
        blocks=[
            InputBlock(block_id="question", label="Question",
                       element=PlainTextInputElement(action_id="question", multiline=True, max_length=3000)),
            InputBlock(block_id="measured_on", label="Measured on", optional=True,
                       element=DatePickerElement(action_id="measured_on")),
            InputBlock(block_id="result", label="Result", optional=True,
                       element=StaticSelectElement(action_id="result", options=[
                           Option(value=v, text=v.replace("_", " ")) for v in ("confirmed", "not_confirmed")])),
        ],
    ))


def register(app: Any, pdsa: Any) -> None:
    def open_sample(ack: Any, command: dict, client: Any, context: Any, **_: Any) -> None:
        with context["database"].session() as session:
            cycle = session.exec(select(Cycle).where(Cycle.team_id == context.team_id)).first()
        if cycle is None:
            raise UserError("No cycle yet.")
        ack()
        client.views_open(trigger_id=command["trigger_id"], view=sample_view(cycle.id))

    @view_submission("question")
    def save_sample(ack: Any, body: dict, view: dict, client: Any, context: Any, **_: Any) -> None:
        form = FormValues(view)
        question = form.required_text("question", "Write the question.")
        if len(question) > 3000:
            raise UserError("Keep the question under 3,000 characters.", field="question")
        if form.date("measured_on") and form.date("measured_on").year < 2000:
            raise UserError("Pick a date in this school year.", field="measured_on")
        with context["database"].session() as session:
            cycle = session.exec(select(Cycle).where(
                Cycle.team_id == context.team_id, Cycle.id == int(form.metadata.get("cycle_id") or 0))).first()
            if cycle is None:
                raise UserError("That cycle does not exist in this workspace.", field="question")
            require_can_edit(session, team_id=context.team_id, user_id=body["user"]["id"],
                             school_team_id=cycle.school_team_id)
            if not first_delivery(session, team_id=context.team_id, key=view_submission_key(view)):
                ack()
                return
            session.add(LearningQuestion(team_id=context.team_id, cycle_id=cycle.id, question=question,
                                         result=form.option("result")))
            channel = session.exec(select(Cop.channel_id).where(Cop.team_id == context.team_id)).first()
        ack()
        client.chat_postMessage(channel=channel, text=f"Learning question saved: {question[:200]}")

    pdsa.add("sample", summary="test only", example="/pdsa sample", run=open_sample)
    app.view(CALLBACK_ID)(save_sample)
