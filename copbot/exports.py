"""Every record of one workspace out (one JSON document, or one CSV per table) and back in.

The JSON document keeps every value exactly: dates as ISO dates, datetimes as ISO datetimes with
their UTC offset, JSON columns as JSON, floats as JSON numbers (Python writes the shortest text that
reads back to the same float), None as null. ``import_workspace`` reads it back into a database that
holds nothing of that workspace, with the same ids, so links between rows survive.

CSV is for people and spreadsheets: one file per table, None as an empty cell, JSON columns as JSON
text. Only the JSON document can be imported.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Column, Connection, Date, DateTime, Float, Table, TypeDecorator, func, insert, select, text
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (every table on the metadata)
from copbot.clock import utcnow
from copbot.errors import UserError

FORMAT = "copbot-export"
VERSION = 1


def workspace_tables() -> list[Table]:
    """copbot's tables in the order rows can be inserted (parents before children)."""
    return [table for table in SQLModel.metadata.sorted_tables if "team_id" in table.c]


def _kind(column: Column) -> type | None:
    """datetime, date or float for columns whose values need converting to and from JSON, else None."""
    sql_type = column.type
    if isinstance(sql_type, TypeDecorator):  # SQLModel's UTCDateTime, AutoString
        sql_type = sql_type.impl_instance
    for sql_kind, python_kind in ((DateTime, datetime), (Date, date), (Float, float)):
        if isinstance(sql_type, sql_kind):
            return python_kind
    return None


def _to_json(column: Column, value: Any) -> Any:
    if value is not None and _kind(column) in (date, datetime):
        return value.isoformat()
    return value


def _from_json(column: Column, value: Any) -> Any:
    if value is None:
        return None
    kind = _kind(column)
    if kind is datetime:
        return datetime.fromisoformat(value)
    if kind is date:
        return date.fromisoformat(value)
    if kind is float:
        return float(value)
    return value


def _rows(connection: Connection, table: Table, team_id: str) -> Iterator[dict[str, Any]]:
    query = select(table).where(table.c.team_id == team_id).order_by(*table.primary_key.columns)
    for row in connection.execute(query).mappings():
        yield dict(row)


def workspace_rows(connection: Connection, *, team_id: str) -> dict[str, list[dict[str, Any]]]:
    """table name -> the workspace's rows (Python values), ordered by primary key."""
    return {table.name: list(_rows(connection, table, team_id)) for table in workspace_tables()}


def export_document(connection: Connection, *, team_id: str) -> dict[str, Any]:
    """The workspace as one JSON-ready document."""
    tables = {}
    for table in workspace_tables():
        tables[table.name] = [
            {name: _to_json(table.c[name], value) for name, value in row.items()}
            for row in _rows(connection, table, team_id)
        ]
    return {"format": FORMAT, "version": VERSION, "team_id": team_id, "exported_at": utcnow().isoformat(),
            "tables": tables}


def write_json(document: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def _csv_cell(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(column.type, JSON):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def write_csv(connection: Connection, *, team_id: str, folder: Path) -> dict[Path, int]:
    """One CSV per table (with a header row even when empty) in ``folder``; file -> rows written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for table in workspace_tables():
        path = folder / f"{table.name}.csv"
        count = 0
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.c.keys())
            for row in _rows(connection, table, team_id):
                writer.writerow([_csv_cell(table.c[name], value) for name, value in row.items()])
                count += 1
        written[path] = count
    return written


def read_document(path: Path) -> dict[str, Any]:
    """A copbot JSON export, checked for shape; UserError naming what is wrong."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise UserError(f"{path}: no such file.") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UserError(f"{path} is not a JSON document ({error}).") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise UserError(f"{path} is not a copbot export (no \"format\": \"{FORMAT}\").")
    if document.get("version") != VERSION:
        raise UserError(f"{path} is a version {document.get('version')} export; this copbot reads version "
                        f"{VERSION}.")
    if not isinstance(document.get("team_id"), str) or not isinstance(document.get("tables"), dict):
        raise UserError(f"{path} has no team_id or tables.")
    return document


def rows_held(connection: Connection, *, team_id: str) -> dict[str, int]:
    """table name -> number of rows the workspace already has there (tables with none left out)."""
    counts = {}
    for table in workspace_tables():
        count = connection.execute(select(func.count()).select_from(table).where(table.c.team_id == team_id))
        if (held := count.scalar_one()) > 0:
            counts[table.name] = held
    return counts


def import_document(connection: Connection, document: dict[str, Any]) -> dict[str, int]:
    """Insert the document's rows (same ids) into a database holding nothing of its workspace.

    Returns rows inserted per table. Refuses, touching nothing, when the workspace already has
    records here or the document names tables or columns this copbot does not have.
    """
    team_id = document["team_id"]
    held = rows_held(connection, team_id=team_id)
    if held:
        listed = ", ".join(f"{name} ({count})" for name, count in held.items())
        raise UserError(f"This database already holds records of workspace {team_id}: {listed}. "
                        "Import only into a database without them (for example a new one after "
                        "`copbot db upgrade`).")
    tables = {table.name: table for table in workspace_tables()}
    unknown = set(document["tables"]) - set(tables)
    if unknown:
        raise UserError(f"The export has tables this copbot does not know: {', '.join(sorted(unknown))}.")
    inserted = {}
    for name, table in tables.items():
        rows = document["tables"].get(name, [])
        for row in rows:
            extra = set(row) - set(table.c.keys())
            if extra:
                raise UserError(f"The export's {name} rows have columns this copbot does not know: "
                                f"{', '.join(sorted(extra))}.")
            if row.get("team_id") != team_id:
                raise UserError(f"A {name} row belongs to workspace {row.get('team_id')}, not {team_id}.")
        if rows:
            connection.execute(insert(table), [
                {key: _from_json(table.c[key], value) for key, value in row.items()} for row in rows
            ])
        inserted[name] = len(rows)
    _advance_sequences(connection, tables.values())
    return inserted


def _advance_sequences(connection: Connection, tables: Any) -> None:
    """On PostgreSQL, move each id sequence past the ids just inserted (SQLite needs nothing)."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        if "id" not in table.c or not table.c.id.autoincrement:
            continue
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 1), "
            f"(SELECT MAX(id) IS NOT NULL FROM \"{table.name}\"))"
        ))
