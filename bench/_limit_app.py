"""bench/limit.py's server: a bare Flask app whose one endpoint does what every answer POST must do at the
least, read the form and write one row in a transaction of its own, with nothing of quizapp around it (served
by gunicorn as `make run` serves quizapp, not run by hand).

The database is configured as quizapp/database.py configures quizapp's: on SQLite WAL, a busy timeout,
synchronous NORMAL, one writer at a time per process (a lock) and BEGIN IMMEDIATE; on PostgreSQL the same
lock timeout and a pool of DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW connections per worker.

    DATABASE_URL=... gunicorn --pythonpath bench '_limit_app:create_app()'
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import Flask, redirect, request
from sqlalchemy import Column, DateTime, Integer, MetaData, Table, Text, create_engine, event, insert
from sqlalchemy.engine import Connection, Engine
from werkzeug.wrappers import Response

metadata = MetaData()
answer = Table(  # a response row's shape: who, which question, what was given (JSON text), when
    "answer",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("client", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("given", Text, nullable=False),
    Column("answered_at", DateTime, nullable=False),
)
BUSY_TIMEOUT_MS = int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "15000"))  # quizapp's default


def engine_for(url: str) -> Engine:
    """An engine set up as quizapp's is for the same URL (quizapp/config.py, quizapp/database.py)."""
    if url.startswith("sqlite"):
        engine = create_engine(url, pool_size=10, max_overflow=20)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            dbapi_connection.isolation_level = None  # BEGIN is ours, below
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection):  # type: ignore[no-untyped-def]
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    engine = create_engine(
        url,
        pool_size=int(os.environ.get("DATABASE_POOL_SIZE", "5")),
        max_overflow=int(os.environ.get("DATABASE_MAX_OVERFLOW", "5")),
        pool_pre_ping=True,
    )

    @event.listens_for(engine, "connect")
    def _on_pg_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {BUSY_TIMEOUT_MS}")
        dbapi_connection.commit()

    return engine


def create_table(url: str) -> None:
    """The one table, on a fresh database (run once, before gunicorn starts)."""
    engine = create_engine(url)
    try:
        metadata.create_all(engine)
    finally:
        engine.dispose()


def create_app() -> Flask:
    """The app: POST /answer stores the form's answer and redirects, as quizapp's answer POST does."""
    app = Flask(__name__)
    engine = engine_for(os.environ["DATABASE_URL"])
    sqlite = engine.dialect.name == "sqlite"
    writer = threading.RLock()  # quizapp's per-process writer lock (SQLite only)

    @contextmanager
    def write() -> Iterator[Connection]:
        if sqlite:
            writer.acquire()
        try:
            with engine.begin() as connection:
                yield connection
        finally:
            if sqlite:
                writer.release()

    @app.get("/")
    def up() -> str:  # bench/_server.py's readiness probe
        return "up"

    @app.post("/answer")
    def store() -> Response:
        form = request.form
        position = int(form.get("position", "1"))
        given = "[" + ", ".join(f'"{v}"' for v in form.getlist("choice")) + "]"
        with write() as connection:
            connection.execute(
                insert(answer).values(
                    client=int(form.get("client", "0")),
                    position=position,
                    given=given,
                    answered_at=datetime.now(UTC).replace(tzinfo=None),
                )
            )
        return redirect(f"/answer?next={position + 1}", 303)

    return app
