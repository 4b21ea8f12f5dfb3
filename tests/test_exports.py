"""Workspace export (JSON, CSV) and import: a lossless round trip, refusals, isolation, the CLI."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime

import pytest
from sqlmodel import SQLModel

from copbot import cli, exports
from copbot.errors import UserError
from storage.models import EvidenceItem, Notification, Workspace
from tests.school_year import seed_school_year


@pytest.fixture
def two_workspaces(session):
    """The seeded year in T0001 (with awkward values added) and another workspace, T0002."""
    session.add(Workspace(team_id="T0001", name="Fresno – Sanger “CoPs”",
                          installed_at=datetime(2025, 8, 1, 15, 30, 12, 123456, tzinfo=UTC)))
    year = seed_school_year(session)
    cycle_id = session.exec(EvidenceItem.__table__.select().limit(1)).first().cycle_id
    session.add(EvidenceItem(team_id="T0001", cycle_id=cycle_id, focus="student_impact", kind="assessment_data",
                             description="Ratio with a float that is not exact in binary; émojis 🙂 and <b>tags</b>",
                             measure_name="Ratio", measured_value=0.1 + 0.2, measured_on=date(2026, 2, 28),
                             link=None, source_ts="1700000000.000100"))
    session.add(Notification(team_id="T0001", dedupe_key="digest:T0001:2026-W10", kind="digest", recipient="C0001",
                             due_at=datetime(2026, 3, 2, 16, 0, tzinfo=UTC), payload={"cop_id": year.cop.id,
                             "lines": ["a", "ü"], "nested": {"n": None, "x": 1.5}}))
    session.add(Workspace(team_id="T0002", name="Other district"))
    seed_school_year(session, team_id="T0002", channel_id="C0002", facilitator="UFAC9")
    session.commit()
    return year


def test_json_round_trip_loses_nothing(database, two_workspaces, tmp_path):
    with database.engine.connect() as connection:
        before = exports.workspace_rows(connection, team_id="T0001")
        path = exports.write_json(exports.export_document(connection, team_id="T0001"), tmp_path / "t1.json")
    assert sum(len(rows) for rows in before.values()) > 100
    assert {name for name, rows in before.items() if rows} >= {
        "workspace", "cop", "convening", "schoolteam", "membership", "problemofpractice", "cycle", "plan",
        "domeeting", "evidenceitem", "studyreflection", "actdecision", "sscreport", "notification"}

    SQLModel.metadata.drop_all(database.engine)
    SQLModel.metadata.create_all(database.engine)
    with database.engine.begin() as connection:
        inserted = exports.import_document(connection, exports.read_document(path))
    assert inserted == {name: len(rows) for name, rows in before.items()}

    with database.engine.connect() as connection:
        after = exports.workspace_rows(connection, team_id="T0001")
        assert exports.rows_held(connection, team_id="T0002") == {}
    for table, rows in before.items():
        assert after[table] == rows, table
        for old, new in zip(rows, after[table], strict=True):
            for column, value in old.items():
                assert type(new[column]) is type(value), (table, column)
                if isinstance(value, datetime):
                    assert new[column].utcoffset() == value.utcoffset()
    ratio = next(r for r in after["evidenceitem"] if r["measure_name"] == "Ratio")
    assert ratio["measured_value"] == 0.1 + 0.2
    assert ratio["link"] is None
    assert after["notification"][0]["payload"]["nested"] == {"n": None, "x": 1.5}
    assert after["workspace"][0]["installed_at"] == datetime(2025, 8, 1, 15, 30, 12, 123456, tzinfo=UTC)


def test_new_rows_after_import_get_fresh_ids(database, two_workspaces, tmp_path, session):
    with database.engine.connect() as connection:
        path = exports.write_json(exports.export_document(connection, team_id="T0001"), tmp_path / "t1.json")
        top = max(row["id"] for row in exports.workspace_rows(connection, team_id="T0001")["evidenceitem"])
    session.close()
    SQLModel.metadata.drop_all(database.engine)
    SQLModel.metadata.create_all(database.engine)
    with database.engine.begin() as connection:
        exports.import_document(connection, exports.read_document(path))
    with database.session() as fresh:
        cycle_id = fresh.exec(EvidenceItem.__table__.select().limit(1)).first().cycle_id
        item = EvidenceItem(team_id="T0001", cycle_id=cycle_id, focus="adult_practice", kind="observation")
        fresh.add(item)
        fresh.flush()
        assert item.id > top


def test_import_refuses_a_database_that_holds_the_workspace(database, two_workspaces, tmp_path):
    with database.engine.connect() as connection:
        path = exports.write_json(exports.export_document(connection, team_id="T0001"), tmp_path / "t1.json")
    with database.engine.begin() as connection, pytest.raises(UserError) as raised:
        exports.import_document(connection, exports.read_document(path))
    assert "already holds records of workspace T0001" in raised.value.message
    assert "cop (1)" in raised.value.message


def test_import_rejects_files_that_are_not_exports(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(UserError, match="not a JSON document"):
        exports.read_document(bad)
    bad.write_text(json.dumps({"tables": {}}))
    with pytest.raises(UserError, match="not a copbot export"):
        exports.read_document(bad)
    with pytest.raises(UserError, match="no such file"):
        exports.read_document(tmp_path / "missing.json")


def test_csv_export_writes_one_file_per_table_for_the_workspace_only(database, two_workspaces, tmp_path):
    with database.engine.connect() as connection:
        written = exports.write_csv(connection, team_id="T0001", folder=tmp_path / "csv")
        expected = exports.workspace_rows(connection, team_id="T0001")
    assert {p.stem for p in written} == set(expected)
    with (tmp_path / "csv" / "schoolteam.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["school_name"] for r in rows] == ["Lincoln Middle School", "Roosevelt Middle School",
                                                "Jefferson Middle School"]
    assert {r["team_id"] for r in rows} == {"T0001"}
    assert json.loads(rows[0]["subgroups"]) == ["English learners"]
    with (tmp_path / "csv" / "evidenceitem.csv").open() as handle:
        evidence = list(csv.DictReader(handle))
    assert len(evidence) == len(expected["evidenceitem"])


def test_cli_export_and_import(database, database_url, two_workspaces, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    out = tmp_path / "ws.json"
    assert cli.main(["export", "--team-id", "T0001", "--format", "json", "--out", str(out)]) == 0
    assert "exported" in capsys.readouterr().out
    assert json.loads(out.read_text())["team_id"] == "T0001"
    assert cli.main(["export", "--team-id", "T0001", "--format", "csv", "--out", str(tmp_path / "c")]) == 0
    assert (tmp_path / "c" / "cycle.csv").exists()

    assert cli.main(["import", str(out)]) == 2
    err = capsys.readouterr().err
    assert "already holds records of workspace T0001" in err and "Traceback" not in err

    SQLModel.metadata.drop_all(database.engine)
    SQLModel.metadata.create_all(database.engine)
    assert cli.main(["import", str(out)]) == 0
    assert "imported" in capsys.readouterr().out
