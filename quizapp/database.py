"""SQLite connection settings and write transactions that cannot fail with "database is locked".

Reads use plain deferred transactions so pages stay parallel. A write goes through `write_transaction()`,
which begins IMMEDIATE on SQLite: the lock is taken (waiting up to the busy timeout) before anything is
read, so a read-then-write never fails half-way when another writer got there first.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from quizapp.extensions import db

_immediate: ContextVar[bool] = ContextVar("immediate", default=False)
# One writer at a time per process, queued here rather than in SQLite: SQLite's busy handler sleeps in steps
# of up to 100 ms, so threads of one worker racing for the write lock wait far longer than the writes take.
_process_writer = threading.RLock()


def configure_engine(app: Flask) -> None:
    """Give SQLite connections WAL, a busy timeout, foreign keys and our own BEGIN."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    timeout_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _immediate.get() else "BEGIN")


@contextmanager
def write_transaction() -> Iterator[None]:
    """Run the block in one write transaction, committed at the end or rolled back on error.

    A read transaction left open by the request is ended first, so the write lock is taken up front.
    """
    session = db.session()
    if session.in_transaction():
        session.commit()
    sqlite = is_sqlite(session.get_bind())
    if sqlite:
        _process_writer.acquire()
    try:
        token = _immediate.set(True)
        try:
            session.connection()  # begins now, IMMEDIATE on SQLite
        finally:
            _immediate.reset(token)
        try:
            yield
            session.commit()
        except BaseException:
            session.rollback()
            raise
    finally:
        if sqlite:
            _process_writer.release()


def is_sqlite(engine: Engine) -> bool:
    """True when the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"
