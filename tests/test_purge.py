"""`copbot purge`: every row of one workspace goes, other workspaces' rows stay."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlmodel import SQLModel

from copbot.installations import create_oauth_tables
from copbot.purge import count_workspace_rows, purge_workspace, workspace_tables
from storage.models import (
    ActDecision,
    Cycle,
    DoMeeting,
    EvidenceItem,
    Notification,
    Plan,
    ReceivedRequest,
    Workspace,
)
from tests.factories import make_cop, make_school_team
from tests.servers import copbot_env, run_copbot


def seed_workspace(session, team_id: str, channel_id: str) -> None:
    cop = make_cop(session, team_id=team_id, channel_id=channel_id)
    team = make_school_team(session, cop, "Lincoln Middle School")
    first = Cycle(team_id=team_id, school_team_id=team.id, school_year="2025-26", number=1, stage="act")
    session.add(first)
    session.flush()
    second = Cycle(team_id=team_id, school_team_id=team.id, school_year="2025-26", number=2,
                   previous_cycle_id=first.id)
    session.add(second)
    session.flush()
    session.add_all([
        Workspace(team_id=team_id, name=f"District {team_id}"),
        Plan(team_id=team_id, cycle_id=first.id, strategy="Sentence frames for academic talk"),
        DoMeeting(team_id=team_id, cycle_id=first.id, kind="game_plan", held_on=date(2025, 9, 3)),
        EvidenceItem(team_id=team_id, cycle_id=first.id, focus="student_impact", kind="observation",
                     description="Observed 12 of 28 students citing evidence"),
        ActDecision(team_id=team_id, cycle_id=first.id, decision="keep", next_cycle_id=second.id),
        Notification(team_id=team_id, dedupe_key=f"{team_id}:reminder:1", kind="do_meeting", recipient="U0001",
                     due_at=datetime(2025, 9, 1, 15, tzinfo=UTC)),
        ReceivedRequest(team_id=team_id, key="view:V1:h1"),
    ])
    session.flush()
    installations = create_installation_rows(session, team_id)
    assert installations


def create_installation_rows(session, team_id):
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
    from sqlalchemy import insert

    store = SQLAlchemyInstallationStore(client_id="c", engine=session.get_bind())
    session.execute(insert(store.bots).values(client_id="c", app_id="A1", team_id=team_id, bot_token="xoxb-" + team_id,
                                              bot_id="B1", bot_user_id="UB", installed_at=datetime(2025, 8, 1)))
    session.execute(insert(store.installations).values(client_id="c", app_id="A1", team_id=team_id, user_id="U1",
                                                       installed_at=datetime(2025, 8, 1)))
    return True


def total_rows(session, team_id):
    return sum(session.execute(select(func.count()).select_from(t).where(t.c.team_id == team_id)).scalar_one()
               for t in workspace_tables())


def test_purge_deletes_one_workspace_and_keeps_the_other(database):
    create_oauth_tables(database)
    with database.session() as session:
        seed_workspace(session, "T0GONE", "C0GONE")
        seed_workspace(session, "T0STAY", "C0STAY")
    with database.session() as session:
        before_other = count_workspace_rows(session, team_id="T0STAY")
        counts = count_workspace_rows(session, team_id="T0GONE")
        assert counts["cycle"] == 2 and counts["slack_bots"] == 1 and counts["workspace"] == 1
        deleted = purge_workspace(session, team_id="T0GONE")
    assert deleted == counts
    with database.session() as session:
        assert total_rows(session, "T0GONE") == 0
        assert count_workspace_rows(session, team_id="T0GONE") == {}
        assert count_workspace_rows(session, team_id="T0STAY") == before_other


def test_every_workspace_table_is_covered():
    with_team = {t.name for t in workspace_tables()}
    assert with_team == set(SQLModel.metadata.tables), "a table without team_id could not be purged"


def test_purge_command_needs_yes_and_prints_counts(database, database_url):
    create_oauth_tables(database)
    with database.session() as session:
        seed_workspace(session, "T0GONE", "C0GONE")
    env = copbot_env(DATABASE_URL=database_url)
    dry = run_copbot("purge", "--team-id", "T0GONE", env=env)
    assert dry.returncode == 1
    assert "would delete from workspace T0GONE" in dry.stdout and "cycle 2" in dry.stdout
    assert "--yes" in dry.stdout
    with database.session() as session:
        assert total_rows(session, "T0GONE") > 0

    done = run_copbot("purge", "--team-id", "T0GONE", "--yes", env=env)
    assert done.returncode == 0, done.stderr
    assert "deleted from workspace T0GONE" in done.stdout and "slack_bots 1" in done.stdout
    with database.session() as session:
        assert total_rows(session, "T0GONE") == 0
    again = run_copbot("purge", "--team-id", "T0GONE", "--yes", env=env)
    assert again.returncode == 0 and "no rows" in again.stdout
