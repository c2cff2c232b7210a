"""Transactions on both engines: what only reads begins nothing on PostgreSQL (no BEGIN, no ROLLBACK: one
round trip per select), while a write transaction, and any write, is still one transaction from its first
statement (SQLite: every transaction begins with our own BEGIN)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from quizapp.database import read, write_transaction
from quizapp.extensions import db
from quizapp.models import Learner
from tests.databases import ON_POSTGRES


def _server_transaction_open() -> bool:
    """Whether the database holds a transaction open for the session's connection now."""
    dbapi: Any = db.session.connection().connection.dbapi_connection
    if ON_POSTGRES:
        from psycopg.pq import TransactionStatus

        return bool(dbapi.info.transaction_status != TransactionStatus.IDLE)
    return bool(dbapi.in_transaction)


def _learners(prefix: str) -> int:
    return db.session.scalar(select(func.count()).where(Learner.token.startswith(prefix))) or 0


def test_what_only_reads_opens_no_transaction_on_postgresql(ctx: Flask) -> None:
    read(select(Learner.id).limit(1)).all()
    db.session.scalar(select(func.count(Learner.id)))  # an ORM read in the same request
    assert _server_transaction_open() is (not ON_POSTGRES)
    db.session.rollback()
    if ON_POSTGRES:  # nothing to roll back: psycopg sends no ROLLBACK, and keeps its prepared statements
        assert not _server_transaction_open()


def test_a_write_transaction_is_one_transaction_from_its_first_select(ctx: Flask) -> None:
    read(select(Learner.id).limit(1)).all()  # the request read before it writes
    with pytest.raises(RuntimeError), write_transaction():
        db.session.scalar(select(func.count(Learner.id)))
        assert _server_transaction_open()  # begun with the plain select, before any write
        db.session.add(Learner(token="tx-one-a"))
        db.session.flush()
        db.session.add(Learner(token="tx-one-b"))
        db.session.flush()
        raise RuntimeError("half-way")
    assert _learners("tx-one-") == 0  # neither row stayed


def test_a_write_outside_a_write_transaction_still_rolls_back_whole(ctx: Flask) -> None:
    read(select(Learner.id).limit(1)).all()  # begun without the server on PostgreSQL
    db.session.add(Learner(token="tx-two-a"))
    db.session.flush()  # the INSERT begins the server's transaction first
    assert _server_transaction_open()
    db.session.add(Learner(token="tx-two-b"))
    db.session.flush()
    db.session.rollback()
    assert _learners("tx-two-") == 0
    db.session.add(Learner(token="tx-two-c"))
    db.session.commit()
    assert _learners("tx-two-") == 1


def test_a_lock_taken_by_a_select_begins_the_transaction(ctx: Flask) -> None:
    learner = Learner(token="tx-three")
    db.session.add(learner)
    db.session.commit()
    db.session.execute(select(Learner.id).where(Learner.id == learner.id).with_for_update()).all()
    assert _server_transaction_open()  # the row stays held until the session's transaction ends
    db.session.rollback()
