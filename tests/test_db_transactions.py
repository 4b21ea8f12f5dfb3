"""storage/db.py transactions: a savepoint opened first is rolled back with its transaction."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from storage.idempotency import first_delivery
from storage.models import ReceivedRequest


def test_first_delivery_is_forgotten_when_the_submission_fails(database):
    with pytest.raises(RuntimeError), database.session() as session:
        assert first_delivery(session, team_id="T0001", key="view:V1:h1")
        raise RuntimeError("the form was invalid")
    with Session(database.engine) as session:
        assert session.exec(select(ReceivedRequest)).all() == []
    with database.session() as session:
        assert first_delivery(session, team_id="T0001", key="view:V1:h1")
        assert not first_delivery(session, team_id="T0001", key="view:V1:h1")
