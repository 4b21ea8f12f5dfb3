"""Problems of practice (copbot/problems.py), without Slack."""

from __future__ import annotations

import pytest

from copbot import problems
from copbot.errors import NotAllowed, UserError
from copbot.vocabulary import Role, SupportType
from tests.factories import SAMPLE_POPS, make_cop, make_school_team

STATEMENT, SUBGROUPS, METRICS = SAMPLE_POPS["Jefferson Middle School"]


def form(**changes):
    values = dict(statement=STATEMENT, quantitative_data="Math SBAC: 18% of African American students met standard",
                  qualitative_data="Walkthroughs: 80% recall questions", index_metrics=METRICS,
                  classroom_practice="Questioning", subgroups=SUBGROUPS, focus_questions="Who explains reasoning?",
                  checks={"instructional_core", "directly_observable"})
    values.update(changes)
    return problems.ProblemForm(**values)


@pytest.fixture
def cop(session):
    return make_cop(session)


@pytest.fixture
def jefferson(session, cop):
    return make_school_team(session, cop, "Jefferson Middle School", with_pop=False,
                            members={"U0001": Role.IMPLEMENTING_TEACHER, "U0002": Role.OBSERVER})


def save(session, team, user="U0001", **changes):
    return problems.save_problem(session, team_id="T0001", user_id=user, school_team_id=team.id, form=form(**changes))


def test_save_then_revise(session, jefferson):
    problem, created = save(session, jefferson)
    assert created and problem.statement == STATEMENT and problem.index_metrics == METRICS
    assert (problem.instructional_core, problem.directly_observable, problem.actionable) == (True, True, False)
    assert problems.missing_checks(problem) == [label for name, label in problems.RICH_CHECKS
                                                if name not in {"instructional_core", "directly_observable"}]
    again, created = save(session, jefferson, user="UFAC1", checks=set(problems.CHECK_NAMES), focus_questions="")
    assert not created and again.id == problem.id and problems.missing_checks(again) == []
    assert again.updated_by == "UFAC1" and again.focus_questions == ""


@pytest.mark.parametrize(("change", "field"), [
    ({"statement": "  "}, "statement"),
    ({"index_metrics": []}, "index_metrics"),
    ({"classroom_practice": ""}, "classroom_practice"),
    ({"subgroups": []}, "subgroups"),
    ({"checks": {"made_up"}}, "checks"),
])
def test_invalid_problem_names_the_field(session, jefferson, change, field):
    with pytest.raises(UserError) as error:
        save(session, jefferson, **change)
    assert error.value.field == field
    assert problems.problem_for(session, team_id="T0001", school_team_id=jefferson.id) is None


def test_subgroups_are_optional_for_other_support_schools(session, jefferson):
    jefferson.support_type = SupportType.OTHER_SUPPORT
    problem, _ = save(session, jefferson, subgroups=[])
    assert problem.subgroups == []


def test_only_members_and_facilitators(session, cop, jefferson):
    make_school_team(session, cop, "Lincoln Middle School", members={"U0009": Role.OBSERVER})
    with pytest.raises(NotAllowed):
        save(session, jefferson, user="U0009")
    with pytest.raises(UserError, match="does not exist"):
        problems.save_problem(session, team_id="T0002", user_id="U0001", school_team_id=jefferson.id, form=form())


def test_picking_another_school_with_a_problem_is_refused(session, cop, jefferson):
    lincoln = make_school_team(session, cop, "Lincoln Middle School")  # has a PoP (factories)
    with pytest.raises(UserError) as error:
        problems.save_problem(session, team_id="T0001", user_id="UFAC1", school_team_id=lincoln.id, form=form(),
                              shown_team_id=jefferson.id)
    assert error.value.field == "school_team"
    problem, created = problems.save_problem(session, team_id="T0001", user_id="UFAC1",
                                             school_team_id=jefferson.id, form=form(), shown_team_id=lincoln.id)
    assert created and problem.school_team_id == jefferson.id  # a school without a PoP may take the text


def test_start_problem_form(session, cop, jefferson):
    lincoln = make_school_team(session, cop, "Lincoln Middle School", members={"U0009": Role.OBSERVER})
    start = problems.start_problem_form(session, team_id="T0001", user_id="UFAC1", channel_id="C0001")
    assert [t.school_name for t in start.teams] == ["Jefferson Middle School", "Lincoln Middle School"]
    by_name = problems.start_problem_form(session, team_id="T0001", user_id="UFAC1", channel_id="C0001",
                                          school_name="lincoln")
    assert by_name.team.id == lincoln.id and by_name.problem is not None
    member = problems.start_problem_form(session, team_id="T0001", user_id="U0002", channel_id="C0001")
    assert member.teams == [jefferson] and member.problem is None
    with pytest.raises(UserError, match="No single school"):
        problems.start_problem_form(session, team_id="T0001", user_id="UFAC1", channel_id="C0001",
                                    school_name="Middle")
    with pytest.raises(NotAllowed, match="neither"):
        problems.start_problem_form(session, team_id="T0001", user_id="UNOBODY", channel_id="C0001")
    with pytest.raises(NotAllowed, match="/pdsa setup"):
        problems.start_problem_form(session, team_id="T0001", user_id="UNOBODY", channel_id="D0001")
    with pytest.raises(NotAllowed):
        problems.start_problem_form(session, team_id="T0001", user_id="UNOBODY", school_team_id=lincoln.id)
