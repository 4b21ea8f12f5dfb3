"""/pdsa pop: the problem-of-practice form (pre-filled when the team has one) and its saved note."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from copbot.problems import RICH_CHECKS
from copbot.vocabulary import SupportType
from messages.blocks import as_view, context, mrkdwn_escape, section
from messages.inputs import checkboxes_input, option, select_input, text_input
from storage.models import ProblemOfPractice, SchoolTeam

CALLBACK_ID = "pop_modal"


def problem_view(*, team: SchoolTeam, teams: Sequence[SchoolTeam], problem: ProblemOfPractice | None,
                 channel_id: str) -> dict[str, Any]:
    """The PoP form for ``team``; a school picker when the person may edit several teams."""
    focus = team.support_type == SupportType.FOCUS
    blocks: list[Block] = []
    if len(teams) > 1:
        blocks.append(select_input(
            "school_team", "School", [option(str(t.id), t.school_name) for t in teams], initial=str(team.id),
            hint=f"The form shows {team.school_name}'s problem. Another school with a problem already: "
                 "open it with /pdsa pop <school>.",
        ))
    else:
        blocks.append(section(f"*{mrkdwn_escape(team.school_name)}*"
                              + (" · Focus school" if focus else " · Other Support school")))
    blocks += [
        text_input("statement", "Problem of practice", multiline=True,
                   initial=problem.statement if problem else None,
                   placeholder="Our English learners are rarely asked to justify their thinking with evidence…"),
        text_input("quantitative_data", "Needs assessment: quantitative data", multiline=True, optional=True,
                   initial=problem.quantitative_data if problem else None,
                   hint="Index metrics, district assessments, student work."),
        text_input("qualitative_data", "Needs assessment: qualitative evidence", multiline=True, optional=True,
                   initial=problem.qualitative_data if problem else None,
                   hint="Artifacts, observations, stakeholder interviews."),
        text_input("index_metrics", "School Quality Improvement Index metrics", max_length=1000,
                   initial=", ".join(problem.index_metrics) if problem else None,
                   placeholder="ELA proficiency, Chronic absenteeism", hint="Separate several with commas."),
        text_input("classroom_practice", "Aspect of classroom practice", max_length=1000,
                   initial=problem.classroom_practice if problem else None, placeholder="Academic discourse"),
        text_input("subgroups", "Student subgroups" + (" (required: Focus school)" if focus else ""),
                   optional=True, max_length=1000,
                   initial=", ".join(problem.subgroups if problem else team.subgroups) or None,
                   hint="Separate several with commas. Focus schools name the subgroup(s) behind the designation."),
        text_input("focus_questions", "Focus questions for observers", multiline=True, optional=True,
                   initial=problem.focus_questions if problem else None),
        checkboxes_input("checks", "Is it a rich problem of practice? It…",
                         [option(name, label) for name, label in RICH_CHECKS],
                         initial=[name for name, _ in RICH_CHECKS if problem and getattr(problem, name)]),
        context("Only the team's members and the CoP's facilitators can change it."),
    ]
    metadata = {"school_team_id": team.id, "channel_id": channel_id}
    view = View(type="modal", callback_id=CALLBACK_ID, title="Problem of practice", submit="Save",
                close="Cancel", blocks=blocks, private_metadata=json.dumps(metadata))
    return as_view(view)


def saved_detail(missing_checks: Sequence[str]) -> str:
    if not missing_checks:
        return "All five rich-PoP checks are ticked."
    return "Not ticked yet: " + "; ".join(missing_checks) + "."
