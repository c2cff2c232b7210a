"""SQLite connection settings and write transactions that cannot fail with "database is locked".

Reads use plain deferred transactions so pages stay parallel. A write goes through `write_transaction()`,
which begins IMMEDIATE on SQLite: the lock is taken (waiting up to the busy timeout) before anything is
read, so a read-then-write never fails half-way when another writer got there first.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from quizapp.extensions import db

log = logging.getLogger(__name__)

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
    database_file = sqlite_file(engine)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        if database_file is not None:
            keep_private(database_file)
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


def sqlite_file(engine: Engine) -> Path | None:
    """The SQLite database file of the engine; None for another database, memory, or a `file:` URI (those
    are opened as their URI says, e.g. read-only, and left alone)."""
    url = engine.url
    database = url.database or ""
    if not is_sqlite(engine) or database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).absolute()


def keep_private(database_file: Path) -> None:
    """Make the database file, and its -wal and -shm files if there, readable and writable by their owner
    only (0600): they hold every teacher's account and every student's answers.

    SQLite gives the -wal and -shm files it creates the mode of the database file, so once that is private
    (before the first query of the first connection) they are too. Files of another owner are left alone.
    """
    for path in (database_file, *(database_file.with_name(database_file.name + s) for s in ("-wal", "-shm"))):
        try:
            mode = path.stat().st_mode
            if mode & 0o077:
                path.chmod(mode & 0o700)
        except FileNotFoundError:
            continue
        except PermissionError:
            log.warning("Cannot make %s private (chmod 600 it): it belongs to another user", path)
