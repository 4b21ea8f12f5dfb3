"""A school team's problem of practice (PoP): the needs assessment behind it and the rich-PoP checks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from copbot.clock import utcnow
from copbot.errors import NotAllowed, UserError
from copbot.membership import cop_for_channel, editable_teams, require_can_edit
from copbot.vocabulary import SupportType
from storage.models import ProblemOfPractice, SchoolTeam

# The five qualities of a rich problem of practice (seeds/004), as (column, label).
RICH_CHECKS: list[tuple[str, str]] = [
    ("instructional_core", "Focuses on the instructional core"),
    ("directly_observable", "Is directly observable"),
    ("actionable", "Is actionable (within the school's control)"),
    ("connects_to_strategy", "Connects to a broader improvement strategy"),
    ("high_leverage", "Is high-leverage"),
]
CHECK_NAMES = [name for name, _ in RICH_CHECKS]


@dataclass(frozen=True)
class ProblemForm:
    statement: str
    quantitative_data: str
    qualitative_data: str
    index_metrics: list[str]
    classroom_practice: str
    subgroups: list[str]
    focus_questions: str
    checks: set[str]


def problem_for(session: Session, *, team_id: str, school_team_id: int) -> ProblemOfPractice | None:
    return session.exec(
        select(ProblemOfPractice).where(
            ProblemOfPractice.team_id == team_id, ProblemOfPractice.school_team_id == school_team_id
        )
    ).first()


def missing_checks(problem: ProblemOfPractice) -> list[str]:
    """Labels of the rich-PoP qualities the team has not ticked yet."""
    return [label for name, label in RICH_CHECKS if not getattr(problem, name)]


def _validate(team: SchoolTeam, form: ProblemForm) -> None:
    if not form.statement.strip():
        raise UserError("Write the problem of practice.", field="statement")
    if not form.index_metrics:
        raise UserError("Name at least one School Quality Improvement Index metric it addresses.",
                        field="index_metrics")
    if not form.classroom_practice.strip():
        raise UserError("Name the aspect of classroom practice the problem is about.", field="classroom_practice")
    if team.support_type == SupportType.FOCUS and not form.subgroups:
        raise UserError(
            f"{team.school_name} is a Focus school: name the student subgroup(s), for example English learners.",
            field="subgroups",
        )
    unknown = set(form.checks) - set(CHECK_NAMES)
    if unknown:
        raise UserError("Unknown rich-PoP check.", field="checks")


def save_problem(
    session: Session, *, team_id: str, user_id: str, school_team_id: int, form: ProblemForm,
    shown_team_id: int | None = None,
) -> tuple[ProblemOfPractice, bool]:
    """Save (or revise) the team's problem of practice; returns (problem, created).

    ``shown_team_id``: the team whose problem pre-filled the form. Picking another school that
    already has a problem would overwrite it with the first school's text, so that is refused.
    """
    team = require_can_edit(session, team_id=team_id, user_id=user_id, school_team_id=school_team_id)
    if shown_team_id not in (None, team.id) and problem_for(session, team_id=team_id, school_team_id=team.id):
        raise UserError(
            f"This form shows another school's problem of practice. To revise {team.school_name}'s, run "
            f"`/pdsa pop {team.school_name}` or use its button on copbot's Home tab.",
            field="school_team",
        )
    _validate(team, form)
    problem = problem_for(session, team_id=team_id, school_team_id=team.id)
    created = problem is None
    problem = problem or ProblemOfPractice(team_id=team_id, school_team_id=team.id)
    problem.statement = form.statement.strip()
    problem.quantitative_data = form.quantitative_data.strip()
    problem.qualitative_data = form.qualitative_data.strip()
    problem.index_metrics = list(form.index_metrics)
    problem.classroom_practice = form.classroom_practice.strip()
    problem.subgroups = list(form.subgroups)
    problem.focus_questions = form.focus_questions.strip()
    for name in CHECK_NAMES:
        setattr(problem, name, name in form.checks)
    problem.updated_by = user_id
    problem.updated_at = utcnow()
    session.add(problem)
    session.flush()
    return problem, created


@dataclass(frozen=True)
class ProblemStart:
    """What the PoP form shows: ``team``'s problem pre-filled, and a picker over ``teams`` if several."""

    team: SchoolTeam
    teams: list[SchoolTeam]
    problem: ProblemOfPractice | None


def start_problem_form(session: Session, *, team_id: str, user_id: str, channel_id: str | None = None,
                       school_team_id: int | None = None, school_name: str = "") -> ProblemStart:
    """The team whose problem of practice the form opens on, and the teams the person may pick from.

    Scope: the CoP of the channel if it is a CoP channel, else all of the person's CoPs.
    """
    if school_team_id is not None:
        team = require_can_edit(session, team_id=team_id, user_id=user_id, school_team_id=school_team_id)
        teams = editable_teams(session, team_id=team_id, user_id=user_id, cop_id=team.cop_id)
    else:
        cop = cop_for_channel(session, team_id=team_id, channel_id=channel_id)
        teams = editable_teams(session, team_id=team_id, user_id=user_id, cop_id=cop.id if cop else None)
        if not teams:
            raise NotAllowed(_no_team_message(cop.name if cop else None))
        team = teams[0]
        if school_name.strip():
            wanted = school_name.strip().lower()
            matches = [t for t in teams if t.school_name.lower() == wanted] or \
                [t for t in teams if wanted in t.school_name.lower()]
            if len(matches) != 1:
                names = ", ".join(t.school_name for t in teams)
                raise UserError(f"No single school matches “{school_name.strip()}”; your teams: {names}.")
            team = matches[0]
    return ProblemStart(team=team, teams=teams,
                        problem=problem_for(session, team_id=team_id, school_team_id=team.id))


def _no_team_message(cop_name: str | None) -> str:
    if cop_name:
        return (f"Only members of a school team in {cop_name} and its facilitators can write a problem of "
                "practice, and you are neither. Ask a facilitator to add you with `/pdsa team`.")
    return ("You are not on a school team yet. To start a CoP run `/pdsa setup`; to join one, ask its "
            "facilitator to add you to your school's team.")
