"""Many request threads reading then writing at once: no "database is locked", nothing lost."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlmodel import func, select

from storage.idempotency import first_delivery
from storage.models import Cop, ReceivedRequest
from tests.conftest import POSTGRES_URL
from tests.factories import make_cop

THREADS, WRITES = 8, 25


def test_concurrent_read_then_write_sessions_all_commit(database):
    def work(worker: int) -> int:
        for n in range(WRITES):
            with database.session() as session:
                session.exec(select(func.count()).select_from(ReceivedRequest)).one()  # read first, then write
                assert first_delivery(session, team_id="T0001", key=f"view:{worker}:{n}")
        return worker

    with ThreadPoolExecutor(THREADS) as pool:
        assert sorted(pool.map(work, range(THREADS))) == list(range(THREADS))
    with database.session() as session:
        assert session.exec(select(func.count()).select_from(ReceivedRequest)).one() == THREADS * WRITES


@pytest.mark.skipif(POSTGRES_URL is not None, reason="PostgreSQL's READ COMMITTED allows this by design")
def test_sqlite_read_modify_write_sessions_do_not_lose_updates(database):
    """On SQLite a session is one transaction from its first read (BEGIN IMMEDIATE), so nothing is lost."""
    with database.session() as session:
        cop = make_cop(session)
        cop.digest_hour = 0
    cop_id = cop.id

    def increment(_: int) -> None:
        for _ in range(WRITES):
            with database.session() as session:
                row = session.get(Cop, cop_id)
                row.digest_hour += 1

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(increment, range(THREADS)))
    with database.session() as session:
        assert session.get(Cop, cop_id).digest_hour == THREADS * WRITES
