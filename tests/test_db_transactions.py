"""storage/db.py transactions: a savepoint opened first is rolled back with its transaction."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from storage.idempotency import first_delivery
from storage.models import Cop, ReceivedRequest


def test_first_delivery_is_forgotten_when_the_submission_fails(database):
    with pytest.raises(RuntimeError), database.session() as session:
        assert first_delivery(session, team_id="T0001", key="view:V1:h1")
        raise RuntimeError("the form was invalid")
    with Session(database.engine) as session:
        assert session.exec(select(ReceivedRequest)).all() == []
    with database.session() as session:
        assert first_delivery(session, team_id="T0001", key="view:V1:h1")
        assert not first_delivery(session, team_id="T0001", key="view:V1:h1")


def test_a_reading_session_neither_waits_for_a_writer_nor_writes(database):
    import threading

    from storage.db import ReadOnlySessionError
    from tests.factories import make_cop

    with database.session() as session:
        make_cop(session)
    writing, done = threading.Event(), threading.Event()

    def writer() -> None:  # holds the write lock (BEGIN IMMEDIATE on SQLite) until told to stop
        with database.session() as session:
            session.exec(select(Cop)).all()
            session.add(Cop(team_id="T0001", name="Second CoP", focus_area="Math", school_level="ms",
                            scope="district", districts=[], channel_id="C0002", school_year="2025-26"))
            session.flush()
            writing.set()
            done.wait(timeout=30)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert writing.wait(timeout=10)
        with database.reading() as session:  # would wait out the busy timeout if it took the write lock
            cops = session.exec(select(Cop)).all()
        assert [cop.name for cop in cops] == ["Middle School Engagement CoP"]  # loaded rows stay readable
    finally:
        done.set()
        thread.join(timeout=30)
    with pytest.raises(ReadOnlySessionError), database.reading() as session:
        session.add(ReceivedRequest(team_id="T0001", key="view:V2:h2"))
        session.flush()
    with Session(database.engine) as session:
        assert session.exec(select(ReceivedRequest)).all() == []
        assert len(session.exec(select(Cop)).all()) == 2
