"""The Act modal: the decision and why; the next cycle opens with its Plan pre-filled from it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from copbot.vocabulary import ActDecisionKind, Stage
from messages.blocks import as_view, clip, context, mrkdwn_escape, section
from messages.inputs import radio_input, text_input
from messages.team_choice import metadata, with_team_select
from storage.models import Cycle, Plan, SchoolTeam

CALLBACK_ID = "act_modal"
STRATEGY_SHOWN = 500


def act_modal(*, cycle: Cycle, plan: Plan | None, school_team: SchoolTeam,
              teams: Sequence[SchoolTeam]) -> dict[str, Any]:
    blocks: list[Block] = [
        context(f"*{mrkdwn_escape(school_team.school_name)}* · cycle {cycle.number} ({Stage(cycle.stage).label})")
    ]
    if cycle.stage != Stage.ACT:
        blocks.append(section(f":warning: Cycle {cycle.number} is in {Stage(cycle.stage).label}: the Act decision "
                              "follows the Study."))
    if plan is not None and plan.strategy:
        blocks.append(section("*Strategy tested*: " + mrkdwn_escape(clip(plan.strategy, STRATEGY_SHOWN))))
    blocks += [
        radio_input("decision", "Decision", ActDecisionKind.choices(),
                    hint="Keep, scale or adapt carries the strategy into the next cycle's Plan."),
        text_input("rationale", "Why?", multiline=True),
        context(f"Saving closes cycle {cycle.number} and opens cycle {cycle.number + 1} with its Plan pre-filled."),
    ]
    return as_view(View(
        type="modal", callback_id=CALLBACK_ID, title=f"Act · cycle {cycle.number}", submit="Decide",
        close="Cancel", blocks=with_team_select(blocks, teams, school_team),
        private_metadata=metadata(teams, school_team, cycle_id=cycle.id),
    ))
