"""SQLite connection settings and write transactions that cannot fail with "database is locked".

Reads use plain deferred transactions so pages stay parallel. A write goes through `write_transaction()`,
which begins IMMEDIATE on SQLite: the lock is taken (waiting up to the busy timeout) before anything is
read, so a read-then-write never fails half-way when another writer got there first.

PostgreSQL runs write transactions side by side (READ COMMITTED), so a read-then-write there takes a lock
on what it reads first: `lock_row()` on the parent row (the attempt, the class session, ...) or `lock_key()`
on a name when there is no row to lock. On SQLite both do nothing: the whole database is already held.
Lock order, to keep PostgreSQL free of deadlocks: class session, then participant, then attempt.

On PostgreSQL a transaction begins on the server only when it writes (`_begin_when_writing`): a page that
only reads sends its selects alone, not wrapped in BEGIN and ROLLBACK, which at READ COMMITTED (each
statement sees what is committed when it starts) reads exactly the same rows.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Executable, event, func, select
from sqlalchemy.engine import CursorResult, Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase

from quizapp.extensions import db

try:
    from psycopg.pq import TransactionStatus
except ImportError:  # PostgreSQL's driver is an optional extra
    TransactionStatus = None  # type: ignore[assignment,misc]

log = logging.getLogger(__name__)

_immediate: ContextVar[bool] = ContextVar("immediate", default=False)
_writing: ContextVar[bool] = ContextVar("writing", default=False)
# PostgreSQL runs these inside a transaction begun on the server (`_begin_when_writing`): anything but a plain
# SELECT (writes, DDL, SAVEPOINT, ...) and a SELECT that takes a lock held until the transaction ends.
_HOLDS_UNTIL_THE_END = (
    "FOR UPDATE",
    "FOR NO KEY UPDATE",
    "FOR SHARE",
    "FOR KEY SHARE",
    "pg_advisory_xact_lock",
)
# One writer at a time per process, queued here rather than in SQLite: SQLite's busy handler sleeps in steps
# of up to 100 ms, so threads of one worker racing for the write lock wait far longer than the writes take.
_process_writer = threading.RLock()
# A pooled connection unused for this long is pinged before use (`_ping_when_idle`).
PING_AFTER_IDLE_S = 10.0


def configure_engine(app: Flask) -> None:
    """Give SQLite connections WAL, a busy timeout, foreign keys and our own BEGIN; give PostgreSQL
    connections the same time limit on waiting for a lock."""
    with app.app_context():
        engine = db.engine
    timeout_ms = int(app.config["SQLITE_BUSY_TIMEOUT_MS"])
    if engine.dialect.name == "postgresql":
        _limit_lock_waits(engine, timeout_ms)
        _begin_when_writing(engine)
    if engine.dialect.name != "sqlite":
        _ping_when_idle(engine, PING_AFTER_IDLE_S)
        return
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

    On SQLite a read transaction left open by the request is ended first, so the write lock is taken up front.
    On PostgreSQL (READ COMMITTED: each statement reads what is committed when it starts) the request's
    transaction simply goes on, which saves two round trips (a COMMIT and a BEGIN) on every write.
    """
    session = db.session()
    sqlite = is_sqlite(session.get_bind())
    if sqlite and session.in_transaction():
        session.commit()
    if sqlite:
        _process_writer.acquire()
    writing = _writing.set(True)
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
        _writing.reset(writing)
        if sqlite:
            _process_writer.release()


def read(statement: Executable, parameters: dict[str, object] | None = None) -> CursorResult[Any]:
    """Run a Core select on the request's connection (its transaction, as `db.session.execute` would) and
    return plain rows. For the reads a whole class sends at once, filled into read models: the ORM's execute
    path (entity set-up, row loading, the identity map) is most of what such a read costs, and none of it is
    used (bench/README.md, "Session 7")."""
    return db.session.connection().execute(statement, parameters or {})


def done_reading() -> None:
    """Give the request's connection back to the pool before the page is drawn: for a page whose reads are
    all done into read models (nothing loads later). Under a class's burst the answers waiting for a
    connection get it sooner (bench/README.md, "Session 10"); a later read would simply take one again."""
    db.session.close()


def _ping_when_idle(engine: Engine, seconds: float) -> None:
    """A pooled connection that sat unused for `seconds` is checked with a ping before it is handed out; a
    dead one is replaced (the pool's documented pessimistic disconnect handling: DisconnectionError in a
    "checkout" listener). One used a moment ago is handed out as it is: under a class's burst every request
    would otherwise pay one more round trip (pool_pre_ping pings at every checkout), and a server restart
    is noticed by the first statement instead, which fails once (a 503 page, "try again") and makes the pool
    reconnect every connection (bench/README.md, "Session 10")."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):  # type: ignore[no-untyped-def]
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy):  # type: ignore[no-untyped-def]
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < seconds:
            return  # new, or used a moment ago
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(f"a pooled connection was closed: {exc}") from exc


def _limit_lock_waits(engine: Engine, timeout_ms: int) -> None:
    """PostgreSQL's counterpart of SQLite's busy timeout: a statement that waits longer than that for a row
    lock fails (the web answers 503, try again) instead of waiting for ever behind a stuck transaction."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {int(timeout_ms)}")
        dbapi_connection.commit()  # else the pool's rollback on return would undo the SET


def _begin_when_writing(engine: Engine) -> None:
    """PostgreSQL: the driver runs each statement on its own (autocommit) until one needs a transaction: any
    statement of a `write_transaction()` block, and elsewhere anything but a plain SELECT. Then BEGIN is sent
    first, and the session's COMMIT or ROLLBACK ends it (psycopg sends neither when nothing was begun).

    A page that only reads costs one round trip per select instead of three more (BEGIN, ROLLBACK, and the
    ROLLBACK's dropping of psycopg's prepared statements, which are then never reused): bench/README.md,
    "Session 8"."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.autocommit = True

    @event.listens_for(engine, "before_cursor_execute")
    def _before(connection, cursor, statement, _parameters, _context, _many):  # type: ignore[no-untyped-def]
        if cursor.connection.info.transaction_status != TransactionStatus.IDLE:
            return  # already in the transaction begun below
        if _writing.get() or statement.lstrip()[:6].upper() != "SELECT" or _locks(statement):
            cursor.execute("BEGIN")


def _locks(statement: str) -> bool:
    return any(lock in statement for lock in _HOLDS_UNTIL_THE_END)


def lock_row(model: type[DeclarativeBase], row_id: int, shared: bool = False) -> bool:
    """In a write transaction: hold row `row_id` of `model` until the transaction ends, so what is read
    next cannot change under it on PostgreSQL (another transaction locking the row waits for this one to
    end); False when there is no such row. `shared`: others may take it shared too, while a change of the
    row (or an exclusive lock) waits for all of them. Does nothing on SQLite, whose write transactions
    already run one at a time (True there, unread)."""
    session = db.session()
    if is_sqlite(session.get_bind()):
        return True
    table = model.__table__  # type: ignore[attr-defined]
    statement = select(table.c.id).where(table.c.id == row_id)
    locked = statement.with_for_update(read=True) if shared else statement.with_for_update(key_share=True)
    return session.execute(locked).first() is not None


def lock_key(*keys: str, shared: bool = False) -> None:
    """In a write transaction: hold a lock named by each key until the transaction ends (PostgreSQL's
    transaction-level advisory locks), for a check-then-insert with no row to lock, such as counting the
    hits under a rate limit's key. Sorted, so two transactions taking the same keys cannot deadlock.
    `shared`: any number may hold it shared at once, while an exclusive holder waits for all of them (and
    they for it). Lighter than a row's FOR SHARE when many hold it at once: PostgreSQL records every further
    sharer of a row in a new MultiXact, while an advisory lock lives in its lock table in memory.
    Does nothing on SQLite (its write transactions already run one at a time)."""
    session = db.session()
    if is_sqlite(session.get_bind()):
        return
    take = func.pg_advisory_xact_lock_shared if shared else func.pg_advisory_xact_lock
    for key in sorted(set(keys)):
        session.execute(select(take(func.hashtextextended(key, 0))))


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
