"""Idempotency keys (storage/idempotency.py): recorded once, and gone again if the save fails."""

from __future__ import annotations

import pytest
from sqlmodel import select

from storage.idempotency import first_delivery
from storage.models import ReceivedRequest


def test_a_key_is_first_only_once(database):
    with database.session() as session:
        assert first_delivery(session, team_id="T0001", key="view:V1:h1")
        assert not first_delivery(session, team_id="T0001", key="view:V1:h1")
        assert first_delivery(session, team_id="T0002", key="view:V1:h1")


def test_a_failed_save_forgets_its_key_so_the_corrected_form_can_be_saved(database):
    """On SQLite the key's savepoint is the first statement of the transaction: it must still roll back."""
    with pytest.raises(ValueError), database.session() as session:
        assert first_delivery(session, team_id="T0001", key="view:V1:h1")
        raise ValueError("the save failed after the key was recorded")
    with database.session() as session:
        assert session.exec(select(ReceivedRequest)).all() == []
        assert first_delivery(session, team_id="T0001", key="view:V1:h1")
