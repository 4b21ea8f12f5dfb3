"""copbot's App Home tab: each of a person's CoPs and school teams, with buttons to each step."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement
from slack_sdk.models.views import View

from copbot.progress import Progress
from copbot.status import CopOverview, TeamOverview
from copbot.vocabulary import Stage
from messages.blocks import BUTTON_LIMIT, as_view, clip, context, divider, header, mrkdwn_escape, section
from messages.progress import progress_lines
from messages.status import status_summary

# (action_id, button text): the listeners live in the module that owns each modal.
STEP_BUTTONS = [
    ("open_pop", "Problem of practice"),
    ("open_plan", "Plan"),
    ("open_do", "Do meeting"),
    ("open_evidence", "Evidence"),
    ("open_study", "Study"),
    ("open_act", "Act"),
    ("open_ssc", "SSC report"),
]
NEXT_BUTTON = {Stage.PLAN: "open_plan", Stage.DO: "open_do", Stage.STUDY: "open_study", Stage.ACT: "open_act"}


def _button(action_id: str, text: str, value: str, primary: bool = False) -> ButtonElement:
    return ButtonElement(action_id=action_id, text=clip(text, BUTTON_LIMIT), value=value,
                         style="primary" if primary else None)


def _next_action(entry: TeamOverview) -> str | None:
    if entry.status is None:
        return None
    if not entry.status.has_problem:
        return "open_pop"
    return NEXT_BUTTON.get(entry.status.stage)


def _team_blocks(entry: TeamOverview, progress: Progress | None) -> list[Block]:
    team = entry.team
    title = f"*{mrkdwn_escape(team.school_name)}*"
    body = status_summary(entry.status) if entry.status else "No open cycle."
    primary = _next_action(entry)
    buttons = [_button(action_id, text, str(team.id), primary=action_id == primary)
               for action_id, text in STEP_BUTTONS]
    blocks: list[Block] = [section(f"{title}\n{body}")]
    if progress is not None:
        blocks.append(context("\n".join(progress_lines(progress))))
    return [*blocks, ActionsBlock(block_id=f"team_{team.id}", elements=buttons)]


def _cop_blocks(entry: CopOverview, progress: dict[int, Progress]) -> list[Block]:
    cop = entry.cop
    where = f" · <#{cop.channel_id}>" if cop.channel_id else ""
    role = " · you facilitate" if entry.facilitator else ""
    blocks: list[Block] = [
        header(cop.name),
        context(f"{mrkdwn_escape(cop.focus_area or 'CoP')} · {mrkdwn_escape(cop.school_year)}{where}{role}"
                f" · today {entry.today.strftime('%a %b %-d')}"),
    ]
    for team in entry.teams:
        blocks += _team_blocks(team, progress.get(team.team.id))
    if not entry.teams:
        blocks.append(section("No school team yet." + (" Add one with `/pdsa team`." if entry.facilitator
                                                       else " A facilitator adds teams with `/pdsa team`.")))
    if entry.facilitator:
        blocks.append(ActionsBlock(block_id=f"cop_{cop.id}",
                                   elements=[_button("open_team", "Add or edit a school team", str(cop.id))]))
    blocks.append(divider())
    return blocks


def home_view(overview: Sequence[CopOverview], progress: dict[int, Progress] | None = None) -> dict[str, Any]:
    blocks: list[Block] = [header("copbot: your PDSA cycles")]
    if not overview:
        blocks += [
            section("You are not in a Community of Practice yet."),
            section("*To start one*, run `/pdsa setup` in the channel the CoP will use (or let copbot create "
                    "one), then add school teams with `/pdsa team`.\n*To join one*, ask its facilitator to add "
                    "you to your school's team."),
            context("`/pdsa help` lists every command."),
        ]
    for entry in overview:
        blocks += _cop_blocks(entry, progress or {})
    return as_view(View(type="home", blocks=blocks, callback_id="home"))
