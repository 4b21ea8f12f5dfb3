"""Progress against the three-cycle requirement, Do meetings and SSC reports, on the seeded year."""

from __future__ import annotations

from datetime import date

import pytest

from copbot.progress import progress_of_teams, school_progress, school_year_of
from messages.blocks import as_message_blocks
from messages.progress import progress_blocks, progress_lines
from tests.factories import make_cop, make_school_team
from tests.school_year import JEFFERSON, LINCOLN, TODAY, seed_school_year


@pytest.fixture
def year(session):
    return seed_school_year(session)


def test_school_year_runs_july_to_june():
    assert school_year_of(date(2025, 8, 23)) == "2025-26"
    assert school_year_of(date(2026, 6, 30)) == "2025-26"
    assert school_year_of(date(2026, 7, 1)) == "2026-27"


def test_a_school_that_met_every_cycle_requirement(session, year):
    progress = school_progress(session, team_id="T0001", school_team_id=year.schools[LINCOLN].id, today=TODAY)
    assert (progress.cycles_completed, progress.cycles_required) == (3, 3)
    assert progress.first_semester_ends == date(2026, 1, 31)
    assert progress.first_semester_cycles == 2 and progress.first_semester_met
    assert (progress.do_meetings_held, progress.do_meetings_expected) == (9, 9)
    assert (progress.ssc_reports_filed, progress.convenings_held) == (3, 4)
    assert not progress.ssc_reports_met


def test_a_school_behind(session, year):
    progress = school_progress(session, team_id="T0001", school_team_id=year.schools[JEFFERSON].id, today=TODAY)
    assert progress.cycles_completed == 1 and not progress.cycles_met
    assert progress.first_semester_met
    assert (progress.do_meetings_held, progress.do_meetings_expected) == (6, 6)
    assert (progress.ssc_reports_filed, progress.convenings_held) == (1, 4)


def test_mid_year_counts_only_what_happened_by_today(session, year):
    progress = school_progress(session, team_id="T0001", school_team_id=year.schools[LINCOLN].id,
                               today=date(2025, 12, 1))
    # Cycles closed later in the year are in the database, but the SSC/convening counts stop at today.
    assert progress.convenings_held == 2
    assert progress.ssc_reports_filed == 1


def test_first_semester_missed_shows_a_warning(session):
    cop = make_cop(session)
    team = make_school_team(session, cop)
    session.commit()
    progress = school_progress(session, team_id="T0001", school_team_id=team.id, today=date(2026, 2, 10))
    assert progress.cycles_completed == 0
    assert progress.first_semester_over and not progress.first_semester_met
    lines = progress_lines(progress)
    assert lines[1].startswith(":warning: First semester (ends January 31, 2026): 0 full cycles")
    assert progress.do_meetings_expected == 0


def test_progress_blocks_are_valid_block_kit(session, year):
    progress = school_progress(session, team_id="T0001", school_team_id=year.schools[LINCOLN].id, today=TODAY)
    blocks = as_message_blocks(progress_blocks(progress))
    text = blocks[0]["text"]["text"]
    assert "*Lincoln Middle School*: progress in 2025-26" in text
    assert "Cycles completed: *3 of 3*" in text
    assert "Do meetings held: *9 of 9*" in text
    assert "SSC reports filed: *3* for *4* convenings held" in text


def test_progress_of_several_teams_matches_each_school_in_a_fixed_number_of_queries(session, year):
    from sqlalchemy import event

    statements = []
    event.listen(session.get_bind(), "before_cursor_execute", lambda *args: statements.append(args[2]))
    ids = [team.id for team in year.schools.values()]
    together = progress_of_teams(session, team_id="T0001", days={school_team_id: TODAY for school_team_id in ids})
    queries = [statement for statement in statements if statement.lstrip().upper().startswith("SELECT")]
    assert len(queries) == 6  # whatever the number of teams: no query per team
    for school_team_id in ids:
        assert together[school_team_id] == school_progress(session, team_id="T0001", school_team_id=school_team_id,
                                                           today=TODAY)
    assert progress_of_teams(session, team_id="T9999", days={ids[0]: TODAY}) == {}  # another workspace: nothing
