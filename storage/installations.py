"""slack_sdk's OAuth tables (slack_installations, slack_bots) as copbot reads and clears them.

The tables belong to slack_sdk's SQLAlchemyInstallationStore and exist only once the OAuth
install flow has been set up, so every function here works whether they exist or not.
"""

from __future__ import annotations

from sqlalchemy import column, func, inspect, select, table
from sqlmodel import Session

INSTALLATION_TABLES = ("slack_installations", "slack_bots")


def _existing(session: Session) -> list[str]:
    names = set(inspect(session.connection()).get_table_names())
    return [name for name in INSTALLATION_TABLES if name in names]


def count_installations(session: Session, *, team_id: str) -> dict[str, int]:
    """Rows per OAuth table that belong to the workspace."""
    counts = {}
    for name in _existing(session):
        rows = table(name, column("team_id"))
        query = select(func.count()).select_from(rows).where(rows.c.team_id == team_id)
        counts[name] = session.execute(query).scalar_one()
    return counts


def delete_installations(session: Session, *, team_id: str) -> dict[str, int]:
    """Delete the workspace's installations and bot tokens; rows deleted per table."""
    deleted = {}
    for name in _existing(session):
        rows = table(name, column("team_id"))
        deleted[name] = session.execute(rows.delete().where(rows.c.team_id == team_id)).rowcount
    return deleted
