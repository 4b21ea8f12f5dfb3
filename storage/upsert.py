"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike.

Used instead of a SAVEPOINT around a plain INSERT: with pysqlite a SAVEPOINT issued before any
other write becomes the outermost transaction and its RELEASE commits at once, so a later
rollback of the surrounding work would not undo the insert.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel


def insert_ignoring_conflicts(session: Session, model: type[SQLModel], rows: Sequence[dict[str, Any]], *,
                              unique: Sequence[str]) -> int:
    """Insert ``rows``, skipping any that would violate the unique columns ``unique``.

    Returns the number inserted, counted from ``RETURNING`` (driver rowcounts are unreliable here).
    """
    if not rows:
        return 0
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    table = model.__table__  # type: ignore[attr-defined]
    statement = insert(table).on_conflict_do_nothing(index_elements=list(unique)).returning(*table.primary_key)
    result = session.connection().execute(statement, list(rows) if len(rows) > 1 else dict(rows[0]))
    return len(result.all())
