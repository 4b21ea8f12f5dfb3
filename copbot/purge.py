"""Deleting everything copbot holds about one workspace (on request, or after an uninstall).

Tables are emptied of the workspace's rows children first (the reverse of the foreign-key
order), then slack_sdk's installation tables, all in one transaction.
"""

from __future__ import annotations

from sqlalchemy import Table, delete, func, select
from sqlmodel import Session, SQLModel

import storage.models  # noqa: F401  (registers every table on SQLModel.metadata)
from storage.installations import count_installations, delete_installations


def workspace_tables() -> list[Table]:
    """copbot's tables that hold workspace rows, children before parents."""
    return [t for t in reversed(SQLModel.metadata.sorted_tables) if "team_id" in t.c]


def count_workspace_rows(session: Session, *, team_id: str) -> dict[str, int]:
    """Rows per table that belong to the workspace (tables with none are left out)."""
    counts = {t.name: session.execute(select(func.count()).select_from(t).where(t.c.team_id == team_id)).scalar_one()
              for t in workspace_tables()}
    counts.update(count_installations(session, team_id=team_id))
    return {name: n for name, n in counts.items() if n}


def purge_workspace(session: Session, *, team_id: str) -> dict[str, int]:
    """Delete every row of the workspace; rows deleted per table (tables with none left out)."""
    if not team_id:
        raise ValueError("purge_workspace needs a team id")
    deleted = {t.name: session.execute(delete(t).where(t.c.team_id == team_id)).rowcount for t in workspace_tables()}
    deleted.update(delete_installations(session, team_id=team_id))
    return {name: n for name, n in deleted.items() if n}
