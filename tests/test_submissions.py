"""Saving a modal submission once (handlers/submissions.py), against a real database."""

from __future__ import annotations

import pytest
from sqlmodel import select

from copbot.errors import UserError
from handlers.submissions import save_once
from storage.models import ReceivedRequest, Workspace


class Context(dict):
    team_id = "T0001"


@pytest.fixture
def context(database):
    return Context(database=database)


VIEW = {"id": "V0001", "hash": "h1"}


def names(database):
    with database.session() as session:
        return [w.name for w in session.exec(select(Workspace)).all()]


def add(name):
    def save(session):
        session.add(Workspace(team_id=f"T-{name}", name=name))
        session.flush()
        return name

    return save


def test_a_rejected_submission_records_nothing_and_can_be_corrected(database, context):
    def reject(session):
        session.add(Workspace(team_id="T-bad", name="bad"))
        session.flush()
        raise UserError("no", field="x")

    with pytest.raises(UserError):
        save_once(context, VIEW, reject)
    assert names(database) == []
    assert save_once(context, VIEW, add("good")) == "good"
    assert names(database) == ["good"]


def test_a_repeat_changes_nothing(database, context):
    assert save_once(context, VIEW, add("first")) == "first"
    assert save_once(context, VIEW, add("second")) is None
    assert names(database) == ["first"]
    assert save_once(context, {"id": "V0001", "hash": "h2"}, add("after an update")) == "after an update"
    with database.session() as session:
        assert len(session.exec(select(ReceivedRequest)).all()) == 2


def test_keys_are_per_workspace(database, context):
    save_once(context, VIEW, add("one"))
    other = Context(database=database)
    other.team_id = "T0002"
    assert save_once(other, VIEW, add("two")) == "two"
