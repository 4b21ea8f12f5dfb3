"""Which school team a /pdsa command acts on.

In a CoP's channel a command acts on that CoP: on the one team the person may edit there, or
on the team they pick among several. Elsewhere it acts on the teams they may edit in any CoP.
A person with no team to act on is told why. Commands that take words (reports, charts,
progress) name the school at the start of the words when the person may act on several.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from copbot.cycles import current_cycle
from copbot.errors import NotAllowed, UserError
from copbot.membership import cop_for_channel, editable_teams, is_facilitator, require_can_edit
from storage.models import Cop, Cycle, SchoolTeam


def teams_to_act_on(session: Session, *, team_id: str, user_id: str, channel_id: str | None) -> list[SchoolTeam]:
    """The school teams a command run by ``user_id`` in ``channel_id`` may change (never empty).

    Raises NotAllowed with the reason when there is none.
    """
    cop = cop_for_channel(session, team_id=team_id, channel_id=channel_id)
    if cop is not None:
        teams = editable_teams(session, team_id=team_id, user_id=user_id, cop_id=cop.id)
        if teams:
            return teams
        if is_facilitator(session, team_id=team_id, user_id=user_id, cop_id=cop.id):
            raise NotAllowed(f"{cop.name} has no school teams yet: add one with `/pdsa team`.")
        raise NotAllowed(
            f"You are not a member of a school team in {cop.name} nor one of its facilitators, so you cannot "
            "record anything for its teams. Ask a facilitator to add you to your school's team."
        )
    teams = editable_teams(session, team_id=team_id, user_id=user_id)
    if not teams:
        raise NotAllowed(
            "You are not a member of any school team yet, so there is nothing to record for. "
            "Ask your CoP's facilitator to add you to your school's team."
        )
    return teams


def chosen_team(session: Session, *, team_id: str, user_id: str, school_team_id: int,
                offered: list[int] | None = None) -> SchoolTeam:
    """The team a person picked (or a button named), if they may change it."""
    if offered is not None and school_team_id not in offered:
        raise NotAllowed("That school team was not offered in this form.", field="school_team")
    return require_can_edit(session, team_id=team_id, user_id=user_id, school_team_id=school_team_id)


def cop_of(session: Session, team: SchoolTeam) -> Cop:
    """The CoP a school team belongs to (same workspace)."""
    cop = session.exec(select(Cop).where(Cop.team_id == team.team_id, Cop.id == team.cop_id)).one()
    return cop


def open_cycle_of(session: Session, *, team: SchoolTeam) -> Cycle:
    """The team's current (not closed) cycle, or a UserError saying there is none."""
    cycle = current_cycle(session, team_id=team.team_id, school_team_id=team.id)
    if cycle is None:
        raise UserError(
            f"{team.school_name} has no open PDSA cycle yet. A facilitator opens the first cycle once the "
            "problem of practice is in (`/pdsa pop`)."
        )
    return cycle


@dataclass(frozen=True)
class TeamChoice:
    team: SchoolTeam
    rest: str  # the words left after the school's name


def choose_school_team(session: Session, *, team_id: str, user_id: str, channel_id: str | None,
                       words: str = "") -> TeamChoice:
    """The school team the person means; UserError naming the choices when it is unclear."""
    cop = cop_for_channel(session, team_id=team_id, channel_id=channel_id)
    teams = editable_teams(session, team_id=team_id, user_id=user_id, cop_id=cop.id if cop else None)
    if not teams:
        where = f" of {cop.name}" if cop else ""
        raise UserError(f"You are not on a school team{where} and do not facilitate its CoP, "
                        "so copbot cannot tell which school you mean.")
    named = _named_team(teams, words)
    if named is not None:
        return named
    if len(teams) == 1:
        return TeamChoice(teams[0], words.strip())
    names = ", ".join(team.school_name for team in teams)
    raise UserError(f"Which school? Start with its name, for example `{teams[0].school_name.split()[0]}`. "
                    f"You can choose: {names}.")


def _named_team(teams: list[SchoolTeam], words: str) -> TeamChoice | None:
    text = words.strip()
    lowered = text.lower()
    for team in sorted(teams, key=lambda t: -len(t.school_name)):
        for name in (team.school_name, team.school_name.split()[0]):
            key = name.lower()
            if lowered == key or lowered.startswith(key + " "):
                return TeamChoice(team, text[len(name):].strip())
    return None

