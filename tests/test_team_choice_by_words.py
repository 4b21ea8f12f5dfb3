"""Which school a command is about: membership, the channel's CoP, a school named in the words."""

from __future__ import annotations

import pytest

from copbot.errors import UserError
from copbot.team_choice import choose_school_team
from tests.school_year import JEFFERSON, LINCOLN, seed_school_year


@pytest.fixture
def year(session):
    return seed_school_year(session)


def test_a_team_member_gets_their_team_and_keeps_their_words(session, year):
    choice = choose_school_team(session, team_id="T0001", user_id="U0001", channel_id="C0001", words="attendance")
    assert choice.team.school_name == LINCOLN
    assert choice.rest == "attendance"


def test_a_facilitator_names_the_school_by_its_first_word_or_full_name(session, year):
    first = choose_school_team(session, team_id="T0001", user_id="UFAC1", channel_id="C0001",
                               words="jefferson questions")
    assert (first.team.school_name, first.rest) == (JEFFERSON, "questions")
    full = choose_school_team(session, team_id="T0001", user_id="UFAC1", channel_id=None,
                              words="Lincoln Middle School")
    assert (full.team.school_name, full.rest) == (LINCOLN, "")


def test_a_facilitator_who_names_no_school_is_asked_which(session, year):
    with pytest.raises(UserError) as raised:
        choose_school_team(session, team_id="T0001", user_id="UFAC1", channel_id="C0001")
    assert "Which school?" in raised.value.message
    assert "Roosevelt Middle School" in raised.value.message


def test_no_team_in_this_workspace(session, year):
    with pytest.raises(UserError, match="not on a school team"):
        choose_school_team(session, team_id="T0002", user_id="U0001", channel_id="C0001")
