"""Which school team a command is about, from who asks, where, and the words they typed.

People may act on the teams they belong to and on every team of the CoPs they facilitate
(``membership.editable_teams``). In a CoP's channel only that CoP's teams count. When that leaves
several teams, the words must start with a school's name (or its first word: "Lincoln").
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from copbot.errors import UserError
from copbot.membership import cop_for_channel, editable_teams
from storage.models import SchoolTeam


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
