"""School teams of a CoP: who may add or change one, its members by role, and size warnings.

Rules: only a CoP's facilitators may add a school team to it; a team's own members and the CoP's
facilitators may change it. A new team opens its cycle 1 at once (Plan at the CoP's first
convening, Study at the second).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from copbot.cops import get_cop
from copbot.cycles import cycle_dates, open_cycle
from copbot.errors import NotAllowed, UserError
from copbot.membership import cop_for_channel, cops_for_user, editable_teams, is_facilitator, require_can_edit
from copbot.vocabulary import Role, SupportType
from storage.models import Cop, Cycle, Membership, SchoolTeam

TEAM_ROLES = [Role.IMPLEMENTING_TEACHER, Role.OBSERVER, Role.NOTE_TAKER, Role.SITE_DECISION_MAKER]
TEAM_SIZE = (4, 7)
TEAMS_PER_COP = (2, 4)
ADD_RULE = ("Only a CoP's facilitators can add a school team to it; members of a team (and the "
            "facilitators) can edit that team.")


@dataclass(frozen=True)
class TeamForm:
    school_name: str
    district: str
    support_type: SupportType
    subgroups: list[str]
    members: dict[Role, list[str]]


@dataclass
class TeamSaved:
    team: SchoolTeam
    created: bool
    cycle: Cycle | None = None
    warnings: list[str] = field(default_factory=list)


def require_can_add(session: Session, *, team_id: str, user_id: str, cop: Cop) -> None:
    if not is_facilitator(session, team_id=team_id, user_id=user_id, cop_id=cop.id):
        raise NotAllowed(f"Only facilitators of {cop.name} can add a school team to it. {ADD_RULE}")


def members_by_role(session: Session, *, team_id: str, school_team_id: int) -> dict[Role, list[str]]:
    rows = session.exec(
        select(Membership).where(Membership.team_id == team_id, Membership.school_team_id == school_team_id)
        .order_by(Membership.id)
    ).all()
    members: dict[Role, list[str]] = {role: [] for role in TEAM_ROLES}
    for row in rows:
        members.setdefault(Role(row.role), []).append(row.user_id)
    return members


def team_size(members: dict[Role, list[str]]) -> int:
    """Distinct people on the team (one person may hold two roles)."""
    return len({user for users in members.values() for user in users})


def teams_in_cop(session: Session, *, team_id: str, cop_id: int) -> list[SchoolTeam]:
    return list(session.exec(
        select(SchoolTeam).where(SchoolTeam.team_id == team_id, SchoolTeam.cop_id == cop_id)
        .order_by(SchoolTeam.school_name)
    ).all())


def size_warnings(*, school_name: str, people: int, teams_in_cop: int) -> list[str]:
    """Non-blocking warnings: a team outside 4-7 people, a CoP outside 2-4 school teams."""
    warnings = []
    low, high = TEAM_SIZE
    if not low <= people <= high:
        warnings.append(f"{school_name} has {people} member{'s' if people != 1 else ''}; "
                        f"a school team usually has {low}-{high}.")
    low, high = TEAMS_PER_COP
    if not low <= teams_in_cop <= high:
        warnings.append(f"The CoP has {teams_in_cop} school team{'s' if teams_in_cop != 1 else ''}; "
                        f"a CoP usually has {low}-{high}.")
    return warnings


def _check_name_free(session: Session, *, cop: Cop, school_name: str, school_team_id: int | None) -> None:
    query = select(SchoolTeam.id).where(
        SchoolTeam.team_id == cop.team_id, SchoolTeam.cop_id == cop.id,
        func.lower(SchoolTeam.school_name) == school_name.lower(),
    )
    if school_team_id is not None:
        query = query.where(SchoolTeam.id != school_team_id)
    if session.exec(query).first() is not None:
        raise UserError(f"{cop.name} already has a team for {school_name}; pick it to edit it.",
                        field="school_name")


def save_team(
    session: Session, *, team_id: str, user_id: str, cop_id: int, school_team_id: int | None, form: TeamForm,
) -> TeamSaved:
    """Add a school team (facilitators only) or change one (its members or facilitators).

    Memberships are replaced by the ones in ``form``. A new team gets its cycle 1 opened.
    """
    cop = get_cop(session, team_id=team_id, cop_id=cop_id)
    school_name = " ".join(form.school_name.split())
    if school_team_id is None:
        require_can_add(session, team_id=team_id, user_id=user_id, cop=cop)
        team = SchoolTeam(team_id=team_id, cop_id=cop.id, school_name=school_name)
    else:
        team = require_can_edit(session, team_id=team_id, user_id=user_id, school_team_id=school_team_id)
        if team.cop_id != cop.id:
            raise UserError("That school team belongs to another CoP.")
    if not school_name:
        raise UserError("Write the school's name.", field="school_name")
    _check_name_free(session, cop=cop, school_name=school_name, school_team_id=school_team_id)

    team.school_name = school_name
    team.district = form.district.strip()
    team.support_type = form.support_type
    team.subgroups = list(form.subgroups)
    session.add(team)
    session.flush()
    session.exec(delete(Membership).where(
        col(Membership.team_id) == team_id, col(Membership.school_team_id) == team.id
    ))
    for role in TEAM_ROLES:
        for member in dict.fromkeys(form.members.get(role, [])):
            session.add(Membership(team_id=team_id, cop_id=cop.id, school_team_id=team.id, user_id=member,
                                   role=role))
    session.flush()

    cycle = None
    if school_team_id is None:
        plan_on, study_on = cycle_dates(session, team_id=team_id, cop_id=cop.id, number=1)
        cycle = open_cycle(session, team_id=team_id, school_team_id=team.id, school_year=cop.school_year,
                           plan_on=plan_on, study_on=study_on)
    warnings = size_warnings(school_name=school_name, people=team_size(form.members),
                             teams_in_cop=len(teams_in_cop(session, team_id=team_id, cop_id=cop.id)))
    return TeamSaved(team=team, created=school_team_id is None, cycle=cycle, warnings=warnings)


@dataclass(frozen=True)
class TeamChoices:
    """What a person may do with teams in the CoPs in scope: add to these CoPs, edit these teams."""

    can_add: list[Cop]
    can_edit: list[SchoolTeam]

    @property
    def empty(self) -> bool:
        return not self.can_add and not self.can_edit


def team_choices(session: Session, *, team_id: str, user_id: str, cops: list[Cop]) -> TeamChoices:
    cop_ids = {cop.id for cop in cops}
    can_add = [cop for cop in cops if is_facilitator(session, team_id=team_id, user_id=user_id, cop_id=cop.id)]
    can_edit = [team for team in editable_teams(session, team_id=team_id, user_id=user_id)
                if team.cop_id in cop_ids]
    return TeamChoices(can_add=can_add, can_edit=can_edit)


def find_team_by_name(teams: list[SchoolTeam], name: str) -> SchoolTeam | None:
    wanted = " ".join(name.split()).lower()
    exact = [team for team in teams if team.school_name.lower() == wanted]
    if exact:
        return exact[0]
    partial = [team for team in teams if wanted and wanted in team.school_name.lower()]
    return partial[0] if len(partial) == 1 else None


@dataclass(frozen=True)
class TeamTarget:
    """The team form to show: a new team in ``cop`` (``team`` None) or ``team`` pre-filled."""

    cop: Cop
    team: SchoolTeam | None
    school_name: str = ""


@dataclass(frozen=True)
class TeamStart:
    """What `/pdsa team` opens: ``target`` directly, or (``target`` None) a picker over ``choices``."""

    cops: list[Cop]
    choices: TeamChoices
    target: TeamTarget | None


def start_team_form(session: Session, *, team_id: str, user_id: str, channel_id: str | None = None,
                    cop_id: int | None = None, school_name: str = "") -> TeamStart:
    """Decide what `/pdsa team [school]` (or an ``open_team`` button for ``cop_id``) shows this person.

    Scope: the given CoP, else the CoP of the channel, else every CoP the person belongs to.
    """
    if cop_id is not None:
        cops = [get_cop(session, team_id=team_id, cop_id=cop_id)]
    else:
        cop = cop_for_channel(session, team_id=team_id, channel_id=channel_id)
        cops = [cop] if cop else cops_for_user(session, team_id=team_id, user_id=user_id)
    if not cops:
        raise UserError("You are not in a Community of Practice yet. To start one, run `/pdsa setup`; "
                        "to join one, ask its facilitator to add you to your school's team.")
    choices = team_choices(session, team_id=team_id, user_id=user_id, cops=cops)
    if choices.empty:
        names = ", ".join(cop.name for cop in cops)
        raise NotAllowed(f"You are neither a facilitator of {names} nor on one of its school teams. {ADD_RULE}")
    by_id = {cop.id: cop for cop in cops}
    target = None
    if school_name.strip():
        team = find_team_by_name(choices.can_edit, school_name)
        if team is not None:
            target = TeamTarget(cop=by_id[team.cop_id], team=team)
        elif len(choices.can_add) == 1:
            target = TeamTarget(cop=choices.can_add[0], team=None, school_name=" ".join(school_name.split()))
        elif not choices.can_add:
            raise NotAllowed(f"You cannot edit a team named “{school_name.strip()}” and cannot add one. {ADD_RULE}")
    elif len(choices.can_add) + len(choices.can_edit) == 1:
        target = (TeamTarget(cop=choices.can_add[0], team=None) if choices.can_add
                  else TeamTarget(cop=by_id[choices.can_edit[0].cop_id], team=choices.can_edit[0]))
    return TeamStart(cops=cops, choices=choices, target=target)


def target_from_choice(session: Session, *, team_id: str, user_id: str, kind: str, number: int) -> TeamTarget:
    """The picker's choice ('new' + CoP id, or 'team' + school team id), checked against the rules."""
    if kind == "new":
        cop = get_cop(session, team_id=team_id, cop_id=number)
        require_can_add(session, team_id=team_id, user_id=user_id, cop=cop)
        return TeamTarget(cop=cop, team=None)
    team = require_can_edit(session, team_id=team_id, user_id=user_id, school_team_id=number)
    return TeamTarget(cop=get_cop(session, team_id=team_id, cop_id=team.cop_id), team=team)
