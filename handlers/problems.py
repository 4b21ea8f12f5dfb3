"""/pdsa pop [school]: a school team's problem of practice; the ``open_pop`` button opens the same form."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from copbot import problems
from copbot.cops import get_cop, parse_list
from copbot.errors import UserError
from copbot.membership import get_school_team
from handlers.delivery import explain_in_modal, post_in_channel
from handlers.forms import FormValues
from handlers.home import refresh_home
from handlers.pdsa import PdsaRouter
from handlers.replies import action, view_submission
from messages.confirmations import confirmation
from messages.problems import CALLBACK_ID, problem_view, saved_detail
from storage.idempotency import first_delivery, view_submission_key


def register(app: App, pdsa: PdsaRouter) -> None:
    pdsa.add("pop", summary="Write or revise your school team's problem of practice",
             example="/pdsa pop Lincoln Middle School", run=open_pop_command)
    app.view(CALLBACK_ID)(save_pop)
    app.action("open_pop")(open_pop_button)


def _view(context: Any, user_id: str, *, channel_id: str | None, school_team_id: int | None = None,
          school_name: str = "") -> dict[str, Any]:
    with context["database"].session() as session:
        start = problems.start_problem_form(session, team_id=context.team_id, user_id=user_id,
                                            channel_id=channel_id, school_team_id=school_team_id,
                                            school_name=school_name)
        return problem_view(team=start.team, teams=start.teams, problem=start.problem, channel_id=channel_id or "")


def open_pop_command(ack: Any, command: dict, client: Any, context: Any, args: str, **_: Any) -> None:
    view = _view(context, command["user_id"], channel_id=command["channel_id"], school_name=args)
    ack()
    client.views_open(trigger_id=command["trigger_id"], view=view)


@action
def open_pop_button(ack: Any, body: dict, client: Any, context: Any) -> None:
    ack()
    value = (body.get("actions") or [{}])[0].get("value") or ""
    try:
        if not value.isdigit():
            raise UserError("That button does not name a school team.")
        view = _view(context, body["user"]["id"], channel_id=None, school_team_id=int(value))
    except UserError as error:
        explain_in_modal(client, body["trigger_id"], error)
        return
    client.views_open(trigger_id=body["trigger_id"], view=view)


def read_form(values: FormValues) -> problems.ProblemForm:
    return problems.ProblemForm(
        statement=values.required_text("statement", "Write the problem of practice."),
        quantitative_data=values.text("quantitative_data"),
        qualitative_data=values.text("qualitative_data"),
        index_metrics=parse_list(values.text("index_metrics")),
        classroom_practice=values.text("classroom_practice"),
        subgroups=parse_list(values.text("subgroups")),
        focus_questions=values.text("focus_questions"),
        checks=set(values.options("checks")),
    )


@view_submission("statement")
def save_pop(ack: Any, body: dict, view: dict, client: Any, context: Any) -> None:
    values = FormValues(view)
    form = read_form(values)
    user_id = body["user"]["id"]
    shown = int(values.metadata["school_team_id"])
    picked = values.option("school_team") if values.has("school_team") else None
    with context["database"].session() as session:
        if not first_delivery(session, team_id=context.team_id, key=view_submission_key(view)):
            ack()
            return
        problem, created = problems.save_problem(
            session, team_id=context.team_id, user_id=user_id, school_team_id=int(picked) if picked else shown,
            form=form, shown_team_id=shown,
        )
        team = get_school_team(session, team_id=context.team_id, school_team_id=problem.school_team_id)
        channel_id = get_cop(session, team_id=context.team_id, cop_id=team.cop_id).channel_id
        missing = problems.missing_checks(problem)
    ack()
    text, blocks = confirmation(user_id=user_id, school=team.school_name,
                                what="a problem of practice" if created else "a revised problem of practice",
                                detail=saved_detail(missing))
    post_in_channel(client, channel_id, text, blocks)
    refresh_home(client, context["database"], context.team_id, [user_id])
